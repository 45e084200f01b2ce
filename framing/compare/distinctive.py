"""Distinctive terms and cue categories: "Fightin' Words".

Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
2008, "Fightin' Words: Lexical Feature Selection and Evaluation for
Identifying the Content of Political Conflict", Political Analysis 16(4)),
their equations 16-22.

For a feature w with counts y_a, y_b on the two sides (totals n_a, n_b)::

    alpha_w = ALPHA0 * (y_a + y_b) / (n_a + n_b)     # prior: the two sides' combined frequencies
    delta_w = log((y_a + alpha_w) / (n_a + ALPHA0 - y_a - alpha_w))
            - log((y_b + alpha_w) / (n_b + ALPHA0 - y_b - alpha_w))
    var_w   = 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w)
    z_w     = delta_w / sqrt(var_w)

Positive z: more typical of A; negative: of B. The prior is built from the
two sides' own combined counts (no external background corpus ships with the
package), with total prior weight ``ALPHA0`` (default 1,000 pseudo-counts):
rare words are shrunk towards "no difference", so a word seen twice on one
side and never on the other does not outrank a word used 40 times against
10. |z| >= 1.96 is the conventional cut-off; with short texts few features
reach it, which is reported as such rather than ranked.
"""

from __future__ import annotations

import math
import re
from collections import Counter

ALPHA0 = 1000.0
Z_CUTOFF = 1.96
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def word_counts(texts) -> Counter:
    """Lower-cased word counts (letters only; apostrophes folded to ')."""
    c: Counter = Counter()
    for t in texts:
        if t:
            c.update(w.lower().replace("’", "'") for w in _WORD.findall(t))
    return c


def fightin_words(a: Counter, b: Counter, *, alpha0: float = ALPHA0, min_count: int = 2) -> list[dict]:
    """Every feature seen ``min_count`` times in total, with counts, delta and z,
    sorted by z descending (ties by feature)."""
    n_a, n_b = sum(a.values()), sum(b.values())
    n = n_a + n_b
    if n_a == 0 or n_b == 0:
        return []
    rows = []
    for w in sorted(set(a) | set(b)):
        ya, yb = a.get(w, 0), b.get(w, 0)
        if ya + yb < min_count:
            continue
        alpha = alpha0 * (ya + yb) / n
        la = math.log((ya + alpha) / (n_a + alpha0 - ya - alpha))
        lb = math.log((yb + alpha) / (n_b + alpha0 - yb - alpha))
        delta = la - lb
        z = delta / math.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
        rows.append({"feature": w, "count_a": ya, "count_b": yb, "per_1k_a": 1000 * ya / n_a, "per_1k_b": 1000 * yb / n_b, "log_odds": delta, "z": z})
    rows.sort(key=lambda r: (-r["z"], r["feature"]))
    return rows


def top_features(rows: list[dict], k: int = 15, *, cutoff: float = Z_CUTOFF) -> dict:
    """The k most distinctive features of each side with |z| >= cutoff."""
    a = [r for r in rows if r["z"] >= cutoff][:k]
    b = [r for r in reversed(rows) if r["z"] <= -cutoff][:k]
    return {"a": a, "b": b, "z_cutoff": cutoff, "alpha0": ALPHA0, "features_tested": len(rows)}
