"""Execution engines: map the pure batch function over documents.

``run_local`` splits the documents into batches of ``config.batch_size``
(ordered by doc_id), runs :func:`framing.analysis.analyze_batch` on each, and
concatenates the results in batch order, so the frames do not depend on how
the work was split.
"""

from __future__ import annotations

import polars as pl

from framing import schema
from framing.config import AnalysisConfig

FRAME_SPECS = {
    "sentences": schema.SENTENCES,
    "cues": schema.CUES,
    "quotes": schema.QUOTES,
    "mentions": schema.MENTIONS,
    "actors": schema.ACTORS,
    "metrics": schema.METRICS,
}


def batches(documents: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    docs = documents.sort("doc_id")
    return [docs.slice(i, size) for i in range(0, docs.height, size)] or [docs]


def combine(results: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    from framing.analysis import SORT_KEYS

    out = {}
    for name, spec in FRAME_SPECS.items():
        frames = [r[name] for r in results if r[name].height]
        frame = pl.concat(frames, how="vertical_relaxed") if frames else schema.empty(spec)
        out[name] = schema.conform(frame, spec).sort(SORT_KEYS[name], nulls_last=True, maintain_order=True)
    return out


def run_local(documents: pl.DataFrame, config: AnalysisConfig) -> dict[str, pl.DataFrame]:
    from framing.analysis import analyze_batch

    return combine([analyze_batch(b, config) for b in batches(documents, config.batch_size)])
