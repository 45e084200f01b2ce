"""framing.text.patterns: trie_regex (the same matches as a longest-first alternation), char_positions and matches_at."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.text.patterns import char_positions, matches_at, trie_regex

_FORM = st.text(alphabet="abc .", min_size=1, max_size=6).filter(lambda f: f.strip() == f and "  " not in f)


def _alternation(forms, space=None):
    pieces = [re.escape(f) if space is None else space.join(re.escape(w) for w in f.split(" ")) for f in forms]
    return "|".join(sorted(set(pieces), key=lambda p: (-len(p), p)))


def test_examples():
    assert trie_regex(["said", "says", "say"]) == "sa(?:id|y(?:s)?)"
    assert trie_regex(["called for", "call"], space=r"\s+") == r"call(?:ed\s+for)?"
    assert trie_regex([]) == ""
    # runs of one child are walked in a loop: the pattern is the same text as one call per character gave
    assert trie_regex(["accuse", "accused", "accuses", "accusing"]) == "accus(?:e(?:(?:d|s))?|ing)"
    assert trie_regex(["a b c", "a b", "ab", ""], space=r"\s+") == r"(?:a(?:\s+b(?:\s+c)?|b))?"
    assert trie_regex(["x.y", "x", "xyz"]) == r"x(?:(?:\.y|yz))?"
    assert re.fullmatch(trie_regex(["a.b"]), "a.b") and not re.fullmatch(trie_regex(["a.b"]), "axb")


@settings(max_examples=300, deadline=None)
@given(st.lists(_FORM, min_size=1, max_size=8), st.text(alphabet="abc .\n", max_size=30), st.sampled_from([None, r"\s+"]))
def test_same_matches_as_longest_first_alternation(forms, text, space):
    trie = re.compile(trie_regex(forms, space=space))
    flat = re.compile(_alternation(forms, space))
    # a form that is not a prefix of a longer one: the trie's longest match at each place is the flat one's
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_char_positions_are_every_occurrence_in_order():
    assert char_positions("a—b-c—-", "—-") == [1, 3, 5, 6]
    assert char_positions("", "ab") == [] and char_positions("xyz", "") == []


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="—-ab ", max_size=40))
def test_matches_at_the_starts_equal_finditer(text):
    # every match starts with a dash and is never empty; matches of one dash run cannot overlap
    pattern = re.compile(r"[—-]+ ?a*")
    got = [m.span() for m in matches_at(pattern, text, char_positions(text, "—-"))]
    assert got == [m.span() for m in pattern.finditer(text)]
