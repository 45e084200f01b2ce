"""Exact and near-exact duplicates (framing.corpus.dedupe)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.corpus import dedupe

ARTICLE = (
    "Russian President Vladimir Putin said on Thursday that Moscow was ready to negotiate over Ukraine, "
    "but Western officials said there was no sign of a change in the Kremlin's war aims. "
    "The remarks came in an interview broadcast late on Thursday, his first with a Western journalist "
    "since the invasion began, and were quickly dismissed by Kyiv as propaganda."
)
OTHER = (
    "The central bank raised interest rates by a quarter point on Wednesday, its third increase this year, "
    "and signalled that more tightening could follow if inflation stays above its target."
)


@pytest.mark.parametrize(
    "items, expected",
    [
        # exact copy after normalising case, punctuation and spaces
        ([("a", ARTICLE), ("b", ARTICLE.upper().replace(",", " ,"))], {"b": "a"}),
        # near copy: a footer added
        ([("a", ARTICLE), ("b", ARTICLE + " Follow us on social media.")], {"b": "a"}),
        # near copy of a near copy resolves to the first
        ([("a", ARTICLE), ("b", ARTICLE + " Follow us."), ("c", ARTICLE + " Follow us. Subscribe.")], {"b": "a", "c": "a"}),
        # different articles, short texts, empty texts: nothing
        ([("a", ARTICLE), ("b", OTHER)], {}),
        ([("a", "Hello world"), ("b", "Hello there"), ("c", ""), ("d", None)], {}),
        # short exact copies are still exact copies
        ([("a", "Hello world"), ("b", "hello, WORLD!")], {"b": "a"}),
        # a heavy rewrite (half the text) is not a duplicate
        ([("a", ARTICLE), ("b", ARTICLE[: len(ARTICLE) // 2])], {}),
    ],
)
def test_find_duplicates(items, expected):
    assert dedupe.find_duplicates(items) == expected


def test_shingle_sets_are_sorted_distinct_five_grams():
    sets = dedupe._shingle_sets(["a b c d e f", "a b c d e f", "x y", "a b c d e a b c d e"])
    assert [s.size for s in sets] == [2, 2, 1, 5]  # 6 words: 2 five-grams; repeated 5-grams counted once
    assert all(np.all(s[1:] > s[:-1]) for s in sets)
    assert np.array_equal(sets[0], sets[1])
    # "a b c d e" appears in both texts: the hash depends only on the words
    assert np.intersect1d(sets[0], sets[3]).size == 1
    assert dedupe._shingle_sets([]) == []


def test_shingle_sets_stable_across_calls():
    first = dedupe._shingle_sets([ARTICLE.lower(), OTHER.lower()])
    again = dedupe._shingle_sets([OTHER.lower(), ARTICLE.lower()])
    assert np.array_equal(first[0], again[1]) and np.array_equal(first[1], again[0])


def test_sorted_distinct_equals_np_unique():
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 37, 600):
        for high in (3, 50, 2**63):  # many repeats, some, almost none
            values = rng.integers(0, high, size=size, dtype=np.uint64)
            got = dedupe._sorted_distinct(values)
            assert got.dtype == np.uint64 and np.array_equal(got, np.unique(values))
    big = np.array([2**64 - 1, 0, 2**64 - 1, 2**63], dtype=np.uint64)
    assert dedupe._sorted_distinct(big).tolist() == [0, 2**63, 2**64 - 1]


def test_shingle_sets_equal_a_plain_computation():
    import random

    import polars as pl

    rng = random.Random(9)
    vocab = ["putin", "said", "the", "talks", "kyiv", "a", "on", "x1", "é", "moscow"]
    norms = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 40))) for _ in range(60)]
    mask = 2**64 - 1
    mix = list(dedupe._MIX_VALUES)
    assert [int(m) for m in dedupe._mix()] == mix
    got = dedupe._shingle_sets(norms)
    for norm, sh in zip(norms, got):
        words = norm.split(" ")
        h = [int(v) for v in pl.Series(words, dtype=pl.String).hash(seed=dedupe._WORD_SEED).to_list()]
        if len(h) < dedupe.SHINGLE:
            want = {sum(v * m for v, m in zip(h, mix)) & mask}
        else:
            want = {sum(h[i + k] * mix[k] for k in range(dedupe.SHINGLE)) & mask for i in range(len(h) - dedupe.SHINGLE + 1)}
        assert sh.tolist() == sorted(want)


def test_norm_memo_stays_bounded_and_right():
    texts = [f"Text number {i}, with Words!" for i in range(dedupe._MEMO_SIZE + 50)]
    for t in texts:
        assert dedupe._norm(t) == " ".join(t.casefold().replace(",", " ").replace("!", " ").split())
    assert len(dedupe._MEMO) <= dedupe._MEMO_SIZE
    assert texts[-1] in dedupe._MEMO and texts[0] not in dedupe._MEMO  # the oldest went first
    assert dedupe._norm(texts[0]) == "text number 0 with words"


def test_has_words_equals_counting_spaces():
    norms = ["", "a", "a b", "a b c d e f g", "a b c d e f g h", "a b c d e f g h i j", " ".join("w" * 40 for _ in range(300))]
    for norm in norms:
        for n in (1, 2, 7, 8, 9, 12):
            assert dedupe._has_words(norm, n) == (norm.count(" ") + 1 >= n), (norm[:20], n)
