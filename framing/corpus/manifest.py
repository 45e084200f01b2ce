"""The corpus manifest: a TOML file describing each input file (outlet, date,
title, author, url, kind) and, for files holding several articles, where each
article starts (anchored on text a person can read) and which parts are not
articles. See ``seeds/manifest.toml`` for a documented example.

Format::

    [manifest]
    version = 1

    [[file]]
    path = "000_1332569454fa25da.txt"      # relative to the manifest's folder
    outlet = "The National"
    date = 2024-02-09                       # TOML date or "YYYY-MM-DD"
    title = "..."                           # optional
    author = "..."                          # optional
    url = "..."                             # optional
    kind = "news"                           # news | analysis | opinion | other
    language = "en"                         # optional: overrides detection
    note = "free text, kept in metadata_sources"

    [[file]]
    path = "004_5369224af5414d40.txt"
    date = 2024-02-08                       # file-level fields are defaults for parts

      [[file.part]]
      starts_at = "Essential questions about"  # the part starts on the line beginning with this text
      article = false                          # not an article: recorded, not loaded
      note = "navigation line"

      [[file.part]]
      starts_at = "As the war in Gaza continues"
      outlet = "Middle East Institute"

A file with parts becomes one document per article part, with ``segment`` =
the part's position in the file (0-based, counting non-article parts).
A manifest named ``manifest.toml`` in an input folder (or next to an input
file) is used automatically.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from framing.corpus.metadata import parse_date
from framing.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Manifest", "FileEntry", "Part", "load_manifest", "find_manifest", "MANIFEST_NAMES", "FIELDS", "KINDS"]

MANIFEST_NAMES = ("manifest.toml",)
FIELDS = ("outlet", "date", "title", "author", "url", "kind", "language")
KINDS = ("news", "analysis", "opinion", "other")
_PART_KEYS = set(FIELDS) | {"starts_at", "article", "note"}
_FILE_KEYS = set(FIELDS) | {"path", "part", "note"}


@dataclass(frozen=True)
class Part:
    starts_at: str
    article: bool
    fields: tuple[tuple[str, object], ...]
    note: str | None = None


@dataclass(frozen=True)
class FileEntry:
    path: str
    fields: tuple[tuple[str, object], ...]
    parts: tuple[Part, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Manifest:
    origin: str  # the manifest file, as found
    base: Path  # folder the entries' paths are relative to (resolved)
    files: tuple[FileEntry, ...]

    def entry_for(self, path: Path) -> FileEntry | None:
        resolved = path.resolve()
        for entry in self.files:
            if (self.base / entry.path).resolve() == resolved:
                return entry
        return None


def _fields(raw: dict, where: str, allowed: set[str]) -> tuple[tuple[str, object], ...]:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InputError(f"{where} has unknown key(s) {', '.join(unknown)}; use {', '.join(sorted(allowed))}.")
    out = []
    for key in FIELDS:
        if key not in raw or raw[key] in (None, ""):
            continue
        value = raw[key]
        if key == "date":
            if isinstance(value, dt.datetime):
                value = value.date()
            elif not isinstance(value, dt.date):
                parsed = parse_date(str(value))
                if parsed is None:
                    raise InputError(f"{where} has date {value!r}; write it as YYYY-MM-DD.")
                value = parsed
        elif key == "kind":
            if value not in KINDS:
                raise InputError(f"{where} has kind {value!r}; use one of {', '.join(KINDS)}.")
        elif not isinstance(value, str):
            raise InputError(f"{where} has a non-text {key}: {value!r}.")
        out.append((key, value))
    return tuple(out)


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate a manifest; raises InputError with one sentence on problems."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"manifest {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"manifest {path} cannot be read: {e}.") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"manifest {path} is not valid TOML: {e}.") from None
    files = []
    for i, f in enumerate(raw.get("file", [])):
        where = f"manifest {path}, file entry {i + 1}"
        if not isinstance(f, dict) or not isinstance(f.get("path"), str):
            raise InputError(f"{where} needs a 'path'.")
        parts = []
        for j, part in enumerate(f.get("part", [])):
            pwhere = f"{where} ({f['path']}), part {j + 1}"
            if not isinstance(part.get("starts_at"), str) or not part["starts_at"].strip():
                raise InputError(f"{pwhere} needs 'starts_at', the text its first line begins with.")
            parts.append(
                Part(
                    starts_at=part["starts_at"].strip(),
                    article=bool(part.get("article", True)),
                    fields=_fields(part, pwhere, _PART_KEYS),
                    note=part.get("note"),
                )
            )
        files.append(FileEntry(path=f["path"], fields=_fields(f, where, _FILE_KEYS), parts=tuple(parts), note=f.get("note")))
    return Manifest(origin=str(path), base=p.resolve().parent, files=tuple(files))


def find_manifest(folder: Path) -> Path | None:
    """A manifest file directly inside ``folder``, else None."""
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None
