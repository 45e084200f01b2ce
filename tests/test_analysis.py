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
