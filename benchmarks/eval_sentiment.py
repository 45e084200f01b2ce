"""Evaluate framing.target_sentiment on NewsMTSC dev (rw and mt): macro-F1 over negative/neutral/positive.

Usage::

    PYTHONPATH=. python benchmarks/eval_sentiment.py [DATASETS_DIR]
    PYTHONPATH=. python benchmarks/eval_sentiment.py --train [DATASETS_DIR]
    PYTHONPATH=. python benchmarks/eval_sentiment.py --speed [DATASETS_DIR]

``--train`` adds NewsMTSC ``train.jsonl`` (7,758 sentences / 8,739 targets,
the split the rules and weights are tuned on): every change must hold up there
too, not only on the small dev splits. ``train_multi`` is its sentences with at
least two targets (the multi-target shape of mt dev).

``--speed`` times target-sentiment scoring on NewsMTSC train
(:func:`framing.measures.sentiment.target_score` per target, targets/s, once
with an empty sentence-valence cache and once with it filled) and
``find_actors`` on the first 300 allsides articles by doc_id (segment +
attribute untimed, then find_actors timed; words/s).

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


def load_train(dataset_dir: str | Path, *, multi: bool = False) -> list[dict]:
    """NewsMTSC train as one row per target (``sentence``, ``from``, ``to``, ``polarity`` -1/0/1), like the dev files.

    ``multi=True`` keeps only sentences with at least two targets.
    """
    rows = []
    with (Path(dataset_dir) / "newsmtsc" / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            if multi and len(d["targets"]) < 2:
                continue
            for t in d["targets"]:
                rows.append({"sentence": d["sentence_normalized"], "from": t["from"], "to": t["to"],
                             "polarity": int(t["polarity"]) // 2 - 2})  # 2.0 / 4.0 / 6.0 -> -1 / 0 / 1
    return rows


def evaluate(dataset_dir: str | Path, *, train: bool = False) -> dict:
    """Macro-F1 of target_sentiment(label=True) and of the whole-sentence VADER baseline on each dev split.

    ``train=True`` adds NewsMTSC train (all targets) and its multi-target sentences (``train_multi``).
    """
    from framing.measures.sentiment import target_sentiment, vader_compound

    out: dict = {}
    splits = {"rw": None, "mt": None}
    if train:
        splits.update(train=load_train(dataset_dir), train_multi=load_train(dataset_dir, multi=True))
    for split, rows in splits.items():
        rows = load_split(dataset_dir, split) if rows is None else rows
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


def speed(dataset_dir: str | Path, n_docs: int = 300) -> dict:
    """Throughput of batch target-sentiment scoring (NewsMTSC train) and of find_actors (allsides)."""
    import time

    import polars as pl

    import framing
    from framing.config import AnalysisConfig
    from framing.lexicons import load_lexicons
    from framing.measures import actors, attribution
    from framing.measures import sentiment as sent
    from framing.text import sentences as sentences_mod

    rows = [(r["sentence"], r["from"], r["to"]) for r in load_train(dataset_dir)]
    sent._model()
    sent._analyzer()
    sent._VALENCE_CACHE.clear()
    t0 = time.perf_counter()
    scores = [sent.target_score(t, a, b) for t, a, b in rows]
    t1 = time.perf_counter()
    again = [sent.target_score(t, a, b) for t, a, b in rows]  # sentence valences cached
    t2 = time.perf_counter()
    assert again == scores
    out = {"newsmtsc_train": {"targets": len(rows), "targets_per_s": round(len(rows) / (t1 - t0)),
                              "targets_per_s_cached_valences": round(len(rows) / (t2 - t1))}}

    docs = framing.load_corpus(str(Path(dataset_dir) / "allsides" / "articles.jsonl")).documents
    docs = docs.sort("doc_id").head(n_docs).filter(pl.col("measured"))
    sentences = sentences_mod.segment(docs)
    quotes, _, sentences = attribution.attribute(docs, sentences, lexicons=load_lexicons(()))
    cfg = AnalysisConfig()
    words = sum(len(t.split()) for t in docs["text"].to_list())
    actors.find_actors(docs.head(5), sentences, quotes, config=cfg)  # warm caches (lexicons, gazetteer)
    t0 = time.perf_counter()
    mentions = actors.find_actors(docs, sentences, quotes, config=cfg)[0]
    dt = time.perf_counter() - t0
    out["allsides_find_actors"] = {"docs": docs.height, "words": words, "mentions": mentions.height,
                                   "seconds": round(dt, 3), "words_per_s": round(words / dt)}
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--speed", "--train")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    print(json.dumps(speed(root) if "--speed" in sys.argv else evaluate(root, train="--train" in sys.argv), indent=2))
