"""Evaluate framing.target_sentiment on NewsMTSC dev (rw and mt): macro-F1 over negative/neutral/positive.

Usage::

    PYTHONPATH=. python benchmarks/eval_sentiment.py [DATASETS_DIR]

DATASETS_DIR holds ``newsmtsc/`` (default: ../shared/datasets). The flattened
``newsmtsc-{rw,mt}-hf-dev.jsonl`` files give one target per line with
``sentence``, ``from``/``to`` (character offsets, end exclusive) and
``polarity`` -1/0/1. Also reports whole-sentence VADER with a ±0.3 band as the
naive baseline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABELS = ("negative", "neutral", "positive")
_POLARITY = {-1: "negative", 0: "neutral", 1: "positive"}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-averaged F1 over LABELS (a label with no gold and no predicted items scores 0)."""
    scores = []
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def load_split(dataset_dir: str | Path, split: str) -> list[dict]:
    path = Path(dataset_dir) / "newsmtsc" / f"newsmtsc-{split}-hf-dev.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(dataset_dir: str | Path) -> dict:
    """Macro-F1 of target_sentiment(label=True) and of the whole-sentence VADER baseline on each dev split."""
    from framing.measures.sentiment import target_sentiment, vader_compound

    out: dict = {}
    for split in ("rw", "mt"):
        rows = load_split(dataset_dir, split)
        gold = [_POLARITY[int(r["polarity"])] for r in rows]
        pred = [target_sentiment(r["sentence"], r["from"], r["to"], label=True) for r in rows]
        base = [
            "neutral" if s is None or abs(s) < 0.3 else ("positive" if s > 0 else "negative")
            for s in vader_compound(r["sentence"] for r in rows)
        ]
        out[split] = {
            "n": len(rows),
            "macro_f1": round(macro_f1(gold, pred), 4),
            "baseline_sentence_vader_macro_f1": round(macro_f1(gold, base), 4),
        }
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    print(json.dumps(evaluate(root), indent=2))
