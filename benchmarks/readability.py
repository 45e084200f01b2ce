"""Readability: speed of the batch path and its agreement with textstat itself.

    python benchmarks/readability.py [--dataset ../shared/datasets/allsides/articles.jsonl]

Prints words/s of ``framing.measures.readability.score`` (CPU time, one
thread) and, for each of the five scores, the largest difference from
textstat 0.7.13 run one text at a time (raw floats and rounded), with the
number of documents that differ. Expected: 0.0 and 0 everywhere.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "1")

import polars as pl  # noqa: E402

import framing  # noqa: E402
from framing.measures import readability  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "allsides" / "articles.jsonl"
NAMES = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "dale_chall")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=DEFAULT)
    args = ap.parse_args()
    corpus = framing.load_corpus(str(args.dataset), max_bytes=10**10)
    docs = corpus.documents
    words = int(docs["n_words"].sum())
    for run in range(3):
        t = time.process_time()
        readability.score(docs)
        dt = time.process_time() - t
        print(f"run {run}: {dt:.2f} s CPU, {words / dt:,.0f} words/s ({'fresh' if run == 0 else 'warm'} cache)")
    texts = docs["text"].fill_null("").to_list()
    fast_raw = readability._batch_scores(pl.Series(texts), rounded=False).rows()
    fast = readability.score_texts(texts)
    ref_raw = readability.reference_scores(texts, rounded=False)
    ref = [tuple(round(v, 4) for v in r) for r in ref_raw]
    for j, name in enumerate(NAMES):
        raw = max(abs(a[j] - b[j]) for a, b in zip(fast_raw, ref_raw))
        n_raw = sum(a[j] != b[j] for a, b in zip(fast_raw, ref_raw))
        rounded = max(abs(a[j] - b[j]) for a, b in zip(fast, ref))
        n_rounded = sum(a[j] != b[j] for a, b in zip(fast, ref))
        print(f"{name:22} raw max diff {raw} ({n_raw} docs)  rounded max diff {rounded} ({n_rounded} docs)")


if __name__ == "__main__":
    main()
