"""Writing frames to disk: Parquet, CSV (formula-safe) or JSON lines.

CSV cells are untrusted article text: a cell that begins with ``= + - @``
(or a tab / carriage return) would run as a formula in a spreadsheet, so it
gets a leading apostrophe. Nested columns (lists) are joined with `` | `` in
CSV. Output is deterministic: same frames, same bytes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from framing.errors import InputError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXTENSIONS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}


def neutralise_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """String and list columns made safe for spreadsheets."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            col = col.cast(pl.List(pl.String)).list.join(" | ")
            dtype = pl.String
        if dtype == pl.String:
            starts = pl.lit(False)
            for p in FORMULA_PREFIXES:
                starts = starts | col.str.starts_with(p)
            col = pl.when(starts).then(pl.lit("'") + col).otherwise(col)
        exprs.append(col.alias(name))
    return frame.select(exprs)


def write_frame(frame: pl.DataFrame, path: Path, *, fmt: str) -> Path:
    if fmt == "parquet":
        frame.write_parquet(path, compression="zstd", statistics=False)
    elif fmt == "csv":
        neutralise_csv(frame).write_csv(path)
    elif fmt == "jsonl":
        frame.write_ndjson(path)
    else:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(EXTENSIONS)}")
    return path


def write_frames(frames: dict[str, pl.DataFrame], out_dir: Path, *, fmt: str = "parquet") -> list[Path]:
    """Write each frame as ``out_dir/<name>.<ext>``; return the paths in name order."""
    if fmt not in EXTENSIONS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(EXTENSIONS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_frame(frames[name], out_dir / f"{name}.{EXTENSIONS[fmt]}", fmt=fmt) for name in sorted(frames)]
