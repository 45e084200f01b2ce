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


# --------------------------------------------------------------------- actors.py: mention finder

import bisect
import re

from framing.measures.actors import (  # noqa: E402  (constants the old code read; unchanged)
    _PARTICLE, _ENTITY_LEAD, _HEADLINE_END, _HEADLINE_WORD, _HONORIFIC_BEFORE, _INITIAL, _MEMO_LIMIT, _NAME_LEAD,
    _NAME_SEQ_BODY, _OBJECT_PREPS, _PLACE_AFTER, _PLACE_PREPS, _PLACE_PREV, _ROLE_BEFORE,
    _SMALL_WORDS, _SPACES, _TOKEN_OR_PARTICLE, Gazetteer, _canonical_person, _role_noun_re,
    builtin_gazetteer,
)

_PARTICLE_RE = re.compile(_PARTICLE)
_SPACE_END = (" ", " \n")  # "[ ]+$" also matches before a final newline


def _scan(body: re.Pattern, lead: re.Pattern, text: str):
    """Matches of ``(?<!lead)body`` in text, in order, like ``finditer``.

    The look-behind is checked by hand: a leading look-behind stops ``re`` from
    skipping ahead to a possible first character, which made the gazetteer scan
    several times slower. A candidate failing the look-behind restarts the
    search one character later, so the matches are exactly the finditer ones.
    """
    pos, search = 0, body.search
    while True:
        m = search(text, pos)
        if m is None:
            return
        p = m.start()
        if p and lead.match(text, p - 1):
            pos = p + 1
            continue
        yield m
        pos = m.end()


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in headline case: most words capitalised and no closing punctuation."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        if not line or line.endswith(_HEADLINE_END):
            continue  # closing punctuation: neither headline rule can hold
        words = [w for w in _HEADLINE_WORD.findall(line) if w.lower() not in _SMALL_WORDS]
        if not words:
            continue
        caps = sum(w[0].isupper() for w in words)
        if (caps * 10 >= len(words) * 6) or (len(words) <= 12 and not line.endswith(":")):
            out.append((m.start(), m.end()))
    return out


def _memo(gaz: Gazetteer, name: str) -> dict:
    table = gaz.memo.get(name)
    if table is None or len(table) > _MEMO_LIMIT:
        table = gaz.memo[name] = {}
    return table


def _breaks_name(w: str, gaz: Gazetteer) -> bool:
    """A stop-word, nationality adjective, honorific, role noun or title: not part of a name run."""
    parts = w.split("-")
    return bool(
        w in gaz.stopwords
        or any(p in gaz.adjective_country or p in gaz.stopwords for p in parts)
        or w.rstrip(".") in gaz.honorifics
        or w.lower() in gaz.role_nouns
        or gaz.title_re.match(w + " ")
    )


def _name_runs(seq: str, gaz: Gazetteer) -> tuple:
    """Candidate name runs inside one capitalised sequence: ((rel_start, rel_end, words, real_words), ...).

    A pure function of the sequence string, memoised per gazetteer.
    """
    table = _memo(gaz, "runs")
    hit = table.get(seq)
    if hit is not None:
        return hit
    run: list[tuple[int, int, str]] = []
    runs = []
    for t in _TOKEN_OR_PARTICLE.finditer(seq):
        if _breaks_name(t.group(0), gaz):
            if run:
                runs.append(run)
            run = []
        else:
            run.append((t.start(), t.end(), t.group(0)))
    if run:
        runs.append(run)
    out = []
    for run in runs:
        while run and (_PARTICLE_RE.fullmatch(run[0][2]) or _INITIAL.match(run[0][2]) and len(run) == 1):
            run = run[1:]
        while run and _PARTICLE_RE.fullmatch(run[-1][2]):
            run = run[:-1]
        if not run:
            continue
        words = tuple(w for _, _, w in run)
        if any(w in gaz.org_words for w in words) or len(words) > 4:
            continue
        real = tuple(w for w in words if not _INITIAL.match(w))
        out.append((run[0][0], run[-1][1], words, real))
    table[seq] = hit = tuple(out)
    return hit


def _entity_matches(text: str, gaz: Gazetteer):
    if gaz.entity_body is None:
        return gaz.entity_re.finditer(text)
    return _scan(gaz.entity_body, _ENTITY_LEAD, text)


def find_document_mentions(text: str, gaz: Gazetteer | None = None) -> list[dict]:
    """Actor mentions of one document (sequential rules over one text; see module docstring).

    Each mention: start, end, surface, actor, actor_type, resolution. One regex
    pass over the document for gazetteer entities and one for capitalised
    sequences; per-sequence work is memoised on the gazetteer.
    """
    gaz = gaz or builtin_gazetteer()
    found: list[dict] = []
    masked_parts: list[str] = []
    masked_pos = 0

    # 1. organisations and places from the gazetteer (longest form wins)
    for m in _entity_matches(text, gaz):
        s0, e0, form = m.start(), m.end(), m.group(0)
        name, kind = gaz.entity_of[form] if form in gaz.entity_of else gaz.entity_of[_SPACES.sub(" ", form)]
        masked_parts.append(text[masked_pos:s0])
        masked_parts.append("_" * (e0 - s0))
        masked_pos = e0
        if kind == "place":
            am = _PLACE_AFTER.match(text[e0 : e0 + 30])
            if not am or not (am.group(1) or am.group(2) in gaz.agent_verbs):
                continue
            prev = _PLACE_PREV.search(text[max(0, s0 - 20) : s0])
            blocked = _PLACE_PREPS if am.group(1) else _PLACE_PREPS | _OBJECT_PREPS
            if prev and prev.group(1).lower() in blocked:
                continue  # "in Ukraine is", "talks with the US had": a location, not an actor
        found.append(dict(start=s0, end=e0, actor=name, actor_type=kind, resolution="exact" if name == form else "alias"))
    masked_parts.append(text[masked_pos:])
    masked_text = "".join(masked_parts)

    # 2. people: capitalised sequences -> name runs (start, end, words, real words)
    candidates = []
    for m in _scan(_NAME_SEQ_BODY, _NAME_LEAD, masked_text):
        base = m.start()
        for ra, rb, words, real in _name_runs(m.group(0), gaz):
            candidates.append((base + ra, base + rb, words, real))

    canon = _memo(gaz, "canon")
    full_names: dict[str, list[tuple[int, str]]] = {}  # surname -> [(pos, canonical)]
    persons = []
    for a, b, words, real in candidates:
        if len(real) >= 2:
            hit = canon.get(words)
            if hit is None:
                hit = canon[words] = _canonical_person(words, gaz)
            name, changed = hit
            persons.append((a, b, words, name, "variant" if changed else ("exact" if name == text[a:b] else "alias")))
            full_names.setdefault(name.split()[-1], []).append((a, name))
    role_re = _role_noun_re(gaz.role_nouns)
    for a, b, words, real in candidates:
        if len(real) != 1:
            continue
        token = real[0]
        variant = gaz.variants.get(token, token)
        before = text[max(0, a - 40) : a]
        spaced = before.endswith(_SPACE_END)  # every cue pattern ends in "[ ]+$"
        hon = _HONORIFIC_BEFORE.search(before) if spaced else None
        start = a - len(hon.group(0)) if hon else a
        if variant in full_names:
            prior = [n for p, n in full_names[variant] if p < a] or [n for _, n in full_names[variant]]
            persons.append((start, b, words, prior[-1], "surname"))
        elif variant in gaz.people:
            persons.append((start, b, words, gaz.people[variant], "alias"))
        elif hon or (spaced and (gaz.title_re.search(before) or role_re.search(before))):
            persons.append((start, b, words, variant, "variant" if variant != token else ("exact" if start == a else "alias")))
    for a, b, words, name, res in persons:
        found.append(dict(start=a, end=b, actor=name, actor_type="person", resolution=res))

    # 3. role phrases learned from appositions ("Russian President Vladimir Putin")
    learned: dict[tuple[str, str], set[str]] = {}
    adjectives = _memo(gaz, "adjectives").get("all") or _memo(gaz, "adjectives").setdefault("all", tuple(sorted(gaz.adjective_country)))
    for a, b, words, name, res in persons:
        if len(name.split()) < 2:
            continue
        before = text[max(0, a - 60) : a]
        if not any(adj in before for adj in adjectives):
            continue  # the apposition needs a nationality adjective
        tm = _ROLE_BEFORE.search(before)
        if not tm:
            continue
        adj, title = tm.group(1), tm.group(2).lower()
        country = gaz.adjective_country.get(adj)
        if country is None:
            continue
        head = next((h for h in gaz.role_heads if title == h or title.endswith(" " + h)), None)
        if head is None:
            continue
        keys = {(adj.lower(), head), (adj.lower(), "leader")}
        if head in ("president", "prime minister", "chancellor", "premier"):
            for seat, c in gaz.seats.items():
                if c == country:
                    keys |= {(seat.lower(), "leader"), (seat.lower(), "chief"), (seat.lower(), head)}
        for k in keys:
            learned.setdefault(k, set()).add(name)
    if learned:
        heads = "|".join(sorted({h for _, h in learned}, key=len, reverse=True))
        mods = "|".join(sorted({re.escape(m) for m, _ in learned}, key=len, reverse=True))
        for m in re.finditer(rf"\b[Tt]he\s+({mods})\s+({heads})\b", text, flags=re.IGNORECASE):
            key = (m.group(1).lower(), m.group(2).lower())
            names = learned.get(key, set())
            if len(names) == 1:
                found.append(dict(start=m.start(), end=m.end(), actor=next(iter(names)), actor_type="person", resolution="role"))

    # 4. overlaps: the longest span wins; headline lines keep only actors found in the body
    return resolve_overlaps(text, found)


def resolve_overlaps(text: str, found: list[dict]) -> list[dict]:
    """Final mention list of a document (shared by every backend): overlapping
    spans keep the longest (then earliest, then by actor name), mentions on
    headline-case lines are kept only for actors also found in the body, and
    each gets its ``surface``."""
    found = sorted(found, key=lambda d: (d["start"], -(d["end"] - d["start"]), d["actor"]))
    kept, last_end = [], -1
    for d in found:
        if d["start"] >= last_end:
            kept.append(d)
            last_end = d["end"]
    heads = _headline_lines(text)
    if heads:
        h_starts = [a for a, _ in heads]  # sorted, disjoint lines

        def in_head(d):
            k = bisect.bisect_right(h_starts, d["start"]) - 1
            return k >= 0 and d["start"] < heads[k][1]

        flags = [in_head(d) for d in kept]
        body = {d["actor"] for d, h in zip(kept, flags) if not h}
        kept = [d for d, h in zip(kept, flags) if not h or d["actor"] in body]
    for d in kept:
        d["surface"] = text[d["start"] : d["end"]]
    return kept


# --------------------------------------------------------------------- sentiment.py: role rules


def _role_patterns():
    """(passive, agent) as they were compiled before: the verb forms as one flat alternation."""
    from framing.measures.sentiment import _AUX, _role_lexicon

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


def _before_roles(text: str, lo: int, start: int):
    from framing.measures.sentiment import _PRE_TOKEN, _nameish, _role_lexicon

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


def role_cue(text: str, start: int, end: int, lo: int, hi: int):
    from framing.measures.sentiment import RoleCue, _role_lexicon

    lex = _role_lexicon()
    passive, agent = _role_patterns()
    found = []
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

_CLAUSE = re.compile(
    r"\s*[,;:()\[\]—–]\s*|\s+-{1,2}\s+|\s+(?:but|while|although|though|whereas|because|however|yet|as)\s+",
    re.IGNORECASE,
)


# --------------------------------------------------------------------- text/quotes.py


_PARAGRAPH = re.compile(r"[^\n]+")
_MARKS = re.compile(r"''|``|[“”\"«»„‘’']")
_ELISION = re.compile(r"(?:\d0s|\d\d\b|em\b|tis\b|twas\b|n\b|cause\b|til\b|bout\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?…][”\"’']?\s+")
_STRIP = re.compile(r"\S(?:.*\S)?", re.S)

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _STRIP.search(text, start, end)
    return m.span() if m else None


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Quoted-speech content spans ``(start, end, closed)`` over ``text``, in order.

    ``start:end`` is the text inside the marks, stripped of whitespace;
    ``closed`` is true when a closing mark ends the span.
    """
    out: list[tuple[int, int, bool]] = []
    if not text:
        return out
    for para in _PARAGRAPH.finditer(text):
        _paragraph_spans(text, para.start(), para.end(), out)
    return _disjoint(out)


def _disjoint(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Spans in order, none overlapping: an unmatched closing mark can reach back
    over a span already found; the earlier, longer span wins."""
    kept: list[tuple[int, int, bool]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1], not s[2])):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _paragraph_spans(text: str, p_start: int, p_end: int, out: list[tuple[int, int, bool]]) -> None:
    dq: int | None = None  # content start of the open double quote
    sq: int | None = None  # content start of the open top-level single quote
    last_close = p_start  # end of the last emitted closing mark

    def emit(start: int, end: int, closed: bool) -> None:
        span = _strip(text, start, end)
        if span:
            out.append((span[0], span[1], closed))

    for m in _MARKS.finditer(text, p_start, p_end):
        i = m.start()
        c = m.group()
        width = len(c)
        if c == "``":
            c = "“"
        elif c == "''":
            c = '"'  # two apostrophes: a straight double quote (older newswire style)
        prev = text[i - 1] if i > p_start else " "
        nxt = text[i + width] if i + width < p_end else " "
        if c in _OPEN_DOUBLE or (c == '"' and dq is None and not (nxt.isspace() and not prev.isspace())):
            if dq is not None:
                emit(dq, i, False)
            sq = None
            dq = i + width
        elif c in _CLOSE_DOUBLE or c == '"':
            if dq is not None:
                emit(dq, i, True)
                dq = None
                sq = None
                last_close = i + width
            elif c == "”" and not nxt.isspace() and nxt.isalnum() and prev.isspace():
                dq = i + 1  # a closing mark typed as an opener
            else:
                # stray closer: the quote began at the start of its sentence
                start = max(last_close, p_start)
                for s in _SENTENCE_END.finditer(text, start, i):
                    if s.end() < i:
                        start = s.end()
                emit(start, i, False)
                last_close = i + width
        elif dq is not None:
            continue  # single marks inside a double quote belong to its content
        elif c == "‘" or (c == "'" and not prev.isalnum()):
            if c == "'" and not (nxt.isalpha() or nxt.isdigit()):
                continue
            if _ELISION.match(text, i + 1, p_end):
                continue
            if sq is None:
                sq = i + 1
        else:  # ’ or ' after a letter/digit or punctuation
            if prev.isalnum() and nxt.isalpha():
                continue  # don’t, Russia’s
            if sq is not None and not prev.isspace() and i > sq:
                emit(sq, i, True)
                sq = None
                last_close = i + 1
    if dq is not None:
        emit(dq, p_end, False)

_SPEAKER_AFTER = re.compile(
    r"\s*(?:,[^,]{1,60},\s*)?(?:\w+\s+){0,1}(?:said|says|say|told|tells|argued|argues|added|adds|stated|states|wrote|"
    r"writes|noted|notes|explained|explains|claimed|claims|insisted|insists|asked|asks|announced|announces|declared|"
    r"declares|warned|warns|replied|answered|responded|recalled|acknowledged|maintained|contended|suggested|tweeted|"
    r"posted)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------- compare/align.py: sentence alignment
# (main at 5933381: every sentence pair scored one call at a time, the DP over NumPy cells)

import numpy as np  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from framing.compare.align import GAP_MAX, GAP_THRESHOLD, MOVED_THRESHOLD, PAIR_THRESHOLD, Alignment, Pair, _kind, _sentence_spans, _surface, content_stems, normalise  # noqa: E402,F401


class _Scorer:
    """Similarity of sentences and of consecutive pairs of sentences."""

    def __init__(self, a_sents: list[str], b_sents: list[str]):
        self.a_sents, self.b_sents = a_sents, b_sents
        self.a_stems = [content_stems(s) for s in a_sents]
        self.b_stems = [content_stems(s) for s in b_sents]
        docs = [" ".join(s) for s in self.a_stems + self.b_stems]
        if any(docs):
            vec = TfidfVectorizer(analyzer=str.split, lowercase=False, sublinear_tf=True, norm=None)
            m = vec.fit_transform(docs).toarray()
        else:
            m = np.zeros((len(docs), 1))
        self.a_vec = m[: len(a_sents)]
        self.b_vec = m[len(a_sents) :]

    @staticmethod
    def _cos(u: np.ndarray, v: np.ndarray) -> float:
        nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
        return 0.0 if nu == 0 or nv == 0 else float(u @ v) / (nu * nv)

    def score(self, ai: tuple[int, ...], bj: tuple[int, ...]) -> float:
        if len(ai) == len(bj) == 1 and normalise(self.a_sents[ai[0]]) == normalise(self.b_sents[bj[0]]):
            return 1.0
        u = sum(self.a_vec[i] for i in ai)
        v = sum(self.b_vec[j] for j in bj)
        cos = self._cos(u, v)
        sa = [w for i in ai for w in self.a_stems[i]]
        sb = [w for j in bj for w in self.b_stems[j]]
        if min(len(set(sa)), len(set(sb))) >= 4:
            # token-set agreement, scaled by the shorter side's coverage so a
            # short sentence does not match every long one containing its words
            inter = len(set(sa) & set(sb))
            ratio = fuzz.token_sort_ratio(" ".join(sorted(set(sa))), " ".join(sorted(set(sb)))) / 100
            dice = 2 * inter / (len(set(sa)) + len(set(sb)))
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
        sim = np.array([[sc.score((i,), (j,)) for j in range(m)] for i in range(n)])
        pairs = _dp(range(n), range(m), sim, sc.score, threshold)
        pairs = _fill_gaps(pairs, n, m, sim, sc)
        pairs += _moved(sim, pairs, moved_threshold)
        pairs = [
            Pair(p.a, p.b, p.similarity, _kind(" ".join(a_sents[i] for i in p.a), " ".join(b_sents[j] for j in p.b)), p.moved)
            for p in pairs
        ]
        pairs.sort(key=lambda p: (p.b[0], p.a[0]))
    return Alignment(a_text, b_text, tuple(a_spans), tuple(b_spans), tuple(pairs))


def _dp(rows: range, cols: range, sim: np.ndarray, score, threshold: float) -> list[Pair]:
    """Order-preserving alignment of sentences ``rows`` (A) and ``cols`` (B)
    maximising the sum of (similarity - threshold); 1-1, 2-1 and 1-2 steps."""
    i0, j0 = rows.start, cols.start
    n, m = len(rows), len(cols)
    best = np.zeros((n + 1, m + 1))
    back: dict[tuple[int, int], tuple[int, int, float, float]] = {}

    def pair_sim(ia: int, ib: int, ja: int, jb: int) -> float | None:
        if ib - ia == 1 and jb - ja == 1:
            return float(sim[i0 + ia, j0 + ja])
        single = float(sim[i0 + ia : i0 + ib, j0 + ja : j0 + jb].max())
        if single < threshold * 0.7:
            return None  # neither part resembles the other side
        s = score(tuple(range(i0 + ia, i0 + ib)), tuple(range(j0 + ja, j0 + jb)))
        return s if s > single + 0.02 else None  # a merge must beat its best single pair

    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            cands = []
            if i > 0:
                cands.append((best[i - 1, j], 0, i - 1, j, -1.0))
            if j > 0:
                cands.append((best[i, j - 1], 0, i, j - 1, -1.0))
            for di, dj in ((1, 1), (2, 1), (1, 2)):
                if i >= di and j >= dj:
                    s = pair_sim(i - di, i, j - dj, j)
                    if s is not None and s > threshold:
                        cands.append((best[i - di, j - dj] + s - threshold, 1, i - di, j - dj, s))
            # higher total first; then a pair over a skip; then fixed index order
            v, _, pi, pj, s = max(cands, key=lambda c: (round(c[0], 9), c[1], -c[2], -c[3]))
            best[i, j] = v
            back[(i, j)] = (pi, pj, s, v)
    out = []
    i, j = n, m
    while i > 0 or j > 0:
        pi, pj, s, _ = back[(i, j)]
        if s >= 0 and i > pi and j > pj:
            out.append(Pair(tuple(range(i0 + pi, i0 + i)), tuple(range(j0 + pj, j0 + j)), s, "", False))
        i, j = pi, pj
    out.reverse()
    return out


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
                a = " ".join(sc.a_sents[i] for i in ai)
                b = " ".join(sc.b_sents[j] for j in bj)
                return max(sc.score(ai, bj), _surface(a, b))

            local = np.array([[score((i,), (j,)) for j in range(m)] if a_lo <= i < a_hi else [0.0] * m for i in range(n)])
            out += _dp(range(a_lo, a_hi), range(b_lo, b_hi), local, score, GAP_THRESHOLD)
    return out


def _moved(sim: np.ndarray, pairs: list[Pair], threshold: float) -> list[Pair]:
    """Pairs among unaligned sentences that cross the monotone order (greedy, best first)."""
    used_a = {i for p in pairs for i in p.a}
    used_b = {j for p in pairs for j in p.b}
    cands = sorted(
        ((float(sim[i, j]), i, j) for i in range(sim.shape[0]) if i not in used_a for j in range(sim.shape[1]) if j not in used_b and sim[i, j] >= threshold),
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
