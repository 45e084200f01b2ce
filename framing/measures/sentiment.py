"""Target-dependent sentiment: how the words around a span treat it.

Method (explainable, no model download):

1. The **sentence** holding the span is found with a light splitter (or given
   by the caller, e.g. from the ``sentences`` frame).
2. **Quoted speech** inside that sentence is located (curly or straight double
   quotes, curly single quotes). When the target sits outside the quotes the
   quoted words are dropped: what someone is quoted saying is their voice, not
   the reporter's. When the target sits inside a quote, the window stays inside
   that quote (the quote is speaking about the target). Short quoted phrases
   inside the reporter's sentence ("scare quotes": called him "the most
   endangered incumbent"; at most ``SHORT_QUOTE_WORDS`` words, not opening the
   sentence, not ending in , . ! ?) are the reporter's choice of words and stay.
3. The sentence is cut into **clauses** at punctuation (, ; : ( ) dashes) and at
   contrast/subordinating conjunctions (but, while, although, though, whereas,
   because, however, yet). The window is the clause holding the target, widened
   to neighbouring clauses until it holds at least ``MIN_WINDOW_WORDS`` words.
   The target's own words are left out, so a name never scores itself.
4. **VADER** (vaderSentiment 3.3.2, its lexicon ships in the package) scores the
   window and the whole sentence (quotes handled as above); the result is
   ``CLAUSE_WEIGHT * window + (1 - CLAUSE_WEIGHT) * sentence``, in [-1, 1].
   VADER's own rules apply: negation looks back three words, only the first
   "but" in a text shifts the weight, capitals and "!" intensify.
   :func:`vader_compound` is the batch adapter: each distinct text is scored
   once (and cached across batches); texts without a lexicon word are 0.0
   without running VADER, and the rest go through an exact per-word
   transcription of VADER's rules (``_compound``) about 2-3x faster.
5. A small **news lexicon** (``actors_data/news_valence.toml``: words such as
   "accused", "indicted", "praised", "scandal" that VADER lacks, each with a
   rating on VADER's -4..4 scale and a note) is added to VADER's lexicon. Its
   **topic words** ("war", "death", "died", "battle", "fight", "crisis",
   "victims" and their forms) are muted (valence 0, listed among the drivers
   with 0.0): they name an event, not a judgement of the person near it
   (muting measured NewsMTSC train 0.587 -> 0.591, rw dev 0.637 -> 0.642, mt
   dev 0.568 -> 0.576).
6. **Roles** (who-did-what-to-whom, no parser; :func:`role_cue`): when the
   target is the *agent* of a verb in the role lexicon ("X criticized ...",
   "... was praised by X") or its *patient* ("... accused X", "X was
   arrested", "against X"), the verb's effect on that role (``[[role]]`` entries
   in ``news_valence.toml``: "accused" is -0.6 for the one accused and -0.3 for
   the accuser; "praised" +0.6 / +0.3; "told"/"asked"/"met" 0 for the person
   spoken to; "killed" 0 for the victim, -0.6 for the killer) is added to
   ``ROLE_KEEP`` times the VADER score (0 measured best on NewsMTSC train: when
   a role rule fires, it decides). Coordinated names share the verb ("Both
   Cruz and Kasich criticized ..."; "... praised Cruz and Kasich"). Only the
   nearest verb counts: the patient's verb must directly precede the target
   (titles, determiners and other names may come between), the agent's must
   follow it (auxiliaries, adverbs, an appositive between commas may come between).
7. The label is "neutral" when ``|score| < NEUTRAL_BAND``, else the sign.

:func:`explain_sentiment` returns every step of a single judgement: the
sentence, the excluded quotes, the window, the exact text VADER saw and the
lexicon words that drove the score.

Known limits (VADER's and ours): sarcasm, sentiment carried by facts rather
than words ("was indicted" only counts because the news lexicon lists it),
verbs outside the role lexicon (in "X hurt Y" both get the same window), and
long sentences with several targets in one clause. The ``actors`` stage uses
:func:`window_texts` and :func:`combine` (VADER part only); the role rule is
applied by :func:`target_sentiment` / :func:`explain_sentiment` and is
available to other stages as :func:`role_cue` + :func:`apply_role`.
"""

from __future__ import annotations

import re
import string
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from framing.errors import LexiconError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: |score| below this is labelled "neutral" (tuned on NewsMTSC train; see benchmarks/eval_sentiment.py).
NEUTRAL_BAND = 0.05
#: weight of the clause window against the whole sentence (quotes handled alike).
CLAUSE_WEIGHT = 0.6
#: the window is widened to neighbouring clauses until it holds this many words (target excluded).
MIN_WINDOW_WORDS = 8

#: capitalised words inside a sentence (names, titles) are left out of the window (see _name_words).
MUTE_NAMES = True
#: ablation switch: True stops the window at the nearest other name on each side of the target
#: (see _name_cut). Measured worse on NewsMTSC (train 0.587 -> 0.589 but rw 0.637 -> 0.616,
#: mt 0.568 -> 0.565; left side only: rw 0.632, mt 0.571); off.
NAME_CUT = False
#: ablation switch: True keeps quoted speech in every window (measured worse on NewsMTSC; off).
KEEP_QUOTES = False
#: a speaking target keeps the words before it in its clause ("the disgraced ... Comey said").
SPEAKER_PREFIX = True
#: quoted stretches of at most this many words ("scare quotes": called him "unethical") stay in the window.
SHORT_QUOTE_WORDS = 10
#: when a role rule fires, the score is effect + ROLE_KEEP * VADER score (tuned on NewsMTSC train).
ROLE_KEEP = 0.0

LABELS = ("negative", "neutral", "positive")

_ABBREV = frozenset(
    "mr mrs ms dr st gen lt col maj capt sgt sen rep gov pres prof jr sr inc corp co ltd no vs u.s u.k u.n "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e etc approx dept est fig adm cmdr gens".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+|\n+")
_PUNCT = string.punctuation
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_CAPWORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CLAUSE = re.compile(
    r"\s*[,;:()\[\]—–]\s*|\s+-{1,2}\s+|\s+(?:but|while|although|though|whereas|because|however|yet|as)\s+",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|(?:(?<=^)|(?<=[\s(\[—–-]))‘[^’]*(?:’(?=\W|$)|$)")


@dataclass(frozen=True)
class Explanation:
    """One judgement, step by step (offsets into the text given)."""

    score: float
    label: str
    sentence: tuple[int, int]
    window: tuple[int, int]
    excluded: tuple[tuple[int, int], ...]
    window_text: str
    sentence_text: str
    window_score: float
    sentence_score: float
    drivers: tuple[tuple[str, float], ...]
    neutral_band: float
    #: the VADER score before the role rule (equal to ``score`` when no role rule fired).
    vader_score: float = 0.0
    #: the role rule that fired, if any.
    role: "RoleCue | None" = None


@dataclass(frozen=True)
class RoleCue:
    """The target's role toward a verb of the role lexicon ("X accused Y": X agent, Y patient)."""

    role: str  # "agent" or "patient"
    verb: str  # the word as written
    span: tuple[int, int]  # where the verb is in the text
    lemma: str
    family: str
    effect: float  # added to ROLE_KEEP * the VADER score
    note: str


# --------------------------------------------------------------------- VADER adapter


def _news_lexicon() -> dict[str, float]:
    ref = resources.files("framing.measures") / "actors_data" / "news_valence.toml"
    return parse_valence(ref.read_bytes(), origin="builtin:news_valence")


def parse_valence(data: bytes, origin: str) -> dict[str, float]:
    """Validate a valence file (``[[entry]] term, valence in [-4, 4], note``) into word -> valence."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{origin}: not a valid UTF-8 TOML valence file ({exc})") from None
    out: dict[str, float] = {}
    for i, raw in enumerate(doc.get("entry", []), 1):
        term = str(raw.get("term", "")).strip().lower()
        val = raw.get("valence")
        if not term or not isinstance(val, (int, float)) or not -4 <= val <= 4 or not str(raw.get("note", "")).strip():
            raise LexiconError(f"{origin}: entry {i} needs a term, a valence in [-4, 4] and a note")
        if term in out:
            raise LexiconError(f"{origin}: duplicate term {term!r}")
        out[term] = float(val)
    if not out:
        raise LexiconError(f"{origin}: no [[entry]] items")
    return out


@lru_cache(maxsize=1)
def _analyzer():
    """The one VADER analyzer, with the news lexicon added (same result every call)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(_news_lexicon())
    return analyzer


#: texts scored by VADER, kept across batches (pure: same text, same score); cleared when full.
_SCORE_CACHE: dict[str, float | None] = {}
_SCORE_CACHE_MAX = 200_000


@lru_cache(maxsize=1)
def _fast_tables() -> tuple[frozenset[str], frozenset[str]]:
    """VADER's lexicon keys and the single characters its emoji table rewrites."""
    analyzer = _analyzer()
    return frozenset(analyzer.lexicon), frozenset(e for e in analyzer.emojis if len(e) == 1)


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


def _compound(text: str) -> float:
    """VADER 3.3.2's ``polarity_scores(text)["compound"]`` for an emoji-free text, computed once per word.

    A line-for-line transcription of vaderSentiment's rules (boosters, "kind of",
    caps, negation within three words, "never so", "without doubt", idioms,
    "least", the first "but", "!" and "?" emphasis) that lower-cases every token
    once instead of once per rule. Equality with VADER is tested on thousands of
    texts (tests/measures/test_sentiment.py).
    """
    from vaderSentiment import vaderSentiment as V

    lexicon = _analyzer().lexicon
    words = [s if len(s := t.strip(_PUNCT)) > 2 else t for t in text.split()]  # outer punctuation stripped once
    low = [w.lower() for w in words]
    n = len(words)
    allcaps = sum(1 for w in words if w.isupper())
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


def vader_compound(texts: Iterable[str]) -> list[float | None]:
    """VADER compound for each text; each distinct text is scored once; None for texts without words."""
    texts = list(texts)
    cache = _SCORE_CACHE
    out: list[float | None] = []
    for t in texts:
        try:
            out.append(cache[t])
        except KeyError:
            if len(cache) >= _SCORE_CACHE_MAX:
                cache.clear()
            cache[t] = score = _vader_one(t)
            out.append(score)
    return out


def lexicon_hits(text: str) -> tuple[tuple[str, float], ...]:
    """The words of ``text`` that carry a valence in the (extended) VADER lexicon, in order."""
    lex = _analyzer().lexicon
    hits = []
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w in lex:
            hits.append((m.group(0), float(lex[w])))
    return tuple(hits)


# --------------------------------------------------------------------- windows


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence holding [start, end) (light splitter: . ! ? or newline, skipping abbreviations)."""
    lo = 0
    for m in _BOUNDARY.finditer(text, max(0, start - 3000), start):
        if m.end() <= start and not _after_abbrev(text, m.start()):
            lo = m.end()
    hi = len(text)
    for m in _BOUNDARY.finditer(text, end):
        if not _after_abbrev(text, m.start()):
            hi = m.start() + len(m.group(0).rstrip())
            break
    return lo, max(hi, end)


def _after_abbrev(text: str, pos: int) -> bool:
    if pos >= len(text) or text[pos] != ".":
        return False
    m = re.search(r"([A-Za-z.]+)$", text[max(0, pos - 12) : pos])
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    return word in _ABBREV or len(word) == 1


def quote_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Quoted stretches (marks included) inside text[lo:hi]; an unclosed quote runs to hi."""
    return [(lo + m.start(), lo + m.end()) for m in _QUOTE.finditer(text[lo:hi])]


def _scare_quote(text: str, a: int, b: int, lo: int) -> bool:
    """A short quoted phrase inside the reporter's sentence (called him "unethical"), not a quotation.

    At most SHORT_QUOTE_WORDS words, not at the start of the sentence, and not
    ending in , . ! ? inside the marks (a quoted sentence: "..., he said") --
    except a final period when the quote closes the sentence and is not
    introduced by a comma or colon: American punctuation puts the sentence's
    own period inside the marks (called him "the most endangered incumbent.").
    """
    if _words(text, a, b) > SHORT_QUOTE_WORDS or not text[lo:a].strip():
        return False
    inner = text[a:b].rstrip("”\"’'")
    if inner.endswith(".") and not text[lo:a].rstrip().endswith((",", ":")):
        return _SENTENCE_END.match(text, b) is not None
    return not inner.endswith((",", ".", "!", "?"))


#: what may follow a quote that closes its sentence: the text's end, a line break or the next sentence.
_SENTENCE_END = re.compile(r"\s*(?:$|\n|[A-Z“\"])")


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for a, b in spans:
        if a <= start and end <= b:
            return a, b
    return None


@lru_cache(maxsize=1024)
def _clause_cuts(text: str, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """Clause boundaries in text[lo:hi] (memoised: mentions of one sentence share them)."""
    return ((lo, lo), *((m.start(), m.end()) for m in _CLAUSE.finditer(text, lo, hi)), (hi, hi))


def _words(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text, a, b)) if b > a else 0


def target_window(
    text: str,
    start: int,
    end: int,
    *,
    sentence: tuple[int, int] | None = None,
    quotes: Sequence[tuple[int, int]] | None = None,
    min_words: int | None = None,
    speaker: bool | None = None,
) -> tuple[tuple[int, int], tuple[int, int], tuple[tuple[int, int], ...]]:
    """The region to score for the target [start, end).

    ``speaker`` says whether the target is the one speaking (None: decided by
    :func:`is_speaker`); a speaker's reported words are not the reporter's voice.

    Returns ``(region, window, excluded)``: ``region`` is the sentence (or the
    quote holding the target), ``window`` the clause-sized window inside it,
    ``excluded`` the spans left out of both (quoted speech not holding the
    target, and the target itself).
    """
    min_words = MIN_WINDOW_WORDS if min_words is None else min_words
    lo, hi = sentence if sentence is not None else sentence_bounds(text, start, end)
    lo, hi = min(lo, start), max(hi, end)
    spans = quotes if quotes is not None else (quote_spans(text, lo, hi) if not KEEP_QUOTES else [])
    spans = [(max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo]
    if SHORT_QUOTE_WORDS:
        spans = [(a, b) for a, b in spans if not _scare_quote(text, a, b, lo)]
    holder = _inside(spans, start, end)
    if holder is not None:
        lo, hi = holder
        excluded = [s for s in spans if s != holder and lo <= s[0] and s[1] <= hi]
    else:
        excluded = [s for s in spans if not (s[0] < end and start < s[1])]
    if speaker is None:
        speaker = is_speaker(text, start, end, lo, hi)
    if speaker:
        # the target speaks: what follows is its voice, not the reporter's; keep only the
        # words before the target in its clause ("the disgraced former director ... said").
        cuts = _clause_cuts(text, lo, start)
        a = cuts[-2][1] if len(cuts) >= 2 else lo
        excluded.append((start, end))
        if not SPEAKER_PREFIX:
            return (start, end), (start, end), ((start, end),)
        return (a, end), (a, end), tuple(sorted(set(excluded)))
    cuts = _clause_cuts(text, lo, hi)
    # clause k spans cuts[k].end .. cuts[k+1].start
    clauses = [(cuts[k][1], cuts[k + 1][0]) for k in range(len(cuts) - 1)]
    k = next((i for i, (a, b) in enumerate(clauses) if a <= start < max(b, a + 1) or start < b), len(clauses) - 1)
    k2 = k
    while k2 + 1 < len(clauses) and clauses[k2][1] < end:
        k2 += 1
    a, b = clauses[k][0], clauses[k2][1]
    a, b = min(a, start), max(b, end)

    def count(x: int, y: int) -> int:
        n = _words(text, x, y) - _words(text, start, end)
        return n - sum(_words(text, max(p, x), min(q, y)) for p, q in excluded if p < y and q > x)

    left, right = k, k2
    while count(a, b) < min_words and (left > 0 or right < len(clauses) - 1):
        if right < len(clauses) - 1:
            right += 1
            b = clauses[right][1]
        if count(a, b) < min_words and left > 0:
            left -= 1
            a = clauses[left][0]
    names = _name_words(text, *(sentence if sentence is not None else (lo, hi)), lo, hi)
    if NAME_CUT:
        a, b = _name_cut(text, names, a, b, start, end)
    excluded.append((start, end))
    if MUTE_NAMES:
        excluded += names
    return (lo, hi), (a, b), tuple(sorted(set(excluded)))


def _name_runs(text: str, names: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive capitalised words (joined by spaces, periods or apostrophes) as one name run."""
    runs: list[tuple[int, int]] = []
    for p, q in names:
        if runs and not text[runs[-1][1] : p].strip(" .’'s"):
            runs[-1] = (runs[-1][0], q)
        else:
            runs.append((p, q))
    return runs


def _name_cut(
    text: str, names: Sequence[tuple[int, int]], a: int, b: int, start: int, end: int
) -> tuple[int, int]:
    """The window [a, b) cut at the nearest other name on each side of the target.

    A name run (capitalised words: another person, party or place) that is not
    the target and not touching it (titles such as "President" before a name
    touch it) ends the target's window: words past another name are more likely
    about that name ("Rove, who served under Bush, saw ... battle").
    """
    for p, q in _name_runs(text, names):
        if q <= start and not text[q:start].strip(" .’'s,"):
            continue  # the target's own title or first name
        if p >= end and not text[end:p].strip(" .’'s"):
            continue
        if q <= start and q > a:
            a = q
        elif p >= end and p < b:
            b = p
    return a, b


_SPEECH_VERB = (
    r"(?:said|says|say|told|tells|argued|argues|added|adds|stated|states|wrote|writes|noted|notes|explained|"
    r"explains|claimed|claims|insisted|insists|asked|asks|announced|announces|declared|declares|warned|warns|"
    r"replied|answered|responded|recalled|acknowledged|maintained|contended|suggested|tweeted|posted)"
)
_SPEAKER_AFTER = re.compile(rf"\s*(?:,[^,]{{1,60}},\s*)?(?:\w+\s+){{0,1}}{_SPEECH_VERB}\b", re.IGNORECASE)
_SPEAKER_BEFORE = re.compile(r"\b(?:(?P<verb>said|says|wrote|added)|according\s+to)\s+(?:[A-Z][\w.]*\s+){0,2}$")
#: after "said X" the attribution ends (punctuation, the sentence end, "in a statement", "on Monday", "who ...");
#: otherwise X starts the reported clause ("Sanders says Wasserman Schultz limited ...") and is its subject, not the speaker.
_INVERTED_END = re.compile(
    r"\s*(?:$|[,.;:!?)\]”\"—–]|-\s|(?:in|on|at|during|after|before|when|while|who|from|to|of|last|this|yesterday|today)\b)"
)


def is_speaker(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> bool:
    """True when the target is the subject of a speech verb: "X said", "X, a senator, told", "said X", "according to X".

    "said X" counts only when the attribution ends after X ("..., said X.", "said X, a senator,", "said X in a
    statement"); in "Sanders says X limited the debates" X is the subject of what is said, not the speaker.
    """
    hi = len(text) if hi is None else hi
    if _SPEAKER_AFTER.match(text, end, min(hi, end + 90)):
        return True
    m = _SPEAKER_BEFORE.search(text, max(lo, start - 40), start)
    return bool(m) and (m.group("verb") is None or bool(_INVERTED_END.match(text, end, hi)))


@lru_cache(maxsize=1024)
def _name_words(text: str, s_lo: int, s_hi: int, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """Capitalised words inside the sentence (names and titles: 'Supreme Court', 'Club for Growth').

    Not muted: the sentence's first word, a word right after an opening quote,
    colon, dash or bracket, and every word of a headline-case sentence (more
    than half of its words capitalised), where capitals say nothing.
    """
    words = list(_CAPWORD.finditer(text, lo, hi))
    caps = [m for m in words if m.group(0)[0].isupper()]
    if not caps or len(caps) * 2 > len(words):
        return ()
    out = []
    for m in caps:
        before = text[max(s_lo, m.start() - 3) : m.start()].rstrip()
        if m.start() <= s_lo or not before or before[-1] in "“\"‘'(:—–-[.!?":  # before is rstripped: [.!?]$ == last char
            continue
        if m.group(0).isupper() and len(m.group(0)) > 1:
            continue  # ALL CAPS words are emphasis for VADER, or acronyms it does not know
        out.append((m.start(), m.end()))
    return tuple(out)


def _cut(text: str, a: int, b: int, excluded: Sequence[tuple[int, int]]) -> str:
    """text[a:b] without the excluded spans (each replaced by one space)."""
    parts, pos = [], a
    for p, q in sorted(excluded):
        if q <= pos or p >= b:
            continue
        parts.append(text[pos : max(p, pos)])
        parts.append(" ")
        pos = max(pos, q)
    parts.append(text[pos:b])
    return " ".join("".join(parts).split())  # == re.sub(r"\s+", " ", ...).strip(): same whitespace set


def window_texts(
    text: str,
    start: int,
    end: int,
    *,
    sentence: tuple[int, int] | None = None,
    quotes: Sequence[tuple[int, int]] | None = None,
    speaker: bool | None = None,
) -> tuple[str, str]:
    """(window text, region text) that VADER scores for the target, quotes and target removed."""
    region, window, excluded = target_window(text, start, end, sentence=sentence, quotes=quotes, speaker=speaker)
    return _cut(text, *window, excluded), _cut(text, *region, excluded)


def combine(window_score: float | None, region_score: float | None) -> float | None:
    """CLAUSE_WEIGHT * window + (1 - CLAUSE_WEIGHT) * region; None when neither has words."""
    if window_score is None and region_score is None:
        return None
    w = 0.0 if window_score is None else window_score
    r = w if region_score is None else region_score
    return round(CLAUSE_WEIGHT * w + (1 - CLAUSE_WEIGHT) * r, 4)


def label_of(score: float | None, neutral_band: float | None = None) -> str:
    """'negative' / 'neutral' / 'positive' with the project's neutral band (None scores are neutral)."""
    band = NEUTRAL_BAND if neutral_band is None else neutral_band
    if score is None or abs(score) < band:
        return "neutral"
    return "positive" if score > 0 else "negative"


# --------------------------------------------------------------------- roles


def parse_roles(data: bytes, origin: str) -> dict[str, tuple[str, str, str, float | None, float | None, str]]:
    """Validate the ``[[role]]`` entries (verb, forms, family, patient/agent effects in [-1, 1], note).

    Returns word form -> (form, lemma, family, agent effect, patient effect, note).
    """
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{origin}: not a valid UTF-8 TOML valence file ({exc})") from None
    out: dict[str, tuple[str, str, str, float | None, float | None, str]] = {}
    for i, raw in enumerate(doc.get("role", []), 1):
        verb, note, family = (str(raw.get(k, "")).strip() for k in ("verb", "note", "family"))
        forms = raw.get("forms")
        effects = [raw.get(k) for k in ("agent", "patient")]
        ok = verb and note and family and isinstance(forms, list) and forms and all(isinstance(f, str) for f in forms)
        ok = ok and all(e is None or (isinstance(e, (int, float)) and -1 <= e <= 1) for e in effects)
        if not ok or effects == [None, None]:
            raise LexiconError(f"{origin}: role {i} needs a verb, forms, a family, an agent or patient effect in [-1, 1] and a note")
        for form in forms:
            form = form.strip().lower()
            if form in out:
                raise LexiconError(f"{origin}: duplicate role form {form!r}")
            agent, patient = (None if e is None else float(e) for e in effects)
            out[form] = (form, verb.lower(), family, agent, patient, note)
    return out


@lru_cache(maxsize=1)
def _role_lexicon() -> dict[str, tuple[str, str, str, float | None, float | None, str]]:
    ref = resources.files("framing.measures") / "actors_data" / "news_valence.toml"
    return parse_roles(ref.read_bytes(), origin="builtin:news_valence")


_NAMEISH_WORDS = frozenset("the former his her their its fellow rival and or".split())
_AUX = (
    r"(?:(?:has|have|had|was|were|is|are|be|been|being|also|repeatedly|publicly|openly|sharply|recently|later|"
    r"then|again|not|never|would|will|could|should|to|who)\s+)"
)
_PRE_TOKEN = re.compile(r"[A-Za-z][\w.'’-]*|[^\w\s]")


@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(passive, agent) patterns over the role lexicon's verb forms, matched right after the target."""
    lex = _role_lexicon()
    verbs = "|".join(re.escape(f) for f in sorted((f for f in lex if f != "against"), key=lambda f: (-len(f), f)))
    passive = re.compile(
        rf"\s*(?:,[^,]{{1,60}},\s*)?\s(?:has|have|had|was|were|is|are|been|being|got|gets|be)\s+(?:been\s+|being\s+)?"
        rf"(?:\w+ly\s+)?({verbs})\b",
        re.IGNORECASE,
    )
    agent = re.compile(
        rf"(?:\s*,[^,]{{1,60}},)?(?:\s+(?:and|or)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)?\s+{_AUX}{{0,3}}({verbs})\b",
        re.IGNORECASE,
    )
    return passive, agent


def _nameish(word: str) -> bool:
    """A word that may stand between a verb and its object: a determiner, "and"/"or", or a capitalised word."""
    return word[0].isupper() or word.lower() in _NAMEISH_WORDS


def _before_roles(text: str, lo: int, start: int) -> list[tuple[str, re.Match]]:
    """Role verbs just before the target: "accused (the) (Sen.) X" (patient), "praised by X" (agent).

    Walks back over at most four name-like words (titles, determiners, other
    coordinated names); a "by" there makes the target the agent of a verb at
    most four words further back.
    """
    lex = _role_lexicon()
    toks = list(_PRE_TOKEN.finditer(text, max(lo, start - 80), start))
    i, skipped = len(toks) - 1, 0
    while i >= 0 and skipped <= 4:
        w = toks[i].group(0)
        low = w.lower()
        if low in lex and not (w[0].isupper() and i > 0 and low != "against"):
            return [("patient", toks[i])]
        if low == "by":
            for j in range(i - 1, max(-1, i - 6), -1):
                if toks[j].group(0).lower() in lex and toks[j].group(0).lower() != "against":
                    return [("agent", toks[j])]
                if not toks[j].group(0)[0].isalpha():
                    break
            return []
        if not w[0].isalpha() or not _nameish(w):
            return []
        i, skipped = i - 1, skipped + 1
    return []


def role_cue(text: str, start: int, end: int, lo: int | None = None, hi: int | None = None) -> RoleCue | None:
    """The target's role toward the nearest role-lexicon verb in text[lo:hi] (its sentence by default), or None.

    Checked in order: passive patient ("X was arrested"), agent ("X accused",
    "X and Y criticized", "X, a senator, praised"), agent of a passive ("was
    praised by X"), patient ("accused X", "praised Cruz and X", "against X").
    A role with no effect in the lexicon (e.g. the agent of "told") gives None.
    """
    if lo is None or hi is None:
        s_lo, s_hi = sentence_bounds(text, start, end)
        lo = s_lo if lo is None else lo
        hi = s_hi if hi is None else hi
    lex = _role_lexicon()
    passive, agent = _role_patterns()
    found: list[tuple[str, re.Match]] = []
    m = passive.match(text, end, hi)
    if m:
        found.append(("patient", m))
    else:
        m = agent.match(text, end, hi)
        if m:
            found.append(("agent", m))
    found += _before_roles(text, lo, start)
    for role, m in found:
        g = m.lastindex or 0
        form, lemma, family, ag, pat, note = lex[m.group(g).lower()]
        effect = ag if role == "agent" else pat
        if effect is not None:
            return RoleCue(role, m.group(g), (m.start(g), m.end(g)), lemma, family, effect, note)
    return None


def apply_role(score: float | None, cue: RoleCue | None) -> float | None:
    """``cue.effect + ROLE_KEEP * score`` clipped to [-1, 1]; the score unchanged without a cue."""
    if cue is None:
        return score
    return round(max(-1.0, min(1.0, cue.effect + ROLE_KEEP * (score or 0.0))), 4)


def _check_span(text: str, start: int, end: int) -> None:
    from framing.errors import InputError

    if not isinstance(text, str):
        raise InputError("target_sentiment needs the text as a string")
    if not (0 <= start <= end <= len(text)):
        raise InputError(f"span [{start}, {end}) is outside the text of {len(text)} characters")


def explain_sentiment(text: str, start: int, end: int, *, neutral_band: float | None = None) -> Explanation:
    """Every step of the judgement on the span [start, end) of ``text``, including the role rule (``role``) if one fired."""
    _check_span(text, start, end)
    region, window, excluded = target_window(text, start, end)
    wtext, rtext = _cut(text, *window, excluded), _cut(text, *region, excluded)
    ws, rs = vader_compound([wtext, rtext])
    base = combine(ws, rs)
    base = 0.0 if base is None else base
    cue = role_cue(text, start, end, *region) if ROLE_KEEP is not None else None
    score = apply_role(base, cue)
    band = NEUTRAL_BAND if neutral_band is None else neutral_band
    return Explanation(
        vader_score=base,
        role=cue,
        score=score,
        label=label_of(score, band),
        sentence=region,
        window=window,
        excluded=excluded,
        window_text=wtext,
        sentence_text=rtext,
        window_score=0.0 if ws is None else ws,
        sentence_score=0.0 if rs is None else rs,
        drivers=lexicon_hits(wtext),
        neutral_band=band,
    )


def target_sentiment(
    text: str, start: int, end: int, *, label: bool = False, neutral_band: float | None = None
) -> float | str:
    """Sentiment toward the span [start, end) of ``text``: a float in [-1, 1], or a label.

    ``label=True`` returns "negative", "neutral" or "positive"; scores with
    ``|score| < neutral_band`` (default :data:`NEUTRAL_BAND`) are neutral.
    See :func:`explain_sentiment` for the words behind a judgement.
    """
    exp = explain_sentiment(text, start, end, neutral_band=neutral_band)
    return exp.label if label else exp.score
