"""The framing report: one self-contained HTML page, a Markdown twin, charts, frames, manifest.

:func:`build_report` turns an :class:`framing.analysis.Analysis` into a folder::

    index.html      charts inline (base64 SVG), CSS inline, no external resources
    report.md       the same sections in Markdown; charts linked from charts/
    charts/*.svg    every chart as SVG and PNG (fixed metadata: same bytes each run)
    charts/*.png
    frames/*.parquet  the analysis frames
    manifest.json   versions, lexicons, configuration, input and output hashes

Everything taken from the articles is untrusted: the HTML templates run with
autoescape on and every highlighted fragment is escaped here before it is
wrapped in markup; the Markdown twin escapes ``& < > |`` in every value.
Outlet figures are means over documents with seeded bootstrap intervals
(framing.stats); an outlet with too little text is shown but not ranked.

The work here is arranging numbers the measures produced: the view model is
built with Polars expressions; the only per-document loop renders the
highlighted article of each card (sequential by nature: spans to markup).
"""

from __future__ import annotations

import base64
import hashlib
import math
from pathlib import Path

import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from framing import schema, stats
from framing.render import charts as ch
from framing.render.manifest import build_manifest, display_path, write_manifest

DEFAULT_CARD_LIMIT = 60
UNKNOWN_OUTLET = "(unknown outlet)"
NAMED_TYPES = ("named_person", "named_organization", "document")
STRIP_KINDS = ("hedge", "distancing", "quote")
HIGHLIGHT_KINDS = ("hedge", "distancing", "booster", "reporting_verb", "named_source", "anonymous_source", "quote")
KIND_LABELS = {
    "hedge": "hedge",
    "distancing": "distancing",
    "booster": "booster",
    "reporting_verb": "reporting verb",
    "named_source": "named source",
    "anonymous_source": "anonymous source",
    "quote": "quoted / attributed content",
}
KIND_STYLES = {
    "hedge": "orange background, dotted underline",
    "distancing": "blue wavy underline",
    "booster": "vermillion double underline",
    "reporting_verb": "green bold, solid underline",
    "named_source": "sky-blue box",
    "anonymous_source": "purple dashed box",
    "quote": "grey background (direct) or dotted grey border (indirect), speaker shown before it",
}

# metrics in the outlet table, in bootstrap-seed order (do not reorder: seeds depend on position)
OUTLET_METRICS = (
    "hedge_per_1k_words",
    "distancing_per_1k_words",
    "booster_per_1k_words",
    "attribution_density",
    "named_source_share",
    "loaded_verb_share",
    "flesch_kincaid_grade",
    "quote_share",
    "reporting_verb_per_1k_words",
    "anonymous_source_per_1k_words",
    "flesch_reading_ease",
    "gunning_fog",
    "mean_sentence_words",
)
METRIC_LABELS = {
    "hedge_per_1k_words": "Hedges per 1,000 words",
    "distancing_per_1k_words": "Distancing cues per 1,000 words",
    "booster_per_1k_words": "Boosters per 1,000 words",
    "reporting_verb_per_1k_words": "Reporting verbs per 1,000 words",
    "quote_per_1k_words": "Quote cues per 1,000 words",
    "named_source_per_1k_words": "Named-source cues per 1,000 words",
    "anonymous_source_per_1k_words": "Anonymous-source cues per 1,000 words",
    "attribution_density": "Attributed sentences (share)",
    "quote_share": "Words in quoted speech (share)",
    "named_source_share": "Attributions with a named source (share)",
    "anonymous_sources": "Anonymous sources (count)",
    "loaded_verb_share": "Attributions with a loaded verb (share)",
    "flesch_reading_ease": "Flesch reading ease",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG grade",
    "dale_chall": "Dale–Chall score",
    "mean_sentence_words": "Words per sentence (mean)",
}
STORY_METRICS = (
    "hedge_per_1k_words",
    "distancing_per_1k_words",
    "attribution_density",
    "named_source_share",
    "anonymous_sources",
    "loaded_verb_share",
    "quote_share",
    "flesch_kincaid_grade",
)
STORY_COLUMNS = 8
# the report's only script: open every collapsed section before printing (allowed by hash in the page's CSP)
PRINT_SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
)


# ---------------------------------------------------------------- formatting


def fmt(value, digits: int = 2) -> str:
    """A number for people: thousands separators, fixed digits, '—' for null."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def fmt_ci(mean, lo, hi, digits: int = 2) -> str:
    if mean is None:
        return "—"
    if lo is None or hi is None:
        return f"{fmt(mean, digits)} (no interval: 1 document)"
    return f"{fmt(mean, digits)} [{fmt(lo, digits)} – {fmt(hi, digits)}]"


def _slug(value: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in str(value).lower())
    return "-".join(p for p in out.split("-") if p)[:60] or "x"


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (never a javascript: link)."""
    if not url:
        return None
    u = str(url).strip()
    return u if u.lower().startswith(("http://", "https://")) else None


# ---------------------------------------------------------------- highlighting


def highlight(text: str, cues: list[dict], quotes: list[dict]) -> Markup:
    """The article as escaped HTML with cues and quotes wrapped in spans.

    Spans may overlap: the text is cut at every span boundary and each piece
    gets the classes of every span covering it, so the markup never nests
    incorrectly. Every piece of article text goes through ``escape``.
    """
    n = len(text)
    spans = []  # (start, end, class, title, speaker)
    for c in cues:
        s, e = c.get("start"), c.get("end")
        if s is None or e is None or not (0 <= s < e <= n):
            continue
        kind = c.get("kind") or "other"
        title = f"{KIND_LABELS.get(kind, kind)}: {c.get('term') or ''}"
        if c.get("category"):
            title += f" ({c['category']})"
        spans.append((s, e, f"c-{_slug(kind)}", title, None))
    for q in quotes:
        s, e = q.get("start"), q.get("end")
        if s is None or e is None or not (0 <= s < e <= n):
            continue
        who = q.get("speaker") or q.get("source") or f"unnamed ({q.get('source_type') or 'unknown'})"
        cls = "q-direct" if q.get("direct") else "q-indirect"
        spans.append((s, e, cls, f"{'quoted' if q.get('direct') else 'attributed'} to {who} via “{q.get('cue') or ''}”", who))
    if not spans:
        return Markup(escape(text))
    cuts = sorted({0, n} | {s for s, *_ in spans} | {e for _, e, *_ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        active = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if not active:
            out.append(piece)
            continue
        classes = " ".join(sorted({sp[2] for sp in active}))
        title = "; ".join(sorted({sp[3] for sp in active}))
        starts = [sp[4] for sp in active if sp[4] is not None and sp[0] == a]
        speaker = Markup(' data-speaker="{}"').format(starts[0]) if starts else Markup("")
        out.append(Markup('<span class="{}" title="{}"{}>{}</span>').format(classes, title, speaker, piece))
    return Markup("").join(out)


def strip_svg(length: int, spans: dict[str, list[tuple[int, int]]]) -> Markup:
    """A small inline SVG: one lane per kind (hedges, distancing, quotes) along the article."""
    length = max(1, int(length))
    parts = ['<svg class="strip" viewBox="0 0 1000 42" preserveAspectRatio="none" role="img" '
             'aria-label="where hedges, distancing cues and quotes fall in the article">',
             '<rect x="0" y="0" width="1000" height="42" fill="#f7f7f7" stroke="#ccc"/>']
    for k, kind in enumerate(STRIP_KINDS):
        y = 2 + k * 13
        colour = ch.CUE_COLOURS[kind]
        for s, e in spans.get(kind, []):
            x = 1000 * s / length
            w = max(2.5, 1000 * (e - s) / length)
            opacity = ' fill-opacity="0.6"' if kind == "quote" else ""
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="11" fill="{colour}"{opacity}/>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------- view model


def _outlet_col(frame: pl.DataFrame) -> pl.Expr:
    return pl.col("outlet").fill_null(UNKNOWN_OUTLET)


def _rows(frame: pl.DataFrame) -> list[dict]:
    return frame.to_dicts()


def _overview(docs: pl.DataFrame, metrics: pl.DataFrame, errors: pl.DataFrame) -> dict:
    per_outlet = (
        docs.with_columns(_outlet_col(docs))
        .group_by("outlet")
        .agg(
            pl.len().alias("documents"),
            pl.col("measured").fill_null(False).sum().alias("measured"),
            pl.col("n_words").sum().alias("words"),
            pl.col("language").fill_null("und").unique().sort().str.join(", ").alias("languages"),
            pl.col("date").min().cast(pl.String).alias("first"),
            pl.col("date").max().cast(pl.String).alias("last"),
        )
        .sort(["documents", "outlet"], descending=[True, False])
    )
    languages = (
        docs.group_by(pl.col("language").fill_null("und"))
        .agg(pl.len().alias("documents"), pl.col("measured").fill_null(False).sum().alias("measured"))
        .sort(["documents", "language"], descending=[True, False])
    )
    not_measured = (
        docs.filter(~pl.col("measured").fill_null(False))
        .select("doc_id", _outlet_col(docs), "title", "language", pl.col("not_measured_reason").fill_null("not measured"))
        .sort("doc_id")
    )
    readability = (
        metrics.join(docs.select("doc_id", "measured"), on="doc_id", how="left")
        .filter(pl.col("readability_note").is_not_null() & pl.col("measured").fill_null(False))
        .group_by("readability_note")
        .agg(pl.len().alias("documents"), pl.col("doc_id").sort().head(5).str.join(", ").alias("examples"))
        .sort(["documents", "readability_note"], descending=[True, False])
    )
    dupes = docs.filter(pl.col("duplicate_of").is_not_null()).select("doc_id", "duplicate_of").sort("doc_id")
    errs = errors.select(
        pl.col("path").map_elements(display_path, return_dtype=pl.String) if errors.height else pl.col("path"),
        "segment",
        "reason",
    ).sort(["path", "segment"], nulls_last=True)
    return {
        "documents": docs.height,
        "measured": int(docs["measured"].fill_null(False).sum()) if docs.height else 0,
        "words": int(docs["n_words"].fill_null(0).sum()) if docs.height else 0,
        "outlets": _rows(per_outlet),
        "n_outlets": per_outlet.height,
        "languages": _rows(languages),
        "not_measured": _rows(not_measured),
        "not_measured_reasons": _rows(
            not_measured.group_by("not_measured_reason").agg(pl.len().alias("documents"))
            .sort(["documents", "not_measured_reason"], descending=[True, False])
        ),
        "readability_notes": _rows(readability),
        "duplicates": _rows(dupes),
        "errors": _rows(errs.head(200)),
        "n_errors": errors.height,
    }


def _estimates(analysis) -> pl.DataFrame:
    docs = analysis.documents.select("doc_id", "measured")
    m = (
        analysis.metrics.join(docs, on="doc_id", how="left")
        .filter(pl.col("measured").fill_null(False))
        .with_columns(_outlet_col(analysis.metrics))
    )
    cols = [c for c in OUTLET_METRICS if c in m.columns]
    return stats.outlet_estimates(m, cols, seed=analysis.config.seed)


def _comparison(est: pl.DataFrame, outlets_shown: list[str]) -> dict:
    if est.height == 0:
        return {"outlets": [], "metrics": [], "rankings": [], "unranked": [], "shown": []}
    info = (
        est.group_by("outlet", maintain_order=True)
        .agg(pl.col("n_docs").max(), pl.col("n_words").first(), pl.col("rankable").first(), pl.col("note").first())
        .sort("outlet")
    )
    metrics = [m for m in OUTLET_METRICS if m in set(est["metric"].to_list())]
    cells = {(r["outlet"], r["metric"]): r for r in est.iter_rows(named=True)}
    rows = []
    for o in info.iter_rows(named=True):
        rows.append({
            **o,
            "cells": [fmt_ci(cells[(o["outlet"], m)]["mean"], cells[(o["outlet"], m)]["lo"], cells[(o["outlet"], m)]["hi"])
                      for m in metrics],
        })
    rankings = []
    for m in metrics:
        ranked = [cells[(o, m)] for o in info.filter(pl.col("rankable"))["outlet"].to_list()
                  if cells[(o, m)]["mean"] is not None]
        if len(ranked) < 2:
            rankings.append({"metric": METRIC_LABELS.get(m, m), "text": "not ranked: fewer than two outlets have enough text"})
            continue
        ranked.sort(key=lambda r: (-r["mean"], r["outlet"]))
        hi, lo = ranked[0], ranked[-1]
        overlap = (hi["lo"] is None or lo["hi"] is None or hi["lo"] <= lo["hi"])
        verdict = ("their 95% intervals overlap, so the difference is not clear" if overlap
                   else "their 95% intervals do not overlap")
        rankings.append({
            "metric": METRIC_LABELS.get(m, m),
            "text": f"highest {hi['outlet']} ({fmt_ci(hi['mean'], hi['lo'], hi['hi'])}), lowest {lo['outlet']} "
                    f"({fmt_ci(lo['mean'], lo['lo'], lo['hi'])}); {verdict}",
        })
    return {
        "outlets": rows,
        "metrics": [METRIC_LABELS.get(m, m) for m in metrics],
        "rankings": rankings,
        "unranked": _rows(info.filter(~pl.col("rankable")).select("outlet", "n_docs", "n_words", "note")),
        "shown": outlets_shown,
    }


def _sourcing(analysis) -> pl.DataFrame:
    docs = analysis.documents.select("doc_id", _outlet_col(analysis.documents))
    sents = analysis.sentences.select("doc_id", "sent_id", pl.col("attributed").fill_null(False))
    q = analysis.quotes
    rank = (
        pl.when(pl.col("source_type").is_in(NAMED_TYPES)).then(0)
        .when(pl.col("source_type") == "anonymous").then(1)
        .otherwise(2)
    )
    best = q.group_by("doc_id", "sent_id").agg(rank.min().alias("_r")) if q.height else pl.DataFrame(
        schema={"doc_id": pl.String, "sent_id": pl.Int64, "_r": pl.Int32})
    cat = (
        sents.join(best, on=["doc_id", "sent_id"], how="left")
        .with_columns(
            pl.when(pl.col("_r") == 0).then(pl.lit("named"))
            .when(pl.col("_r") == 1).then(pl.lit("anonymous"))
            .when(pl.col("_r").is_not_null() | pl.col("attributed")).then(pl.lit("unclear"))
            .otherwise(pl.lit("unattributed"))
            .alias("cat")
        )
        .join(docs, on="doc_id", how="left")
    )
    keys = [k for k, *_ in ch.SOURCING]
    out = cat.group_by("outlet").agg(*[(pl.col("cat") == k).sum().cast(pl.Int64).alias(k) for k in keys]).sort("outlet")
    return out.with_columns(pl.sum_horizontal(keys).alias("sentences"))


def _actor_cells(analysis, top_n: int) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    docs = analysis.documents.select("doc_id", _outlet_col(analysis.documents))
    a = analysis.actors.join(docs, on="doc_id", how="left")
    if a.height == 0:
        return a, pl.DataFrame(), []
    weighted = pl.col("reporter_sentiment_mean").fill_null(0.0) * pl.col("reporter_sentiment_n").fill_null(0)
    qweighted = pl.col("quoted_sentiment_mean").fill_null(0.0) * pl.col("quoted_sentiment_n").fill_null(0)
    table = (
        a.group_by("actor")
        .agg(
            pl.col("actor_type").drop_nulls().mode().sort().first().alias("actor_type"),
            pl.col("mentions").sum().alias("mentions"),
            pl.col("doc_id").n_unique().alias("documents"),
            pl.col("outlet").n_unique().alias("outlets"),
            pl.col("quoted_words").sum().alias("quoted_words"),
            weighted.sum().alias("_rs"),
            pl.col("reporter_sentiment_n").fill_null(0).sum().alias("reporter_n"),
            qweighted.sum().alias("_qs"),
            pl.col("quoted_sentiment_n").fill_null(0).sum().alias("quoted_n"),
        )
        .with_columns(
            pl.when(pl.col("reporter_n") > 0).then(pl.col("_rs") / pl.col("reporter_n")).alias("reporter_sentiment"),
            pl.when(pl.col("quoted_n") > 0).then(pl.col("_qs") / pl.col("quoted_n")).alias("quoted_sentiment"),
        )
        .drop("_rs", "_qs")
        .sort(["mentions", "actor"], descending=[True, False])
    )
    top = table.head(top_n)
    cells = (
        a.filter(pl.col("actor").is_in(top["actor"].to_list()))
        .group_by("actor", "outlet")
        .agg(pl.col("mentions").sum(), weighted.sum().alias("_s"), pl.col("reporter_sentiment_n").fill_null(0).sum().alias("_n"))
        .with_columns(pl.when(pl.col("_n") > 0).then(pl.col("_s") / pl.col("_n")).alias("sentiment"))
        .drop("_s")
        .sort("actor", "outlet")
    )
    return table, cells, top["actor"].to_list()


def _stories(analysis, by_doc: dict[str, dict], top_n: int) -> dict:
    docs = analysis.documents
    from framing.analysis import STORY_SKIPPED

    skipped = next((n for n in getattr(analysis, "notes", ()) if n.startswith(STORY_SKIPPED)), None)
    if skipped:
        return {"stories": [], "more": [], "singletons": 0, "skipped": skipped[0].upper() + skipped[1:]}
    if "story_id" not in docs.columns or docs.height == 0:
        return {"stories": [], "more": [], "singletons": docs.height, "skipped": None}
    sized = (
        docs.filter(pl.col("story_id").is_not_null())
        .group_by("story_id")
        .agg(pl.len().alias("n"), pl.col("outlet").fill_null(UNKNOWN_OUTLET).n_unique().alias("n_outlets"))
        .sort(["n", "story_id"], descending=[True, False])
    )
    multi = sized.filter(pl.col("n") >= 2)
    singles = docs.height - int(multi["n"].sum() or 0)
    quotes = analysis.quotes
    speakers = (
        quotes.with_columns(pl.coalesce("speaker", "source").fill_null("(unnamed)").alias("who"))
        .group_by("doc_id", "who").agg(pl.len().alias("n"))
        .sort(["doc_id", "n", "who"], descending=[False, True, False])
        .group_by("doc_id", maintain_order=True).agg(pl.col("who"), pl.col("n"))
    ) if quotes.height else pl.DataFrame(schema={"doc_id": pl.String, "who": pl.List(pl.String), "n": pl.List(pl.UInt32)})
    who = {r["doc_id"]: list(zip(r["who"], r["n"])) for r in speakers.iter_rows(named=True)}
    metrics = {r["doc_id"]: r for r in analysis.metrics.iter_rows(named=True)} if multi.height else {}
    out = []
    for s in multi.head(top_n).iter_rows(named=True):
        members = (
            docs.filter(pl.col("story_id") == s["story_id"])
            .sort(["date", "outlet", "doc_id"], nulls_last=True)
            .select("doc_id")["doc_id"].to_list()
        )
        cols = []
        for d in members[:STORY_COLUMNS]:
            info = by_doc[d]
            m = metrics.get(d, {})
            speakers_here = who.get(d, [])
            cols.append({
                **info,
                "values": [fmt(m.get(k)) if not isinstance(m.get(k), int) else fmt(m.get(k)) for k in STORY_METRICS],
                "quoted": [f"{w} ({n})" for w, n in speakers_here[:6]],
                "speakers": {w for w, _ in speakers_here},
            })
        all_sets = [c["speakers"] for c in cols]
        for c in cols:
            others = set().union(*(x for x in all_sets if x is not c["speakers"])) if len(cols) > 1 else set()
            c["only_here"] = sorted(w for w in c["speakers"] - others if w != "(unnamed)")[:6]
            del c["speakers"]
        label = next((by_doc[d]["title"] for d in members if by_doc[d]["title"]), s["story_id"])
        out.append({
            "story_id": s["story_id"],
            "label": label,
            "n": s["n"],
            "n_outlets": s["n_outlets"],
            "docs": cols,
            "hidden": max(0, len(members) - STORY_COLUMNS),
            "metric_labels": [METRIC_LABELS[k] for k in STORY_METRICS],
        })
    more = _rows(multi.slice(top_n)) if multi.height > top_n else []
    return {"stories": out, "more": more, "singletons": singles, "skipped": None}


def _cards(analysis, card_ids: list[str], by_doc: dict[str, dict]) -> list[dict]:
    if not card_ids:
        return []
    ids = list(card_ids)
    docs = analysis.documents.filter(pl.col("doc_id").is_in(ids))
    text_of = dict(zip(docs["doc_id"].to_list(), docs["text"].to_list()))
    cue_by = analysis.cues.filter(pl.col("doc_id").is_in(ids)).partition_by("doc_id", as_dict=True, maintain_order=True)
    quote_by = analysis.quotes.filter(pl.col("doc_id").is_in(ids)).partition_by("doc_id", as_dict=True, maintain_order=True)
    metric_by = {r["doc_id"]: r for r in analysis.metrics.filter(pl.col("doc_id").is_in(ids)).iter_rows(named=True)}
    cards = []
    for d in card_ids:
        info = by_doc[d]
        text = text_of.get(d) or ""
        cues = cue_by.get((d,), pl.DataFrame()).to_dicts()
        quotes = quote_by.get((d,), pl.DataFrame()).to_dicts()
        m = metric_by.get(d, {})
        n_words = m.get("n_words") or info["n_words"]
        rows = []
        for kind in schema.CUE_KINDS:
            n = m.get(f"n_{kind}")
            rate = m.get(f"{kind}_per_1k_words")
            rows.append({"label": KIND_LABELS.get(kind, kind), "value": fmt(n),
                         "detail": f"{fmt(rate)} per 1,000 of {fmt(n_words)} words" if rate is not None else ""})
        n_att = len(quotes)
        rows += [
            {"label": "attributed sentences", "value": fmt(m.get("attribution_density")),
             "detail": f"share of {fmt(m.get('n_sentences'))} sentences"},
            {"label": "quoted words", "value": fmt(m.get("quote_share")), "detail": f"share of {fmt(n_words)} words"},
            {"label": "named-source attributions", "value": fmt(m.get("named_source_share")), "detail": f"share of {n_att} attributions"},
            {"label": "anonymous sources", "value": fmt(m.get("anonymous_sources")), "detail": "count"},
            {"label": "loaded reporting verbs", "value": fmt(m.get("loaded_verb_share")), "detail": f"share of {n_att} attributions"},
            {"label": "Flesch–Kincaid grade", "value": fmt(m.get("flesch_kincaid_grade")), "detail": "US school years; higher = harder"},
            {"label": "Flesch reading ease", "value": fmt(m.get("flesch_reading_ease")), "detail": "higher = easier"},
            {"label": "words per sentence", "value": fmt(m.get("mean_sentence_words")), "detail": f"{fmt(m.get('n_sentences'))} sentences"},
        ]
        spans = {k: [] for k in STRIP_KINDS}
        for c in cues:
            if c["kind"] in ("hedge", "distancing"):
                spans[c["kind"]].append((c["start"], c["end"]))
        for q in quotes:
            if q.get("start") is not None and q.get("end") is not None:
                spans["quote"].append((q["start"], q["end"]))
        qlist = [
            {"who": q.get("speaker") or q.get("source") or "(unnamed)", "type": q.get("source_type") or "",
             "cue": q.get("cue") or "", "direct": bool(q.get("direct")), "loaded": bool(q.get("loaded_cue")),
             "content": _clip(text[q["start"]:q["end"]] if q.get("start") is not None else "", 160)}
            for q in quotes
        ]
        cards.append({
            **info,
            "metrics": rows,
            "readability_note": m.get("readability_note"),
            "article": highlight(text, cues, quotes) if info["measured"] else Markup(escape(text)),
            "strip": strip_svg(len(text), spans),
            "strip_counts": {k: len(v) for k, v in spans.items()},
            "strip_spans": spans,
            "quotes": qlist,
            "cue_terms": _cue_terms(cues),
            "length": len(text),
        })
    return cards


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _cue_terms(cues: list[dict]) -> list[dict]:
    counts: dict[tuple[str, str], int] = {}
    for c in cues:
        key = (c["kind"], (c.get("term") or "").lower())
        counts[key] = counts.get(key, 0) + 1
    items = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    return [{"kind": KIND_LABELS.get(k, k), "term": t, "n": n} for (k, t), n in items]


def _doc_index(analysis) -> tuple[dict[str, dict], list[str]]:
    docs = (
        analysis.documents.sort(["outlet", "date", "doc_id"], nulls_last=True)  # unknown outlet last
        .with_columns(_outlet_col(analysis.documents))
    )
    title_of = dict(zip(docs["doc_id"].to_list(), docs["title"].to_list()))
    outlet_of = dict(zip(docs["doc_id"].to_list(), docs["outlet"].to_list()))
    by_doc = {}
    order = []
    for r in docs.select(
        "doc_id", "outlet", "title", "author", "date", "url", "language", "source_path", "segment",
        "n_words", "n_sentences", "measured", "not_measured_reason", "derived_from", "duplicate_of", "story_id",
    ).iter_rows(named=True):
        d = r["doc_id"]
        order.append(d)
        src = r["derived_from"]
        by_doc[d] = {
            **r,
            "date": str(r["date"]) if r["date"] is not None else None,
            "url_link": safe_url(r["url"]),
            "source_path": display_path(r["source_path"]) if r["source_path"] else None,
            "measured": bool(r["measured"]),
            "anchor": f"doc-{_slug(d)}",
            "derived_label": (f"{outlet_of.get(src, '?')}: {title_of.get(src) or src}" if src else None),
            "derived_anchor": f"doc-{_slug(src)}" if src else None,
        }
    return by_doc, order


# ---------------------------------------------------------------- methods

METHODS = (
    ("Hedges per 1,000 words", "hedge cues / n_words × 1000", "cues per 1,000 words",
     "higher = more tentative wording", "framing lexicon `hedges` (see lexicons below)",
     "counts words, not meaning: 'may' in a quote is the speaker's hedge; a lexicon misses hedges it does not list"),
    ("Distancing cues per 1,000 words", "distancing cues / n_words × 1000", "cues per 1,000 words",
     "higher = the writer keeps more distance from claims ('so-called', 'alleged', scare quotes)",
     "framing lexicon `distancing` and partial-quote rule", "irony and scare quotes without a listed word are missed"),
    ("Boosters per 1,000 words", "booster cues / n_words × 1000", "cues per 1,000 words",
     "higher = more emphatic certainty", "framing lexicon `boosters`", "as for hedges"),
    ("Attributed sentences", "sentences carrying or continuing an attribution / sentences", "share, 0–1",
     "higher = more of the text is sourced", "attribution rules (reporting verbs, 'according to')",
     "machine-translated text without quotation marks hides quotes; continuation across sentences is heuristic"),
    ("Words in quoted speech", "words inside quotation marks / n_words", "share, 0–1",
     "higher = more in others' words", "quote-span detection", "unbalanced or missing quotation marks"),
    ("Named-source attributions", "attributions whose source is a named person, organisation or document / attributions",
     "share, 0–1", "higher = more transparent sourcing", "attribution ledger (quotes frame)",
     "pronoun sources ('he said') count as named only when resolved"),
    ("Anonymous sources", "attributions to anonymous sources + anonymous-source cues outside them", "count",
     "higher = more unnamed sourcing", "framing lexicon `anonymous_sources`", "phrasings not in the lexicon are missed"),
    ("Loaded reporting verbs", "attributions with a loaded verb (claimed, insisted, admitted…) / attributions",
     "share, 0–1", "higher = more evaluative attribution", "framing lexicon `reporting_verbs`",
     "'claimed' can be neutral in some registers"),
    ("Flesch reading ease", "206.835 − 1.015 × words/sentence − 84.6 × syllables/word", "score (about 0–100)",
     "higher = easier to read", "textstat (pinned version; English; syllables from CMUdict)",
     "textstat's sentence counter drops fragments of two words or fewer: its sentence basis differs from ours"),
    ("Flesch–Kincaid grade", "0.39 × words/sentence + 11.8 × syllables/word − 15.59", "US school grade",
     "higher = harder to read", "textstat", "same sentence basis caveat; unreliable under ~100 words"),
    ("Gunning fog", "0.4 × (words/sentence + 100 × complex words/words)", "years of schooling",
     "higher = harder to read", "textstat", "'complex' = 3+ syllables, so long names inflate it"),
    ("SMOG grade", "1.043 × √(polysyllables × 30/sentences) + 3.1291", "US school grade",
     "higher = harder to read", "textstat", "designed for 30+ sentences"),
    ("Dale–Chall score", "0.1579 × difficult-word % + 0.0496 × words/sentence (+3.6365 if difficult > 5%)",
     "score", "higher = harder to read", "textstat (Dale–Chall easy-word list)", "names count as difficult words"),
    ("Words per sentence", "n_words / n_sentences (project segmenter)", "words", "higher = longer sentences",
     "framing sentence segmenter", "headlines and captions glued to sentences lengthen them"),
    ("Reporter-voice sentiment", "mean over actor mentions of P(positive) − P(negative): VADER valences of the reporter's own words, "
     "weighted by where they stand around the mention (its clause before / after it, the window, the sentence), plus role rules "
     "('accused X', 'X praised'); quotes excluded",
     "−1 … +1", "higher = warmer wording around the actor",
     "vaderSentiment (pinned) valences; weights fitted on NewsMTSC train (sentiment_model.toml)",
     "VADER was built for social media; negation looks back three words; judgements carried by facts rather than words are missed; "
     "news language is mostly neutral"),
)

MISSES = (
    "Framing by selection: which facts, sources and stories an outlet leaves out is visible only when outlets are compared on the same story.",
    "Irony, sarcasm and implication: a neutral word can carry a judgement the lexicons cannot see.",
    "Quotes without quotation marks (machine translation often drops them) and attributions spread over several sentences.",
    "Images, headlines chosen by editors, placement on the page and what surrounds the article.",
    "Languages other than English are detected and listed, not measured.",
    "Small samples: a handful of short articles per outlet cannot support a ranking; the report says so instead of ranking.",
)


# ---------------------------------------------------------------- rendering


def _md_escape(value) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return "—"
    s = str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(s.split()) if "\n" in s or "\r" in s else s


def _environments() -> tuple[Environment, Environment]:
    loader = PackageLoader("framing.render", "templates/report")
    html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)
    md = Environment(loader=loader, autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                     lstrip_blocks=True, keep_trailing_newline=True, finalize=_md_escape)
    for env in (html, md):
        env.filters["num"] = fmt
        env.globals["Markup"] = Markup
    return html, md


def _data_uri(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _draw_chart(builder: str, args: tuple, charts_dir: Path, name: str, title: str, caption: str) -> ch.Chart | None:
    """Build one chart with ``charts.<builder>(*args)`` and save it (a task of :func:`_make_charts`)."""
    fig = getattr(ch, builder)(*args)
    if fig is None:
        return None
    return ch.save_chart(fig, charts_dir, name, title=title, caption=caption)


def _make_charts(analysis, est, sourcing, cells, top_actors, outlets_shown, cards, charts_dir, jobs: int = 1) -> list[ch.Chart]:
    """Draw the report's charts, on ``jobs`` processes (each chart is drawn whole by one of them:
    the files are the same whatever ``jobs``)."""
    specs = []
    shown = est.filter(pl.col("outlet").is_in(outlets_shown))
    n_docs = int(shown.group_by("outlet").agg(pl.col("n_docs").max())["n_docs"].sum()) if shown.height else 0
    specs.append(("outlet_dot_plot", (shown,), "outlet_metrics", "Outlets compared",
                  f"Mean per document with 95% seeded bootstrap interval; {len(outlets_shown)} outlets, "
                  f"{n_docs} measured documents. Hollow † markers: too little text to rank."))
    src = sourcing.filter(pl.col("outlet").is_in(outlets_shown))
    specs.append(("sourcing_profile", (src,), "sourcing_profile", "Sourcing profile",
                  f"Sentences by who stands behind them; {int(src['sentences'].sum())} sentences in {src.height} outlets."))
    heat_outlets = [o for o in outlets_shown if cells.height and o in set(cells["outlet"].to_list())]
    specs.append(("actor_heatmap", (cells, top_actors, heat_outlets), "actor_sentiment", "Actors × outlets",
                  f"Top {len(top_actors)} actors by mentions; colour: mean reporter-voice sentiment; number: mentions."))
    pts = (
        analysis.metrics.join(analysis.documents.select("doc_id", "measured"), on="doc_id", how="left")
        .filter(pl.col("measured").fill_null(False))
        .select(_outlet_col(analysis.metrics), "flesch_kincaid_grade", "hedge_per_1k_words")
        .sort("outlet")
    )
    specs.append(("readability_hedging", (pts,), "readability_hedging", "Readability against hedging",
                  "One dot per measured document."))
    strip_docs = [
        {"label": f"{c['outlet']}: {c['title'] or c['doc_id']}", "length": c["length"], "spans": c["strip_spans"],
         "counts": f"{c['strip_counts']['hedge']} hedges, {c['strip_counts']['distancing']} distancing, "
                   f"{c['strip_counts']['quote']} attributions"}
        for c in cards if c["measured"]
    ]
    for k in range(0, len(strip_docs), 25):
        chunk = strip_docs[k:k + 25]
        name = "cue_strips" if len(strip_docs) <= 25 else f"cue_strips_{k // 25 + 1:02d}"
        specs.append(("cue_strips", (chunk,), name, "Where the cues fall" + ("" if k == 0 else " (continued)"),
                      f"{len(chunk)} documents; lanes from bottom: hedges, distancing, quotes/attributions."))
    from framing.engine import map_shared

    drawn = map_shared(_draw_chart, [(b, a, charts_dir, n, t, c) for b, a, n, t, c in specs], jobs=jobs)
    return [chart for chart in drawn if chart is not None]


def build_report(
    analysis,
    out_dir: Path,
    *,
    inputs: list[str],
    title: str | None = None,
    top_n: int = 20,
    card_limit: int = DEFAULT_CARD_LIMIT,
    jobs: int | None = 1,
) -> list[Path]:
    """Write the report folder for ``analysis``; return every file written, sorted.

    ``top_n`` bounds the outlets in the charts, actors in the heatmap and
    stories shown side by side; ``card_limit`` bounds the full document cards
    (every document still gets a summary row). ``jobs`` processes draw the
    charts (None or 0 = every core; with more than one, a script calling this
    must guard its entry point with ``if __name__ == "__main__":``). Running
    it twice on the same analysis gives byte-identical files, whatever
    ``jobs``.
    """
    from framing.engine import resolve_jobs

    out_dir = Path(out_dir)
    charts_dir = out_dir / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(charts_dir.glob("*")):
        if old.suffix in (".svg", ".png") and old.is_file():
            old.unlink()
    title = title or "Framing report: " + ", ".join(display_path(p) for p in inputs)

    by_doc, order = _doc_index(analysis)
    overview = _overview(analysis.documents, analysis.metrics, analysis.errors)
    est = _estimates(analysis)
    outlets_by_docs = [r["outlet"] for r in overview["outlets"]]
    measured_outlets = set(est["outlet"].to_list()) if est.height else set()
    outlets_shown = sorted([o for o in outlets_by_docs if o in measured_outlets][:top_n])
    comparison = _comparison(est, outlets_shown)
    sourcing = _sourcing(analysis)
    actor_table, cells, top_actors = _actor_cells(analysis, top_n)
    stories = _stories(analysis, by_doc, top_n)
    card_ids = order[:card_limit]
    cards = _cards(analysis, card_ids, by_doc)
    chart_list = _make_charts(analysis, est, sourcing, cells, top_actors, outlets_shown, cards, charts_dir, resolve_jobs(jobs))

    card_set = set(card_ids)
    outlet_groups: dict[str, list[dict]] = {}
    for c in cards:
        outlet_groups.setdefault(c["outlet"], []).append(c)
    lexicons = _lexicon_rows(analysis)
    ctx = {
        "title": title,
        "inputs": [display_path(p) for p in inputs],
        "overview": overview,
        "comparison": comparison,
        "sourcing": [
            {**r, "shares": {k: (r[k] / r["sentences"] if r["sentences"] else None) for k, *_ in ch.SOURCING}}
            for r in sourcing.to_dicts()
        ],
        "sourcing_keys": [(k, label) for k, label, *_ in ch.SOURCING],
        "actors": _rows(actor_table.head(top_n)) if actor_table.height else [],
        "n_actors": actor_table.height,
        "stories": stories,
        "cards_by_outlet": list(outlet_groups.items()),  # card order: outlet A–Z, unknown outlet last
        "n_cards": len(cards),
        "open_cards": len(cards) <= 12,
        "summary_rows": [by_doc[d] | {"has_card": d in card_set} for d in order],
        "summary_metrics": {r["doc_id"]: r for r in analysis.metrics.select(
            "doc_id", "hedge_per_1k_words", "distancing_per_1k_words", "attribution_density", "flesch_kincaid_grade",
        ).iter_rows(named=True)},
        "card_limit": card_limit,
        "charts": [
            {"name": c.name, "title": c.title, "caption": c.caption, "svg": f"charts/{c.svg.name}",
             "png": f"charts/{c.png.name}", "uri": _data_uri(c.svg)}
            for c in chart_list
        ],
        "kinds": [{"kind": k, "cls": f"c-{_slug(k)}", "label": KIND_LABELS[k], "style": KIND_STYLES[k]}
                  for k in HIGHLIGHT_KINDS if k != "quote"],
        "quote_style": KIND_STYLES["quote"],
        "methods": [dict(zip(("metric", "formula", "unit", "direction", "source", "limits"), m)) for m in METHODS],
        "misses": MISSES,
        "lexicons": lexicons,
        "min_docs": stats.MIN_DOCS,
        "min_words": stats.MIN_WORDS,
        "n_resamples": stats.N_RESAMPLES,
        "seed": analysis.config.seed,
        "top_n": top_n,
        "script": Markup(PRINT_SCRIPT),
        "script_hash": base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode("utf-8")).digest()).decode("ascii"),
    }
    html_env, md_env = _environments()
    written = []
    html = html_env.get_template("index.html.j2").render(**ctx)
    (out_dir / "index.html").write_text(html, encoding="utf-8", newline="\n")
    written.append(out_dir / "index.html")
    md = md_env.get_template("report.md.j2").render(**ctx)
    (out_dir / "report.md").write_text(md, encoding="utf-8", newline="\n")
    written.append(out_dir / "report.md")
    for c in chart_list:
        written += [c.svg, c.png]
    written += analysis.write(out_dir / "frames")
    manifest = build_manifest(analysis, inputs=list(inputs), outputs=written, out_dir=out_dir)
    written.append(write_manifest(manifest, out_dir / "manifest.json"))
    return sorted(written, key=lambda p: p.as_posix())


def _lexicon_rows(analysis) -> list[dict]:
    from framing.lexicons import load_lexicons

    rows = load_lexicons(analysis.config.lexicon_files).provenance()
    for r in rows:
        if r.get("origin") and not str(r["origin"]).startswith("builtin:"):
            r["origin"] = display_path(r["origin"])
    return rows


__all__ = ["build_report", "highlight", "strip_svg", "fmt", "fmt_ci", "safe_url", "DEFAULT_CARD_LIMIT"]
