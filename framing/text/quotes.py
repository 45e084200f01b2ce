"""Quotation spans: where quoted speech sits in a document.

:func:`quote_spans` scans the quotation marks of each paragraph once (a small
state machine over the marks only, not over every character) and returns the
content between the marks. Rules:

* Double marks: “ „ « always open, ” » always close; a straight ``"`` opens
  when no double quote is open and closes otherwise.
* Single marks: ‘ opens, ’ closes an open single quote when it is not between
  two letters; otherwise ’ is an apostrophe (don’t, Russia’s, the 90s’). A
  straight ``'`` between letters is an apostrophe; after a space and before
  a letter it opens. Elisions (’90s, ’em) never open. Single quotes inside a
  double quote are part of its content, not spans of their own. A single
  quote that is still open at the end of its paragraph is dropped (almost
  always a misread apostrophe).
* A double quote still open at the end of a paragraph ends there with
  ``closed=False``. This is the newspaper convention for a quotation running
  over several paragraphs (each paragraph re-opens the quote and only the
  last one closes it) and it also bounds the damage of a missing closing mark.
* A closing mark with no opener (“… fight in Ukraine? » asked Mr. Putin”)
  yields a span from the start of its sentence (the previous ``. ! ?`` in the
  paragraph, or the paragraph start) with ``closed=False``.
* A second opening double mark while one is open ends the first span just
  before it (``closed=False``).

Nothing here raises on odd input: every mark is either used or ignored.

The spans of the last documents scanned are memoised on their text
(attribution, hedging and actors all ask for them, stage after stage).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from framing.text.patterns import char_positions

# the marks: “ ” " « » „ ‘ ’ ' and the two-character marks '' and `` (a single ` is not a mark);
# one character class finds every character a mark can start with. An apostrophe between a letter
# or digit and an ASCII letter (don’t, Russia’s: about a quarter of all marks in news text) is left
# out of the scan: the state machine ignores ’ or ' between a letter or digit and a letter whatever
# its state, and such a ' cannot be half of a '' pair.
# A “ … ” on one line with no double mark inside (none of “ ” " « » „ '' ``; single marks are part
# of an open double quote's content) is one match, a "simple quote": the state machine gives it
# what it gives its two marks, one after the other (most quotes in news text are simple). Its runs
# cannot give back a character the next item could match (the classes exclude ' ` and ”), so plain
# greedy repeats match as possessive ones would (those need Python 3.11; framing supports 3.10).
_MARK_CHAR = re.compile(
    r"[“”\"«»„‘’'`]"
    r"(?:(?<=“)[^“”\"«»„\n'`]*(?:(?:'(?!')|`(?!`))[^“”\"«»„\n'`]*)*”"
    r"|(?!(?<=[^\W_][’'])[a-zA-Z]))"
)
_ELISION = re.compile(r"(?:\d0s|\d\d\b|em\b|tis\b|twas\b|n\b|cause\b|til\b|bout\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?…][”\"’']?\s+")
_STRIP = re.compile(r"\S(?:.*\S)?", re.S)

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start:end`` without its leading and trailing whitespace; None when nothing is left."""
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        return start, end  # most quotes: no space inside the marks
    m = _STRIP.search(text, start, end)
    return m.span() if m else None


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Quoted-speech content spans ``(start, end, closed)`` over ``text``, in order.

    ``start:end`` is the text inside the marks, stripped of whitespace;
    ``closed`` is true when a closing mark ends the span. A new list on each
    call (the caller may change it).
    """
    if not text:
        return []
    return list(_shared_quote_spans(text))


#: documents kept: attribution, hedging and actors each ask for the spans of every document of a batch
#: (batch_size, 200 by default), one stage after the other; pure, so a hit gives what a scan gives.
#: The memo keeps these texts alive: 512 covers a batch of up to 512 documents (a larger batch only
#: misses, at the cost of a scan, as before the memo).
_SHARED_TEXTS = 512
#: the memo, least recently used first: (length, first and last 32 characters) -> (text, spans)
_shared: OrderedDict[tuple[int, str, str], tuple[str, tuple[tuple[int, int, bool], ...]]] = OrderedDict()


def _shared_quote_spans(text: str) -> tuple[tuple[int, int, bool], ...]:
    """The spans of :func:`quote_spans` as a tuple, memoised on the text (the scan is pure).

    The memo is keyed on the text's length and ends, and a hit is checked against the whole text:
    each stage passes its own copy of a document's text (a new ``str`` from Polars), and hashing
    all of it, as a dict or ``lru_cache`` keyed on the text would, costs several times the
    comparison (~5 µs for a 5,000-character article, three times per document). Two texts with the
    same key replace each other.
    """
    key = (len(text), text[:32], text[-32:])
    hit = _shared.get(key)
    if hit is not None and hit[0] == text:
        _shared.move_to_end(key)
        return hit[1]
    spans = tuple(_scan_quote_spans(text))
    _shared[key] = (text, spans)
    _shared.move_to_end(key)  # a replaced entry would keep its old place
    if len(_shared) > _SHARED_TEXTS:
        _shared.popitem(last=False)
    return spans


def _scan_quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """:func:`quote_spans` itself: one scan over the marks of ``text`` (not empty)."""
    out: list[tuple[int, int, bool]] = []
    # One scan of the whole text for mark characters (a plain character class: re skips ahead fast)
    # instead of a pattern of marks paragraph by paragraph; each paragraph (a run of [^\n]) with a mark
    # runs the state machine over its marks. The pairs `` and '' are one mark each, and so is a simple
    # quote (mark "“”", width from “ to past ”).
    marks: list[tuple[int, str, int]] = []  # (position, mark, width)
    p_end = -1
    skip = -1
    n = len(text)
    for i, j in _mark_spans(text):
        if i < skip:
            continue  # the second character of a two-character mark
        if i >= p_end:
            if marks:
                _paragraph_marks(text, p_start, p_end, marks, out)
                marks = []
            p_start = text.rfind("\n", 0, i) + 1
            p_end = text.find("\n", i)
            if p_end < 0:
                p_end = n
        c = text[i]
        if j - i > 1:
            marks.append((i, "“”", j - i))
        elif c == "`" or c == "'":
            if i + 1 < p_end and text[i + 1] == c:
                marks.append((i, c + c, 2))
                skip = i + 2
            elif c == "'":
                marks.append((i, c, 1))
            # a single ` is not a mark
        else:
            marks.append((i, c, 1))
    if marks:
        _paragraph_marks(text, p_start, p_end, marks, out)
    return _disjoint(out)


#: the characters a match of _MARK_CHAR starts with
_MARK_FIRST = "“”\"«»„‘’'`"
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _mark_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the matches of ``_MARK_CHAR`` in ``text`` (exactly its
    ``finditer``), from the mark characters found with ``str.find``: re's scan
    for the pattern's first character (a class) tests every character of the
    text, about twice the cost of the finds. Every match starts with a mark
    character; only at “ can it be longer than that character (a simple
    quote: the pattern is asked), and elsewhere it is that character unless
    it is an apostrophe ’ or ' after a letter or digit (``[^\W_]``, i.e.
    ``str.isalnum``) and before an ASCII letter."""
    out: list[tuple[int, int]] = []
    end = 0
    n = len(text)
    letters = _ASCII_LETTERS
    for i in char_positions(text, _MARK_FIRST):
        if i < end:
            continue  # inside a simple quote
        c = text[i]
        if c == "“":
            m = _MARK_CHAR.match(text, i)
            if m is None:
                continue
            end = m.end()  # (a match is never empty: the scan goes on after it)
            out.append((i, end))
            continue
        if (c == "’" or c == "'") and i and i + 1 < n and text[i + 1] in letters and text[i - 1].isalnum():
            continue  # an apostrophe inside a word (don’t, Russia’s): no match
        end = i + 1
        out.append((i, end))
    return out


def _disjoint(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Spans in order, none overlapping: an unmatched closing mark can reach back
    over a span already found; the earlier, longer span wins."""
    if all(a[1] <= b[0] for a, b in zip(spans, spans[1:])):
        return spans  # already in order and disjoint (spans are never empty): what sorting would keep
    kept: list[tuple[int, int, bool]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1], not s[2])):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _paragraph_marks(
    text: str, p_start: int, p_end: int, marks: list[tuple[int, str, int]], out: list[tuple[int, int, bool]]
) -> None:
    """The state machine over one paragraph's marks ``(position, mark, width)``, in order."""
    dq: int | None = None  # content start of the open double quote
    sq: int | None = None  # content start of the open top-level single quote
    last_close = p_start  # end of the last emitted closing mark

    def emit(start: int, end: int, closed: bool) -> None:
        span = _strip(text, start, end)
        if span:
            out.append((span[0], span[1], closed))

    for i, c, width in marks:
        if c == "“”":
            # a simple quote: “ opens (ending an open double quote), ” closes it; the marks between are singles
            if dq is not None:
                emit(dq, i, False)
            end = i + width - 1
            emit(i + 1, end, True)
            dq = None
            sq = None
            last_close = end + 1
            continue
        if c == "``":
            c = "“"
        elif c == "''":
            c = '"'  # two apostrophes: a straight double quote (older newswire style)
        prev = text[i - 1] if i > p_start else " "
        nxt = text[i + width] if i + width < p_end else " "
        if c in _OPEN_DOUBLE or (c == '"' and dq is None and not (nxt.isspace() and not prev.isspace())):
            if dq is not None:
                emit(dq, i, False)
            sq = None
            dq = i + width
        elif c in _CLOSE_DOUBLE or c == '"':
            if dq is not None:
                emit(dq, i, True)
                dq = None
                sq = None
                last_close = i + width
            elif c == "”" and not nxt.isspace() and nxt.isalnum() and prev.isspace():
                dq = i + 1  # a closing mark typed as an opener
            else:
                # stray closer: the quote began at the start of its sentence
                start = max(last_close, p_start)
                for s in _SENTENCE_END.finditer(text, start, i):
                    if s.end() < i:
                        start = s.end()
                emit(start, i, False)
                last_close = i + width
        elif dq is not None:
            continue  # single marks inside a double quote belong to its content
        elif c == "‘" or (c == "'" and not prev.isalnum()):
            if c == "'" and not (nxt.isalpha() or nxt.isdigit()):
                continue
            if _ELISION.match(text, i + 1, p_end):
                continue
            if sq is None:
                sq = i + 1
        else:  # ’ or ' after a letter/digit or punctuation
            if prev.isalnum() and nxt.isalpha():
                continue  # don’t, Russia’s
            if sq is not None and not prev.isspace() and i > sq:
                emit(sq, i, True)
                sq = None
                last_close = i + 1
    if dq is not None:
        emit(dq, p_end, False)


def inside_mask_spans(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """The ``(start, end)`` pairs of ``spans`` merged where they overlap."""
    merged: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
