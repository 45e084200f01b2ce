import polars as pl
import pytest

from framing import stats


def test_bootstrap_interval_contains_mean_and_is_seeded():
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    a = stats.bootstrap_mean_ci(values, seed=7)
    b = stats.bootstrap_mean_ci(values, seed=7)
    assert a == b
    assert a.mean == pytest.approx(4.0)
    assert a.lo < a.mean < a.hi
    assert a.n == 5


@pytest.mark.parametrize(
    "values, expected",
    [
        ([], (None, None, None, 0)),
        ([None, None], (None, None, None, 0)),
        ([2.5], (2.5, None, None, 1)),
        ([3.0, None, float("nan")], (3.0, None, None, 1)),
    ],
)
def test_degenerate_inputs_give_nulls_not_zeros(values, expected):
    e = stats.bootstrap_mean_ci(values, seed=1)
    assert (e.mean, e.lo, e.hi, e.n) == expected


def test_difference_interval_sign():
    e = stats.bootstrap_diff_ci([5, 6, 7, 8], [1, 2, 1, 2], seed=3)
    assert e.mean == pytest.approx(5.0)
    assert 0 < e.lo <= e.mean <= e.hi


@pytest.mark.parametrize(
    "docs, words, ok",
    [(1, 10_000, False), (3, 100, False), (3, 5_000, True)],
)
def test_enough_data(docs, words, ok):
    result, why = stats.enough_data(docs, words)
    assert result is ok
    assert (why is None) is ok


def test_outlet_estimates_sorted_and_flagged():
    m = pl.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "outlet": ["Zeta", "Alpha", "Alpha", "Alpha"],
            "n_words": [100, 900, 900, 900],
            "hedge_per_1k_words": [1.0, 2.0, 4.0, None],
        }
    )
    est = stats.outlet_estimates(m, ["hedge_per_1k_words"], seed=1)
    assert est["outlet"].to_list() == ["Alpha", "Zeta"]
    alpha = est.row(0, named=True)
    assert alpha["mean"] == pytest.approx(3.0)
    assert alpha["n_docs"] == 2
    assert alpha["n_words"] == 2700
    assert alpha["rankable"] is True
    assert est.row(1, named=True)["rankable"] is False
