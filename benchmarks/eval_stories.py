"""Story grouping against NEUS (AllSides story clusters).

Each NEUS cluster is one story told by a left, a centre and a right outlet
(opening paragraphs only). We group all excerpts with
:func:`framing.compare.stories.similarity` + :func:`cluster` at the library's
fixed threshold and report the adjusted Rand index (scikit-learn) against the
clusters.

NEUS gives one date per cluster (the AllSides roundup date), not per
article, so a cluster date partly leaks the answer. Settings:

* ``ari_text``: THE HEADLINE: no dates (terms + capitalised names only);
* ``ari_url_dates``: honest dates: an excerpt is dated only when its article
  URL holds a date (``/2021/10/18/``; 568 of 1,479 excerpts), else unknown;
* ``ari_dates_exact`` (optimistic, leaks): every excerpt dated with its
  cluster's date;
* ``ari`` (optimistic, leaks): the cluster date moved by a seeded random
  -2..+2 days per excerpt.

NEUS is also the development set: the library's THRESHOLD was chosen on it
(``--sweep`` prints the curve), so the figures are not held-out.

Usage::

    PYTHONPATH=. python benchmarks/eval_stories.py [DATASETS_DIR] [--sweep]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

JITTER_SEED = 20240209
JITTER_DAYS = 2


_URL_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)/")


def url_days(dataset_dir: str | Path) -> list[int | None]:
    """Day number of each NEUS excerpt from its article URL, or None (same order as load_neus)."""
    out = []
    with (Path(dataset_dir) / "neus" / "clusters.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for side in sorted(row["news"]):
                m = _URL_DATE.search(row["news"][side].get("newsLink") or "")
                try:
                    out.append(dt.date(*map(int, m.groups())).toordinal() if m else None)
                except ValueError:
                    out.append(None)
    return out


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


SETTINGS = ("ari_text", "ari_url_dates", "ari_dates_exact", "ari")


def _dates(dataset_dir, days):
    rng = np.random.default_rng(JITTER_SEED)
    jittered = [d + int(x) for d, x in zip(days, rng.integers(-JITTER_DAYS, JITTER_DAYS + 1, len(days)))]
    return {"ari_text": [None] * len(days), "ari_url_dates": url_days(dataset_dir), "ari_dates_exact": days, "ari": jittered}


def sweep(dataset_dir: str | Path, thresholds, *, settings: tuple[str, ...] = ("ari_text", "ari_url_dates", "ari")) -> dict:
    """ARI at each threshold, per setting: {setting: {threshold: ari}}."""
    from framing.compare.stories import cluster, similarity

    titles, bodies, days, labels = load_neus(dataset_dir)
    dates = _dates(dataset_dir, days)
    out = {}
    for key in settings:
        sim = similarity(bodies, titles, dates[key], [[] for _ in bodies])
        out[key] = {round(float(t), 3): round(float(adjusted_rand_score(labels, cluster(sim, t))), 4) for t in thresholds}
    return out


def evaluate(dataset_dir: str | Path, *, settings: tuple[str, ...] = SETTINGS) -> dict:
    """Adjusted Rand index of the story grouping on NEUS (see the module docstring)."""
    from framing.compare.stories import THRESHOLD, cluster, similarity

    titles, bodies, days, labels = load_neus(dataset_dir)
    dates = _dates(dataset_dir, days)
    no_actors = [[] for _ in bodies]
    t0 = time.perf_counter()
    out = {"documents": len(bodies), "stories": len(set(labels)), "threshold": THRESHOLD}
    for key in SETTINGS:
        if key not in settings:
            continue
        pred = cluster(similarity(bodies, titles, dates[key], no_actors))
        out[key] = round(float(adjusted_rand_score(labels, pred)), 4)
        if key == "ari_text":
            out["predicted_stories_text"] = len(set(pred))
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--sweep"]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    if "--sweep" in sys.argv:
        print(json.dumps(sweep(root, np.round(np.arange(0.0, 0.12, 0.01), 2)), indent=1))
    else:
        print(json.dumps(evaluate(root), indent=2))
