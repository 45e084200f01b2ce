"""Metadata the text itself reveals: an outlet header ("CNN" / "—"), date lines
("Updated: February 09, 2024, 2:10 PM", "date 2024-02-10", "Published on Feb
08, 2024"), sign-offs ("Source: Al Jazeera and news agencies"), bylines.

Rules live in ``data/metadata.toml``. The lines they match are metadata, not
article text: :func:`extract_metadata` reports them so cleaning can remove
them and record each one in ``removed``. Dates are parsed only from explicit,
unambiguous forms; anything else stays null (never guessed).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Found", "MetadataRule", "extract_metadata", "parse_date", "metadata_rules"]

HEAD_PARAGRAPHS = 3
TAIL_PARAGRAPHS = 5

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(value) -> dt.date | None:
    """An explicit date in ``value`` (str, date or datetime), else None.

    Accepts ISO (2024-02-10, 2024-02-10T08:00Z, 2024/02/10), month-name forms
    (February 09, 2024 / Feb. 8, 2024 / 9 February 2024). Ambiguous numeric
    forms (02/03/2024) give None: a date is never guessed.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.search(text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _MDY.search(text)
    if m:
        return _make(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = _DMY.search(text)
    if m:
        return _make(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    return None


@dataclass(frozen=True)
class MetadataRule:
    id: str
    field: str
    regex: re.Pattern
    reason: str
    scope: str = "any"
    lines: int = 1


@dataclass(frozen=True)
class Found:
    """One metadata line: paragraphs [first, first+lines) give field=value."""

    field: str
    value: object
    first: int
    lines: int
    evidence: str
    reason: str
    rule: str


@lru_cache(maxsize=1)
def metadata_rules() -> tuple[MetadataRule, ...]:
    raw = tomllib.loads(resources.files("framing.corpus").joinpath("data/metadata.toml").read_text("utf-8"))
    rules = []
    for r in raw.get("rule", []):
        flags = re.I if r.get("ignore_case") else 0
        rules.append(
            MetadataRule(
                id=r["id"],
                field=r["field"],
                regex=re.compile(r["regex"], flags),
                reason=r["reason"],
                scope=r.get("scope", "any"),
                lines=int(r.get("lines", 1)),
            )
        )
    return tuple(rules)


def _value(field: str, raw: str):
    raw = raw.strip()
    if field == "date":
        return parse_date(raw)
    return raw or None


def extract_metadata(paragraphs: list[str]) -> list[Found]:
    """Metadata lines among ``paragraphs`` (stripped, non-empty), in text order.

    Each paragraph is used by at most one rule; for each field the first match
    in the text wins when the caller merges (see :func:`first_per_field`).
    """
    n = len(paragraphs)
    used: set[int] = set()
    found: list[Found] = []
    for rule in metadata_rules():
        if rule.scope == "head":
            candidates = range(min(HEAD_PARAGRAPHS, n))
        elif rule.scope == "tail":
            candidates = range(max(0, n - TAIL_PARAGRAPHS), n)
        else:
            candidates = range(n)
        fullmatch, lines = rule.regex.fullmatch, rule.lines
        for i in candidates:
            if lines == 1:  # the common case, without building a span
                if i in used:
                    continue
                block = paragraphs[i]
            else:
                span = range(i, i + lines)
                if span.stop > n or any(j in used for j in span):
                    continue
                block = "\n".join(paragraphs[j] for j in span)
            m = fullmatch(block)
            if not m:
                continue
            value = _value(rule.field, m.group("value"))
            if value is None:
                continue
            used.update(range(i, i + lines))
            found.append(Found(rule.field, value, i, lines, block.replace("\n", " "), rule.reason, rule.id))
    return sorted(found, key=lambda f: (f.first, f.field))


def first_per_field(found: list[Found]) -> dict[str, Found]:
    """The first finding of each field (in text order)."""
    out: dict[str, Found] = {}
    for f in found:
        out.setdefault(f.field, f)
    return out
