"""Score the hedging lexicons on CoNLL-2010 Wikipedia (weasel/hedge) training sentences.

A sentence is predicted uncertain when :func:`framing.measures.hedging.match_cues`
finds any ``hedge``, ``distancing`` or ``anonymous_source`` cue in it;
precision, recall and F1 are of the uncertain class (label 1).

The sentences are Penn-Treebank tokenised; they are detokenised first
(-LRB- -> "(", `` and '' -> ", "do n't" -> "don't", space before
punctuation removed) so that the lexicon sees running text.

Usage::

    PYTHONPATH=. python benchmarks/eval_hedging.py [DATASETS_DIR]

DATASETS_DIR defaults to ../shared/datasets (the folder holding wiki_weasel/).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import polars as pl

_PTB = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}


def detokenise(expr: pl.Expr) -> pl.Expr:
    """Undo Penn Treebank tokenisation, as a Polars expression."""
    out = expr.str.strip_chars()
    for tok, rep in _PTB.items():
        out = out.str.replace_all(re.escape(tok), rep)
    return (
        out.str.replace_all(r"\( ", "(")
        .str.replace_all(r" \)", ")")
        .str.replace_all(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", "$1")
        .str.replace_all(r" ([.,;:!?%])", "$1")
    )


def load(dataset_dir: str | Path) -> pl.DataFrame:
    path = Path(dataset_dir) / "wiki_weasel" / "train.csv"
    frame = pl.read_csv(path, schema_overrides={"text": pl.String, "label": pl.Int64})
    return frame.with_row_index("i").select(
        pl.format("s{}", pl.col("i")).alias("doc_id"), detokenise(pl.col("text")).alias("text"), "label"
    )


def predict(frame: pl.DataFrame, lexicons=None) -> pl.DataFrame:
    """frame (doc_id, text, label) with ``pred`` (bool): any hedge/distancing/anonymous_source cue."""
    from framing.lexicons import load_lexicons
    from framing.measures.hedging import match_cues

    lexicons = lexicons or load_lexicons()
    docs = frame.select("doc_id", "text")
    sents = docs.select("doc_id", pl.lit(0, pl.Int64).alias("sent_id"), pl.lit(0, pl.Int64).alias("start"),
                        pl.col("text").str.len_chars().cast(pl.Int64).alias("end"), "text")
    cues = match_cues(docs, sents, lexicons=lexicons)
    hits = cues.filter(pl.col("kind").is_in(["hedge", "distancing", "anonymous_source"])).select("doc_id").unique()
    return frame.with_columns(pl.col("doc_id").is_in(hits["doc_id"].implode()).alias("pred")), cues


def evaluate(dataset_dir: str | Path) -> dict:
    """Precision, recall and F1 of the uncertain class on CoNLL-2010 Wikipedia train."""
    frame = load(dataset_dir)
    t0 = time.perf_counter()
    scored, _ = predict(frame)
    seconds = time.perf_counter() - t0
    gold = scored["label"] == 1
    pred = scored["pred"]
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "dataset": "CoNLL-2010 Wikipedia train (wiki_weasel/train.csv)",
        "sentences": scored.height,
        "uncertain": int(gold.sum()),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "seconds": round(seconds, 2),
    }


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
    result = evaluate(argv[1] if len(argv) > 1 else default)
    for k, v in result.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
