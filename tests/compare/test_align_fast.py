"""The faster sentence alignment gives exactly what the code it replaced gave.

Oracle: the frozen pre-speed-up scorer and alignment in tests/before_speedup.py
(every sentence pair scored one call at a time, the dynamic programme over
NumPy cells). Alignments are compared whole: pairs, similarities, kinds.
"""

from __future__ import annotations

import before_speedup as B
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.seedtexts import seed_texts
from framing.compare import align as A


@pytest.fixture(scope="module")
def seeds():
    return {k: v[0] for k, v in seed_texts().items()}


@pytest.mark.parametrize(("a", "b"), [("003", "001"), ("001", "003"), ("000", "mei"), ("002", "003"), ("mee", "aljazeera"), ("wapo", "russian")])
def test_seed_alignments_identical_to_the_oracle(seeds, a, b):
    got = A.align_texts(seeds[a], seeds[b])
    assert got == B.align_texts(seeds[a], seeds[b])
    if (a, b) == ("003", "001"):
        assert len(got.pairs) > 30  # a rewrite: many pairs, merges and gaps exercised


def test_singles_matrix_is_the_pairwise_score(seeds):
    a = [seeds["003"][s:e] for s, e in A._sentence_spans(seeds["003"])]
    b = [seeds["001"][s:e] for s, e in A._sentence_spans(seeds["001"])]
    fast, slow = A._Scorer(a, b), B._Scorer(a, b)
    matrix = fast.singles()
    for i in range(len(a)):
        for j in range(len(b)):
            assert matrix[i, j] == fast.single(i, j) == slow.score((i,), (j,))
    assert (matrix == 1.0).sum() >= 10  # identical sentences short-cut to 1.0
    assert ((matrix > 0) & (matrix < 1)).sum() > 100


# sentences over a small vocabulary, so that texts share words, whole sentences,
# split/merged sentences and moved ones
_WORDS = ["troops", "capital", "minister", "said", "Kyiv", "forces", "offensive", "claimed", "evidence", "talks", "may", "the", "border", "army", "report"]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9).map(lambda ws: " ".join(ws).capitalize() + ".")
_text = st.lists(_sentence, min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_text, _text, st.data())
def test_alignment_identical_to_the_oracle(a_sents, b_sents, data):
    # B borrows from A (copies, merges of two sentences, reordering) as a rewrite would
    if a_sents:
        picks = data.draw(st.lists(st.integers(0, len(a_sents) - 1), max_size=6))
        for k in picks:
            if k + 1 < len(a_sents) and data.draw(st.booleans()):
                b_sents = [*b_sents, a_sents[k][:-1] + " " + a_sents[k + 1]]
            else:
                b_sents = [*b_sents, a_sents[k]]
        b_sents = data.draw(st.permutations(b_sents)) if data.draw(st.booleans()) else b_sents
    a, b = " ".join(a_sents), " ".join(b_sents)
    assert A.align_texts(a, b) == B.align_texts(a, b)


_total = st.one_of(st.sampled_from([0.5, 0.5000000001, 0.5000000004, 0.4999999996, 0.5000000005, 1.25]), st.floats(0, 5))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_total, st.integers(0, 1), st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=5, unique_by=lambda c: (c[2], c[3])))
def test_best_candidate_is_the_rounded_maximum(raw):
    # the DP's choice: highest total rounded to 9 decimals (NumPy's rounding), then a pair, then low indices
    import numpy as np

    cands = [(np.float64(v), kind, i, j, 0.0) for v, kind, i, j in raw]
    expected = max(cands, key=lambda c: (round(c[0], 9), c[1], -c[2], -c[3]))
    assert A._best_candidate(cands) is expected


def test_best_candidate_lets_a_pair_win_a_rounding_tie():
    skip, pair = (0.5000000004, 0, 1, 2, -1.0), (0.5000000001, 1, 0, 1, 0.7)
    assert A._best_candidate([skip, pair]) is pair  # equal to 9 decimals: the pair wins
    assert A._best_candidate([(0.6, 0, 1, 2, -1.0), pair]) == (0.6, 0, 1, 2, -1.0)
