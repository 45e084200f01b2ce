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
import zlib
from collections import defaultdict

__all__ = ["find_duplicates", "NEAR_JACCARD", "NEAR_RATIO"]

NEAR_JACCARD = 0.8
NEAR_RATIO = 90.0
SHINGLE = 5
SKETCH = 16
MIN_WORDS = 8


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _hash64(data: bytes) -> int:
    """A stable 64-bit shingle hash (CRC-32 and Adler-32 side by side: fast, same on every run)."""
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


def _shingles(words: list[str]) -> set[int]:
    if len(words) < SHINGLE:
        return {_hash64(" ".join(words).encode())}
    encoded = [w.encode() for w in words]
    return {_hash64(b" ".join(encoded[i : i + SHINGLE])) for i in range(len(encoded) - SHINGLE + 1)}


def find_duplicates(items: list[tuple[str, str]]) -> dict[str, str]:
    """``items``: (doc_id, text) in original-first order -> {copy doc_id: original doc_id}."""
    from rapidfuzz import fuzz

    out: dict[str, str] = {}
    exact: dict[str, str] = {}
    norms: dict[str, str] = {}
    order: dict[str, int] = {}
    shingles: dict[str, set[int]] = {}
    index: dict[int, list[str]] = defaultdict(list)
    for doc_id, text in items:
        norm = _norm(text or "")
        if not norm:
            continue
        if norm in exact:
            out[doc_id] = exact[norm]
            continue
        exact[norm] = doc_id
        words = norm.split()
        sh = _shingles(words)
        match = None
        if len(words) >= MIN_WORDS:
            candidates = sorted({c for h in sorted(sh)[:SKETCH] for c in index.get(h, ())}, key=order.__getitem__)
            for cand in candidates:
                other = shingles[cand]
                jac = len(sh & other) / len(sh | other)
                if jac >= NEAR_JACCARD and fuzz.ratio(norm, norms[cand]) >= NEAR_RATIO:
                    match = cand
                    break
        if match:
            out[doc_id] = out.get(match, match)
            continue
        norms[doc_id] = norm
        order[doc_id] = len(order)
        shingles[doc_id] = sh
        for h in sorted(sh)[:SKETCH]:
            index[h].append(doc_id)
    return out
