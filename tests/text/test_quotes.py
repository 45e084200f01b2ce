"""Quotation spans: curly/straight/guillemets, apostrophes, paragraphs, unbalanced marks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.text.quotes import quote_spans


def spans(text: str) -> list[tuple[str, bool]]:
    return [(text[s:e], closed) for s, e, closed in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We are ready,” he said.", [("We are ready,", True)]),
        ('"We are ready," he said.', [("We are ready,", True)]),
        ("He said it was ‘impossible’ today.", [("impossible", True)]),
        ("He said it was 'impossible' today.", [("impossible", True)]),
        ("«Fight in Ukraine?» asked Mr. Putin.", [("Fight in Ukraine?", True)]),
        ("I don’t think Russia’s army in the 90s’ style works.", []),
        ("Don't touch Russia's 'dialogue' now.", [("dialogue", True)]),
        ("It was the ’90s, ’em all.", []),
        ("''Tell me,'' Mr. Ferriola said.", [("Tell me,", True)]),
        ("“Open here\n“and again.”", [("Open here", False), ("and again.", True)]),
        ("“Never closed", [("Never closed", False)]),
        ("You should fight in Ukraine? » asked Mr. Putin.", [("You should fight in Ukraine?", False)]),
        ("First one. Then stray” said he.", [("Then stray", False)]),
        ("“One “two” three", [("One", False), ("two", True)]),
        ("“He said ‘no’ twice,” she said.", [("He said ‘no’ twice,", True)]),
        ("", []),
    ],
)
def test_quote_spans(text, expected):
    assert spans(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,\n“”‘’'\"«»", max_size=80))
def test_never_crashes_and_spans_are_inside_one_paragraph(text):
    out = quote_spans(text)
    for s, e, closed in out:
        assert 0 <= s < e <= len(text)
        assert "\n" not in text[s:e]
        assert isinstance(closed, bool)
    assert out == sorted(out)
