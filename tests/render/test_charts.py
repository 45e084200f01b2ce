"""Charts: each one draws, carries its units and counts, and saves byte-identically."""

from __future__ import annotations

import re

import polars as pl
import pytest

from framing import stats
from framing.render import charts as ch


def _est(n_docs_per_outlet=(5, 4, 1)):
    rows = []
    for k, n in enumerate(n_docs_per_outlet):
        for i in range(n):
            rows.append({"doc_id": f"o{k}d{i}", "outlet": f"Outlet {k}", "n_words": 600,
                         "hedge_per_1k_words": 2.0 + k + i * 0.5, "flesch_kincaid_grade": 8.0 + i,
                         "attribution_density": 0.2 + 0.1 * k})
    m = pl.DataFrame(rows)
    return stats.outlet_estimates(m, ["hedge_per_1k_words", "attribution_density", "flesch_kincaid_grade"], seed=7)


def _svg_text(fig, tmp_path, name="c"):
    with_text = ch._RC | {"svg.fonttype": "none"}
    import matplotlib

    path = tmp_path / f"{name}.svg"
    with matplotlib.rc_context(with_text):
        fig.savefig(path, format="svg", metadata=ch._SVG_META)
    return path.read_text(encoding="utf-8")


def test_dot_plot_labels_units_counts_and_unranked(tmp_path):
    fig = ch.outlet_dot_plot(_est())
    svg = _svg_text(fig, tmp_path)
    assert "per 1,000 words" in svg
    assert "95% bootstrap interval" in svg
    assert "5 docs, 3,000 words" in svg
    # Outlet 2 has one document: shown with a dagger, not ranked
    assert "Outlet 2 †" in svg and "Outlet 0 †" not in svg


@pytest.mark.parametrize(
    "fn,args",
    [
        (ch.outlet_dot_plot, (pl.DataFrame(schema={"outlet": pl.String, "metric": pl.String}),)),
        (ch.sourcing_profile, (pl.DataFrame(schema={"outlet": pl.String}),)),
        (ch.actor_heatmap, (pl.DataFrame(), [], [])),
        (ch.readability_hedging, (pl.DataFrame(schema={"outlet": pl.String, "flesch_kincaid_grade": pl.Float64, "hedge_per_1k_words": pl.Float64}),)),
        (ch.cue_strips, ([],)),
    ],
)
def test_nothing_to_draw_gives_none(fn, args):
    assert fn(*args) is None


def test_heatmap_prints_counts_and_hatches_unscored(tmp_path):
    cells = pl.DataFrame({"actor": ["A", "A", "B"], "outlet": ["X", "Y", "X"], "mentions": [12, 3, 7],
                          "sentiment": [-0.4, None, 0.25]})
    svg = _svg_text(ch.actor_heatmap(cells, ["A", "B"], ["X", "Y"]), tmp_path)
    for count in ("12", "3", "7"):
        assert re.search(rf">\s*{count}\s*<", svg), count
    assert "P(pos) − P(neg)" in svg  # the colour bar names the scale
    assert "hatched" in svg


def test_sourcing_profile_counts_and_legend(tmp_path):
    prof = pl.DataFrame({"outlet": ["X"], "named": [4], "anonymous": [2], "unclear": [1], "unattributed": [13]})
    svg = _svg_text(ch.sourcing_profile(prof), tmp_path)
    assert "X (20 sentences)" in svg
    assert "anonymous source" in svg and "not attributed" in svg
    assert re.search(r">\s*13\s*<", svg)


def test_scatter_and_strips_label_axes(tmp_path):
    pts = pl.DataFrame({"outlet": ["X", "X", "Y"], "flesch_kincaid_grade": [8.0, 9.5, None], "hedge_per_1k_words": [3.0, 1.0, 2.0]})
    svg = _svg_text(ch.readability_hedging(pts), tmp_path, "s")
    assert "2 measured documents" in svg and "hedges per 1,000 words" in svg and "higher = harder to read" in svg
    strips = ch.cue_strips([{"label": "X: a <title>", "length": 100, "counts": "1 hedges",
                             "spans": {"hedge": [(10, 13)], "quote": [(50, 90)], "distancing": []}}])
    svg = _svg_text(strips, tmp_path, "t")
    assert "position in the article" in svg and "X: a &lt;title&gt;" in svg


def test_save_chart_is_byte_identical_and_has_no_date(tmp_path):
    outs = []
    for k in range(2):
        chart = ch.save_chart(ch.outlet_dot_plot(_est()), tmp_path / f"r{k}", "dots", title="t", caption="c")
        outs.append((chart.svg.read_bytes(), chart.png.read_bytes()))
    assert outs[0] == outs[1]
    svg = outs[0][0].decode("utf-8")
    assert "<dc:date>" not in svg and "matplotlib.org" not in svg
    assert b"matplotlib" not in outs[0][1]
