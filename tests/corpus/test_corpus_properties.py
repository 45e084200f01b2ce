"""Property: arbitrary bytes in a file never crash load_corpus; each file
ends in documents or errors."""

from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import load_corpus

NAMES = st.sampled_from(["a.txt", "b.md", "c.json", "d.jsonl", "e.csv", "f.html", "g.parquet", "h.bin", "i"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, data=st.one_of(st.binary(max_size=600), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_arbitrary_bytes_never_crash(tmp_path_factory, name, data):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_bytes(data)
    corpus = load_corpus(folder)
    in_docs = corpus.documents.filter(pl.col("source_path").str.ends_with(name)).height
    in_errors = corpus.errors.filter(pl.col("path").str.ends_with(name)).height
    assert in_docs + in_errors >= 1
    assert corpus.errors["reason"].str.len_chars().min() is None or corpus.errors["reason"].str.len_chars().min() > 5
    # text columns hold text: no lone surrogates that would break Parquet/CSV output
    for text in corpus.documents["text"]:
        text.encode("utf-8")


@settings(max_examples=30, deadline=None)
@given(lines=st.lists(st.text(max_size=80), max_size=12))
def test_cleaning_only_removes(lines):
    from framing.corpus.clean import clean_text

    raw = "\n".join(lines)
    cleaned = clean_text(raw)
    # every kept paragraph comes from the input (whitespace and Unicode NFC normalisation aside)
    squashed = " ".join(unicodedata.normalize("NFC", raw).split())
    for para in cleaned.text.split("\n\n"):
        if para:
            assert all(word in squashed for word in para.split())
