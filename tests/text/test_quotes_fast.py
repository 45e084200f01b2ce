"""quote_spans scans the marks of the whole text once; it gives exactly what the per-paragraph scan gave
(frozen in tests/before_speedup.py)."""

from __future__ import annotations

import before_speedup as B
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.text.quotes import quote_spans

_PIECES = list("“”\"«»„‘’'`\n .!?x") + ["''", "``", "'''", "```", "don’t", "’90s", "Russia’s", " he said", "\n\n", "—"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_quote_spans_equal_the_per_paragraph_scan(text):
    assert quote_spans(text) == B.quote_spans(text)


# apostrophes next to letters, digits and other word characters (the scan leaves out those between
# a letter or digit and an ASCII letter), quotes with spaces inside the marks, stray closers
_APOSTROPHE_PIECES = list("’'‘”“\" x_9²éA\n.") + ["a'b", "1’s", "é’é", "x’²", "’é", "_’s", "’’", "''s", "it’s ", " ’tis", "“ ", " ”"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_APOSTROPHE_PIECES), max_size=30).map("".join))
def test_quote_spans_equal_the_per_paragraph_scan_around_apostrophes(text):
    assert quote_spans(text) == B.quote_spans(text)


# simple quotes (“ … ” on one line with no double mark inside) are one match of the scan: double
# marks, two-character marks and newlines inside them, open quotes before them, stray closers after
_SIMPLE_PIECES = ["“", "”", "“x”", "“ x ”", "“x'y”", "“x''y”", "“x``y”", "“`x”", "“x'”", "“‘x’”", '"', "«", "»", "„"]
_SIMPLE_PIECES += list("x '`’\n.?") + ["''", "``", "\n\n"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SIMPLE_PIECES), max_size=25).map("".join))
def test_quote_spans_equal_the_per_paragraph_scan_around_simple_quotes(text):
    assert quote_spans(text) == B.quote_spans(text)


def test_quote_spans_equal_the_per_paragraph_scan_on_the_seeds(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    assert texts
    for text in texts:
        assert quote_spans(text) == B.quote_spans(text)


def test_memoised_spans_are_a_new_list_each_time():
    """quote_spans memoises the spans of a text: a hit equals a fresh scan, and a caller changing its
    list changes neither the memo nor the next caller's list."""
    from framing.text.quotes import _scan_quote_spans

    text = "“We won,” she said. He called it ‘a shame’.\n\"Not so\", he said."
    first = quote_spans(text)
    assert first == _scan_quote_spans(text) == B.quote_spans(text)
    assert len(first) == 3
    first.clear()
    second = quote_spans(text)
    assert second == _scan_quote_spans(text)
    assert second is not quote_spans(text)
    assert quote_spans("") == []


def test_memo_checks_the_whole_text_and_stays_bounded():
    """The memo is keyed on a text's length and ends: two texts alike there but not in the middle
    each get their own spans, and the memo keeps at most _SHARED_TEXTS texts."""
    from framing.text import quotes as Q

    pad = "x" * 40
    a = f"{pad} “one” and more words {pad}"
    b = f"{pad} (one) and more words {pad}"
    assert len(a) == len(b) and a[:32] == b[:32] and a[-32:] == b[-32:]
    for _ in range(2):
        assert quote_spans(a) == B.quote_spans(a) == [(42, 45, True)]
        assert quote_spans(b) == B.quote_spans(b) == []
        assert quote_spans(a[:-1] + "“") == B.quote_spans(a[:-1] + "“")
    for i in range(Q._SHARED_TEXTS + 10):
        quote_spans(f"“{i}” he said")
    assert len(Q._shared) == Q._SHARED_TEXTS
    assert quote_spans("“0” he said") == B.quote_spans("“0” he said")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _APOSTROPHE_PIECES + _SIMPLE_PIECES), max_size=30).map("".join))
def test_mark_spans_are_the_pattern_finditer(text):
    """The marks found from str.find (a pattern match only at “) are exactly the
    matches of the scan's pattern."""
    from framing.text.quotes import _MARK_CHAR, _mark_spans

    assert _mark_spans(text) == [m.span() for m in _MARK_CHAR.finditer(text)]
