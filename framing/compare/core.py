"""Compare two sides (two analyses): the :class:`Comparison` object and its renderings.

What is compared (each part is a plain dict/list in :meth:`Comparison.to_dict`):

* ``metrics``: per-document metrics averaged per side (each document weighs
  the same), the difference A - B with a seeded percentile bootstrap 95%
  interval (framing.stats). With fewer than 3 documents or 1,500 words on a
  side ``enough_data`` is false, the reason is given, intervals are null and
  nothing is ranked.
* ``distinctive_terms`` / ``distinctive_cues``: Fightin' Words log-odds with
  an informative Dirichlet prior (framing.compare.distinctive) over words and
  over cue ``kind:category`` counts.
* ``actors``: per actor, mentions, mention-weighted reporter-voice sentiment
  and voice share (actor's quoted words / all quoted words) on each side and
  their differences.
* ``quotes`` / ``sources``: attributed content present on one side only
  (normalised text similarity, rapidfuzz token_set_ratio < QUOTE_MATCH on
  every quote of the other side) and speakers (or source phrases) quoted on
  one side only.
* ``same_story``: for document pairs that share a story_id or whose word
  TF-IDF cosine is at least SAME_STORY_COSINE: sentence alignment and a reuse
  verdict (framing.compare.align).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from rapidfuzz import fuzz

from framing.compare import align as align_mod
from framing.compare import distinctive
from framing.errors import InputError

QUOTE_MATCH = 70.0  # rapidfuzz token_set_ratio (0-100) above which two quotes are the same
SAME_STORY_COSINE = 0.3  # word TF-IDF cosine for "same story" when story ids differ
MAX_PAIRS = 20  # aligned document pairs kept
DEFAULT_SEED = 20240209

METRIC_ORDER_SUFFIXES = ("_per_1k_words",)
OTHER_METRICS = (
    "attribution_density",
    "quote_share",
    "named_source_share",
    "anonymous_sources",
    "loaded_verb_share",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "dale_chall",
    "mean_sentence_words",
)


def _r(x, nd: int = 4):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, nd)


def metric_columns(metrics: pl.DataFrame) -> list[str]:
    """Columns of the metrics frame that are compared, in a fixed order."""
    rates = [c for c in metrics.columns if c.endswith(METRIC_ORDER_SUFFIXES)]
    return rates + [c for c in OTHER_METRICS if c in metrics.columns]


def split_by_outlet(analysis, outlet_a: str, outlet_b: str):
    """Two analyses holding only the documents of ``outlet_a`` and ``outlet_b``.

    Raises InputError naming the available outlets when one is missing.
    """
    from framing.analysis import Analysis

    docs = analysis.documents
    available = sorted({o for o in docs["outlet"].to_list() if o is not None})
    for name in (outlet_a, outlet_b):
        if name not in available:
            listed = ", ".join(available) if available else "none (no document names its outlet)"
            raise InputError(f"Outlet {name!r} is not in the corpus; available outlets: {listed}.")

    def part(outlet: str) -> Analysis:
        ids = docs.filter(pl.col("outlet") == outlet)["doc_id"]
        frames = {}
        for name, frame in analysis.frames().items():
            if name == "errors":
                continue
            frames[name] = frame.filter(pl.col("doc_id").is_in(ids.implode())) if "doc_id" in frame.columns else frame
        return Analysis(**frames, errors=analysis.errors.clear(), config=analysis.config)

    return part(outlet_a), part(outlet_b)


@dataclass(frozen=True)
class Comparison:
    """Everything compared between side A and side B; see the module docstring."""

    labels: tuple[str, str]
    seed: int
    sides: dict
    enough_data: bool
    reason: str | None
    metrics: list = field(default_factory=list)
    distinctive_terms: dict = field(default_factory=dict)
    distinctive_cues: dict = field(default_factory=dict)
    actors: list = field(default_factory=list)
    quotes: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    same_story: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-serialisable, deterministic key order, floats rounded."""
        return _rounded(
            {
                "labels": {"a": self.labels[0], "b": self.labels[1]},
                "seed": self.seed,
                "sides": self.sides,
                "enough_data": self.enough_data,
                "reason": self.reason,
                "metrics": self.metrics,
                "distinctive_terms": self.distinctive_terms,
                "distinctive_cues": self.distinctive_cues,
                "actors": self.actors,
                "quotes": self.quotes,
                "sources": self.sources,
                "same_story": self.same_story,
            }
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        from framing.compare.render import comparison_markdown

        return comparison_markdown(self.to_dict())

    def to_html(self) -> str:
        from framing.compare.render import comparison_html

        return comparison_html(self.to_dict())


def _rounded(obj):
    if isinstance(obj, float):
        return _r(obj)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_rounded(v) for v in obj]
    if isinstance(obj, np.generic):
        return _rounded(obj.item())
    return obj


# --------------------------------------------------------------------------- parts


def _side_summary(an, label: str) -> dict:
    docs = an.documents
    measured = docs.filter(pl.col("measured").fill_null(False)) if "measured" in docs.columns else docs
    outlets = sorted({o for o in docs["outlet"].to_list() if o is not None}) if "outlet" in docs.columns else []
    return {
        "label": label,
        "documents": docs.height,
        "measured_documents": measured.height,
        "words": int(measured["n_words"].fill_null(0).sum()) if "n_words" in measured.columns else 0,
        "outlets": outlets,
    }


def _metrics(a, b, seed: int) -> list[dict]:
    from framing.stats import bootstrap_diff_ci, bootstrap_mean_ci

    ma, mb = a.metrics, b.metrics
    cols = [c for c in metric_columns(ma) if c in mb.columns]
    rows = []
    for j, col in enumerate(cols):
        va, vb = ma[col].to_list(), mb[col].to_list()
        ea = bootstrap_mean_ci(va, seed=seed + 3 * j)
        eb = bootstrap_mean_ci(vb, seed=seed + 3 * j + 1)
        d = bootstrap_diff_ci(va, vb, seed=seed + 3 * j + 2)
        rows.append(
            {
                "metric": col,
                "a_mean": ea.mean,
                "a_lo": ea.lo,
                "a_hi": ea.hi,
                "a_n": ea.n,
                "b_mean": eb.mean,
                "b_lo": eb.lo,
                "b_hi": eb.hi,
                "b_n": eb.n,
                "diff": d.mean,
                "diff_lo": d.lo,
                "diff_hi": d.hi,
                "interval_excludes_zero": None if d.lo is None else bool(d.lo > 0 or d.hi < 0),
            }
        )
    return rows


def _measured_texts(an) -> list[str]:
    docs = an.documents
    if "measured" in docs.columns:
        docs = docs.filter(pl.col("measured").fill_null(False))
    return [t for t in docs.sort("doc_id")["text"].to_list() if t]


def _cue_counts(an):
    from collections import Counter

    cues = an.cues
    if cues.height == 0:
        return Counter()
    keys = cues.select(pl.concat_str([pl.col("kind"), pl.col("category").fill_null("-")], separator=":").alias("k"))["k"]
    return Counter(keys.to_list())


def _actors(a, b) -> list[dict]:
    def per_side(an) -> dict:
        act = an.actors
        if act.height == 0:
            return {}
        g = (
            act.with_columns(
                (pl.col("reporter_sentiment_mean") * pl.col("reporter_sentiment_n")).alias("_ws"),
            )
            .group_by("actor", maintain_order=True)
            .agg(
                pl.col("mentions").sum().alias("mentions"),
                pl.col("quoted_words").sum().alias("quoted_words"),
                pl.col("_ws").sum().alias("_ws"),
                pl.col("reporter_sentiment_n").sum().alias("n"),
            )
        )
        total_q = int(g["quoted_words"].fill_null(0).sum())
        out = {}
        for r in g.iter_rows(named=True):
            n = r["n"] or 0
            out[r["actor"]] = {
                "mentions": int(r["mentions"] or 0),
                "reporter_sentiment": (r["_ws"] / n) if n else None,
                "reporter_sentiment_n": int(n),
                "voice_share": (r["quoted_words"] or 0) / total_q if total_q else None,
            }
        return out

    sa, sb = per_side(a), per_side(b)
    rows = []
    for actor in sorted(set(sa) | set(sb)):
        x, y = sa.get(actor, {}), sb.get(actor, {})
        xs, ys = x.get("reporter_sentiment"), y.get("reporter_sentiment")
        xv, yv = x.get("voice_share"), y.get("voice_share")
        rows.append(
            {
                "actor": actor,
                "a_mentions": x.get("mentions", 0),
                "b_mentions": y.get("mentions", 0),
                "a_reporter_sentiment": xs,
                "b_reporter_sentiment": ys,
                "sentiment_diff": None if xs is None or ys is None else xs - ys,
                "a_voice_share": xv,
                "b_voice_share": yv,
                "voice_share_diff": None if xv is None or yv is None else xv - yv,
            }
        )
    rows.sort(key=lambda r: (-(r["a_mentions"] + r["b_mentions"]), r["actor"]))
    return rows


def _quote_rows(an) -> list[dict]:
    q = an.quotes
    if q.height == 0:
        return []
    texts = dict(zip(an.documents["doc_id"].to_list(), an.documents["text"].to_list()))
    rows = []
    for r in q.sort(["doc_id", "start"]).iter_rows(named=True):
        t = texts.get(r["doc_id"]) or ""
        content = t[r["start"] : r["end"]] if r["start"] is not None and r["end"] is not None else ""
        who = r.get("speaker") or r.get("source")
        rows.append({"doc_id": r["doc_id"], "content": content, "speaker": who, "source_type": r.get("source_type"), "cue": r.get("cue")})
    return rows


def _only_one_side(qa: list[dict], qb: list[dict]) -> dict:
    na = [align_mod.normalise(x["content"]) for x in qa]
    nb = [align_mod.normalise(x["content"]) for x in qb]

    def unmatched(src, norm_src, norm_other):
        out = []
        for row, text in zip(src, norm_src):
            if not text:
                continue
            best = max((fuzz.token_set_ratio(text, o) for o in norm_other if o), default=0.0)
            if best < QUOTE_MATCH:
                out.append({**row, "best_match": round(best / 100, 3)})
        return out

    return {"only_in_a": unmatched(qa, na, nb), "only_in_b": unmatched(qb, nb, na), "match_threshold": QUOTE_MATCH / 100}


def _sources(qa: list[dict], qb: list[dict]) -> dict:
    def counts(rows):
        c: dict[str, int] = {}
        for r in rows:
            if r["speaker"]:
                k = " ".join(r["speaker"].split())
                c[k] = c.get(k, 0) + 1
        return c

    ca, cb = counts(qa), counts(qb)
    la = {k.lower() for k in ca}
    lb = {k.lower() for k in cb}
    return {
        "only_in_a": [{"source": k, "quotes": ca[k]} for k in sorted(ca) if k.lower() not in lb],
        "only_in_b": [{"source": k, "quotes": cb[k]} for k in sorted(cb) if k.lower() not in la],
        "in_both": sorted({k for k in ca if k.lower() in lb}),
    }


def _spans(an, doc_id: str):
    s = an.sentences
    if s.height == 0:
        return None
    rows = s.filter(pl.col("doc_id") == doc_id).sort("sent_id")
    if rows.height == 0:
        return None
    return list(zip(rows["start"].to_list(), rows["end"].to_list()))


def _same_story(a, b, labels) -> list[dict]:
    from framing.compare.stories import _tfidf_cosine

    da, db = a.documents.sort("doc_id"), b.documents.sort("doc_id")
    if "measured" in da.columns:
        da = da.filter(pl.col("measured").fill_null(False))
        db = db.filter(pl.col("measured").fill_null(False))
    da = da.filter(pl.col("text").is_not_null())
    db = db.filter(pl.col("text").is_not_null())
    if da.height == 0 or db.height == 0:
        return []
    texts = da["text"].to_list() + db["text"].to_list()
    cos = _tfidf_cosine(texts, stop_words="english")[: da.height, da.height :]
    sa = da["story_id"].to_list() if "story_id" in da.columns else [None] * da.height
    sb = db["story_id"].to_list() if "story_id" in db.columns else [None] * db.height
    cands = []
    for i in range(da.height):
        for j in range(db.height):
            same_id = sa[i] is not None and sa[i] == sb[j] and da["doc_id"][i] != db["doc_id"][j]
            if same_id or cos[i, j] >= SAME_STORY_COSINE:
                cands.append((-float(cos[i, j]), i, j, same_id))
    cands.sort()
    out = []
    ra, rb = da.to_dicts(), db.to_dicts()
    for negc, i, j, same_id in cands[:MAX_PAIRS]:
        x, y = ra[i], rb[j]
        al = align_mod.align_texts(x["text"], y["text"], a_spans=_spans(a, x["doc_id"]), b_spans=_spans(b, y["doc_id"]))
        verdict = align_mod.reuse_verdict(
            al, a_date=x.get("date"), b_date=y.get("date"), a_outlet=x.get("outlet"), b_outlet=y.get("outlet"), labels=labels
        )
        out.append(
            {
                "a_doc": x["doc_id"],
                "b_doc": y["doc_id"],
                "a_title": x.get("title"),
                "b_title": y.get("title"),
                "story_id": sa[i] if same_id else None,
                "similarity": -negc,
                "reuse": verdict,
                "alignment": al.to_dict(),
            }
        )
    return out


def compare(a, b, *, labels: tuple[str, str] = ("A", "B"), seed: int = DEFAULT_SEED) -> Comparison:
    """Compare analysis ``a`` with analysis ``b`` (framing.analysis.Analysis objects)."""
    from framing.stats import enough_data

    labels = (str(labels[0]), str(labels[1]))
    side_a, side_b = _side_summary(a, labels[0]), _side_summary(b, labels[1])
    ok_a, why_a = enough_data(side_a["measured_documents"], side_a["words"])
    ok_b, why_b = enough_data(side_b["measured_documents"], side_b["words"])
    reasons = [f"{lab}: {why}" for lab, why in ((labels[0], why_a), (labels[1], why_b)) if why]
    words = distinctive.fightin_words(distinctive.word_counts(_measured_texts(a)), distinctive.word_counts(_measured_texts(b)))
    cues = distinctive.fightin_words(_cue_counts(a), _cue_counts(b), min_count=1)
    qa, qb = _quote_rows(a), _quote_rows(b)
    return Comparison(
        labels=labels,
        seed=seed,
        sides={"a": side_a, "b": side_b},
        enough_data=ok_a and ok_b,
        reason="; ".join(reasons) if reasons else None,
        metrics=_metrics(a, b, seed),
        distinctive_terms=distinctive.top_features(words),
        distinctive_cues=distinctive.top_features(cues),
        actors=_actors(a, b),
        quotes=_only_one_side(qa, qb),
        sources=_sources(qa, qb),
        same_story=_same_story(a, b, labels),
    )
