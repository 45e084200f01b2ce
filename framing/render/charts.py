"""Charts for the report: matplotlib, colour-blind-safe, byte-identical on re-runs.

Every chart function takes plain Polars frames and returns a
:class:`matplotlib.figure.Figure` (or ``None`` when there is nothing to
draw); :func:`save_chart` writes it as SVG and PNG with fixed metadata so two
runs give the same bytes. No pyplot, no global backend: figures are built with
:class:`matplotlib.figure.Figure`, so rendering never opens a window and
never touches global state except inside a ``rc_context``.

Colours are the Okabe–Ito palette (safe for the common colour-vision
deficiencies); where colour carries meaning a second channel does too
(marker shape, lane, hatch or a printed number).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import polars as pl
from matplotlib.figure import Figure

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
GREY = "#999999"

# colour of each cue kind, shared by the charts and the HTML highlighting
CUE_COLOURS = {
    "hedge": "#E69F00",
    "distancing": "#0072B2",
    "booster": "#D55E00",
    "reporting_verb": "#009E73",
    "quote": "#999999",
    "named_source": "#56B4E9",
    "anonymous_source": "#CC79A7",
}

# sourcing categories of a sentence, in stacking order
SOURCING = (
    ("named", "named source", "#0072B2", ""),
    ("anonymous", "anonymous source", "#D55E00", "//"),
    ("unclear", "attributed, source unclear", "#E69F00", ""),
    ("unattributed", "not attributed (reporter's voice)", "#DDDDDD", ""),
)

# metrics drawn in the outlet dot plot: column -> (label with unit, direction note)
DOT_METRICS = {
    "hedge_per_1k_words": ("Hedges\nper 1,000 words", "higher = more hedged"),
    "distancing_per_1k_words": ("Distancing cues\nper 1,000 words", "higher = more distancing"),
    "booster_per_1k_words": ("Boosters\nper 1,000 words", "higher = more emphatic"),
    "attribution_density": ("Attributed sentences\nshare (0–1)", "higher = more sourced"),
    "named_source_share": ("Named-source\nattributions, share (0–1)", "higher = more named sources"),
    "loaded_verb_share": ("Loaded reporting verbs\nshare (0–1)", "higher = more loaded verbs"),
    "flesch_kincaid_grade": ("Flesch–Kincaid\ngrade (US school years)", "higher = harder to read"),
}

ZERO_BASED = {m for m in DOT_METRICS if m.endswith("_per_1k_words")}

_RC = {
    "svg.hashsalt": "framing",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "path.simplify": True,
}
_SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_META = {"Software": None}


@dataclass(frozen=True)
class Chart:
    """A chart written to disk: its file stem, title and caption (plain text)."""

    name: str
    title: str
    caption: str
    svg: Path
    png: Path


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=100, layout="constrained")


def save_chart(fig: Figure, out_dir: Path, name: str, *, title: str, caption: str) -> Chart:
    """Write ``fig`` as ``name.svg`` and ``name.png`` with fixed metadata."""
    out_dir.mkdir(parents=True, exist_ok=True)
    svg, png = out_dir / f"{name}.svg", out_dir / f"{name}.png"
    with matplotlib.rc_context(_RC):
        fig.savefig(svg, format="svg", metadata=_SVG_META)
        fig.savefig(png, format="png", metadata=_PNG_META, dpi=100)
    fig.clf()
    return Chart(name, title, caption, svg, png)


def _short(label: str, width: int = 28) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= width else label[: width - 1] + "…"


# ---------------------------------------------------------------- dot plot


def outlet_dot_plot(estimates: pl.DataFrame, metrics: list[str] | None = None) -> Figure | None:
    """Outlets × metrics: mean per outlet with its 95% bootstrap interval.

    ``estimates`` is :func:`framing.stats.outlet_estimates` output. Outlets
    with too little text are drawn hollow below a line and marked †: shown,
    not ranked. Outlets are listed alphabetically (not ranked by value).
    """
    if estimates.height == 0:
        return None
    metrics = [m for m in (metrics or list(DOT_METRICS)) if m in set(estimates["metric"].to_list())]
    if not metrics:
        return None
    info = (
        estimates.group_by("outlet", maintain_order=True)
        .agg(pl.col("n_words").first(), pl.col("rankable").first(), pl.col("n_docs").max())
        .sort(["rankable", "outlet"], descending=[True, False])
    )
    outlets = info["outlet"].to_list()
    rankable = dict(zip(outlets, info["rankable"].to_list()))
    n = len(outlets)
    ypos = {o: n - 1 - i for i, o in enumerate(outlets)}
    n_ranked = sum(1 for o in outlets if rankable[o])
    ncols = len(metrics) if n > 8 else min(4, len(metrics))
    nrows = math.ceil(len(metrics) / ncols)
    fig = _figure(max(7.0, (2.5 if ncols <= 4 else 1.9) * ncols + 2.0), nrows * max(2.2, 0.3 * n + 1.2) + 0.5)
    grid = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    from matplotlib.ticker import MaxNLocator

    for ax, metric in zip(axes, metrics):
        sub = estimates.filter(pl.col("metric") == metric)
        for row in sub.iter_rows(named=True):
            if row["mean"] is None:
                continue
            y = ypos[row["outlet"]]
            ok = rankable[row["outlet"]]
            colour = OKABE_ITO[4] if ok else GREY
            if row["lo"] is not None and row["hi"] is not None:
                ax.plot([row["lo"], row["hi"]], [y, y], color=colour, linewidth=1.6, solid_capstyle="butt")
            ax.plot(
                [row["mean"]], [y], marker="o", markersize=5.5, linestyle="none",
                markerfacecolor=colour if ok else "white", markeredgecolor=colour, markeredgewidth=1.3,
            )
        label, direction = DOT_METRICS.get(metric, (metric, ""))
        ax.set_title(label, fontsize=8.5)
        ax.set_xlabel(direction, fontsize=7.5, color="#444444")
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        vals = [v for v in sub["hi"].to_list() + sub["mean"].to_list() if v is not None]
        top = max(vals) if vals else 1.0
        if "share" in metric or metric == "attribution_density":
            ax.set_xlim(0, 1)
        elif metric in ZERO_BASED:
            ax.set_xlim(0, top * 1.08 if top > 0 else 1.0)
        if 0 < n_ranked < n:
            ax.axhline(n - n_ranked - 0.5, color="#666666", linewidth=0.6, linestyle="--")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    labels = []
    for o in outlets:
        docs = int(info.filter(pl.col("outlet") == o)["n_docs"][0] or 0)
        words = int(info.filter(pl.col("outlet") == o)["n_words"][0] or 0)
        mark = "" if rankable[o] else " †"
        labels.append(f"{_short(o)}{mark}\n{docs} doc{'s' if docs != 1 else ''}, {words:,} words")
    for r in range(nrows):
        grid[r][0].set_yticks([ypos[o] for o in outlets], labels, fontsize=7.5)
    axes[0].set_ylim(-0.7, n - 0.3)
    fig.suptitle(
        "Outlets compared: mean per document with 95% bootstrap interval"
        + ("   († too little text to rank: hollow, shown not ranked)" if n_ranked < n else ""),
        fontsize=9.5,
    )
    return fig


# ---------------------------------------------------------------- sourcing


def sourcing_profile(profile: pl.DataFrame) -> Figure | None:
    """Stacked bars: share of each outlet's sentences by sourcing category, with counts.

    ``profile`` has columns outlet, named, anonymous, unclear, unattributed
    (sentence counts), sorted as they should be drawn (top first).
    """
    if profile.height == 0:
        return None
    outlets = profile["outlet"].to_list()
    n = len(outlets)
    fig = _figure(9.0, max(2.4, 0.36 * n + 1.5))
    ax = fig.subplots()
    totals = [sum(int(profile[key][i] or 0) for key, *_ in SOURCING) for i in range(n)]
    left = [0.0] * n
    for key, label, colour, hatch in SOURCING:
        counts = [int(v or 0) for v in profile[key].to_list()]
        shares = [c / t if t else 0.0 for c, t in zip(counts, totals)]
        ax.barh(
            range(n), shares, left=left, color=colour, hatch=hatch, edgecolor="white",
            linewidth=0.5, label=label,
        )
        for i, (c, s) in enumerate(zip(counts, shares)):
            if c and s >= 0.06:
                dark = colour in ("#0072B2", "#D55E00")
                ax.text(left[i] + s / 2, i, str(c), ha="center", va="center", fontsize=7,
                        color="white" if dark else "black")
        left = [a + b for a, b in zip(left, shares)]
    ax.set_yticks(range(n), [f"{_short(o)} ({t:,} sentences)" for o, t in zip(outlets, totals)], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the outlet's sentences (numbers in bars: sentence counts)")
    ax.set_title("Sourcing profile: who stands behind each sentence", pad=30)
    ax.legend(ncols=4, fontsize=7.5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


# ---------------------------------------------------------------- heatmap


def actor_heatmap(cells: pl.DataFrame, actors: list[str], outlets: list[str]) -> Figure | None:
    """Actor × outlet: mean reporter-voice sentiment (colour) and mention count (number).

    ``cells`` has columns actor, outlet, mentions, sentiment (null when no
    mention was scored). Cells with mentions but no score are hatched grey.
    """
    if not actors or not outlets:
        return None
    import numpy as np

    grid = np.full((len(actors), len(outlets)), np.nan)
    counts = np.zeros((len(actors), len(outlets)), dtype=int)
    ai = {a: i for i, a in enumerate(actors)}
    oi = {o: j for j, o in enumerate(outlets)}
    for row in cells.iter_rows(named=True):
        if row["actor"] in ai and row["outlet"] in oi:
            i, j = ai[row["actor"]], oi[row["outlet"]]
            counts[i, j] = int(row["mentions"] or 0)
            if row["sentiment"] is not None:
                grid[i, j] = float(row["sentiment"])
    finite = np.abs(grid[np.isfinite(grid)])
    lim = max(0.1, math.ceil((finite.max() if finite.size else 0.1) * 10) / 10)
    width = max(6.0, 0.62 * len(outlets) + 3.2)
    height = max(2.8, 0.34 * len(actors) + 2.2)
    fig = _figure(width, height)
    ax = fig.subplots()
    masked = np.ma.masked_invalid(grid)
    cmap = matplotlib.colormaps["PuOr"].with_extremes(bad="white")
    im = ax.imshow(masked, cmap=cmap, vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
    for i in range(len(actors)):
        for j in range(len(outlets)):
            c = counts[i, j]
            if c == 0:
                continue
            v = grid[i, j]
            if not np.isfinite(v):
                ax.add_patch(matplotlib.patches.Rectangle(
                    (j - 0.5, i - 0.5), 1, 1, facecolor="#EEEEEE", hatch="///", edgecolor="#BBBBBB", linewidth=0))
            dark = np.isfinite(v) and abs(v) > 0.6 * lim
            ax.text(j, i, str(c), ha="center", va="center", fontsize=7, color="white" if dark else "black")
    ax.set_xticks(range(len(outlets)), [_short(o, 22) for o in outlets], rotation=40, ha="right", fontsize=7.5)
    ax.set_yticks(range(len(actors)), [_short(a, 30) for a in actors], fontsize=7.5)
    ax.set_xticks([x - 0.5 for x in range(1, len(outlets))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(actors))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(im, ax=ax, shrink=0.8)
    bar.set_label("mean reporter-voice sentiment\n(P(pos) − P(neg), −1 negative … +1 positive)", fontsize=7.5)
    ax.set_title(
        "Actors × outlets: how the reporter's own words around each actor lean\n"
        "(numbers: mentions; hatched: mentioned, no reporter-voice words scored)",
        fontsize=8.5,
    )
    return fig


# ---------------------------------------------------------------- scatter


def readability_hedging(points: pl.DataFrame) -> Figure | None:
    """One dot per document: Flesch–Kincaid grade against hedges per 1,000 words.

    ``points`` has columns outlet, flesch_kincaid_grade, hedge_per_1k_words.
    The eight outlets with most points get a colour and marker; the rest are grey.
    """
    pts = points.drop_nulls(["flesch_kincaid_grade", "hedge_per_1k_words"])
    if pts.height == 0:
        return None
    order = (
        pts.group_by("outlet", maintain_order=True).len()
        .sort(["len", "outlet"], descending=[True, False])["outlet"].to_list()
    )
    styled = order[: len(OKABE_ITO)]
    fig = _figure(7.5, 4.2)
    ax = fig.subplots()
    rest = pts.filter(~pl.col("outlet").is_in(styled))
    if rest.height:
        ax.scatter(rest["flesch_kincaid_grade"].to_list(), rest["hedge_per_1k_words"].to_list(), s=12,
                   color=GREY, alpha=0.5, marker=".", label=f"{len(order) - len(styled)} other outlets ({rest.height} docs)")
    for k, outlet in enumerate(styled):
        sub = pts.filter(pl.col("outlet") == outlet)
        ax.scatter(sub["flesch_kincaid_grade"].to_list(), sub["hedge_per_1k_words"].to_list(), s=34,
                   color=OKABE_ITO[k], marker=MARKERS[k], edgecolor="black", linewidth=0.4,
                   label=f"{_short(outlet, 24)} ({sub.height})")
    ax.set_xlabel("Flesch–Kincaid grade (US school years; higher = harder to read)")
    ax.set_ylabel("hedges per 1,000 words")
    ax.set_title(f"Readability against hedging: {pts.height} measured documents")
    ax.grid(color="#EEEEEE", linewidth=0.6)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="outlet (documents)",
              title_fontsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


# ---------------------------------------------------------------- cue strips

STRIP_LANES = (
    ("quote", "quotes"),
    ("distancing", "distancing"),
    ("hedge", "hedges"),
)


def cue_strips(docs: list[dict]) -> Figure | None:
    """One strip per document: where hedges, distancing cues and quotes fall.

    Each item of ``docs``: label, length (characters), and spans per lane
    (``{"hedge": [(start, end), ...], "distancing": [...], "quote": [...]}``).
    Positions are shown as a share of the article (0 = start, 100% = end);
    every lane has its own row, so colour is not the only cue.
    """
    if not docs:
        return None
    n = len(docs)
    fig = _figure(9.0, 0.62 * n + 1.3)
    ax = fig.subplots()
    lane_h = 0.26
    for i, d in enumerate(docs):
        base = n - 1 - i
        length = max(1, int(d["length"]))
        ax.add_patch(matplotlib.patches.Rectangle((0, base - 0.42), 1, 0.84, facecolor="#F7F7F7", edgecolor="#CCCCCC", linewidth=0.5))
        for k, (lane, _) in enumerate(STRIP_LANES):
            y0 = base - 0.39 + k * lane_h
            colour = CUE_COLOURS[lane]
            for s, e in d["spans"].get(lane, []):
                x0, x1 = s / length, max(e, s + 1) / length
                w = max(x1 - x0, 0.0025)
                ax.add_patch(matplotlib.patches.Rectangle((x0, y0), w, lane_h * 0.85, facecolor=colour,
                                                          edgecolor="none", alpha=0.55 if lane == "quote" else 1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_yticks(
        [n - 1 - i for i in range(n)],
        [f"{_short(d['label'], 40)}\n{d.get('counts', '')}" for d in docs],
        fontsize=7,
    )
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["start", "25%", "50%", "75%", "end"])
    ax.set_xlabel("position in the article (share of its characters)")
    handles = [matplotlib.patches.Patch(color=CUE_COLOURS[lane], label=f"{label} (lane {k + 1} from bottom)")
               for k, (lane, label) in enumerate(STRIP_LANES)]
    ax.legend(handles=handles, ncols=3, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return fig
