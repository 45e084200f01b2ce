"""Hand-made analyses conforming to framing.schema, for the exercise tests.

Offsets are found in the text, so ``text[start:end]`` always equals the term.
Two versions of one short story (A and a rewrite B) with hedges, distancing,
named and anonymous sources, a loaded verb, an unattributed claim and a
``<script>`` tag in the article text (which must stay text).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from framing import schema
from framing.analysis import Analysis

TEXT_A = (
    "Officials said the bridge may reopen next week, according to a city report.\n"
    "Mayor Ana Ruiz claimed that repairs were finished, insisting “the bridge is safe.”\n"
    "Engineers familiar with the work said the cables could need more tests.\n"
    "The bridge carried 40,000 cars every day before it was closed in March.\n"
    "A note left at the site read <script>alert('x')</script> & nothing else.\n"
    "Critics said, without evidence, that the contract was rigged."
)

TEXT_B = (
    "Officials said the bridge may reopen next week, according to a city report.\n"
    "Mayor Ana Ruiz asserted that repairs were complete, insisting “the bridge is safe.”\n"
    "The bridge carried 40,000 cars every day before it was closed in March.\n"
    "Critics said, without proof, that the contract was rigged."
)


def _find(text: str, term: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(term, pos + 1)
    return pos, pos + len(term)


def _sentences(doc_id: str, text: str) -> pl.DataFrame:
    rows = []
    start = 0
    for i, line in enumerate(text.split("\n")):
        rows.append(
            {
                "doc_id": doc_id,
                "sent_id": i,
                "paragraph": i // 2,
                "start": start,
                "end": start + len(line),
                "text": line,
                "n_words": len(line.split()),
                "quote_share": 0.0,
                "speaker": None,
                "attributed": False,
            }
        )
        start += len(line) + 1
    return pl.DataFrame(rows)


def _sent_of(sents: pl.DataFrame, offset: int) -> int:
    return sents.filter((pl.col("start") <= offset) & (pl.col("end") > offset))["sent_id"][0]


def make_analysis(text: str = TEXT_A, *, doc_id: str = "docA", outlet: str = "City Herald", title: str = "Bridge to reopen") -> Analysis:
    sents = _sentences(doc_id, text)
    cue_specs = [
        ("may", 0, "hedge", "modal", "hedges:may"),
        ("according to", 0, "reporting_verb", "neutral", "reporting_verbs:according_to"),
        ("Officials", 0, "anonymous_source", "official", "anonymous_sources:officials"),
        ("Mayor Ana Ruiz", 0, "named_source", "person", "rule:named_source"),
        ("claimed", 0, "distancing", "distancing_verb", "distancing:claim"),
        ("claimed", 0, "reporting_verb", "loaded_verb", "reporting_verbs:claim"),
        ("insisting", 0, "reporting_verb", "loaded_verb", "reporting_verbs:insist"),
        ("Engineers familiar with the work", 0, "anonymous_source", "familiar", "anonymous_sources:familiar"),
        ("could", 0, "hedge", "modal", "hedges:could"),
        ("without evidence", 0, "distancing", "without_evidence", "distancing:without_evidence"),
        ("without proof", 0, "distancing", "without_evidence", "distancing:without_evidence"),
    ]
    cues = []
    for term, nth, kind, cat, lex in cue_specs:
        if term not in text:
            continue
        s, e = _find(text, term, nth)
        cues.append({"doc_id": doc_id, "sent_id": _sent_of(sents, s), "start": s, "end": e, "kind": kind, "category": cat, "term": text[s:e], "lexicon_id": lex})
    quote_specs = [
        ("the bridge may reopen next week", "said", "Officials", None, "anonymous", False, False),
        ("repairs were", "claimed", "Mayor Ana Ruiz", "Ana Ruiz", "named_person", False, True),
        ("the bridge is safe.", "insisting", "Mayor Ana Ruiz", "Ana Ruiz", "named_person", True, True),
        ("the cables could need more tests", "said", "Engineers familiar with the work", None, "anonymous", False, False),
    ]
    quotes = []
    for content, cue, source, speaker, st, direct, loaded in quote_specs:
        if content not in text or source not in text or cue not in text:
            continue
        s, e = _find(text, content)
        cs, ce = _find(text, cue)
        ss, se = _find(text, source)
        quotes.append(
            {
                "doc_id": doc_id, "sent_id": _sent_of(sents, s), "start": s, "end": e, "cue": cue, "cue_start": cs, "cue_end": ce,
                "source": source, "source_start": ss, "source_end": se, "speaker": speaker, "speaker_resolution": "named" if speaker else "none",
                "source_type": st, "direct": direct, "loaded_cue": loaded, "n_words": len(content.split()), "rule": "fixture",
            }
        )
    attributed = {q["sent_id"] for q in quotes} | {c["sent_id"] for c in cues if c["kind"] in ("reporting_verb",)}
    if "Critics said" in text:
        attributed.add(_sent_of(sents, text.index("Critics said")))
    sents = sents.with_columns(pl.col("sent_id").is_in(sorted(attributed)).alias("attributed"))
    mentions = []
    if "Ana Ruiz" in text:
        s, e = _find(text, "Ana Ruiz")
        mentions.append({"doc_id": doc_id, "sent_id": _sent_of(sents, s), "start": s, "end": e, "actor": "Ana Ruiz", "actor_type": "person", "surface": "Ana Ruiz", "role": "speaker", "in_quote": False})
    actors = [{"doc_id": doc_id, "actor": "Ana Ruiz", "actor_type": "person", "mentions": 1, "sentences": 1, "quoted_words": 6, "voice_share": 1.0}]
    documents = pl.DataFrame(
        [
            {
                "doc_id": doc_id, "outlet": outlet, "date": dt.date(2024, 3, 1), "title": title, "text": text,
                "source_path": f"{doc_id}.txt", "segment": 0, "language": "en", "measured": True,
                "n_words": len(text.split()), "n_sentences": sents.height,
            }
        ]
    )
    metrics = pl.DataFrame([{"doc_id": doc_id, "outlet": outlet, "n_words": len(text.split()), "n_sentences": sents.height, "flesch_kincaid_grade": 8.4, "flesch_reading_ease": 61.0, "gunning_fog": 10.2, "smog_index": 9.9, "dale_chall": 8.1, "mean_sentence_words": 12.5}])
    return Analysis(
        documents=schema.conform(documents, schema.DOCUMENTS),
        sentences=schema.conform(sents, schema.SENTENCES),
        cues=schema.conform(pl.DataFrame(cues), schema.CUES) if cues else schema.empty(schema.CUES),
        quotes=schema.conform(pl.DataFrame(quotes), schema.QUOTES) if quotes else schema.empty(schema.QUOTES),
        mentions=schema.conform(pl.DataFrame(mentions), schema.MENTIONS) if mentions else schema.empty(schema.MENTIONS),
        actors=schema.conform(pl.DataFrame(actors), schema.ACTORS),
        metrics=schema.conform(metrics, schema.METRICS),
    )


def make_pair() -> tuple[Analysis, Analysis]:
    return make_analysis(TEXT_A), make_analysis(TEXT_B, doc_id="docB", outlet="Copy Blog", title="Bridge reopening")


def two_documents() -> Analysis:
    a, b = make_pair()
    return Analysis(**{name: pl.concat([getattr(a, name), getattr(b, name)], how="diagonal_relaxed") for name in ("documents", "sentences", "cues", "quotes", "mentions", "actors", "metrics")})
