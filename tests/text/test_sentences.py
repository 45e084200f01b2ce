"""Sentence segmentation: offsets, news abbreviations, quotes, paragraphs."""

from __future__ import annotations

import polars as pl
import pytest

from framing.text.sentences import segment, split_sentences


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Putin spoke. He left.", ["Mr. Putin spoke.", "He left."]),
        ("Lt. Gen. Igor Kirillov was killed. Moscow blamed Kyiv.", ["Lt. Gen. Igor Kirillov was killed.", "Moscow blamed Kyiv."]),
        ("Vladimir V. Putin met Donald J. Trump. Nothing came of it.", ["Vladimir V. Putin met Donald J. Trump.", "Nothing came of it."]),
        ("U.S. officials say so. The talks failed.", ["U.S. officials say so.", "The talks failed."]),
        ("Aid to the U.S. The money ran out.", ["Aid to the U.S.", "The money ran out."]),
        ("It began on Oct. 7 in Gaza. It went on.", ["It began on Oct. 7 in Gaza.", "It went on."]),
        ("He was born Sept. 1, 2023, in Kyiv. Really.", ["He was born Sept. 1, 2023, in Kyiv.", "Really."]),
        ("“But you and I are adults, right?” Putin said. “12 years ago!”", ["“But you and I are adults, right?” Putin said.", "“12 years ago!”"]),
        ("“First. Second.” he said.", ["“First.", "Second.” he said."]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("  padded.  \n\n  next  ", ["padded.", "next"]),
        ("unbalanced “quote. Goes on", ["unbalanced “quote.", "Goes on"]),
        ("", []),
        ("   \n \n", []),
    ],
)
def test_split_sentences(text, expected):
    assert texts(text) == expected


def test_spans_never_cross_newlines_and_are_stripped():
    text = "One. Two?\nThree!\n\n“Four,” he said. Five"
    for s, e in split_sentences(text):
        assert "\n" not in text[s:e]
        assert text[s:e] == text[s:e].strip()


def test_segment_frame(seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))
    docs = pl.DataFrame({"doc_id": [f.stem for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    sents = segment(docs)
    assert sents.columns == ["doc_id", "sent_id", "paragraph", "start", "end", "text", "n_words"]
    by_doc = dict(docs.iter_rows())
    for row in sents.iter_rows(named=True):
        assert by_doc[row["doc_id"]][row["start"] : row["end"]] == row["text"]
    assert sents.filter(pl.col("text").str.contains("Mr.", literal=True) & pl.col("text").str.ends_with("Mr.")).height == 0
    first = sents.group_by("doc_id").agg(pl.col("sent_id").min(), pl.col("paragraph").min())
    assert first["sent_id"].to_list() == [0] * first.height
    assert first["paragraph"].to_list() == [0] * first.height


def test_segment_empty_and_null():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "text": [None, ""]}, schema={"doc_id": pl.String, "text": pl.String})
    assert segment(docs).height == 0
