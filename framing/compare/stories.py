"""Group documents about the same story (``story_id``) and find rewrites (``derived_from``).

Similarity of two documents combines these steps (weights in ``WEIGHTS``):

* distinctive terms: the mean of two TF-IDF cosines (scikit-learn), one over
  words (sublinear tf, English stop words removed) and one over character
  3-5-grams inside words, each over the headline (twice) plus the first
  ``LEDE_WORDS`` words (news puts the story in its lede), fitted on the
  documents being grouped;
* latent terms: cosine in an LSA space (scikit-learn TruncatedSVD, ARPACK,
  fixed seed, ``LSA_DIMS`` dimensions) of the same word TF-IDF, so outlets
  that word the same event differently still meet;
* named actors: TF-IDF cosine over the actors of the ``mentions`` frame, or,
  for documents without mentions, over capitalised names found in the whole
  text (a light fallback extractor);
* shared numbers and quoted words: TF-IDF cosine over the numbers of the whole
  text, and over word 3-grams of its quoted passages (outlets quote the same
  words and figures of one event);
* weekdays: TF-IDF cosine over the weekday names of the headline and first
  ``WEEKDAY_WORDS`` words ("on Monday"): reports of one event date it alike,
  while the same topic on another day names another day;
* shared neighbours: the pair's similarity is mixed (``SHARED_WEIGHT``) with
  the cosine of the two documents' similarity rows kept to their
  ``NEIGHBOURS`` best entries (Jarvis-Patrick style): documents of one story
  have the same close neighbours;
* background: topical documents (say, one of many COVID pieces) resemble
  many others; a pair loses ``BACKGROUND_WEIGHT`` times the mean of the two
  documents' background (mean similarity to their ``BACKGROUND_FROM``-th to
  ``BACKGROUND_RANK``-th best matches, capped at the batch size), and a pair
  whose direct similarity (before shared neighbours) is below ``RAW_MIN``
  scores 0 (a small batch gives a poor background estimate);
* dates: the similarity is multiplied by ``exp(-max(gap - 2 days, 0) / 5 days)``
  when both dates are known, so a gap of weeks or months argues strongly
  against one story while a day or two costs nothing. Unknown dates are
  neutral (factor 1).

Documents are then grouped by complete-linkage agglomerative clustering on
``1 - similarity`` with distance threshold ``1 - THRESHOLD``: every pair in
a story must clear the threshold, so topical chains do not merge stories.
THRESHOLD was chosen on NEUS (development data, not held out); the seeds
group correctly for every threshold from 0.00 to 0.075 (the NYT piece 002
leaves the interview story at 0.08; NEUS text-only ARI is 0.708 at 0.06,
0.712 at 0.075 and 0.724 at 0.10).

Only measured documents (``measured`` true, non-empty text) are grouped;
every other document (other languages, empty texts) gets a story of its own,
so ``story_id`` is never null. A story id is ``"s-"`` plus the first 12 hex
digits of the SHA-1 of its sorted member doc_ids joined by newlines: stable
across runs and independent of row order.

Evaluated on NEUS (benchmarks/eval_stories.py): see that file for figures.

``derived_from``: within a story, each pair of measured documents whose word
TF-IDF cosine is at least ``REWRITE_MIN_COSINE`` is aligned sentence by
sentence (:mod:`framing.compare.align`); when the reuse verdict names one as a
rewrite of the other, the copy's ``derived_from`` is the original's doc_id
(one original per copy: the best-aligned one). An existing ``duplicate_of``
is kept and such documents are not considered.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import polars as pl
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

THRESHOLD = 0.06  # minimum similarity of every pair inside a story (chosen on NEUS, see benchmarks/eval_stories.py)
LINKAGE = "complete"  # every pair of a story must clear THRESHOLD
LEDE_WORDS = 120  # the term signal reads the headline and the opening words only
# weights of the signals (sum 1), chosen on NEUS
WEIGHTS = {"terms": 0.50, "latent": 0.15, "actors": 0.15, "numbers": 0.10, "quotes": 0.05, "weekdays": 0.05}
WEEKDAY_WORDS = 60  # weekdays are read in the headline and the first 60 words
LSA_DIMS = 150  # dimensions of the latent (LSA) space
BACKGROUND_FROM = 3  # a document's background similarity: mean of its 3rd to
BACKGROUND_RANK = 10  # 10th best matches (its two best may be its own story)
BACKGROUND_WEIGHT = 1.0  # share of the pair's mean background similarity subtracted
NEIGHBOURS = 5  # shared-neighbour signal: each document's 5 best rows (itself included)
SHARED_WEIGHT = 0.3  # weight of the shared-neighbour signal
RAW_MIN = 0.15  # a pair whose direct similarity is below this is never one story
DATE_GRACE_DAYS = 2  # date gap that costs nothing
DATE_DECAY_DAYS = 5.0  # e-folding of the date factor beyond the grace
REWRITE_MIN_COSINE = 0.3  # word TF-IDF cosine below which no rewrite is checked

_TITLE = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sen|Rep|Gov|Pres|St)\.\s+)?"
_NAME = re.compile(r"\b" + _TITLE + r"[A-Z][\w'’-]+(?:\s+(?:of\s+|the\s+|al-|bin\s+)?[A-Z][\w'’-]+)*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\d|(?<![\w.])\d(?![\w])")
_QUOTED = re.compile(r"[\"“]([^\"“”]{10,300})[\"”]")
_WEEKDAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_SENT_START = re.compile(r"(?:^|[.!?…]\s+|\n)[\"“‘'(\[]?$")


def story_id(doc_ids) -> str:
    """Stable id of a group of documents."""
    key = "\n".join(sorted(doc_ids)).encode("utf-8")
    return "s-" + hashlib.sha1(key).hexdigest()[:12]


def capitalised_names(text: str) -> list[str]:
    """Capitalised word sequences, lower-cased; a single capitalised word at a
    sentence start is skipped (it is usually an ordinary word)."""
    out = []
    for m in _NAME.finditer(text):
        name = re.sub(r"^" + _TITLE, "", m.group(0))
        if name == m.group(0) and " " not in name and _SENT_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        out.append(name.lower().replace("’", "'"))
    return out


def _cosine(x) -> np.ndarray:
    s = (x @ x.T).toarray()
    return np.clip(s, 0.0, 1.0)


def _tfidf_cosine(texts: list[str], **kw) -> np.ndarray:
    if not any(t.strip() for t in texts):
        return np.zeros((len(texts), len(texts)))
    try:
        x = TfidfVectorizer(sublinear_tf=True, dtype=np.float64, **kw).fit_transform(texts)
    except ValueError:  # empty vocabulary (e.g. only stop words)
        return np.zeros((len(texts), len(texts)))
    return _cosine(x)


def _names_tokens(s: str) -> list[str]:
    names = [x for x in s.split("|") if x]
    # whole names plus their words, so "putin" meets "vladimir putin"
    return names + [w for x in names for w in x.split()]


def lede(text: str, words: int = LEDE_WORDS) -> str:
    """The first ``words`` whitespace-separated words of ``text``."""
    return " ".join(text.split()[:words])


def _terms(texts: list[str]) -> np.ndarray:
    words = _tfidf_cosine(texts, stop_words="english")
    chars = _tfidf_cosine(texts, analyzer="char_wb", ngram_range=(3, 5))
    return (words + chars) / 2


def _latent(texts: list[str]) -> np.ndarray:
    """Cosine in an LSA space (truncated SVD of the word TF-IDF matrix, fixed seed)."""
    n = len(texts)
    try:
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64).fit_transform(texts)
    except ValueError:
        return np.zeros((n, n))
    k = min(LSA_DIMS, n - 1, x.shape[1] - 1)
    if k < 2:
        return _cosine(x)
    z = TruncatedSVD(n_components=k, algorithm="arpack", random_state=0).fit_transform(x)
    z = normalize(z)
    return np.clip(z @ z.T, 0.0, 1.0)


def numbers(text: str) -> list[str]:
    """Numbers written in ``text`` ("1,200", "3.5", "19"), without a trailing full stop."""
    return [m.rstrip(".,") for m in _NUMBER.findall(text)]


def quoted_phrases(text: str) -> list[str]:
    """Quoted passages of 10 to 300 characters, lower-cased."""
    return [m.lower() for m in _QUOTED.findall(text)]


def weekdays(text: str) -> list[str]:
    """Weekday names in the first ``WEEKDAY_WORDS`` words of ``text``, lower-cased."""
    return [m.lower() for m in _WEEKDAY.findall(lede(text, WEEKDAY_WORDS))]


def _shared_weekdays(full: list[str]) -> np.ndarray:
    return _tfidf_cosine([" ".join(weekdays(t)) for t in full], token_pattern=r"\S+")


def _shared_numbers(full: list[str]) -> np.ndarray:
    return _tfidf_cosine([" ".join(numbers(t)) for t in full], token_pattern=r"\S+")


def _shared_quotes(full: list[str]) -> np.ndarray:
    quotes = [" | ".join(quoted_phrases(t)) for t in full]
    return _tfidf_cosine(quotes, ngram_range=(3, 3), min_df=2)


def _shared_neighbours(sim: np.ndarray) -> np.ndarray:
    """Cosine of two documents' similarity rows kept to their ``NEIGHBOURS`` best
    entries (themselves included): documents of one story share neighbours."""
    k = min(NEIGHBOURS, sim.shape[0] - 1)
    cut = -np.sort(-sim, axis=1)[:, k][:, None]
    rows = normalize(np.where(sim > cut, sim, 0.0))
    return np.clip(rows @ rows.T, 0.0, 1.0)


def _background(sim: np.ndarray) -> np.ndarray:
    """Each document's mean similarity to its matches ranked ``BACKGROUND_FROM`` to
    ``BACKGROUND_RANK`` (1 = best; capped at the batch size, so a small batch
    uses its weakest matches)."""
    s = sim.copy()
    np.fill_diagonal(s, -np.inf)
    ranked = -np.sort(-s, axis=1)[:, : s.shape[0] - 1]
    hi = min(BACKGROUND_RANK, ranked.shape[1])
    lo = min(BACKGROUND_FROM, hi)
    return np.maximum(ranked[:, lo - 1 : hi].mean(axis=1), 0.0)


def similarity(
    texts: list[str],
    titles: list[str | None],
    dates: list[int | None],
    actors: list[list[str]],
) -> np.ndarray:
    """Pairwise story similarity in [0, 1] (see the module docstring).

    ``dates`` are day numbers (any epoch) or None; ``actors`` lists each
    document's actor names (empty: capitalised names from the text are used).
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, 0))
    ledes = [f"{t}. {t}. {lede(x)}" if t else lede(x) for t, x in zip(titles, texts)]
    full = [f"{t}. {x}" if t else x for t, x in zip(titles, texts)]
    names = ["|".join(a if a else capitalised_names(f)) for a, f in zip(actors, full)]
    people = _tfidf_cosine(names, analyzer=_names_tokens, lowercase=False) if any(names) else np.zeros((n, n))
    sim = (
        WEIGHTS["terms"] * _terms(ledes)
        + WEIGHTS["latent"] * _latent(ledes)
        + WEIGHTS["actors"] * people
        + WEIGHTS["numbers"] * _shared_numbers(full)
        + WEIGHTS["quotes"] * _shared_quotes(full)
        + WEIGHTS["weekdays"] * _shared_weekdays(full)
    )
    if n > 2:
        direct = sim
        sim = (1 - SHARED_WEIGHT) * sim + SHARED_WEIGHT * _shared_neighbours(sim)
        bg = _background(sim)
        sim = np.where(direct >= RAW_MIN, sim - BACKGROUND_WEIGHT * (bg[:, None] + bg[None, :]) / 2, 0.0)
    d = np.array([np.nan if x is None else float(x) for x in dates])
    gap = np.abs(d[:, None] - d[None, :])
    factor = np.where(np.isnan(gap), 1.0, np.exp(-np.maximum(np.nan_to_num(gap) - DATE_GRACE_DAYS, 0) / DATE_DECAY_DAYS))
    sim = np.clip(sim, 0.0, 1.0) * factor
    np.fill_diagonal(sim, 1.0)
    return sim


def cluster(sim: np.ndarray, threshold: float = THRESHOLD) -> list[int]:
    """Complete-linkage groups of a similarity matrix; labels numbered by first member."""
    n = sim.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [0]
    dist = 1.0 - (sim + sim.T) / 2
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage=LINKAGE, distance_threshold=1.0 - threshold
    ).fit(dist)
    first: dict[int, int] = {}
    return [first.setdefault(int(lab), len(first)) for lab in model.labels_]


def _actor_lists(doc_ids: list[str], mentions: pl.DataFrame | None) -> list[list[str]]:
    if mentions is None or mentions.height == 0 or "actor" not in mentions.columns:
        return [[] for _ in doc_ids]
    grouped = (
        mentions.filter(pl.col("actor").is_not_null())
        .group_by("doc_id")
        .agg(pl.col("actor").str.to_lowercase().sort())
    )
    lookup = dict(zip(grouped["doc_id"].to_list(), grouped["actor"].to_list()))
    return [list(lookup.get(d) or []) for d in doc_ids]


def assign_stories(
    documents: pl.DataFrame, mentions: pl.DataFrame | None = None, *, threshold: float = THRESHOLD, jobs: int = 1
) -> pl.DataFrame:
    """Return ``documents`` with ``story_id`` and ``derived_from`` filled (see the module docstring).

    Pure: the input frame is not modified; row order is kept. ``jobs``
    processes align the candidate rewrite pairs (the result does not depend
    on it; with more than one, a script calling this must guard its entry
    point with ``if __name__ == "__main__":``).
    """
    if documents.height == 0:
        return documents.with_columns(
            pl.lit(None, dtype=pl.String).alias("story_id"),
            pl.lit(None, dtype=pl.String).alias("derived_from") if "derived_from" not in documents.columns else pl.col("derived_from"),
        )
    cols = documents.columns
    docs = documents.with_row_index("_row")
    measured = pl.col("measured").fill_null(False) if "measured" in cols else pl.lit(True)
    has_text = pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != "")
    not_dup = pl.col("duplicate_of").is_null() if "duplicate_of" in cols else pl.lit(True)
    pool = docs.filter(measured & has_text & not_dup).sort("doc_id")
    ids = pool["doc_id"].to_list()
    texts = pool["text"].to_list()
    titles = pool["title"].to_list() if "title" in cols else [None] * len(ids)
    dates = pool.select(pl.col("date").cast(pl.Date).cast(pl.Int64))["date"].to_list() if "date" in cols else [None] * len(ids)
    sim = similarity(texts, titles, dates, _actor_lists(ids, mentions))
    labels = cluster(sim, threshold)
    members: dict[int, list[str]] = {}
    for d, lab in zip(ids, labels):
        members.setdefault(lab, []).append(d)
    story_of = {d: story_id(members[lab]) for d, lab in zip(ids, labels)}
    # duplicates join their original's story; everything else is alone
    all_ids = docs["doc_id"].to_list()
    dup_of = docs["duplicate_of"].to_list() if "duplicate_of" in cols else [None] * len(all_ids)
    stories = [story_of.get(d) or story_of.get(o or "") or story_id([d]) for d, o in zip(all_ids, dup_of)]
    derived = _rewrites(pool, ids, texts, labels, dates, jobs)
    old = docs["derived_from"].to_list() if "derived_from" in cols else [None] * len(all_ids)
    derived_col = [derived.get(d, o) for d, o in zip(all_ids, old)]
    return documents.with_columns(
        pl.Series("story_id", stories, dtype=pl.String),
        pl.Series("derived_from", derived_col, dtype=pl.String),
    )


def _pair_verdict(a: str, b: str, a_date, b_date, a_outlet, b_outlet) -> dict:
    """:func:`framing.compare.align.reuse_verdict` of two texts (a task of :func:`_rewrites`)."""
    from framing.compare.align import align_texts, reuse_verdict

    v = reuse_verdict(align_texts(a, b), a_date=a_date, b_date=b_date, a_outlet=a_outlet, b_outlet=b_outlet)
    return {k: v[k] for k in ("direction", "aligned_share_of_a", "aligned_share_of_b")}


def _rewrites(
    pool: pl.DataFrame, ids: list[str], texts: list[str], labels: list[int], dates: list[int | None], jobs: int = 1
) -> dict[str, str]:
    """doc_id -> doc_id of the text it rewrites, within each story (pairs aligned on ``jobs`` processes)."""
    from framing.engine import map_shared

    n = len(ids)
    if n < 2:
        return {}
    words = _tfidf_cosine(texts, stop_words="english")
    outlets = pool["outlet"].to_list() if "outlet" in pool.columns else [None] * n
    pairs = [
        (i, j) for i in range(n) for j in range(i + 1, n) if labels[i] == labels[j] and words[i, j] >= REWRITE_MIN_COSINE
    ]
    items = [(texts[i], texts[j], dates[i], dates[j], outlets[i], outlets[j]) for i, j in pairs]
    verdicts = map_shared(_pair_verdict, items, jobs=jobs)
    best: dict[str, tuple[float, str]] = {}
    for (i, j), v in zip(pairs, verdicts):
        if v["direction"] == "b_from_a":
            copy, orig, share = ids[j], ids[i], v["aligned_share_of_b"]
        elif v["direction"] == "a_from_b":
            copy, orig, share = ids[i], ids[j], v["aligned_share_of_a"]
        else:
            continue
        if copy not in best or (share, orig) > best[copy]:
            best[copy] = (share, orig)
    # no cycles: an original that is itself marked as a copy of its copy is dropped
    out = {c: o for c, (_, o) in sorted(best.items())}
    return {c: o for c, o in out.items() if out.get(o) != c}
