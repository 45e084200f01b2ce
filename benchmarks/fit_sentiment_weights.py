"""Fit the target-sentiment weights on NewsMTSC train and write framing/measures/actors_data/sentiment_model.toml.

Usage::

    PYTHONPATH=. python benchmarks/fit_sentiment_weights.py [DATASETS_DIR] [--check]

What is fitted (see framing/measures/sentiment.py, "evidence and weights"):
for every target of NewsMTSC ``train.jsonl`` (8,739 targets; the dev splits
are never read), :func:`framing.measures.sentiment.target_evidence` places
each VADER-lexicon word of the sentence in one group by where it stands
(the target's clause before or after it, past another name, the window, the
rest of the sentence, quoted speech, a speaker's words, outside the quote
holding the target) and lists the rules that fire (agent / patient of a
role-lexicon verb, "than X", speaker, inside a quote). The features are the
sums of positive and of negative valences per group, and the rule values:
``len(FEATURES)`` numbers per target.

A multinomial logistic regression (scikit-learn, L2, ``C``) is fitted on them
and rewritten with "neutral" as the reference class, so every feature has two
weights, toward "negative" and toward "positive". The two biases are then
shifted by the offsets that give the best macro-F1 over 5-fold stratified
cross-validation on train (a grid of 0.1 steps): macro-F1 rewards the
smaller classes more than the likelihood does. Weights are rounded to 4
places; the same data gives the same file.

``--check`` fits and compares with the shipped file instead of writing it
(exit 1 when they differ).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "framing" / "measures" / "actors_data" / "sentiment_model.toml"
LABELS = ("negative", "neutral", "positive")
C = 0.1
VERSION = "1.0.0"


def _eval_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_sentiment", Path(__file__).with_name("eval_sentiment.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def features(rows: list[dict]):
    """Feature matrix (FEATURES order) and labels 0/1/2 for NewsMTSC rows."""
    import numpy as np

    from framing.measures import sentiment as S

    X = np.array(
        [[v for v in S.target_evidence(r["sentence"], r["from"], r["to"]).features().values()] for r in rows], dtype=float
    )
    y = np.array([int(r["polarity"]) + 1 for r in rows])
    return X, y


def _fit(X, y):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, max_iter=5000).fit(X, y)
    W = m.coef_ - m.coef_[1]  # neutral as the reference class
    b = m.intercept_ - m.intercept_[1]
    return W[0], W[2], b[0], b[2]


def fit(dataset_dir: str | Path) -> dict:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    ev = _eval_module()
    rows = ev.load_train(dataset_dir)
    X, y = features(rows)
    cv = np.zeros((len(y), 3))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        wn, wp, bn, bp = _fit(X[a], y[a])
        cv[b] = np.stack([X[b] @ wn + bn, np.zeros(len(b)), X[b] @ wp + bp], 1)

    def f1(z):
        pred = [LABELS[i] for i in z.argmax(1)]
        return ev.macro_f1([LABELS[i] for i in y], pred)

    grid = [round(x, 1) for x in np.arange(-0.4, 0.61, 0.1)]
    best = max((round(f1(cv + np.array([dn, 0.0, dp])), 4), -abs(dn) - abs(dp), dn, dp) for dn in grid for dp in grid)
    cv_f1, _, dn, dp = best
    wn, wp, bn, bp = _fit(X, y)
    return {
        "n": len(y),
        "cv_macro_f1_argmax": round(f1(cv), 4),
        "cv_macro_f1": cv_f1,
        "offsets": (dn, dp),
        "bias": (round(bn + dn, 4), round(bp + dp, 4)),
        "weights": [(f, round(float(a), 4), round(float(c), 4)) for f, a, c in zip(_feature_names(), wn, wp)],
    }


def _feature_names() -> tuple[str, ...]:
    from framing.measures.sentiment import FEATURES

    return FEATURES


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(res: dict) -> str:
    from framing.measures.sentiment import GROUPS, RULES

    notes = {f"{g}_{s}": f"sum of {s} valences {d}" for g, d in GROUPS for s in ("positive", "negative")}
    notes.update({r: d for r, d in RULES})
    lines = [
        "# Weights of framing's target-sentiment model (framing.measures.sentiment).",
        "# Each feature is a sum of VADER valences (-4..4, in context: negation, boosters) of the words in one",
        "# group around the target, or the value of a rule; it adds value * weight to the logit of 'negative'",
        "# and of 'positive' ('neutral' is the reference, logit 0). P = softmax(bias + contributions); the label",
        "# is the most probable class, the score P(positive) - P(negative).",
        "# Provenance: fitted by benchmarks/fit_sentiment_weights.py on NewsMTSC train (Hamborg & Donnay, EACL",
        f"# 2021; {res['n']} targets; the dev splits are not read): multinomial logistic regression, L2, C = {C};",
        f"# biases shifted by {res['offsets'][0]:+.1f} / {res['offsets'][1]:+.1f} for the best 5-fold cross-validated macro-F1",
        f"# ({res['cv_macro_f1_argmax']} -> {res['cv_macro_f1']}). Regenerate with the script; do not edit by hand.",
        "[meta]",
        'name = "sentiment_model"',
        f'version = "{VERSION}"',
        'source = "fitted on NewsMTSC train by benchmarks/fit_sentiment_weights.py"',
        'licence = "MIT"',
        f"train_targets = {res['n']}",
        f"cv_macro_f1 = {res['cv_macro_f1']}",
        "",
        "[bias]",
        f"negative = {res['bias'][0]}",
        f"positive = {res['bias'][1]}",
    ]
    for f, wn, wp in res["weights"]:
        lines += ["", "[[feature]]", f"name = {_q(f)}", f"negative = {wn}", f"positive = {wp}", f"note = {_q(notes[f])}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--check"]
    root = Path(args[0]) if args else ROOT.parent / "shared" / "datasets"
    text = render(fit(root))
    if "--check" in sys.argv:
        same = OUT.read_text(encoding="utf-8") == text
        print("sentiment_model.toml is up to date" if same else "sentiment_model.toml differs from a fresh fit")
        sys.exit(0 if same else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
