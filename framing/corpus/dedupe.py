"""Exact and near-exact duplicates (the same article ingested twice, e.g. as
HTML and as text, or with a different footer).

- exact: identical text after normalising case, punctuation and spaces;
- near-exact: word 5-gram shingle Jaccard >= ``NEAR_JACCARD`` and a
  rapidfuzz character ratio >= ``NEAR_RATIO`` (both, so a paraphrased
  rewrite such as seed 001 of seed 003 is *not* a duplicate: that is the
  later rewrite stage's job, ``derived_from``).

Candidates come from a bottom-k sketch of the shingle hashes (documents that
share a sketch value), so the check is not all-pairs on large corpora. The
first document in (source_path, segment) order is the original; later copies
point at it (``duplicate_of``); chains resolve to the first.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:  # NumPy is imported where it is used: a streaming run's driver reads batches without it
    import numpy as np

__all__ = ["find_duplicates", "NEAR_JACCARD", "NEAR_RATIO"]

NEAR_JACCARD = 0.8
NEAR_RATIO = 90.0
SHINGLE = 5
SKETCH = 16
MIN_WORDS = 8


_WORDS = re.compile(r"\w+")
# [A-Za-z0-9_] (the ASCII word characters of ``\w``) kept, capitals lowered (ASCII case folding),
# every other byte turned into a space
_ASCII_WORD_BYTES = bytes(ord(chr(b).lower()) if b < 128 and (chr(b).isalnum() or b == 0x5F) else 0x20 for b in range(256))
# typographic punctuation frequent in news text; none is a word character, so turning them
# into spaces changes no word and lets most paragraphs take the ASCII path of words_key
_COMMON_PUNCTUATION = ("\u2019", "\u201c", "\u201d", "\u2014", "\u2013", "\u2018", "\u2026")


def marks_to_spaces(text: str) -> str:
    """``text`` with each of the common typographic marks (_COMMON_PUNCTUATION) turned into a space."""
    for mark in _COMMON_PUNCTUATION:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def words_key(text: str) -> str:
    """The case-folded words (runs of ``\\w``) of ``text`` joined by single spaces:
    ``" ".join(re.findall(r"\\w+", text.casefold()))``, ~2x faster.

    An ASCII text (most paragraphs, once case-folded and the common punctuation turned into
    spaces) has ``[A-Za-z0-9_]`` as its word characters and folds its capitals to small
    letters: one ``bytes.translate`` does both and turns the other bytes into spaces, and
    ``bytes.split`` returns the words. Any other text is read by the regex. The tests
    compare both on corpus and random texts.

    The marks are replaced before case folding, so a text that is ASCII once they are
    spaces is never case-folded (``casefold`` is slow: it maps each character through the
    Unicode tables): each mark folds to itself and no other character folds to a string
    holding a mark (checked over all of Unicode by the tests), so replacing and folding
    commute. A text that only case folding makes ASCII (a "ﬁ" ligature, the Kelvin sign)
    takes the regex, which finds the same words in its ASCII folding.
    """
    if not text.isascii():
        text = marks_to_spaces(text)
        if not text.isascii():
            return " ".join(_WORDS.findall(text.casefold()))
    return b" ".join(text.encode("ascii").translate(_ASCII_WORD_BYTES).split()).decode("ascii")


_MEMO: OrderedDict[str, str] = OrderedDict()  # oldest first (popitem(last=False) is O(1); a dict's first key is not)
# texts remembered: a batch's texts are normalised twice (within the batch, then for its signature), so
# at least a batch (200 by default); more only kept whole texts alive (1,024 held ~21 MB per worker,
# which grew with the corpus up to that: AllSides 6x, 2 jobs, peak ~800 MB -> ~772 MB with 256)
_MEMO_SIZE = 256


def _norm(text: str) -> str:
    """Case-folded words joined by single spaces (:func:`words_key`; the same as substituting
    one space for each non-word run and stripping).

    Memoised for the last texts seen: a streaming batch normalises each text
    twice (duplicates within the batch, then its hash for duplicates across
    batches, framing.engine._signature); the loader hands over the normal
    forms cleaning already made (:func:`find_duplicates` ``normal_forms``)."""
    norm = _MEMO.get(text)
    if norm is None:
        norm = words_key(text)
        _remember(text, norm)
    return norm


def _remember(text: str, norm: str) -> None:
    if len(_MEMO) >= _MEMO_SIZE:
        try:
            _MEMO.popitem(last=False)  # the oldest entry
        except KeyError:  # emptied meanwhile by another thread
            pass
    _MEMO[text] = norm


# odd 64-bit multipliers: a shingle's hash is sum(word hash × multiplier k) modulo 2**64
_MIX_VALUES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD)
_WORD_SEED = 20101  # fixed: Polars' word hash is the same on every run


@lru_cache(maxsize=1)
def _mix() -> np.ndarray:
    """_MIX_VALUES as a uint64 array."""
    import numpy as np

    return np.array(_MIX_VALUES, dtype=np.uint64)


def _shingle_sets(norms: list[str]) -> list[np.ndarray]:
    """For each normalised text, the sorted distinct 64-bit hashes of its word 5-grams
    (one hash of all its words when it has fewer than 5).

    All texts at once: words hashed by Polars (Rust), 5-grams combined with
    NumPy (sums of word hash × multiplier, wrapping modulo 2**64).
    The hash values only decide which documents are compared (the sketch)
    and the Jaccard overlap of their sets; the same input gives the same
    sets on every run.
    """
    if not norms:
        return []
    import numpy as np

    mix_k = _mix()
    words = pl.Series("w", norms, pl.String).str.split(" ")
    lengths = words.list.len().to_numpy().astype(np.int64)
    hashes = words.explode().hash(seed=_WORD_SEED).to_numpy().astype(np.uint64, copy=False)
    offsets = np.zeros(len(norms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # the 5-gram hash at every word position, in one pass of shifted slices: a text's 5-grams
    # are the positions of its words but the last four (the others run past its end; at the
    # end of the array they add nothing, as if the words were followed by zeros)
    size = hashes.size
    every = hashes * mix_k[0]
    term = np.empty_like(every)
    for k in range(1, min(SHINGLE, size)):
        every[: size - k] += np.multiply(hashes[k:], mix_k[k], out=term[: size - k])
    out = []
    for lo, hi in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
        if hi - lo < SHINGLE:  # one window of all its words
            mix = np.sum(hashes[lo:hi] * mix_k[: hi - lo], dtype=np.uint64)
            out.append(np.array([mix], dtype=np.uint64))
        else:
            out.append(_sorted_distinct(every[lo : hi - SHINGLE + 1]))
    return out


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a non-empty 1-D array: sorted, then each run of equal values kept once
    (np.unique hashes first and then sorts: ~4x slower on a text's few hundred shingles)."""
    import numpy as np

    ordered = np.sort(values)
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _ratio(a: str, b: str) -> float:
    """rapidfuzz's ``fuzz.ratio`` (0-100)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def _has_words(norm: str, n: int) -> bool:
    """``norm.count(" ") + 1 >= n`` for a normal form (words joined by single spaces): a split
    that stops after ``n - 1`` spaces instead of counting every space of a long text (~8x faster)."""
    return len(norm.split(" ", n - 1)) >= n


def find_duplicates(items: list[tuple[str, str]], normal_forms: list[str | None] | None = None) -> dict[str, str]:
    """``items``: (doc_id, text) in original-first order -> {copy doc_id: original doc_id}.

    ``normal_forms``: optionally, each text's normal form (``_norm(text)``) when already known
    (cleaning makes it from its paragraph keys); None entries are computed here.
    rapidfuzz is imported only when a pair passes the Jaccard test (~15 ms; most batches
    have none).
    """
    import numpy as np

    out: dict[str, str] = {}
    exact: dict[str, str] = {}
    norms: dict[str, str] = {}
    order: dict[str, int] = {}
    shingles: dict[str, np.ndarray] = {}
    index: dict[int, list[str]] = defaultdict(list)
    firsts: list[tuple[str, str]] = []
    for k, (doc_id, text) in enumerate(items):
        given = normal_forms[k] if normal_forms is not None else None
        if given is None:
            norm = _norm(text or "")
        else:
            norm = given
            _remember(text or "", norm)  # framing.engine._signature asks for it again
        if not norm:
            continue
        if norm in exact:
            out[doc_id] = exact[norm]
            continue
        exact[norm] = doc_id
        firsts.append((doc_id, norm))
    sets = _shingle_sets([norm for _, norm in firsts])
    for (doc_id, norm), sh in zip(firsts, sets):
        sketch = sh[:SKETCH].tolist()
        match = None
        if _has_words(norm, MIN_WORDS):
            candidates = sorted({c for h in sketch for c in index.get(h, ())}, key=order.__getitem__)
            for cand in candidates:
                other = shingles[cand]
                shared = np.intersect1d(sh, other, assume_unique=True).size
                jac = shared / (sh.size + other.size - shared)
                if jac >= NEAR_JACCARD and _ratio(norm, norms[cand]) >= NEAR_RATIO:
                    match = cand
                    break
        if match:
            out[doc_id] = out.get(match, match)
            continue
        norms[doc_id] = norm
        order[doc_id] = len(order)
        shingles[doc_id] = sh
        for h in sketch:
            index[h].append(doc_id)
    return out
