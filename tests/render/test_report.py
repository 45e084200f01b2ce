"""The report folder: files, sections, escaping of hostile text, honest statistics, determinism."""

from __future__ import annotations

import hashlib
import json
import re

import polars as pl
import pytest
from conftest import build_analysis
from markupsafe import Markup

from framing.render import browser
from framing.render.manifest import build_manifest, input_files
from framing.render.report import build_report, fmt, fmt_ci, highlight, safe_url

pytestmark = pytest.mark.filterwarnings("error")


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_every_output(synthetic_report):
    out, paths = synthetic_report
    names = {p.relative_to(out).as_posix() for p in paths}
    for required in ("index.html", "report.md", "manifest.json", "frames/metrics.parquet", "frames/errors.parquet",
                     "charts/outlet_metrics.svg", "charts/outlet_metrics.png", "charts/sourcing_profile.svg",
                     "charts/actor_sentiment.svg", "charts/readability_hedging.svg", "charts/cue_strips.png"):
        assert required in names, required
    assert paths == sorted(paths, key=lambda p: p.as_posix())
    assert all(p.is_file() for p in paths)


def test_byte_identical_on_rerun(synthetic_analysis, synthetic_report, tmp_path):
    first, _ = synthetic_report
    again = tmp_path / "again"
    build_report(synthetic_analysis, again, inputs=["corpus/"], title="Synthetic <test> report")
    assert _digest(first) == _digest(again)


def test_charts_drawn_on_two_processes_are_the_same_files(synthetic_analysis, synthetic_report, tmp_path):
    first, _ = synthetic_report
    two = tmp_path / "two"
    build_report(synthetic_analysis, two, inputs=["corpus/"], title="Synthetic <test> report", jobs=2)
    digest = _digest(two)
    assert digest == _digest(first)
    assert sum(name.startswith("charts/") for name in digest) >= 10


def test_html_sections_and_self_contained(synthetic_report):
    out, _ = synthetic_report
    html = (out / "index.html").read_text(encoding="utf-8")
    for section in ("Corpus overview", "Outlets compared", "Sourcing profile", "Actors", "Stories", "Documents", "Methods"):
        assert section in html
    assert browser.external_references(html) == []
    assert "<link" not in html
    assert html.count('src="data:image/svg+xml;base64,') == 5
    assert str(out) not in html and "/tmp" not in html
    assert "@media print" in html


def test_hostile_text_is_escaped_everywhere(synthetic_report):
    out, _ = synthetic_report
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for doc in (html, md):
        assert "<script>console" not in doc
        assert "<img src=x" not in doc
        assert "<b>over</b>" not in doc
        assert "Gamma <Daily>" not in doc
    assert "&lt;script&gt;console.error(" in html
    assert "&lt;img src=x onerror=" in html
    assert "javascript:alert" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert html.count("<script>") == 1  # only the report's own print helper, allowed by CSP hash


def test_highlight_escapes_every_fragment_and_marks_speaker():
    text = 'He <b>may</b> go. "Yes <i>", Putin said.'
    cues = [{"start": 6, "end": 9, "kind": "hedge", "term": "may", "category": "modal"},
            {"start": 30, "end": 34, "kind": "reporting_verb", "term": "said", "category": None},
            {"start": 200, "end": 210, "kind": "hedge", "term": "out of range"}]
    quotes = [{"start": 19, "end": 27, "speaker": 'Putin"><script>', "direct": True, "cue": "said"}]
    out = highlight(text, cues, quotes)
    assert isinstance(out, Markup)
    assert "<b>" not in out and "<i>" not in out and "<script>" not in out
    assert '<span class="c-hedge"' in out and "&gt;may&lt;" not in out
    assert 'data-speaker="Putin&#34;&gt;&lt;script&gt;"' in out
    plain = re.sub(r"<[^>]+>", "", str(out))
    import html as h
    assert h.unescape(plain) == text  # nothing added, nothing lost


@pytest.mark.parametrize("value,expected", [(None, "—"), (float("nan"), "—"), (3, "3"), (12345, "12,345"), (0.5, "0.50"), (True, "yes")])
def test_fmt(value, expected):
    assert fmt(value) == expected


def test_fmt_ci_single_document():
    assert fmt_ci(1.0, None, None) == "1.00 (no interval: 1 document)"
    assert fmt_ci(None, None, None) == "—"
    assert fmt_ci(1.0, 0.5, 1.5) == "1.00 [0.50 – 1.50]"


@pytest.mark.parametrize("url,expected", [("https://x.org/a", "https://x.org/a"), ("javascript:alert(1)", None),
                                          (" JAVASCRIPT:x", None), (None, None), ("data:text/html,x", None)])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_too_little_text_is_said_not_ranked(synthetic_report):
    out, _ = synthetic_report
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Too little text to rank" in html
    assert "only 1 document (need 3 to rank)" in html
    assert "only 58 words (need 1500 to rank)" in html
    assert "not ranked: fewer than two outlets have enough text" in html


def test_overview_lists_not_measured_errors_and_readability_notes(synthetic_report):
    out, _ = synthetic_report
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "language is ru; English measures not applied" in html
    assert "binary file &lt;not text&gt;" in html
    assert "fewer than 30 sentences: SMOG not computed" in html


def test_story_side_by_side_flags_rewrite(synthetic_report):
    out, _ = synthetic_report
    html = (out / "index.html").read_text(encoding="utf-8")
    story = html.split('id="stories"')[1].split('id="documents"')[0]
    assert "Putin ready to talk" in story and "Talks possible, Putin says" in story
    assert 'class="flag">rewrite</span> of Alpha News: Putin ready to talk' in story
    assert "who is quoted" in story and "Putin (1)" in story


def test_manifest_contents(synthetic_report):
    out, paths = synthetic_report
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in ("framing", "python", "dependencies", "configuration", "lexicons", "inputs", "outputs"):
        assert key in m
    for dep in ("polars", "textstat", "vaderSentiment", "matplotlib", "numpy"):
        assert dep in m["dependencies"]
    assert m["configuration"]["seed"] == 20240209
    assert all(lx["sha256"] and lx["version"] for lx in m["lexicons"])
    # the other shipped data files that shape the scores are recorded too
    files = {d["file"]: d for d in m["data_files"]}
    assert set(files) >= {"framing/measures/actors_data/sentiment_model.toml", "framing/measures/actors_data/news_valence.toml", "framing/corpus/data/clean.toml"}
    assert all(d["version"] and len(d["sha256"]) == 64 for d in m["data_files"])
    expected = {p.relative_to(out).as_posix() for p in paths} - {"manifest.json"}
    assert set(m["outputs"]) == expected
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:", text)
    assert str(out) not in text


def test_manifest_hashes_input_files(synthetic_analysis, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("hello", encoding="utf-8")
    (corpus / ".hidden").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    expected = [{"input": "corpus", "path": "corpus/a.txt", "bytes": 5, "sha256": hashlib.sha256(b"hello").hexdigest()}]
    assert input_files(["corpus"]) == expected
    assert input_files([str(corpus)]) == expected  # absolute paths are recorded relative to the working directory
    m = build_manifest(synthetic_analysis, inputs=["corpus", "/nonexistent/elsewhere.jsonl"])
    assert m["inputs"][0] == expected[0]
    assert m["inputs"][1] == {"input": "elsewhere.jsonl", "path": "elsewhere.jsonl", "bytes": None, "sha256": None}


def test_large_corpus_is_bounded(tmp_path):
    big = build_analysis(n_copies=31)  # 186 documents, 90 outlets
    paths = build_report(big, tmp_path / "big", inputs=["corpus/"], top_n=10, card_limit=12)
    html = (tmp_path / "big" / "index.html").read_text(encoding="utf-8")
    assert html.count('<article class="card"') == 12
    assert "Summary of all 186 documents" in html
    assert "The chart shows the 10 outlets with most documents" in html
    assert any(p.name.startswith("cue_strips") for p in paths)
    assert len(html) < 3_000_000


def test_markdown_twin_links_charts(synthetic_report):
    out, _ = synthetic_report
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "![Outlets compared](charts/outlet_metrics.svg)" in md
    assert "## 7. Methods" in md
    assert "| Alpha News | 3 | 3 | 58 | en |" in md
    rows = [line for line in md.splitlines() if line.startswith("| outlet | docs |")]
    assert rows and rows[0].count("|") > 10


def test_empty_analysis_still_renders(tmp_path):
    from framing import schema
    from framing.analysis import Analysis

    empty = Analysis(**{name: schema.empty(spec) for name, spec in schema.FRAMES.items()})
    paths = build_report(empty, tmp_path / "e", inputs=["nothing/"])
    html = (tmp_path / "e" / "index.html").read_text(encoding="utf-8")
    assert "0 documents" in html and any(p.name == "manifest.json" for p in paths)
    assert pl.read_parquet(tmp_path / "e" / "frames" / "documents.parquet").height == 0
