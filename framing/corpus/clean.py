"""Cleaning: site chrome, metadata lines, repeated paragraphs, glued photo
captions. The raw file is never edited; everything dropped is recorded.

The text is first normalised (Unicode NFC, no-break spaces to spaces, runs of
spaces collapsed, each line stripped, blank lines dropped): every remaining
line is a paragraph and the cleaned text joins paragraphs with a blank line
("\\n\\n"). Whitespace normalisation is not recorded in ``removed``; every
other removal is, as ``"<reason>: <text>"``.

Order of steps (one named function each):
1. metadata lines (:mod:`framing.corpus.metadata`): outlet header, date lines,
   sign-offs, bylines — removed from the text, returned as metadata;
2. "caption" patterns: a photo caption glued to the next sentence is split off;
3. "line" and "inline" patterns with scope any/head;
4. repeated paragraphs (a paragraph identical, after normalising case and
   spaces, to an earlier one) — e.g. a headline printed twice;
5. "tail" patterns, repeatedly from the end (comment trailers, author bio).

Patterns come from ``data/clean.toml`` plus the user's files
(``LoadConfig.clean_patterns``), same format, validated on load.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from framing.corpus.dedupe import words_key
from framing.corpus.metadata import Found, extract_metadata
from framing.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Pattern", "Cleaned", "clean_text", "load_patterns", "normalise", "paragraphs_of"]

ACTIONS = ("line", "inline", "caption")
SCOPES = ("any", "head", "tail")
HEAD_PARAGRAPHS = 3
MIN_REPEAT_CHARS = 25
MAX_SHOWN = 300


@dataclass(frozen=True)
class Pattern:
    id: str
    action: str
    regex: re.Pattern
    reason: str
    scope: str = "any"
    origin: str = "builtin"
    #: speed hint: every match contains one of these strings (lower-cased when ignore_case);
    #: a paragraph holding none of them is not run through ``regex``. Empty: always run.
    requires: tuple[str, ...] = ()
    ignore_case: bool = False

    def may_match(self, paragraph: str) -> bool:
        """False when the paragraph lacks every ``requires`` string (so ``regex`` cannot match)."""
        if not self.requires:
            return True
        hay = paragraph.lower() if self.ignore_case else paragraph
        for r in self.requires:
            if r in hay:
                return True
        return False


@dataclass(frozen=True)
class Cleaned:
    text: str
    removed: tuple[str, ...]
    metadata: tuple[Found, ...] = field(default=())
    #: the text's normal form for duplicate detection (framing.corpus.dedupe._norm), made from
    #: the paragraph keys of step 4; None when not computed
    norm: str | None = None


def _parse_patterns(raw: dict, origin: str) -> list[Pattern]:
    items = raw.get("pattern")
    if not isinstance(items, list) or not items:
        raise ConfigError(f"cleaning-pattern file {origin} has no [[pattern]] entries.")
    out = []
    for i, p in enumerate(items):
        where = f"pattern {i + 1} of {origin}"
        for key in ("id", "action", "regex", "reason"):
            if not isinstance(p.get(key), str) or not p.get(key):
                raise ConfigError(f"{where} needs a non-empty '{key}'.")
        if p["action"] not in ACTIONS:
            raise ConfigError(f"{where} has action '{p['action']}'; use one of {', '.join(ACTIONS)}.")
        scope = p.get("scope", "any")
        if scope not in SCOPES:
            raise ConfigError(f"{where} has scope '{scope}'; use one of {', '.join(SCOPES)}.")
        try:
            rx = re.compile(p["regex"], re.I if p.get("ignore_case") else 0)
        except re.error as e:
            raise ConfigError(f"{where} has an invalid regex: {e}.") from None
        if p["action"] == "caption" and not {"caption", "rest"} <= set(rx.groupindex):
            raise ConfigError(f"{where} is a caption pattern and needs the groups 'caption' and 'rest'.")
        requires = p.get("requires", [])
        if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
            raise ConfigError(f"{where} has 'requires' that is not a list of non-empty strings.")
        ignore_case = bool(p.get("ignore_case"))
        requires = tuple(r.lower() for r in requires) if ignore_case else tuple(requires)
        out.append(Pattern(p["id"], p["action"], rx, p["reason"], scope, origin, requires, ignore_case))
    return out


@lru_cache(maxsize=1)
def _builtin() -> tuple[Pattern, ...]:
    text = resources.files("framing.corpus").joinpath("data/clean.toml").read_text("utf-8")
    return tuple(_parse_patterns(tomllib.loads(text), "builtin clean.toml"))


def load_patterns(extra_files: tuple[str, ...] | list[str] = ()) -> tuple[Pattern, ...]:
    """Built-in patterns followed by the user's files; ids must be unique."""
    patterns = list(_builtin())
    for f in extra_files:
        path = Path(f)
        try:
            raw = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"cleaning-pattern file {f} does not exist.") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cleaning-pattern file {f} cannot be read: {e}.") from None
        patterns.extend(_parse_patterns(raw, str(f)))
    seen: set[str] = set()
    for p in patterns:
        if p.id in seen:
            raise ConfigError(f"cleaning pattern id '{p.id}' is defined twice ({p.origin}).")
        seen.add(p.id)
    return tuple(patterns)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# the same runs, minus the single plain spaces that _SPACES would replace by themselves
_SPACE_RUNS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ODD_SPACES_ORDERED = tuple("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")  # each looked for with a C substring search


def _collapse_spaces(text: str) -> str:
    """``_SPACES.sub(" ", text)``, skipping the scan when there is nothing to collapse."""
    if "  " not in text and "\t" not in text and (text.isascii() or not any(c in text for c in _ODD_SPACES_ORDERED)):
        return text
    return _SPACE_RUNS.sub(" ", text)
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_ZERO_WIDTH = re.compile("[" + "".join(_ZERO_WIDTH_CHARS) + "]")


def normalise(text: str) -> str:
    """NFC, one kind of line break, no zero-width characters; spaces kept."""
    text = unicodedata.normalize("NFC", text)
    # each step only when its characters occur (substring searches in C, cheaper than the
    # replacements and the regex scan they skip); an ASCII text has none past "\r"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if any(z in text for z in _ZERO_WIDTH_CHARS):
        text = _ZERO_WIDTH.sub("", text)
    return text


def paragraphs_of(text: str) -> list[str]:
    """Stripped non-empty lines of normalised ``text`` with inner space runs collapsed."""
    # _SPACES never matches "\n", so one substitution over the whole text
    # equals one per line.
    return [line for line in map(str.strip, _collapse_spaces(normalise(text)).split("\n")) if line]


def _shown(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _key(paragraph: str) -> str:
    """The paragraph case-folded, its words joined by single spaces (punctuation and spacing aside)."""
    return words_key(paragraph)


def _split_captions(paras: list[str], patterns, removed: list[str]) -> list[str]:
    """Split photo captions glued to the following sentence (caption patterns)."""
    caps = [p for p in patterns if p.action == "caption"]
    out: list[str] = []
    for para in paras:
        for p in caps:
            m = p.regex.fullmatch(para) if p.may_match(para) else None
            if m:
                removed.append(f"{p.reason}: {_shown(m.group('caption').strip())}")
                para = (m.group("rest") or "").strip()
                break
        if para:
            out.append(para)
    return out


_UNBOUNDED = 4096  # a pattern whose matches may be this long or longer: no upper length


def _widths(rx: re.Pattern) -> tuple[int, int | None]:
    """(shortest, longest) match of ``rx`` in characters, as Python's regex compiler computes
    them for its own length checks (None: unbounded); (0, None) when they cannot be read."""
    try:
        try:
            from re import _parser as sre_parse  # Python >= 3.11
        except ImportError:  # pragma: no cover
            import sre_parse
        lo, hi = sre_parse.parse(rx.pattern, rx.flags).getwidth()
    except Exception:  # pragma: no cover - a private module: never fail because of it
        return 0, None
    return int(lo), (int(hi) if hi < _UNBOUNDED else None)


@dataclass(frozen=True)
class _Rule:
    """A line or inline pattern as :func:`_apply_lines` runs it, with the paragraph lengths
    it can act on: a line pattern must match the whole paragraph, so only paragraphs of
    ``shortest`` to ``longest`` characters; an inline match needs ``shortest`` characters."""

    order: int
    pattern: Pattern
    inline: bool
    shortest: int
    longest: int | None

    def fits(self, n: int) -> bool:
        return n >= self.shortest and (self.longest is None or n <= self.longest)


@dataclass(frozen=True)
class _LinePlan:
    rules: tuple[_Rule, ...]  # in pattern order
    by_length: tuple[tuple[_Rule, ...], ...]  # [n]: the rules that fit n characters (the last entry: every longer n)

    def for_length(self, n: int) -> tuple[_Rule, ...]:
        return self.by_length[min(n, len(self.by_length) - 1)]


@lru_cache(maxsize=16)
def _line_plan(patterns: tuple[Pattern, ...], head: bool) -> _LinePlan:
    """The line and inline patterns that apply to a head paragraph (``head``) or a later one,
    in their original order (scope "tail" and, after the head, "head" left out; "caption"
    patterns have their own step), and for each paragraph length the ones that can act."""
    skip = ("tail",) if head else ("tail", "head")
    rules = []
    for p in patterns:
        if p.scope in skip or p.action not in ("line", "inline"):
            continue
        lo, hi = _widths(p.regex)
        inline = p.action == "inline"
        rules.append(_Rule(len(rules), p, inline, lo, None if inline else hi))
    # past the largest bound, every length meets the same rules
    cap = max([r.shortest for r in rules] + [r.longest + 1 for r in rules if r.longest is not None] + [0])
    by_length = tuple(tuple(r for r in rules if r.fits(n)) for n in range(cap + 1))
    return _LinePlan(tuple(rules), by_length)


_LAST_PLANS: list = [None, None]  # (patterns, their plans): callers pass the same tuple for a whole batch


def _line_plans(patterns) -> tuple[_LinePlan, _LinePlan]:
    """(head plan, later-paragraph plan) of ``patterns``, kept for the last tuple seen
    (looking a tuple of patterns up in the cache hashes every pattern)."""
    last, plans = _LAST_PLANS
    if last is not patterns:
        patterns = tuple(patterns)
        plans = (_line_plan(patterns, True), _line_plan(patterns, False))
        _LAST_PLANS[:] = [patterns, plans]
    return plans


def _hinted_in(paras: list[str], rules) -> set[int]:
    """``id`` of each pattern with ``requires`` strings (among ``rules``) of which one occurs in
    some paragraph: for the others :meth:`Pattern.may_match` is False on every paragraph.

    One search of the paragraphs joined by line breaks instead of one per paragraph:
    a string in a paragraph is in the joined text, and lower-casing the joined text
    lower-cases each paragraph as it would alone (a line break is neither cased nor
    case-ignorable, so it ends the context a capital sigma's form depends on)."""
    hinted = [r.pattern for r in rules if r.pattern.requires]
    if not hinted:
        return set()
    joined = "\n".join(paras)
    lowered = joined.lower() if any(p.ignore_case for p in hinted) else joined
    return {id(p) for p in hinted if any(r in (lowered if p.ignore_case else joined) for r in p.requires)}


def _apply_lines(paras: list[str], patterns, removed: list[str]) -> list[str]:
    """Line and inline patterns with scope any/head.

    Each paragraph meets only the patterns that can act on a paragraph of its length
    (:func:`_line_plan`; most paragraphs are longer than any site-chrome line), in their
    order; the others could not match, so the result is that of trying them all.
    A pattern whose ``requires`` strings occur in no paragraph (:func:`_hinted_in`) is
    skipped without looking at each paragraph, unless an inline cut changed the
    paragraph (a cut can bring two words together); an inline pattern that does not
    occur in a paragraph (``search``) is not run through ``finditer``.
    """
    plans = _line_plans(patterns)
    present = _hinted_in(paras, plans[0].rules)  # the head plan holds every rule of the later one
    out: list[str] = []
    for i, para in enumerate(paras):
        plan = plans[0] if i < HEAD_PARAGRAPHS else plans[1]
        rules = plan.for_length(len(para))
        keep = True
        changed = False
        k = 0
        while k < len(rules):
            rule = rules[k]
            k += 1
            p = rule.pattern
            if p.requires and ((not changed and id(p) not in present) or not p.may_match(para)):
                continue
            if not rule.inline:
                if p.regex.fullmatch(para):
                    removed.append(f"{p.reason}: {_shown(para)}")
                    keep = False
                    break
                continue
            if p.regex.search(para) is None:  # finditer would find nothing
                continue
            cut = [m.group(0) for m in p.regex.finditer(para) if m.group(0)]
            if cut:
                para = _SPACES.sub(" ", p.regex.sub(" ", para)).strip()
                changed = True
                removed.extend(f"{p.reason}: {_shown(c)}" for c in cut)
                if not para:
                    keep = False
                    break
                # a new length: the later rules that fit it
                rules = tuple(r for r in plan.rules[rule.order + 1 :] if r.fits(len(para)))
                k = 0
        if keep:
            out.append(para)
    return out


def _drop_repeats(paras: list[str], removed: list[str]) -> tuple[list[str], list[str]]:
    """Keep the first of paragraphs repeated verbatim (case and punctuation aside).

    Returns the kept paragraphs and their keys (:func:`_key`)."""
    seen: set[str] = set()
    out = []
    keys = []
    for para in paras:
        key = _key(para)
        if len(key) >= MIN_REPEAT_CHARS and key in seen:
            removed.append(f"repeated paragraph: {_shown(para)}")
            continue
        seen.add(key)
        out.append(para)
        keys.append(key)
    return out, keys


def _strip_tail(paras: list[str], patterns, removed: list[str], author: str | None) -> list[str]:
    """Drop trailing paragraphs matching tail patterns (or an author's bio), from the end."""
    tails = [p for p in patterns if p.scope == "tail" and p.action == "line"]
    dropped: list[str] = []
    while paras:
        last = paras[-1]
        hit = next((p for p in tails if p.may_match(last) and p.regex.fullmatch(last)), None)
        reason = hit.reason if hit else None
        if reason is None and author and len(paras) > 1:
            # "Jane Doe, a fellow at …" / "Jane Doe is a …": the named author's bio.
            # (a plain prefix test: compiling one regex per author was slow)
            if last.startswith(author) and last.startswith((",", " is ", " was "), len(author)):
                reason = "author bio"
        if reason is None:
            break
        dropped.append(f"{reason}: {_shown(last)}")
        paras = paras[:-1]
    removed.extend(reversed(dropped))
    return paras


def clean_text(text: str, *, patterns: tuple[Pattern, ...] | None = None, author: str | None = None) -> Cleaned:
    """Clean one article's text; see the module docstring for the steps."""
    patterns = load_patterns() if patterns is None else patterns
    paras = paragraphs_of(text)
    removed: list[str] = []
    found = extract_metadata(paras)
    consumed = {j for f in found for j in range(f.first, f.first + f.lines)}
    for f in found:
        removed.append(f"{f.reason}: {_shown(f.evidence)}")
    paras = [p for i, p in enumerate(paras) if i not in consumed]
    paras = _split_captions(paras, patterns, removed)
    paras = _apply_lines(paras, patterns, removed)
    paras, keys = _drop_repeats(paras, removed)
    paras = _strip_tail(paras, patterns, removed, author)
    # _norm of the joined text, from the keys of the paragraphs kept (_strip_tail only drops
    # from the end): case folding maps each character on its own, and no word crosses the
    # blank line between two paragraphs, so the text's words are its paragraphs' words in turn
    norm = " ".join(k for k in keys[: len(paras)] if k)
    return Cleaned(text="\n\n".join(paras), removed=tuple(removed), metadata=tuple(found), norm=norm)
