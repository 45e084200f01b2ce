"""PolNeAR dev: cue, source and content span F1 (overlap match) stay above their floors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _evaluator():
    spec = importlib.util.spec_from_file_location("eval_polnear", ROOT / "benchmarks" / "eval_polnear.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.dataset
def test_polnear_dev_floors(datasets_dir):
    polnear = datasets_dir / "polnear"
    assert (polnear / "dev" / "text").is_dir(), f"PolNeAR dev not found at {polnear}"
    res = _evaluator().evaluate(polnear, "dev")
    # measured: cue 0.734 (P 0.758, R 0.712), source 0.703, content 0.822 (see benchmarks/eval_polnear.py)
    assert res["cue"]["f1"] >= 0.725
    assert res["source"]["f1"] >= 0.69
    assert res["content"]["f1"] >= 0.81
    assert res["cue"]["precision"] >= 0.75
