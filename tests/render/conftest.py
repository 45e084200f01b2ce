"""A synthetic Analysis built from hand-made frames that follow framing.schema.

Lets the report and chart tests run without the upstream stages, and gives
them content the seeds lack on purpose: hostile article text, an outlet with
too little text, a non-English document, an input error.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from framing import schema
from framing.analysis import Analysis


from support import need  # noqa: F401,E402  (skip outside CI when a resource is missing, fail in CI)

XSS = "<script>console.error('xss-script')</script> and <img src=x onerror=\"console.error('xss-img')\"> =cmd|' /C calc'!A0"

TEXTS = {
    "d1": 'Officials said the talks may resume. "We are ready," Putin told reporters. The so-called deal could fail.',
    "d2": 'Putin claimed without evidence that the West was to blame. Analysts say the war might continue. "It is over," Biden said.',
    "d3": 'The president allegedly met envoys. According to the ministry, the meeting was productive. It is perhaps a turning point.',
    "d4": "Putin said talks were possible. Experts believe the outcome may be uncertain. The so-called peace plan was reported.",
    "d5": f'A reader wrote {XSS}. Sources said Biden would visit. "No comment," Biden said.',
    "d6": "Путин заявил, что переговоры возможны.",
}
META = {
    "d1": ("Alpha News", "Putin ready to talk", dt.date(2024, 2, 9), "s1", None),
    "d2": ("Alpha News", "Blame game <b>over</b> Ukraine", dt.date(2024, 2, 10), "s1", None),
    "d3": ("Alpha News", "Envoys meet", dt.date(2024, 2, 11), "s2", None),
    "d4": ("Beta Post", "Talks possible, Putin says", dt.date(2024, 2, 9), "s1", "d1"),
    "d5": ("Gamma <Daily>", "Reader letter", None, "s3", None),
    "d6": (None, "Переговоры", dt.date(2024, 2, 8), "s4", None),
}
LEXICON = {
    "hedge": ["may", "might", "could", "perhaps", "believe"],
    "distancing": ["so-called", "allegedly", "claimed"],
    "reporting_verb": ["said", "told", "claimed", "say", "According to"],
    "anonymous_source": ["Officials", "Analysts", "Sources", "Experts"],
}


def _find_all(text: str, term: str):
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text)]


def build_analysis(n_copies: int = 1) -> Analysis:
    """A small, schema-conforming Analysis; ``n_copies`` multiplies the documents (new ids, outlets)."""
    docs, sents, cues, quotes, mentions, actors, metrics = [], [], [], [], [], [], []
    for copy in range(n_copies):
        for base, text in TEXTS.items():
            doc_id = base if copy == 0 else f"{base}c{copy:04d}"
            outlet, title, date, story, derived = META[base]
            if copy and outlet:
                outlet = f"{outlet} {copy % 30}"
            english = base != "d6"
            words = len(re.findall(r"\w+", text))
            spans = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
            docs.append({
                "doc_id": doc_id, "outlet": outlet, "date": date, "title": title, "author": None,
                "url": "javascript:alert(1)" if base == "d5" else f"https://example.org/{base}",
                "language": "en" if english else "ru", "source_path": f"corpus/{base}.txt", "segment": 0,
                "text": text, "n_words": words, "n_sentences": len(spans), "removed": [], "metadata_sources": [],
                "duplicate_of": None, "derived_from": (derived if copy == 0 else (f"{derived}c{copy:04d}" if derived else None)),
                "story_id": f"{story}-{copy}", "measured": english,
                "not_measured_reason": None if english else "language is ru; English measures not applied",
            })
            counts = {k: 0 for k in schema.CUE_KINDS}
            n_q = 0
            if english:
                for i, (s, e) in enumerate(spans):
                    sents.append({"doc_id": doc_id, "sent_id": i, "paragraph": 0, "start": s, "end": e, "text": text[s:e],
                                  "n_words": len(re.findall(r"\w+", text[s:e])), "quote_share": 0.0,
                                  "speaker": None, "attributed": any(v in text[s:e] for v in ("said", "told", "say", "According"))})
                for kind, terms in LEXICON.items():
                    for term in terms:
                        for s, e in _find_all(text, term):
                            sid = next(i for i, (a, b) in enumerate(spans) if a <= s < b)
                            cues.append({"doc_id": doc_id, "sent_id": sid, "start": s, "end": e, "kind": kind,
                                         "category": "loaded_verb" if term == "claimed" else "general",
                                         "term": text[s:e], "lexicon_id": f"test:{term}"})
                            counts[kind] += 1
                for m in re.finditer(r'"([^"]+)," (Putin|Biden) (told|said)', text):
                    sid = next(i for i, (a, b) in enumerate(spans) if a <= m.start() < b)
                    quotes.append({"doc_id": doc_id, "sent_id": sid, "start": m.start(1), "end": m.end(1), "cue": m.group(3),
                                   "cue_start": m.start(3), "cue_end": m.end(3), "source": m.group(2),
                                   "source_start": m.start(2), "source_end": m.end(2), "speaker": m.group(2),
                                   "speaker_resolution": "named", "source_type": "named_person", "direct": True,
                                   "loaded_cue": False, "n_words": len(m.group(1).split()), "rule": "test"})
                    n_q += 1
                for m in re.finditer(r"(Officials|Analysts|Sources) (said|say) ([^.]+)", text):
                    sid = next(i for i, (a, b) in enumerate(spans) if a <= m.start() < b)
                    quotes.append({"doc_id": doc_id, "sent_id": sid, "start": m.start(3), "end": m.end(3), "cue": m.group(2),
                                   "cue_start": m.start(2), "cue_end": m.end(2), "source": m.group(1),
                                   "source_start": m.start(1), "source_end": m.end(1), "speaker": None,
                                   "speaker_resolution": "none", "source_type": "anonymous", "direct": False,
                                   "loaded_cue": False, "n_words": len(m.group(3).split()), "rule": "test"})
                    n_q += 1
                per_actor = {}
                for actor in ("Putin", "Biden", "the West"):
                    for s, e in _find_all(text, actor):
                        sid = next(i for i, (a, b) in enumerate(spans) if a <= s < b)
                        senti = {"Putin": -0.4, "Biden": 0.3, "the West": -0.7}[actor] if base != "d4" else 0.1
                        mentions.append({"doc_id": doc_id, "sent_id": sid, "start": s, "end": e, "actor": actor.replace("the ", ""),
                                         "actor_type": "person" if actor != "the West" else "organization",
                                         "surface": text[s:e], "resolution": "exact", "role": "other", "in_quote": False,
                                         "sentiment": senti, "quoted_sentiment": None})
                        per_actor.setdefault(actor.replace("the ", ""), []).append(senti)
                for actor, vals in per_actor.items():
                    actors.append({"doc_id": doc_id, "actor": actor, "actor_type": "person" if actor != "West" else "organization",
                                   "mentions": len(vals), "sentences": len(vals), "quoted_words": 2, "voice_share": 0.5,
                                   "reporter_sentiment_mean": sum(vals) / len(vals), "reporter_sentiment_n": len(vals),
                                   "quoted_sentiment_mean": None, "quoted_sentiment_n": 0})
            row = {"doc_id": doc_id, "outlet": outlet, "n_words": words, "n_sentences": len(spans)}
            if english:
                row.update({f"{k}_per_1k_words": 1000 * counts[k] / words for k in schema.CUE_KINDS})
                row.update({f"n_{k}": counts[k] for k in schema.CUE_KINDS})
                row.update({
                    "attribution_density": 0.5, "quote_share": 0.1, "n_quotes": n_q,
                    "named_source_share": 0.5 if n_q else None, "anonymous_sources": counts["anonymous_source"],
                    "loaded_verb_share": 0.0 if n_q else None,
                    "flesch_reading_ease": 60.0 - len(text) % 17, "flesch_kincaid_grade": 6.0 + len(text) % 5,
                    "gunning_fog": 9.0, "smog_index": None, "dale_chall": 8.0,
                    "readability_note": "fewer than 30 sentences: SMOG not computed" if base == "d1" else None,
                    "mean_sentence_words": words / len(spans),
                })
            else:
                row["readability_note"] = "not measured: language is ru"
            metrics.append(row)

    def frame(rows, spec, keys):
        df = pl.DataFrame(rows, schema_overrides={k: v for k, (v, _) in spec.items()}, infer_schema_length=None) if rows else schema.empty(spec)
        return schema.conform(df, spec).sort(keys, nulls_last=True)

    return Analysis(
        documents=frame(docs, schema.DOCUMENTS, ["doc_id"]),
        sentences=frame(sents, schema.SENTENCES, ["doc_id", "sent_id"]),
        cues=frame(cues, schema.CUES, ["doc_id", "start", "end", "kind", "lexicon_id"]),
        quotes=frame(quotes, schema.QUOTES, ["doc_id", "start", "end", "cue_start"]),
        mentions=frame(mentions, schema.MENTIONS, ["doc_id", "start", "end", "actor"]),
        actors=frame(actors, schema.ACTORS, ["doc_id", "actor"]),
        metrics=frame(metrics, schema.METRICS, ["doc_id"]),
        errors=pl.DataFrame({"path": ["corpus/broken.bin"], "segment": [None], "reason": ["binary file <not text>"]},
                            schema=schema.polars_schema(schema.ERRORS)),
    )


@pytest.fixture(scope="session")
def synthetic_analysis() -> Analysis:
    return build_analysis()


@pytest.fixture(scope="session")
def synthetic_report(synthetic_analysis, tmp_path_factory):
    """The synthetic analysis rendered once: (out_dir, written paths)."""
    from framing.render.report import build_report

    out = tmp_path_factory.mktemp("report")
    paths = build_report(synthetic_analysis, out, inputs=["corpus/"], title="Synthetic <test> report")
    return out, paths
