"""Sentence segmentation with character offsets into the cleaned text.

A fast rule-based segmenter (one compiled regular expression per document and
a few checks per candidate boundary) built for news text. It was measured
against pysbd 0.3.4 on the seeds (see tests/text/test_sentences.py and
benchmarks/): pysbd splits "Vladimir V. Putin" and "U.S. officials" correctly
but is about two orders of magnitude slower, and it breaks ``?” Putin said``
in two; this segmenter handles all of these.

Rules:

* A paragraph is a line (blank lines and single newlines both end one); a
  sentence never crosses a paragraph break.
* A candidate boundary is a run of ``. ! ? …`` optionally followed by closing
  quotes or brackets, then whitespace, then something that can start a
  sentence (an upper-case letter, a digit, an opening quote or bracket).
* A period does not end a sentence after a title or other abbreviation that
  is usually followed by a name or a number ("Mr.", "Lt. Gen.", "Sept. 1",
  "No. 2"), after a single capital initial ("Vladimir V. Putin", "Donald J.
  Trump"), or after "U.S."/"U.K."-style initialisms unless the next word is a
  typical sentence opener ("The", "He", "But" …).
* ``?`` or ``!`` inside a closing quote does not end the sentence when the
  attribution follows (``“… right?” Putin said.``): lower-case next word, or
  a few capitalised words then a speech verb.
"""

from __future__ import annotations

import re

import polars as pl

from framing import schema
from framing.text.tokens import n_words_expr

# Abbreviations after which a period never ends a sentence when a capitalised
# word or a number follows (titles, ranks, months, common short forms).
_NAME_ABBREVIATIONS = frozenset(
    """
    mr mrs ms messrs dr prof rev fr sr jr st mt ft
    gen lt col maj capt cmdr adm sgt cpl pvt brig lieut
    sen rep gov pres supt insp det atty amb hon
    jan feb mar apr jun jul aug sep sept oct nov dec
    no nos vol art fig p pp ch sec
    vs v etc approx est inc corp co ltd bros dept univ assn
    """.split()
)
# Sentence-opening words: after an initialism such as "U.S." a following
# capitalised word starts a new sentence only if it is one of these.
_OPENERS = frozenset(
    """
    The A An This That These Those It Its He She They We I You His Her Their Our
    But And Yet So Or Nor In On At As If When While After Before Since Although
    Though However Meanwhile Still There Here What Why How Who Where Some Many
    Most One Such Mr Mrs Ms Dr
    """.split()
)
_SPEECH_VERBS = (
    r"said|says|say|asked|asks|added|adds|told|tells|replied|replies|wrote|writes|"
    r"continued|responded|explained|noted|insisted|claimed|declared|shouted|recalled|"
    r"argued|warned|stressed|insists|claims|declares|stated|states|remarked|answered|admitted|"
    r"conceded|acknowledged|observed|suggested|announced|exclaimed|joked|laughed|cried|yelled"
)
_CLOSERS = "\"'”’»)]"
_OPENERS_CHARS = "\"'“‘«([„"

# One scan of the whole text finds the paragraph breaks and the candidate boundaries together. It
# starts with a plain character class, so ``re`` skips ahead fast, then branches on what it found:
# a newline with all the whitespace after it (blank lines, the next line's indent: the next
# paragraph's text starts at its end), or a candidate boundary, a run of ``. ! ? …`` with any
# closing marks, followed on the same line by whitespace (group 1; its end is where the next
# sentence would start) and something that can start a sentence. Per line (``[^\n]+``) with
# ``\s+`` in the lookahead this finds the same candidates: on one line whitespace is ``[^\S\n]``.
_SCAN = re.compile(
    rf"[\n.!?…](?:(?<=\n)\s*|[.!?…]*[{re.escape(_CLOSERS)}]*(?=([^\S\n]+)[\w{re.escape(_OPENERS_CHARS)}—–-]))"
)
_PREV_TOKEN = re.compile(r"([\w.’'-]*)$")
_WORD_AT = re.compile(r"[\w’'-]*")
_ATTRIBUTION_AFTER = re.compile(
    rf"\s+(?:(?:he|she|they|it|we|I|one)\s+(?:{_SPEECH_VERBS})\b|(?:{_SPEECH_VERBS})\b"
    rf"|(?:(?:the|a|an)\s+)?(?:[A-Z][\w.’'-]*\s+){{1,4}}(?:{_SPEECH_VERBS})\b|[a-z])"
)
_PARAGRAPH = re.compile(r"[^\n]+")
_LEAD_TRAIL = re.compile(r"\S(?:.*\S)?", re.S)
_NON_SPACE = re.compile(r"\S")


def _prev_token(text: str, start: int) -> str:
    """The run of ``[\\w.’'-]`` that ends at ``start``, at most 40 characters long.

    That is ``_PREV_TOKEN.search(text, start - 40, start)``, which tries each of the 40 places in
    turn; a plain word after a space (most tokens) is found with ``rfind`` instead. (The search
    also matches before a newline at ``start - 1``, "$" before a final newline: that case, and any
    token with a mark in it, goes to the search.)
    """
    lo = start - 40 if start > 40 else 0
    space = text.rfind(" ", lo, start)
    if space >= 0:
        word = text[space + 1 : start]
        if word.isalnum():  # letters and digits only: all in the class, so the run starts after the space
            return word
    return _PREV_TOKEN.search(text, lo, start).group(1)


def _is_boundary(text: str, start: int, end: int, next_start: int) -> bool:
    """Decide whether the punctuation run text[start:end] ends a sentence.

    ``next_start`` is where the next sentence would start: the end of the whitespace after the
    run, on the same line (a character that can start a sentence is there). The word there is
    ``[\\w’'-]*``; its first character alone decides most cases (it is the word's first
    character whenever it is a letter or a digit), so the word itself is read only when needed.
    """
    first = text[next_start]
    if first.islower():
        return False
    punct = text[start:end]
    if punct != ".":
        core = punct.rstrip(_CLOSERS)
        if core in ("?", "!", "?!", "!?") and len(core) < len(punct):
            # question or exclamation closing a quote, then the attribution
            if _ATTRIBUTION_AFTER.match(text, end, end + 80):
                return False
        if core != ".":
            return True
        if len(core) < len(punct):
            return True  # period inside a closing quote/bracket: a real end
    prev = _prev_token(text, start)
    if not prev:
        return True
    bare = prev.rsplit(".", 1)[-1] if "." in prev else prev
    if "." in prev and len(bare) <= 2:
        # initialisms: U.S. U.K. D.C. a.m. p.m.
        return _WORD_AT.match(text, next_start).group() in _OPENERS
    if bare.lower() in _NAME_ABBREVIATIONS and (first.isupper() or first.isdigit()):
        return False
    if len(bare) == 1 and bare.isupper():
        # a middle initial: "Vladimir V. Putin"; but "Plan B. Then" is rare
        nxt = _WORD_AT.match(text, next_start).group()
        return nxt in _OPENERS and nxt not in ("A", "I")
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``, stripped of whitespace.

    Spans never cross a newline (each line is a paragraph) and cover every
    non-blank character of the text exactly once.
    """
    return [(s, e) for s, e, _ in _sentences(text)]


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """:func:`split_sentences` with each sentence's paragraph: ``(start, end, paragraph)``.

    ``paragraph`` counts the non-blank lines before the sentence's line (the index of its line
    in :func:`paragraph_spans`). One pass of ``_SCAN``: a sentence starts at the first non-space
    after a boundary or a paragraph break, and ends at an accepted boundary (its last mark is not
    a space) or at the last non-space of its line.
    """
    out: list[tuple[int, int, int]] = []
    first = _NON_SPACE.search(text)
    if first is None:
        return out
    cut = first.start()  # start of the current sentence: always a non-space character
    paragraph = 0
    for m in _SCAN.finditer(text, cut):
        next_start = m.end(1)
        if next_start < 0:  # a newline: the line ends, and the whitespace after it is skipped
            end = m.start()
            if text[end - 1].isspace():
                end = _LEAD_TRAIL.search(text, cut, end).end()
            out.append((cut, end, paragraph))
            paragraph += 1
            cut = m.end()
        elif _is_boundary(text, m.start(), m.end(), next_start):
            out.append((cut, m.end(), paragraph))
            cut = next_start
    end = len(text)
    if cut < end:
        if text[end - 1].isspace():
            end = _LEAD_TRAIL.search(text, cut, end).end()
        out.append((cut, end, paragraph))
    return out


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    m = _LEAD_TRAIL.search(text, start, end)
    if m:
        spans.append(m.span())


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Non-blank lines of ``text`` as ``(start, end)``, stripped of whitespace."""
    out: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        _add(text, para.start(), para.end(), out)
    return out


def segment(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence: doc_id, sent_id, paragraph, start, end, text, n_words.

    ``documents`` needs ``doc_id`` and ``text``; null text gives no rows.
    """
    doc_ids: list[str] = []
    sent_ids: list[int] = []
    paragraphs: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str | None] = []
    ids = documents["doc_id"].to_list()
    docs = documents["text"].to_list()
    # A sentence's text is cut from the text of the first row with its doc_id (null for a null
    # doc_id): what a left join on the unique doc_ids gave, should a doc_id ever repeat.
    first: dict[str, str | None] = {}
    for doc_id, text in zip(ids, docs):
        first.setdefault(doc_id, text)
    for doc_id, text in zip(ids, docs):
        if not text:
            continue
        spans = _sentences(text)
        n = len(spans)
        doc_ids += [doc_id] * n
        sent_ids += range(n)
        source = first[doc_id] if doc_id is not None else None
        if source is None:
            texts += [None] * n
        else:
            texts += [source[s:e] for s, e, _ in spans]
        if n:
            s, e, p = zip(*spans)
            starts += s
            ends += e
            paragraphs += p
    if not doc_ids:
        return schema.empty(schema.SENTENCES).select("doc_id", "sent_id", "paragraph", "start", "end", "text", "n_words")
    frame = pl.DataFrame(
        {"doc_id": doc_ids, "sent_id": sent_ids, "paragraph": paragraphs, "start": starts, "end": ends, "text": texts},
        schema={
            "doc_id": pl.String,
            "sent_id": pl.Int64,
            "paragraph": pl.Int64,
            "start": pl.Int64,
            "end": pl.Int64,
            "text": pl.String,
        },
    )
    return frame.with_columns(n_words_expr("text").alias("n_words"))
