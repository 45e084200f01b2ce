"""Multi-article files: cut a file's text where the manifest says each part
starts. Anchors are text, matched at the start of a line, in order, tolerant
of whitespace and of straight vs curly quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framing.corpus.clean import normalise
from framing.corpus.manifest import Part

__all__ = ["Piece", "AnchorNotFound", "split_parts", "anchor_regex"]

_QUOTES = {
    "'": "['‘’]",
    "‘": "['‘’]",
    "’": "['‘’]",
    '"': '["“”]',
    "“": '["“”]',
    "”": '["“”]',
}


class AnchorNotFound(Exception):
    """A manifest anchor does not occur (in order) at the start of a line."""


@dataclass(frozen=True)
class Piece:
    index: int  # position of the part in the file (segment)
    part: Part | None  # None for text before the first anchor
    text: str


def anchor_regex(anchor: str) -> re.Pattern:
    out = []
    for ch in anchor.strip():
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        else:
            out.append(_QUOTES.get(ch, re.escape(ch)))
    return re.compile(r"(?m)^[ \t\u00a0]*" + "".join(out))


def split_parts(text: str, parts: tuple[Part, ...]) -> tuple[str, list[Piece]]:
    """(text before the first part, pieces in order); raises AnchorNotFound."""
    text = normalise(text)
    starts = []
    pos = 0
    for part in parts:
        m = anchor_regex(part.starts_at).search(text, pos)
        if not m:
            raise AnchorNotFound(
                f"the manifest anchor {part.starts_at!r} is not at the start of any line after the previous part"
            )
        line_start = text.rfind("\n", 0, m.start()) + 1
        starts.append(line_start)
        pos = m.end()
    pieces = []
    for i, (part, start) in enumerate(zip(parts, starts)):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        pieces.append(Piece(i, part, text[start:end]))
    return text[: starts[0]] if starts else text, pieces
