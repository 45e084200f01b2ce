"""The seed corpus: the facts of ../shared/seeds/NOTES.md, loaded through seeds/manifest.toml."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from framing.corpus import doc_id_for, load_corpus

CHROME = ["Powered by Blogger", "Header Ads", "No comments", "Post a Comment", "Powered by automated translation", "list of 3 items"]
F004 = "004_5369224af5414d40.txt"

EXPECTED = [
    # file, segment, outlet, date, kind, language
    ("000_1332569454fa25da.txt", 0, "The National", dt.date(2024, 2, 9), "news", "en"),
    ("001_f4bef71f6362e800.txt", 0, "Unnamed Blogger site", dt.date(2024, 12, 19), "news", "en"),
    ("002_1c70a097624c0f75.txt", 0, "The New York Times", dt.date(2024, 2, 10), "analysis", "en"),
    ("003_d3d21ea37bb389e9.txt", 0, "CNN", dt.date(2024, 12, 19), "news", "en"),
    (F004, 1, "Middle East Institute", None, "analysis", "en"),
    (F004, 2, "Middle East Eye", dt.date(2024, 2, 8), "news", "en"),
    (F004, 3, "The Washington Post", dt.date(2024, 2, 8), "analysis", "en"),
    (F004, 4, "Al Jazeera", dt.date(2024, 2, 8), "news", "en"),
    (F004, 5, None, dt.date(2024, 2, 8), "news", "ru"),
]


def _doc(corpus, name, segment=0) -> dict:
    d = corpus.documents.filter(pl.col("source_path").str.contains(name, literal=True), pl.col("segment") == segment)
    assert d.height == 1
    return d.row(0, named=True)


def test_nine_articles_with_metadata(seed_corpus):
    docs = seed_corpus.documents.sort("source_path", "segment")
    got = [
        (p.rsplit("/", 1)[-1], s, o, d, k, lang)
        for p, s, o, d, k, lang in docs.select("source_path", "segment", "outlet", "date", "kind", "language").iter_rows()
    ]
    assert got == EXPECTED
    assert seed_corpus.errors.height == 0
    assert docs["source_path"][0] == "seeds/000_1332569454fa25da.txt" or docs["source_path"][0].endswith("seeds/000_1332569454fa25da.txt")


def test_measured_flags(seed_corpus):
    d = seed_corpus.documents
    assert d.filter(pl.col("language") == "en")["measured"].to_list() == [True] * 8
    ru = d.filter(pl.col("language") == "ru").row(0, named=True)
    assert ru["measured"] is False
    assert ru["not_measured_reason"] == "language ru: English measures not applied"


def test_chrome_removed_and_recorded(seed_corpus):
    d = seed_corpus.documents
    for phrase in CHROME:
        assert not d["text"].str.contains(phrase, literal=True).any(), phrase
    removed = [r for rs in d["removed"].to_list() for r in rs]
    for phrase in CHROME:
        assert any(phrase in r for r in removed), phrase


@pytest.mark.parametrize(
    "name, segment, gone, reason",
    [
        ("000_", 0, "Updated: February 09, 2024", "date line"),
        ("000_", 0, "Vladimir Putin tells US journalist defeating Russia is impossible", "repeated paragraph"),
        ("002_", 0, "date 2024-02-10", "date line"),
        ("003_", 0, "CNN —", "outlet header"),
        (F004, 1, "Photo by YURI KADOBNOV", "photo credit"),
        (F004, 1, "does not engage in advocacy", "publisher disclaimer"),
        (F004, 1, "Jonathan M. Winer, a Non-Resident Scholar", "author bio"),
        (F004, 1, "Essential questions about the Russia-Hamas link: The evidence and its implications ...", "not an article"),
        (F004, 4, "Source: Al Jazeera and news agencies", "sign-off (source line)"),
        (F004, 4, "[File: Reuters]", "photo caption"),
        (F004, 5, "Published on Feb 08, 2024", "date line"),
        (F004, 5, "Comments", "site chrome (comments section heading)"),
    ],
)
def test_specific_removals(seed_corpus, name, segment, gone, reason):
    doc = _doc(seed_corpus, name, segment)
    assert gone not in doc["text"] or reason == "repeated paragraph"
    assert any(r.startswith(reason) and gone in r for r in doc["removed"]), doc["removed"]


def test_repeated_headline_once(seed_corpus):
    text = _doc(seed_corpus, "000_")["text"]
    assert text.count("Vladimir Putin tells US journalist defeating Russia is impossible") == 1


def test_mei_first_paragraph_once(seed_corpus):
    mei = seed_corpus.documents.filter(pl.col("outlet") == "Middle East Institute")
    assert mei["text"][0].count("As the war in Gaza continues to unfold") == 1
    assert mei["author"].to_list() == ["Jonathan M. Winer"]


def test_captions_split_from_sentences(seed_corpus):
    paras = _doc(seed_corpus, F004, 4)["text"].split("\n\n")
    assert "Putin says Russia is open to releasing WSJ journalist" in paras
    assert "Advances in AI and genetics are a threat, Putin said" in paras
    assert not any("[File:" in p or "[Reuters]" in p for p in paras)


def test_parts_start_where_the_manifest_says(seed_corpus):
    starts = {
        2: "Former US secretary of state Hillary Clinton",
        3: "Tucker Carlson’s interview with Russian President Vladimir Putin",
        4: "On Thursday, President Vladimir Putin spent two hours",
        5: "Владимир Зеленский",
    }
    for segment, start in starts.items():
        assert _doc(seed_corpus, F004, segment)["text"].startswith(start)


def test_metadata_sources(seed_corpus):
    national = _doc(seed_corpus, "000_")["metadata_sources"]
    assert national[0] == "outlet: manifest"
    assert national[1].startswith("date: manifest; text (date line: Updated: February 09, 2024") and national[1].endswith("agrees")
    blog = _doc(seed_corpus, "001_")["metadata_sources"]
    assert any(s.startswith("note: uncredited machine-paraphrased rewrite") for s in blog)


def test_without_manifest_text_reveals_metadata(seeds_dir):
    corpus = load_corpus(seeds_dir, manifest=False)
    d = {p.rsplit("/", 1)[-1]: r for p, r in zip(corpus.documents["source_path"], corpus.documents.iter_rows(named=True))}
    assert len(d) == 5
    assert d["003_d3d21ea37bb389e9.txt"]["outlet"] == "CNN"
    assert d["000_1332569454fa25da.txt"]["date"] == dt.date(2024, 2, 9)
    assert d["002_1c70a097624c0f75.txt"]["date"] == dt.date(2024, 2, 10)
    assert d[F004]["outlet"] == "Al Jazeera"
    assert d[F004]["date"] == dt.date(2024, 2, 8)
    assert d["001_f4bef71f6362e800.txt"]["outlet"] is None and d["001_f4bef71f6362e800.txt"]["date"] is None


def test_doc_ids_deterministic(seed_corpus, seeds_dir):
    again = load_corpus(str(seeds_dir))
    assert again.documents.equals(seed_corpus.documents)
    assert doc_id_for(F004, 4) in seed_corpus.documents["doc_id"].to_list()
    single = load_corpus(seeds_dir / "003_d3d21ea37bb389e9.txt")
    assert single.documents["doc_id"].to_list() == [doc_id_for("003_d3d21ea37bb389e9.txt", 0)]
    assert single.documents["outlet"].to_list() == ["CNN"]  # the folder's manifest is found next to the file


def test_anchor_missing_is_an_error_not_a_crash(tmp_path, seeds_dir):
    (tmp_path / "x.txt").write_text("First article text here.\nSecond article starts here.\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[file]]\npath = "x.txt"\n[[file.part]]\nstarts_at = "First article"\n[[file.part]]\nstarts_at = "Nowhere to be found"\n',
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    assert corpus.documents.height == 1
    assert "is not at the start of any line" in corpus.errors["reason"][0]
