"""Seed documents built from the raw files (independent of the ingest stage):
004 is cut at the article starts listed in ../shared/seeds/NOTES.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from framing import schema

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (name, outlet, date, first line number in 004 (1-based), last line)
PARTS_004 = [
    ("mei", "Middle East Institute", dt.date(2024, 2, 8), 2, 49),
    ("mee", "Middle East Eye", dt.date(2024, 2, 8), 50, 68),
    ("wapo", "The Washington Post", dt.date(2024, 2, 8), 69, 88),
    ("aljazeera", "Al Jazeera", dt.date(2024, 2, 8), 89, 133),
    ("russian", None, dt.date(2024, 2, 8), 134, 143),
]
SINGLE = [
    ("000", "000_1332569454fa25da.txt", "The National", dt.date(2024, 2, 9)),
    ("001", "001_f4bef71f6362e800.txt", None, None),
    ("002", "002_1c70a097624c0f75.txt", "The New York Times", dt.date(2024, 2, 10)),
    ("003", "003_d3d21ea37bb389e9.txt", "CNN", dt.date(2024, 12, 19)),
]


def seed_texts() -> dict[str, tuple[str, str | None, dt.date | None]]:
    """name -> (text, outlet, date)."""
    out = {}
    for name, fname, outlet, date in SINGLE:
        out[name] = ((SEEDS / fname).read_text(encoding="utf-8"), outlet, date)
    lines = (SEEDS / "004_5369224af5414d40.txt").read_text(encoding="utf-8").splitlines()
    for name, outlet, date, lo, hi in PARTS_004:
        out[name] = ("\n".join(lines[lo - 1 : hi]), outlet, date)
    return out


def seed_documents() -> pl.DataFrame:
    rows = []
    for name, (text, outlet, date) in seed_texts().items():
        rows.append(
            {
                "doc_id": f"d-{name}",
                "outlet": outlet,
                "date": date,
                "text": text,
                "language": "ru" if name == "russian" else "en",
                "measured": name != "russian",
                "n_words": len(text.split()),
            }
        )
    return schema.conform(pl.DataFrame(rows), schema.DOCUMENTS)


def hand_analysis(docs: list[tuple[str, str, str | None, dt.date | None]], *, quotes=None, actors=None, cues=None):
    """An Analysis of (doc_id, text, outlet, date) built by hand (sentences from
    the project's segmenter; other frames empty unless given), independent of the
    measures."""
    from framing.analysis import Analysis
    from framing.text.sentences import split_sentences

    drows, srows, mrows = [], [], []
    for doc_id, text, outlet, date in docs:
        n_words = len(text.split())
        drows.append({"doc_id": doc_id, "outlet": outlet, "date": date, "text": text, "language": "en", "measured": True, "n_words": n_words})
        for k, (s, e) in enumerate(split_sentences(text)):
            srows.append({"doc_id": doc_id, "sent_id": k, "start": s, "end": e, "text": text[s:e]})
        mrows.append({"doc_id": doc_id, "outlet": outlet, "n_words": n_words, "hedge_per_1k_words": float(n_words % 7)})

    def frame(rows, spec):
        return schema.conform(pl.DataFrame(rows), spec) if rows else schema.empty(spec)

    return Analysis(
        documents=frame(drows, schema.DOCUMENTS),
        sentences=frame(srows, schema.SENTENCES),
        cues=frame(cues or [], schema.CUES),
        quotes=frame(quotes or [], schema.QUOTES),
        mentions=schema.empty(schema.MENTIONS),
        actors=frame(actors or [], schema.ACTORS),
        metrics=frame(mrows, schema.METRICS),
    )
