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
the reporter's own words around the mention (quoted speech excluded; null
inside quotes), ``quoted_sentiment`` the mean VADER compound of what a speaker
mention is quoted saying.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import polars as pl

from framing import schema
from framing.config import AnalysisConfig
from framing.errors import LexiconError
from framing.measures import sentiment as sent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ACTOR_TYPES = ("person", "organization", "place")
RESOLUTIONS = ("exact", "alias", "variant", "surname", "role", "file")

_TOKEN = r"(?:[A-Z][a-z]+(?:-[A-Za-z]+)*(?:['’](?!s\b)[A-Za-z]+)?|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.|al-[A-Z][a-z]+)"
_PARTICLE = r"(?:bin|ibn|van|von|de|da|del|der|al|la|le|el|dos|du)"
_NAME_SEQ = re.compile(rf"(?<![\w.’'-]){_TOKEN}(?:[ ]+(?:{_PARTICLE}[ ]+)?{_TOKEN})*(?!\w|['’](?!s\b)\w)")
_INITIAL = re.compile(r"^[A-Z]\.$")
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady)\.?[ ]+$")
_HEADLINE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PLACE_PREPS = frozenset("in on at from into with across throughout inside within near over".split())
_OBJECT_PREPS = frozenset("to about for against of by defeating".split())
_SMALL_WORDS = frozenset("a an the of in on at to for and or but with by from as is vs".split())


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
        entity_of=entity_of,
        variants=dict(doc.get("variants", {})),
        people=dict(doc.get("people", {})),
    )


@lru_cache(maxsize=4)
def _role_noun_re(role_nouns: frozenset[str]) -> re.Pattern:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(role_nouns)))})[ ]+$")


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
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise LexiconError(f"{origin}: actors files must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{origin}: not valid TOML ({exc})") from None
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
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read actors file {str(p)!r}: {exc.strerror}") from None
    return parse_actors_file(data, origin=str(p))


def _alias_key(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip()).lower()
    return s[4:] if s.startswith("the ") else s


# --------------------------------------------------------------------- per-document finder


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in headline case: most words capitalised and no closing punctuation."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        words = [w for w in _HEADLINE_WORD.findall(line) if w.lower() not in _SMALL_WORDS]
        if not words:
            continue
        caps = sum(w[0].isupper() for w in words)
        if (caps * 10 >= len(words) * 6 and not re.search(r"[.!?\"”]$", line)) or (
            len(words) <= 12 and not re.search(r"[.!?\"”:]$", line)
        ):
            out.append((m.start(), m.end()))
    return out


def _canonical_person(tokens: list[str], gaz: Gazetteer) -> tuple[str, bool]:
    """Full canonical name from name tokens: initials dropped, variants applied; (name, variant_used)."""
    kept = [t for t in tokens if not _INITIAL.match(t)]
    out, changed = [], False
    for t in kept:
        v = gaz.variants.get(t, t)
        changed |= v != t
        out.append(v)
    return " ".join(out), changed


def _is_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4) : pos].rstrip(" \t“\"‘'([")
    return not before or before[-1] in ".!?\n:;—–" or pos == 0


def find_document_mentions(text: str, gaz: Gazetteer | None = None) -> list[dict]:
    """Actor mentions of one document (sequential rules over one text; see module docstring).

    Each mention: start, end, surface, actor, actor_type, resolution.
    """
    gaz = gaz or builtin_gazetteer()
    found: list[dict] = []
    masked = list(text)

    # 1. organisations and places from the gazetteer (longest form wins)
    for m in gaz.entity_re.finditer(text):
        name, kind = gaz.entity_of[m.group(0)] if m.group(0) in gaz.entity_of else gaz.entity_of[re.sub(r"\s+", " ", m.group(0))]
        masked[m.start() : m.end()] = "_" * (m.end() - m.start())
        if kind == "place":
            after = text[m.end() : m.end() + 30]
            am = re.match(r"(['’]s\b)|\s+([a-z]+)\b", after)
            if not am or not (am.group(1) or am.group(2) in gaz.agent_verbs):
                continue
            prev = re.search(r"([A-Za-z]+)\s+(?:the\s+)?$", text[max(0, m.start() - 20) : m.start()])
            blocked = _PLACE_PREPS if am.group(1) else _PLACE_PREPS | _OBJECT_PREPS
            if prev and prev.group(1).lower() in blocked:
                continue  # "in Ukraine is", "talks with the US had": a location, not an actor
        found.append(
            dict(start=m.start(), end=m.end(), actor=name, actor_type=kind, resolution="exact" if name == m.group(0) else "alias")
        )
    masked_text = "".join(masked)

    # 2. people: capitalised sequences
    candidates = []  # (start, end, tokens, cue) cue: honorific/title/None
    for m in _NAME_SEQ.finditer(masked_text):
        toks = [(t.start(), t.end(), t.group(0)) for t in re.finditer(rf"{_TOKEN}|{_PARTICLE}", m.group(0))]
        toks = [(m.start() + a, m.start() + b, w) for a, b, w in toks]
        # runs of tokens that are not stop-words, titles, nationality adjectives or honorifics
        run: list[tuple[int, int, str]] = []
        runs = []
        for tok in toks:
            w = tok[2]
            parts = w.split("-")
            if (
                w in gaz.stopwords
                or any(p in gaz.adjective_country or p in gaz.stopwords for p in parts)
                or w.rstrip(".") in gaz.honorifics
                or w.lower() in gaz.role_nouns
                or gaz.title_re.match(w + " ")
            ):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(tok)
        if run:
            runs.append(run)
        for run in runs:
            while run and (re.fullmatch(_PARTICLE, run[0][2]) or _INITIAL.match(run[0][2]) and len(run) == 1):
                run = run[1:]
            while run and re.fullmatch(_PARTICLE, run[-1][2]):
                run = run[:-1]
            if not run:
                continue
            words = [w for _, _, w in run]
            if any(w in gaz.org_words for w in words) or len(words) > 4:
                continue
            candidates.append((run[0][0], run[-1][1], words))

    full_names: dict[str, list[tuple[int, str]]] = {}  # surname -> [(pos, canonical)]
    persons = []
    for a, b, words in candidates:
        real = [w for w in words if not _INITIAL.match(w)]
        if len(real) >= 2:
            name, changed = _canonical_person(words, gaz)
            persons.append((a, b, words, name, "variant" if changed else ("exact" if name == text[a:b] else "alias")))
            full_names.setdefault(name.split()[-1], []).append((a, name))
    for a, b, words in candidates:
        real = [w for w in words if not _INITIAL.match(w)]
        if len(real) != 1:
            continue
        token = real[0]
        variant = gaz.variants.get(token, token)
        before = text[max(0, a - 40) : a]
        hon = _HONORIFIC_BEFORE.search(before)
        titled = bool(gaz.title_re.search(before)) or bool(_role_noun_re(gaz.role_nouns).search(before))
        start = a - len(hon.group(0)) if hon else a
        if variant in full_names:
            prior = [n for p, n in full_names[variant] if p < a] or [n for _, n in full_names[variant]]
            persons.append((start, b, words, prior[-1], "surname"))
        elif variant in gaz.people:
            persons.append((start, b, words, gaz.people[variant], "alias"))
        elif hon or titled:
            persons.append((start, b, words, variant, "variant" if variant != token else ("exact" if start == a else "alias")))
    for a, b, words, name, res in persons:
        found.append(dict(start=a, end=b, actor=name, actor_type="person", resolution=res))

    # 3. role phrases learned from appositions ("Russian President Vladimir Putin")
    learned: dict[tuple[str, str], set[str]] = {}
    for a, b, words, name, res in persons:
        if len(name.split()) < 2:
            continue
        before = text[max(0, a - 60) : a]
        tm = re.search(r"(?:^|[^\w])([A-Z][\w.]*(?:[ ]+[A-Z][\w.]*)?)[ ]+((?:[A-Z][a-z]+[ ]+){0,2}[A-Za-z]+)[ ]+$", before)
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
    found.sort(key=lambda d: (d["start"], -(d["end"] - d["start"]), d["actor"]))
    kept, last_end = [], -1
    for d in found:
        if d["start"] >= last_end:
            kept.append(d)
            last_end = d["end"]
    heads = _headline_lines(text)
    if heads:
        def in_head(d):
            return any(a <= d["start"] < b for a, b in heads)

        body = {d["actor"] for d in kept if not in_head(d)}
        kept = [d for d in kept if not in_head(d) or d["actor"] in body]
    for d in kept:
        d["surface"] = text[d["start"] : d["end"]]
    return kept


def _apply_actors_file(text: str, mentions: list[dict], entries: tuple[ActorEntry, ...]) -> list[dict]:
    """Re-label mentions matching an alias of the user's actors file, and add alias matches not yet found."""
    if not entries:
        return mentions
    by_alias = {_alias_key(a): e for e in entries for a in e.aliases}
    out = []
    for d in mentions:
        e = by_alias.get(_alias_key(d["surface"])) or by_alias.get(_alias_key(d["actor"]))
        if e is not None:
            d = dict(d, actor=e.name, actor_type=e.type, resolution="file")
        out.append(d)
    pattern = _forms_regex([a for e in entries for a in e.aliases])
    taken = [(d["start"], d["end"]) for d in out]
    for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", text):
        if any(m.start() < b and a < m.end() for a, b in taken):
            continue
        e = by_alias[_alias_key(m.group(0))]
        out.append(dict(start=m.start(), end=m.end(), actor=e.name, actor_type=e.type, resolution="file", surface=m.group(0)))
        taken.append((m.start(), m.end()))
    return sorted(out, key=lambda d: (d["start"], d["end"]))


def _add_source_mentions(text: str, ments: list[dict], qdf: pl.DataFrame, gaz: Gazetteer) -> list[dict]:
    """A named source in the quotes ledger ("Smith, a senator, said") that the finder missed becomes a mention.

    The attribution rules already say a source is named there, so one capitalised name run inside
    the source span (stop-words and titles stripped) is taken as a person.
    """
    added = []
    for s0, s1, stype in zip(qdf["source_start"].to_list(), qdf["source_end"].to_list(), qdf["source_type"].to_list()):
        if s0 is None or s1 is None or stype in ("anonymous", "document"):
            continue
        if any(d["start"] < s1 and s0 < d["end"] for d in ments + added):
            continue
        runs = []
        for m in _NAME_SEQ.finditer(text, s0, s1):
            toks = [t for t in m.group(0).split() if t not in gaz.stopwords and t not in gaz.adjective_country
                    and t.rstrip(".") not in gaz.honorifics and t.lower() not in gaz.role_nouns and not gaz.title_re.match(t + " ")]
            if toks and not any(t in gaz.org_words for t in toks) and len(toks) <= 4:
                first = m.group(0).index(toks[0])
                a = m.start() + first
                b = a + len(" ".join(toks)) if text[a : a + len(" ".join(toks))] == " ".join(toks) else m.end()
                runs.append((a, b, toks))
        if not runs:
            continue
        a, b, toks = runs[-1]
        hon = _HONORIFIC_BEFORE.search(text[max(0, a - 6) : a])
        start = a - len(hon.group(0)) if hon else a
        real = [t for t in toks if not _INITIAL.match(t)]
        if len(real) >= 2:
            name, _ = _canonical_person(toks, gaz)
            res = "exact" if name == text[start:b] else "alias"
        else:
            name = canonical_speaker(real[0], ments, gaz) if real else None
            res = "surname" if name and name != real[0] else ("exact" if start == a else "alias")
        if name:
            added.append(dict(start=start, end=b, actor=name, actor_type="person", resolution=res, surface=text[start:b]))
    return sorted(ments + added, key=lambda d: (d["start"], d["end"])) if added else ments


def canonical_speaker(name: str | None, doc_mentions: list[dict], gaz: Gazetteer | None = None) -> str | None:
    """Map a speaker string from the attribution ledger onto the document's canonical actors."""
    if name is None:
        return None
    gaz = gaz or builtin_gazetteer()
    by_surface = {re.sub(r"\s+", " ", d["surface"]): d["actor"] for d in doc_mentions}
    key = re.sub(r"\s+", " ", name.strip())
    if key in by_surface:
        return by_surface[key]
    actors = {d["actor"] for d in doc_mentions}
    if key in actors:
        return key
    words = [w for w in re.findall(rf"{_TOKEN}", key) if w not in gaz.stopwords and w.rstrip(".") not in gaz.honorifics]
    words = [w for w in words if not gaz.title_re.match(w + " ")]
    if not words:
        return name
    last = gaz.variants.get(words[-1], words[-1])
    full = sorted(a for a in actors if a.split()[-1] == last)
    if len(full) >= 1:
        return full[0]
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

    q_by_doc = quotes.with_row_index("_qrow").partition_by("doc_id", as_dict=True) if quotes.height else {}
    s_by_doc = sentences.select("doc_id", "sent_id", "start", "end").partition_by("doc_id", as_dict=True) if sentences.height else {}

    rows: list[dict] = []
    quote_speaker: dict[int, str | None] = {}
    speaker_map: dict[tuple[str, str], str | None] = {}
    window_jobs: list[tuple[str, str]] = []  # (window text, region text) per mention needing a score
    quote_texts: dict[int, str] = {}

    for doc_id, text in zip(documents["doc_id"].to_list(), documents["text"].to_list()):
        text = text or ""
        ments = _apply_actors_file(text, find_document_mentions(text, gaz), entries)
        qdf = q_by_doc.get((doc_id,))
        sdf = s_by_doc.get((doc_id,))
        sent_starts = sdf["start"].to_list() if sdf is not None else []
        sent_ends = sdf["end"].to_list() if sdf is not None else []
        sent_ids = sdf["sent_id"].to_list() if sdf is not None else []
        qspans = [(a, b) for a, b, _ in quote_spans(text)]
        # speakers of the ledger: mention overlapping the source span, else the speaker string mapped
        sources: list[tuple[int, int, int]] = []
        if qdf is not None:
            ments = _add_source_mentions(text, ments, qdf, gaz)
            for qrow, s0, s1, spk, qs, qe in zip(
                qdf["_qrow"].to_list(), qdf["source_start"].to_list(), qdf["source_end"].to_list(),
                qdf["speaker"].to_list(), qdf["start"].to_list(), qdf["end"].to_list(),
            ):
                actor = None
                if s0 is not None and s1 is not None:
                    over = [d for d in ments if d["start"] < s1 and s0 < d["end"]]
                    if over:
                        best = max(over, key=lambda d: (min(d["end"], s1) - max(d["start"], s0), -d["start"]))
                        actor = best["actor"]
                        sources.append((best["start"], best["end"], qrow))
                if actor is None and spk is not None:
                    actor = canonical_speaker(spk, ments, gaz)
                quote_speaker[qrow] = actor
                if spk is not None:
                    speaker_map.setdefault((doc_id, spk), actor)
                if qs is not None and qe is not None:
                    quote_texts[qrow] = text[qs:qe]
        import bisect

        for d in ments:
            k = bisect.bisect_right(sent_starts, d["start"]) - 1
            sid = sent_ids[k] if k >= 0 else None
            sbounds = (sent_starts[k], sent_ends[k]) if k >= 0 and d["start"] < sent_ends[k] else None
            in_quote = any(a <= d["start"] and d["end"] <= b for a, b in qspans)
            own_quotes = [q for a, b, q in sources if a == d["start"] and b == d["end"]]
            role = "speaker" if own_quotes else ("other" if in_quote else "target")
            job = None
            if not in_quote:
                job = sent.window_texts(
                    text, d["start"], d["end"], sentence=sbounds, quotes=qspans, speaker=True if own_quotes else None
                )
                window_jobs.append(job)
            rows.append(dict(doc_id=doc_id, sent_id=sid, **{k2: d[k2] for k2 in ("start", "end", "actor", "actor_type", "surface", "resolution")},
                             role=role, in_quote=in_quote, _job=job, _quotes=own_quotes))

    # VADER: each distinct text once per batch
    distinct = sorted({t for job in window_jobs for t in job} | set(quote_texts.values()))
    scores = dict(zip(distinct, sent.vader_compound(distinct)))
    q_score = {q: scores[t] for q, t in quote_texts.items()}
    for r in rows:
        job = r.pop("_job")
        r["sentiment"] = sent.combine(scores[job[0]], scores[job[1]]) if job is not None else None
        qs = [q_score[q] for q in r.pop("_quotes") if q_score.get(q) is not None]
        r["quoted_sentiment"] = round(sum(qs) / len(qs), 4) if qs else None

    mentions = schema.conform(pl.DataFrame(rows, schema=schema.polars_schema(schema.MENTIONS)) if rows else schema.empty(schema.MENTIONS), schema.MENTIONS)
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

    ``quotes`` may carry ``_qscore`` (VADER compound of each quote's content);
    without it quoted sentiment is scored here.
    """
    if "_qscore" not in quotes.columns:
        texts = [None] * quotes.height
        quotes = quotes.with_columns(pl.lit(None, dtype=pl.Float64).alias("_qscore"))
        del texts
    per = mentions.group_by(["doc_id", "actor"], maintain_order=True).agg(
        pl.col("actor_type").mode().sort().first().alias("actor_type"),
        pl.len().cast(pl.Int64).alias("mentions"),
        pl.col("sent_id").drop_nulls().n_unique().cast(pl.Int64).alias("sentences"),
        pl.col("sentiment").mean().alias("reporter_sentiment_mean"),
        pl.col("sentiment").count().cast(pl.Int64).alias("reporter_sentiment_n"),
    )
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
        .with_columns(
            pl.when(pl.col("_all") > 0).then(pl.col("quoted_words") / pl.col("_all")).otherwise(None).alias("voice_share")
        )
        .drop("_all")
    )
    return schema.conform(out, schema.ACTORS).sort(["doc_id", "actor"])


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
