"""Sentence alignment of two texts, word-level diffs, and a reuse verdict.

Used by :func:`framing.compare.compare` (same story on both sides) and by
:func:`framing.compare.stories.assign_stories` (``derived_from``).

Method
------
1. Both texts are split into sentences (the project's segmenter,
   :func:`framing.text.sentences.split_sentences`, unless spans are given).
2. Each sentence becomes a bag of content-word stems (lower case, stop words
   dropped, a light suffix stripper so "forces"/"force" and "stated"/"state"
   meet). Stems are weighted by TF-IDF fitted on the sentences of both texts
   (scikit-learn), so shared rare words count more than shared common ones.
   The similarity of two sentences is the cosine of these vectors, raised
   to the rapidfuzz ``token_set_ratio`` of the stems when both are long
   enough (synonym swaps keep most content words; word order changes do not
   matter to either score).
3. A monotone alignment (dynamic programming, like Needleman-Wunsch without
   gap costs) picks the order-preserving set of pairs with the largest total
   ``similarity - threshold``; one sentence may align to two consecutive
   sentences of the other side (a split or merged sentence). A second pass
   pairs sentences that moved (crossing the monotone alignment) when their
   similarity clears a stricter threshold.
4. Aligned pairs are ``matched`` when their normalised texts are (near-)
   identical (rapidfuzz ratio >= 95 after folding quotes, dashes and case),
   otherwise ``reworded`` with a word-level diff. Unaligned sentences of A are
   ``missing from B``; unaligned sentences of B are ``added in B``.

Word diff: long runs shared by both sentences in any order (4+ tokens) are
taken out first (a clause that moved is not a change), then ``difflib`` on the
remaining tokens gives replaced, deleted and inserted runs; edits separated by
at most two unchanged tokens are merged into one phrase change, so
"said, claiming without evidence" -> "asserted without proof" reads as one
rewording.

Reuse verdict: B is ``derived_from`` A when at least ``REUSE_SHARE`` (0.6) of
B's sentences align to A and the alignment is mostly rewording of the same
sentences in the same order, which independent reports of one event do not
produce (they share facts, not sentence sequences). Direction (which text is
the original) is decided in :func:`reuse_verdict`.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

PAIR_THRESHOLD = 0.34  # minimum similarity for an order-preserving pair
MOVED_THRESHOLD = 0.55  # minimum similarity for a pair that crosses the order
GAP_THRESHOLD = 0.55  # similarity (content or surface) for pairs inside a short gap
GAP_MAX = 8  # sentences on each side of a gap that may be filled
MATCHED_RATIO = 95.0  # rapidfuzz ratio (0-100) of normalised texts for "matched"
REUSE_SHARE = 0.6  # share of the copy's sentences aligned for a reuse verdict
MOVED_RUN = 4  # tokens in a run that moved inside a sentence and is not an edit
MERGE_GAP = 1  # edits separated by at most this many unchanged tokens merge

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})
_SUFFIXES = ("ational", "ingly", "ments", "ations", "ation", "ness", "ment", "ings", "ing", "edly", "ies", "ied", "ly", "ed", "es", "s", "e")
_CONTRACTION = re.compile(r"(?:n't|'s|'m|'ll|'re|'ve|'d)$")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say"}


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    w = _CONTRACTION.sub("", word.lower().replace("’", "'"))
    for suf in _SUFFIXES:
        if len(w) - len(suf) >= 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def content_stems(text: str) -> list[str]:
    """Lower-cased, stop-word-free, lightly stemmed content words of ``text``."""
    return list(_content_stems(text))


@lru_cache(maxsize=1 << 14)
def _content_stems(text: str) -> tuple[str, ...]:
    # memoised: a document's sentences are aligned against every other version of its story
    out = []
    for w in _WORD.findall(text):
        base = _CONTRACTION.sub("", w.lower().replace("’", "'"))
        if (base not in _STOP and len(base) > 1) or base.isdigit():
            out.append(_stem(base))
    return tuple(out)


def normalise(text: str) -> str:
    """Fold quotes, dashes, ellipses, case and whitespace for near-identity checks."""
    t = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return " ".join(t.split())


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    try:
        from framing.text.sentences import split_sentences
    except ImportError:  # pragma: no cover - segmenter not importable
        split_sentences = None
    if split_sentences is not None:
        spans = split_sentences(text)
    else:  # pragma: no cover
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+?(?:[.!?…]+[”\"’)]*(?=\s|$)|$)", text)]
    return [(s, e) for s, e in spans if _WORD.search(text[s:e])]


@dataclass(frozen=True)
class Pair:
    """Sentences of A and B that align (one or two on each side)."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    similarity: float
    kind: str  # "matched" | "reworded"
    moved: bool


@dataclass(frozen=True)
class Alignment:
    """Result of :func:`align_texts`: sentence spans of both texts and the aligned pairs."""

    a_text: str
    b_text: str
    a_spans: tuple[tuple[int, int], ...]
    b_spans: tuple[tuple[int, int], ...]
    pairs: tuple[Pair, ...]

    def a_sentence(self, i: int) -> str:
        s, e = self.a_spans[i]
        return self.a_text[s:e]

    def b_sentence(self, i: int) -> str:
        s, e = self.b_spans[i]
        return self.b_text[s:e]

    @property
    def missing_from_b(self) -> list[int]:
        used = {i for p in self.pairs for i in p.a}
        return [i for i in range(len(self.a_spans)) if i not in used]

    @property
    def added_in_b(self) -> list[int]:
        used = {j for p in self.pairs for j in p.b}
        return [j for j in range(len(self.b_spans)) if j not in used]

    @property
    def aligned_share_of_a(self) -> float | None:
        n = len(self.a_spans)
        return None if n == 0 else (n - len(self.missing_from_b)) / n

    @property
    def aligned_share_of_b(self) -> float | None:
        n = len(self.b_spans)
        return None if n == 0 else (n - len(self.added_in_b)) / n

    @property
    def in_order_share(self) -> float | None:
        """Share of aligned pairs that keep the order (not moved)."""
        if not self.pairs:
            return None
        return sum(1 for p in self.pairs if not p.moved) / len(self.pairs)

    def to_dict(self, *, diffs: bool = True) -> dict:
        pairs = []
        for p in self.pairs:
            a = " ".join(self.a_sentence(i) for i in p.a)
            b = " ".join(self.b_sentence(j) for j in p.b)
            row = {
                "kind": p.kind,
                "a_sentences": list(p.a),
                "b_sentences": list(p.b),
                "similarity": round(p.similarity, 3),
                "moved": p.moved,
                "a": a,
                "b": b,
            }
            if diffs and p.kind == "reworded":
                row["diff"] = word_diff(a, b)
            pairs.append(row)
        return {
            "n_sentences_a": len(self.a_spans),
            "n_sentences_b": len(self.b_spans),
            "aligned_share_of_a": _r(self.aligned_share_of_a),
            "aligned_share_of_b": _r(self.aligned_share_of_b),
            "matched": sum(1 for p in self.pairs if p.kind == "matched"),
            "reworded": sum(1 for p in self.pairs if p.kind == "reworded"),
            "pairs": pairs,
            "missing_from_b": [{"a_sentence": i, "text": self.a_sentence(i)} for i in self.missing_from_b],
            "added_in_b": [{"b_sentence": j, "text": self.b_sentence(j)} for j in self.added_in_b],
        }


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(float(x), nd)


class _Scorer:
    """Similarity of sentences and of consecutive pairs of sentences."""

    def __init__(self, a_sents: list[str], b_sents: list[str]):
        self.a_sents, self.b_sents = a_sents, b_sents
        self.a_stems = [_content_stems(s) for s in a_sents]
        self.b_stems = [_content_stems(s) for s in b_sents]
        docs = [" ".join(s) for s in self.a_stems + self.b_stems]
        if any(docs):
            vec = TfidfVectorizer(analyzer=str.split, lowercase=False, sublinear_tf=True, norm=None)
            m = vec.fit_transform(docs).toarray()
        else:
            m = np.zeros((len(docs), 1))
        self.a_vec = m[: len(a_sents)]
        self.b_vec = m[len(a_sents) :]
        # per sentence, once: what score() of two single sentences reads (same values it computes)
        self.a_norm = [normalise(s) for s in a_sents]
        self.b_norm = [normalise(s) for s in b_sents]
        # fresh copies of the rows, as ``sum()`` of one row gives score(): the same dot products
        self.a_rows = [self.a_vec[i].copy() for i in range(len(a_sents))]
        self.b_rows = [self.b_vec[j].copy() for j in range(len(b_sents))]
        self.a_len = [float(np.linalg.norm(r)) for r in self.a_rows]
        self.b_len = [float(np.linalg.norm(r)) for r in self.b_rows]
        self.a_set = [set(s) for s in self.a_stems]
        self.b_set = [set(s) for s in self.b_stems]
        self.a_sorted = [" ".join(sorted(s)) for s in self.a_set]
        self.b_sorted = [" ".join(sorted(s)) for s in self.b_set]

    @staticmethod
    def _cos(u: np.ndarray, v: np.ndarray) -> float:
        nu, nv = math.sqrt(u.dot(u)), math.sqrt(v.dot(v))  # what np.linalg.norm computes for a vector
        return 0.0 if nu == 0 or nv == 0 else float(u @ v) / (nu * nv)

    def single(self, i: int, j: int) -> float:
        """``score((i,), (j,))`` from the per-sentence parts computed once (the tests compare both)."""
        if self.a_norm[i] == self.b_norm[j]:
            return 1.0
        nu, nv = self.a_len[i], self.b_len[j]
        cos = 0.0 if nu == 0 or nv == 0 else float(self.a_rows[i] @ self.b_rows[j]) / (nu * nv)
        return _blend(cos, self.a_set[i], self.b_set[j], (self.a_sorted[i], self.b_sorted[j]))

    def singles(self) -> np.ndarray:
        """:meth:`single` for every pair of sentences, the same numbers computed a matrix at a time.

        The TF-IDF weights are positive, so two sentences without a shared stem have a dot
        product of exactly 0: only pairs that share stems take a dot product, each the one
        :meth:`single` takes. Shared-stem counts come from a product of 0/1 matrices (exact
        integers), token-sort ratios from rapidfuzz's ``cdist`` (its scorer, pair by pair),
        and the rest is the same IEEE arithmetic element by element.
        """
        from scipy.sparse import csr_matrix

        n, m = len(self.a_sents), len(self.b_sents)
        vocab: dict[str, int] = {}
        for stems in self.a_set + self.b_set:
            for w in stems:
                vocab.setdefault(w, len(vocab))

        def incidence(sets: list[set[str]]) -> csr_matrix:
            cols = [vocab[w] for st in sets for w in st]
            ptr = np.cumsum([0] + [len(st) for st in sets])
            return csr_matrix((np.ones(len(cols), dtype=np.int64), cols, ptr), shape=(len(sets), max(len(vocab), 1)))

        inter = (incidence(self.a_set) @ incidence(self.b_set).T).toarray()
        cos = np.zeros((n, m))
        for i, j in zip(*np.nonzero(inter)):
            nu, nv = self.a_len[i], self.b_len[j]
            if nu != 0 and nv != 0:
                cos[i, j] = float(self.a_rows[i] @ self.b_rows[j]) / (nu * nv)
        la = np.array([len(st) for st in self.a_set], dtype=np.int64)
        lb = np.array([len(st) for st in self.b_set], dtype=np.int64)
        long = (la[:, None] >= 4) & (lb[None, :] >= 4)
        out = cos
        if long.any():
            ratio = process.cdist(self.a_sorted, self.b_sorted, scorer=fuzz.token_sort_ratio, dtype=np.float64, workers=1) / 100
            total = la[:, None] + lb[None, :]
            dice = np.divide(2 * inter, total, out=np.zeros((n, m)), where=long)
            out = np.where(long, np.maximum(cos, np.minimum(ratio, dice + 0.1)), cos)
        same: dict[str, list[int]] = {}
        for j, t in enumerate(self.b_norm):
            same.setdefault(t, []).append(j)
        for i, t in enumerate(self.a_norm):
            for j in same.get(t, ()):
                out[i, j] = 1.0
        return out

    def score(self, ai: tuple[int, ...], bj: tuple[int, ...]) -> float:
        if len(ai) == len(bj) == 1:
            return self.single(ai[0], bj[0])
        sa = set().union(*(self.a_set[i] for i in ai))
        sb = set().union(*(self.b_set[j] for j in bj))
        # no shared stem: the (positive) TF-IDF vectors have a dot product of exactly 0
        shared = not sa.isdisjoint(sb)
        cos = self._cos(sum(self.a_vec[i] for i in ai), sum(self.b_vec[j] for j in bj)) if shared else 0.0
        return _blend(cos, sa, sb)


def _blend(cos: float, sa: set[str], sb: set[str], keys: tuple[str, str] | None = None) -> float:
    """A pair's similarity from its cosine and both sides' stem sets (``keys``: their sorted,
    space-joined stems when already at hand). :meth:`_Scorer.singles` computes the same, a matrix at a time."""
    if min(len(sa), len(sb)) >= 4:
        # token-set agreement, scaled by the shorter side's coverage so a
        # short sentence does not match every long one containing its words
        a_key, b_key = keys or (" ".join(sorted(sa)), " ".join(sorted(sb)))
        ratio = fuzz.token_sort_ratio(a_key, b_key) / 100
        dice = 2 * len(sa & sb) / (len(sa) + len(sb))
        return max(cos, min(ratio, dice + 0.1))
    return cos


def align_texts(
    a_text: str,
    b_text: str,
    *,
    a_spans: list[tuple[int, int]] | None = None,
    b_spans: list[tuple[int, int]] | None = None,
    threshold: float = PAIR_THRESHOLD,
    moved_threshold: float = MOVED_THRESHOLD,
) -> Alignment:
    """Align the sentences of ``a_text`` and ``b_text`` (see the module docstring)."""
    a_spans = [tuple(s) for s in (a_spans if a_spans is not None else _sentence_spans(a_text))]
    b_spans = [tuple(s) for s in (b_spans if b_spans is not None else _sentence_spans(b_text))]
    a_sents = [a_text[s:e] for s, e in a_spans]
    b_sents = [b_text[s:e] for s, e in b_spans]
    n, m = len(a_sents), len(b_sents)
    pairs: list[Pair] = []
    if n and m:
        sc = _Scorer(a_sents, b_sents)
        sim = sc.singles()
        pairs = _dp(range(n), range(m), sim, sc.score, threshold)
        pairs = _fill_gaps(pairs, n, m, sim, sc)
        pairs += _moved(sim, pairs, moved_threshold)
        pairs = [
            Pair(p.a, p.b, p.similarity, _kind(" ".join(a_sents[i] for i in p.a), " ".join(b_sents[j] for j in p.b)), p.moved)
            for p in pairs
        ]
        pairs.sort(key=lambda p: (p.b[0], p.a[0]))
    return Alignment(a_text, b_text, tuple(a_spans), tuple(b_spans), tuple(pairs))


def _kind(a: str, b: str) -> str:
    return "matched" if fuzz.ratio(normalise(a), normalise(b)) >= MATCHED_RATIO else "reworded"


def _dp(rows: range, cols: range, sim: np.ndarray, score, threshold: float) -> list[Pair]:
    """Order-preserving alignment of sentences ``rows`` (A) and ``cols`` (B)
    maximising the sum of (similarity - threshold); 1-1, 2-1 and 1-2 steps."""
    i0, j0 = rows.start, cols.start
    n, m = len(rows), len(cols)
    block = sim[i0 : i0 + n, j0 : j0 + m].tolist()  # the only cells read, as Python floats
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list] = [[None] * (m + 1) for _ in range(n + 1)]

    low = threshold * 0.7  # a merge whose best single pair is below this resembles nothing

    def merged(ia: int, ib: int, ja: int, jb: int, single: float) -> float | None:
        s = score(tuple(range(i0 + ia, i0 + ib)), tuple(range(j0 + ja, j0 + jb)))
        return s if s > single + 0.02 else None  # a merge must beat its best single pair

    for i in range(n + 1):
        row, up = best[i], best[i - 1]
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            cands = []
            if i > 0:
                cands.append((up[j], 0, i - 1, j, -1.0))
            if j > 0:
                cands.append((row[j - 1], 0, i, j - 1, -1.0))
            if i and j:
                # 1-1, 2-1 and 1-2 steps, in this order
                s = block[i - 1][j - 1]
                if s > threshold:
                    cands.append((up[j - 1] + s - threshold, 1, i - 1, j - 1, s))
                if i >= 2:
                    single = max(block[i - 2][j - 1], block[i - 1][j - 1])
                    if single >= low:
                        s = merged(i - 2, i, j - 1, j, single)
                        if s is not None and s > threshold:
                            cands.append((best[i - 2][j - 1] + s - threshold, 1, i - 2, j - 1, s))
                if j >= 2:
                    single = max(block[i - 1][j - 2], block[i - 1][j - 1])
                    if single >= low:
                        s = merged(i - 1, i, j - 2, j, single)
                        if s is not None and s > threshold:
                            cands.append((up[j - 2] + s - threshold, 1, i - 1, j - 2, s))
            v, _, pi, pj, s = _best_candidate(cands)
            best[i][j] = v
            back[i][j] = (pi, pj, s)
    out = []
    i, j = n, m
    while i > 0 or j > 0:
        pi, pj, s = back[i][j]
        if s >= 0 and i > pi and j > pj:
            out.append(Pair(tuple(range(i0 + pi, i0 + i)), tuple(range(j0 + pj, j0 + j)), s, "", False))
        i, j = pi, pj
    out.reverse()
    return out


def _best_candidate(cands: list[tuple]) -> tuple:
    """The candidate with the highest total rounded to 9 decimals (NumPy's rounding of a float64),
    then a pair over a skip, then the lowest indices.

    Rounding never reorders totals, so only candidates within 2e-9 of the highest total can share
    its rounded value; the others are passed over without rounding.
    """
    if len(cands) == 1:
        return cands[0]
    a, b = cands[0], cands[1]
    if len(cands) == 2 and a[0] == b[0] and a[1] == b[1]:
        return a if (a[2], a[3]) < (b[2], b[3]) else b  # equal totals and kinds (two skips): lowest indices
    top = max(c[0] for c in cands)
    near = [c for c in cands if c[0] > top - 2e-9]
    if len(near) == 1:
        return near[0]
    if all(c[0] == top for c in near):  # equal totals round alike (the usual tie: two skips)
        return max(near, key=lambda c: (c[1], -c[2], -c[3]))
    return max(near, key=lambda c: (round(np.float64(c[0]), 9), c[1], -c[2], -c[3]))


def _surface(a: str, b: str) -> float:
    return _surface_normalised(normalise(a), normalise(b))


def _surface_normalised(x: str, y: str) -> float:
    return max(fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y)) / 100


def _fill_gaps(pairs: list[Pair], n: int, m: int, sim: np.ndarray, sc: "_Scorer") -> list[Pair]:
    """Align sentences left between two aligned pairs (or a pair and a text end).

    Inside a short gap (at most GAP_MAX sentences each side) the order of the
    surrounding pairs makes a match likely, so short or heavily paraphrased
    sentences ("Why?", "Nevertheless, it is taking place.") may pair on their
    surface similarity (rapidfuzz ratio of the normalised texts) as well, at
    the stricter GAP_THRESHOLD.
    """
    if not pairs:
        return pairs
    out: list[Pair] = []
    bounds = [((-1,), (-1,))] + [(p.a, p.b) for p in pairs] + [((n,), (m,))]
    for k in range(len(bounds) - 1):
        a_lo, b_lo = bounds[k][0][-1] + 1, bounds[k][1][-1] + 1
        a_hi, b_hi = bounds[k + 1][0][0], bounds[k + 1][1][0]
        if k > 0:
            out.append(pairs[k - 1])
        if 0 < a_hi - a_lo <= GAP_MAX and 0 < b_hi - b_lo <= GAP_MAX:

            def score(ai, bj):
                if len(ai) == len(bj) == 1:
                    i, j = ai[0], bj[0]
                    return max(float(sim[i, j]), _surface_normalised(sc.a_norm[i], sc.b_norm[j]))
                a = " ".join(sc.a_sents[i] for i in ai)
                b = " ".join(sc.b_sents[j] for j in bj)
                return max(sc.score(ai, bj), _surface(a, b))

            # _dp reads only the gap's rows and columns
            local = np.zeros((n, m))
            for i in range(a_lo, a_hi):
                for j in range(b_lo, b_hi):
                    local[i, j] = score((i,), (j,))
            out += _dp(range(a_lo, a_hi), range(b_lo, b_hi), local, score, GAP_THRESHOLD)
    return out


def _moved(sim: np.ndarray, pairs: list[Pair], threshold: float) -> list[Pair]:
    """Pairs among unaligned sentences that cross the monotone order (greedy, best first)."""
    used_a = {i for p in pairs for i in p.a}
    used_b = {j for p in pairs for j in p.b}
    rows = sim.tolist()
    cands = sorted(
        ((v, i, j) for i, row in enumerate(rows) if i not in used_a for j, v in enumerate(row) if j not in used_b and v >= threshold),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    out = []
    for s, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append(Pair((i,), (j,), s, "", True))
    return out


# --------------------------------------------------------------------------- word diff


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _norm_tok(t: str) -> str:
    return t.translate(_FOLD).lower()


def word_diff(a: str, b: str) -> dict:
    """Word-level differences between two aligned sentences.

    Returns ``{"changes": [{"from": ..., "to": ...}, ...], "a_segments": [...],
    "b_segments": [...]}``; segments are ``[kind, text]`` with kind ``same`` or
    ``changed`` and cover each text exactly (concatenated they give it back),
    so a renderer can strike and highlight without re-tokenising.
    """
    ta, tb = _tokens(a), _tokens(b)
    na, nb = [_norm_tok(t[0]) for t in ta], [_norm_tok(t[0]) for t in tb]
    same_a = [False] * len(ta)
    same_b = [False] * len(tb)
    # 1. runs shared in any order (moved clauses), longest first
    while True:
        sm = difflib.SequenceMatcher(None, [x if not same_a[k] else None for k, x in enumerate(na)], [y if not same_b[k] else "\0" for k, y in enumerate(nb)], autojunk=False)
        blk = sm.find_longest_match(0, len(na), 0, len(nb))
        if blk.size < MOVED_RUN:
            break
        for k in range(blk.size):
            same_a[blk.a + k] = True
            same_b[blk.b + k] = True
    # 2. difflib on what is left
    rest_a = [k for k in range(len(ta)) if not same_a[k]]
    rest_b = [k for k in range(len(tb)) if not same_b[k]]
    sm = difflib.SequenceMatcher(None, [na[k] for k in rest_a], [nb[k] for k in rest_b], autojunk=False)
    ops = sm.get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            for k in range(i1, i2):
                same_a[rest_a[k]] = True
            for k in range(j1, j2):
                same_b[rest_b[k]] = True
    # 3. phrase changes: merge edits separated by <= MERGE_GAP equal tokens;
    #    punctuation-only edits (quote marks, commas) are not rewordings
    def wordy(toks, idx: list[int], lo: int, hi: int) -> bool:
        return any(_WORD.fullmatch(toks[idx[k]][0]) for k in range(lo, hi))

    groups: list[list[int]] = []  # [i1, i2, j1, j2] over rest indices
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" or not (wordy(ta, rest_a, i1, i2) or wordy(tb, rest_b, j1, j2)):
            continue
        if groups and i1 - groups[-1][1] <= MERGE_GAP and j1 - groups[-1][3] <= MERGE_GAP:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])

    def span_text(text: str, toks, idx: list[int], lo: int, hi: int) -> str:
        # trim punctuation at both ends; join runs split by moved words with " … "
        while lo < hi and not _WORD.fullmatch(toks[idx[lo]][0]):
            lo += 1
        while hi > lo and not _WORD.fullmatch(toks[idx[hi - 1]][0]):
            hi -= 1
        parts, run_start = [], lo
        for k in range(lo + 1, hi + 1):
            if k == hi or idx[k] != idx[k - 1] + 1:
                parts.append(text[toks[idx[run_start]][1] : toks[idx[k - 1]][2]])
                run_start = k
        return " … ".join(parts)

    changes = []
    for i1, i2, j1, j2 in groups:
        changes.append({"from": span_text(a, ta, rest_a, i1, i2), "to": span_text(b, tb, rest_b, j1, j2)})
    return {"changes": changes, "a_segments": _segments(a, ta, same_a), "b_segments": _segments(b, tb, same_b)}


def _segments(text: str, toks, same: list[bool]) -> list[list[str]]:
    """Cover ``text`` with [kind, text] runs; whitespace joins the run before it."""
    segs: list[list[str]] = []
    pos = 0
    for (_tok, s, e), keep in zip(toks, same):
        kind = "same" if keep else "changed"
        gap = text[pos:s]
        if segs:
            segs[-1][1] += gap
            gap = ""
        if segs and segs[-1][0] == kind:
            segs[-1][1] += text[s:e]
        else:
            segs.append([kind, gap + text[s:e]])
        pos = e
    if pos < len(text):
        if segs:
            segs[-1][1] += text[pos:]
        else:
            segs.append(["same", text[pos:]])
    return segs


# --------------------------------------------------------------------------- reuse verdict


def reuse_verdict(
    alignment: Alignment,
    *,
    a_date=None,
    b_date=None,
    a_outlet: str | None = None,
    b_outlet: str | None = None,
    labels: tuple[str, str] = ("A", "B"),
) -> dict:
    """Is one text a rewrite of the other, and which is the original?

    A text is a candidate copy when at least ``REUSE_SHARE`` of its sentences
    align to the other and most aligned pairs keep their order. When both
    qualify, the original is (1) the earlier-dated text when both dates are
    known and differ, else (2) the one with the lower aligned share (it has
    material the copy dropped), else (3) the one with a named outlet when the
    other has none, else A. ``derived_from`` is true when B is the copy of A;
    ``direction`` names the copy either way ("b_from_a", "a_from_b" or null).
    """
    sa, sb = alignment.aligned_share_of_a, alignment.aligned_share_of_b
    order = alignment.in_order_share
    la, lb = labels
    cand_a = sa is not None and sa >= REUSE_SHARE
    cand_b = sb is not None and sb >= REUSE_SHARE
    ordered = order is not None and order >= 0.6
    direction = None
    reason = ""
    if (cand_a or cand_b) and ordered:
        if cand_a and cand_b:
            if a_date is not None and b_date is not None and a_date != b_date:
                direction = "b_from_a" if a_date < b_date else "a_from_b"
                reason = "the earlier-dated text is taken as the original"
            elif abs(sa - sb) >= 0.02:
                direction = "b_from_a" if sb > sa else "a_from_b"
                reason = "the text with more material of its own is taken as the original"
            elif bool(a_outlet) != bool(b_outlet):
                direction = "b_from_a" if a_outlet else "a_from_b"
                reason = "the credited text is taken as the original"
            else:
                direction = "b_from_a"
                reason = "no date, share or credit tells them apart; A is taken as the original"
        else:
            direction = "b_from_a" if cand_b else "a_from_b"
            reason = "only the copy has most of its sentences in the other"
        # a copy dated before its original is not a copy
        copy_date, orig_date = (b_date, a_date) if direction == "b_from_a" else (a_date, b_date)
        if copy_date is not None and orig_date is not None and copy_date < orig_date:
            direction = None
            reason = "the text that would be the copy is dated before the other"
    n_re = sum(1 for p in alignment.pairs if p.kind == "reworded")
    n_ma = sum(1 for p in alignment.pairs if p.kind == "matched")
    share_txt = (
        f"{_pct(sb)} of {lb}'s {len(alignment.b_spans)} sentences align to {la} and {_pct(sa)} of {la}'s "
        f"{len(alignment.a_spans)} sentences align to {lb} ({n_ma} matched, {n_re} reworded)"
    )
    if direction == "b_from_a":
        explanation = f"{lb} is a rewrite of {la}: {share_txt}; {reason}."
    elif direction == "a_from_b":
        explanation = f"{la} is a rewrite of {lb}: {share_txt}; {reason}."
    else:
        why = reason or f"fewer than {int(REUSE_SHARE * 100)}% of either text's sentences align in order"
        explanation = f"Neither text is a rewrite of the other: {share_txt}; {why}."
    return {
        "derived_from": direction == "b_from_a",
        "direction": direction,
        "aligned_share_of_b": _r(sb),
        "aligned_share_of_a": _r(sa),
        "in_order_share": _r(order),
        "explanation": explanation,
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{round(100 * x)}%"
