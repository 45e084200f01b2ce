"""Optional spaCy backend for actor mentions (same records as the built-in finder).

For users who have a spaCy pipeline with a named-entity recogniser installed
(``pip install spacy`` plus a model package such as ``en_core_web_sm``). Nothing
is downloaded: a model name is loaded with ``spacy.load`` and must already be
installed. spaCy is imported lazily, inside functions, never when ``framing``
is imported.

Entities become mentions with the records of
:func:`framing.measures.actors.find_document_mentions` (``start``, ``end``,
``actor``, ``actor_type``, ``resolution``, ``surface``; sorted, disjoint,
``text[start:end] == surface``), canonicalised with the built-in gazetteer so
both backends name actors alike:

* ``PERSON`` (``PER`` in non-English pipelines) -> ``person``. Leading titles,
  role nouns, stop-words and nationality adjectives are cut from the span
  ("President Vladimir Putin" -> "Vladimir Putin"); honorifics are cut from
  the name, and, as in the built-in finder, a one-word name keeps its
  honorific in the span ("Mr. Putin" -> Vladimir Putin, ``alias``). Initials
  are dropped and spelling variants applied (``variant``); a one-word name
  takes the document's full name with that surname (``surname``) or the
  gazetteer's well-known person (``alias``).
* ``ORG`` -> ``organization``; ``GPE`` -> ``place``. A span (leading "the"
  cut) that is a gazetteer form takes the gazetteer's name and type (Nato ->
  NATO, Kiev -> Kyiv). A place counts only where it acts, as in the built-in
  finder (followed by a possessive or an agent verb and not after a location
  preposition), or, when the pipeline has a parser, where it is a subject.
* ``NORP`` ("Russian"), ``LOC``, dates and every other label are never actors.
  A span reduced to nothing by the cuts above is dropped.
* Headline-case lines keep only actors also found in the body (built-in rule).

Role phrases learned from appositions ("the Russian president") are a
built-in-finder feature not reproduced here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from framing.errors import ConfigError
from framing.measures.actors import (
    _HONORIFIC_BEFORE,
    _INITIAL,
    _OBJECT_PREPS,
    _PLACE_AFTER,
    _PLACE_PREPS,
    _PLACE_PREV,
    Gazetteer,
    _canonical_person,
    builtin_gazetteer,
    resolve_overlaps,
)

#: spaCy entity label -> actor type; every other label (NORP, LOC, DATE ...) is never an actor.
LABEL_TYPES = {"PERSON": "person", "PER": "person", "ORG": "organization", "GPE": "place"}
BUILTIN = "builtin"
_PREFIX = "spacy:"
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_THE = re.compile(r"(?:[Tt]he|THE)\s+")
_TRAIL = re.compile(r"(?:['’]s|['’])?[,;:)\]\"”’'!?]*$")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
_MAX_NAME_WORDS = 4  # as in the built-in finder: longer "names" are mostly headline or list fragments


# --------------------------------------------------------------------- selecting and loading


def parse_backend(spec: str) -> str | None:
    """The spaCy model name of an ``actor_backend`` setting, or None for the built-in finder.

    Accepted: ``"builtin"`` and ``"spacy:MODEL"`` (e.g. ``"spacy:en_core_web_sm"``).
    """
    s = (spec or "").strip()
    if s == BUILTIN:
        return None
    if s.startswith(_PREFIX) and s[len(_PREFIX):].strip():
        return s[len(_PREFIX):].strip()
    raise ConfigError(f"actor backend {spec!r} is not recognised; use 'builtin' or 'spacy:MODEL' (e.g. 'spacy:en_core_web_sm')")


def _import_spacy():
    try:
        import spacy
    except ImportError:
        raise ConfigError("spaCy is not installed; install it with pip (pip install spacy) or use the built-in backend") from None
    return spacy


@lru_cache(maxsize=4)
def _load_named(name: str):
    spacy = _import_spacy()
    try:
        return spacy.load(name)
    except OSError:
        raise ConfigError(f"spaCy model {name!r} is not installed; install it with pip or use the built-in backend") from None


def load_pipeline(model: Any):
    """A spaCy ``Language`` from an installed model name (loaded once per process) or a ``Language`` itself.

    Raises ConfigError when spaCy or the named model is not installed, or when
    ``model`` is neither a name nor a pipeline. The pipeline needs an ``ner``
    or ``entity_ruler`` component (anything that sets ``doc.ents``).
    """
    if isinstance(model, str):
        name = model.strip()
        if not name:
            raise ConfigError("spaCy model name is empty; give an installed model such as 'en_core_web_sm'")
        return _load_named(name)
    if callable(model) and hasattr(model, "pipe") and hasattr(model, "pipe_names"):
        return model
    raise ConfigError(f"spaCy backend needs a model name or a spacy.Language, not {type(model).__name__}")


def backend_info(model: Any) -> dict:
    """What a run's manifest should record about the pipeline: spaCy version, model name and version."""
    nlp = load_pipeline(model)
    spacy = _import_spacy()
    meta = getattr(nlp, "meta", {}) or {}
    return {
        "spacy": spacy.__version__,
        "model": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "model_version": str(meta.get("version", "")),
        "components": list(nlp.pipe_names),
    }


# --------------------------------------------------------------------- finding mentions


def find_document_mentions_spacy(text: str, model: Any, gaz: Gazetteer | None = None) -> list[dict]:
    """Actor mentions of one document found by a spaCy pipeline; records as ``actors.find_document_mentions``."""
    return find_mentions_spacy([text], model, gaz)[0]


def find_mentions_spacy(texts: Iterable[str], model: Any, gaz: Gazetteer | None = None, *, batch_size: int = 64) -> list[list[dict]]:
    """Actor mentions of many documents (one list per text, in order), running the pipeline once with ``nlp.pipe``.

    ``model``: an installed model name or a ``spacy.Language``. Texts longer than
    the pipeline's ``max_length`` are processed in pieces cut at line breaks;
    offsets always refer to the whole text.
    """
    nlp = load_pipeline(model)
    gaz = gaz or builtin_gazetteer()
    texts = [t or "" for t in texts]
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
    for i, text in enumerate(texts):
        for off, piece in _pieces(text, nlp.max_length):
            pieces.append((i, off, piece))
    ents: list[list[tuple[int, int, str, bool]]] = [[] for _ in texts]
    docs = nlp.pipe((p for _, _, p in pieces), batch_size=batch_size)
    for (i, off, _), doc in zip(pieces, docs):
        parsed = doc.has_annotation("DEP")
        for e in doc.ents:
            if e.label_ not in LABEL_TYPES:
                continue
            subject = parsed and e.root.dep_ in _SUBJECT_DEPS
            ents[i].append((off + e.start_char, off + e.end_char, e.label_, subject))
    return [_mentions_from_entities(text, found, gaz) for text, found in zip(texts, ents)]


def _pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """The text as (offset, piece) pieces of at most ``limit`` characters, cut after a line break where possible."""
    if len(text) <= limit:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + limit)
        if end < len(text):
            cut = text.rfind("\n", pos, end)
            end = cut + 1 if cut > pos else end
        out.append((pos, text[pos:end]))
        pos = end
    return out


def _mentions_from_entities(text: str, ents: list[tuple[int, int, str, bool]], gaz: Gazetteer) -> list[dict]:
    """Entity spans of one document -> canonical mention records (the per-document rules of this backend)."""
    found: list[dict] = []
    persons: list[tuple[int, int, list[str], bool]] = []  # (start, end, name words, honorific cut)
    for s0, e0, label, subject in sorted(ents):
        s0, e0 = _trim(text, s0, e0)
        if s0 >= e0:
            continue
        form = _SPACES.sub(" ", text[s0:e0])
        hit = gaz.entity_of.get(form)
        if hit is not None:
            name, kind = hit
        elif LABEL_TYPES[label] == "person":
            person = _person_span(text, s0, e0, gaz)
            if person is not None:
                persons.append(person)
            continue
        elif form in gaz.stopwords or form in gaz.adjective_country:
            continue  # "Russian", "Western": never an actor, whatever the label
        else:
            name, kind = form, LABEL_TYPES[label]
        if kind == "place" and not (subject or _place_acts(text, s0, e0, gaz)):
            continue
        found.append(dict(start=s0, end=e0, actor=name, actor_type=kind, resolution="exact" if name == text[s0:e0] else "alias"))

    full_names: dict[str, list[tuple[int, str]]] = {}  # surname -> [(position, canonical name)]
    canon = []
    for a, b, words, hon in persons:
        if len(words) >= 2:
            name, changed = _canonical_person(words, gaz)
            canon.append((a, b, name, "variant" if changed else ("exact" if name == text[a:b] else "alias")))
            full_names.setdefault(name.split()[-1], []).append((a, name))
        else:
            canon.append((a, b, None, None))
    for (a, b, words, hon), (_, _, name, res) in zip(persons, canon):
        if name is None:
            token = words[0]
            variant = gaz.variants.get(token, token)
            if variant in full_names:
                prior = [n for p, n in full_names[variant] if p < a] or [n for _, n in full_names[variant]]
                name, res = prior[-1], "surname"
            elif variant in gaz.people:
                name, res = gaz.people[variant], "alias"
            else:
                name = variant
                res = "variant" if variant != token else ("alias" if hon else "exact")
        found.append(dict(start=a, end=b, actor=name, actor_type="person", resolution=res))

    return resolve_overlaps(text, found)


def _trim(text: str, s0: int, e0: int) -> tuple[int, int]:
    """Cut surrounding spaces, a leading "the", a trailing possessive and trailing punctuation."""
    span = text[s0:e0]
    s0 += len(span) - len(span.lstrip())
    e0 -= len(span) - len(span.rstrip())
    m = _THE.match(text, s0, e0)
    if m:
        s0 = m.end()
    m = _TRAIL.search(text, s0, e0)
    if m and m.start() > s0:
        e0 = m.start()
    return s0, e0


def _breaks(word: str, gaz: Gazetteer) -> bool:
    """A word that is not part of a name at the edge of a PERSON span (the built-in finder's stop rules)."""
    parts = word.split("-")
    return bool(
        word in gaz.stopwords
        or any(p in gaz.adjective_country or p in gaz.stopwords for p in parts)
        or word.lower() in gaz.role_nouns
        or gaz.title_re.match(word + " ")
        or not any(c.isupper() for c in word)
    )


def _person_span(text: str, s0: int, e0: int, gaz: Gazetteer) -> tuple[int, int, list[str], bool] | None:
    """(start, end, name words, honorific) of a PERSON span after cutting titles; None when no name is left."""
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text, s0, e0)]
    hon_start = None
    while toks:
        cut = 0
        for k in range(min(4, len(toks)), 1, -1):  # multi-word titles and role nouns ("Lt. Gen.", "prime minister")
            phrase = text[toks[0][0] : toks[k - 1][1]]
            if gaz.title_re.match(phrase + " ") or _SPACES.sub(" ", phrase).lower() in gaz.role_nouns:
                cut = k
                break
        if not cut:
            w = toks[0][2]
            if w.rstrip(".") in gaz.honorifics:
                hon_start, cut = toks[0][0], 1
            elif _breaks(w, gaz):
                cut = 1
        if not cut:
            break
        if toks[0][2].rstrip(".") not in gaz.honorifics:
            hon_start = None  # an honorific counts only right before the name
        toks = toks[cut:]
    while toks and (_breaks(toks[-1][2], gaz) or toks[-1][2].rstrip(".") in gaz.honorifics):
        toks = toks[:-1]
    words = [w for _, _, w in toks]
    real = [w for w in words if not _INITIAL.match(w)]
    if not real or len(real) > _MAX_NAME_WORDS:
        return None
    a, b = toks[0][0], toks[-1][1]
    if len(real) >= 2:
        return a, b, words, False
    if hon_start is None:
        hon = _HONORIFIC_BEFORE.search(text[max(0, a - 6) : a])
        hon_start = a - len(hon.group(0)) if hon else None
    return (hon_start if hon_start is not None else a), b, real, hon_start is not None


def _place_acts(text: str, s0: int, e0: int, gaz: Gazetteer) -> bool:
    """The built-in finder's rule: a place acts when followed by a possessive or an agent verb, not after a location preposition."""
    am = _PLACE_AFTER.match(text[e0 : e0 + 30])
    if not am or not (am.group(1) or am.group(2) in gaz.agent_verbs):
        return False
    prev = _PLACE_PREV.search(text[max(0, s0 - 20) : s0])
    blocked = _PLACE_PREPS if am.group(1) else _PLACE_PREPS | _OBJECT_PREPS
    return not (prev and prev.group(1).lower() in blocked)
