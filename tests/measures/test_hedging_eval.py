"""Regression guard for the CoNLL-2010 Wikipedia uncertain-sentence evaluation (dev data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("eval_hedging", ROOT / "benchmarks" / "eval_hedging.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.dataset
def test_conll2010_wikipedia_floor(datasets_dir):
    result = _module().evaluate(datasets_dir)
    assert result["sentences"] == 7363
    # lexicons 1.0.0: P 0.4875, R 0.7400, F1 0.5878; lexicons 1.1.0: P 0.5150, R 0.7668, F1 0.6161; + 'may' scope rule: P 0.5173, R 0.7663, F1 0.6176; + claim-sense rule: P 0.5186, R 0.7663, F1 0.6186;
    # hedges 1.3.0 modal senses: P 0.5239, R 0.7658, F1 0.6222; + other word senses, 'certain': P 0.5309, R 0.7654, F1 0.6269;
    # distancing 1.3.0: unchanged; anonymous_sources 1.2.0: P 0.5339, R 0.7691, F1 0.6303
    assert result["f1"] >= 0.630
    assert result["recall"] >= 0.765
    assert result["precision"] >= 0.533


def test_detokenise():
    import polars as pl

    mod = _module()
    s = pl.Series(["He do n't know -LRB- yet -RRB- , `` he said '' ."])
    out = pl.select(mod.detokenise(pl.lit(s))).to_series()[0]
    assert out == 'He don\'t know (yet), " he said ".'
