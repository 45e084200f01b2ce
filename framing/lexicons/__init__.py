"""Lexicons: versioned data files with provenance, loaded and validated here.

A lexicon is a TOML file::

    [lexicon]
    name = "hedges"            # unique name
    version = "1.0.0"
    kind = "hedge"             # cue kind its entries produce (see framing.schema.CUE_KINDS)
    source = "where the terms come from"
    licence = "licence of the list"
    matching = "how terms match (case, word boundaries, inflections)"

    [[entry]]
    term = "may"                       # canonical form
    forms = ["may"]                    # optional: every surface form to match (inflections); default [term]
    category = "modal"
    note = "A modal verb: the writer says something is possible, not certain."
    case_sensitive = false             # optional; true makes 'May' (the month) not match 'may'
    id = "may"                         # optional; default: term with spaces as underscores

Forms are regular-expression-escaped, matched on word boundaries, longest
first, in one compiled pattern per lexicon (for Polars written as a trie of the
forms, shared prefixes factored out, whenever that gives the same matches:
:func:`_trie_pattern`). A form may hold the placeholder
``{W}`` for "any one word" (e.g. ``"people familiar with {W}"``). Loading
validates: required fields, no duplicate forms across entries, no empty
categories, a known kind. User files go through the same checks.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from framing.errors import LexiconError
from framing.schema import CUE_KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ANY_WORD = r"[\w’'-]+"
# ANY_WORD in a Rust pattern: the class is closed under case folding (every character a
# case-insensitive match adds is in it already: the tests check each code point), so ``(?-i:…)``
# inside a ``(?i:…)`` form changes no match; Rust's regex compiler folds a case-insensitive
# Unicode class range by range, about 0.3 ms for each ``{W}`` of a pattern in every process.
_RUST_ANY_WORD = f"(?-i:{ANY_WORD})"
_RUST_META = set("\\.+*?()|[]{}^$#&-~")
_HEADER_FIELDS = ("name", "version", "kind", "source", "licence", "matching")
_KINDS = set(CUE_KINDS) | {"reporting_verb_loaded", "actor", "other"}


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    forms: tuple[str, ...]
    category: str
    note: str
    case_sensitive: bool = False
    extra: tuple[tuple[str, object], ...] = ()

    def get(self, key: str, default=None):
        return dict(self.extra).get(key, default)


@dataclass(frozen=True)
class Lexicon:
    name: str
    version: str
    kind: str
    source: str
    licence: str
    matching: str
    entries: tuple[Entry, ...]
    sha256: str
    origin: str = field(default="builtin")
    description: str = ""

    @cached_property
    def by_form(self) -> dict[str, Entry]:
        """Lower-cased surface form (placeholders kept) -> entry."""
        return {f.lower(): e for e in self.entries for f in e.forms}

    def form_regex(self, form: str) -> str:
        parts = [ANY_WORD if p == "{W}" else re.escape(p) for p in re.split(r"(\{W\})", form) if p]
        body = "".join(parts)
        body = re.sub(r"(\\ )+", r"\\s+", body)
        return body

    def pattern(self, *, case_sensitive_only: bool | None = None) -> str:
        """One alternation over all forms, longest first, on word boundaries.

        ``case_sensitive_only`` selects entries by their ``case_sensitive``
        flag (None: all entries).
        """
        forms = [
            f
            for e in self.entries
            if case_sensitive_only is None or e.case_sensitive == case_sensitive_only
            for f in e.forms
        ]
        if not forms:
            return ""
        forms = sorted(set(forms), key=lambda f: (-len(f), f))
        alts = "|".join(self.form_regex(f) for f in forms)
        return rf"(?:^|(?<=[^\w]))(?:{alts})(?=$|[^\w])"

    def rust_form_regex(self, form: str) -> str:
        """``form`` as a pattern for Rust's regex engine (Polars): no look-around.

        Spaces match any run of whitespace, an apostrophe matches ' or ’, {W}
        matches one word; the form is bounded by ``\\b`` on each side that
        starts or ends with a word character.
        """
        parts = []
        for piece in re.split(r"(\{W\})", form):
            if not piece:
                continue
            if piece == "{W}":
                parts.append(_RUST_ANY_WORD)
                continue
            out = []
            for ch in piece:
                if ch in "'’":
                    out.append("['’]")
                elif ch.isspace():
                    out.append(r"\s+")
                elif ch in _RUST_META:
                    out.append("\\" + ch)
                else:
                    out.append(ch)
            parts.append(re.sub(r"(?:\\s\+)+", lambda m: r"\s+", "".join(out)))
        body = "".join(parts)
        left = r"(?-u:\b)" if form.startswith("{W}") or re.match(r"\w", form) else ""
        right = r"(?-u:\b)" if form.endswith("{W}") or re.search(r"\w$", form) else ""
        return f"{left}{body}{right}"

    def polars_pattern(self) -> str:
        """One alternation over all forms for Polars (Rust regex), longest first.

        Case-insensitive entries are wrapped in ``(?i:…)``; ``case_sensitive``
        entries match as written. Empty string when the lexicon has no forms.
        Built once per lexicon object (it is immutable).
        """
        return self._polars_pattern

    @cached_property
    def _polars_pattern(self) -> str:
        return self._rust_patterns[0]

    @cached_property
    def _rust_patterns(self) -> tuple[str, tuple[str, ...]]:
        """(:meth:`polars_pattern`, :meth:`polars_pattern_groups`), built by
        :func:`_build_rust_patterns` or read back from the start-up cache (:mod:`framing.cache`).

        Building them takes ~12 ms for the four matched lexicons in every process, reading
        them back well under 1 ms. The entry's key holds the forms themselves (with their
        case flags) and this module's file (size and modification time), so a changed
        lexicon or a changed pattern builder never gets stale patterns.
        """
        from framing.cache import cached_json, fingerprint

        forms = self._polars_forms
        source = Path(__file__)
        if not source.is_file():  # e.g. imported from a zip: no modification time to key on
            return _build_rust_patterns(self, forms)
        key = fingerprint("lexicon-patterns", forms, files=[source])
        whole, groups = cached_json("lexicon-patterns", key, lambda: _build_rust_patterns(self, forms))
        return whole, tuple(groups)

    @cached_property
    def _polars_forms(self) -> tuple[tuple[str, bool], ...]:
        """(form, case_sensitive) of every form, in the order of :meth:`polars_pattern`'s alternatives."""
        return tuple(
            sorted(
                {(f, e.case_sensitive) for e in self.entries for f in e.forms},
                key=lambda fc: (-len(fc[0]), fc[0], fc[1]),
            )
        )

    def polars_pattern_groups(self) -> tuple[str, ...]:
        """:meth:`polars_pattern`'s forms as two patterns: those without ``{W}``, then those
        with it (each group in its order there; empty groups left out).

        A text in which only one group matches has the same matches with that group's
        pattern as with the whole one (the other forms match nowhere in it). The groups
        are much cheaper to scan: Rust's lazy DFA runs out of cache on the whole pattern
        when ``{W}`` (any word) is mixed with hundreds of literal phrases. Built once per
        lexicon object (it is immutable).
        """
        return self._polars_pattern_groups

    @cached_property
    def _polars_pattern_groups(self) -> tuple[str, ...]:
        return self._rust_patterns[1]

    def lookup(self, matched: str) -> Entry | None:
        """The entry whose form produced ``matched`` (whitespace-normalised, case-insensitive)."""
        key = re.sub(r"\s+", " ", matched).lower()
        if key in self.by_form:
            return self.by_form[key]
        for form, entry in self.by_form.items():
            if "{w}" in form and re.fullmatch(self.form_regex(form), key, flags=re.IGNORECASE):
                return entry
        return None

    def provenance(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "kind": self.kind,
            "source": self.source,
            "licence": self.licence,
            "matching": self.matching,
            "entries": len(self.entries),
            "sha256": self.sha256,
            "origin": self.origin,
        }


def _build_rust_patterns(lexicon: Lexicon, forms: tuple[tuple[str, bool], ...]) -> tuple[str, tuple[str, ...]]:
    """:meth:`Lexicon.polars_pattern` and :meth:`Lexicon.polars_pattern_groups` of the lexicon's
    ``forms`` (its :attr:`Lexicon._polars_forms`)."""
    whole = _trie_pattern(forms) or _flat_pattern(lexicon, forms)
    groups = []
    for placeholder in (False, True):
        group = tuple(fc for fc in forms if ("{W}" in fc[0]) == placeholder)
        if len(group) == len(forms):  # one group: the whole pattern, built once
            groups.append(whole)
        elif group:
            groups.append(_trie_pattern(group) or _flat_pattern(lexicon, group))
    return whole, tuple(groups)


def _flat_pattern(lexicon: Lexicon, forms: tuple[tuple[str, bool], ...]) -> str:
    """One alternative per form, in the order given (Rust's regex is leftmost-first: at a
    position where several forms match, the first listed, i.e. the longest, wins)."""
    alts = [("(?:" if cs else "(?i:") + lexicon.rust_form_regex(f) + ")" for f, cs in forms]
    return "(?:" + "|".join(alts) + ")" if alts else ""


_TRIE_END = ""  # key of a trie node at which a form ends; tokens are never empty


def _form_tokens(form: str, case_sensitive: bool) -> list[str] | None:
    """``form`` as the tokens :meth:`Lexicon.rust_form_regex` writes for it (one per character,
    a run of whitespace one ``\\s+``), lowercased unless case-sensitive; None for a form a
    trie pattern does not take ({W}, a character outside ASCII other than ’)."""
    if "{W}" in form:
        return None
    out: list[str] = []
    for ch in form:
        if ch in "'’":
            out.append("['’]")
        elif ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif not ch.isascii():
            return None
        elif ch in _RUST_META:
            out.append("\\" + ch)
        else:
            out.append(ch if case_sensitive else ch.lower())
    return out


def _trie_pattern(forms: tuple[tuple[str, bool], ...]) -> str | None:
    """The forms as one regex with shared prefixes factored out (a trie), or None when the
    forms do not allow it (mixed case sensitivity, ``{W}``, non-ASCII letters).

    Same matches as :func:`_flat_pattern` (the tests compare both): two branches of a node
    start with different tokens (lowercase ASCII characters under ``(?i)``, ``\\s+``,
    ``['’]``), which no character matches both of, so at a given position the forms that
    match are prefixes of one another, and the flat pattern's longest-first order picks the
    longest of them, as does the trie by trying its continuations before ending a form.
    Rust's lazy DFA builds far fewer states for it: about half the scanning time.
    """
    if not forms or len({cs for _, cs in forms}) != 1:
        return None
    case_sensitive = forms[0][1]
    root: dict = {}
    first: dict[tuple[str, ...], int] = {}  # token path -> its first form in the flat order
    for k, (form, _) in enumerate(forms):
        tokens = _form_tokens(form, case_sensitive)
        if not tokens:
            return None
        # the flat order must list every form before the forms that are its prefixes (as the
        # trie tries them): not so when whitespace runs or ' make a longer path a shorter string
        if any(first.get(tuple(tokens[:n]), k) < k for n in range(1, len(tokens))):
            return None
        first.setdefault(tuple(tokens), k)
        # the word boundaries rust_form_regex puts around the form
        left = bool(re.match(r"\w", form))
        right = r"(?-u:\b)" if re.search(r"\w$", form) else ""
        node = root.setdefault(tokens[0], {})
        if node.setdefault(None, left) != left:
            return None
        for token in tokens[1:]:
            node = node.setdefault(token, {})
        if node.setdefault(_TRIE_END, right) != right:
            return None

    def branches(node: dict) -> str:
        alts = [token + branches(child) for token, child in node.items() if token not in (None, _TRIE_END)]
        if _TRIE_END in node:
            alts.append(node[_TRIE_END])  # ending here comes after every longer form
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    alts = [(r"(?-u:\b)" if child[None] else "") + token + branches(child) for token, child in root.items()]
    return ("(?:" if case_sensitive else "(?i:") + "|".join(alts) + ")"


def read_toml(data: bytes, origin: str, what: str = "lexicon") -> dict:
    """Parse a UTF-8 TOML data file (lexicon, actors file); LexiconError with one sentence otherwise."""
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise LexiconError(f"{origin}: {what} files must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{origin}: not valid TOML ({exc})") from None


def _read_lexicon_toml(data: bytes, origin: str) -> dict:
    """:func:`read_toml` of a lexicon file, kept in the start-up cache (:mod:`framing.cache`).

    tomllib is pure Python: the six built-in lexicons take ~17 ms to parse in every
    process, their JSON copy well under 1 ms to read. The entry's key is the SHA-256 of
    the file's bytes (and the Python version, whose tomllib parsed it), so an edited or
    another user file has its own entry, never a stale one. A document JSON cannot carry
    exactly (TOML dates and times, non-finite floats) is cached as null and parsed each
    time; a file that does not parse raises before anything is cached.
    """
    from framing.cache import cached_json, fingerprint

    def build() -> dict | None:
        doc = read_toml(data, origin)
        return doc if _json_exact(doc) else None

    doc = cached_json("lexicon-toml", fingerprint("lexicon-toml", hashlib.sha256(data).hexdigest()), build)
    return doc if isinstance(doc, dict) else read_toml(data, origin)


def _json_exact(value: object) -> bool:
    """``value`` comes back equal and of the same types from a JSON round trip."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_exact(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_exact(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int))  # bool is an int


def parse_lexicon(data: bytes, origin: str) -> Lexicon:
    """Validate and build a lexicon from TOML bytes; raise LexiconError with one sentence."""
    doc = _read_lexicon_toml(data, origin)
    head = doc.get("lexicon")
    if not isinstance(head, dict):
        raise LexiconError(f"{origin}: missing [lexicon] table with {', '.join(_HEADER_FIELDS)}")
    missing = [f for f in _HEADER_FIELDS if not str(head.get(f, "")).strip()]
    if missing:
        raise LexiconError(f"{origin}: [lexicon] lacks {', '.join(missing)}")
    if head["kind"] not in _KINDS:
        raise LexiconError(f"{origin}: kind {head['kind']!r} is not one of {', '.join(sorted(_KINDS))}")
    raw_entries = doc.get("entry", [])
    if not raw_entries:
        raise LexiconError(f"{origin}: no [[entry]] items")
    entries: list[Entry] = []
    seen_forms: dict[str, str] = {}
    seen_ids: set[str] = set()
    for i, raw in enumerate(raw_entries, 1):
        term = str(raw.get("term", "")).strip()
        category = str(raw.get("category", "")).strip()
        note = str(raw.get("note", "")).strip()
        if not term:
            raise LexiconError(f"{origin}: entry {i} has no term")
        if not category:
            raise LexiconError(f"{origin}: entry {i} ({term!r}) has an empty category")
        if not note:
            raise LexiconError(f"{origin}: entry {i} ({term!r}) has no note")
        forms = tuple(str(f).strip() for f in raw.get("forms", [term]) if str(f).strip())
        if not forms:
            raise LexiconError(f"{origin}: entry {i} ({term!r}) has no forms")
        entry_id = str(raw.get("id", term.replace(" ", "_")))
        if entry_id in seen_ids:
            raise LexiconError(f"{origin}: duplicate entry id {entry_id!r}")
        seen_ids.add(entry_id)
        case_sensitive = bool(raw.get("case_sensitive", False))
        for f in forms:
            key = re.sub(r"\s+", " ", f).lower()
            if key in seen_forms:
                raise LexiconError(
                    f"{origin}: duplicate form {f!r} in entries {seen_forms[key]!r} and {entry_id!r}"
                )
            seen_forms[key] = entry_id
        known = {"term", "forms", "category", "note", "id", "case_sensitive"}
        extra = tuple(sorted((k, v) for k, v in raw.items() if k not in known))
        entries.append(Entry(entry_id, term, forms, category, note, case_sensitive, extra))
    return Lexicon(
        name=str(head["name"]),
        version=str(head["version"]),
        kind=str(head["kind"]),
        source=str(head["source"]),
        licence=str(head["licence"]),
        matching=str(head["matching"]),
        description=str(head.get("description", "")),
        entries=tuple(entries),
        sha256=hashlib.sha256(data).hexdigest(),
        origin=origin,
    )


def builtin_names() -> list[str]:
    files = resources.files("framing.lexicons") / "data"
    return sorted(p.name[: -len(".toml")] for p in files.iterdir() if p.name.endswith(".toml"))


def load_builtin(name: str) -> Lexicon:
    ref = resources.files("framing.lexicons") / "data" / f"{name}.toml"
    if not ref.is_file():
        raise LexiconError(f"no built-in lexicon {name!r}; choose one of {', '.join(builtin_names())}")
    return _parse_cached(ref.read_bytes(), f"builtin:{name}")


def read_data_file(path: str | Path, what: str = "lexicon") -> bytes:
    """Bytes of a user's data file (lexicon, actors file); LexiconError with one sentence otherwise."""
    p = Path(path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read {what} file {str(p)!r}: {exc.strerror}") from None


def load_file(path: str | Path) -> Lexicon:
    return _parse_cached(read_data_file(path), str(path))


@lru_cache(maxsize=64)
def _parse_cached(data: bytes, origin: str) -> Lexicon:
    """parse_lexicon, once per (content, origin) in a process: a Lexicon is immutable, and its
    compiled patterns are then built once instead of once per batch. The file is still read
    every time, so an edited file is parsed again."""
    return parse_lexicon(data, origin=origin)


@dataclass(frozen=True)
class LexiconSet:
    """The built-in lexicons plus the user's files (a user file extends the built-in lexicon of the same kind)."""

    lexicons: tuple[Lexicon, ...]

    def of_kind(self, kind: str) -> tuple[Lexicon, ...]:
        return tuple(lx for lx in self.lexicons if lx.kind == kind)

    def named(self, name: str) -> Lexicon:
        for lx in self.lexicons:
            if lx.name == name:
                return lx
        raise LexiconError(f"no lexicon named {name!r}")

    def provenance(self) -> list[dict]:
        return [lx.provenance() for lx in self.lexicons]


def load_lexicons(extra: tuple[str | Path, ...] | list[str | Path] = ()) -> LexiconSet:
    """Built-in lexicons followed by user files, validated; names must be unique."""
    lexicons = [load_builtin(n) for n in builtin_names()]
    lexicons += [load_file(p) for p in extra]
    names: set[str] = set()
    for lx in lexicons:
        if lx.name in names:
            raise LexiconError(f"{lx.origin}: lexicon name {lx.name!r} is already used; give the file its own name")
        names.add(lx.name)
    return LexiconSet(tuple(lexicons))
