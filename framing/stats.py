"""Honest statistics for outlet comparisons: seeded bootstrap intervals.

Outlet-level figures are means over documents (each document weighs the
same), with percentile bootstrap intervals from a seeded generator, so the
same input gives the same interval. With fewer than ``MIN_DOCS`` documents
or ``MIN_WORDS`` words the figures are shown but not ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

MIN_DOCS = 3
MIN_WORDS = 1500
N_RESAMPLES = 2000
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean with its percentile bootstrap interval and the count it rests on."""

    mean: float | None
    lo: float | None
    hi: float | None
    n: int

    def as_dict(self, digits: int = 4) -> dict:
        r = (lambda v: None if v is None else round(float(v), digits))
        return {"mean": r(self.mean), "lo": r(self.lo), "hi": r(self.hi), "n": self.n}


def _clean(values) -> np.ndarray:
    arr = np.asarray([v for v in values if v is not None], dtype=float)
    return arr[np.isfinite(arr)]


def bootstrap_mean_ci(values, *, seed: int, n_resamples: int = N_RESAMPLES, level: float = LEVEL) -> Estimate:
    """Mean of ``values`` (nulls dropped) with a percentile bootstrap interval.

    One value: the interval is null (nothing to resample). No values: all null.
    """
    arr = _clean(values)
    if arr.size == 0:
        return Estimate(None, None, None, 0)
    mean = float(arr.mean())
    if arr.size == 1:
        return Estimate(mean, None, None, 1)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(n_resamples, arr.size))
    means = arr[idx].mean(axis=1)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    return Estimate(mean, float(lo), float(hi), int(arr.size))


def bootstrap_diff_ci(a, b, *, seed: int, n_resamples: int = N_RESAMPLES, level: float = LEVEL) -> Estimate:
    """Difference of means (a − b) with a percentile bootstrap interval; n = min(len a, len b)."""
    xa, xb = _clean(a), _clean(b)
    if xa.size == 0 or xb.size == 0:
        return Estimate(None, None, None, int(min(xa.size, xb.size)))
    diff = float(xa.mean() - xb.mean())
    if xa.size < 2 or xb.size < 2:
        return Estimate(diff, None, None, int(min(xa.size, xb.size)))
    rng = np.random.default_rng(seed)
    ma = xa[rng.integers(0, xa.size, size=(n_resamples, xa.size))].mean(axis=1)
    mb = xb[rng.integers(0, xb.size, size=(n_resamples, xb.size))].mean(axis=1)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(ma - mb, [alpha, 1 - alpha])
    return Estimate(diff, float(lo), float(hi), int(min(xa.size, xb.size)))


def enough_data(n_docs: int, n_words: int) -> tuple[bool, str | None]:
    """Whether a group has enough text to rank; otherwise the reason, in words."""
    if n_docs < MIN_DOCS:
        return False, f"only {n_docs} document{'s' if n_docs != 1 else ''} (need {MIN_DOCS} to rank)"
    if n_words < MIN_WORDS:
        return False, f"only {n_words} words (need {MIN_WORDS} to rank)"
    return True, None


def outlet_estimates(metrics: pl.DataFrame, columns: list[str], *, seed: int, group: str = "outlet") -> pl.DataFrame:
    """One row per (outlet, metric): mean, 95% interval, documents, words, whether rankable.

    Outlets are sorted by name; the bootstrap seed is derived from ``seed`` and
    the metric's position so every cell is reproducible on its own.
    """
    rows = []
    frame = metrics.with_columns(pl.col(group).fill_null("(unknown outlet)"))
    groups = frame.group_by(group, maintain_order=True).agg(pl.all()).sort(group)
    for g in groups.iter_rows(named=True):
        n_words = int(sum(w for w in g["n_words"] if w is not None))
        ok, why = enough_data(len(g["doc_id"]), n_words)
        for j, col in enumerate(columns):
            est = bootstrap_mean_ci(g[col], seed=seed + j)
            rows.append(
                {
                    group: g[group],
                    "metric": col,
                    "mean": est.mean,
                    "lo": est.lo,
                    "hi": est.hi,
                    "n_docs": est.n,
                    "n_words": n_words,
                    "rankable": ok,
                    "note": why,
                }
            )
    schema = {
        group: pl.String,
        "metric": pl.String,
        "mean": pl.Float64,
        "lo": pl.Float64,
        "hi": pl.Float64,
        "n_docs": pl.Int64,
        "n_words": pl.Int64,
        "rankable": pl.Boolean,
        "note": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
