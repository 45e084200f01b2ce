"""Regular expressions built from word lists.

Python's ``re`` tries the alternatives of ``a|b|c`` one after another at every
position; a list of a few hundred words written as a prefix tree
(``accus(?:e(?:d|s)?|ing)``) is tried in a few steps instead (~50× faster
for the reporting verbs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_regex(forms: Iterable[str], *, space: str | None = None) -> str:
    """A pattern matching exactly ``forms``, factored by common prefixes.

    ``space`` is what a space inside a form becomes (e.g. ``r"\\s+"``); by
    default a literal space. Where one form is a prefix of another, the
    longer is tried first (an ending is optional: ``said(?:…)?``), so at a
    given place the match is the longest form the rest of the pattern allows,
    as with an alternation sorted longest first. Returns ``""`` for no forms.
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    escaped: dict[str, str] = {}

    def piece(ch: str) -> str:
        p = escaped.get(ch)
        if p is None:
            p = escaped[ch] = space if ch == " " and space is not None else re.escape(ch)
        return p

    def emit(node: dict) -> str:
        # a run of nodes with one child and no form ending there is one piece of text: walked in a
        # loop, not one call per character (most of a word list's trie is such runs)
        parts = []
        while len(node) == 1 and "" not in node:
            ((ch, node),) = node.items()
            parts.append(piece(ch))
        alts = [piece(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if alts:
            body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
            parts.append("(?:" + body + ")?" if "" in node else body)
        return "".join(parts)

    return emit(trie)


def char_positions(text: str, chars: str) -> list[int]:
    """The positions in ``text`` of any of ``chars``, in order, found with ``str.find``.

    For patterns whose every match starts with one of a few characters: ``re``
    scans for a pattern's first character by testing every character of the
    text, which costs several times a ``str.find`` of each of a few characters
    (more when the set holds characters beyond Latin-1).
    """
    out: list[int] = []
    find = text.find
    for c in chars:
        i = find(c)
        while i >= 0:
            out.append(i)
            i = find(c, i + 1)
    out.sort()
    return out


def matches_at(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose every match starts at one of
    ``starts`` (in order) and is never empty: tried at each start not inside the
    previous match."""
    out: list[re.Match] = []
    end = 0
    match = pattern.match
    for i in starts:
        if i >= end and (m := match(text, i)) is not None:
            out.append(m)
            end = m.end()
    return out
