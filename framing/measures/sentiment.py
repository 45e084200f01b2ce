"""Target-dependent sentiment: how the words around a span treat it.

Method (explainable, no model download): every judgement is a sum of visible
contributions, one per word or rule, each with its weight.

1. The **sentence** holding the span is found with a light splitter (or given
   by the caller, e.g. from the ``sentences`` frame).
2. **Quoted speech** inside that sentence is located (curly or straight double
   quotes, curly single quotes). Short quoted phrases inside the reporter's
   sentence ("scare quotes": called him "the most endangered incumbent"; at
   most ``SHORT_QUOTE_WORDS`` words, not opening the sentence, not ending in
   , . ! ? -- except the sentence's own period inside the closing mark, when the
   quote closes the sentence and is not introduced by a comma or colon) are the
   reporter's choice of words, not a quotation. A target inside a quote is
   judged inside that quote; the words outside it are someone else's frame.
3. The sentence is cut into **clauses** at punctuation (, ; : ( ) dashes) and at
   contrast/subordinating conjunctions (but, while, although, though, whereas,
   because, however, yet). The target's own clause is its nearest context; the
   **window** is that clause widened to neighbouring clauses until it holds at
   least ``MIN_WINDOW_WORDS`` words.
4. **Valences**: every word of the sentence gets its VADER valence in context
   (:func:`word_valences`: vaderSentiment 3.3.2's lexicon and per-word rules --
   boosters, capitals, negation within three words, idioms -- on its -4..4
   scale), capitalised words inside the sentence (names, titles) muted. A small
   **news lexicon** (``actors_data/news_valence.toml``: "accused", "indicted",
   "scandal" ... that VADER lacks, and muted **topic words** such as "war",
   "death", "crisis" that name an event, not a judgement) is added to VADER's.
   The target's own words never score it.
5. **Groups** (:data:`GROUPS`): each valence word falls in one group by where
   it stands: the target's clause before it ("the disgraced X", "critics
   accused X"), after it (its predicate: "X lied"), or past another name in
   that clause; the rest of the window; the rest of the sentence; quoted speech
   that does not hold the target; what a speaking target says ("X said the plan
   failed": :func:`is_speaker`; "Sanders says X limited the debates" makes X
   the subject of the report, not its speaker); outside the quote holding the
   target. Positive and negative valences are summed per group.
6. **Rules** (:data:`RULES`), position rather than words: the target is the
   *agent* or *patient* of a verb in the role lexicon (who did what to whom,
   no parser; :func:`role_cue`; ``[[role]]`` entries in ``news_valence.toml``:
   "accused X" / "X was arrested" / "against X" put X on the receiving end of
   a negative verb, "X praised" makes X the agent of a positive one, "told X",
   "met X", "killed X" are verbs with no effect on their object); the target
   follows "than" ("more money than X"); the target is the speaker; the target
   is named inside a quote. A role rule decides alone: when it fires, the words
   around the target add nothing (they stay listed in the explanation).
7. **Weights** (``actors_data/sentiment_model.toml``, fitted on NewsMTSC train
   by ``benchmarks/fit_sentiment_weights.py``; the dev splits are not read):
   each group's positive and negative sums and each rule have one weight toward
   "negative" and one toward "positive" ("neutral" is the reference, 0). A word
   adds ``valence * weight`` to each logit, a rule ``value * weight``;
   P(negative, neutral, positive) is the softmax of the bias plus these
   contributions. The label is the most probable class; the score is
   P(positive) - P(negative), in [-1, 1]. Words near the target count more than
   words far from it because their group's weights are larger, not because of
   a hand-set decay: the weights say how much each position mattered on
   NewsMTSC train.

:func:`explain_sentiment` returns every step of one judgement: the sentence,
the quotes, the clause and window, each word with its valence, group and two
contributions, the rules that fired, the bias and the probabilities (plus, for
comparison, VADER's compound of the clause window). :func:`target_evidence`
gives the words and rules before weighting; :func:`target_score` the score
alone (with ``reporter_only``: quoted speech and a speaker's words left out,
the reporter's voice, as the ``actors`` stage reports it per mention);
:func:`reporter_scores` gives the same scores for all the mentions of one
sentence at once, sharing the sentence's work (what the ``actors`` stage
calls). :func:`vader_compound` is the per-string VADER adapter (each distinct
text scored once and cached); :func:`word_valences` is its per-word view.

Known limits (VADER's and ours): sarcasm, sentiment carried by facts rather
than words ("was indicted" only counts because the news lexicon lists it;
"she was the first lawmaker to visit the prisons" is praise no lexicon sees),
verbs outside the role lexicon (in "X hurt Y" both get the same words), and
clause structure read from punctuation and conjunctions, not a parse.
NewsMTSC macro-F1 (benchmarks/eval_sentiment.py --train): rw dev 0.650, mt dev
0.637, train 0.622 (0.620 five-fold cross-validated); whole-sentence VADER
0.549 / 0.550 / 0.556.
"""

from __future__ import annotations

import math
import os
import re
import string
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from importlib import resources
from typing import Callable, Iterable, NamedTuple, Sequence

from framing.errors import LexiconError
from framing.text.patterns import trie_regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: with an explicit band, |score| below it is "neutral" (:func:`label_of`); the default label is the model's.
NEUTRAL_BAND = 0.05
#: weight of the clause window against the whole sentence in the VADER window score shown for comparison.
CLAUSE_WEIGHT = 0.6
#: the window is widened to neighbouring clauses until it holds this many words (target excluded).
MIN_WINDOW_WORDS = 8

#: capitalised words inside a sentence (names, titles) are left out of the VADER window view (see _name_words);
#: the model's valences always mute them.
MUTE_NAMES = True
#: ablation switch: True stops the window at the nearest other name on each side of the target
#: (see _name_cut). Measured worse on NewsMTSC (train 0.587 -> 0.589 but rw 0.637 -> 0.616,
#: mt 0.568 -> 0.565; left side only: rw 0.632, mt 0.571); off.
NAME_CUT = False
#: ablation switch: True keeps quoted speech in every window (measured worse on NewsMTSC; off).
KEEP_QUOTES = False
#: in the VADER window view a speaking target keeps only the words before it in its clause.
SPEAKER_PREFIX = True
#: quoted stretches of at most this many words ("scare quotes": called him "unethical") stay in the window.
SHORT_QUOTE_WORDS = 10

LABELS = ("negative", "neutral", "positive")

_ABBREV = frozenset(
    "mr mrs ms dr st gen lt col maj capt sgt sen rep gov pres prof jr sr inc corp co ltd no vs u.s u.k u.n "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e etc approx dept est fig adm cmdr gens".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+|\n+")
_PUNCT = string.punctuation
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_CAPWORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: _WORD and _CAPWORD with an empty group at the end, for counting: the same matches, and findall
#: lists the empty group (one shared empty string) instead of a new string per word.
_WORD_COUNT = re.compile(_WORD.pattern + "()")
_CAPWORD_COUNT = re.compile(_CAPWORD.pattern + "()")
#: the _CAPWORD words that start with a capital: a run of letters, apostrophes and hyphens not preceded by
#: one, its leading apostrophes / hyphens skipped (as _CAPWORD skips them), then a capital letter.
_CAPSTART = re.compile(r"(?<![A-Za-z'’-])['’-]*([A-Z][A-Za-z'’-]*)")
#: ``\s*[,;:()\[\]—–]\s*|\s+-{1,2}\s+|\s+(?:but|while|although|though|whereas|because|however|yet|as)\s+``
#: written so that every match starts with a space or a mark: one character of that set first, as a
#: character class (``re`` then skips ahead to one in C; with a choice of alternatives first it tries the
#: whole pattern at every character), then the rest of a run of spaces or of a mark, told apart by a
#: look-behind at that first character. The alternatives after a run of spaces need different characters,
#: so the same matches are found. Only the words are case-insensitive (the marks and spaces have no other
#: case), as a prefix trie (at most one word can be followed by a space at a place); one look-ahead after
#: the spaces asks for the first character of some alternative (a mark, "-", or a first letter of a word:
#: none of a, b, h, t, w, y matches any character but itself and its capital case-insensitively), so the
#: run of spaces before most words fails at once.
_CLAUSE = re.compile(
    r"[\s,;:()\[\]—–](?:(?<=\s)\s*(?=[,;:()\[\]—–\-abhtwyABHTWY])(?:[,;:()\[\]—–]\s*|-{1,2}\s+"
    r"|(?i:b(?:ut|ecause)|w(?:hile|hereas)|a(?:lthough|s)|though|however|yet)\s+)"
    r"|(?<=[,;:()\[\]—–])\s*)"
)
_QUOTE = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|(?:(?<=^)|(?<=[\s(\[—–-]))‘[^’]*(?:’(?=\W|$)|$)")


@dataclass(frozen=True)
class Explanation:
    """One judgement, step by step (offsets into the text given).

    The judgement is ``probabilities`` (softmax of the bias plus every
    ``contributions`` entry); ``score`` is P(positive) - P(negative) and
    ``label`` the most probable class (or, with an explicit ``neutral_band``,
    the band on ``score``). ``window`` / ``window_text`` / ``window_score`` and
    ``vader_score`` show VADER's view of the clause window for comparison;
    they do not enter the judgement.
    """

    score: float
    label: str
    sentence: tuple[int, int]
    window: tuple[int, int]
    excluded: tuple[tuple[int, int], ...]
    window_text: str
    sentence_text: str
    window_score: float
    sentence_score: float
    #: every VADER-lexicon word of the sentence but the target, with its valence in context (muted words 0.0).
    drivers: tuple[tuple[str, float], ...]
    #: None: the label is the most probable class; a number: the label is the band on ``score``.
    neutral_band: float | None
    #: VADER's clause-window score (CLAUSE_WEIGHT * window + the rest * sentence), for comparison.
    vader_score: float = 0.0
    #: the role rule that fired, if any.
    role: "RoleCue | None" = None
    #: P(negative), P(neutral), P(positive).
    probabilities: tuple[float, float, float] = (0.0, 1.0, 0.0)
    #: each word's and rule's share of the two logits (see :class:`Contribution`).
    contributions: tuple["Contribution", ...] = ()
    #: the bias of the two logits (toward negative, toward positive); neutral is 0.
    bias: tuple[float, float] = (0.0, 0.0)
    #: the rules that fired, in words ("" when only words decided).
    rule: str = ""
    #: the words and rules before weighting.
    evidence: "Evidence | None" = None
    model_version: str = ""


@dataclass(frozen=True)
class RoleCue:
    """The target's role toward a verb of the role lexicon ("X accused Y": X agent, Y patient)."""

    role: str  # "agent" or "patient"
    verb: str  # the word as written
    span: tuple[int, int]  # where the verb is in the text
    lemma: str
    family: str
    effect: float  # the role lexicon's effect on that role (-1..1); its sign and size feed the model
    note: str


# --------------------------------------------------------------------- VADER adapter


def _news_valence_file():
    """The built-in ``news_valence.toml`` (an importlib.resources Traversable)."""
    return resources.files("framing.measures") / "actors_data" / "news_valence.toml"


@lru_cache(maxsize=1)
def _news_valence_doc() -> dict:
    """The built-in ``news_valence.toml``, parsed once: its ``[[entry]]`` words and ``[[role]]`` verbs
    are read from the same document (read only, never changed).

    Parsing the TOML costs each worker process ~6 ms; the parsed document (strings, numbers, lists)
    is kept as JSON in the start-up cache (:mod:`framing.cache`, entry ``news-valence-doc``, keyed on
    the file's and this module's size and modification time) and read back in a fraction of that. The same document
    either way (JSON keeps ints, floats and key order).
    """
    ref = _news_valence_file()

    def build() -> dict:
        return _valence_doc(ref.read_bytes(), "builtin:news_valence")

    if not isinstance(ref, os.PathLike):  # not a plain file (a zipped package): parse it
        return build()
    from framing.cache import KEEP, cached_json, fingerprint

    # keyed on this module too: it holds the parser (_valence_doc)
    return cached_json("news-valence-doc", fingerprint("news-valence-doc", files=[ref, __file__]), build, keep=KEEP)


def _valence_doc(data: bytes, origin: str) -> dict:
    """A valence file's TOML document (LexiconError when it is not UTF-8 TOML)."""
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{origin}: not a valid UTF-8 TOML valence file ({exc})") from None


def _news_lexicon() -> dict[str, float]:
    return _valence_entries(_news_valence_doc(), "builtin:news_valence")


def parse_valence(data: bytes, origin: str) -> dict[str, float]:
    """Validate a valence file (``[[entry]] term, valence in [-4, 4], note``) into word -> valence."""
    return _valence_entries(_valence_doc(data, origin), origin)


def _valence_entries(doc: dict, origin: str) -> dict[str, float]:
    """:func:`parse_valence` on a parsed document."""
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
#: entries of _SCORE_CACHE and of _VALENCE_CACHE (one at a time) before it is cleared. Their keys are
#: whole sentences and quotes, so across batches they pay off only where texts repeat (boilerplate,
#: copies); a batch of 200 news articles fills ~4,000 valence entries, ~0.65 KB each. 32,768 bounds
#: the two at ~30 MB per worker. With 200,000, a worker on distinct articles kept growing (67 MB of
#: valences after 30 batches): 10,400 distinct articles (AllSides 8 times, each copy's sentences
#: made unique), 2 jobs, peaked at 923 MB, now 820 MB (the 1,300 AllSides articles: ~685 MB).
_SCORE_CACHE_MAX = 1 << 15


@lru_cache(maxsize=1)
def _lexicon_tables() -> tuple[dict[str, float], frozenset[str]]:
    """``_analyzer().lexicon`` (VADER's lexicon with the news lexicon added) and the single characters
    of its emoji table, without building the analyzer.

    VADER's analyzer parses its two text files on construction (~7 ms per worker process); the
    per-word rules only read these two tables, and the analyzer itself is needed only for texts with
    emoji (:func:`_vader_one`). They are kept as JSON in the start-up cache (:mod:`framing.cache`,
    entry ``vader-news-lexicon``, keyed on vaderSentiment's module and lexicon files, on
    ``news_valence.toml`` and on this module) and built from the analyzer when missing: the same words, valences
    (JSON round-trips floats exactly) and order either way.
    """

    def build() -> dict:
        analyzer = _analyzer()
        return {"lexicon": analyzer.lexicon, "emoji": sorted(e for e in analyzer.emojis if len(e) == 1)}

    from vaderSentiment import vaderSentiment as V

    news = _news_valence_file()
    folder = os.path.dirname(os.path.abspath(V.__file__))
    files = [V.__file__, os.path.join(folder, "vader_lexicon.txt"), os.path.join(folder, "emoji_utf8_lexicon.txt")]
    if isinstance(news, os.PathLike) and all(os.path.isfile(f) for f in files):
        from framing.cache import KEEP, cached_json, fingerprint

        # keyed on this module too: it holds the code that adds the news words (_analyzer)
        tables = cached_json(
            "vader-news-lexicon", fingerprint("vader-news-lexicon", files=[*files, news, __file__]), build, keep=KEEP
        )
    else:
        tables = build()
    return tables["lexicon"], frozenset(tables["emoji"])


@lru_cache(maxsize=1)
def _fast_tables() -> tuple[frozenset[str], frozenset[str]]:
    """VADER's lexicon keys and the single characters its emoji table rewrites."""
    lexicon, emoji = _lexicon_tables()
    return frozenset(lexicon), emoji


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
        return _compound(text)  # 0.0 at once when no word is in the lexicon
    return _analyzer().polarity_scores(text)["compound"]


def _vader_words(tokens: Iterable[str], punct: str = _PUNCT) -> list[str]:
    """Whitespace tokens with outer punctuation stripped as VADER does (only when more than two characters remain)."""
    return [s if len(s := t.strip(punct)) > 2 else t for t in tokens]


class _VaderTables(NamedTuple):
    """vaderSentiment 3.3.2's tables as the per-word rules read them (built once)."""

    lexicon: dict
    booster: dict
    special: dict
    negate: frozenset
    n_scalar: float
    c_incr: float
    #: first words of the multi-word idioms and booster phrases: an idiom check can only match
    #: when one of the words it joins starts such a phrase.
    idiom_heads: frozenset
    #: lexicon words that are also boosters (VADER skips them): none in 3.3.2, kept general.
    booster_lexicon: frozenset
    least_in_lexicon: bool
    #: vaderSentiment's normalize (looked up once, not imported on every call)
    normalize: Callable[[float], float]
    #: words that may change the valence of a lexicon word one to three places after them: boosters,
    #: negations, "no", "so", "this" and "least" (words holding "n't" are tested apart). A lexicon word
    #: with none of these (nor an "n't" word) among its three words before, and no idiom or booster
    #: phrase that could start at one of them or at the word itself (see ``idiom_next``), is "plain".
    context: frozenset
    #: lexicon words whose own rules may fire ("kind", "no", the skipped boosters), and those whose
    #: valence is not a non-zero float (adding a booster's 0.0 to it could change it)
    self_rules: frozenset
    #: first word of each multi-word idiom and booster phrase -> the second words that follow it
    #: there: a phrase can match at a word only if the word after it is one of these.
    idiom_next: dict


@lru_cache(maxsize=1)
def _vader_tables() -> _VaderTables:
    from vaderSentiment import vaderSentiment as V

    lexicon = _lexicon_tables()[0]
    booster, special = V.BOOSTER_DICT, V.SPECIAL_CASES
    heads = frozenset(k.split(" ")[0] for k in chain(special, booster) if " " in k)
    negate = frozenset(V.NEGATE)
    skip = frozenset(booster).intersection(lexicon)
    odd = frozenset(w for w, v in lexicon.items() if type(v) is not float or not v)
    follow: dict[str, set[str]] = {}
    for k in chain(special, booster):
        if " " in k:
            first, second = k.split(" ")[:2]
            follow.setdefault(first, set()).add(second)
    return _VaderTables(
        lexicon, booster, special, negate, V.N_SCALAR, V.C_INCR, heads, skip, "least" in lexicon, V.normalize,
        frozenset(chain(booster, negate, ("no", "so", "this", "least"))),
        frozenset(chain(("kind", "no"), skip, odd)),
        {k: frozenset(v) for k, v in follow.items()},
    )


def _sentiments(
    words: Sequence[str], low: Sequence[str] | None = None, hits: Sequence[int] | None = None
) -> tuple[Sequence[str], list[float]]:
    """VADER 3.3.2's valence of each word (see :func:`_vader_words`) in context, before its "but" rule and normalisation.

    Returns the lower-cased words and one valence per word: 0 outside the
    lexicon; for lexicon words the rated valence after VADER's boosters, caps,
    negation within three words, idioms and "least" rules. Only lexicon words
    are visited (``hits``: their indices, when the caller has them). The same
    arithmetic, in the same order, as vaderSentiment's ``sentiment_valence``;
    rules that cannot fire are skipped (an idiom check needs a phrase's first
    word, the caps rule a word in capitals, and "some but not all words in
    capitals" is only counted when a capitalised word asks). A "plain" word
    (most of them: not in capitals, no rule of its own, none of the three
    words before it a booster, negation or other word a rule asks for, see
    ``_VaderTables.context``, and no idiom or booster phrase whose first two
    words stand at it or before it, see ``_VaderTables.idiom_next``) keeps its
    rated valence, as every rule would leave it (each of the three words before
    it outside the lexicon adds a booster's 0.0, which leaves a non-zero float
    unchanged), and is not walked through them.
    """
    tb = _vader_tables()
    lexicon, booster = tb.lexicon, tb.booster
    if low is None:
        low = list(map(str.lower, words))
    n = len(words)
    if hits is None:
        hits = [i for i, li in enumerate(low) if li in lexicon]
    neg_set, heads, n_scalar, c_incr = tb.negate, tb.idiom_heads, tb.n_scalar, tb.c_incr
    skip = tb.booster_lexicon
    context, self_rules, follow = tb.context, tb.self_rules, tb.idiom_next
    cap_diff = None  # VADER's is_cap_diff, counted on first use

    # words outside the lexicon score 0 (as VADER appends 0 for them); only lexicon words are visited
    sentiments: list[float] = [0] * n
    for i in hits:
        li, item = low[i], words[i]
        if li not in self_rules and not item.isupper():
            if i > 2:
                p1, p2, p3 = low[i - 1], low[i - 2], low[i - 3]
                if not (
                    p1 in context or p2 in context or p3 in context or "n't" in p1 or "n't" in p2 or "n't" in p3
                    # an idiom or booster phrase starting at p3, p2, p1 or the word (the only ones checked)
                    or (p3 in follow and p2 in follow[p3])
                    or (p2 in follow and p1 in follow[p2])
                    or (p1 in follow and li in follow[p1])
                    or (li in follow and i < n - 1 and low[i + 1] in follow[li])
                ):
                    sentiments[i] = lexicon[li]  # a plain word: no rule changes it
                    continue
            # the first three words: no idiom is checked (VADER asks for a third word before), only the
            # words before them can change them
            elif i == 0 or not (
                low[0] in context or "n't" in low[0] or (i == 2 and (low[1] in context or "n't" in low[1]))
            ):
                sentiments[i] = lexicon[li]  # a plain word: no rule changes it
                continue
        if (skip and li in skip) or (li == "kind" and i < n - 1 and low[i + 1] == "of"):
            continue
        valence = lexicon[li]
        if li == "no" and i != n - 1 and low[i + 1] in lexicon:
            valence = 0.0
        p1 = low[i - 1] if i > 0 else None
        p2 = low[i - 2] if i > 1 else None
        p3 = low[i - 3] if i > 2 else None
        if p1 == "no" or p2 == "no" or (p3 == "no" and p1 in ("or", "nor")):
            valence = lexicon[li] * n_scalar
        if item.isupper():
            if cap_diff is None:
                cap_diff = 0 < n - sum(map(str.isupper, words)) < n
            if cap_diff:
                valence = valence + c_incr if valence > 0 else valence - c_incr
        if p1 is not None and p1 not in lexicon:
            sc = 0.0
            if p1 in booster:
                sc = booster[p1]
                if valence < 0:
                    sc *= -1
                if words[i - 1].isupper():
                    if cap_diff is None:
                        cap_diff = 0 < n - sum(map(str.isupper, words)) < n
                    if cap_diff:
                        sc = sc + c_incr if valence > 0 else sc - c_incr
            valence = valence + sc
            if p1 in neg_set or "n't" in p1:
                valence = valence * n_scalar
        if p2 is not None and p2 not in lexicon:
            sc = 0.0
            if p2 in booster:
                sc = booster[p2]
                if valence < 0:
                    sc *= -1
                if words[i - 2].isupper():
                    if cap_diff is None:
                        cap_diff = 0 < n - sum(map(str.isupper, words)) < n
                    if cap_diff:
                        sc = sc + c_incr if valence > 0 else sc - c_incr
                if sc != 0:
                    sc = sc * 0.95
            valence = valence + sc
            if p2 == "never" and (p1 == "so" or p1 == "this"):
                valence = valence * 1.25
            elif p2 == "without" and p1 == "doubt":
                pass
            elif p2 in neg_set or "n't" in p2:
                valence = valence * n_scalar
        if p3 is not None and p3 not in lexicon:
            sc = 0.0
            if p3 in booster:
                sc = booster[p3]
                if valence < 0:
                    sc *= -1
                if words[i - 3].isupper():
                    if cap_diff is None:
                        cap_diff = 0 < n - sum(map(str.isupper, words)) < n
                    if cap_diff:
                        sc = sc + c_incr if valence > 0 else sc - c_incr
                if sc != 0:
                    sc = sc * 0.9
            valence = valence + sc
            if p3 == "never" and (p2 == "so" or p2 == "this") or (p1 == "so" or p1 == "this"):
                valence = valence * 1.25
            elif p3 == "without" and (p2 == "doubt" or p1 == "doubt"):
                pass
            elif p3 in neg_set or "n't" in p3:
                valence = valence * n_scalar
            # _special_idioms_check: every idiom and booster phrase starts with a word of idiom_heads
            if p3 in heads or p2 in heads or p1 in heads or li in heads:
                special = tb.special
                onezero = f"{p1} {li}"
                twoonezero = f"{p2} {p1} {li}"
                twoone = f"{p2} {p1}"
                threetwoone = f"{p3} {p2} {p1}"
                threetwo = f"{p3} {p2}"
                for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                    if seq in special:
                        valence = special[seq]
                        break
                if n - 1 > i:
                    zeroone = f"{li} {low[i + 1]}"
                    if zeroone in special:
                        valence = special[zeroone]
                if n - 1 > i + 1:
                    zeroonetwo = f"{li} {low[i + 1]} {low[i + 2]}"
                    if zeroonetwo in special:
                        valence = special[zeroonetwo]
                for n_gram in (threetwoone, threetwo, twoone):
                    if n_gram in booster:
                        valence = valence + booster[n_gram]
        # _least_check
        if p1 == "least" and not tb.least_in_lexicon:
            if p2 is not None:
                if p2 != "at" and p2 != "very":
                    valence = valence * n_scalar
            else:
                valence = valence * n_scalar
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
    tables = _vader_tables()
    lexicon = tables.lexicon
    toks = text.split()
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:  # see _token_valences
        low = [s if len(s := t.strip(_PUNCT)) > 2 else t for t in lowered.split()]
    else:
        low = list(map(str.lower, _vader_words(toks)))
    hits = [i for i, li in enumerate(low) if li in lexicon]
    if not hits:
        return 0.0  # every valence is 0: VADER's compound is 0.0
    _, sentiments = _sentiments(toks, low, hits)
    if "but" in low:
        # VADER's _but_check: for each value in turn, the first equal value is halved before the first
        # "but" and multiplied by 1.5 after it. Zeros stay zeros and never equal a non-zero value, and
        # only lexicon words can be non-zero, so only those are visited (same result, same order).
        bi = low.index("but")
        nz = [k for k in hits if sentiments[k]]
        for k in nz:
            sentiment = sentiments[k]
            for si in nz:
                if sentiments[si] == sentiment:
                    break
            if si < bi:
                sentiments[si] = sentiment * 0.5
            elif si > bi:
                sentiments[si] = sentiment * 1.5
    sum_s = float(sum(sentiments))
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = 0 if qm_count <= 1 else (qm_count * 0.18 if qm_count <= 3 else 0.96)
    if sum_s > 0:
        sum_s += ep + qm
    elif sum_s < 0:
        sum_s -= ep + qm
    return round(tables.normalize(sum_s), 4)


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


#: VADER strips ASCII punctuation only, so a word next to a curly quote or a dash (“unethical”, "war—")
#: is missed by its lexicon; the per-word view strips these too.
_NEWS_PUNCT = _PUNCT + "“”‘’—–…«»"


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
    found = _token_valences(text)
    if found is None:
        return ()
    spaced, toks, hits, sentiments, _ = found
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


def _token_valences(text: str) -> tuple[str, list[str], list[int], list[float], str] | None:
    """``(spaced, tokens, hits, valences, punct)`` of :func:`word_valences`, or None when no token is in the lexicon.

    ``spaced`` is the text with dashes turned into spaces (same offsets), ``tokens``
    its whitespace tokens, ``hits`` the indices of the lexicon words,
    ``valences`` one per token and ``punct`` the outer punctuation stripped
    from a token to give its word (``_PUNCT`` for ASCII text, else ``_NEWS_PUNCT``:
    the same words). When lower-casing maps each character to one
    character (no "Σ", whose lower case depends on its neighbours), the text is
    lower-cased once and split, which gives the same words as lower-casing each
    stripped token (outer punctuation and whitespace are their own lower case);
    otherwise each token is lower-cased as VADER does.
    """
    lexicon = _vader_tables().lexicon
    if text.isascii():
        # the marks _NEWS_PUNCT adds are not ASCII: stripping the ASCII ones is the same, and str.strip
        # is faster with an ASCII set (the characters are looked up in it with memchr)
        spaced, punct = text, _PUNCT
    else:
        spaced, punct = text.replace("—", " ").replace("–", " "), _NEWS_PUNCT  # same length: offsets hold
    toks = spaced.split()
    lowered = spaced.lower()
    if len(lowered) == len(spaced) and "Σ" not in spaced:
        low = [s if len(s := t.strip(punct)) > 2 else t for t in lowered.split()]
    else:
        low = list(map(str.lower, _vader_words(toks, punct)))
    hits = [i for i, w in enumerate(low) if w in lexicon]
    if not hits:
        return None
    # only str.isupper is asked of the words, and stripping outer punctuation (never cased) leaves it unchanged
    _, sentiments = _sentiments(toks, low, hits)
    return spaced, toks, hits, sentiments, punct


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


@lru_cache(maxsize=1024)
def _clauses(text: str, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """The clauses of text[lo:hi]: clause k spans the end of cut k to the start of cut k + 1 (memoised)."""
    cuts = _clause_cuts(text, lo, hi)
    return tuple((cuts[k][1], cuts[k + 1][0]) for k in range(len(cuts) - 1))


def _words(text: str, a: int, b: int) -> int:
    return len(_WORD_COUNT.findall(text, a, b)) if b > a else 0


class _Layout(NamedTuple):
    """Where things are around one target (offsets into the text)."""

    sentence: tuple[int, int]
    region: tuple[int, int]  # the quote holding the target, else the sentence
    holder: tuple[int, int] | None  # the quote holding the target
    quotes: tuple[tuple[int, int], ...]  # quoted speech inside the region, not holding the target
    speaker: bool
    clause: tuple[int, int] | None  # the target's own clause (target included); None until needed
    window: tuple[int, int] | None  # the clause widened to MIN_WINDOW_WORDS words; None until needed


def _layout(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int] | None,
    quotes: Sequence[tuple[int, int]] | None,
    speaker: bool | None,
    min_words: int | None = None,
    *,
    clauses: bool = True,
) -> _Layout:
    """Sentence, quotes, speaker and (``clauses=True``) the target's clause and window; else those are None."""
    lo, hi = sentence if sentence is not None else sentence_bounds(text, start, end)
    lo, hi = min(lo, start), max(hi, end)
    s_lo, s_hi = lo, hi
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
    lay = _Layout((s_lo, s_hi), (lo, hi), holder, tuple(excluded), bool(speaker), None, None)  # type: ignore[arg-type]
    return _with_clauses(text, start, end, lay, sentence, min_words) if clauses else lay


def _with_clauses(
    text: str, start: int, end: int, lay: _Layout, sentence: tuple[int, int] | None = None, min_words: int | None = None
) -> _Layout:
    """``lay`` with the target's clause and its window (the clause widened to ``min_words`` words) filled in."""
    min_words = MIN_WINDOW_WORDS if min_words is None else min_words
    lo, hi = lay.region
    excluded = lay.quotes
    clauses = _clauses(text, lo, hi)
    k = next((i for i, (a, b) in enumerate(clauses) if a <= start < max(b, a + 1) or start < b), len(clauses) - 1)
    k2 = k
    while k2 + 1 < len(clauses) and clauses[k2][1] < end:
        k2 += 1
    a, b = clauses[k][0], clauses[k2][1]
    a, b = min(a, start), max(b, end)
    clause = (a, b)
    own = _words(text, start, end)

    def count(x: int, y: int) -> int:
        n = _words(text, x, y) - own
        if excluded:
            n -= sum(_words(text, max(p, x), min(q, y)) for p, q in excluded if p < y and q > x)
        return n

    left, right = k, k2
    while count(a, b) < min_words and (left > 0 or right < len(clauses) - 1):
        if right < len(clauses) - 1:
            right += 1
            b = clauses[right][1]
        if count(a, b) < min_words and left > 0:
            left -= 1
            a = clauses[left][0]
    if NAME_CUT:
        a, b = _name_cut(text, _name_words(text, *(sentence if sentence is not None else (lo, hi)), lo, hi), a, b, start, end)
    return lay._replace(clause=clause, window=(a, b))


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
    """The region VADER's window score reads for the target [start, end).

    ``speaker`` says whether the target is the one speaking (None: decided by
    :func:`is_speaker`); a speaker's reported words are not the reporter's voice.

    Returns ``(region, window, excluded)``: ``region`` is the sentence (or the
    quote holding the target), ``window`` the clause-sized window inside it,
    ``excluded`` the spans left out of both (quoted speech not holding the
    target, and the target itself).
    """
    lay = _layout(text, start, end, sentence, quotes, speaker, min_words)
    excluded = list(lay.quotes)
    if lay.speaker:
        # the target speaks: what follows is its voice, not the reporter's; keep only the
        # words before the target in its clause ("the disgraced former director ... said").
        cuts = _clause_cuts(text, lay.region[0], start)
        a = cuts[-2][1] if len(cuts) >= 2 else lay.region[0]
        excluded.append((start, end))
        if not SPEAKER_PREFIX:
            return (start, end), (start, end), ((start, end),)
        return (a, end), (a, end), tuple(sorted(set(excluded)))
    excluded.append((start, end))
    if MUTE_NAMES:
        excluded += _name_words(text, *(sentence if sentence is not None else lay.region), *lay.region)
    return lay.region, lay.window, tuple(sorted(set(excluded)))


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
#: the verbs as a prefix trie (the same words; followed by \b, at most one can match at a place)
_SPEAKER_AFTER = re.compile(
    rf"\s*(?:,[^,]{{1,60}},\s*)?(?:\w+\s+){{0,1}}(?:{trie_regex(_SPEECH_VERB[3:-1].split('|'))})\b", re.IGNORECASE
)
#: ``\b(?:(?P<verb>said|says|wrote|added)|according\s+to)\s+(?:[A-Z][\w.]*\s+){0,2}$`` written to start with one
#: character class (the words' first letters), so ``re`` skips ahead to one in C instead of trying the pattern
#: at every character; ``\b`` before a letter is "no word character before it", and look-behinds at that
#: letter pick the rest of its word. The same matches, with ``verb`` set for the same words.
_SPEAKER_BEFORE = re.compile(
    r"[swa](?<!\w[swa])(?:(?P<verb>(?<=s)(?:aid|ays)|(?<=w)rote|(?<=a)dded)|(?<=a)ccording\s+to)\s+(?:[A-Z][\w.]*\s+){0,2}$"
)
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
    sub = text[lo:hi]  # the words of _CAPWORD.finditer(text, lo, hi); capitalised ones found by _CAPSTART
    n_words = len(_CAPWORD.findall(sub))
    caps = [m.span(1) for m in _CAPSTART.finditer(sub)]
    if not caps or len(caps) * 2 > n_words:
        return ()
    out = []
    for a, b in caps:
        a, b = a + lo, b + lo
        before = text[max(s_lo, a - 3) : a].rstrip()
        if a <= s_lo or not before or before[-1] in "“\"‘'(:—–-[.!?":  # before is rstripped: [.!?]$ == last char
            continue
        if b - a > 1 and text[a:b].isupper():
            continue  # ALL CAPS words are emphasis for VADER, or acronyms it does not know
        out.append((a, b))
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
    return _role_entries(_valence_doc(data, origin), origin)


def _role_entries(doc: dict, origin: str) -> dict[str, tuple[str, str, str, float | None, float | None, str]]:
    """:func:`parse_roles` on a parsed document."""
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
    return _role_entries(_news_valence_doc(), "builtin:news_valence")


_NAMEISH_WORDS = frozenset("the former his her their its fellow rival and or".split())
_AUX = (
    r"(?:(?:has|have|had|was|were|is|are|be|been|being|also|repeatedly|publicly|openly|sharply|recently|later|"
    r"then|again|not|never|would|will|could|should|to|who)\s+)"
)
_PRE_TOKEN = re.compile(r"[A-Za-z][\w.'’-]*|[^\w\s]")


@lru_cache(maxsize=1)
def _role_pattern() -> re.Pattern:
    """The passive and agent patterns over the role lexicon's verb forms, matched right after the target, as one.

    ``(?:PASSIVE(?P<passive>)|AGENT)(?P<verb>VERBS)\b``: a match is the passive pattern's
    (``PASSIVE(VERBS)\b``, "X was arrested"; ``passive`` is set) if it matches, else the agent
    pattern's (``AGENT(VERBS)\b``, "X accused"; ``passive`` is None), as the two tried in that order:
    the engine tries every way of the first branch followed by the verb before the second, and
    forgets the ``passive`` mark when it backtracks out of the first. The verb forms (~1,700
    characters of trie) are compiled once instead of twice (half of this pattern's ~10 ms per worker
    process), and a target takes one match call instead of two.
    """
    lex = _role_lexicon()
    # the forms as a trie ("accus(?:e(?:d|s)?|ing)" ...): the same words, tried in a few steps instead of
    # one alternative at a time. Each form is letters followed by \b, so at a given place at most one
    # form can match (the whole run of word characters there): which alternative is tried first does
    # not change any match.
    verbs = trie_regex(f for f in lex if f != "against")
    passive = (
        r"\s*(?:,[^,]{1,60},\s*)?\s(?:has|have|had|was|were|is|are|been|being|got|gets|be)\s+(?:been\s+|being\s+)?"
        r"(?:\w+ly\s+)?"
    )
    agent = rf"(?:\s*,[^,]{{1,60}},)?(?:\s+(?:and|or)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)?\s+{_AUX}{{0,3}}"
    return re.compile(rf"(?:{passive}(?P<passive>)|{agent})(?P<verb>{verbs})\b", re.IGNORECASE)


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
    w0 = max(lo, start - 80)
    # The walk usually stops within a word or two: it first reads the words after a space at least 12
    # characters back (the same words as the 80-character window's last ones, as a space ends every
    # word) and starts over on the whole window only if it would reach that shorter list's first word.
    w1 = text.rfind(" ", w0, max(w0, start - 12)) + 1  # (a negative end would count from the text's end)
    if w1 > w0:
        found = _walk_back(text, w1, start, lex, True)
        if found is not None:
            return found
    return _walk_back(text, w0, start, lex, False)


def _walk_back(text: str, w0: int, start: int, lex: dict, partial: bool) -> list[tuple[str, re.Match]] | None:
    """_before_roles over the words of text[w0:start]; with ``partial`` (words cut at a space, more may
    stand before them) None when the answer could depend on a word before them."""
    toks = _PRE_TOKEN.findall(text, w0, start)  # the words; their matches are made only for the one returned
    i, skipped = len(toks) - 1, 0
    while i >= 0 and skipped <= 4:
        if partial and i == 0:
            return None  # "i > 0" and the words before are not known here
        w = toks[i]
        low = w.lower()
        if low in lex and not (w[0].isupper() and i > 0 and low != "against"):
            return [("patient", list(_PRE_TOKEN.finditer(text, w0, start))[i])]
        if low == "by":
            if partial and i - 5 < 0:
                return None  # the verb may stand further back
            for j in range(i - 1, max(-1, i - 6), -1):
                if toks[j].lower() in lex and toks[j].lower() != "against":
                    return [("agent", list(_PRE_TOKEN.finditer(text, w0, start))[j])]
                if not toks[j][0].isalpha():
                    break
            return []
        if not w[0].isalpha() or not (w[0].isupper() or low in _NAMEISH_WORDS):  # _nameish(w)
            return []
        i, skipped = i - 1, skipped + 1
    if partial and i < 0:
        return None  # ran out of words: the ones before decide
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
    found: list[tuple[str, re.Match]] = []
    m = _role_pattern().match(text, end, hi)
    if m:
        found.append(("patient" if m.group("passive") is not None else "agent", m))
    found += _before_roles(text, lo, start)
    for role, m in found:
        g = m.lastindex or 0  # the verb: the last group of _role_pattern, the whole match of _before_roles
        form, lemma, family, ag, pat, note = lex[m.group(g).lower()]
        effect = ag if role == "agent" else pat
        if effect is not None:
            return RoleCue(role, m.group(g), (m.start(g), m.end(g)), lemma, family, effect, note)
    return None


# --------------------------------------------------------------------- evidence and weights

#: where a valence word stands relative to the target; the first that applies, in this order.
GROUPS: tuple[tuple[str, str], ...] = (
    ("outside_quote", "of words outside the quote that holds the target"),
    ("quoted", "of words in quoted speech that does not hold the target (someone else's words)"),
    ("speech", "of words after a speaking target: what it is reported to say ('X said the plan failed')"),
    ("clause_past_name", "of words in the target's clause with another name between them and the target"),
    ("clause_before", "of words in the target's clause before it ('the disgraced X', 'critics accused X')"),
    ("clause_after", "of words in the target's clause after it, its predicate ('X lied')"),
    ("window", "of words in the neighbouring clauses that widen the window to MIN_WINDOW_WORDS words"),
    ("sentence", "of words elsewhere in the sentence"),
)
#: rules that fire on the target's position, not on a word's valence. When one of the role rules
#: (agent / patient of a role-lexicon verb; the sign of the lexicon's effect on that role picks the
#: rule) fires it decides alone: the words are listed in the explanation but add nothing, as the
#: verb says what happens to the target ("the gunman killed X in a terrible attack" does not judge
#: X; NewsMTSC train 5-fold macro-F1 0.6128 -> 0.6146, rw dev 0.643 -> 0.652, mt dev 0.632 -> 0.632).
RULES: tuple[tuple[str, str], ...] = (
    ("patient_of_negative_verb", "'accused X', 'X was arrested', 'against X': a verb with a negative effect on its object; value 1"),
    ("patient_of_positive_verb", "'praised X', 'X was endorsed': a verb with a positive effect on its object; value 1"),
    ("patient_of_neutral_verb", "'told X', 'met X', 'killed X': a verb with no effect on its object; value 1"),
    ("agent_of_negative_verb", "'X accused', 'X killed': a verb with a negative effect on its subject; value 1"),
    ("agent_of_positive_verb", "'X praised', 'X endorsed': a verb with a positive effect on its subject; value 1"),
    ("agent_of_neutral_verb", "a verb with no effect on its subject; value 1"),
    ("after_than", "'more money than X', 'better than X': the target loses the comparison; value 1"),
    ("speaker", "the target is the one speaking ('X said', 'said X.', 'according to X'); value 1"),
    ("in_quote", "the target is named inside quoted speech; value 1"),
)
#: the model's features: a positive and a negative valence sum per group, then the rules.
FEATURES: tuple[str, ...] = tuple(f"{g}_{sign}" for g, _ in GROUPS for sign in ("positive", "negative")) + tuple(
    r for r, _ in RULES
)
#: groups that are someone else's voice, left out of the reporter-voice score of the mentions frame
#: (which does not score a mention inside a quote at all).
QUOTED_GROUPS = frozenset({"quoted", "speech"})
_THAN = re.compile(r"\bthan\s+(?:[A-Z][\w.]*\s+){0,3}$")


@dataclass(frozen=True)
class Contribution:
    """What one word or rule adds to the negative and positive logits (neutral is the reference, 0)."""

    feature: str  # e.g. "clause_after_negative", "patient_of_negative_verb"
    text: str  # the word, verb or cue as written
    span: tuple[int, int] | None  # where it is in the text
    value: float  # the word's VADER valence in context (-4..4), or the rule's value
    negative: float  # value * the feature's weight toward "negative"
    positive: float  # value * the feature's weight toward "positive"


@dataclass(frozen=True)
class Evidence:
    """The words and rules around one target, before any weight is applied."""

    sentence: tuple[int, int]
    region: tuple[int, int]  # the quote holding the target, else the sentence
    clause: tuple[int, int]
    window: tuple[int, int]
    quotes: tuple[tuple[int, int], ...]  # quoted speech left to the "quoted" group
    speaker: bool
    in_quote: bool
    #: every VADER-lexicon word of the sentence but the target's own: (word, (start, end), valence, group);
    #: muted words (valence 0) are listed too.
    words: tuple[tuple[str, tuple[int, int], float, str], ...]
    role: RoleCue | None
    than: tuple[int, int] | None  # the "than" before the target

    def rules(self) -> tuple[tuple[str, str, tuple[int, int] | None, float], ...]:
        """(rule, cue text, cue span, value) for each rule that fired."""
        return _rules(self.role, self.than, self.speaker, self.region if self.in_quote else None)

    def features(self, *, reporter_only: bool = False) -> dict[str, float]:
        """Feature name -> value (every name of :data:`FEATURES`; words of QUOTED_GROUPS dropped if ``reporter_only``)."""
        out = dict.fromkeys(FEATURES, 0.0)
        for _, _, v, group in () if self.role is not None else self.words:  # a role rule decides alone
            if v and not (reporter_only and group in QUOTED_GROUPS):
                out[f"{group}_{'positive' if v > 0 else 'negative'}"] += v
        for name, _, _, value in self.rules():
            out[name] = value
        return out


def _rules(
    role: RoleCue | None, than: tuple[int, int] | None, speaker: bool, holder: tuple[int, int] | None
) -> tuple[tuple[str, str, tuple[int, int] | None, float], ...]:
    out = []
    if role is not None:
        sign = "negative" if role.effect < 0 else "positive" if role.effect > 0 else "neutral"
        out.append((f"{role.role}_of_{sign}_verb", role.verb, role.span, 1.0))
    if than is not None:
        out.append(("after_than", "than", than, 1.0))
    if speaker:
        out.append(("speaker", "", None, 1.0))
    if holder is not None:
        out.append(("in_quote", "", holder, 1.0))
    return tuple(out)


@dataclass(frozen=True)
class SentimentModel:
    """Weights of the target-sentiment model (``actors_data/sentiment_model.toml``)."""

    version: str
    bias: tuple[float, float]  # (toward negative, toward positive), neutral = 0
    weights: tuple[tuple[str, float, float], ...]  # (feature, toward negative, toward positive), FEATURES order

    def weight(self, feature: str) -> tuple[float, float]:
        return self.index[feature]

    @cached_property
    def index(self) -> dict[str, tuple[float, float]]:
        """feature -> (toward negative, toward positive)."""
        return {f: (n, p) for f, n, p in self.weights}

    @cached_property
    def groups(self) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
        """group -> (weights of its positive feature, weights of its negative feature)."""
        w = self.index
        return {g: (w[f"{g}_positive"], w[f"{g}_negative"]) for g, _ in GROUPS}

    @cached_property
    def prior_score(self) -> float:
        """The score of a target with no evidence at all: the biases alone."""
        return _judge(_softmax(*self.bias))[0]


def parse_model(data: bytes, origin: str) -> SentimentModel:
    """Validate a model file: ``[meta] version``, ``[bias]``, one ``[[feature]]`` (name, negative, positive, note) per FEATURES."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{origin}: not a valid UTF-8 TOML model file ({exc})") from None

    def number(x: object) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and abs(x) <= 100

    version = str(doc.get("meta", {}).get("version", "")).strip()
    bias = doc.get("bias", {})
    if not version or not number(bias.get("negative")) or not number(bias.get("positive")):
        raise LexiconError(f"{origin}: needs [meta] version and [bias] negative / positive numbers")
    seen: dict[str, tuple[float, float]] = {}
    for i, raw in enumerate(doc.get("feature", []), 1):
        name = str(raw.get("name", "")).strip()
        if name not in FEATURES or not number(raw.get("negative")) or not number(raw.get("positive")):
            raise LexiconError(f"{origin}: feature {i} needs a known name, negative and positive weights")
        if not str(raw.get("note", "")).strip():
            raise LexiconError(f"{origin}: feature {name!r} needs a note")
        if name in seen:
            raise LexiconError(f"{origin}: duplicate feature {name!r}")
        seen[name] = (float(raw["negative"]), float(raw["positive"]))
    missing = [f for f in FEATURES if f not in seen]
    if missing:
        raise LexiconError(f"{origin}: no weights for {', '.join(missing)}")
    return SentimentModel(
        version, (float(bias["negative"]), float(bias["positive"])), tuple((f, *seen[f]) for f in FEATURES)
    )


@lru_cache(maxsize=1)
def _model() -> SentimentModel:
    ref = resources.files("framing.measures") / "actors_data" / "sentiment_model.toml"
    return parse_model(ref.read_bytes(), origin="builtin:sentiment_model")


#: per-sentence valences, kept across batches (pure: same sentence, same result); cleared when full.
_VALENCE_CACHE: dict[str, tuple[tuple, tuple]] = {}


def _sentence_valences(text: str, lo: int, hi: int) -> tuple[tuple, tuple]:
    """VADER-lexicon words of text[lo:hi] with their valence in context, and the sentence's name runs.

    Returns ``(words, runs)`` as flat tuples of plain values (the cache then
    holds no nested containers for the garbage collector to walk):
    ``words = (word, start, end, valence, word, start, end, valence, ...)``
    and ``runs = (start, end, start, end, ...)``, offsets relative to ``lo``.
    Capitalised words inside the sentence (:func:`_name_words`) are blanked
    first, so "Hope Hicks" or "Grace" never carry valence. Memoised on the
    sentence's text (mentions of one sentence share it).
    """
    sent = text[lo:hi]
    out = _VALENCE_CACHE.get(sent)
    if out is not None:
        return out
    _, chars, runs = _muted_names(sent, names=False)  # memoised here, with the valences
    words: list = []
    found = _token_valences(chars)
    if found is not None:
        # the spans of word_valences(chars), each narrowed to its word (outer punctuation stripped)
        spaced, toks, hits, sentiments, punct = found
        find, n = spaced.find, len(spaced)
        pos = 0
        for i in hits:
            # Only the lexicon words are looked up, each from the end of the one before: the first place
            # there where its token stands whole (whitespace or the text's ends on both sides) is its own,
            # as an equal token between the two would be a lexicon word too (a token's lower-cased,
            # stripped form, which decides, depends on the token alone).
            tok = toks[i]
            size = len(tok)
            pos = find(tok, pos)
            while (pos and not spaced[pos - 1].isspace()) or (pos + size < n and not spaced[pos + size].isspace()):
                pos = find(tok, pos + 1)
            word = tok.strip(punct) or tok
            a = pos + tok.index(word)
            words += (word, a, a + len(word), float(sentiments[i]))
            pos += size
    if len(_VALENCE_CACHE) >= _SCORE_CACHE_MAX:
        _VALENCE_CACHE.clear()
    out = _VALENCE_CACHE[sent] = (tuple(words), runs)
    return out


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
#: after these (the last character before a capitalised word, spaces skipped) the word is not muted
_UNMUTED_AFTER = "“\"‘'(:—–-[.!?"
#: A capital letter not right after a letter, and the rest of its word (``[A-Z](?<![A-Za-z][A-Z])[A-Za-z'’-]*``),
#: with a named empty group matched when the word is muted by
#: what precedes it: the last non-whitespace character among the three before its capital (what
#: ``sent[a - 3 : a].rstrip()`` ends with; ``\s`` and str.rstrip strip the same characters) exists and is
#: not one of _UNMUTED_AFTER. The look-behinds cannot reach before the sentence, so its first word is never
#: muted. _muted_names itself asks the rest: a letter before apostrophes or hyphens, ALL CAPS.
_NOT_UNMUTED = rf"[^\s{re.escape(_UNMUTED_AFTER)}]"
_CAPITAL_MUTE = re.compile(
    rf"[A-Z](?<![A-Za-z][A-Z])"
    rf"(?:(?<={_NOT_UNMUTED}[A-Z])(?P<m1>)|(?<={_NOT_UNMUTED}\s[A-Z])(?P<m2>)|(?<={_NOT_UNMUTED}\s\s[A-Z])(?P<m3>))?"
    r"[A-Za-z'’-]*"
)


def _sentence_names(sent: str) -> tuple[tuple[int, int], ...]:
    """``_name_words(sent, 0, len(sent), 0, len(sent))``: the muted capitalised words of a whole sentence.

    One pass over _CAPITAL_MUTE (a pattern re can skip ahead on: it starts with a capital letter), each
    match standing for the _CAPSTART match at the same place unless apostrophes or hyphens after a
    letter precede it: every capitalised word counts for the headline rule, those after the sentence's
    first character with a muting character before them are kept.
    """
    return _muted_names(sent)[0]


def _muted_names(sent: str, names: bool = True) -> tuple[tuple[tuple[int, int], ...], str, tuple[int, ...]]:
    """``(names, blanked, runs)``: :func:`_sentence_names`, the sentence with those words turned into
    spaces (same length), and their name runs (:func:`_name_runs`, flat: start, end, start, end, ...),
    all three built in the one pass over the capitalised words. ``names=False`` (for
    :func:`_sentence_valences`, which reads the other two) leaves the names out: ``()``."""
    caps = 0
    out = []
    parts: list[str] = []  # the blanked sentence, up to the last name
    runs: list[int] = []
    pos = 0
    for m in _CAPITAL_MUTE.finditer(sent):
        if m.lastindex is None:  # not muted (the sentence's first word, or after a character of _UNMUTED_AFTER)
            a = m.start()
            if a and sent[a - 1] in "'’-" and _after_letter(sent, a - 2):
                continue  # a capital after apostrophes or hyphens counts only if no letter precedes them
            caps += 1
            continue
        a, b = m.span()
        if sent[a - 1] == "’" and _after_letter(sent, a - 2):  # "’" is the one of "'’-" not in _UNMUTED_AFTER
            continue
        caps += 1
        # (a word whose second letter is lower-case is not ALL CAPS: most names are told by that one character)
        if b - a > 1 and not "a" <= sent[a + 1] <= "z" and sent[a:b].isupper():
            continue  # ALL CAPS words are emphasis for VADER, or acronyms it does not know
        if names:
            out.append((a, b))
        gap = sent[pos:a]  # since the last muted word (pos is its end, runs[-1] too)
        parts += (gap, " " * (b - a))
        pos = b
        if runs and not gap.strip(" .’'s"):  # joined to the run before (_name_runs)
            runs[-1] = b
        else:
            runs += (a, b)
    # no muted word (each adds to runs; caps > 0 whenever runs is not empty), or a headline-case
    # sentence: nothing muted
    if not runs or _headline_case(sent, caps):
        return (), sent, ()
    parts.append(sent[pos:])
    return tuple(out), "".join(parts), tuple(runs)


#: whitespace before a lower-case letter: the start of a _CAPWORD word that does not start with a capital
_LOWER_START = re.compile(r"\s[a-z]")


def _headline_case(sent: str, caps: int) -> bool:
    """``caps * 2 > len(_CAPWORD.findall(sent))``: more than half of the sentence's words capitalised.

    ``caps`` is the number of those words whose first letter is a capital; every other word starts with a
    lower-case letter, and each whitespace followed by one starts a different such word. Finding ``caps``
    of those proves at least as many other words, so no more than half capitalised, usually within the
    sentence's first words; only otherwise are all the words counted.
    """
    search = _LOWER_START.search
    pos = 0
    for _ in range(caps):
        m = search(sent, pos)
        if m is None:
            return caps * 2 > len(_CAPWORD_COUNT.findall(sent))
        pos = m.end()
    return False


def _after_letter(sent: str, j: int) -> bool:
    """True when the run of apostrophes and hyphens ending at ``sent[j]`` (maybe empty) follows an ASCII letter."""
    while j >= 0 and sent[j] in "'’-":
        j -= 1
    return j >= 0 and sent[j] in _ASCII_LETTERS


def _name_between(text: str, runs: Sequence[int], s_lo: int, p: int, start: int, end: int) -> bool:
    """True when another name run (not touching the target: titles, first names) lies between p and the target.

    ``runs`` is flat, (start, end, start, end, ...), relative to the sentence start ``s_lo``.
    """
    for i in range(0, len(runs), 2):
        a, b = runs[i] + s_lo, runs[i + 1] + s_lo
        if p < a and b <= start and text[b:start].strip(" .’'s,"):
            return True
        if end <= a and b <= p and text[end:a].strip(" .’'s"):
            return True
    return False


def _group(a: int, start: int, end: int, lay: _Layout, runs: Sequence[int], text: str) -> str:
    """The group (see GROUPS) of a word starting at offset ``a``; ``runs`` the sentence's name runs."""
    holder = lay.holder
    if holder is not None and not holder[0] <= a < holder[1]:
        return "outside_quote"
    if lay.quotes and any(x <= a < y for x, y in lay.quotes):
        return "quoted"
    if lay.speaker and a >= end:
        return "speech"
    ca, cb = lay.clause
    if ca <= a < cb:
        if runs and _name_between(text, runs, lay.sentence[0], a, start, end):
            return "clause_past_name"
        return "clause_before" if a < start else "clause_after"
    wa, wb = lay.window
    return "window" if wa <= a < wb else "sentence"


def _evidence(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int] | None,
    quotes: Sequence[tuple[int, int]] | None,
    speaker: bool | None,
) -> tuple[_Layout, list[tuple[str, tuple[int, int], float, str]], RoleCue | None, tuple[int, int] | None]:
    """(layout, words with their groups, role cue, "than" span) for the target [start, end)."""
    lay = _layout(text, start, end, sentence, quotes, speaker)
    s_lo, s_hi = lay.sentence
    vals, runs = _sentence_valences(text, s_lo, s_hi)
    words = []
    for i in range(0, len(vals), 4):
        a, b = vals[i + 1] + s_lo, vals[i + 2] + s_lo
        if a < end and b > start:
            continue  # the target's own words never score it
        words.append((vals[i], (a, b), vals[i + 3], _group(a, start, end, lay, runs, text)))
    return lay, words, role_cue(text, start, end, s_lo, s_hi), _than(text, s_lo, start)


def _than(text: str, s_lo: int, start: int) -> tuple[int, int] | None:
    lo = max(s_lo, start - 40)
    if text.find("than", lo, start) < 0:
        return None
    m = _THAN.search(text, lo, start)
    return (m.start(), m.start() + 4) if m else None


def target_evidence(
    text: str,
    start: int,
    end: int,
    *,
    sentence: tuple[int, int] | None = None,
    quotes: Sequence[tuple[int, int]] | None = None,
    speaker: bool | None = None,
) -> Evidence:
    """The valence words around the target [start, end), each placed in a group, and the rules that fire.

    ``sentence``, ``quotes`` and ``speaker`` as in :func:`target_window` (found
    when not given). The target's own words never score it.
    """
    lay, words, role, than = _evidence(text, start, end, sentence, quotes, speaker)
    return Evidence(
        sentence=lay.sentence,
        region=lay.region,
        clause=lay.clause,
        window=lay.window,
        quotes=lay.quotes,
        speaker=lay.speaker,
        in_quote=lay.holder is not None,
        words=tuple(words),
        role=role,
        than=than,
    )


def contributions(
    evidence: Evidence, model: SentimentModel | None = None, *, reporter_only: bool = False
) -> tuple[Contribution, ...]:
    """Each valence word's and each rule's contribution to the two logits, in text order then rule order."""
    model = model or _model()
    out = []
    for word, span, v, group in () if evidence.role is not None else evidence.words:  # a role rule decides alone
        if not v or (reporter_only and group in QUOTED_GROUPS):
            continue
        feature = f"{group}_{'positive' if v > 0 else 'negative'}"
        wn, wp = model.weight(feature)
        out.append(Contribution(feature, word, span, v, v * wn, v * wp))
    for name, cue, span, value in evidence.rules():
        wn, wp = model.weight(name)
        out.append(Contribution(name, cue, span, value, value * wn, value * wp))
    return tuple(out)


def probabilities(
    parts: Sequence[Contribution], model: SentimentModel | None = None
) -> tuple[float, float, float]:
    """P(negative), P(neutral), P(positive): softmax of (bias + contributions, 0, bias + contributions)."""
    model = model or _model()
    zn, zp = model.bias
    for c in parts:
        zn += c.negative
        zp += c.positive
    return _softmax(zn, zp)


def _judge(probs: tuple[float, float, float]) -> tuple[float, str]:
    """(score, label): score = P(positive) - P(negative) rounded to 4 places; label = the most probable class."""
    pn, p0, pp = probs
    label = "negative" if pn > max(p0, pp) else "positive" if pp > max(p0, pn) else "neutral"
    return round(pp - pn, 4), label


def target_score(
    text: str,
    start: int,
    end: int,
    *,
    sentence: tuple[int, int] | None = None,
    quotes: Sequence[tuple[int, int]] | None = None,
    speaker: bool | None = None,
    reporter_only: bool = False,
) -> float | None:
    """The model's score toward [start, end) (P(positive) - P(negative)); None when the sentence has no other word.

    The same sums as :func:`contributions`, without building the explanation.
    ``reporter_only`` gives the reporter's voice, as the mentions frame reports
    it: the words of QUOTED_GROUPS (quoted speech, what a speaking target
    says), the words of a quote that names the target, and the ``speaker`` /
    ``in_quote`` rules (they say whose voice it is, not how the reporter
    treats the target) are left out, and the score is the shift from a target
    with no evidence at all (the biases alone), so a mention with no judging
    word and no role rule scores 0.0; clipped to [-1, 1]. A speaker with no
    word of the reporter's before it ("Smith said ...", "'...,' Smith said")
    is None: only its own voice is there.
    """
    lay = _layout(text, start, end, sentence, quotes, speaker, clauses=False)
    s_lo, s_hi = lay.sentence
    vals, runs = _sentence_valences(text, s_lo, s_hi)
    model = _model()
    gw = model.groups
    zn, zp = model.bias
    role = role_cue(text, start, end, s_lo, s_hi)
    other = False  # a word of the sentence besides the target
    for i in range(0, len(vals), 4):
        a, b = vals[i + 1] + s_lo, vals[i + 2] + s_lo
        if a < end and b > start:
            continue
        other = True
        v = vals[i + 3]
        if v and role is None:  # a role rule decides alone
            if lay.clause is None:  # clause and window only when a word needs them
                lay = _with_clauses(text, start, end, lay, sentence)
            group = _group(a, start, end, lay, runs, text)
            # the reporter's voice: not quoted speech, not a speaker's words, not the quote naming the target
            if not (reporter_only and (group in QUOTED_GROUPS or (lay.holder is not None and group != "outside_quote"))):
                wn, wp = gw[group][v < 0]
                zn += v * wn
                zp += v * wp
    if not other and not (_WORD.search(text, s_lo, start) or _WORD.search(text, end, s_hi)):
        return None
    if reporter_only and lay.speaker and not _reporter_words_before(text, s_lo, start, lay.quotes):
        return None  # a speaker with no word of the reporter's before it: nothing but its own voice
    w = model.index
    if reporter_only:
        rules = _rules(role, _than(text, s_lo, start), False, None)
    else:
        rules = _rules(role, _than(text, s_lo, start), lay.speaker, lay.holder)
    for name, _, _, value in rules:
        wn, wp = w[name]
        zn += value * wn
        zp += value * wp
    score = _judge(_softmax(zn, zp))[0]
    if reporter_only:
        score = round(max(-1.0, min(1.0, score - model.prior_score)), 4)
    return score


def reporter_scores(
    text: str,
    sentence: tuple[int, int],
    quotes: Sequence[tuple[int, int]],
    targets: Sequence[tuple[int, int, bool | None]],
) -> list[float | None]:
    """:func:`target_score` with ``reporter_only`` for several targets of one sentence, sharing its work.

    Each ``(start, end, speaker)`` of ``targets`` gets ``target_score(text, start,
    end, sentence=sentence, quotes=quotes, speaker=speaker, reporter_only=True)``:
    the same sums in the same order, so the same floats. What depends on the
    sentence alone (its quotes, valences, clauses and word counts) is computed
    once, and only when a target needs it (a sentence whose targets are all
    speakers without a word of the reporter's, or all decided by a role rule,
    is never run through VADER); a target outside the sentence or inside one
    of its quotes takes :func:`target_score` itself.
    """
    lo, hi = sentence
    spans = [(max(a, lo), min(b, hi)) for a, b in quotes if a < hi and b > lo]
    if SHORT_QUOTE_WORDS and spans:
        spans = [(a, b) for a, b in spans if not _scare_quote(text, a, b, lo)]
    runs = valued = first_word = last_word = None  # the sentence's valences, read when a target first needs them
    model = _model()
    gw, index, prior = model.groups, model.index, model.prior_score
    zn0, zp0 = model.bias
    exp = math.exp
    than = text.find("than", lo, hi) >= 0  # _than reads [lo, start): no "than" in the sentence, none there

    windows = _ClauseWindows(text, lo, hi)
    out: list[float | None] = []
    for start, end, speaker in targets:
        excluded: tuple[tuple[int, int], ...] = ()
        if start < lo or end > hi or (spans and _inside(spans, start, end) is not None):
            # outside the sentence or inside a quote: the general path
            out.append(
                target_score(text, start, end, sentence=sentence, quotes=quotes, speaker=speaker, reporter_only=True)
            )
            continue
        # A word before the target (the reporter's: outside the quotes). Whether the target speaks
        # (is_speaker, when not given) is asked only where it counts: without such a word (a speaker then
        # gets None), and for a valence word after the target (a speaker's words are left out).
        if spans:
            excluded = tuple(s for s in spans if not (s[0] < end and start < s[1]))
            reporter_before = _reporter_words_before(text, lo, start, excluded)
            word_before = reporter_before or _WORD.search(text, lo, start) is not None
        else:
            # _reporter_words_before(text, lo, start, ()) is this search
            word_before = reporter_before = _WORD.search(text, lo, start) is not None
        # Either test below gives None; the speaker's comes first, as it needs no valences (a sentence
        # whose targets are all such speakers is never scored).
        if not reporter_before:
            if speaker is None:
                speaker = is_speaker(text, start, end, lo, hi)
            if speaker:
                out.append(None)  # a speaker with no word of the reporter's before it: nothing but its own voice
                continue
        if not (word_before or _WORD.search(text, end, hi)):
            # no other word: None unless a lexicon word (a token _WORD misses) lies besides the target's own
            if valued is None:
                runs, valued, first_word, last_word = _valued_words(text, lo, hi)
            # the words are in order and do not overlap, so those overlapping the target are consecutive
            # and the first or the last word is another one if any is
            other = first_word is not None and (
                not (first_word[0] < end and first_word[1] > start) or not (last_word[0] < end and last_word[1] > start)
            )
            if not other:
                out.append(None)
                continue
        zn, zp = zn0, zp0
        role = role_cue(text, start, end, lo, hi)
        if role is None and valued is None:  # a role rule decides alone: the valences are not read
            runs, valued, first_word, last_word = _valued_words(text, lo, hi)
        if role is None and valued:
            clause = window = None
            for a, b, v in valued:
                if a < end and b > start:
                    continue  # the target's own words never score it
                # the reporter's voice: not quoted speech (group "quoted"), not a speaker's words ("speech")
                if excluded and any(x <= a < y for x, y in excluded):
                    continue
                if a >= end:
                    if speaker is None:
                        speaker = is_speaker(text, start, end, lo, hi)
                    if speaker:
                        continue  # a speaker's words
                if clause is None:  # clause and window only when a word needs them
                    clause = windows.clause(start, end)
                if clause[0] <= a < clause[1]:
                    if runs and _name_between(text, runs, lo, a, start, end):
                        group = "clause_past_name"
                    else:
                        group = "clause_before" if a < start else "clause_after"
                else:
                    if window is None:
                        window = windows.window(start, end, excluded, clause)
                    group = "window" if window[0] <= a < window[1] else "sentence"
                wn, wp = gw[group][v < 0]
                zn += v * wn
                zp += v * wp
        # the rules of the reporter's voice (_rules without "speaker" and "in_quote"), each of value 1.0
        if role is not None:
            sign = "negative" if role.effect < 0 else "positive" if role.effect > 0 else "neutral"
            wn, wp = index[f"{role.role}_of_{sign}_verb"]
            zn += 1.0 * wn
            zp += 1.0 * wp
        if than and _than(text, lo, start) is not None:
            wn, wp = index["after_than"]
            zn += 1.0 * wn
            zp += 1.0 * wp
        if zn == zn0 and zp == zp0:
            # nothing added to the biases (most often: no judging word, no rule): the shift from the
            # prior below is 0.0 (the same arithmetic as prior_score's)
            out.append(0.0)
            continue
        # _judge(_softmax(zn, zp))[0], shifted from the prior and clipped as in target_score
        top = max(zn, 0.0, zp)
        en, e0, ep = exp(zn - top), exp(-top), exp(zp - top)
        total = en + e0 + ep
        score = round(ep / total - en / total, 4)
        out.append(round(max(-1.0, min(1.0, score - prior)), 4))
    return out


def _valued_words(text: str, lo: int, hi: int) -> tuple[tuple, list, tuple[int, int] | None, tuple[int, int] | None]:
    """For :func:`reporter_scores`: the sentence's name runs, its lexicon words with a valence as
    ``(start, end, valence)`` in the text (muted words carry 0.0 and are left out), and the spans of its
    first and last lexicon words (None without any)."""
    vals, runs = _sentence_valences(text, lo, hi)
    valued = [(vals[i + 1] + lo, vals[i + 2] + lo, vals[i + 3]) for i in range(0, len(vals), 4) if vals[i + 3]]
    if not vals:
        return runs, valued, None, None
    return runs, valued, (vals[1] + lo, vals[2] + lo), (vals[-3] + lo, vals[-2] + lo)


class _ClauseWindows:
    """A sentence's clauses and word counts, for the clause and window of each target in it (as _with_clauses)."""

    __slots__ = ("text", "lo", "hi", "clauses", "counts")

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        self.clauses: tuple[tuple[int, int], ...] | None = None
        self.counts: dict[tuple[int, int], int] = {}

    def words(self, x: int, y: int) -> int:
        """``_words(text, x, y)``, memoised for the sentence (its targets share clause windows)."""
        if y <= x:
            return 0
        n = self.counts.get((x, y))
        if n is None:
            n = self.counts[(x, y)] = len(_WORD_COUNT.findall(self.text, x, y))
        return n

    def clause(self, start: int, end: int) -> tuple[int, int, int, int]:
        """The target's clause ``(a, b)`` and the indices ``k, k2`` of its first and last clause."""
        clauses = self.clauses
        if clauses is None:
            # _clauses(text, lo, hi), without its caches: clause k runs from the end of cut k to the start of cut k + 1
            lo, hi = self.lo, self.hi
            cuts = [lo]
            for m in _CLAUSE.finditer(self.text, lo, hi):
                cuts += m.span()
            cuts.append(hi)
            clauses = self.clauses = tuple(zip(cuts[::2], cuts[1::2]))
        last = len(clauses) - 1
        k = last
        for i, (a, b) in enumerate(clauses):
            if start < b or (start == a and b <= a):  # a <= start < max(b, a + 1) or start < b
                k = i
                break
        k2 = k
        while k2 < last and clauses[k2][1] < end:
            k2 += 1
        a, b = clauses[k][0], clauses[k2][1]
        return min(a, start), max(b, end), k, k2

    def window(
        self, start: int, end: int, excluded: Sequence[tuple[int, int]], found: tuple[int, int, int, int]
    ) -> tuple[int, int]:
        """The target's window: its clause (``found``, from :meth:`clause`) widened to MIN_WINDOW_WORDS words
        (region: the sentence; no NAME_CUT), as _with_clauses finds it."""
        a, b, k, k2 = found
        clauses = self.clauses
        last = len(clauses) - 1
        words = self.words
        own = words(start, end)

        def count(x: int, y: int) -> int:
            n = words(x, y) - own
            if excluded:
                n -= sum(words(max(p, x), min(q, y)) for p, q in excluded if p < y and q > x)
            return n

        min_words = MIN_WINDOW_WORDS
        left, right = k, k2
        while count(a, b) < min_words and (left > 0 or right < last):
            if right < last:
                right += 1
                b = clauses[right][1]
            if count(a, b) < min_words and left > 0:
                left -= 1
                a = clauses[left][0]
        return a, b


def _reporter_words_before(text: str, lo: int, start: int, quotes: Sequence[tuple[int, int]]) -> bool:
    """True when text[lo:start] has a word outside the quotes (the reporter's words around a speaker)."""
    pos = lo
    for a, b in sorted(quotes):
        if a >= start:
            break
        if a > pos and _WORD.search(text, pos, a):
            return True
        pos = max(pos, b)
    return pos < start and _WORD.search(text, pos, start) is not None


def _softmax(zn: float, zp: float) -> tuple[float, float, float]:
    top = max(zn, 0.0, zp)
    en, e0, ep = math.exp(zn - top), math.exp(-top), math.exp(zp - top)
    total = en + e0 + ep
    return en / total, e0 / total, ep / total


def _check_span(text: str, start: int, end: int) -> None:
    from framing.errors import InputError

    if not isinstance(text, str):
        raise InputError("target_sentiment needs the text as a string")
    if not (0 <= start <= end <= len(text)):
        raise InputError(f"span [{start}, {end}) is outside the text of {len(text)} characters")


def _rule_text(ev: Evidence) -> str:
    parts = []
    if ev.role is not None:
        parts.append(f"{ev.role.role} of '{ev.role.verb}' ({ev.role.family}, effect {ev.role.effect:+g})")
    if ev.than is not None:
        parts.append("after 'than': loses the comparison")
    if ev.speaker:
        parts.append("speaker: what follows is its voice")
    if ev.in_quote:
        parts.append("named inside quoted speech")
    return "; ".join(parts)


def explain_sentiment(text: str, start: int, end: int, *, neutral_band: float | None = None) -> Explanation:
    """Every step of the judgement on the span [start, end) of ``text``: words, groups, rules, weights, probabilities."""
    _check_span(text, start, end)
    model = _model()
    region, window, excluded = target_window(text, start, end)
    wtext, rtext = _cut(text, *window, excluded), _cut(text, *region, excluded)
    ws, rs = vader_compound([wtext, rtext])
    base = combine(ws, rs)
    ev = target_evidence(text, start, end)
    parts = contributions(ev, model)
    probs = probabilities(parts, model)
    score, label = _judge(probs)
    if neutral_band is not None:
        label = label_of(score, neutral_band)
    return Explanation(
        score=score,
        label=label,
        sentence=region,
        window=window,
        excluded=excluded,
        window_text=wtext,
        sentence_text=rtext,
        window_score=0.0 if ws is None else ws,
        sentence_score=0.0 if rs is None else rs,
        drivers=tuple((w, v) for w, _, v, _ in ev.words),
        neutral_band=neutral_band,
        vader_score=0.0 if base is None else base,
        role=ev.role,
        probabilities=tuple(round(p, 4) for p in probs),
        contributions=parts,
        bias=model.bias,
        rule=_rule_text(ev),
        evidence=ev,
        model_version=model.version,
    )


def target_sentiment(
    text: str, start: int, end: int, *, label: bool = False, neutral_band: float | None = None
) -> float | str:
    """Sentiment toward the span [start, end) of ``text``: a float in [-1, 1], or a label.

    The float is P(positive) - P(negative) under the weights of
    ``actors_data/sentiment_model.toml``; ``label=True`` returns "negative",
    "neutral" or "positive", the most probable class. With ``neutral_band``
    the label is instead "neutral" when ``|score| < neutral_band``, else the
    sign. See :func:`explain_sentiment` for the words behind a judgement.
    """
    exp = explain_sentiment(text, start, end, neutral_band=neutral_band)
    return exp.label if label else exp.score
