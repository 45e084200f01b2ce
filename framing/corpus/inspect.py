"""Where a file probably changes article, so a person can write its manifest
in a minute (``framing inspect FILE``).

Signals, each named in the suggestion's reasons:
- navigation line: a line of headlines separated by " ... " or " | ";
- sign-off: the previous line is a "Source: …" line, an author bio, a
  publisher disclaimer or a photo credit (the article before has ended);
- date line: the previous line is a "Published on …" / "Updated: …" line;
- language switch: the line's language differs from the previous lines';
- topic shift: the words of the few lines before and after share little
  (a TextTiling-style depth score over content words).

Nothing here decides: it suggests, and :func:`manifest_skeleton` prints a
manifest a person corrects.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from framing.corpus.clean import load_patterns, normalise
from framing.corpus.decode import DecodeFailure, decode_bytes
from framing.corpus.language import detect_language
from framing.corpus.metadata import metadata_rules
from framing.errors import InputError

__all__ = ["Boundary", "suggest_boundaries", "format_boundaries", "manifest_skeleton", "boundaries_in_text"]

WINDOW = 4
MIN_LANG_LETTERS = 40
TOPIC_DEPTH = 0.25
TOPIC_ALONE = 0.5
MIN_SCORE = 0.5
MAX_TOPIC = 8
_TITLED = re.compile(
    r"\b(?:President|Prime Minister|Minister|Secretary|Chancellor|host|leader|King|Senator|Governor)\s+"
    r"((?:[A-Z][\w’'-]+\s+){1,2}([A-Z][\w’'-]+))"
)
_WORD = re.compile(r"[^\W\d_]{4,}")
_NAV = re.compile(r"\S.{10,}?(?: \.\.\. | \| | • ).{10,}")
_STOP = frozenset(
    """about above after again against also among another because been before being below between both could
    does doing down during each even every from further have having here into itself just like made make many
    more most much must never once only other over same says said should since some such than that their them
    then there these they this those through under until very were what when where which while with would your
    will year years told according""".split()
)


@dataclass(frozen=True)
class Boundary:
    """A line where a new article probably starts."""

    line: int  # 1-based line number in the file
    offset: int  # character offset of the line start in the decoded text
    text: str  # first ~80 characters of the line
    reasons: tuple[str, ...]
    score: float  # how many / how strong the signals are (for ordering)

    @property
    def starts_at(self) -> str:
        """A manifest anchor: the first words of the line."""
        words = self.text.split()
        return " ".join(words[:8])


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(1-based line number, offset, stripped text) of non-blank lines."""
    out = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            out.append((number, offset, line.strip()))
        offset += len(line) + 1
    return out


def _signoff(line: str, patterns) -> str | None:
    for rule in metadata_rules():
        if rule.id == "source-signoff" and rule.regex.fullmatch(line):
            return f"follows sign-off '{line[:60]}'"
    for p in patterns:
        if p.action == "line" and p.id in ("author-bio", "publisher-disclaimer", "photo-credit") and p.regex.fullmatch(line):
            return f"follows {p.reason} '{line[:40]}…'"
    return None


def _end_matter(line: str, patterns) -> bool:
    """Lines that close an article: sign-offs, bios, disclaimers, credits, date lines, comment trailers."""
    if _signoff(line, patterns) or _dateline(line):
        return True
    return any(p.action == "line" and p.regex.fullmatch(line) for p in patterns)


def _reintroductions(texts: list[str]) -> dict[int, str]:
    """Lines that introduce a person by title and full name after the text used the surname alone."""
    out: dict[int, str] = {}
    for i, t in enumerate(texts):
        if i < WINDOW:
            continue
        if any(p.action == "caption" and p.regex.fullmatch(t) for p in load_patterns()):
            continue  # photo captions re-introduce people by title all the time
        for m in _TITLED.finditer(t[:40]):
            full, surname = " ".join(m.group(1).split()), m.group(2)
            before = " ".join(texts[max(0, i - 3 * WINDOW) : i])
            if re.search(rf"\b{re.escape(surname)}\b", before) and full not in before.replace("\n", " "):
                out[i] = f"introduces '{m.group(0).strip()}' in full after '{surname}' alone (ledes do that)"
                break
    return out


def _dateline(line: str) -> str | None:
    for rule in metadata_rules():
        if rule.field == "date" and rule.lines == 1 and rule.regex.fullmatch(line):
            return f"follows date line '{line[:60]}'"
    return None


def _bag(lines: list[str]) -> Counter:
    c: Counter = Counter()
    for line in lines:
        c.update(w for w in (m.group(0).casefold() for m in _WORD.finditer(line)) if w not in _STOP)
    return c


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _topic_shifts(texts: list[str]) -> dict[int, float]:
    """Index -> depth score for gaps before line index i where the topic changes."""
    n = len(texts)
    if n < 2 * WINDOW:
        return {}
    sims = {}
    for i in range(1, n):
        sims[i] = _cosine(_bag(texts[max(0, i - WINDOW) : i]), _bag(texts[i : i + WINDOW]))
    depth = {}
    for i, s in sims.items():
        left = max(sims[j] for j in range(max(1, i - WINDOW), i + 1))
        right = max(sims[j] for j in range(i, min(n, i + WINDOW + 1)))
        d = (left - s) + (right - s)
        if d >= TOPIC_DEPTH and s == min(sims[j] for j in range(max(1, i - 2), min(n, i + 3))):
            depth[i] = d
    best = sorted(depth.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TOPIC]
    return dict(best)


def boundaries_in_text(text: str) -> list[Boundary]:
    """Suggested article starts in ``text`` (already decoded), in line order."""
    text = normalise(text)
    lines = _lines(text)
    if not lines:
        return []
    patterns = load_patterns()
    texts = [t for _, _, t in lines]
    reasons: dict[int, list[str]] = {}
    scores: dict[int, float] = {}

    def add(i: int, reason: str, score: float) -> None:
        if 0 <= i < len(lines):
            reasons.setdefault(i, []).append(reason)
            scores[i] = scores.get(i, 0.0) + score

    langs = []
    for t in texts:
        lang, _ = detect_language(t) if len(re.findall(r"[^\W\d_]", t)) >= MIN_LANG_LETTERS else ("und", None)
        langs.append(lang)
    end = [_end_matter(t, patterns) for t in texts]
    prev_lang = None
    for i, t in enumerate(texts):
        if i == 0 and _NAV.fullmatch(t) and len(t) > 60:
            add(1, "follows a navigation line (headlines separated by ' ... '); mark line 1 article = false", 2.0)
        if i > 0 and not end[i] and end[i - 1]:
            # the first line after a block of end matter: name what closed the article before
            j = i - 1
            while j > 0 and end[j - 1]:
                j -= 1
            for k in range(j, i):
                why = _signoff(texts[k], patterns) or _dateline(texts[k])
                if why:
                    add(i, why, 2.0 if why.startswith("follows sign-off") else 1.5)
        lang = langs[i]
        if lang != "und":
            if prev_lang and lang != prev_lang:
                add(i, f"language switch ({prev_lang} → {lang})", 2.0)
            prev_lang = lang
    for i, why in _reintroductions(texts).items():
        if not end[i]:
            add(i, why, 0.5)
    for i, depth in _topic_shifts(texts).items():
        if not end[i] and (depth >= TOPIC_ALONE or i in reasons):
            add(i, f"topic shift (depth {depth:.2f})", min(depth, 1.0))
    out = []
    for i in sorted(reasons):
        if scores[i] < MIN_SCORE:
            continue
        number, offset, t = lines[i]
        out.append(Boundary(number, offset, t[:80], tuple(reasons[i]), round(scores[i], 3)))
    return out


def _read(path: str | Path) -> str:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path} is not a file.")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{path} cannot be read: {e.strerror}.") from None
    try:
        return decode_bytes(data).text
    except DecodeFailure as e:
        raise InputError(f"{path} cannot be inspected: {e}.") from None


def suggest_boundaries(path: str | Path) -> list[Boundary]:
    """Suggested article starts in the file at ``path`` (raises InputError if unreadable)."""
    return boundaries_in_text(_read(path))


def format_boundaries(boundaries: list[Boundary], *, path: str | Path | None = None) -> str:
    """A plain-text table for the terminal."""
    head = f"{path}: " if path else ""
    if not boundaries:
        return f"{head}no article boundaries suggested: the file reads as one article."
    out = [f"{head}{len(boundaries)} suggested article start(s)"]
    for b in boundaries:
        out.append(f"  line {b.line:>5}  (char {b.offset})  {b.text}")
        for r in b.reasons:
            out.append(f"              - {r}")
    return "\n".join(out)


def _toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest_skeleton(path: str | Path, boundaries: list[Boundary] | None = None, *, min_score: float = 1.0) -> str:
    """A manifest entry (TOML) for the file with one part per suggested start.

    Topic-shift-only suggestions below ``min_score`` are left as comments.
    """
    p = Path(path)
    if boundaries is None:
        boundaries = suggest_boundaries(p)
    text = normalise(_read(p))
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    lines = [
        "# Manifest skeleton written by `framing inspect`: check each part, fill in",
        "# outlet / date / title / author / kind, delete parts that are not boundaries.",
        "[[file]]",
        f"path = {_toml_string(p.name)}",
        "",
    ]
    nav = any("navigation line" in r for b in boundaries for r in b.reasons)
    starts = [(first, nav)] + [(b.text, False) for b in boundaries]
    weak = {b.text for b in boundaries if b.score < min_score}
    for anchor, not_article in starts:
        anchor_words = " ".join(anchor.split()[:8])
        prefix = "# " if anchor in weak else ""
        lines.append(f"  {prefix}[[file.part]]")
        lines.append(f"  {prefix}starts_at = {_toml_string(anchor_words)}")
        if not_article:
            lines.append(f"  {prefix}article = false")
            lines.append(f'  {prefix}note = "navigation line"')
        else:
            lines.append(f'  {prefix}outlet = ""')
            lines.append(f"  {prefix}# date = 2024-01-31")
            lines.append(f'  {prefix}kind = "news"')
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
