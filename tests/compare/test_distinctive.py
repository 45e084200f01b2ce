from collections import Counter

import pytest

from framing.compare.distinctive import fightin_words, top_features, word_counts


def test_word_counts_fold_case_and_apostrophes():
    assert word_counts(["Russia’s Russia's RUSSIA 2024"]) == Counter({"russia's": 2, "russia": 1})


def test_frequent_contrast_outranks_rare_one():
    a = Counter({"war": 40, "peace": 10, "rare": 2, "the": 500})
    b = Counter({"war": 10, "peace": 40, "the": 500})
    rows = fightin_words(a, b)
    z = {r["feature"]: r["z"] for r in rows}
    assert z["war"] > 1.96 and z["peace"] < -1.96
    assert z["war"] > z["rare"] > 0
    assert abs(z["the"]) < 1.96
    top = top_features(rows)
    assert top["a"][0]["feature"] == "war" and top["b"][0]["feature"] == "peace"


@pytest.mark.parametrize("a,b", [(Counter(), Counter({"x": 3})), (Counter({"x": 3}), Counter())])
def test_empty_side_gives_nothing(a, b):
    assert fightin_words(a, b) == []


def test_symmetry():
    a, b = Counter({"x": 9, "y": 3}), Counter({"x": 2, "y": 8})
    za = {r["feature"]: r["z"] for r in fightin_words(a, b)}
    zb = {r["feature"]: r["z"] for r in fightin_words(b, a)}
    assert all(abs(za[k] + zb[k]) < 1e-12 for k in za)
