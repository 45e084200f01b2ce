"""The metrics frame: rates next to denominators, null when undefined."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import schema
from framing.measures.metrics import EXTRA_COLUMNS, document_metrics

READ_SPEC = {"doc_id": schema.METRICS["doc_id"], **{c: schema.METRICS[c] for c in schema.READABILITY_COLUMNS},
             "readability_note": schema.METRICS["readability_note"]}


def _frames():
    docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", None], "n_words": [200, 0, 80],
                         "measured": [True, True, False], "text": ["", "", ""]})
    sents = pl.DataFrame({"doc_id": ["a"] * 4, "sent_id": [0, 1, 2, 3], "n_words": [50, 50, 50, 50],
                          "quote_share": [1.0, 0.5, 0.0, 0.0], "attributed": [True, True, False, True]})
    cues = pl.DataFrame({"doc_id": ["a"] * 5, "start": [0, 10, 20, 30, 40], "end": [5, 15, 25, 35, 45],
                         "kind": ["hedge", "hedge", "booster", "anonymous_source", "anonymous_source"],
                         "in_quote": [True, False, False, False, False]})
    quotes = pl.DataFrame({"doc_id": ["a"] * 3, "source_type": ["named_person", "anonymous", "named_organization"],
                           "loaded_cue": [False, True, False], "source_start": [None, 30, None],
                           "source_end": [None, 35, None]}, schema_overrides={"source_start": pl.Int64, "source_end": pl.Int64})
    read = schema.conform(pl.DataFrame({"doc_id": ["a", "b", "c"], "flesch_reading_ease": [55.0, None, None],
                                        "readability_note": [None, "too short: 0 words", "language ru: readability formulas are English-only"]}), READ_SPEC)
    return docs, sents, cues, quotes, read


def test_values_and_denominators():
    m = document_metrics(*_frames())
    assert list(m.columns) == list(schema.METRICS) + list(EXTRA_COLUMNS)
    a = m.row(0, named=True)
    assert a["n_hedge"] == 2 and a["hedge_per_1k_words"] == 10.0
    assert a["n_hedge_in_quote"] == 1
    assert a["n_sentences"] == 4 and a["attribution_density"] == 0.75
    assert a["quote_share"] == (50 + 25) / 200
    assert a["n_quotes"] == 3 and abs(a["named_source_share"] - 2 / 3) < 1e-12
    assert abs(a["loaded_verb_share"] - 1 / 3) < 1e-12
    assert a["anonymous_sources"] == 2  # one attribution + one cue outside its source span
    assert a["mean_sentence_words"] == 50.0
    assert a["flesch_reading_ease"] == 55.0


def test_zero_denominators_and_unmeasured_are_null():
    m = document_metrics(*_frames())
    b, c = m.row(1, named=True), m.row(2, named=True)
    assert b["hedge_per_1k_words"] is None and b["attribution_density"] is None and b["quote_share"] is None
    assert b["named_source_share"] is None and b["n_hedge"] == 0
    assert c["n_hedge"] is None and c["hedge_per_1k_words"] is None and c["mean_sentence_words"] is None
    assert c["readability_note"].startswith("language ru")
    assert c["n_words"] == 80


def test_contrast_hedge_heavy_scores_higher():
    from framing.lexicons import load_lexicons
    from framing.measures.hedging import match_cues

    texts = ["Officials say it may perhaps be possible that the plan could fail, reportedly.",
             "The plan failed on Monday after the vote in parliament."]
    docs = pl.DataFrame({"doc_id": ["h", "p"], "text": texts, "n_words": [14, 10], "measured": [True, True]})
    sents = docs.select("doc_id", pl.lit(0, pl.Int64).alias("sent_id"), pl.lit(0, pl.Int64).alias("start"),
                        pl.col("text").str.len_chars().cast(pl.Int64).alias("end"), "text", pl.col("n_words"))
    cues = match_cues(docs, sents, lexicons=load_lexicons())
    m = document_metrics(docs, sents, cues, pl.DataFrame(schema=schema.polars_schema(schema.QUOTES)),
                         schema.empty(READ_SPEC))
    h, p = m.row(0, named=True), m.row(1, named=True)
    assert h["hedge_per_1k_words"] > p["hedge_per_1k_words"] == 0.0
    assert h["anonymous_source_per_1k_words"] > 0.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 5), st.integers(0, 4), st.booleans()),
        min_size=1, max_size=6,
    )
)
def test_rates_nonnegative_or_null(rows):
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))], "n_words": [r[0] for r in rows],
                         "measured": [r[3] for r in rows]})
    sents = pl.DataFrame({"doc_id": [f"d{i}" for i, r in enumerate(rows) for _ in range(r[1])],
                          "n_words": [3 for r in rows for _ in range(r[1])],
                          "quote_share": [0.5 for r in rows for _ in range(r[1])],
                          "attributed": [True for r in rows for _ in range(r[1])]},
                         schema={"doc_id": pl.String, "n_words": pl.Int64, "quote_share": pl.Float64, "attributed": pl.Boolean})
    cues = pl.DataFrame({"doc_id": [f"d{i}" for i, r in enumerate(rows) for _ in range(r[2])],
                         "start": [0 for r in rows for _ in range(r[2])], "end": [1 for r in rows for _ in range(r[2])],
                         "kind": ["hedge" for r in rows for _ in range(r[2])]},
                        schema={"doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "kind": pl.String})
    m = document_metrics(docs, sents, cues, schema.empty(schema.QUOTES), schema.empty(READ_SPEC))
    assert m.height == len(rows)
    for col, (dtype, _) in {**schema.METRICS, **EXTRA_COLUMNS}.items():
        if dtype == pl.Float64 or dtype == pl.Int64:
            vals = m[col].drop_nulls()
            assert (vals >= 0).all(), col
    shuffled = document_metrics(docs.reverse(), sents, cues, schema.empty(schema.QUOTES), schema.empty(READ_SPEC))
    assert shuffled.sort("doc_id").equals(m.sort("doc_id"))


def _former_counts(cues: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """The cue counts and the unmeasured-document nulls as document_metrics computed them before its
    query was merged (per (document, kind) counts, then one filtered sum per kind; the nulls applied to
    every document): the oracle for the one-pass counts and the skipped nulls when all are measured."""
    from framing.measures.metrics import LEXICON_KINDS

    in_quote = pl.col("in_quote").cast(pl.Boolean) if "in_quote" in cues.columns else pl.lit(None, pl.Boolean)
    cue_counts = cues.group_by("doc_id", "kind").agg(
        pl.len().cast(pl.Int64).alias("_n"), in_quote.fill_null(False).sum().cast(pl.Int64).alias("_nq")
    )
    per_cue = cue_counts.group_by("doc_id").agg(
        *[pl.col("_n").filter(pl.col("kind") == k).sum().alias(f"n_{k}") for k in schema.CUE_KINDS],
        *[pl.col("_nq").filter(pl.col("kind") == k).sum().alias(f"n_{k}_in_quote") for k in LEXICON_KINDS],
    )
    cols = [f"n_{k}" for k in schema.CUE_KINDS] + [f"n_{k}_in_quote" for k in LEXICON_KINDS]
    measured = documents["measured"].fill_null(False) if "measured" in documents.columns else pl.lit(True)
    return (
        documents.select("doc_id", measured.alias("_measured"))
        .join(per_cue, on="doc_id", how="left", maintain_order="left")
        .select(
            "doc_id",
            *[pl.when(pl.col("_measured")).then(pl.col(c).fill_null(0).cast(pl.Int64)).otherwise(None).alias(c) for c in cols],
        )
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([True, False, None]),
            st.lists(st.tuples(st.sampled_from(list(schema.CUE_KINDS)), st.sampled_from([True, False, None])), max_size=8),
        ),
        min_size=1, max_size=6,
    ),
    st.booleans(),
    st.booleans(),
)
def test_cue_counts_match_the_former_two_step_counts(rows, with_measured, with_in_quote):
    docs = {"doc_id": [f"d{i}" for i in range(len(rows))], "n_words": [100] * len(rows)}
    if with_measured:
        docs["measured"] = [r[0] for r in rows]
    docs = pl.DataFrame(docs, schema_overrides={"measured": pl.Boolean} if with_measured else None)
    found = [(f"d{i}", kind, q) for i, r in enumerate(rows) for kind, q in r[1]]
    cues = {"doc_id": [f[0] for f in found], "start": [0] * len(found), "end": [1] * len(found),
            "kind": [f[1] for f in found]}
    spec = {"doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "kind": pl.String}
    if with_in_quote:
        cues["in_quote"], spec["in_quote"] = [f[2] for f in found], pl.Boolean
    cues = pl.DataFrame(cues, schema=spec)
    sents = pl.DataFrame(schema={"doc_id": pl.String, "n_words": pl.Int64})
    m = document_metrics(docs, sents, cues, schema.empty(schema.QUOTES), schema.empty(READ_SPEC))
    want = _former_counts(cues, docs)
    assert m.select(want.columns).equals(want, null_equal=True)
