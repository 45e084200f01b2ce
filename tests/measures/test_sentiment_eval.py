"""NewsMTSC dev evaluation of target_sentiment: a regression guard (floors just under the measured figures).

Measured (PYTHONPATH=. python benchmarks/eval_sentiment.py): rw 0.6422, mt 0.5756 macro-F1
(with muted topic words; before them rw 0.6370, mt 0.5682; before the role rules rw 0.6226, mt 0.5537);
whole-sentence VADER ±0.3: rw 0.5419, mt 0.5487.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _evaluate():
    spec = importlib.util.spec_from_file_location("eval_sentiment", ROOT / "benchmarks" / "eval_sentiment.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.dataset
def test_newsmtsc_dev_macro_f1_floors(datasets_dir):
    if not (datasets_dir / "newsmtsc").is_dir():
        pytest.skip("newsmtsc not present")
    res = _evaluate().evaluate(datasets_dir)
    assert res["rw"]["n"] == 343 and res["mt"]["n"] == 442
    assert res["rw"]["macro_f1"] >= 0.638
    assert res["mt"]["macro_f1"] >= 0.570
    # the clause-window method beats whole-sentence VADER on both splits
    assert res["rw"]["macro_f1"] > res["rw"]["baseline_sentence_vader_macro_f1"]
    assert res["mt"]["macro_f1"] > res["mt"]["baseline_sentence_vader_macro_f1"]


def test_macro_f1_helper():
    mod = _evaluate()
    assert mod.macro_f1(["negative", "neutral", "positive"], ["negative", "neutral", "positive"]) == 1.0
    assert mod.macro_f1(["negative", "negative"], ["positive", "positive"]) == 0.0
