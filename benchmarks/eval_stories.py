"""Story grouping against NEUS (AllSides story clusters).

Each NEUS cluster is one story told by a left, a centre and a right outlet
(opening paragraphs only). We group all excerpts with
:func:`framing.compare.stories.similarity` + :func:`cluster` at the library's
fixed threshold and report the adjusted Rand index (scikit-learn) against the
clusters.

NEUS gives one date per cluster (the AllSides roundup date), not per
article, so three settings are reported:

* ``ari_text``: no dates (terms + capitalised names only);
* ``ari_dates_exact``: every excerpt dated with its cluster's date (optimistic:
  the members of a story agree on the day exactly);
* ``ari``: the headline figure: each excerpt's date moved by a seeded random
  -2..+2 days, as if outlets published over a few days.

Usage::

    PYTHONPATH=. python benchmarks/eval_stories.py [DATASETS_DIR]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

JITTER_SEED = 20240209
JITTER_DAYS = 2


def load_neus(dataset_dir: str | Path) -> tuple[list[str], list[str], list[int], list[int]]:
    """(titles, bodies, day numbers, cluster labels) of every NEUS excerpt, in file order."""
    path = Path(dataset_dir) / "neus" / "clusters.jsonl"
    titles, bodies, days, labels = [], [], [], []
    with path.open(encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            row = json.loads(line)
            day = dt.date.fromisoformat(row["date"][:10]).toordinal()
            for side in sorted(row["news"]):
                item = row["news"][side]
                body = item.get("newBody") or ""
                body = " ".join(body) if isinstance(body, list) else body
                titles.append(item.get("newsTitle") or "")
                bodies.append(body)
                days.append(day)
                labels.append(k)
    return titles, bodies, days, labels


SETTINGS = ("ari_text", "ari_dates_exact", "ari")


def evaluate(dataset_dir: str | Path, *, settings: tuple[str, ...] = SETTINGS) -> dict:
    """Adjusted Rand index of the story grouping on NEUS (see the module docstring)."""
    from framing.compare.stories import THRESHOLD, cluster, similarity

    titles, bodies, days, labels = load_neus(dataset_dir)
    rng = np.random.default_rng(JITTER_SEED)
    jittered = [d + int(x) for d, x in zip(days, rng.integers(-JITTER_DAYS, JITTER_DAYS + 1, len(days)))]
    no_actors = [[] for _ in bodies]
    t0 = time.perf_counter()
    out = {"documents": len(bodies), "stories": len(set(labels)), "threshold": THRESHOLD}
    for key, d in (("ari_text", [None] * len(days)), ("ari_dates_exact", days), ("ari", jittered)):
        if key not in settings:
            continue
        pred = cluster(similarity(bodies, titles, d, no_actors))
        out[key] = round(float(adjusted_rand_score(labels, pred)), 4)
        if key == "ari":
            out["predicted_stories"] = len(set(pred))
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    print(json.dumps(evaluate(root), indent=2))
