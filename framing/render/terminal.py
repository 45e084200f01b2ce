"""The terminal view a teacher projects in class: one article with its cues
highlighted by kind, its quotes with speakers, and its metrics (rich)."""

from __future__ import annotations

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

# Colour plus a text style, so the kinds stay apart without colour too.
KIND_STYLES = {
    "hedge": "bold yellow",
    "distancing": "bold magenta underline",
    "booster": "bold cyan",
    "anonymous_source": "bold red italic",
    "reporting_verb": "green",
    "named_source": "bold blue",
    "quote": "dim italic",
}
LEGEND_ORDER = ["hedge", "distancing", "booster", "anonymous_source", "named_source", "reporting_verb", "quote"]
METRIC_ROWS = [
    ("n_words", "words"),
    ("n_sentences", "sentences"),
    ("hedge_per_1k_words", "hedges per 1,000 words"),
    ("distancing_per_1k_words", "distancing per 1,000 words"),
    ("booster_per_1k_words", "boosters per 1,000 words"),
    ("anonymous_source_per_1k_words", "anonymous-source cues per 1,000 words"),
    ("attribution_density", "attributed sentences / sentences"),
    ("quote_share", "words in quoted speech / words"),
    ("named_source_share", "attributions with a named source"),
    ("loaded_verb_share", "attributions with a loaded verb"),
    ("flesch_kincaid_grade", "Flesch-Kincaid grade (higher = harder)"),
    ("flesch_reading_ease", "Flesch reading ease (higher = easier)"),
]


def highlighted(text: str, cues: pl.DataFrame) -> Text:
    """The article as rich Text; quotes first (a background), cues over them."""
    out = Text(text)
    order = {k: i for i, k in enumerate(["quote", "reporting_verb", "named_source", "anonymous_source", "booster", "hedge", "distancing"])}
    rows = sorted(cues.select("start", "end", "kind").iter_rows(), key=lambda r: (order.get(r[2], 9), r[0], r[1]))
    for start, end, kind in rows:
        out.stylize(KIND_STYLES.get(kind, "bold"), start, end)
    return out


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def show_analysis(result, *, segment: int | None = None, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=False)
    docs = result.documents.sort("source_path", "segment")
    if segment is not None:
        docs = docs.filter(pl.col("segment") == segment)
        if docs.height == 0:
            from framing.errors import InputError

            raise InputError(f"no article with segment {segment}; segments are {', '.join(map(str, result.documents['segment'].to_list()))}")
    legend = Text("Legend: ")
    for kind in LEGEND_ORDER:
        legend.append(kind.replace("_", " "), style=KIND_STYLES[kind])
        legend.append("  ")
    for doc in docs.iter_rows(named=True):
        doc_id = doc["doc_id"]
        meta = " · ".join(
            str(v) for v in [doc["outlet"] or "unknown outlet", doc["date"] or "undated", doc["title"], doc["author"]] if v
        )
        console.rule(f"[bold]{doc['source_path']}[/bold] [{doc['segment']}]")
        console.print(meta)
        if not doc["measured"]:
            console.print(f"[italic]Not measured: {doc['not_measured_reason']}[/italic]")
            console.print(doc["text"][:600] + ("…" if len(doc["text"]) > 600 else ""))
            continue
        console.print(legend)
        cues = result.cues.filter(pl.col("doc_id") == doc_id)
        console.print(highlighted(doc["text"], cues))
        quotes = result.quotes.filter(pl.col("doc_id") == doc_id).sort("start")
        if quotes.height:
            table = Table(title="Who is quoted", show_lines=False)
            for col in ("#", "speaker", "type", "cue", "direct", "content"):
                table.add_column(col)
            for i, q in enumerate(quotes.iter_rows(named=True), 1):
                content = doc["text"][q["start"] : q["end"]]
                table.add_row(
                    str(i),
                    q["speaker"] or (q["source"] or "—"),
                    q["source_type"] or "",
                    (q["cue"] or "") + (" (loaded)" if q["loaded_cue"] else ""),
                    "yes" if q["direct"] else "no",
                    content[:90] + ("…" if len(content) > 90 else ""),
                )
            console.print(table)
        metrics = result.metrics.filter(pl.col("doc_id") == doc_id)
        if metrics.height:
            row = metrics.row(0, named=True)
            table = Table(title="Metrics")
            table.add_column("metric")
            table.add_column("value", justify="right")
            for col, label in METRIC_ROWS:
                if col in row:
                    table.add_row(label, _fmt(row[col]))
            console.print(table)
