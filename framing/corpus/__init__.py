"""Ingestion: files in, one clean row per article out, nothing lost.

    corpus = load_corpus("seeds/")   # .documents (framing.schema.DOCUMENTS), .errors (schema.ERRORS)

Stages, one module each, in the order data moves:
``ingest`` (find files, read formats) → ``decode`` (bytes to text) →
``manifest`` / ``split`` (multi-article files) → ``clean`` + ``metadata``
(site chrome out, metadata lines read) → ``language`` → ``dedupe``.
``inspect`` suggests where a multi-article file changes article.

Metadata precedence: manifest, then the container (front matter, columns,
HTML metadata), then what the text reveals. Every field's origin is listed in
``metadata_sources`` as ``'field: source'``; disagreements are noted there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from framing import schema
from framing.config import LoadConfig
from framing.corpus.clean import clean_text, load_patterns
from framing.corpus.dedupe import find_duplicates, marks_to_spaces
from framing.corpus.ingest import ErrorRow, Record, find_files, read_file
from framing.corpus.language import detect_languages
from framing.corpus.manifest import FIELDS, Manifest, find_manifest, load_manifest
from framing.corpus.metadata import first_per_field, parse_date
from framing.corpus.split import AnchorNotFound, split_parts
from framing.errors import ConfigError, InputError

__all__ = ["Corpus", "load_corpus", "corpus_from_texts", "doc_id_for"]

WORD_PATTERN = r"[\p{L}\p{N}]+"


@dataclass(frozen=True)
class Corpus:
    """Loaded documents (framing.schema.DOCUMENTS, sorted by doc_id) and the
    inputs that could not be loaded (framing.schema.ERRORS)."""

    documents: pl.DataFrame
    errors: pl.DataFrame


def doc_id_for(rel: str, segment: int) -> str:
    """Stable id: sha256 of '<path relative to its input root>#<segment>', 16 hex chars."""
    return hashlib.sha256(f"{rel}#{segment}".encode("utf-8")).hexdigest()[:16]


def _config(config: LoadConfig | None, manifest, overrides: dict) -> LoadConfig:
    config = config or LoadConfig()
    if manifest is False:
        overrides = {**overrides, "manifest": ""}
    elif manifest is not None:
        overrides = {**overrides, "manifest": str(manifest)}
    if overrides:
        names = {f.name for f in dataclasses.fields(LoadConfig)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise ConfigError(f"unknown load option(s) {', '.join(unknown)}; use {', '.join(sorted(names))}.")
        if "clean_patterns" in overrides and isinstance(overrides["clean_patterns"], (str, Path)):
            overrides["clean_patterns"] = (str(overrides["clean_patterns"]),)
        config = dataclasses.replace(config, **overrides)
    if not isinstance(config.max_bytes, int) or config.max_bytes <= 0:
        raise ConfigError(f"max_bytes must be a positive number of bytes, not {config.max_bytes!r}.")
    return config


def _manifests(paths: list[str | Path], config: LoadConfig) -> list[Manifest]:
    if config.manifest == "":
        return []  # manifest=False: do not look for one
    if config.manifest:
        return [load_manifest(config.manifest)]
    out: list[Manifest] = []
    seen: set[Path] = set()
    for given in paths:
        p = Path(given)
        folder = p if p.is_dir() else p.parent
        found = find_manifest(folder)
        if found and found.resolve() not in seen:
            seen.add(found.resolve())
            out.append(load_manifest(found))
    return out


def _split(rec: Record, entry, errors: list[ErrorRow]) -> list[tuple[Record, dict, list[str]]]:
    """Apply a manifest entry to a record: (record, manifest fields, notes) per article."""
    base = dict(entry.fields)
    notes = [f"note: {entry.note}"] if entry.note else []
    if not entry.parts:
        return [(rec, base, notes)]
    if rec.segment != 0:  # tabular rows are already one article each
        return [(rec, base, notes)]
    try:
        lead, pieces = split_parts(rec.text, entry.parts)
    except AnchorNotFound as e:
        errors.append(ErrorRow(rec.source_path, None, f"{e}; the file is loaded as one document."))
        return [(rec, base, notes)]
    out: list[tuple[Record, dict, list[str]]] = []
    pending = []
    if lead.strip():
        pending.append("text before the first manifest part: " + " ".join(lead.split())[:300])
    for piece in pieces:
        part = piece.part
        if not part.article:
            why = part.note or "marked article = false in the manifest"
            pending.append(f"not an article ({why}): " + " ".join(piece.text.split())[:300])
            continue
        new = Record(
            source_path=rec.source_path,
            rel=rec.rel,
            segment=piece.index,
            text=piece.text,
            fields=dict(rec.fields),
            sources=dict(rec.sources),
            removed=list(rec.removed) + pending,
            notes=list(rec.notes),
        )
        pending = []
        fields = {**base, **dict(part.fields)}
        part_notes = notes + ([f"note: {part.note}"] if part.note else [])
        out.append((new, fields, part_notes))
    if pending and out:
        out[-1][0].removed.extend(pending)
    if not out:
        errors.append(ErrorRow(rec.source_path, None, "the manifest marks every part of this file as not an article."))
    return out


def _describe(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _document(rec: Record, mfields: dict, notes: list[str], patterns, manifest_origin: str | None) -> dict:
    author_hint = mfields.get("author") or rec.fields.get("author")
    cleaned = clean_text(rec.text, patterns=patterns, author=author_hint if isinstance(author_hint, str) else None)
    found = first_per_field(list(cleaned.metadata))
    values: dict[str, object] = {}
    sources: list[str] = []
    for name in FIELDS:
        candidates = []
        if name in mfields:
            candidates.append((mfields[name], "manifest"))
        if name in rec.fields:
            candidates.append((rec.fields[name], rec.sources.get(name, "container")))
        if name in found:
            f = found[name]
            candidates.append((f.value, f"text ({f.reason}: {f.evidence[:80]})"))
        if not candidates:
            continue
        value, origin = candidates[0]
        values[name] = value
        others = [
            f"{o} says {_describe(v)}" if _describe(v) != _describe(value) else f"{o} agrees"
            for v, o in candidates[1:]
        ]
        sources.append(f"{name}: {origin}" + (f"; {'; '.join(others)}" if others else ""))
    sources.extend(notes)
    sources.extend(rec.notes)
    return {
        "doc_id": doc_id_for(rec.rel, rec.segment),
        "outlet": values.get("outlet"),
        "date": values.get("date"),
        "title": values.get("title"),
        "author": values.get("author"),
        "url": values.get("url"),
        "kind": values.get("kind"),
        "language": values.get("language"),
        "language_confidence": None,
        "source_path": rec.source_path,
        "segment": rec.segment,
        "text": cleaned.text,
        "removed": list(rec.removed) + list(cleaned.removed),
        "metadata_sources": sources,
        "duplicate_of": None,
        "derived_from": None,
        "story_id": None,
        "measured": None,
        "not_measured_reason": None,
        "_norm": cleaned.norm,  # for duplicate detection; not a column (_finish takes it out)
    }


def _sentence_counts(texts: list[str]) -> list[int | None]:
    try:
        from framing.text.sentences import split_sentences
    except ImportError:
        return [None] * len(texts)
    out: list[int | None] = []
    for text in texts:
        try:
            out.append(len(split_sentences(text)) if text else 0)
        except Exception:  # a segmenter bug must not lose the document
            out.append(None)
    return out


def _latin1_but_marks(text: str) -> bool:
    """True when ``text`` is Latin-1 (code points below 256) once the common typographic marks
    (dedupe's) are spaces."""
    if text.isascii():
        return True
    try:
        marks_to_spaces(text).encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _word_counts(texts: list[str], norms: list[str | None]) -> pl.Series:
    """``n_words``: the runs of letters and digits (WORD_PATTERN) of each text.

    A text that is Latin-1 once the common typographic marks are spaces, and holds no "_",
    has the words of its duplicate-detection normal form (``norms``: its ``\\w`` runs,
    case-folded, joined by single spaces): among these characters ``\\w`` adds only "_" to
    the letters and digits (é, ß, ½), the marks are neither, and case folding turns a
    letter into letters (ß into ss) and nothing else into one (the tests check each
    character). Their number is the normal form's spaces plus one, counted without a
    regex; Polars counts the other texts.
    """
    counts: list[int | None] = [None] * len(texts)
    rest = []
    for i, (text, norm) in enumerate(zip(texts, norms)):
        if norm is not None and "_" not in text and _latin1_but_marks(text):
            counts[i] = norm.count(" ") + 1 if norm else 0
        else:
            rest.append(i)
    if rest:
        counted = pl.Series([texts[i] for i in rest], dtype=pl.String).str.count_matches(WORD_PATTERN)
        for i, n in zip(rest, counted.to_list()):
            counts[i] = n
    return pl.Series("n_words", counts, dtype=pl.Int64)


def _documents_frame(rows: list[dict], n_words: pl.Series) -> pl.DataFrame:
    """The documents frame (schema.DOCUMENTS) of ``rows`` (one dict per document) and their ``n_words``.

    Built column by column with the schema's types, so Polars infers nothing and ``conform``
    has nothing to cast (~25 % faster than reading the dicts); when a row holds another
    key or a value of another type (a manifest field that is not text, say), the rows are
    read with inference and conformed instead, as they always were.
    """
    names = [name for name in schema.DOCUMENTS if name != "n_words"]
    plain = all(len(r) == len(names) for r in rows) and all(name in rows[0] for name in names)
    # strict Series refuse a value of another type, except that a Date column takes a string
    # or a datetime: dates are checked here
    if plain and all(r["date"] is None or type(r["date"]) is dt.date for r in rows):
        try:
            columns = [
                n_words if name == "n_words" else pl.Series(name, [r[name] for r in rows], dtype=dtype, strict=True)
                for name, (dtype, _) in schema.DOCUMENTS.items()
            ]
        except (TypeError, ValueError, KeyError, OverflowError, pl.exceptions.PolarsError):
            pass
        else:
            return pl.DataFrame(columns)
    frame = pl.DataFrame(rows, schema_overrides={"date": pl.Date, "removed": pl.List(pl.String), "metadata_sources": pl.List(pl.String)}, infer_schema_length=None)
    return schema.conform(frame.with_columns(n_words), schema.DOCUMENTS)


def _finish(rows: list[dict], errors: list[ErrorRow], *, count_measured: bool = True) -> Corpus:
    """Language, duplicates, measured flags, counts; conform and sort.

    ``count_measured=False`` leaves ``n_sentences`` null for measured
    documents: a streaming batch fills it from the sentences frame it builds
    anyway (the same segmenter, so the same counts), instead of segmenting
    every text twice.
    """
    rows = sorted(rows, key=lambda r: (r["source_path"], r["segment"]))
    unknown = [r for r in rows if not r["language"]]
    for r, (lang, confidence) in zip(unknown, detect_languages([r["text"] for r in unknown])):
        r["language"], r["language_confidence"] = lang, confidence
    norms = [r.pop("_norm", None) for r in rows]
    dupes = find_duplicates([(r["doc_id"], r["text"]) for r in rows], norms)
    for r in rows:
        r["duplicate_of"] = dupes.get(r["doc_id"])
        if not r["text"]:
            r["measured"], r["not_measured_reason"] = False, "no text left after cleaning"
        elif r["duplicate_of"]:
            r["measured"], r["not_measured_reason"] = False, f"duplicate of {r['duplicate_of']}"
        elif r["language"] == "und":
            r["measured"], r["not_measured_reason"] = False, "language undetermined (too little text): English measures not applied"
        elif r["language"] != "en":
            r["measured"], r["not_measured_reason"] = False, f"language {r['language']}: English measures not applied"
        else:
            r["measured"] = True
    to_count = rows if count_measured else [r for r in rows if not r["measured"]]
    for r in rows:
        r["n_sentences"] = None
    for r, n in zip(to_count, _sentence_counts([r["text"] for r in to_count])):
        r["n_sentences"] = n
    if rows:
        documents = _documents_frame(rows, _word_counts([r["text"] for r in rows], norms)).sort("doc_id")
    else:
        documents = schema.empty(schema.DOCUMENTS)
    if errors:
        err = pl.DataFrame(
            {"path": [e.path for e in errors], "segment": [e.segment for e in errors], "reason": [e.reason for e in errors]},
            schema={"path": pl.String, "segment": pl.Int64, "reason": pl.String},
        )
        err = schema.conform(err, schema.ERRORS).sort(["path", "segment", "reason"], nulls_last=False)
    else:
        err = schema.empty(schema.ERRORS)
    return Corpus(documents=documents, errors=err)


def load_corpus(paths, *, manifest=None, config: LoadConfig | None = None, **overrides) -> Corpus:
    """Load files and folders (recursively) into a :class:`Corpus`.

    ``paths``: a str/Path or a list of them. ``manifest``: a manifest file
    (default: ``manifest.toml`` next to the inputs; ``False``: use none). ``overrides``: LoadConfig
    fields (``text_column="body"``, ``max_bytes=...``). Raises InputError when
    no path is given or a path does not exist; every problem inside the files
    becomes a row of ``errors``.
    """
    config = _config(config, manifest, overrides)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths or [])
    if not paths:
        raise InputError("no input paths given.")
    found, errors = find_files(paths)
    manifests = _manifests(paths, config)
    patterns = load_patterns(tuple(config.clean_patterns))
    rows: list[dict] = []
    used_entries: set[tuple[str, str]] = set()
    for f in found:
        records, errs = read_file(f, config)
        errors.extend(errs)
        entry, origin = None, None
        for m in manifests:
            entry = m.entry_for(f.path)
            if entry:
                origin = m.origin
                used_entries.add((m.origin, entry.path))
                break
        for rec in records:
            if entry is None:
                rows.append(_document(rec, {}, [], patterns, None))
                continue
            for piece, mfields, notes in _split(rec, entry, errors):
                rows.append(_document(piece, mfields, notes, patterns, origin))
    for m in manifests:
        for entry in m.files:
            if (m.origin, entry.path) not in used_entries and not (m.base / entry.path).exists():
                errors.append(ErrorRow(m.origin, None, f"the manifest lists {entry.path}, which does not exist."))
    return _finish(rows, errors)


def corpus_from_texts(texts: list[str], *, outlet=None, title=None, date=None, language=None) -> Corpus:
    """A corpus from strings (used by framing.analyze_text).

    doc_id: hash of the text and its position; source_path '<text N>'.
    Metadata given here wins over what the text reveals; language is
    detected when None.
    """
    if isinstance(texts, str):
        texts = [texts]
    patterns = load_patterns()
    fields = {}
    if outlet:
        fields["outlet"] = str(outlet)
    if title:
        fields["title"] = str(title)
    if date is not None:
        parsed = parse_date(date)
        if parsed is None:
            raise InputError(f"date {date!r} is not an explicit date; write it as YYYY-MM-DD.")
        fields["date"] = parsed
    if language:
        fields["language"] = str(language)
    rows = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"text {i} is a {type(text).__name__}, not a string.")
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        rec = Record(source_path=f"<text {i}>", rel=f"<text {i}>:{digest}", segment=0, text=text)
        row = _document(rec, {}, [], patterns, None)
        for name, value in fields.items():
            row[name] = value
        row["metadata_sources"] = [f"{n}: given" for n in fields] + [
            s for s in row["metadata_sources"] if s.split(":")[0] not in fields
        ]
        rows.append(row)
    return _finish(rows, [])
