"""CPU seconds per stage of the batch function, in one process, over the AllSides articles.

Runs ``framing.engine.analyze_stream_batch`` (what a streaming worker runs) on
every batch of ../shared/datasets/allsides/articles.jsonl in this process
and times each stage function with ``time.process_time()`` (Polars' own
threads included): loading, sentences, attribution, hedging, readability,
actors and sentiment, metrics. The first batch also pays each process's
one-time work (tables, compiled patterns, Polars' first queries).

To compare two commits, check the other one out in a worktree and run this
script alternately with ``PYTHONPATH`` pointing at each tree; the machine's
speed drifts, so alternate and take medians.

usage: python benchmarks/stages.py [--batch-size 200] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FRAMING_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "datasets" / "allsides" / "articles.jsonl"

#: (module, function, label) of the stages timed; the batch function calls each through its module
STAGES = (
    ("framing.corpus.stream", "RawBatch.load", "loading"),
    ("framing.text.sentences", "segment", "sentences"),
    ("framing.measures.attribution", "attribute", "attribution"),
    ("framing.measures.hedging", "match_cues", "hedging"),
    ("framing.measures.readability", "score", "readability"),
    ("framing.measures.actors", "find_actors", "actors and sentiment"),
    ("framing.measures.metrics", "document_metrics", "metrics"),
)


def _timed(fn, label: str, acc: dict):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            acc[label] += time.process_time() - start

    return wrapper


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--limit", type=int, default=None, help="first N batches only")
    a = ap.parse_args(argv)
    if not CORPUS.is_file():
        print(f"corpus not found: {CORPUS} (set FRAMING_SHARED to the folder holding datasets/)", file=sys.stderr)
        return 2
    import importlib

    started = time.process_time()
    from framing.config import AnalysisConfig, LoadConfig
    from framing.corpus.stream import iter_raw_batches
    from framing.engine import analyze_stream_batch

    acc: dict[str, float] = defaultdict(float)
    for module, name, label in STAGES:
        owner = importlib.import_module(module)
        attr = name
        if "." in name:  # a method: wrap it on its class
            cls, attr = name.split(".")
            owner = getattr(owner, cls)
        setattr(owner, attr, _timed(getattr(owner, attr), label, acc))
    load = LoadConfig(text_column="content_original", outlet_column="source", max_bytes=10**10)
    config = AnalysisConfig(jobs=1, batch_size=a.batch_size)
    raws = list(iter_raw_batches([str(CORPUS)], load_config=load, batch_size=a.batch_size))[: a.limit]
    imports = time.process_time() - started
    per_batch = []
    first: dict[str, float] = {}
    for i, raw in enumerate(raws):
        start = time.process_time()
        analyze_stream_batch(raw, load, config)
        per_batch.append(time.process_time() - start)
        if i == 0:
            first = dict(acc)
    total = sum(per_batch)
    print(f"{len(raws)} batches of {a.batch_size} ({CORPUS.name}); imports {imports:.2f} CPU-s; "
          f"batches {total:.2f} CPU-s (first {per_batch[0]:.2f})")
    print(f"{'stage':24s} {'all batches':>12s} {'first batch':>12s}")
    for label in sorted(acc, key=lambda k: -acc[k]):
        print(f"{label:24s} {acc[label]:12.3f} {first.get(label, 0.0):12.3f}")
    other = total - sum(acc.values())
    print(f"{'other (frames, sorting)':24s} {other:12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
