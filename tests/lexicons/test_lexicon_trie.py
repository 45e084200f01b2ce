"""A lexicon's trie-shaped Polars pattern matches exactly as the flat alternation of its forms."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import lexicons as lx_mod
from framing.lexicons import load_lexicons, parse_lexicon
from framing.measures import hedging

LEXICONS = load_lexicons()
ALL = [lx for lx in LEXICONS.lexicons if lx.kind in hedging.MATCHED_KINDS]


def _flat_spans(texts: pl.Series, lexicon, forms) -> pl.DataFrame:
    return hedging.find_spans(texts, lx_mod._flat_pattern(lexicon, forms))


def _phrase_texts(phrases: list[str]):
    words = ["U.S.", "the", "Officials", "SAID", "x", "É", "’", "'", "-", "may"]
    gaps = [" ", "  ", "\t", ", ", ". ", "-", "", "’", "'", "s ", "ly ", "\u00a0"]
    mangle = st.sampled_from([str, str.upper, str.title, lambda p: p.replace(" ", "  "), lambda p: p[:-1], lambda p: p + "s"])
    piece = st.one_of(st.tuples(st.sampled_from(phrases), mangle).map(lambda pm: pm[1](pm[0])), st.sampled_from(words))
    return st.lists(
        st.lists(st.tuples(piece, st.sampled_from(gaps)), max_size=10).map(lambda parts: "".join(p + g for p, g in parts)),
        min_size=1,
        max_size=6,
    )


@pytest.mark.parametrize("name", [lx.name for lx in ALL])
def test_builtin_lexicons_use_the_trie(name):
    lexicon = LEXICONS.named(name)
    plain = tuple(fc for fc in lexicon._polars_forms if "{W}" not in fc[0])
    trie = lx_mod._trie_pattern(plain)
    assert trie is not None and trie in lexicon.polars_pattern_groups()


@pytest.mark.parametrize("name", [lx.name for lx in ALL])
def test_trie_pattern_matches_as_flat_alternation(name):
    lexicon = LEXICONS.named(name)
    plain = tuple(fc for fc in lexicon._polars_forms if "{W}" not in fc[0])
    trie = lx_mod._trie_pattern(plain)
    phrases = [f for f, _ in plain]

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_phrase_texts(phrases))
    def check(texts):
        series = pl.Series("text", texts, pl.String)
        assert hedging.find_spans(series, trie).equals(_flat_spans(series, lexicon, plain))

    check()


def test_trie_pattern_on_every_form_and_seed_text(seed_corpus):
    texts = seed_corpus.documents["text"].fill_null("").to_list()
    for lexicon in ALL:
        plain = tuple(fc for fc in lexicon._polars_forms if "{W}" not in fc[0])
        trie = lx_mod._trie_pattern(plain)
        every_form = [f for f, _ in plain] + [" ".join(f for f, _ in plain), "".join(f.upper() for f, _ in plain)]
        series = pl.Series("text", texts + every_form, pl.String)
        assert hedging.find_spans(series, trie).equals(_flat_spans(series, lexicon, plain))


def _lexicon(forms: list[str], case_sensitive: bool = False):
    entries = "".join(
        f"[[entry]]\nterm = {json.dumps(form, ensure_ascii=False)}\nid = \"t{k}\"\ncategory = \"c\"\nnote = \"n\"\n"
        f"case_sensitive = {str(case_sensitive).lower()}\n"
        for k, form in enumerate(forms)
    )
    header = '[lexicon]\nname = "t"\nversion = "1"\nkind = "hedge"\nsource = "s"\nlicence = "l"\nmatching = "m"\n'
    return parse_lexicon((header + entries).encode("utf-8"), "test")


@pytest.mark.parametrize(
    ("forms", "texts"),
    [
        (["a b", "a b c", "a bc", "ab", "a"], ["a b c", "a  b c", "a bc", "ab c", "a b.", "A B C d", "a b-c"]),
        (["U.S.", "U.S", "U.S. officials", "u"], ["U.S. officials", "U.S.A.", "the U.S, and U.S", "u.s.", "U"]),
        (["don't", "don’t know", "do"], ["don't know", "don’t know", "Don’T", "do n't", "dont"]),
        (["so-called", "so", "so called"], ["so-called", "so called", "so  called", "so-so", "also"]),
        (["may", "may be", "maybe"], ["may be", "maybe", "May\tbe", "mayor", "may-be"]),
    ],
)
def test_trie_pattern_small_cases(forms, texts):
    lexicon = _lexicon(forms)
    trie = lx_mod._trie_pattern(lexicon._polars_forms)
    assert trie is not None
    series = pl.Series("text", texts, pl.String)
    assert hedging.find_spans(series, trie).equals(_flat_spans(series, lexicon, lexicon._polars_forms))
    assert lexicon.polars_pattern() == trie


def test_trie_refused_where_it_could_differ():
    # a longer path that is a shorter string: the flat order lists "a   b" (5 characters) before "a b c"
    assert lx_mod._trie_pattern((("a   b", False), ("a b c", False))) is None
    assert lx_mod._trie_pattern((("a b c", False), ("a   b", False))) is not None
    # mixed case sensitivity, {W}, non-ASCII letters: the flat alternation
    assert lx_mod._trie_pattern((("May", True), ("may be", False))) is None
    assert lx_mod._trie_pattern((("{W} said", False),)) is None
    assert lx_mod._trie_pattern((("naïve", False),)) is None
    lexicon = _lexicon(["naïve", "naive"])
    assert lexicon.polars_pattern() == lx_mod._flat_pattern(lexicon, lexicon._polars_forms)
