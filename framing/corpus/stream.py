"""Batched reading of inputs for streaming runs (:func:`framing.engine.run_streaming`).

:func:`iter_raw_batches` walks the inputs (files and folders, found and
ordered exactly as :func:`framing.corpus.ingest.find_files` does) and yields
:class:`RawBatch` objects of at most ``batch_size`` items, reading each file
incrementally so that only one batch of raw input is held at a time:

* ``.jsonl``/``.ndjson``: line by line; a batch holds the raw lines;
* ``.csv``/``.tsv``: row by row (``csv.DictReader`` over the open file);
* ``.parquet``: row slices (Polars reads only the row groups it needs);
* every other file (``.txt``, ``.md``, ``.html``, ``.json`` …): whole files,
  ``batch_size`` files per batch, read by :func:`framing.corpus.ingest.read_file`.

A raw batch is small and picklable; :meth:`RawBatch.load` (run in a worker)
turns it into a documents frame and an errors frame with the corpus
package's own per-record functions (``ingest._rows_to_records`` and
``read_file`` for reading, then the loader's cleaning/metadata/language
steps), so a streamed document is the same row the in-memory loader makes.

Differences from the in-memory loader, by design (bounded memory):

* ``LoadConfig.max_bytes`` limits each record (line, row, slice), not a whole
  JSONL/CSV/Parquet file: streaming exists to read files of any size;
* JSONL lines are decoded as UTF-8 (a byte-order mark on the first line is
  dropped); a line that is not UTF-8 is decoded on its own with the
  loader's charset detection;
* duplicate detection across batches is exact-text only (see
  :func:`framing.engine.finish_streaming`); near-exact duplicates are found
  within a batch.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from framing import schema
from framing.config import LoadConfig

__all__ = ["RawBatch", "iter_raw_batches", "total_input_bytes", "STREAMED_SUFFIXES"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
STREAMED_SUFFIXES = JSONL_SUFFIXES + CSV_SUFFIXES + PARQUET_SUFFIXES


@dataclass
class RawBatch:
    """One batch of raw input, cheap to pickle.

    kind: "jsonl" (items are (line number, line text)), "csv" (items are
        (row number, row dict)), "parquet" (items are (row number, row dict)) or
        "files" (items are ingest ``Found`` entries read whole).
    found: the file the rows come from (None for "files").
    bytes_done: input bytes consumed once this batch is read (for progress/ETA).
    errors: problems met while reading (path, segment, reason).
    """

    index: int
    kind: str
    found: object | None
    items: list = field(default_factory=list)
    bytes_done: int = 0
    errors: list = field(default_factory=list)
    paths: tuple[str, ...] = ()

    def load(self, load_config: LoadConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(documents, errors) for this batch, with the corpus loader's own per-record steps."""
        from framing.corpus import ingest

        records: list = []
        errors: list = list(self.errors)
        if self.kind == "files":
            for found in self.items:
                recs, errs = ingest.read_file(found, load_config)
                records.extend((rec, found.path) for rec in recs)
                errors.extend(errs)
        elif self.kind == "jsonl":
            rows = (_jsonl_row(i, line) for i, line in self.items)
            recs = ingest._rows_to_records(rows, self.found, load_config, "line", errors)
            records = [(rec, self.found.path) for rec in recs]
        else:
            recs = ingest._rows_to_records(iter(self.items), self.found, load_config, "row", errors)
            records = [(rec, self.found.path) for rec in recs]
        return _records_to_frames(records, errors, load_config, self.paths)


def _jsonl_row(i: int, line: str):
    """Same outcome and message as the in-memory JSONL reader for one line."""
    try:
        return i, json.loads(line)
    except json.JSONDecodeError as e:
        return i, f"line {i + 1} is not valid JSON ({e.msg} at column {e.colno}); skipped."


def _records_to_frames(records: list, errors: list, load_config: LoadConfig, paths: tuple[str, ...] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(record, file path) pairs -> (documents, errors) with the in-memory loader's own steps.

    Mirrors the record loop of :func:`framing.corpus.load_corpus`: manifest
    entry and split, cleaning and metadata (``_document``), then language,
    duplicates within the batch, measured flags and counts (``_finish``).
    """
    from framing import corpus as c

    hook = getattr(c, "documents_from_records", None)
    if hook is not None:  # a public hook, when the corpus package offers one
        documents, err = hook(records, errors, config=load_config, paths=list(paths))  # noqa
        return schema.conform(documents, schema.DOCUMENTS), schema.conform(err, schema.ERRORS)
    manifests = _manifests(paths, load_config)
    patterns = c.load_patterns(tuple(load_config.clean_patterns))
    rows: list[dict] = []
    for rec, file_path in records:
        entry, origin = None, None
        for m in manifests:
            entry = m.entry_for(file_path)
            if entry:
                origin = m.origin
                break
        if entry is None:
            rows.append(c._document(rec, {}, [], patterns, None))
            continue
        for piece, mfields, notes in c._split(rec, entry, errors):
            rows.append(c._document(piece, mfields, notes, patterns, origin))
    corpus = c._finish(rows, list(errors), count_measured=False)  # filled from the sentences frame
    return corpus.documents, corpus.errors


def _manifests(paths: tuple[str, ...], load_config: LoadConfig):
    from framing import corpus as c

    return c._manifests(list(paths), load_config) if paths else []


# ---------------------------------------------------------------------------- reading


def total_input_bytes(paths) -> int:
    """Bytes of every input file (for the ETA of a streaming run); 0 when unknown."""
    total = 0
    for given in paths:
        p = Path(given)
        try:
            if p.is_file():
                total += p.stat().st_size
            elif p.is_dir():
                for dirpath, dirnames, filenames in os.walk(p):
                    dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                    total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in filenames if not f.startswith("."))
        except OSError:
            continue
    return total


def _error(found, segment, reason):
    from framing.corpus.ingest import ErrorRow

    return ErrorRow(found.shown, segment, reason)


def _decode_line(raw: bytes, first: bool) -> str:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from framing.corpus.decode import DecodeFailure, decode_bytes

        try:
            return decode_bytes(raw).text
        except DecodeFailure:
            return raw.decode("utf-8", errors="replace")


def _jsonl_items(found, config: LoadConfig) -> Iterator[tuple[object, int]]:
    """(item or error, bytes consumed) for each non-blank line."""
    with open(found.path, "rb") as f:
        for i, raw in enumerate(f):
            size = len(raw)
            if not raw.strip():
                yield None, size
                continue
            if size > config.max_bytes:
                yield _error(found, i, f"line {i + 1} is {size:,} bytes, over the {config.max_bytes:,}-byte limit (LoadConfig.max_bytes); skipped."), size
                continue
            yield (i, _decode_line(raw.rstrip(b"\n"), i == 0)), size


def _csv_items(found, config: LoadConfig) -> Iterator[tuple[object, int]]:
    delimiter = "\t" if found.path.suffix.lower() == ".tsv" else ","
    with open(found.path, "rb") as fb:
        head = fb.read(4096).decode("utf-8", errors="replace")
    first = head.split("\n", 1)[0]
    if delimiter == "," and first.count(";") > first.count(","):
        delimiter = ";"
    csv.field_size_limit(min(2**31 - 1, max(config.max_bytes, 131072)))
    with open(found.path, "rb") as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.DictReader(text, delimiter=delimiter)
        last = 0
        try:
            for i, row in enumerate(reader):
                row.pop(None, None)
                pos = fb.tell()  # buffered: advances by chunks, good enough for progress
                yield (i, row), pos - last
                last = pos
            if not reader.fieldnames:
                yield _error(found, None, "the CSV file has no header row."), 0
        except csv.Error as e:
            yield _error(found, None, f"the CSV file cannot be parsed ({e})."), 0


def _parquet_items(found, config: LoadConfig, batch_size: int) -> Iterator[tuple[object, int]]:
    try:
        lf = pl.scan_parquet(found.path)
        n = lf.select(pl.len()).collect().item()
    except Exception as e:  # polars raises several error types on corrupt files
        yield _error(found, None, f"the Parquet file cannot be read ({type(e).__name__})."), 0
        return
    if n == 0:
        yield _error(found, None, "the Parquet file has no rows."), 0
        return
    size = found.path.stat().st_size
    for offset in range(0, n, batch_size):
        chunk = lf.slice(offset, batch_size).collect()
        share = size * chunk.height // n
        for j, row in enumerate(chunk.to_dicts()):
            yield (offset + j, row), (share if j == 0 else 0)


def iter_raw_batches(paths, *, load_config: LoadConfig | None = None, batch_size: int = 200) -> Iterator[RawBatch]:
    """Yield raw batches of at most ``batch_size`` items over ``paths``, in input order.

    Raises :class:`framing.errors.InputError` for a path that does not exist
    (before anything is yielded). Problems with file contents become error
    rows carried by the batches, never exceptions.
    """
    from framing.corpus import ingest
    from framing.errors import ConfigError

    if batch_size < 1:
        raise ConfigError(f"batch size must be at least 1, got {batch_size}.")
    config = load_config or LoadConfig()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    roots = tuple(str(p) for p in paths)
    found_all, find_errors = ingest.find_files(list(roots))
    index = 0
    done = 0
    pending_errors = list(find_errors)
    whole: list = []

    def flush_files():
        nonlocal index, pending_errors, whole
        batch = RawBatch(index, "files", None, whole, done, pending_errors, roots)
        index += 1
        whole, pending_errors = [], []
        return batch

    for found in found_all:
        suffix = found.path.suffix.lower()
        if suffix not in STREAMED_SUFFIXES:
            whole.append(found)
            try:
                done += found.path.stat().st_size
            except OSError:
                pass
            if len(whole) >= batch_size:
                yield flush_files()
            continue
        try:
            size = found.path.stat().st_size
        except OSError as e:
            pending_errors.append(_error(found, None, f"the file cannot be read: {e.strerror}."))
            continue
        if size == 0:
            pending_errors.append(_error(found, None, "the file is empty."))
            continue
        if suffix in JSONL_SUFFIXES:
            items = _jsonl_items(found, config)
            kind = "jsonl"
        elif suffix in CSV_SUFFIXES:
            items = _csv_items(found, config)
            kind = "csv"
        else:
            items = _parquet_items(found, config, batch_size)
            kind = "parquet"
        rows: list = []
        any_rows = False
        start = done
        for item, consumed in items:
            done += consumed
            if item is None:
                continue
            if not isinstance(item, tuple):  # an ErrorRow
                pending_errors.append(item)
                continue
            rows.append(item)
            any_rows = True
            if len(rows) >= batch_size:
                yield RawBatch(index, kind, found, rows, done, pending_errors, roots)
                index += 1
                rows, pending_errors = [], []
        done = start + size
        if rows:
            yield RawBatch(index, kind, found, rows, done, pending_errors, roots)
            index += 1
            pending_errors = []
        elif not any_rows and kind == "jsonl" and not pending_errors:
            pending_errors.append(_error(found, None, "the file holds only whitespace."))
    if whole or pending_errors:
        yield flush_files()
