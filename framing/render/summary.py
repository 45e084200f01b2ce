"""Plain-text summaries for the terminal: documents per outlet, languages, errors."""

from __future__ import annotations

import polars as pl


def _table(frame: pl.DataFrame, key: str) -> list[str]:
    counts = (
        frame.with_columns(pl.col(key).fill_null("(unknown)"))
        .group_by(key)
        .len()
        .sort(["len", key], descending=[True, False])
    )
    width = max([len(str(v)) for v in counts[key]] + [4])
    return [f"  {str(k):<{width}}  {n:>5}" for k, n in counts.iter_rows()]


def corpus_summary(corpus) -> str:
    docs, errors = corpus.documents, corpus.errors
    lines = [f"{docs.height} documents, {errors.height} errors"]
    if docs.height:
        lines += ["Documents per outlet:", *_table(docs, "outlet")]
        lines += ["Languages:", *_table(docs, "language")]
        not_measured = docs.filter(~pl.col("measured").fill_null(False))
        if not_measured.height:
            lines.append("Not measured:")
            lines += [f"  {p} [{s}]: {r}" for p, s, r in not_measured.select("source_path", "segment", "not_measured_reason").iter_rows()]
    if errors.height:
        lines.append("Errors:")
        lines += [
            f"  {p}{'' if s is None else f' [{s}]'}: {r}"
            for p, s, r in errors.select("path", "segment", "reason").iter_rows()
        ]
    return "\n".join(lines)


def analysis_summary(result) -> str:
    m = result.metrics
    lines = [corpus_summary(result)]
    if m.height:
        words = int(m["n_words"].fill_null(0).sum())
        lines.append(
            f"Measured: {result.documents.filter(pl.col('measured').fill_null(False)).height} documents, {words} words; "
            f"{result.cues.height} cues, {result.quotes.height} attributions, {result.mentions.height} actor mentions"
        )
    lines += [f"Note: {note}" for note in getattr(result, "notes", ())]
    return "\n".join(lines)
