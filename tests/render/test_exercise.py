"""Worksheets and answer keys: tasks, answers, highlights, escaping, levels."""

from __future__ import annotations

import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from exercise_fixtures import TEXT_A, make_analysis, make_pair, two_documents  # noqa: E402

from framing.errors import ConfigError, InputError  # noqa: E402
from framing.render import exercise as ex  # noqa: E402
from framing.render import exercise_tasks as et  # noqa: E402


class Page(HTMLParser):
    """Collects highlight fragments, task sections and answer items of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []  # one per fragment: attrs + text
        self._open: list[dict | None] = []
        self.sections: dict[str, list[str]] = {}  # data-task -> texts of li items
        self._section: str | None = None
        self._li: list[str] | None = None
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "mark":
            rec = dict(a, text="") if "data-hl" in a else None
            self._open.append(rec)
            if rec is not None:
                self.marks.append(rec)
        if tag == "section" and "data-task" in a:
            self._section = a["data-task"]
            self.sections.setdefault(self._section, [])
        if tag == "li" and self._section:
            self._li = []

    def handle_endtag(self, tag):
        if tag == "mark" and self._open:
            self._open.pop()
        if tag == "section":
            self._section = None
        if tag == "li" and self._li is not None and self._section:
            self.sections[self._section].append("".join(self._li))
            self._li = None

    def handle_data(self, data):
        self.text.append(data)
        for rec in self._open:
            if rec is not None:
                rec["text"] += data
        if self._li is not None:
            self._li.append(data)


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def fixture_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("exercise")
    analysis = make_analysis()
    paths = ex.build_exercise(analysis, out)
    return analysis, out, paths


def test_writes_four_files_in_order(fixture_pages):
    _, out, paths = fixture_pages
    assert [p.name for p in paths] == ["worksheet.html", "answer_key.html", "worksheet.md", "answer_key.md"]
    assert all(p.parent == out and p.stat().st_size > 500 for p in paths)


def test_every_task_has_an_answer(fixture_pages):
    _, out, _ = fixture_pages
    ws, key = parse(out / "worksheet.html"), parse(out / "answer_key.html")
    assert list(ws.sections) == ["hedging", "sourcing", "loaded_verb", "unattributed"]
    assert list(key.sections) == list(ws.sections)
    for task, items in key.sections.items():
        assert items, f"task {task} has no answer"
        assert all(re.search(r"¶\d+ S\d+", it) for it in items), f"answers of {task} lack sentence numbers"


def test_every_highlight_matches_a_frame_row(fixture_pages):
    analysis, out, _ = fixture_pages
    key = parse(out / "answer_key.html")
    text = analysis.documents["text"][0]
    cue_rows = {(r["kind"], r["start"], r["end"]) for r in analysis.cues.iter_rows(named=True)}
    quote_rows = {(r["start"], r["end"]) for r in analysis.quotes.iter_rows(named=True)}
    article_marks = [m for m in key.marks]
    assert article_marks
    pieces: dict[str, list[str]] = {}
    for m in article_marks:
        s, e = int(m["data-start"]), int(m["data-end"])
        if m["data-frame"] == "cues":
            assert (m["data-kind"], s, e) in cue_rows
        else:
            assert m["data-frame"] == "quotes" and (s, e) in quote_rows
        pieces.setdefault(m["data-hl"], []).append(m["text"])
        first = {(m2["data-start"], m2["data-end"]) for m2 in article_marks if m2["data-hl"] == m["data-hl"]}
        assert len(first) == 1  # fragments of one highlight agree on the span
    spans = {m["data-hl"]: (int(m["data-start"]), int(m["data-end"])) for m in article_marks}
    for hl, parts in pieces.items():
        s, e = spans[hl]
        assert re.sub(r"\s+", "", "".join(parts)) == re.sub(r"\s+", "", text[s:e])
    # and every cue and quote is highlighted
    shown = {(m["data-frame"], m["data-kind"], int(m["data-start"]), int(m["data-end"])) for m in article_marks}
    for kind, s, e in cue_rows:
        assert ("cues", kind, s, e) in shown
    for s, e in quote_rows:
        assert ("quotes", "attributed", s, e) in shown


def test_article_text_is_escaped(fixture_pages):
    _, out, _ = fixture_pages
    for name in ("worksheet.html", "answer_key.html"):
        raw = (out / name).read_text(encoding="utf-8")
        assert "<script" not in raw
        assert "&lt;script&gt;alert(" in raw
        assert "<script>alert('x')</script>" in html.unescape(re.sub(r"<[^>]+>", "", raw))
    md = (out / "worksheet.md").read_text(encoding="utf-8")
    assert "\\<script\\>" in md and "<script>" not in md


def test_worksheet_states_source_and_reading_level(fixture_pages):
    _, out, _ = fixture_pages
    text = " ".join(parse(out / "worksheet.html").text)
    for needle in ("Bridge to reopen", "City Herald", "2024-03-01", "Flesch-Kincaid grade 8.4"):
        assert needle in text
    # numbered paragraphs and sentences
    raw = (out / "worksheet.html").read_text(encoding="utf-8")
    assert raw.count('class="para"') == 3 and raw.count('class="sent"') == 6
    assert raw.count('class="line"') >= 4 * 5  # room to write


def test_key_explains_highlights_with_lexicon_notes(fixture_pages):
    from framing.lexicons import load_lexicons

    analysis, out, _ = fixture_pages
    entries = {f"{lx.name}:{e.id}": e for lx in load_lexicons().lexicons for e in lx.entries}
    key_text = html.unescape(" ".join(parse(out / "answer_key.html").text))
    checked = 0
    for lex in analysis.cues["lexicon_id"].unique().sort().to_list():
        if lex in entries:
            assert entries[lex].note in key_text
            checked += 1
    assert checked >= 3
    for section in ("Legend", "Discussion questions", "What the tool can miss"):
        assert section in key_text
    assert "without evidence" in key_text and "Officials" in key_text


def test_key_answers_contents(fixture_pages):
    _, out, _ = fixture_pages
    key = parse(out / "answer_key.html")
    hedges = " ".join(key.sections["hedging"])
    assert "may" in hedges and "without evidence" in hedges and "¶3 S6" in hedges
    sources = " ".join(key.sections["sourcing"])
    assert "Ana Ruiz" in sources and "Officials" in sources and "Engineers familiar with the work" in sources
    loaded = " ".join(key.sections["loaded_verb"])
    assert "Mayor Ana Ruiz said that repairs were finished" in loaded
    claims = " ".join(key.sections["unattributed"])
    assert "40,000 cars" in claims and "Critics" not in claims and "Officials said" not in claims


@pytest.mark.parametrize(
    "verb, expected",
    [("claimed", "said"), ("Claimed", "Said"), ("claiming", "saying"), ("insists", "says"), ("admitted", "said"), ("acknowledged", "said"), ("stress", "said")],
)
def test_neutral_verb(verb, expected):
    assert et.neutral_verb(verb) == expected


def _hl(i, start, end, frame="cues", kind="hedge"):
    return et.Highlight(f"h{i}", frame, kind, None, start, end, "x", None, "note", f"k-{kind}")


@pytest.mark.parametrize(
    "spans, expected",
    [
        ([], "abcdefgh"),
        ([(2, 4)], "ab[cd]efgh"),
        ([(0, 8, "quotes"), (2, 4)], "[ab[cd]efgh]"),
        ([(1, 5), (3, 7)], "a[bc[de]][fg]h"),  # crossing: the inner one is split
        ([(2, 4), (2, 4)], "ab[[cd]]efgh"),
        ([(-3, 2)], "[ab]cdefgh"),  # starts before the sentence
    ],
)
def test_highlight_nesting(spans, expected):
    hs = [_hl(i, s[0], s[1], *(s[2:] and (s[2], "attributed"))) for i, s in enumerate(spans)]
    out = str(ex.highlight_sentence("abcdefgh", 0, 8, hs))
    assert re.sub(r"<mark[^>]*>", "[", out).replace("</mark>", "]") == expected
    assert out.count("<mark") == out.count("</mark>")


def test_invalid_level_names_choices():
    with pytest.raises(ConfigError, match="intro, standard, advanced"):
        ex.build_exercise(make_analysis(), Path("/nonexistent"), level="expert")


def test_several_documents_need_doc_id(tmp_path):
    both = two_documents()
    with pytest.raises(InputError, match="docA.*docB"):
        ex.build_exercise(both, tmp_path)
    paths = ex.build_exercise(both, tmp_path, doc_id="docB")
    assert "Copy Blog" in paths[0].read_text(encoding="utf-8")
    with pytest.raises(InputError, match="no document 'nope'"):
        ex.build_exercise(both, tmp_path, doc_id="nope")


def test_levels_change_tasks_hints_and_scaffolding():
    a = make_analysis()
    intro, std, adv = (ex.make_exercise(a, level=lv) for lv in ("intro", "standard", "advanced"))
    assert len(intro.tasks) < len(std.tasks) < len(adv.tasks)
    assert [t.key for t in adv.tasks][-1] == "voices"
    h_intro = {t.key: t.hint for t in intro.tasks}["hedging"]
    h_std = {t.key: t.hint for t in std.tasks}["hedging"]
    assert re.search(r"¶\d S\d", h_intro)
    assert "paragraphs 1, 2, 3" in h_std and "S" not in h_std.replace("Look", "")
    assert all(t.hint is None and t.scaffold is None for t in adv.tasks)
    assert all(t.scaffold for t in intro.tasks) and "Example" in intro.tasks[0].scaffold
    assert intro.tasks[0].prompt.startswith("Find 2 ") and std.tasks[0].prompt.startswith("Find 3 ")
    assert adv.tasks[0].prompt.startswith("Find all ")


def test_deterministic(tmp_path):
    a = make_analysis()
    p1 = ex.build_exercise(a, tmp_path / "1", level="advanced")
    p2 = ex.build_exercise(a, tmp_path / "2", level="advanced")
    assert [p.read_bytes() for p in p1] == [p.read_bytes() for p in p2]


def test_empty_frames_do_not_crash(tmp_path):
    import dataclasses

    from framing import schema

    a = make_analysis()
    bare = dataclasses.replace(a, cues=schema.empty(schema.CUES), quotes=schema.empty(schema.QUOTES), actors=schema.empty(schema.ACTORS))
    paths = ex.build_exercise(bare, tmp_path)
    key = parse(paths[1])
    assert list(key.sections) == ["unattributed"]
    assert "no hedges or distancing words were found" in " ".join(key.text)


def test_markdown_escape():
    assert ex.md_escape("a *b* <i> [x](y) & _z_") == r"a \*b\* \<i\> \[x\](y) \& \_z\_"
    assert ex.md_escape(ex.MdSafe("**ok**")) == "**ok**"
    assert ex.md_escape(None) == ""


FAKE_COMPARISON = {  # the structure framing.render.exercise_tasks.comparison_dict returns
    "alignment": {
        "pairs": [
            {"kind": "matched", "a_sentences": [0], "b_sentences": [0], "a": "", "b": ""},
            {"kind": "reworded", "a_sentences": [5], "b_sentences": [3], "a": "Critics said, without evidence, …", "b": "Critics said, without proof, …",
             "diff": {"changes": [{"from": "without evidence", "to": "without proof"}]}},
        ],
        "missing_from_b": [{"a_sentence": 2, "text": TEXT_A.split("\n")[2]}],
        "added_in_b": [],
    },
    "reuse": {"explanation": "B is a rewrite of A."},
    "quotes": {"only_in_a": [{"content": "the cables could need more tests", "speaker": None}], "only_in_b": []},
}


def test_compare_with_real_comparison(tmp_path):
    a, b = make_pair()
    comp = et.comparison_dict(a, b, "docA", "docB")
    assert {"alignment", "reuse", "quotes"} <= set(comp)
    ex_ = ex.make_exercise(a, compare_with=b)
    task = {t.key: t for t in ex_.tasks}["compare"]
    answers = " ".join(it.text for g in task.answers for it in g.items)
    assert "Engineers familiar with the work" in answers
    b_sides = ["".join(t for _, t in it.diff[1]) for g in task.answers for it in g.items if it.diff]
    assert any("without proof" in b for b in b_sides)
    changed = {t.strip() for g in task.answers for it in g.items if it.diff for k, t in it.diff[1] if k == "changed"}
    assert "proof" in changed


def test_compare_task_from_comparison(tmp_path, monkeypatch):
    a, b = make_pair()
    monkeypatch.setattr(et, "comparison_dict", lambda *args, **kw: FAKE_COMPARISON)
    paths = ex.build_exercise(a, tmp_path, compare_with=b)
    key = parse(paths[1])
    assert list(key.sections)[-1] == "compare"
    answer = " ".join(key.sections["compare"])
    assert "Engineers familiar with the work said" in answer and "¶2 S3" in answer
    assert "“without evidence” → “without proof”" in answer and "B ¶2 S4" in answer
    assert "B is a rewrite of A." in " ".join(key.text)
    ws = paths[0].read_text(encoding="utf-8")
    assert "Version B" in ws and "Copy Blog" in ws and 'data-version="B"' in ws


# ---------------------------------------------------------------- the seeds (real pipeline)


def _seed_analysis(seed_analysis, fragment):
    docs = seed_analysis.documents.filter(pl.col("source_path").str.contains(fragment, literal=True))
    assert docs.height == 1
    return docs["doc_id"][0]


@pytest.fixture(scope="module")
def seed_key_003(seed_analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed003")
    a = _seed_analysis(seed_analysis, "003_")
    b = _seed_analysis(seed_analysis, "001_")
    paths = ex.build_exercise(seed_analysis, out, doc_id=a, compare_with=seed_analysis, compare_doc_id=b)
    return parse(paths[1]), paths


def test_seed_003_against_001(seed_key_003):
    key, _ = seed_key_003
    compare = " ".join(key.sections["compare"])
    assert "Russian forces failed to capture the capital Kyiv in the early weeks of the war" in compare
    assert "without proof" in compare
    sources = " ".join(key.sections["sourcing"])
    for who in ("Putin", "Simmons", "Zelensky"):
        assert who in sources
    assert "Anonymous sources" in " ".join(key.text)
    assert "claiming without evidence" in re.sub(r"\s+", " ", " ".join(key.sections["hedging"]))


def test_seed_002_asks_for_anonymous_sources(seed_analysis, tmp_path):
    a = _seed_analysis(seed_analysis, "002_")
    paths = ex.build_exercise(seed_analysis, tmp_path, doc_id=a)
    ws_text = " ".join(parse(paths[0]).text)
    assert "find the anonymous sources" in ws_text
    key = parse(paths[1])
    sources = " ".join(key.sections["sourcing"])
    for anon in ("officials", "analysts"):
        assert anon in sources.lower()
