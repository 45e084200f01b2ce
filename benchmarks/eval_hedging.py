"""Score the hedging lexicons on CoNLL-2010 Wikipedia (weasel/hedge) training sentences.

A sentence is predicted uncertain when :func:`framing.measures.hedging.match_cues`
finds any ``hedge``, ``distancing`` or ``anonymous_source`` cue in it;
precision, recall and F1 are of the uncertain class (label 1).

The sentences are Penn-Treebank tokenised; they are detokenised first
(-LRB- -> "(", `` and '' -> ", "do n't" -> "don't", space before
punctuation removed) so that the lexicon sees running text.

Usage::

    PYTHONPATH=. python benchmarks/eval_hedging.py [DATASETS_DIR]
    PYTHONPATH=. python benchmarks/eval_hedging.py --per-entry [DATASETS_DIR]
    PYTHONPATH=. python benchmarks/eval_hedging.py --per-term [DATASETS_DIR]

DATASETS_DIR defaults to ../shared/datasets (the folder holding wiki_weasel/).

``--per-entry`` (and ``--per-term``, one row per lower-cased matched term)
prints the lexicographer's audit table, so anyone can check why an entry is
in the lexicon: ``sents`` (sentences where it fires), ``tp``/``fp`` (of
those, gold uncertain / certain), ``precision``, ``sole_tp``/``sole_fp``
(sentences where it is the only counted cue, i.e. what removing it would
change) and ``f1_without`` (the overall F1 if the entry were removed).
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


COUNTED_KINDS = ("hedge", "distancing", "anonymous_source")


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def per_entry(dataset_dir: str | Path, *, by: str = "lexicon_id") -> pl.DataFrame:
    """Audit table: one row per lexicon entry (``by="lexicon_id"``) or per matched term (``by="term"``).

    Columns: key, sents, tp, fp, precision, sole_tp, sole_fp, f1_without;
    sorted by sents descending, then key.
    """
    frame = load(dataset_dir)
    scored, cues = predict(frame)
    gold = scored.select("doc_id", (pl.col("label") == 1).alias("gold"))
    n_gold = int(gold["gold"].sum())
    hits = cues.filter(pl.col("kind").is_in(COUNTED_KINDS))
    key = pl.col("term").str.to_lowercase().str.replace_all(r"\s+", " ") if by == "term" else pl.col(by)
    hits = hits.select("doc_id", key.alias("key")).unique().join(gold, on="doc_id")
    n_keys = hits.group_by("doc_id").agg(pl.col("key").n_unique().alias("_n"))
    hits = hits.join(n_keys, on="doc_id")
    tp_all = int(hits.filter(pl.col("gold")).select("doc_id").n_unique())
    fp_all = int(hits.filter(~pl.col("gold")).select("doc_id").n_unique())
    table = hits.group_by("key").agg(
        pl.len().alias("sents"),
        pl.col("gold").sum().cast(pl.Int64).alias("tp"),
        (~pl.col("gold")).sum().cast(pl.Int64).alias("fp"),
        (pl.col("gold") & (pl.col("_n") == 1)).sum().cast(pl.Int64).alias("sole_tp"),
        (~pl.col("gold") & (pl.col("_n") == 1)).sum().cast(pl.Int64).alias("sole_fp"),
    )
    f1_without = [
        round(_f1(tp_all - st, fp_all - sf, n_gold - tp_all + st), 4)
        for st, sf in zip(table["sole_tp"].to_list(), table["sole_fp"].to_list())
    ]
    return (
        table.with_columns(
            (pl.col("tp") / pl.col("sents")).round(3).alias("precision"),
            pl.Series("f1_without", f1_without, dtype=pl.Float64),
        )
        .select("key", "sents", "tp", "fp", "precision", "sole_tp", "sole_fp", "f1_without")
        .sort(["sents", "key"], descending=[True, False])
    )


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
    flags = [a for a in argv[1:] if a.startswith("--")]
    args = [a for a in argv[1:] if not a.startswith("--")]
    where = args[0] if args else default
    unknown = set(flags) - {"--per-entry", "--per-term"}
    if unknown:
        print(f"unknown option(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if flags:
        table = per_entry(where, by="term" if "--per-term" in flags else "lexicon_id")
        with pl.Config(tbl_rows=-1, tbl_width_chars=160, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
            print(table)
        return 0
    result = evaluate(where)
    for k, v in result.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
