"""The analysis core: corpus-level alias merging and purity."""

import polars as pl

import framing
from framing.analysis import analyze_batch
from framing.config import AnalysisConfig
from framing.corpus import corpus_from_texts

A = "Senator Maria Kowalski met envoys in Warsaw on Tuesday. Maria Kowalski said talks were possible."
B = 'Ms. Kowalski gave no details. "We will wait," Kowalski said on Friday.'


def test_surname_only_actor_takes_the_full_name_found_in_another_document():
    result = framing.analyze(corpus_from_texts([A, B]), config=AnalysisConfig(jobs=1))
    b_id = result.documents.filter(pl.col("text") == B)["doc_id"][0]
    mentions = result.mentions.filter(pl.col("doc_id") == b_id)
    assert set(mentions["surface"]) == {"Ms. Kowalski", "Kowalski"}
    assert set(mentions["actor"]) == {"Maria Kowalski"}
    assert set(mentions["resolution"]) == {"surname"}
    assert result.actors.filter(pl.col("doc_id") == b_id)["actor"].to_list() == ["Maria Kowalski"]
    speakers = set(result.quotes["speaker"].drop_nulls()) | set(result.sentences["speaker"].drop_nulls())
    assert "Kowalski" not in speakers


def test_compound_adjectives_are_not_actors():
    text = 'Hamas held a Soviet-style show in Gaza. "It was a parade," a Soviet-style official said.'
    actors = set(framing.analyze_text(text, config=AnalysisConfig(jobs=1)).mentions["actor"])
    assert "Soviet-style" not in actors
    assert "Hamas" in actors


def test_batch_function_is_pure_and_order_independent():
    docs = corpus_from_texts([A, B]).documents
    one = analyze_batch(docs, AnalysisConfig(jobs=1))
    two = analyze_batch(docs.reverse(), AnalysisConfig(jobs=1))
    for name in one:
        assert one[name].equals(two[name]), name
    assert docs.equals(corpus_from_texts([A, B]).documents)  # input not modified


def test_story_grouping_above_the_limit_is_skipped_with_a_note(seed_corpus, tmp_path, monkeypatch):
    # its similarity matrices grow with the square of the documents: above STORY_LIMIT an in-memory run skips
    # it, as a streaming run does, and says so in the summary, the report and its manifest
    import json

    from framing import engine
    from framing.render.report import build_report
    from framing.render.summary import analysis_summary

    monkeypatch.setattr(engine, "STORY_LIMIT", 7)
    result = framing.analyze(seed_corpus, config=AnalysisConfig(jobs=1))
    assert result.documents.filter(pl.col("measured") & pl.col("duplicate_of").is_null()).height == 8
    note = (
        "story grouping skipped: 8 measured documents, above the limit of 7 (its similarity matrices grow with the "
        "square of the number of documents); story_id and derived_from are left null."
    )
    assert result.notes == (note,)
    assert result.documents["story_id"].null_count() == result.documents.height
    assert result.documents["derived_from"].null_count() == result.documents.height
    assert analysis_summary(result).splitlines()[-1] == f"Note: {note}"
    build_report(result, tmp_path, inputs=["seeds"], jobs=1)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<p class="note">Story grouping skipped: 8 measured documents, above the limit of 7' in html
    assert "stand alone" not in html
    assert "Story grouping skipped: 8 measured documents" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["notes"] == [note]
    monkeypatch.setattr(engine, "STORY_LIMIT", 8)  # at the limit: grouped
    grouped = framing.analyze(seed_corpus, config=AnalysisConfig(jobs=1))
    assert grouped.notes == () and grouped.documents["story_id"].null_count() == 0


def test_long_story_grouping_is_announced_on_the_progress_stream(seed_corpus, monkeypatch):
    import io

    from framing import analysis

    out = io.StringIO()
    monkeypatch.setattr(analysis, "STORY_STAGE_LINE", 8)
    monkeypatch.setattr("framing.progress.sys.stderr", out)
    framing.analyze(seed_corpus, config=AnalysisConfig(jobs=1), quiet=False)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "grouping 8 documents into stories and looking for rewrites (time grows with the square of the documents)"
    assert lines[-2].startswith("analysed 9 documents, ")
    monkeypatch.setattr(analysis, "STORY_STAGE_LINE", 9)
    out.truncate(0)
    out.seek(0)
    framing.analyze(seed_corpus, config=AnalysisConfig(jobs=1), quiet=False)
    assert "grouping" not in out.getvalue()


def test_modules_for_the_corpus_level_steps_import_in_the_background(tmp_path, monkeypatch):
    import sys

    from framing import analysis

    (tmp_path / "framing_bg_probe.py").write_text("LOADED = True\n", encoding="utf-8")
    (tmp_path / "framing_bg_broken.py").write_text("raise ImportError('broken on purpose')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    thread = analysis._import_in_background("framing_bg_probe")
    thread.join(10)
    assert sys.modules["framing_bg_probe"].LOADED is True
    assert analysis._import_in_background("framing_bg_probe") is None  # already there: no thread
    broken = analysis._import_in_background("framing_bg_broken")  # the error stays on the thread
    broken.join(10)
    assert not broken.is_alive() and "framing_bg_broken" not in sys.modules
    monkeypatch.delitem(sys.modules, "framing_bg_probe")
