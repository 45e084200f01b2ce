"""Actors: who is named, who speaks, and how the reporter's own words treat them.

No model is downloaded. Mentions come from capitalised-sequence rules and a
gazetteer (``actors_data/gazetteer.toml``: honorifics, titles, role nouns,
nationality adjectives, stop-words, organisations, countries and capitals,
spelling variants, well-known people). Precision matters more than recall:

* **Organisations** (NATO, the CIA, the Kremlin, Hamas …) are matched from the
  gazetteer only; unknown capitalised sequences holding an organisation word
  ("Court", "Institute", "News" …) are dropped, not guessed.
* **Countries and capitals** (Russia, Kyiv/Kiev, Washington …) count as actors
  only where they act: followed by a possessive or by a verb from the
  gazetteer's ``agent_verbs`` ("Russia has", "Moscow said", "Kyiv's fight").
* **People**: a sequence of two or more capitalised name tokens ("Vladimir V.
  Putin", "Bashar al-Assad") after stripping stop-words (sentence openers,
  months, days, nationality and party adjectives) and titles; a single token
  only after an honorific ("Mr. Putin"), after a title or role noun
  ("spokesman Peskov", "President Assad"), as the surname of a full name in
  the same document, or as a well-known surname from the gazetteer.
* **Headline-case lines** (most words capitalised, no closing punctuation)
  only keep actors also found in the body: no headline fragments.

Alias resolution (``resolution`` column; ``surface`` always keeps the words):
``exact`` (surface is the canonical name), ``alias`` (initials or honorific
dropped, a gazetteer form such as Nato -> NATO, or a well-known surname such as
Putin -> Vladimir Putin), ``variant`` (a spelling variant: Zelenskyy ->
Zelensky), ``surname`` (surname of a full name in the same document),
``role`` (a role phrase learned from an apposition in the same document:
"Russian President Vladimir Putin" teaches "the Russian president", "the
Russian leader", "the Kremlin leader"), ``file`` (the user's actors file).
Canonical names depend on the text only, so batches agree;
:func:`merge_aliases` unifies surname-only actors with full names across a
corpus.

Roles: ``speaker`` (the mention is the source of an attribution in the
quotes ledger), ``target`` (outside quoted speech), ``other`` (inside quoted
speech). Sentiment: see :mod:`framing.measures.sentiment`; ``sentiment`` is
:func:`~framing.measures.sentiment.target_score` with ``reporter_only``: how far
the reporter's own words around the mention and the role rules move the
model's P(positive) - P(negative) from no evidence (quoted speech and what a
speaker says left out; 0.0 with no judging word; null inside quotes, in a
sentence with no other word, and for a speaker with no word of the reporter's
before it), ``quoted_sentiment`` the mean VADER compound of what a speaker
mention is quoted saying.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import polars as pl

from framing import schema
from framing.config import AnalysisConfig
from framing.errors import LexiconError
from framing.measures import sentiment as sent
from framing.text.patterns import trie_regex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ACTOR_TYPES = ("person", "organization", "place")
RESOLUTIONS = ("exact", "alias", "variant", "surname", "role", "file")

_TOKEN = r"(?:[A-Z][a-z]+(?:-[A-Za-z]+)*(?:['’](?!s\b)[A-Za-z]+)?|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.|al-[A-Z][a-z]+)"
_PARTICLE = r"(?:bin|ibn|van|von|de|da|del|der|al|la|le|el|dos|du)"
_FORM_SPACE = r"\s+"  # a space inside a multiword gazetteer form
_NAME_BODY = rf"{_TOKEN}(?:[ ]+(?:{_PARTICLE}[ ]+)?{_TOKEN})*(?!\w|['’](?!s\b)\w)"
_NAME_SEQ = re.compile(rf"(?<![\w.’'-]){_NAME_BODY}")
# The same pattern without its leading look-behind (which stops re from skipping ahead to a
# possible first character); _scan() applies the look-behind by hand: identical matches.
_NAME_SEQ_BODY = re.compile(_NAME_BODY)
_NAME_LEAD = re.compile(r"[\w.’'-]")
# _NAME_SEQ_BODY split by its first character (see _scan_names): a capital letter, or "al-"
# (the look-ahead after the spaces only says early what the particle or token after them needs: a
# capital letter or the first letter of a particle or of "al-")
_NAME_TAIL = rf"(?:[ ]+(?=[A-Zabdeilv])(?:{_PARTICLE}[ ]+)?{_TOKEN})*(?!\w|['’](?!s\b)\w)"
_NAME_BODY_UPPER = re.compile(
    rf"(?:[A-Z][a-z]+(?:-[A-Za-z]+)*(?:['’](?!s\b)[A-Za-z]+)?|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.){_NAME_TAIL}"
)
_NAME_BODY_AL = re.compile(rf"al-[A-Z][a-z]+{_NAME_TAIL}")
# _NAME_SEQ for a text without "al-": the capital-led alternatives with the look-behind moved after
# the first capital (``(?<![\w.’'-][A-Z])`` there says what ``(?<![\w.’'-])`` says before it), so the
# pattern starts with a character class and re skips ahead to a capital letter.
_NAME_SEQ_UPPER = re.compile(
    rf"[A-Z](?<![\w.’'-][A-Z])(?:[a-z]+(?:-[A-Za-z]+)*(?:['’](?!s\b)[A-Za-z]+)?|[a-z]*[A-Z][a-z]+|\.){_NAME_TAIL}"
)
_ENTITY_LEAD = re.compile(r"[\w.-]")
_TOKEN_OR_PARTICLE = re.compile(rf"{_TOKEN}|{_PARTICLE}")
_PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))  # the words of _PARTICLE
_TOKEN_RE = re.compile(_TOKEN)
_ROLE_BEFORE = re.compile(r"(?:^|[^\w])([A-Z][\w.]*(?:[ ]+[A-Z][\w.]*)?)[ ]+((?:[A-Z][a-z]+[ ]+){0,2}[A-Za-z]+)[ ]+$")
_PLACE_AFTER = re.compile(r"(['’]s\b)|\s+([a-z]+)\b")
_PLACE_PREV = re.compile(r"([A-Za-z]+)\s+(?:the\s+)?$")
_SPACES = re.compile(r"\s+")
_WHITESPACE = re.compile(r"\s")
_SOURCE_LEAD = re.compile(r"\s*(?:[Tt]he\s+)?")
_HEADLINE_END = (".", "!", "?", '"', "”")
_MEMO_LIMIT = 1 << 16  # entries of one memo of the gazetteer before it starts again (people: ~0.4 KB each)
_INITIAL = re.compile(r"^[A-Z]\.$")
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady)\.?[ ]+$")
#: the words of _HONORIFIC_BEFORE: text before a name can match it only if it ends in one (then ".", spaces).
_HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Lord", "Lady")
_HEADLINE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PLACE_PREPS = frozenset("in on at from into with across throughout inside within near over".split())
_OBJECT_PREPS = frozenset("to about for against of by defeating".split())
_SMALL_WORDS = frozenset("a an the of in on at to for and or but with by from as is vs".split())
#: _SMALL_WORDS in every mix of upper and lower case ("The", "THE", "tHe" ...)
_SMALL_WORDS_ANY_CASE = frozenset(
    "".join(cs) for w in _SMALL_WORDS for cs in itertools.product(*({c, c.upper()} for c in w))
)


# --------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class Gazetteer:
    honorifics: frozenset[str]
    title_re: re.Pattern
    role_nouns: frozenset[str]
    role_heads: tuple[str, ...]
    adjective_country: dict
    seats: dict
    stopwords: frozenset[str]
    org_words: frozenset[str]
    agent_verbs: frozenset[str]
    entity_re: re.Pattern
    entity_of: dict
    variants: dict
    people: dict
    #: entity_re without its leading look-behind (see _scan); None for hand-built gazetteers.
    entity_body: re.Pattern | None = None
    #: the last word of each title form: text before a name can match title_re only if it ends in one
    #: (then spaces); None for hand-built gazetteers (title_re is then always asked).
    title_tails: tuple[str, ...] | None = None
    #: the title forms of one word: for a word without whitespace, ``title_re.match(word + " ")`` holds
    #: exactly when the word is one of them; None for hand-built gazetteers.
    title_words: frozenset[str] | None = None
    #: per-gazetteer memo of pure functions of a word or name sequence (speed only; bounded).
    memo: dict = field(default_factory=dict, compare=False, repr=False)


def _forms_regex(forms) -> str:
    forms = sorted(set(forms), key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)


def parse_gazetteer(data: bytes, origin: str) -> Gazetteer:
    """Validate the gazetteer TOML (see actors_data/gazetteer.toml); raise LexiconError with one sentence."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{origin}: not a valid UTF-8 TOML gazetteer ({exc})") from None
    try:
        titles = list(doc["titles"]["forms"])
        honorifics = list(doc["honorifics"]["forms"])
        entity_of: dict[str, tuple[str, str]] = {}
        for kind, key in (("organization", "organization"), ("place", "place")):
            for i, ent in enumerate(doc[key], 1):
                name, forms = str(ent["name"]).strip(), [str(f) for f in ent["forms"]]
                if not name or not forms:
                    raise LexiconError(f"{origin}: {key} {i} needs a name and at least one form")
                for f in forms:
                    if f in entity_of:
                        raise LexiconError(f"{origin}: form {f!r} is listed twice")
                    entity_of[f] = (name, kind)
        adjective_country, seats = {}, {}
        for nat in doc["nationality"]:
            for adj in nat["adjective"]:
                adjective_country[adj] = nat["country"]
            for seat in nat.get("seat", []):
                seats[seat] = nat["country"]
    except KeyError as exc:
        raise LexiconError(f"{origin}: missing section or field {exc.args[0]!r}") from None
    canon_entities = "|".join(
        re.escape(f).replace(r"\ ", r"\s+") for f in sorted(entity_of, key=lambda f: (-len(f), f))
    )
    return Gazetteer(
        honorifics=frozenset(h.rstrip(".") for h in honorifics),
        title_re=re.compile(rf"(?:{_forms_regex(titles)})[ ]+$"),
        role_nouns=frozenset(doc["titles"].get("role_nouns", [])),
        role_heads=tuple(doc.get("roles", {}).get("heads", ["president", "leader"])),
        adjective_country=adjective_country,
        seats=seats,
        stopwords=frozenset(doc["stopwords"]["words"]),
        org_words=frozenset(doc["stopwords"].get("org_words", [])),
        agent_verbs=frozenset(doc["stopwords"].get("agent_verbs", [])),
        entity_re=re.compile(rf"(?<![\w.-])(?:{canon_entities})(?![\w-]|\.\w)"),
        entity_body=re.compile(rf"(?:{trie_regex(entity_of, space=_FORM_SPACE)})(?![\w-]|\.\w)"),
        title_tails=tuple(sorted({t.split()[-1] for t in titles if t.split()})),
        title_words=frozenset(t for t in titles if t and not any(c.isspace() for c in t)),
        entity_of=entity_of,
        variants=dict(doc.get("variants", {})),
        people=dict(doc.get("people", {})),
    )


@lru_cache(maxsize=4)
def _role_noun_re(role_nouns: frozenset[str]) -> re.Pattern:
    """``\\b(role noun)[ ]+$``: a role noun right before a name ("spokesman Peskov")."""
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(role_nouns)))})[ ]+$")


def _cue_tails(gaz: Gazetteer) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(title tails, role nouns as a tuple): what the text before a name must end with for title_re / role_re."""
    table = _memo(gaz, "cue_tails")
    hit = table.get("tails")
    if hit is None:
        hit = table["tails"] = (gaz.title_tails, tuple(sorted(gaz.role_nouns)))
    return hit


def _apposition_cues(gaz: Gazetteer) -> tuple[re.Pattern, tuple[str, ...], int]:
    """(any nationality adjective as a substring, the role heads' last words, how many characters
    of the text before a name decide whether it ends with one of them) for the apposition rule.

    The pattern is one search instead of a test per adjective. A head matches a lower-cased title
    that equals it or ends with " " + head, so the text before the name, trailing spaces and newline
    stripped and lower-cased, ends with the head's last word (what follows its last space) whenever
    the rule can hold. For ASCII last words, as many characters of that text as the longest has
    decide: ``lower()`` maps each character on its own to one or more (only the final-sigma rule
    looks at neighbours, and it yields no ASCII), so the last n characters lower-cased end the
    lower-cased text and are at least n long. Other last words are tested on all 60 characters
    (the whole text the rule reads).
    """
    table = _memo(gaz, "adjectives")
    hit = table.get("cues")
    if hit is None:
        forms = sorted(gaz.adjective_country, key=lambda f: (-len(f), f))
        adjectives = re.compile("|".join(map(re.escape, forms)) or "(?!)")
        tails = tuple(sorted({h[h.rfind(" ") + 1 :] for h in gaz.role_heads}))
        tail_len = max(map(len, tails), default=0) if all(t.isascii() for t in tails) else 60
        hit = table["cues"] = (adjectives, tails, tail_len)
    return hit


@lru_cache(maxsize=1)
def builtin_gazetteer() -> Gazetteer:
    ref = resources.files("framing.measures") / "actors_data" / "gazetteer.toml"
    return parse_gazetteer(ref.read_bytes(), origin="builtin:actor_gazetteer")


# --------------------------------------------------------------------- actors file


@dataclass(frozen=True)
class ActorEntry:
    name: str
    type: str
    aliases: tuple[str, ...]


def parse_actors_file(data: bytes, origin: str) -> tuple[ActorEntry, ...]:
    """Validate an actors file (see seeds/actors.toml); raise LexiconError with one sentence."""
    from framing.lexicons import read_toml

    doc = read_toml(data, origin, "actors")
    head = doc.get("actors")
    if not isinstance(head, dict) or not str(head.get("name", "")).strip() or not str(head.get("version", "")).strip():
        raise LexiconError(f"{origin}: missing [actors] table with name and version")
    raw = doc.get("actor", [])
    if not raw:
        raise LexiconError(f"{origin}: no [[actor]] items")
    entries, seen = [], {}
    for i, item in enumerate(raw, 1):
        name = str(item.get("name", "")).strip()
        kind = str(item.get("type", "")).strip()
        aliases = tuple(str(a).strip() for a in item.get("aliases", []) if str(a).strip())
        if not name:
            raise LexiconError(f"{origin}: actor {i} has no name")
        if kind not in ACTOR_TYPES:
            raise LexiconError(f"{origin}: actor {name!r} has type {kind!r}; choose one of {', '.join(ACTOR_TYPES)}")
        if not aliases:
            raise LexiconError(f"{origin}: actor {name!r} has no aliases")
        for a in aliases:
            key = _alias_key(a)
            if key in seen:
                raise LexiconError(f"{origin}: alias {a!r} is given to both {seen[key]!r} and {name!r}")
            seen[key] = name
        entries.append(ActorEntry(name, kind, aliases))
    return tuple(entries)


def load_actors_file(path: str | Path) -> tuple[ActorEntry, ...]:
    from framing.lexicons import read_data_file

    return parse_actors_file(read_data_file(path, "actors"), origin=str(path))


def _alias_key(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip()).lower()
    return s[4:] if s.startswith("the ") else s


# --------------------------------------------------------------------- per-document finder


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


def _scan_names(text: str) -> Iterable[re.Match]:
    """``_scan(_NAME_SEQ_BODY, _NAME_LEAD, text)``'s matches, in order, faster.

    A match of _NAME_SEQ_BODY starts with a capital letter or with "al-", and at a
    given position only the alternatives for that character can match, so the
    match there is _NAME_BODY_UPPER's or _NAME_BODY_AL's. Searching for each apart
    lets ``re`` skip ahead to a capital letter (the common "a" no longer stops
    it) and to the rare "al-"; the earlier of the two is the leftmost match.
    """
    if "al-" not in text:
        return _NAME_SEQ_UPPER.finditer(text)  # an iterator: each match object is dropped once read
    out = []
    upper, al, lead = _NAME_BODY_UPPER.search, _NAME_BODY_AL.search, _NAME_LEAD.match
    pos = 0
    m_al = al(text, 0)
    while True:
        m = upper(text, pos)
        if m_al is not None:
            if m_al.start() < pos:
                m_al = al(text, pos)
            if m_al is not None and (m is None or m_al.start() < m.start()):
                m = m_al
        if m is None:
            return out
        p = m.start()
        if p and lead(text, p - 1):
            pos = p + 1
            continue
        out.append(m)
        pos = m.end()


def _is_headline(line: str) -> bool:
    """A line (a run of characters other than newlines) written in headline case: most words
    capitalised and no closing punctuation."""
    line = line.strip()
    if not line or line.endswith(_HEADLINE_END):
        return False  # closing punctuation: neither headline rule can hold
    # a word here is ASCII letters (and ’'-) led by a letter: lower() changes only its capitals, so
    # w.lower() is a small word exactly when w is one in some mix of cases, and w[0].isupper()
    # exactly when w sorts before "a"
    words = [w for w in _HEADLINE_WORD.findall(line) if w not in _SMALL_WORDS_ANY_CASE]
    if not words:
        return False
    caps = len([w for w in words if w < "a"])
    return (caps * 10 >= len(words) * 6) or (len(words) <= 12 and not line.endswith(":"))


def _memo(gaz: Gazetteer, name: str) -> dict:
    table = gaz.memo.get(name)
    if table is None or len(table) > _MEMO_LIMIT:
        table = gaz.memo[name] = {}
    return table


def _breaks_name(w: str, gaz: Gazetteer) -> bool:
    """A stop-word, nationality adjective, honorific, role noun or title: not part of a name run."""
    return bool(
        w in gaz.stopwords
        or w in gaz.adjective_country
        # a hyphenated word breaks a name when one of its parts would ("Russian-backed", "Anti-war")
        or ("-" in w and any(p in gaz.adjective_country or p in gaz.stopwords for p in w.split("-")))
        or w.rstrip(".") in gaz.honorifics
        or w.lower() in gaz.role_nouns
        or (_is_title_word(w, gaz) if not _WHITESPACE.search(w) else gaz.title_re.match(w + " "))
    )


def _runs_of(seq: str, gaz: Gazetteer, breaks: dict) -> tuple:
    """Candidate name runs inside one capitalised sequence: ((rel_start, rel_end, words, real_words), ...).

    A pure function of the sequence string (find_document_mentions memoises it per gazetteer);
    ``breaks`` memoises _breaks_name per word (a pure function of the word).

    The words are ``_TOKEN_OR_PARTICLE.finditer(seq)``'s, taken with ``findall`` (no match
    objects) and placed with ``str.find`` from the end of the word before: wherever a word's text
    occurs the pattern matches (its one look-ahead sits in an optional group, and without that
    group the first alternative still matches), so its first occurrence after the word before
    is where finditer found it.
    """
    out: list = []
    run: list[tuple[int, int, str]] = []
    org_words = gaz.org_words
    find = seq.find
    end = 0
    for w in _TOKEN_OR_PARTICLE.findall(seq):
        start = find(w, end)
        end = start + len(w)
        b = breaks.get(w)
        if b is None:
            b = breaks[w] = _breaks_name(w, gaz)
        if b:
            if run:
                _close_run(run, out, org_words)
                run = []
        else:
            run.append((start, end, w))
    if run:
        _close_run(run, out, org_words)
    return tuple(out)


def _close_run(run: list[tuple[int, int, str]], out: list, org_words: frozenset[str]) -> None:
    """Trim one run of name words (leading particles, a lone initial, trailing particles) and keep it
    unless it holds an organisation word or more than four words."""
    i, j = 0, len(run)
    # re.fullmatch(_PARTICLE, w) is w in _PARTICLES; _INITIAL.match(w) is _is_initial(w)
    while i < j and (run[i][2] in _PARTICLES or j - i == 1 and _is_initial(run[i][2])):
        i += 1
    while i < j and run[j - 1][2] in _PARTICLES:
        j -= 1
    if i == j or j - i > 4:
        return
    words = tuple([r[2] for r in run[i:j]])
    if not org_words.isdisjoint(words):
        return
    # the words are _TOKEN_OR_PARTICLE matches, where only an initial ("V.") holds a period: it is
    # _is_initial(w) exactly when it ends in one
    real = tuple([w for w in words if w[-1] != "."])
    out.append((run[i][0], run[j - 1][1], words, real))


def _people_of(seq: str, gaz: Gazetteer, breaks: dict) -> tuple:
    """The name runs of one capitalised sequence that can be people: ((rel_start, rel_end, words,
    real_words, person), ...), where ``person`` is (canonical name, resolution, surname) for a run of
    two or more real words and None for a run of one; runs of initials alone are left out.

    A pure function of the sequence string (find_document_mentions memoises it per gazetteer): the
    text under a run is the run's own words (the masked text differs from the text only under
    gazetteer entities, which hold no name word), so "exact" (the name is the surface) is known here.
    """
    canon = _memo(gaz, "canon")
    out = []
    for ra, rb, words, real in _runs_of(seq, gaz, breaks):
        if len(real) >= 2:
            hit = canon.get(words)
            if hit is None:
                hit = canon[words] = _canonical_person(words, gaz)
            name, changed = hit
            res = "variant" if changed else ("exact" if name == seq[ra:rb] else "alias")
            out.append((ra, rb, words, real, (name, res, name.split()[-1])))
        elif len(real) == 1:
            out.append((ra, rb, words, real, None))
    return tuple(out)


def _is_initial(w: str) -> bool:
    """``_INITIAL.match(w)`` (``^[A-Z]\\.$``) for a word without a newline: one capital letter and a period."""
    return len(w) == 2 and w[1] == "." and "A" <= w[0] <= "Z"


def _canonical_person(tokens, gaz: Gazetteer) -> tuple[str, bool]:
    """Full canonical name from name tokens: initials dropped, variants applied; (name, variant_used)."""
    kept = [t for t in tokens if not _INITIAL.match(t)]
    out, changed = [], False
    for t in kept:
        v = gaz.variants.get(t, t)
        changed |= v != t
        out.append(v)
    return " ".join(out), changed


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
    # each candidate as (start, start - end, actor, number, end, actor_type, resolution): plain tuple
    # order is resolve_overlaps' order (start, longest, actor name, then found first)
    found: list[tuple] = []
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
        found.append((s0, s0 - e0, name, len(found), e0, kind, "exact" if name == form else "alias"))
    masked_parts.append(text[masked_pos:])
    masked_text = "".join(masked_parts)

    # 2. people: capitalised sequences -> name runs; a run of two or more real words is a person
    # (its name, resolution and surname come with the sequence's memo entry), a run of one is
    # judged below by its context
    people_memo, breaks = _memo(gaz, "people"), _memo(gaz, "breaks")
    full_names: dict[str, list[tuple[int, str]]] = {}  # surname -> [(pos, canonical)]
    persons = []
    singles = []
    for m in _scan_names(masked_text):
        seq = m[0]
        hit = people_memo.get(seq)
        if hit is None:
            hit = people_memo[seq] = _people_of(seq, gaz, breaks)
        if hit:
            base = m.start()
            for ra, rb, words, real, person in hit:
                a = base + ra
                if person is None:
                    singles.append((a, base + rb, words, real))
                else:
                    name, res, surname = person
                    persons.append((a, base + rb, words, name, res))
                    hits = full_names.get(surname)
                    if hits is None:
                        full_names[surname] = [(a, name)]
                    else:
                        hits.append((a, name))
    if singles:
        role_re = _role_noun_re(gaz.role_nouns)
        variants, people = gaz.variants, gaz.people
        title_tails, role_tails = _cue_tails(gaz)
    for a, b, words, real in singles:
        token = real[0]
        variant = variants.get(token, token)
        # every cue pattern ends in "[ ]+$" ($: the end, or a final newline) and is searched in the 40
        # characters before the name: only a name after a space can have one, and the cue word must end
        # where that window, stripped of those spaces, ends: text[lo:e] (-1: no cue), tested in place
        # with str.endswith's bounds instead of being cut out
        lo = a - 40 if a > 40 else 0
        if a and text[a - 1] == " ":
            e = a - 1
        elif a > 1 and text[a - 1] == "\n" and text[a - 2] == " ":
            e = a - 2
        else:
            e = -1
        hon = None
        if e >= 0:
            while e > lo and text[e - 1] == " ":
                e -= 1
            # an honorific may have its period
            if text.endswith(_HONORIFICS, lo, e - 1 if e > lo and text[e - 1] == "." else e):
                hon = _HONORIFIC_BEFORE.search(text[lo:a])
        start = a - len(hon.group(0)) if hon else a
        if variant in full_names:
            prior = [n for p, n in full_names[variant] if p < a] or [n for _, n in full_names[variant]]
            persons.append((start, b, words, prior[-1], "surname"))
        elif variant in people:
            persons.append((start, b, words, people[variant], "alias"))
        elif hon or (
            e >= 0
            and (
                ((title_tails is None or text.endswith(title_tails, lo, e)) and gaz.title_re.search(text[lo:a]))
                or (text.endswith(role_tails, lo, e) and role_re.search(text[lo:a]))
            )
        ):
            persons.append((start, b, words, variant, "variant" if variant != token else ("exact" if start == a else "alias")))
    for a, b, words, name, res in persons:
        found.append((a, a - b, name, len(found), b, "person", res))

    # 3. role phrases learned from appositions ("Russian President Vladimir Putin")
    learned: dict[tuple[str, str], set[str]] = {}
    adjectives, head_tails, tail_len = _apposition_cues(gaz)
    for a, b, words, name, res in persons:
        if len(name.split()) < 2:
            continue
        # the title right before the name must end with a role head's last word, and text before a
        # name seldom does: that test (a necessary condition of the rules below) goes first, on the
        # last tail_len characters of the 60 before the name, spaces and newlines stripped
        lo = a - 60 if a > 60 else 0
        e = a
        while e > lo and text[e - 1] in " \n":
            e -= 1
        if not text[max(lo, e - tail_len) : e].lower().endswith(head_tails):
            continue
        before = text[lo:a]
        if not adjectives.search(before):
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
        # "\b[Tt]he\s+(mods)\s+(heads)\b" ignoring case, led by its first letter (the look-behind after
        # it is the "\b" before it) so that re skips ahead to a "t" instead of trying every position
        for m in re.finditer(rf"[Tt](?<!\w[Tt])(?i:he\s+({mods})\s+({heads}))\b", text):
            key = (m.group(1).lower(), m.group(2).lower())
            names = learned.get(key, set())
            if len(names) == 1:
                s0, e0 = m.span()
                found.append((s0, s0 - e0, next(iter(names)), len(found), e0, "person", "role"))

    # 4. overlaps: the longest span wins; headline lines keep only actors found in the body
    return _resolve_found(text, found)


def resolve_overlaps(text: str, found: list[dict]) -> list[dict]:
    """Final mention list of a document (shared by every backend): overlapping
    spans keep the longest (then earliest, then by actor name), mentions on
    headline-case lines are kept only for actors also found in the body, and
    each gets its ``surface``. ``found``: candidate records with start, end,
    actor, actor_type and resolution (:func:`_resolve_found` on them as tuples)."""
    return _resolve_found(
        text,
        [(d["start"], d["start"] - d["end"], d["actor"], i, d["end"], d["actor_type"], d["resolution"]) for i, d in enumerate(found)],
    )


def _resolve_found(text: str, found: list[tuple]) -> list[dict]:
    """:func:`resolve_overlaps` of candidates given as tuples ``(start, start - end, actor, number,
    end, actor_type, resolution)`` with distinct numbers in the order found (find_document_mentions
    builds them so): sorting the tuples themselves gives the order (start, longest, actor, found
    first), and only the kept candidates become mention records. Sorts ``found`` in place."""
    found.sort()
    kept, last_end = [], -1
    for t in found:
        if t[0] >= last_end:
            kept.append(t)
            last_end = t[4]
    flags = _headline_flags(text, [t[0] for t in kept])
    if flags is not None:
        body = {t[2] for t, h in zip(kept, flags) if not h}
        kept = [t for t, h in zip(kept, flags) if not h or t[2] in body]
    return [
        {"start": a, "end": b, "actor": actor, "actor_type": kind, "resolution": res, "surface": text[a:b]}
        for a, _, actor, _, b, kind, res in kept
    ]


def _headline_flags(text: str, starts: list[int]) -> list[bool] | None:
    """For mentions starting at ``starts`` (in order): whether each lies on a headline-case line;
    None when none does."""
    # a mention is on a headline when its start lies in a line (a run of [^\n]) in headline case; only the
    # lines where a mention starts are judged, each once (the starts are in order)
    flags, head, n = [], False, len(text)
    line_end = -1
    any_head = False
    for a in starts:
        if a >= line_end:
            if 0 <= a < n and text[a] != "\n":
                line_end = text.find("\n", a)
                if line_end < 0:
                    line_end = n
                # most lines end in closing punctuation (no headline): the line's last character says so
                # without cutting the line out (it is no space, so it ends the stripped line too)
                head = text[line_end - 1] not in _HEADLINE_END and _is_headline(text[text.rfind("\n", 0, a) + 1 : line_end])
                any_head |= head
            else:
                head, line_end = False, -1  # on a newline: in no line
        flags.append(head)
    return flags if any_head else None


@lru_cache(maxsize=8)
def _actors_file_index(entries: tuple[ActorEntry, ...]) -> tuple[dict, re.Pattern]:
    """Alias key -> entry, and the compiled alias pattern (compiled once per actors file)."""
    by_alias = {_alias_key(a): e for e in entries for a in e.aliases}
    pattern = _forms_regex([a for e in entries for a in e.aliases])
    return by_alias, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


def _apply_actors_file(text: str, mentions: list[dict], entries: tuple[ActorEntry, ...]) -> list[dict]:
    """Re-label mentions matching an alias of the user's actors file, and add alias matches not yet found."""
    if not entries:
        return mentions
    by_alias, alias_re = _actors_file_index(entries)
    out = []
    for d in mentions:
        e = by_alias.get(_alias_key(d["surface"])) or by_alias.get(_alias_key(d["actor"]))
        if e is not None:
            d = dict(d, actor=e.name, actor_type=e.type, resolution="file")
        out.append(d)
    taken = _SpanIndex(out)
    added = []
    for m in alias_re.finditer(text):
        # alias matches come in order and never overlap each other: only the finder's spans can block
        if taken.overlapping(m.start(), m.end()):
            continue
        e = by_alias[_alias_key(m.group(0))]
        added.append(dict(start=m.start(), end=m.end(), actor=e.name, actor_type=e.type, resolution="file", surface=m.group(0)))
    return sorted(out + added, key=lambda d: (d["start"], d["end"]))


class _SpanIndex:
    """Mentions of one document indexed for overlap queries (binary search, no scan over all mentions).

    Mentions from the finder are sorted and disjoint, so the ones overlapping a span
    form one contiguous run; any other input falls back to a linear scan (same answer).
    """

    __slots__ = ("items", "starts", "ends", "disjoint", "_speakers")

    def __init__(self, items: list[dict]):
        self.items = items
        self._speakers: _SpeakerIndex | None = None
        self.starts = [d["start"] for d in items]
        self.ends = [d["end"] for d in items]
        # each span but the last well formed and ending where the next starts or before (pairs compared in C)
        self.disjoint = all(map(operator.le, self.ends, self.starts[1:])) and all(map(operator.le, self.starts[:-1], self.ends))

    def overlapping(self, s0: int, s1: int) -> list[dict]:
        """Items with start < s1 and s0 < end, in list order."""
        if not self.disjoint:
            return [d for d in self.items if d["start"] < s1 and s0 < d["end"]]
        i = bisect.bisect_right(self.ends, s0)
        j = i
        while j < len(self.items) and self.starts[j] < s1:
            j += 1
        return [d for d in self.items[i:j] if d["start"] < s1 and s0 < d["end"]]

    def overlaps(self, s0: int, s1: int) -> bool:
        """``bool(self.overlapping(s0, s1))`` without building the list."""
        if not self.disjoint:
            return any(d["start"] < s1 and s0 < d["end"] for d in self.items)
        starts, ends, n = self.starts, self.ends, len(self.items)
        j = bisect.bisect_right(ends, s0)
        while j < n and starts[j] < s1:
            if s0 < ends[j]:
                return True
            j += 1
        return False

    def speakers(self) -> _SpeakerIndex:
        """The _SpeakerIndex of the same mentions, built on first use (source mentions and the ledger's
        speakers both ask for it)."""
        if self._speakers is None:
            self._speakers = _SpeakerIndex(self.items)
        return self._speakers


_COMPOUND_ADJECTIVE = re.compile(r"-[a-z]")  # "Soviet-style", "Hamas-led": adjectives, not names ("al-Assad" stays)


@lru_cache(maxsize=1)
def _source_noun_forms() -> frozenset[str]:
    """Lower-cased forms of the attribution stage's source nouns (poll, report, officials, ...)."""
    from framing.lexicons import load_builtin

    return frozenset(f.lower() for e in load_builtin("source_nouns").entries for f in e.forms if " " not in f)


def _add_source_mentions(
    text: str, ments: list[dict], source_starts: list, source_ends: list, source_types: list, gaz: Gazetteer,
    index: _SpanIndex | None = None,
) -> list[dict]:
    """A named source in the quotes ledger ("Smith, a senator, said") that the finder missed becomes a mention.

    The attribution rules already say a source is named there, so one capitalised name run inside
    the source span (stop-words and titles stripped) is taken as a person. ``index``: the caller's
    _SpanIndex of ``ments``, if it has one. Returns ``ments`` itself when nothing is added.
    """
    added: list[dict] = []
    if index is None:
        index = _SpanIndex(ments)
    for s0, s1, stype in zip(source_starts, source_ends, source_types):
        if s0 is None or s1 is None or stype in ("anonymous", "document"):
            continue
        if index.overlaps(s0, s1) or (added and any(d["start"] < s1 and s0 < d["end"] for d in added)):
            continue
        runs = []
        # without "al-" in the span, _NAME_SEQ_UPPER finds what _NAME_SEQ finds, skipping ahead to capitals
        for m in (_NAME_SEQ_UPPER if text.find("al-", s0, s1) < 0 else _NAME_SEQ).finditer(text, s0, s1):
            toks = [t for t in m.group(0).split() if t not in gaz.stopwords and t not in gaz.adjective_country
                    and t.rstrip(".") not in gaz.honorifics and t.lower() not in gaz.role_nouns and not _is_title_word(t, gaz)
                    and not _COMPOUND_ADJECTIVE.search(t)]
            if toks and not any(t in gaz.org_words for t in toks) and len(toks) <= 4:
                first = m.group(0).index(toks[0])
                a = m.start() + first
                b = a + len(" ".join(toks)) if text[a : a + len(" ".join(toks))] == " ".join(toks) else m.end()
                runs.append((a, b, toks))
        if not runs:
            continue  # neither a gazetteer place (that needs a run over it) nor a name
        src = text[s0:s1]
        em = gaz.entity_re.fullmatch(text, s0 + _SOURCE_LEAD.match(src).end(), s1 - (len(src) - len(src.rstrip())))
        if em is not None and runs and runs[-1][0] < em.end() and em.start() < runs[-1][1]:
            # the whole source is a gazetteer place the finder left out as a location ("According
            # to Kyiv, ..."): the ledger says it speaks, so it acts, and it keeps its gazetteer type
            # (not a person). Adjective-only sources ("the US military") still add nothing.
            form = em.group(0)
            name, kind = gaz.entity_of[form] if form in gaz.entity_of else gaz.entity_of[_SPACES.sub(" ", form)]
            added.append(dict(start=em.start(), end=em.end(), actor=name, actor_type=kind,
                              resolution="exact" if name == form else "alias", surface=form))
            continue
        a, b, toks = runs[-1]
        if len(toks) == 1 and toks[0].lower() in _source_noun_forms():
            continue  # a capitalised common source noun ("Polls in Russia have shown"), not a name
        hon = _HONORIFIC_BEFORE.search(text[max(0, a - 6) : a])
        start = a - len(hon.group(0)) if hon else a
        real = [t for t in toks if not _INITIAL.match(t)]
        if len(real) >= 2:
            name, _ = _canonical_person(toks, gaz)
            res = "exact" if name == text[start:b] else "alias"
        else:
            name = _canonical_speaker(real[0], index.speakers(), gaz) if real else None
            res = "surname" if name and name != real[0] else ("exact" if start == a else "alias")
        if name:
            # a known place or organisation in a compound source ("Iran and Russia have responded")
            # keeps its gazetteer name and type rather than becoming a person
            kind = "person"
            if name in gaz.entity_of:
                name, kind = gaz.entity_of[name]
            added.append(dict(start=start, end=b, actor=name, actor_type=kind, resolution=res, surface=text[start:b]))
    return sorted(ments + added, key=lambda d: (d["start"], d["end"])) if added else ments


class _QuoteIndex:
    """Quote spans of one document for containment and nearness queries by binary search.

    Spans are ordered by start with a running maximum of their ends, so both answers
    are exact for any spans (quote_spans gives sorted, disjoint ones).
    """

    __slots__ = ("spans", "starts", "max_end", "ordered")

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.ordered = spans == sorted(spans)
        ordered = spans if self.ordered else sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.max_end, top = [], -1
        for _, b in ordered:
            top = max(top, b)
            self.max_end.append(top)

    def contains(self, start: int, end: int) -> bool:
        """Some span has a <= start and end <= b."""
        k = bisect.bisect_right(self.starts, start) - 1
        return k >= 0 and self.max_end[k] >= end

    def near(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The spans with a < hi and b > lo, in their original order (what target_window keeps)."""
        if not self.ordered:
            return [(a, b) for a, b in self.spans if a < hi and b > lo]
        i = bisect.bisect_right(self.max_end, lo)
        j = bisect.bisect_left(self.starts, hi)
        return [(a, b) for a, b in self.spans[i:j] if b > lo]


class _SpeakerIndex:
    """One document's mentions as canonical_speaker needs them (built once per document).

    ``by_surface`` is built at once (most speakers are found there); the actor names and
    ``first_by_last`` only when a speaker is not (:meth:`names`).
    """

    __slots__ = ("by_surface", "_mentions", "_names")

    def __init__(self, doc_mentions: list[dict]):
        self.by_surface = {_single_spaced(d["surface"]): d["actor"] for d in doc_mentions}
        self._mentions = doc_mentions
        self._names: tuple[set[str], dict[str, str]] | None = None

    def names(self) -> tuple[set[str], dict[str, str]]:
        """``(actors, first_by_last)``: the mentions' actor names, and for each last word of an actor
        name the first such actor in sort order; built on first use."""
        if self._names is None:
            actors = {d["actor"] for d in self._mentions}
            first_by_last: dict[str, str] = {}
            for a in actors:
                last = a.split()[-1]
                if last not in first_by_last or a < first_by_last[last]:
                    first_by_last[last] = a
            self._names = (actors, first_by_last)
        return self._names


def canonical_speaker(name: str | None, doc_mentions: list[dict], gaz: Gazetteer | None = None) -> str | None:
    """Map a speaker string from the attribution ledger onto the document's canonical actors."""
    if name is None:
        return None
    return _canonical_speaker(name, _SpeakerIndex(doc_mentions), gaz or builtin_gazetteer())


def _single_spaced(s: str) -> str:
    """``_SPACES.sub(" ", s)``: each run of whitespace as one space. A printable string without a double
    space has no other run (every whitespace character but " " is unprintable) and is returned as is."""
    return s if s.isprintable() and "  " not in s else _SPACES.sub(" ", s)


def _is_title_word(w: str, gaz: Gazetteer) -> bool:
    """``gaz.title_re.match(w + " ")`` for a word without whitespace: one of the one-word titles."""
    return w in gaz.title_words if gaz.title_words is not None else gaz.title_re.match(w + " ") is not None


def _canonical_speaker(name: str | None, index: _SpeakerIndex, gaz: Gazetteer) -> str | None:
    if name is None:
        return None
    key = _single_spaced(name.strip())
    if key in index.by_surface:
        return index.by_surface[key]
    actors, first_by_last = index.names()
    if key in actors:
        return key
    words = [w for w in _TOKEN_RE.findall(key) if w not in gaz.stopwords and w.rstrip(".") not in gaz.honorifics]
    words = [w for w in words if not _is_title_word(w, gaz)]
    if not words:
        return name
    last = gaz.variants.get(words[-1], words[-1])
    if last in first_by_last:
        return first_by_last[last]
    if len(words) >= 2:
        return _canonical_person(words, gaz)[0]
    return gaz.people.get(last, last)


# --------------------------------------------------------------------- batch function


def _fallback_sentences(documents: pl.DataFrame) -> pl.DataFrame:
    try:
        from framing.text.sentences import segment

        return segment(documents)
    except ImportError:  # pragma: no cover - during development only
        rows = []
        for doc_id, text in zip(documents["doc_id"], documents["text"]):
            for i, m in enumerate(re.finditer(r"[^\n.!?]+[.!?]*", text)):
                rows.append(dict(doc_id=doc_id, sent_id=i, start=m.start(), end=m.end(), text=m.group(0)))
        return schema.conform(pl.DataFrame(rows, schema_overrides={"start": pl.Int64, "end": pl.Int64}), schema.SENTENCES)


def find_actors(
    documents: pl.DataFrame,
    sentences: pl.DataFrame | None,
    quotes: pl.DataFrame | None,
    *,
    config: AnalysisConfig,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Mentions, per-document actors, and quotes/sentences with canonical speakers.

    Pure per batch: canonical names depend on each document's text, the
    gazetteer and the actors file only. Returns ``(mentions, actors, quotes,
    sentences)`` with the columns of schema.MENTIONS, schema.ACTORS,
    schema.QUOTES and schema.SENTENCES.
    """
    from framing.text.quotes import quote_spans

    gaz = builtin_gazetteer()
    entries = load_actors_file(config.actors_file) if config.actors_file else ()
    if sentences is None:
        sentences = _fallback_sentences(documents)
    if quotes is None:
        quotes = schema.empty(schema.QUOTES)
    quotes = schema.conform(quotes, schema.QUOTES)
    sentences = schema.conform(sentences, schema.SENTENCES)

    # the ledger's and the sentences' columns as lists, and each document's rows in frame order
    # (what partition_by("doc_id") gave, without a frame per document)
    def rows_by_doc(ids: pl.Series) -> dict[str, range | list[int]]:
        # a document's rows are one run of equal ids (each stage writes them so): one range per run
        # from Polars' run-length encoding instead of a Python step per row; a document in several
        # runs gets their rows as one list, in order
        runs = ids.rle()
        out: dict[str, range | list[int]] = {}
        pos = 0
        for n, d in zip(runs.struct.field("len").to_list(), runs.struct.field("value").to_list()):
            rows_of = out.get(d)
            out[d] = range(pos, pos + n) if rows_of is None else [*rows_of, *range(pos, pos + n)]
            pos += n
        return out

    q_cols = {c: quotes[c].to_list() for c in ("source_start", "source_end", "source_type", "speaker", "start", "end")}
    q_rows = rows_by_doc(quotes["doc_id"]) if quotes.height else {}
    s_start, s_end, s_id = (sentences[c].to_list() for c in ("start", "end", "sent_id"))
    s_rows = rows_by_doc(sentences["doc_id"]) if sentences.height else {}

    def pick(values: list, rows_of: range | list[int]) -> list:
        if rows_of[-1] - rows_of[0] + 1 == len(rows_of):  # contiguous: one slice
            return values[rows_of[0] : rows_of[-1] + 1]
        return [values[r] for r in rows_of]

    cols: dict[str, list] = {c: [] for c in ("doc_id", "sent_id", "start", "end", "actor", "actor_type", "surface", "resolution", "role", "in_quote", "sentiment")}
    row_quotes: list = []  # per mention row: the quote rows it speaks
    quote_speaker: dict[int, str | None] = {}
    speaker_map: dict[tuple[str, str], str | None] = {}
    quote_texts: dict[int, str] = {}

    from framing.measures import spacy_backend  # cheap: spaCy itself is imported only when used

    model = spacy_backend.parse_backend(config.actor_backend)
    texts = [t or "" for t in documents["text"].to_list()]
    # every document's mentions first, then the per-document ledger and sentiment work: the finder's
    # memos and patterns stay in the CPU caches through the batch instead of competing with the
    # sentiment model's tables document by document (~20-30 % less CPU in the finder)
    if model:
        raw = spacy_backend.find_mentions_spacy(texts, model, gaz)
    else:
        raw = [find_document_mentions(text, gaz) for text in texts]
    for doc_id, text, found in zip(documents["doc_id"].to_list(), texts, raw):
        ments = _apply_actors_file(text, found, entries)
        qrows = q_rows.get(doc_id)
        srows = s_rows.get(doc_id)
        sent_starts = pick(s_start, srows) if srows else []
        sent_ends = pick(s_end, srows) if srows else []
        sent_ids = pick(s_id, srows) if srows else []
        qspans = [(a, b) for a, b, _ in quote_spans(text)]
        quote_index = _QuoteIndex(qspans)
        # speakers of the ledger: mention overlapping the source span, else the speaker string mapped
        sources: dict[tuple[int, int], list[int]] = {}  # mention span -> quote rows it speaks
        if qrows:
            src_start, src_end = pick(q_cols["source_start"], qrows), pick(q_cols["source_end"], qrows)
            mention_index = _SpanIndex(ments)
            with_sources = _add_source_mentions(text, ments, src_start, src_end, pick(q_cols["source_type"], qrows), gaz, mention_index)
            if with_sources is not ments:
                ments = with_sources
                mention_index = _SpanIndex(ments)
            for qrow, s0, s1, spk, qs, qe in zip(
                qrows, src_start, src_end, pick(q_cols["speaker"], qrows), pick(q_cols["start"], qrows), pick(q_cols["end"], qrows),
            ):
                actor = None
                if s0 is not None and s1 is not None:
                    over = mention_index.overlapping(s0, s1)
                    if over:
                        best = over[0] if len(over) == 1 else max(over, key=lambda d: (min(d["end"], s1) - max(d["start"], s0), -d["start"]))
                        actor = best["actor"]
                        sources.setdefault((best["start"], best["end"]), []).append(qrow)
                if actor is None and spk is not None:
                    actor = _canonical_speaker(spk, mention_index.speakers(), gaz)
                quote_speaker[qrow] = actor
                if spk is not None:
                    speaker_map.setdefault((doc_id, spk), actor)
                if qs is not None and qe is not None:
                    quote_texts[qrow] = text[qs:qe]

        # sentence -> ([row, ...], [(start, end, speaker), ...]): the mentions scored together below
        by_sentence: dict[int, tuple[list[int], list[tuple[int, int, bool | None]]]] = {}
        sentiment = cols["sentiment"]
        first = len(sentiment)  # this document's first mention row
        starts = [d["start"] for d in ments]
        ends = [d["end"] for d in ments]
        ks = [bisect.bisect_right(sent_starts, a) - 1 for a in starts]
        contains = quote_index.contains
        in_quotes = [contains(a, b) for a, b in zip(starts, ends)]
        owns = [sources.get((a, b), ()) for a, b in zip(starts, ends)] if sources else [()] * len(ments)
        for j, (start, end, k, in_quote, own_quotes) in enumerate(zip(starts, ends, ks, in_quotes, owns)):
            score = None
            if not in_quote:
                if k >= 0 and start < (s1 := sent_ends[k]) and end <= s1:
                    # scored below with the other mentions of its sentence (same scores, shared work)
                    group = by_sentence.get(k)
                    if group is None:
                        group = by_sentence[k] = ([], [])
                    group[0].append(first + j)
                    group[1].append((start, end, True if own_quotes else None))
                else:
                    sbounds = (sent_starts[k], sent_ends[k]) if k >= 0 and start < sent_ends[k] else None
                    near = qspans
                    if sbounds is not None:
                        near = quote_index.near(min(sbounds[0], start), max(sbounds[1], end))
                    # same model as target_sentiment, reporter's voice only (quoted words and a speaker's words left out)
                    score = sent.target_score(
                        text, start, end, sentence=sbounds, quotes=near,
                        speaker=True if own_quotes else None, reporter_only=True,
                    )
            sentiment.append(score)
        cols["doc_id"] += [doc_id] * len(ments)
        cols["sent_id"] += [sent_ids[k] if k >= 0 else None for k in ks]
        cols["start"] += starts
        cols["end"] += ends
        for c in ("actor", "actor_type", "surface", "resolution"):
            cols[c] += [d[c] for d in ments]
        cols["role"] += ["speaker" if o else ("other" if q else "target") for o, q in zip(owns, in_quotes)]
        cols["in_quote"] += in_quotes
        row_quotes += owns
        for k, (rows, items) in by_sentence.items():
            s0, s1 = sent_starts[k], sent_ends[k]
            for r, score in zip(rows, sent.reporter_scores(text, (s0, s1), quote_index.near(s0, s1), items)):
                sentiment[r] = score

    # VADER on quoted speech: each distinct quote once per batch. A score is read only for a quote with a
    # speaker (the actor table's quoted_sentiment_mean) or spoken by a mention (its quoted_sentiment):
    # the other quotes are not scored.
    read = {q for q, a in quote_speaker.items() if a is not None}
    read.update(q for own in row_quotes for q in own)
    quote_texts = {q: t for q, t in quote_texts.items() if q in read}
    distinct = sorted(set(quote_texts.values()))
    scores = dict(zip(distinct, sent.vader_compound(distinct)))
    q_score = {q: scores[t] for q, t in quote_texts.items()}
    quoted = cols["quoted_sentiment"] = []
    for own in row_quotes:
        qs = [q_score[q] for q in own if q_score.get(q) is not None] if own else None
        quoted.append(round(sum(qs) / len(qs), 4) if qs else None)

    mentions = pl.DataFrame(cols, schema=schema.polars_schema(schema.MENTIONS)) if row_quotes else schema.empty(schema.MENTIONS)
    mentions = mentions.sort(["doc_id", "start", "end", "actor"], maintain_order=True)

    if quotes.height:
        quotes = quotes.with_columns(
            pl.Series("speaker", [quote_speaker.get(i) for i in range(quotes.height)], dtype=pl.String),
            pl.Series("_qscore", [q_score.get(i) for i in range(quotes.height)], dtype=pl.Float64),
        )
    else:
        quotes = quotes.with_columns(pl.lit(None, dtype=pl.Float64).alias("_qscore"))
    if speaker_map and sentences.height:
        mapping = pl.DataFrame(
            {"doc_id": [k[0] for k in speaker_map], "speaker": [k[1] for k in speaker_map], "_new": list(speaker_map.values())},
            schema={"doc_id": pl.String, "speaker": pl.String, "_new": pl.String},
        )
        sentences = (
            sentences.join(mapping, on=["doc_id", "speaker"], how="left", maintain_order="left")
            .with_columns(pl.when(pl.col("_new").is_not_null()).then(pl.col("_new")).otherwise(pl.col("speaker")).alias("speaker"))
            .drop("_new")
        )
    actors = actor_table(mentions, quotes)
    return mentions, actors, schema.conform(quotes.drop("_qscore"), schema.QUOTES), schema.conform(sentences, schema.SENTENCES)


def actor_table(mentions: pl.DataFrame, quotes: pl.DataFrame) -> pl.DataFrame:
    """One row per document and actor (schema.ACTORS) from mentions and the (re-mapped) quotes ledger.

    ``quotes`` may carry ``_qscore`` (VADER compound of each quote's content, as find_actors
    adds it); without it the quoted sentiment columns are null (and their counts 0).
    """
    if "_qscore" not in quotes.columns:
        quotes = quotes.with_columns(pl.lit(None, dtype=pl.Float64).alias("_qscore"))
    # an actor's type is the most frequent type of its mentions (ties: the first in sort order); a
    # per-group mode is the costliest aggregation here, and nearly every actor has one type, which is
    # then its first mention's: the mode is taken only when some actor has two (or a null and a type)
    per = mentions.group_by(["doc_id", "actor"], maintain_order=True).agg(
        pl.col("actor_type").first().alias("actor_type"),
        pl.col("actor_type").n_unique().alias("_types"),
        pl.len().cast(pl.Int64).alias("mentions"),
        pl.col("sent_id").drop_nulls().n_unique().cast(pl.Int64).alias("sentences"),
        pl.col("sentiment").mean().alias("reporter_sentiment_mean"),
        pl.col("sentiment").count().cast(pl.Int64).alias("reporter_sentiment_n"),
    )
    if (per["_types"] > 1).any():
        modes = mentions.group_by(["doc_id", "actor"], maintain_order=True).agg(pl.col("actor_type").mode().sort().first())
        per = per.with_columns(modes["actor_type"])
    per = per.drop("_types")
    q = quotes.select("doc_id", "speaker", pl.col("n_words").fill_null(0), "_qscore")
    totals = q.group_by("doc_id").agg(pl.col("n_words").sum().alias("_all"))
    spoke = (
        q.filter(pl.col("speaker").is_not_null())
        .group_by(["doc_id", "speaker"])
        .agg(
            pl.col("n_words").sum().cast(pl.Int64).alias("quoted_words"),
            pl.col("_qscore").mean().alias("quoted_sentiment_mean"),
            pl.col("_qscore").count().cast(pl.Int64).alias("quoted_sentiment_n"),
        )
        .rename({"speaker": "actor"})
    )
    out = (
        per.join(spoke, on=["doc_id", "actor"], how="full", coalesce=True)
        .join(totals, on="doc_id", how="left")
        .with_columns(
            pl.col("mentions").fill_null(0),
            pl.col("sentences").fill_null(0),
            pl.col("quoted_words").fill_null(0),
            pl.col("reporter_sentiment_n").fill_null(0),
            pl.col("quoted_sentiment_n").fill_null(0),
            pl.col("actor_type").fill_null("person"),
        )
    )
    out = out.with_columns(_share(out["quoted_words"], out["_all"]).alias("voice_share")).drop("_all")
    return schema.conform(out, schema.ACTORS).sort(["doc_id", "actor"])


def _share(part: pl.Series, whole: pl.Series) -> pl.Series:
    """``part / whole`` element by element, correctly rounded; null where ``whole`` is null or 0.

    Polars divides by a column that holds one broadcast value (what a join with
    a one-row frame gives: the totals of a batch of one document) through its
    reciprocal, one unit in the last place off now and then, so the same
    document's share would depend on the batch it was in; numpy divides each
    element exactly, as Polars does for two ordinary columns.
    """
    import numpy as np

    num = part.cast(pl.Float64).to_numpy()
    den = whole.cast(pl.Float64).to_numpy()
    keep = den > 0  # NaN (null) compares false
    out = np.zeros(len(num), dtype=np.float64)
    np.divide(num, den, out=out, where=keep)
    return pl.Series(out).scatter(np.flatnonzero(~keep), None) if not keep.all() else pl.Series(out)


def merge_aliases(mentions: pl.DataFrame) -> pl.DataFrame:
    """Corpus-level: a one-word person actor equal to the surname of exactly one full-name person actor
    anywhere in the corpus takes that full name (resolution 'surname'); ``surface`` is kept."""
    persons = mentions.filter(pl.col("actor_type") == "person").select("actor").unique()
    full = persons.filter(pl.col("actor").str.contains(" ")).with_columns(
        pl.col("actor").str.split(" ").list.last().alias("_surname")
    )
    unique_full = (
        full.group_by("_surname").agg(pl.col("actor").sort().first().alias("_full"), pl.len().alias("_n")).filter(pl.col("_n") == 1)
    )
    out = mentions.join(unique_full.select("_surname", "_full"), left_on="actor", right_on="_surname", how="left", maintain_order="left")
    merge = (pl.col("actor_type") == "person") & pl.col("_full").is_not_null() & ~pl.col("actor").str.contains(" ")
    return out.with_columns(
        pl.when(merge).then(pl.col("_full")).otherwise(pl.col("actor")).alias("actor"),
        pl.when(merge).then(pl.lit("surname")).otherwise(pl.col("resolution")).alias("resolution"),
    ).drop("_full").select(mentions.columns)
