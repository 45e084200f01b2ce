"""Score the attribution ledger on PolNeAR dev or train (cue, source and content spans).

Usage (from the project root)::

    PYTHONPATH=. python benchmarks/eval_polnear.py [DATASET_DIR] [--split dev|train]

``--split train`` scores the 840 train articles (the split the lexicons and
rules were tuned on; use it to check that a change helps beyond dev).

DATASET_DIR defaults to ``../shared/datasets/polnear``. Gold spans are the
``Source``, ``Cue`` and ``Content`` text-bound annotations (``T`` lines,
discontinuous fragments ``a b;c d`` kept as one span). Where several
annotators annotated an article, the alphabetically first annotation file is
used (deterministic). Matching is by overlap: a predicted span is a true
positive for precision when it overlaps any gold span of the same role; a
gold span counts as recalled when any predicted span of that role overlaps
it. Predictions are the ledger's ``cue_start:cue_end``, ``source_start:
source_end`` and ``start:end`` (rows without a cue, i.e. continuations,
contribute content only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

ROLES = ("cue", "source", "content")


def read_gold(ann_path: Path) -> dict[str, list[list[tuple[int, int]]]]:
    """Gold spans per role from a brat .ann file: role -> list of fragment lists."""
    gold: dict[str, list[list[tuple[int, int]]]] = {r: [] for r in ROLES}
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        label, _, offsets = parts[1].partition(" ")
        role = label.lower()
        if role not in gold:
            continue
        frags = []
        for frag in offsets.split(";"):
            a, b = frag.split()
            frags.append((int(a), int(b)))
        gold[role].append(frags)
    return gold


def load_split(dataset_dir: str | Path, split: str = "dev") -> tuple[pl.DataFrame, dict[str, dict]]:
    """Documents frame (doc_id, text) and gold spans per doc for one split."""
    root = Path(dataset_dir) / split
    texts = {p.stem: p for p in sorted((root / "text").glob("*.txt"))}
    anns: dict[str, Path] = {}
    for p in sorted((root / "attributions").glob("*.ann")):
        stem = p.stem.rsplit("_", 1)[0]
        if stem in texts and stem not in anns:
            anns[stem] = p
    ids = sorted(anns)
    docs = pl.DataFrame(
        {"doc_id": ids, "text": [texts[i].read_text(encoding="utf-8") for i in ids]},
        schema={"doc_id": pl.String, "text": pl.String},
    )
    return docs, {i: read_gold(anns[i]) for i in ids}


def _overlaps(a: tuple[int, int], frags: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in frags)


def score(predicted: dict[str, dict[str, list[tuple[int, int]]]], gold: dict[str, dict]) -> dict[str, dict[str, float]]:
    """P/R/F1 per role from predicted spans and gold fragment lists, matched by overlap."""
    out: dict[str, dict[str, float]] = {}
    for role in ROLES:
        tp_p = n_p = tp_g = n_g = 0
        for doc_id, g in gold.items():
            preds = predicted.get(doc_id, {}).get(role, [])
            golds = g[role]
            n_p += len(preds)
            n_g += len(golds)
            tp_p += sum(1 for p in preds if any(_overlaps(p, frags) for frags in golds))
            tp_g += sum(1 for frags in golds if any(_overlaps(p, frags) for p in preds))
        p = tp_p / n_p if n_p else 0.0
        r = tp_g / n_g if n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[role] = {"precision": p, "recall": r, "f1": f, "predicted": n_p, "gold": n_g}
    return out


def evaluate(dataset_dir: str | Path, split: str = "dev") -> dict[str, dict[str, float]]:
    """Run segmentation + attribution on a PolNeAR split and score cue/source/content spans."""
    from framing.lexicons import load_lexicons
    from framing.measures.attribution import attribute
    from framing.text.sentences import segment

    docs, gold = load_split(dataset_dir, split)
    sentences = segment(docs)
    quotes, _cues, _sents = attribute(docs, sentences, lexicons=load_lexicons())
    predicted: dict[str, dict[str, list[tuple[int, int]]]] = {d: {r: [] for r in ROLES} for d in gold}
    for row in quotes.iter_rows(named=True):
        p = predicted[row["doc_id"]]
        if row["cue_start"] is not None:
            p["cue"].append((row["cue_start"], row["cue_end"]))
        if row["source_start"] is not None:
            p["source"].append((row["source_start"], row["source_end"]))
        p["content"].append((row["start"], row["end"]))
    return score(predicted, gold)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset_dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "datasets" / "polnear"))
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    args = ap.parse_args(argv)
    res = evaluate(args.dataset_dir, args.split)
    for role, m in res.items():
        print(f"{role:8} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}  (predicted {m['predicted']}, gold {m['gold']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
