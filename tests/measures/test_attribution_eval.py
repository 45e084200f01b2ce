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
    # measured: cue 0.757 (P 0.797, R 0.720), source 0.728 (P 0.833, R 0.647), content 0.832
    # (see benchmarks/eval_polnear.py; train split: cue 0.747, source 0.706, content 0.821)
    assert res["cue"]["f1"] >= 0.75
    assert res["source"]["f1"] >= 0.72
    assert res["source"]["recall"] >= 0.64
    assert res["content"]["f1"] >= 0.825
    assert res["cue"]["precision"] >= 0.79
