"""An on-disk cache for tables derived from installed packages (start-up speed only).

Every worker process needs the same few tables before its first batch: the
language identifier's model (py3langid ships it LZMA-compressed: ~0.5 s to
unpack), syllable counts from the CMU dictionary, pyphen's hyphenation
patterns, the code-point classes that make Polars split text as Python's
``re`` does. Built from scratch they cost about a second per process; read
back from this cache, a few hundredths.

* Location: ``$FRAMING_CACHE_DIR``, else ``$XDG_CACHE_HOME/framing``, else
  ``~/.cache/framing``. ``FRAMING_CACHE_DIR=off`` turns the cache off (every
  table is then built in memory, as without a writable home).
* An entry is a pure function of its sources, and its file name holds a
  fingerprint of them (package version, source file size and modification
  time, Python and Unicode versions): a new release or a changed file gives
  a new entry, never a stale one. Nothing is downloaded.
* Writes are atomic (temporary file, then rename), so parallel workers can
  fill it at the same time; an unreadable or corrupt entry is rebuilt; a
  cache that cannot be written is skipped silently. Results never depend on
  whether the cache was used (the tests build each table both ways).
* Bounded: a table that has one entry per installation (the language model,
  syllables, hyphenation, VADER's lexicon) keeps its ``keep`` most recently
  written entries (:data:`KEEP`, 2: two environments used in turn share the
  cache without rebuilding); writing a newer one removes the older ones, so
  new releases, reinstalls and fresh virtualenvs (tox) do not pile up
  ~125 MB of language model each. Entries keyed on their content (lexicon
  files and patterns, character classes) are small and are kept.
* Formats: JSON for tables of strings and numbers; whole files (the
  unpacked ``.npz`` model, read with ``allow_pickle=False``, and a float32
  ``.npy`` copy of its scoring table, memory-mapped so that worker processes
  share its pages).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["cache_dir", "fingerprint", "cached_json", "cached_file"]

FORMAT = 1  # bump when the layout of entries changes
KEEP = 2  # entries kept of a table with one entry per installation (see the module docstring)


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (``FRAMING_CACHE_DIR=off``)."""
    given = os.environ.get("FRAMING_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no", "false") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "framing"


def fingerprint(*parts: object, files: Iterable[str | os.PathLike] = ()) -> str:
    """A short hash of ``parts`` (versions, names) and of each file's path, size and modification time."""
    import unicodedata

    h = hashlib.blake2b(digest_size=10)
    for p in (FORMAT, sys.version_info[:2], unicodedata.unidata_version, *parts):
        h.update(repr(p).encode("utf-8") + b"\0")
    for f in files:
        st = os.stat(f)
        h.update(f"{os.fspath(f)}|{st.st_size}|{st.st_mtime_ns}".encode("utf-8") + b"\0")
    return h.hexdigest()


def _entry(name: str, key: str, suffix: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{name}-{key}{suffix}"


def _write_atomic(path: Path, write: Callable[[object], None], mode: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, mode) as f:
                write(f)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # read-only or full disk: the table was built in memory anyway


def _prune(path: Path, name: str, keep: int | None) -> None:
    """After ``path`` (an entry of ``name``) was written: remove all but the ``keep`` most recently
    written entries of ``name``, whatever their key and suffix (``path`` itself is always kept).
    A process still using a removed entry keeps it (POSIX) or finds it gone and builds the table."""
    if keep is None or not path.is_file():
        return
    import re

    own = re.compile(rf"{re.escape(name)}-[0-9a-f]+(?:\.[A-Za-z0-9]+)?")
    entries = []
    try:
        for other in path.parent.iterdir():
            if other != path and own.fullmatch(other.name):
                try:
                    entries.append((other.stat().st_mtime_ns, other.name, other))
                except OSError:
                    pass
    except OSError:
        return
    for _, _, old in sorted(entries, reverse=True)[max(keep - 1, 0):]:
        try:
            old.unlink()
        except OSError:
            pass


def cached_json(name: str, key: str, build: Callable[[], object], *, keep: int | None = None):
    """``build()``'s JSON-serialisable value, read from the cache entry ``name``-``key`` when present.

    ``keep``: when the entry is written, keep only that many entries of ``name`` (:func:`_prune`);
    None keeps every entry (tables with one entry per content, such as each lexicon's)."""
    path = _entry(name, key, ".json")
    if path is not None:
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            pass
    value = build()
    if path is not None:
        _write_atomic(path, lambda f: json.dump(value, f, ensure_ascii=False, separators=(",", ":")), "w")
        _prune(path, name, keep)
    return value


def cached_file(
    name: str, key: str, write: Callable[[object], None], *, suffix: str = "", keep: int | None = None
) -> Path | None:
    """Path of the cache entry ``name``-``key``+``suffix``, written by ``write(binary file)`` when
    missing; None when the cache is off or cannot be written (the caller then builds in memory).
    ``keep`` as for :func:`cached_json`."""
    path = _entry(name, key, suffix)
    if path is None:
        return None
    if path.is_file():
        return path
    _write_atomic(path, write, "wb")
    _prune(path, name, keep)
    return path if path.is_file() else None
