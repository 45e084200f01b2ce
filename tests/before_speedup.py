"""Frozen copies of code that the speed work replaced, as oracles for property tests.

Each function here is the implementation as it stood before it was made faster
(framing 0.x, main at 03b077c); the tests in tests/measures and tests/text check
that the fast versions give exactly the same results. Do not "improve" this
file: its value is that it does not change.
"""

from __future__ import annotations

import string
from typing import Sequence

from framing.measures import sentiment as _S

_PUNCT = string.punctuation
_NEWS_PUNCT = _PUNCT + "“”‘’—–…«»"
_WORD = _S._WORD


def _analyzer():
    return _S._analyzer()


def _fast_tables():
    analyzer = _analyzer()
    return frozenset(analyzer.lexicon), frozenset(e for e in analyzer.emojis if len(e) == 1)


def _vader_words(tokens, punct: str = _PUNCT) -> list[str]:
    return [s if len(s := t.strip(punct)) > 2 else t for t in tokens]


# --------------------------------------------------------------------- sentiment.py: VADER transcription


def _vader_one(text: str) -> float | None:
    """VADER's compound for one text, with two exact shortcuts.

    VADER only gives valence to tokens found in its lexicon (boosters, negators
    and "but" only rescale those), so a text whose tokens (split on whitespace,
    outer punctuation stripped as VADER does, lower-cased) miss the lexicon
    scores exactly 0.0 and is not run through VADER. Texts with emoji go
    through VADER unchanged (it rewrites emoji into words first).
    """
    if not _WORD.search(text):
        return None
    lexicon, emoji = _fast_tables()
    if text.isascii() or emoji.isdisjoint(text):
        for tok in text.split():
            stripped = tok.strip(_PUNCT)
            if (stripped if len(stripped) > 2 else tok).lower() in lexicon:
                break
        else:
            return 0.0
        return _compound(text.strip())
    return _analyzer().polarity_scores(text)["compound"]


def _sentiments(words: Sequence[str], low: Sequence[str] | None = None) -> tuple[Sequence[str], list[float]]:
    """VADER 3.3.2's valence of each word (see :func:`_vader_words`) in context, before its "but" rule and normalisation.

    Returns the lower-cased words and one valence per word: 0 outside the
    lexicon; for lexicon words the rated valence after VADER's boosters, caps,
    negation within three words, idioms and "least" rules. Only lexicon words
    are visited.
    """
    from vaderSentiment import vaderSentiment as V

    lexicon = _analyzer().lexicon
    if low is None:
        low = list(map(str.lower, words))
    n = len(words)
    allcaps = sum(map(str.isupper, words))
    is_cap_diff = 0 < n - allcaps < n
    booster, special = V.BOOSTER_DICT, V.SPECIAL_CASES
    neg_set = V.NEGATE

    def negated(w: str) -> bool:
        return w in neg_set or "n't" in w

    # words outside the lexicon score 0 (as VADER appends 0 for them); only lexicon words are visited
    sentiments: list[float] = [0] * n
    for i in [i for i, li in enumerate(low) if li in lexicon]:
        li, item = low[i], words[i]
        if li in booster or (i < n - 1 and li == "kind" and low[i + 1] == "of"):
            continue
        valence = lexicon[li]
        if li == "no" and i != n - 1 and low[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") or (
            i > 2 and low[i - 3] == "no" and low[i - 1] in ["or", "nor"]
        ):
            valence = lexicon[li] * V.N_SCALAR
        if item.isupper() and is_cap_diff:
            valence = valence + V.C_INCR if valence > 0 else valence - V.C_INCR
        for start_i in range(0, 3):
            if i > start_i and low[i - (start_i + 1)] not in lexicon:
                prev, prev_low = words[i - (start_i + 1)], low[i - (start_i + 1)]
                sc = 0.0
                if prev_low in booster:
                    sc = booster[prev_low]
                    if valence < 0:
                        sc *= -1
                    if prev.isupper() and is_cap_diff:
                        sc = sc + V.C_INCR if valence > 0 else sc - V.C_INCR
                if start_i == 1 and sc != 0:
                    sc = sc * 0.95
                if start_i == 2 and sc != 0:
                    sc = sc * 0.9
                valence = valence + sc
                # _negation_check
                if start_i == 0:
                    if negated(low[i - 1]):
                        valence = valence * V.N_SCALAR
                elif start_i == 1:
                    if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                        valence = valence * 1.25
                    elif low[i - 2] == "without" and low[i - 1] == "doubt":
                        pass
                    elif negated(low[i - 2]):
                        valence = valence * V.N_SCALAR
                else:
                    if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or (
                        low[i - 1] == "so" or low[i - 1] == "this"
                    ):
                        valence = valence * 1.25
                    elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                        pass
                    elif negated(low[i - 3]):
                        valence = valence * V.N_SCALAR
                    # _special_idioms_check
                    onezero = f"{low[i - 1]} {low[i]}"
                    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
                    twoone = f"{low[i - 2]} {low[i - 1]}"
                    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
                    threetwo = f"{low[i - 3]} {low[i - 2]}"
                    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                        if seq in special:
                            valence = special[seq]
                            break
                    if n - 1 > i:
                        zeroone = f"{low[i]} {low[i + 1]}"
                        if zeroone in special:
                            valence = special[zeroone]
                    if n - 1 > i + 1:
                        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
                        if zeroonetwo in special:
                            valence = special[zeroonetwo]
                    for n_gram in (threetwoone, threetwo, twoone):
                        if n_gram in booster:
                            valence = valence + booster[n_gram]
        # _least_check
        if i > 1 and low[i - 1] not in lexicon and low[i - 1] == "least":
            if low[i - 2] != "at" and low[i - 2] != "very":
                valence = valence * V.N_SCALAR
        elif i > 0 and low[i - 1] not in lexicon and low[i - 1] == "least":
            valence = valence * V.N_SCALAR
        sentiments[i] = valence
    return low, sentiments


def _compound(text: str) -> float:
    """VADER 3.3.2's ``polarity_scores(text)["compound"]`` for an emoji-free text, computed once per word.

    A line-for-line transcription of vaderSentiment's rules (boosters, "kind of",
    caps, negation within three words, "never so", "without doubt", idioms,
    "least", the first "but", "!" and "?" emphasis) that lower-cases every token
    once instead of once per rule. Equality with VADER is tested on thousands of
    texts (tests/measures/test_sentiment.py). The per-word part is
    :func:`_sentiments`, shared with :func:`word_valences`.
    """
    from vaderSentiment import vaderSentiment as V

    low, sentiments = _sentiments(_vader_words(text.split()))
    if "but" in low:  # VADER's _but_check, including its index-of-first-equal-value behaviour
        bi = low.index("but")
        for sentiment in sentiments:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 0.5)
            elif si > bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 1.5)
    if not sentiments:
        return 0.0
    sum_s = float(sum(sentiments))
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = 0 if qm_count <= 1 else (qm_count * 0.18 if qm_count <= 3 else 0.96)
    if sum_s > 0:
        sum_s += ep + qm
    elif sum_s < 0:
        sum_s -= ep + qm
    return round(V.normalize(sum_s), 4)


def word_valences(text: str) -> tuple[tuple[int, int, float], ...]:
    """(start, end, valence) of every VADER-lexicon word of ``text``, in order, valence in context.

    The same per-word rules as :func:`vader_compound` (:func:`_sentiments`:
    boosters, caps, negation, idioms), without VADER's sentence-level "but"
    weighting, "!"/"?" emphasis and normalisation, so each word keeps its own
    valence on VADER's -4..4 scale (muted words are listed with 0.0). Tokens
    are VADER's (split at whitespace), also split at dashes; emoji are not
    translated into words here. The span is the whole token (punctuation
    included).
    """
    lexicon, _ = _fast_tables()
    spaced = text.replace("—", " ").replace("–", " ")  # same length: offsets hold
    toks = spaced.split()
    words = _vader_words(toks, _NEWS_PUNCT)
    low = list(map(str.lower, words))
    if lexicon.isdisjoint(low):
        return ()
    _, sentiments = _sentiments(words, low)
    hits = [i for i, w in enumerate(low) if w in lexicon]
    out, pos, last = [], 0, hits[-1]
    wanted = set(hits)
    for i, tok in enumerate(toks):
        pos = spaced.find(tok, pos)
        if i in wanted:
            out.append((pos, pos + len(tok), float(sentiments[i])))
        if i == last:
            break
        pos += len(tok)
    return tuple(out)
