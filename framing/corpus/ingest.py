"""Finding input files and reading each format into records.

A :class:`Record` is one would-be document before cleaning: its raw text and
the metadata its container gave (front matter, columns, HTML metadata).
Every problem becomes an :class:`ErrorRow` (path, segment, reason); reading
never raises for bad file content, only :class:`framing.errors.InputError`
for a path that does not exist.

Formats: ``.txt``/``.md`` (YAML front matter), ``.html``/``.htm``
(trafilatura, offline), ``.json`` (list of objects, or an object holding one
under ``articles``/``documents``/``items``/``data``/``records``/``results``),
``.jsonl``/``.ndjson``, ``.csv``/``.tsv``, ``.parquet``. Other extensions are
read as text when they decode as text, else listed in errors. Hidden files
and folders (name starting with '.') and ``.toml`` files (manifests, actors,
lexicons: configuration) are skipped when walking a folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from framing.config import LoadConfig
from framing.corpus.decode import DecodeFailure, binary_kind, decode_bytes
from framing.corpus.manifest import MANIFEST_NAMES
from framing.corpus.metadata import parse_date
from framing.errors import InputError

__all__ = [
    "Record",
    "ErrorRow",
    "Found",
    "find_files",
    "read_file",
    "COLUMN_CANDIDATES",
    "TEXT_EXTENSIONS",
    "HTML_EXTENSIONS",
]

TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSON_EXTENSIONS = (".json",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
CSV_EXTENSIONS = (".csv", ".tsv")
PARQUET_EXTENSIONS = (".parquet", ".pq")
# Skipped when walking folders: the project's own configuration files
# (manifest.toml, actors.toml, lexicon and cleaning-pattern files) live next to
# the articles. Given explicitly, such a file is reported in errors.
CONFIG_EXTENSIONS = (".toml",)

# Common column / key names, in order of preference (matched case-insensitively).
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "content_original", "article", "full_text", "fulltext",
             "maintext", "article_text", "story", "raw_text"),
    "outlet": ("outlet", "source", "publisher", "source_name", "site_name", "sitename", "publication",
               "media", "media_outlet", "newspaper"),
    "date": ("date", "published", "publish_date", "published_at", "publication_date", "pubdate",
             "date_publish", "published_date", "datetime", "date_published", "created_at"),
    "title": ("title", "headline", "heading"),
    "author": ("author", "authors", "byline", "creator", "creators"),
    "url": ("url", "link", "href", "uri", "source_url", "article_url"),
    "kind": ("kind", "genre"),
    "language": ("language", "lang"),
}
_CONFIG_COLUMN = {
    "text": "text_column",
    "outlet": "outlet_column",
    "date": "date_column",
    "title": "title_column",
    "author": "author_column",
    "url": "url_column",
}
_JSON_LIST_KEYS = ("articles", "documents", "items", "data", "records", "results", "rows")


@dataclass
class Record:
    source_path: str  # as given / found
    rel: str  # posix path relative to the input root (doc_id basis)
    segment: int
    text: str
    fields: dict[str, object] = field(default_factory=dict)  # from the container
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    removed: list[str] = field(default_factory=list)  # removed before cleaning (e.g. front matter)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorRow:
    path: str
    segment: int | None
    reason: str


@dataclass(frozen=True)
class Found:
    """An input file: the path to show, its path relative to its input root, the root."""

    shown: str
    rel: str
    path: Path
    root: Path


def _shown(given: str, rel: str | None) -> str:
    base = given.replace(os.sep, "/")
    if rel is None:
        return base
    return (base.rstrip("/") + "/" + rel) if base not in ("", ".") else rel


def find_files(paths: list[str | Path]) -> tuple[list[Found], list[ErrorRow]]:
    """Files under ``paths`` (recursive, sorted by relative path; each file once).

    Raises InputError for a path that does not exist.
    """
    found: list[Found] = []
    errors: list[ErrorRow] = []
    seen: set[Path] = set()
    for given in paths:
        given_s = str(given)
        p = Path(given)
        if not p.exists():
            raise InputError(f"input path {given_s} does not exist.")
        if p.is_file():
            resolved = p.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(Found(given_s.replace(os.sep, "/"), p.name, p, p.resolve().parent))
            continue
        if not p.is_dir():
            errors.append(ErrorRow(given_s, None, "the path is neither a regular file nor a folder."))
            continue
        root = p
        items: list[tuple[str, Path]] = []

        def onerror(err: OSError, _errors=errors):
            _errors.append(ErrorRow(str(err.filename or given_s), None, f"the folder cannot be read: {err.strerror}."))

        for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith("."):
                    continue
                full = Path(dirpath) / name
                rel = full.relative_to(root).as_posix()
                if (name in MANIFEST_NAMES and "/" not in rel) or name.lower().endswith(CONFIG_EXTENSIONS):
                    continue  # manifests, actor/lexicon/pattern files: configuration, not articles
                items.append((rel, full))
        for rel, full in sorted(items):
            resolved = full.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            found.append(Found(_shown(given_s, rel), rel, full, root.resolve()))
    return found, errors


# ---------------------------------------------------------------- values


def _text_value(value) -> str | None:
    """A cell as text: lists joined with '; ', objects by their name/title."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, (list, tuple)):
        parts = [_text_value(v) for v in value]
        joined = "; ".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value"):
            if key in value:
                return _text_value(value[key])
        return None
    if isinstance(value, bytes):
        return None
    text = str(value).strip()
    return text or None


def _field_value(name: str, value, label: str, rec: Record) -> None:
    if name == "date":
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        parsed = parse_date(value) if isinstance(value, (str, dt.date)) else None
        if parsed is None:
            rec.notes.append(f"date: {label} value {str(value)[:60]!r} is not an explicit date; left null")
            return
        rec.fields["date"] = parsed
    else:
        text = _text_value(value)
        if text is None:
            return
        rec.fields[name] = text
    rec.sources[name] = label


def _mapping(columns: list[str], config: LoadConfig) -> tuple[dict[str, str], str | None]:
    """field -> column; or an error message when a configured column is missing."""
    lower = {}
    for c in columns:
        lower.setdefault(str(c).lower(), c)
    mapping: dict[str, str] = {}
    for name, candidates in COLUMN_CANDIDATES.items():
        cfg = getattr(config, _CONFIG_COLUMN[name], None) if name in _CONFIG_COLUMN else None
        if cfg:
            if cfg in columns:
                mapping[name] = cfg
            elif cfg.lower() in lower:
                mapping[name] = lower[cfg.lower()]
            else:
                shown = ", ".join(str(c) for c in columns[:20])
                return {}, f"the {_CONFIG_COLUMN[name]} {cfg!r} is not a column of this file (its columns: {shown})."
            continue
        for cand in candidates:
            if cand in lower and lower[cand] not in mapping.values():
                mapping[name] = lower[cand]
                break
    if "text" not in mapping:
        shown = ", ".join(str(c) for c in columns[:20]) or "none"
        return {}, f"no text column found (columns: {shown}); name it with text_column."
    return mapping, None


def _rows_to_records(rows, found: Found, config: LoadConfig, kind: str, errors: list[ErrorRow]) -> list[Record]:
    """rows: iterable of (segment, dict | error message).

    ``segment`` is the 0-based row / line / item index; messages count from 1
    as a person does ("line 2" is segment 1).
    """
    records: list[Record] = []
    mapping: dict[str, str] | None = None
    for segment, row in rows:
        if isinstance(row, str):
            errors.append(ErrorRow(found.shown, segment, row))
            continue
        if not isinstance(row, dict):
            errors.append(ErrorRow(found.shown, segment, f"{kind} {segment + 1} is not an object with named fields."))
            continue
        if mapping is None or mapping.get("text") not in row:
            mapping, problem = _mapping(list(row.keys()), config)
            if problem:
                errors.append(ErrorRow(found.shown, segment, problem))
                mapping = None
                continue
        text_col = mapping["text"]
        text = row.get(text_col)
        text = text if isinstance(text, str) else _text_value(text)
        if not text or not text.strip():
            errors.append(ErrorRow(found.shown, segment, f"{kind} {segment + 1} has no text in column {text_col!r}."))
            continue
        rec = Record(found.shown, found.rel, segment, text)
        for name, col in mapping.items():
            if name != "text":
                _field_value(name, row.get(col), f"column {col!r}", rec)
        records.append(rec)
    return records


# ---------------------------------------------------------------- readers


def _split_front_matter(text: str) -> tuple[dict | None, str, str | None, str | None]:
    """(front matter, body, raw front matter, problem)."""
    stripped = text.lstrip("\ufeff")
    if not stripped.startswith("---"):
        return None, text, None, None
    lines = stripped.split("\n")
    if lines[0].strip() != "---":
        return None, text, None, None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            raw = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            import yaml

            try:
                meta = yaml.safe_load(raw)
            except yaml.YAMLError as e:
                first = str(e).splitlines()[0] if str(e) else "parse error"
                return None, body, raw, f"the YAML front matter cannot be parsed ({first}); read as text without it."
            if meta is None:
                return {}, body, raw, None
            if not isinstance(meta, dict):
                return None, body, raw, "the front matter is not a set of key: value pairs; read as text without it."
            return meta, body, raw, None
    return None, text, None, None


def _read_text(found: Found, text: str, errors: list[ErrorRow]) -> list[Record]:
    meta, body, raw, problem = _split_front_matter(text)
    if problem:
        errors.append(ErrorRow(found.shown, None, problem))
    rec = Record(found.shown, found.rel, 0, body)
    if raw is not None:
        rec.removed.append("front matter: " + " ".join(raw.split())[:300])
    if meta:
        lower = {str(k).lower(): v for k, v in meta.items()}
        for name, candidates in COLUMN_CANDIDATES.items():
            if name == "text":
                continue
            for cand in candidates:
                if cand in lower:
                    _field_value(name, lower[cand], f"front matter '{cand}'", rec)
                    break
    return [rec]


def _read_html(found: Found, text: str, errors: list[ErrorRow]) -> list[Record]:
    try:
        import trafilatura
    except ImportError as e:  # pragma: no cover - broken install
        errors.append(ErrorRow(found.shown, None, f"HTML cannot be read: trafilatura is not importable ({e})."))
        return []
    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # trafilatura/lxml errors on odd markup
        errors.append(ErrorRow(found.shown, None, f"the HTML page cannot be parsed ({type(e).__name__})."))
        return []
    if doc is None:
        errors.append(ErrorRow(found.shown, None, "no main article text found in the HTML page."))
        return []
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = data.get("text") or ""
    if not body.strip():
        errors.append(ErrorRow(found.shown, None, "no main article text found in the HTML page."))
        return []
    rec = Record(found.shown, found.rel, 0, body)
    label = "html metadata (trafilatura)"
    for name, key in (("title", "title"), ("author", "author"), ("date", "date"), ("outlet", "sitename"), ("url", "url")):
        if data.get(key):
            _field_value(name, data[key], label, rec)
    return [rec]


def _read_json(found: Found, text: str, config: LoadConfig, errors: list[ErrorRow]) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        # Maybe it is JSON lines saved as .json.
        if "\n" in text.strip() and text.lstrip().startswith("{"):
            return _read_jsonl(found, text, config, errors)
        errors.append(ErrorRow(found.shown, None, f"the file is not valid JSON (line {e.lineno}: {e.msg})."))
        return []
    if isinstance(data, dict):
        for key in _JSON_LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        errors.append(ErrorRow(found.shown, None, "the JSON holds neither a list of articles nor an article object."))
        return []
    if not data:
        errors.append(ErrorRow(found.shown, None, "the JSON list of articles is empty."))
        return []
    return _rows_to_records(enumerate(data), found, config, "item", errors)


def _jsonl_rows(text: str):
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            yield i, json.loads(line)
        except json.JSONDecodeError as e:
            yield i, f"line {i + 1} is not valid JSON ({e.msg} at column {e.colno}); skipped."


def _read_jsonl(found: Found, text: str, config: LoadConfig, errors: list[ErrorRow]) -> list[Record]:
    return _rows_to_records(_jsonl_rows(text), found, config, "line", errors)


def _read_csv(found: Found, text: str, config: LoadConfig, errors: list[ErrorRow]) -> list[Record]:
    sample = text[:4096]
    delimiter = "\t" if found.path.suffix.lower() == ".tsv" else ","
    if delimiter == "," and sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(","):
        delimiter = ";"
    csv.field_size_limit(min(2**31 - 1, max(config.max_bytes, 131072)))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for i, row in enumerate(reader):
            row.pop(None, None)  # cells beyond the header
            rows.append((i, row))
        header = reader.fieldnames or []
    except csv.Error as e:
        errors.append(ErrorRow(found.shown, None, f"the CSV file cannot be parsed ({e})."))
        return []
    if not header:
        errors.append(ErrorRow(found.shown, None, "the CSV file has no header row."))
        return []
    if not rows:
        errors.append(ErrorRow(found.shown, None, "the CSV file has a header but no rows."))
        return []
    return _rows_to_records(rows, found, config, "row", errors)


def _read_parquet(found: Found, data: bytes, config: LoadConfig, errors: list[ErrorRow]) -> list[Record]:
    import polars as pl

    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as e:  # polars raises several error types on corrupt files
        errors.append(ErrorRow(found.shown, None, f"the Parquet file cannot be read ({type(e).__name__})."))
        return []
    if frame.height == 0:
        errors.append(ErrorRow(found.shown, None, "the Parquet file has no rows."))
        return []
    return _rows_to_records(enumerate(frame.to_dicts()), found, config, "row", errors)


def read_file(found: Found, config: LoadConfig) -> tuple[list[Record], list[ErrorRow]]:
    """Records and error rows for one file; never raises for bad content."""
    errors: list[ErrorRow] = []
    try:
        size = found.path.stat().st_size
    except OSError as e:
        return [], [ErrorRow(found.shown, None, f"the file cannot be read: {e.strerror}.")]
    if size > config.max_bytes:
        return [], [ErrorRow(found.shown, None, f"the file is {size:,} bytes, over the {config.max_bytes:,}-byte limit (LoadConfig.max_bytes).")]
    try:
        data = found.path.read_bytes()
    except OSError as e:
        return [], [ErrorRow(found.shown, None, f"the file cannot be read: {e.strerror}.")]
    if not data:
        return [], [ErrorRow(found.shown, None, "the file is empty.")]
    suffix = found.path.suffix.lower()
    if suffix in CONFIG_EXTENSIONS:
        return [], [ErrorRow(found.shown, None, "the file is a TOML configuration file (manifest, actors, lexicon), not articles.")]
    if suffix in PARQUET_EXTENSIONS:
        return _read_parquet(found, data, config, errors), errors
    try:
        decoded = decode_bytes(data)
    except DecodeFailure as e:
        reason = str(e)
        known = suffix in TEXT_EXTENSIONS + HTML_EXTENSIONS + JSON_EXTENSIONS + JSONL_EXTENSIONS + CSV_EXTENSIONS
        if not known and binary_kind(data) is None:
            reason = f"unsupported file type {suffix or '(no extension)'}, and {reason}"
        return [], [ErrorRow(found.shown, None, reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else "."))]
    if decoded.note:
        errors.append(ErrorRow(found.shown, None, decoded.note + "."))
    text = decoded.text
    if not text.strip():
        return [], errors + [ErrorRow(found.shown, None, "the file holds only whitespace.")]
    if suffix in HTML_EXTENSIONS or (suffix not in TEXT_EXTENSIONS and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))):
        records = _read_html(found, text, errors)
    elif suffix in JSON_EXTENSIONS:
        records = _read_json(found, text, config, errors)
    elif suffix in JSONL_EXTENSIONS:
        records = _read_jsonl(found, text, config, errors)
    elif suffix in CSV_EXTENSIONS:
        records = _read_csv(found, text, config, errors)
    else:
        records = _read_text(found, text, errors)
    for rec in records:
        if decoded.encoding not in ("utf-8",):
            rec.notes.append(f"encoding: {decoded.encoding}")
    return records, errors
