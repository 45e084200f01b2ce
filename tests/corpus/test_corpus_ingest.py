"""Loading real-world messy inputs: every file ends in documents or errors."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import struct
import zlib

import polars as pl
import pytest

from framing import schema
from framing.corpus import Corpus, corpus_from_texts, doc_id_for, load_corpus
from framing.corpus.decode import DecodeFailure, decode_bytes
from framing.errors import ConfigError, InputError

FRENCH = "Le café de la gare est très animé à Zürich, déjà à huit heures du matin. Ça sent le pain grillé."
ENGLISH = (
    "The minister said on Tuesday that talks with the union would resume next week, "
    "according to two officials familiar with the plan."
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def _reason(corpus: Corpus, name: str) -> list[str]:
    return corpus.errors.filter(pl.col("path").str.ends_with(name))["reason"].to_list()


@pytest.fixture()
def messy(tmp_path):
    d = tmp_path / "messy"
    d.mkdir()
    (d / "picture.png").write_bytes(_png())
    (d / "empty.txt").write_bytes(b"")
    (d / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    (d / "utf16.txt").write_bytes(("Ein Bericht über Straßenbahnen in München. " + ENGLISH).encode("utf-16"))
    lines = [
        json.dumps({"text": ENGLISH, "source": "Wire", "published": "2024-03-01", "title": "Talks resume"}),
        '{"text": "broken line", ',
        json.dumps({"content": "Zweite Zeile mit Umlauten: äöü ß. " + ENGLISH, "authors": ["A. One", "B. Two"]}),
    ]
    (d / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_messy_folder_loads(messy):
    corpus = load_corpus(messy)
    docs = corpus.documents
    assert docs.schema == schema.polars_schema(schema.DOCUMENTS)
    assert corpus.errors.schema == schema.polars_schema(schema.ERRORS)
    by_path = {(p.rsplit("/", 1)[-1], s): t for p, s, t in zip(docs["source_path"], docs["segment"], docs["text"])}
    assert sorted(by_path) == [("dump.jsonl", 0), ("dump.jsonl", 2), ("latin1.txt", 0), ("utf16.txt", 0)]
    assert by_path[("latin1.txt", 0)] == FRENCH
    assert by_path[("utf16.txt", 0)].startswith("Ein Bericht über Straßenbahnen in München.")
    assert by_path[("dump.jsonl", 2)].startswith("Zweite Zeile mit Umlauten: äöü ß.")
    assert _reason(corpus, "picture.png") == ["The file is a PNG image, not text."]
    assert _reason(corpus, "empty.txt") == ["the file is empty."]
    bad = corpus.errors.filter(pl.col("path").str.ends_with("dump.jsonl"))
    assert bad["segment"].to_list() == [1]
    assert bad["reason"][0].startswith("line 2 is not valid JSON")
    assert corpus.errors.height == 3
    row = docs.filter(pl.col("segment") == 0, pl.col("source_path").str.ends_with("dump.jsonl")).row(0, named=True)
    assert (row["outlet"], row["date"], row["title"]) == ("Wire", dt.date(2024, 3, 1), "Talks resume")
    assert "outlet: column 'source'" in row["metadata_sources"]
    two = docs.filter(pl.col("segment") == 2)
    assert two["author"].to_list() == ["A. One; B. Two"]
    latin = docs.filter(pl.col("source_path").str.ends_with("latin1.txt")).row(0, named=True)
    assert latin["language"] == "fr" and latin["measured"] is False
    assert latin["not_measured_reason"] == "language fr: English measures not applied"


def test_doc_ids_stable_and_relative(messy, tmp_path):
    a = load_corpus(messy)
    b = load_corpus(str(messy) + "/")
    assert a.documents["doc_id"].to_list() == b.documents["doc_id"].to_list()
    assert a.documents.drop("source_path").equals(b.documents.drop("source_path"))
    # the same file given directly keeps its id (path relative to the folder it was found in)
    single = load_corpus(messy / "latin1.txt")
    assert single.documents["doc_id"].to_list() == [doc_id_for("latin1.txt", 0)]
    assert doc_id_for("latin1.txt", 0) in a.documents["doc_id"].to_list()
    # moving the folder does not change ids
    moved = tmp_path / "elsewhere"
    messy.rename(moved)
    assert load_corpus(moved).documents["doc_id"].to_list() == a.documents["doc_id"].to_list()


def test_documents_sorted_and_byte_identical(messy):
    a = load_corpus(messy).documents
    b = load_corpus(messy).documents
    assert a["doc_id"].to_list() == sorted(a["doc_id"].to_list())
    assert a.equals(b)


@pytest.mark.parametrize(
    "data, encoding_text",
    [
        (codecs.BOM_UTF8 + "Grüße aus Köln".encode(), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-8"), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
        ("Grüße aus Köln und Düsseldorf".encode("utf-16-le"), "Grüße aus Köln und Düsseldorf"),
        ("Grüße aus Köln und Düsseldorf".encode("utf-16-be"), "Grüße aus Köln und Düsseldorf"),
        ("Le café est très bon à Zürich".encode("latin-1"), "Le café est très bon à Zürich"),
        ("“Smart quotes” — and a dash".encode("cp1252"), "“Smart quotes” — and a dash"),
        ("Владимир Зеленский отправил в отставку главкома".encode("cp1251"), "Владимир Зеленский отправил в отставку главкома"),
    ],
)
def test_decode(data, encoding_text):
    assert decode_bytes(data).text == encoding_text


def test_decode_mostly_utf8_with_a_broken_byte():
    data = ("Grüße aus Köln. " * 200).encode() + b"\xff" + " Ende.".encode()
    out = decode_bytes(data)
    assert out.text.count("\ufffd") == 1 and out.note.startswith("1 undecodable byte")


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03\x04\x05" * 50, b"%PDF-1.7\n...", b"PK\x03\x04rest"])
def test_decode_binary(data):
    with pytest.raises(DecodeFailure):
        decode_bytes(data)


def test_formats(tmp_path):
    d = tmp_path / "formats"
    d.mkdir()
    (d / "a.md").write_text(
        "---\ntitle: Front matter title\nsource: The Daily Example\ndate: 2024-05-06\nauthors: [Ann, Bob]\n---\n" + ENGLISH,
        encoding="utf-8",
    )
    (d / "b.csv").write_text(
        "headline,body,publisher,publish_date,link\n"
        f"CSV one,\"{ENGLISH}\",Paper A,\"Feb 8, 2024\",https://a.example/1\n"
        "CSV empty,,Paper A,2024-02-08,https://a.example/2\n"
        f"CSV two,\"{ENGLISH} Again.\",Paper B,not a date,https://b.example/3\n",
        encoding="utf-8",
    )
    (d / "c.json").write_text(json.dumps({"articles": [{"content_original": ENGLISH + " One.", "outlet": "J"}, 5]}), encoding="utf-8")
    pl.DataFrame({"text": [ENGLISH + " P.", None], "date": [dt.date(2024, 1, 2), None]}).write_parquet(d / "d.parquet")
    (d / "e.html").write_text(
        "<html><head><title>Page title</title><meta property='og:site_name' content='HTML Times'></head>"
        f"<body><nav>Home | World | Sport</nav><article><h1>Page title</h1><p>{ENGLISH}</p>"
        f"<p>{ENGLISH.replace('Tuesday', 'Wednesday')}</p></article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    (d / "f.weird").write_text(ENGLISH + " Weird extension.", encoding="utf-8")
    (d / "g.bin").write_bytes(bytes(range(256)) * 4)
    corpus = load_corpus(d)
    docs = corpus.documents
    md = docs.filter(pl.col("source_path").str.ends_with("a.md")).row(0, named=True)
    assert (md["title"], md["outlet"], md["date"], md["author"]) == (
        "Front matter title",
        "The Daily Example",
        dt.date(2024, 5, 6),
        "Ann; Bob",
    )
    assert md["text"] == ENGLISH
    assert md["removed"][0].startswith("front matter: title: Front matter title")
    csv_docs = docs.filter(pl.col("source_path").str.ends_with("b.csv")).sort("segment")
    assert csv_docs["segment"].to_list() == [0, 2]
    assert csv_docs["title"].to_list() == ["CSV one", "CSV two"]
    assert csv_docs["date"].to_list() == [dt.date(2024, 2, 8), None]
    assert csv_docs["url"].to_list() == ["https://a.example/1", "https://b.example/3"]
    assert any("not an explicit date" in s for s in csv_docs["metadata_sources"][1])
    assert _reason(corpus, "b.csv") == ["row 2 has no text in column 'body'."]
    assert docs.filter(pl.col("source_path").str.ends_with("c.json"))["outlet"].to_list() == ["J"]
    assert _reason(corpus, "c.json") == ["item 2 is not an object with named fields."]
    pq = docs.filter(pl.col("source_path").str.ends_with("d.parquet"))
    assert pq["date"].to_list() == [dt.date(2024, 1, 2)]
    assert _reason(corpus, "d.parquet") == ["row 2 has no text in column 'text'."]
    html = docs.filter(pl.col("source_path").str.ends_with("e.html")).row(0, named=True)
    assert "talks with the union would resume" in html["text"]
    assert "Home | World" not in html["text"] and "Copyright" not in html["text"]
    assert html["title"] == "Page title"
    assert docs.filter(pl.col("source_path").str.ends_with("f.weird"))["text"].to_list() == [ENGLISH + " Weird extension."]
    assert _reason(corpus, "g.bin")[0].startswith("Unsupported file type .bin")


def test_column_overrides(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"story_text": ENGLISH, "paper": "Override Post", "text": "short"}) + "\n", encoding="utf-8")
    corpus = load_corpus(f, text_column="story_text", outlet_column="paper")
    assert corpus.documents["text"].to_list() == [ENGLISH]
    assert corpus.documents["outlet"].to_list() == ["Override Post"]
    missing = load_corpus(f, text_column="nope")
    assert missing.documents.height == 0
    assert "text_column 'nope' is not a column" in missing.errors["reason"][0]


def test_size_limit_and_whitespace(tmp_path):
    (tmp_path / "big.txt").write_text(ENGLISH * 10, encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, max_bytes=500)
    assert corpus.documents.height == 0
    reasons = dict(zip(corpus.errors["path"].str.split("/").list.last(), corpus.errors["reason"]))
    assert "over the 500-byte limit" in reasons["big.txt"]
    assert reasons["blank.txt"] == "the file holds only whitespace."


def test_bad_paths_and_options(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_corpus(tmp_path / "missing")
    with pytest.raises(InputError, match="no input paths"):
        load_corpus([])
    with pytest.raises(ConfigError, match="unknown load option"):
        load_corpus(tmp_path, text_colum="x")


def test_hidden_files_skipped(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.documents.height == 1 and corpus.errors.height == 0


def test_duplicates_exact_and_near(tmp_path):
    body = " ".join(
        f"In week {i} the {animal} council met {i + 2} times and voted on {topic}, officials said."
        for i, (animal, topic) in enumerate(
            zip(["river", "harbour", "market", "school", "railway", "forest", "bridge", "library"],
                ["budgets", "roads", "parks", "rents", "tariffs", "schools", "water", "lighting"])
        )
    )
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Same\n---\n" + body.upper(), encoding="utf-8")
    (tmp_path / "c.txt").write_text(body + " Share on Facebook", encoding="utf-8")
    (tmp_path / "d.txt").write_text(body.replace("voted on roads", "voted on streets", 1) + " One more sentence.", encoding="utf-8")
    (tmp_path / "e.txt").write_text(FRENCH, encoding="utf-8")
    docs = load_corpus(tmp_path).documents.sort("source_path")
    first = doc_id_for("a.txt", 0)
    assert docs["duplicate_of"].to_list() == [None, first, first, first, None]
    assert docs["not_measured_reason"].to_list()[1] == f"duplicate of {first}"
    assert docs["measured"].to_list() == [True, False, False, False, False]


def test_paraphrase_is_not_a_duplicate(seed_corpus):
    assert seed_corpus.documents["duplicate_of"].null_count() == seed_corpus.documents.height


def test_corpus_from_texts():
    c = corpus_from_texts([ENGLISH, "CNN\n—\n" + ENGLISH + " Extra."], outlet="Given", date="2024-02-01")
    docs = c.documents
    assert docs.height == 2
    assert docs["outlet"].to_list() == ["Given", "Given"]
    assert docs["date"].to_list() == [dt.date(2024, 2, 1)] * 2
    assert set(docs["language"]) == {"en"}
    again = corpus_from_texts([ENGLISH, "CNN\n—\n" + ENGLISH + " Extra."], outlet="Given", date="2024-02-01")
    assert docs.equals(again.documents)
    one = corpus_from_texts(["Короткий текст на русском языке о погоде в Москве."])
    assert one.documents["language"].to_list() == ["ru"]
    assert one.documents["measured"].to_list() == [False]
    assert corpus_from_texts(["Hi."]).documents["language"].to_list() == ["und"]


def test_toml_configuration_files(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "actors.toml").write_text("[[actor]]\nname = 'X'\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.documents.height == 1 and corpus.errors.height == 0
    direct = load_corpus(tmp_path / "actors.toml")
    assert direct.documents.height == 0
    assert "TOML configuration file" in direct.errors["reason"][0]


def test_documents_frame_typed_columns_equal_the_inferred_rows(messy):
    """The documents frame built column by column with the schema's types equals the rows read
    with inference and conformed; a value of another type takes that general path."""
    from framing import corpus as c

    documents = load_corpus(messy).documents
    assert documents.height > 1
    rows = documents.drop("n_words").to_dicts()
    n_words = documents["n_words"]

    def inferred(rows):
        frame = pl.DataFrame(rows, schema_overrides={"date": pl.Date, "removed": pl.List(pl.String), "metadata_sources": pl.List(pl.String)}, infer_schema_length=None)
        return schema.conform(frame.with_columns(n_words), schema.DOCUMENTS)

    fast = c._documents_frame(rows, n_words)
    assert fast.schema == schema.polars_schema(schema.DOCUMENTS) and fast.equals(inferred(rows))
    for odd in (
        [dict(r, title=2024) for r in rows],  # a number where text is expected
        [dict(r, date="2024-02-09") for r in rows],  # a date as a string
        [dict(r, date=dt.datetime(2024, 2, 9, 8)) for r in rows],
        [dict(r, extra="x") for r in rows],  # another key: kept after the schema's columns
    ):
        try:
            want = inferred(odd)
        except pl.exceptions.PolarsError as e:  # the general path refuses it: so does the fast one
            with pytest.raises(type(e)):
                c._documents_frame(odd, n_words)
            continue
        assert c._documents_frame(odd, n_words).equals(want)
    assert c._documents_frame([dict(r, title=2024) for r in rows], n_words)["title"].to_list() == ["2024"] * len(rows)
