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


def test_quote_spans_equal_the_per_paragraph_scan_on_the_seeds(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    assert texts
    for text in texts:
        assert quote_spans(text) == B.quote_spans(text)
