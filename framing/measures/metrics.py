"""The metrics frame: one row per document, every rate next to its denominator.

Definitions (columns in :data:`framing.schema.METRICS`; extra columns below):

* ``n_words`` (documents.n_words) is the denominator of every
  ``{kind}_per_1k_words`` = ``n_{kind}`` · 1000 / ``n_words``. ``n_{kind}``
  counts the rows of the cues frame of that kind — every cue, including
  those inside quoted speech, so a reader counting the highlighted cues gets
  the same number. ``n_{kind}_in_quote`` (extra, for hedge, distancing,
  booster, anonymous_source) says how many of them are the quoted speaker's
  rather than the reporter's.
* ``n_sentences`` (rows of the sentences frame) is the denominator of
  ``attribution_density`` = sentences with ``attributed`` true / sentences and
  of ``mean_sentence_words`` = Σ sentences.n_words / sentences.
* ``quote_share`` = words in quoted speech / ``n_words``, where words in
  quoted speech = Σ over sentences of ``quote_share`` × ``n_words`` (the
  sentence's fraction of characters inside quotation marks, applied to its
  words). It counts all quoted speech, whether or not a speaker was found;
  reported speech whose quotation marks were lost (seed 002) is not quoted
  speech. Capped at 1.
* ``n_quotes`` (rows of the attribution ledger) is the denominator of
  ``named_source_share`` (source_type named_person or named_organization)
  and ``loaded_verb_share`` (loaded_cue true).
* ``anonymous_sources`` = attributions with source_type ``anonymous`` plus
  ``anonymous_source`` cues that do not overlap the source span of such an
  attribution (so "officials said" is not counted twice).
* readability columns and ``readability_note`` come from
  :func:`framing.measures.readability.score`.

Null, never 0.0, when a denominator is 0 or the document was not measured
(``measured`` false): then every measure is null and ``readability_note``
says why. Counts of a measured document are 0 when nothing was found.
"""

from __future__ import annotations

import polars as pl

from framing import schema
from framing.measures import QUERY_ENGINE

LEXICON_KINDS = ("hedge", "distancing", "booster", "anonymous_source")
EXTRA_COLUMNS: dict[str, tuple[pl.DataType, str]] = {
    **{f"n_{k}_in_quote": (pl.Int64, f"{k} cues inside quoted speech (the speaker's, not the reporter's)") for k in LEXICON_KINDS},
    "quoted_words": (pl.Float64, "words in quoted speech (numerator of quote_share)"),
    "n_attributed_sentences": (pl.Int64, "numerator of attribution_density"),
}
NAMED = ("named_person", "named_organization")


def _collect(plan: pl.LazyFrame) -> pl.DataFrame:
    """``plan`` collected on the in-memory engine without the query optimiser: on a batch's frames
    its passes (common subplans, pushdowns) cost more than they save (~0.8 of 5.9 ms per batch), and
    the plan is already what runs (the same operations either way: the same values)."""
    flags = getattr(pl, "QueryOptFlags", None)
    if flags is None:  # pragma: no cover - Polars before 1.30 has no QueryOptFlags
        return plan.collect(engine=QUERY_ENGINE, no_optimization=True)
    return plan.collect(engine=QUERY_ENGINE, optimizations=flags.none())


def _col(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)


def _ratio(num: str, den: str, scale: float = 1.0) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then(pl.col(num).cast(pl.Float64) * scale / pl.col(den)).otherwise(None)


def document_metrics(
    documents: pl.DataFrame,
    sentences: pl.DataFrame,
    cues: pl.DataFrame,
    quotes: pl.DataFrame,
    readability: pl.DataFrame,
) -> pl.DataFrame:
    """One row per document (all of them, in documents order) with the METRICS columns and EXTRA_COLUMNS.

    The whole frame is one lazy query collected once: each eager step costs Polars ~0.3 ms of fixed
    work, and the batch function calls this once per batch. The steps are the same (the same
    group-bys, joins in documents order, fills, ratios and casts) on the same engine, so the same
    values and types.
    """
    docs = documents.lazy().select(
        "doc_id",
        _col(documents, "outlet", pl.String),
        _col(documents, "n_words", pl.Int64).alias("_doc_words"),
        (pl.col("measured").fill_null(False) if "measured" in documents.columns else pl.lit(True)).alias("_measured"),
    )
    # sentences: counts, attributed, quoted words
    sent = sentences.lazy().select(
        "doc_id",
        _col(sentences, "n_words", pl.Int64).fill_null(0).alias("_sw"),
        _col(sentences, "quote_share", pl.Float64).fill_null(0.0).alias("_qs"),
        _col(sentences, "attributed", pl.Boolean).fill_null(False).alias("_att"),
    )
    per_sent = sent.group_by("doc_id").agg(
        pl.len().cast(pl.Int64).alias("n_sentences"),
        pl.col("_sw").sum().cast(pl.Int64).alias("_sent_words"),
        pl.col("_att").sum().cast(pl.Int64).alias("n_attributed_sentences"),
        (pl.col("_sw") * pl.col("_qs").clip(0.0, 1.0)).sum().alias("quoted_words"),
    )
    # cues: one pass counts each kind (and those in quotes) per document; a document holding cues of
    # other kinds only gets 0 for this one, as one with none at all gets after the join below
    lazy_cues = cues.lazy()
    in_quote = _col(cues, "in_quote", pl.Boolean).fill_null(False)
    per_cue = lazy_cues.group_by("doc_id").agg(
        *[(pl.col("kind") == k).sum().cast(pl.Int64).alias(f"n_{k}") for k in schema.CUE_KINDS],
        *[((pl.col("kind") == k) & in_quote).sum().cast(pl.Int64).alias(f"n_{k}_in_quote") for k in LEXICON_KINDS],
    )
    # quotes (attribution ledger)
    q = quotes.lazy().select(
        "doc_id",
        _col(quotes, "source_type", pl.String).alias("_st"),
        _col(quotes, "loaded_cue", pl.Boolean).fill_null(False).alias("_loaded"),
        _col(quotes, "source_start", pl.Int64).alias("_ss"),
        _col(quotes, "source_end", pl.Int64).alias("_se"),
    )
    per_quote = q.group_by("doc_id").agg(
        pl.len().cast(pl.Int64).alias("n_quotes"),
        pl.col("_st").is_in(list(NAMED)).sum().cast(pl.Int64).alias("_named"),
        (pl.col("_st") == "anonymous").sum().cast(pl.Int64).alias("_anon_q"),
        pl.col("_loaded").sum().cast(pl.Int64).alias("_loaded_n"),
    )
    # anonymous_source cues not overlapping an anonymous attribution's source span
    anon_cues = (
        lazy_cues.filter(pl.col("kind") == "anonymous_source").select("doc_id", "start", "end").with_row_index("_cid")
    )
    anon_src = q.filter((pl.col("_st") == "anonymous") & pl.col("_ss").is_not_null() & pl.col("_se").is_not_null())
    covered = (
        anon_cues.join(anon_src.select("doc_id", "_ss", "_se"), on="doc_id")
        .filter((pl.col("start") < pl.col("_se")) & (pl.col("_ss") < pl.col("end")))
        .select("_cid")
        .unique()
    )
    per_anon = (
        anon_cues.join(covered, on="_cid", how="anti").group_by("doc_id").agg(pl.len().cast(pl.Int64).alias("_anon_c"))
    )
    out = (
        docs.join(per_sent, on="doc_id", how="left", maintain_order="left")
        .join(per_cue, on="doc_id", how="left", maintain_order="left")
        .join(per_quote, on="doc_id", how="left", maintain_order="left")
        .join(per_anon, on="doc_id", how="left", maintain_order="left")
    )
    zero_fill = (
        ["n_sentences", "_sent_words", "n_attributed_sentences", "n_quotes", "_named", "_anon_q", "_loaded_n", "_anon_c"]
        + [f"n_{k}" for k in schema.CUE_KINDS]
        + [f"n_{k}_in_quote" for k in LEXICON_KINDS]
    )
    out = out.with_columns(
        *[pl.col(c).fill_null(0).cast(pl.Int64) for c in zero_fill],
        pl.col("quoted_words").fill_null(0.0),
        pl.coalesce("_doc_words", "_sent_words").alias("n_words"),
    )
    out = out.with_columns(
        *[_ratio(f"n_{k}", "n_words", 1000.0).alias(f"{k}_per_1k_words") for k in schema.CUE_KINDS],
        _ratio("n_attributed_sentences", "n_sentences").alias("attribution_density"),
        pl.when(pl.col("n_words") > 0)
        .then(pl.min_horizontal(pl.col("quoted_words") / pl.col("n_words"), pl.lit(1.0)))
        .otherwise(None)
        .alias("quote_share"),
        _ratio("_named", "n_quotes").alias("named_source_share"),
        (pl.col("_anon_q") + pl.col("_anon_c")).alias("anonymous_sources"),
        _ratio("_loaded_n", "n_quotes").alias("loaded_verb_share"),
        _ratio("_sent_words", "n_sentences").alias("mean_sentence_words"),
    )
    # unmeasured documents (if any): every measure null
    measures = [
        c
        for c in list(schema.METRICS) + list(EXTRA_COLUMNS)
        if c not in ("doc_id", "outlet", "n_words") and c not in schema.READABILITY_COLUMNS and c != "readability_note"
    ]
    if "measured" in documents.columns and not documents["measured"].fill_null(False).all():
        out = out.with_columns(*[pl.when(pl.col("_measured")).then(pl.col(c)).otherwise(None).alias(c) for c in measures])
    read = readability.lazy().select("doc_id", *schema.READABILITY_COLUMNS, "readability_note")
    out = out.join(read, on="doc_id", how="left", maintain_order="left")
    # schema.conform(out, full).select(list(full)) inside the query: every column of full is in out by now
    full = {**schema.METRICS, **EXTRA_COLUMNS}
    return _collect(out.select([pl.col(name).cast(dtype) for name, (dtype, _) in full.items()]))
