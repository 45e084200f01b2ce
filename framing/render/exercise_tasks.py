"""Media-literacy tasks built from an analysis (no HTML here; see exercise.py).

Every task is tied to specific sentences of the article, and every answer in
the key comes from a row of the analysis frames (cues, quotes, sentences,
actors) or of the comparison, so a teacher can check and explain it.

Sentences are numbered for students from 1 (``sent_id + 1``) across the whole
article; paragraphs from 1 (``paragraph + 1``). A reference reads ``¶3 S7``;
references into the other outlet's version are prefixed ``B``.

Levels (see :data:`LEVELS`):

* ``intro`` — fewer tasks, definitions and an example for each, hints name
  the paragraph and the sentence, students find two items;
* ``standard`` — every core task, a short definition, hints name the
  paragraph, students find three items;
* ``advanced`` — every task plus "who is talked about but not heard", no
  definitions, no location hints, students find all items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from framing.errors import ConfigError, InputError


@dataclass(frozen=True)
class LevelSpec:
    name: str
    tasks: tuple[str, ...]
    items: int | None  # items students are asked to find; None = all
    hints: str  # "sentence" | "paragraph" | "none"
    definitions: bool
    examples: bool
    lines: int  # ruled lines per task on the worksheet
    claims: int  # unattributed claims shown in the key
    differences: int  # items per spot-the-difference group shown in the key


LEVELS: dict[str, LevelSpec] = {
    "intro": LevelSpec("intro", ("hedging", "sourcing", "compare"), 2, "sentence", True, True, 5, 2, 4),
    "standard": LevelSpec(
        "standard", ("hedging", "sourcing", "loaded_verb", "unattributed", "compare"), 3, "paragraph", True, False, 6, 3, 6
    ),
    "advanced": LevelSpec(
        "advanced",
        ("hedging", "sourcing", "loaded_verb", "unattributed", "voices", "compare"),
        None,
        "none",
        False,
        False,
        7,
        4,
        10,
    ),
}

KIND_LABELS = {
    "hedge": "hedge",
    "distancing": "distancing word",
    "booster": "booster",
    "reporting_verb": "reporting verb",
    "quote": "quoted words",
    "named_source": "named source",
    "anonymous_source": "anonymous source",
    "attributed": "attributed content",
}

SOURCE_TYPE_LABELS = {
    "named_person": "named person",
    "named_organization": "named organisation",
    "anonymous": "anonymous",
    "document": "document",
    "unknown": "not stated",
}

# Explanations for cues that come from a rule rather than a lexicon entry.
RULE_NOTES = {
    "hedge": "The writer signals that something is uncertain or only possible.",
    "distancing": "The writer keeps distance from a claim, signalling it is someone else's and may not be true.",
    "booster": "The writer signals strong certainty.",
    "reporting_verb": "A reporting verb tells you that the words that follow belong to a source, not to the writer.",
    "quote": "Words inside quotation marks are the source's own words, not the writer's.",
    "named_source": "The source is named, so a reader can judge who said it and check it.",
    "anonymous_source": "The source is not named; readers cannot check who said it or why they might say it.",
    "attributed": "Content the writer attributes to a source (underlined): the source's claim, not the writer's.",
}


def level_spec(level: str) -> LevelSpec:
    if level not in LEVELS:
        raise ConfigError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    return LEVELS[level]


# ---------------------------------------------------------------- data model


@dataclass(frozen=True)
class Ref:
    """A sentence of version A (the article) or B (the other outlet's version)."""

    version: str
    sent_id: int
    paragraph: int

    @property
    def label(self) -> str:
        prefix = "B " if self.version == "B" else ""
        return f"{prefix}¶{self.paragraph + 1} S{self.sent_id + 1}"


@dataclass(frozen=True)
class Sentence:
    sent_id: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DocView:
    """One article as students see it: metadata and numbered sentences."""

    version: str
    doc_id: str
    text: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    source_path: str | None
    source_label: str | None
    sentences: tuple[Sentence, ...]
    readability: dict

    @property
    def paragraphs(self) -> list[tuple[int, list[Sentence]]]:
        out: list[tuple[int, list[Sentence]]] = []
        for s in self.sentences:
            if out and out[-1][0] == s.paragraph:
                out[-1][1].append(s)
            else:
                out.append((s.paragraph, [s]))
        return out

    def ref(self, sent_id: int) -> Ref:
        for s in self.sentences:
            if s.sent_id == sent_id:
                return Ref(self.version, s.sent_id, s.paragraph)
        return Ref(self.version, sent_id, 0)

    def sentence(self, sent_id: int) -> Sentence | None:
        for s in self.sentences:
            if s.sent_id == sent_id:
                return s
        return None

    def sent_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    @property
    def label(self) -> str:
        """Short name for prompts: outlet (and date), else the given source label, else title or file name."""
        if self.outlet:
            return f"{self.outlet}, {self.date}" if self.date else self.outlet
        if self.source_label:
            return self.source_label
        if self.title:
            return self.title if len(self.title) <= 60 else self.title[:57].rstrip() + "…"
        return (self.source_path or self.doc_id).replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def last_sentence(self) -> str:
        return self.sentences[-1].text if self.sentences else ""


@dataclass(frozen=True)
class Highlight:
    """One span of the answer key, from one row of the cues or quotes frame."""

    hl_id: str
    frame: str  # "cues" | "quotes"
    kind: str
    category: str | None
    start: int
    end: int
    term: str
    lexicon_id: str | None
    note: str
    css: str
    in_quote: bool = False  # inside quoted speech: the speaker's words, not the writer's


@dataclass(frozen=True)
class AnswerItem:
    text: str
    refs: tuple[Ref, ...] = ()
    detail: str = ""
    context: tuple[str, str, str] | None = None  # before, marked, after
    rewrite: str | None = None
    diff: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] | None = None  # (A, B) segments: (same|changed, text)


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    items: tuple[AnswerItem, ...]
    empty: str = ""
    more: int = 0  # further items found but not listed


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    prompt: str
    steps: tuple[str, ...]
    hint: str | None
    scaffold: str | None
    lines: int
    refs: tuple[Ref, ...]
    answers: tuple[AnswerGroup, ...]
    answer_note: str = ""
    number: int = 0


@dataclass(frozen=True)
class Explanation:
    """Why a group of highlights is highlighted: the lexicon entry's note."""

    kind: str
    label: str
    terms: tuple[str, ...]
    lexicon_id: str | None
    note: str
    refs: tuple[Ref, ...]
    css: str


@dataclass(frozen=True)
class Exercise:
    level: LevelSpec
    doc: DocView
    other: DocView | None
    tasks: tuple[Task, ...]
    highlights: tuple[Highlight, ...]
    explanations: tuple[Explanation, ...]
    legend: tuple[tuple[str, str, str], ...]  # css, label, meaning
    discussion: tuple[str, ...]
    limitations: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- views


def pick_document(analysis, doc_id: str | None, *, role: str) -> str:
    """The doc_id to use from ``analysis``: the only measured document, or ``doc_id``."""
    docs = analysis.documents
    ids = docs["doc_id"].to_list()
    if doc_id is not None:
        if doc_id not in ids:
            raise InputError(f"{role}: no document {doc_id!r}; choose one of {', '.join(ids) or 'none'}")
        return doc_id
    if "measured" in docs.columns:
        measured = docs.filter(pl.col("measured").fill_null(False))
        if measured.height:
            docs = measured
    if docs.height == 0:
        raise InputError(f"{role}: the analysis holds no measured document")
    if docs.height > 1:
        listing = ", ".join(f"{r['doc_id']} ({r.get('source_path') or ''}#{r.get('segment')})" for r in docs.iter_rows(named=True))
        raise InputError(f"{role}: an exercise needs one article but the analysis holds {docs.height}: {listing}; pass doc_id")
    return docs["doc_id"][0]


def _fmt_date(value) -> str | None:
    return None if value is None else str(value)


def doc_view(analysis, doc_id: str, *, version: str, source_label: str | None = None) -> DocView:
    row = analysis.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    text = row.get("text") or ""
    sents = analysis.sentences.filter(pl.col("doc_id") == doc_id).sort("sent_id")
    if "paragraph" not in sents.columns:
        sents = sents.with_columns(pl.lit(None, dtype=pl.Int64).alias("paragraph"))
    sentences: list[Sentence] = []
    para_guess = 0
    prev_end = 0
    for r in sents.select("sent_id", "paragraph", "start", "end").iter_rows(named=True):
        if r["paragraph"] is None:  # derive paragraphs from line breaks when the segmenter gave none
            if sentences and "\n" in text[prev_end : r["start"]]:
                para_guess += 1
            para = para_guess
        else:
            para = r["paragraph"]
        sentences.append(Sentence(r["sent_id"], para, r["start"], r["end"], text[r["start"] : r["end"]]))
        prev_end = r["end"]
    metrics = analysis.metrics.filter(pl.col("doc_id") == doc_id)
    readability = metrics.row(0, named=True) if metrics.height else {}
    return DocView(
        version=version,
        doc_id=doc_id,
        text=text,
        title=row.get("title"),
        outlet=row.get("outlet"),
        date=_fmt_date(row.get("date")),
        url=row.get("url"),
        source_path=row.get("source_path"),
        source_label=source_label,
        sentences=tuple(sentences),
        readability=readability,
    )


def _doc_frame(frame: pl.DataFrame, doc_id: str) -> pl.DataFrame:
    return frame.filter(pl.col("doc_id") == doc_id)


def _context(doc: DocView, start: int, end: int, words: int = 7) -> tuple[str, str, str]:
    """The cue with a few words of its sentence either side."""
    sent = doc.sent_at(start)
    s0, s1 = (sent.start, sent.end) if sent else (max(0, start - 80), min(len(doc.text), end + 80))
    before = doc.text[s0:start]
    after = doc.text[end:s1]
    bw = before.split(" ")
    aw = after.split(" ")
    before = ("…" if len(bw) > words else "") + " ".join(bw[-words:])
    after = " ".join(aw[: words + 1]) + ("…" if len(aw) > words + 1 else "")
    return before, doc.text[start:end], after


# ---------------------------------------------------------------- highlights


def _entry_index(analysis) -> dict[str, object]:
    """'lexicon:entry_id' -> lexicon Entry, over the lexicons the analysis used."""
    from framing.lexicons import load_lexicons

    config = getattr(analysis, "config", None)
    files = tuple(getattr(config, "lexicon_files", ()) or ())
    index: dict[str, object] = {}
    for lx in load_lexicons(files).lexicons:
        for e in lx.entries:
            index[f"{lx.name}:{e.id}"] = e
    return index


def cue_css(kind: str, category: str | None) -> str:
    css = f"k-{kind}"
    if category == "loaded_verb":
        css += " k-loaded"
    return css


def build_highlights(analysis, doc: DocView, entries: dict[str, object]) -> tuple[Highlight, ...]:
    cues = _doc_frame(analysis.cues, doc.doc_id).sort(["start", "end", "kind", "lexicon_id"], nulls_last=True)
    spoken = [
        (r["start"], r["end"])
        for r in cues.filter((pl.col("kind") == "quote") & (pl.col("category") != "partial")).iter_rows(named=True)
    ]
    out: list[Highlight] = []
    for i, r in enumerate(cues.iter_rows(named=True)):
        in_quote = r.get("in_quote")
        if in_quote is None:  # derive from quotation-mark spans when the stage did not say
            in_quote = r["kind"] != "quote" and any(s <= r["start"] and r["end"] <= e for s, e in spoken)
        entry = entries.get(r["lexicon_id"] or "")
        note = getattr(entry, "note", None) or RULE_NOTES.get(r["kind"], "")
        out.append(
            Highlight(
                hl_id=f"c{i}",
                frame="cues",
                kind=r["kind"],
                category=r["category"],
                start=r["start"],
                end=r["end"],
                term=r["term"] if r["term"] is not None else doc.text[r["start"] : r["end"]],
                lexicon_id=r["lexicon_id"],
                note=note,
                css=cue_css(r["kind"], r["category"]),
                in_quote=bool(in_quote),
            )
        )
    quotes = _doc_frame(analysis.quotes, doc.doc_id).sort(["start", "end", "cue_start"], nulls_last=True)
    for i, r in enumerate(quotes.iter_rows(named=True)):
        if r["start"] is None or r["end"] is None or r["end"] <= r["start"]:
            continue
        st = r["source_type"] or "unknown"
        who = r["speaker"] or r["source"] or "an unstated source"
        note = f"Attributed to {who} ({SOURCE_TYPE_LABELS.get(st, st)})" + (
            f", reporting verb “{r['cue']}”." if r["cue"] else "."
        )
        out.append(
            Highlight(
                hl_id=f"q{i}",
                frame="quotes",
                kind="attributed",
                category=st,
                start=r["start"],
                end=r["end"],
                term=doc.text[r["start"] : r["end"]],
                lexicon_id=None,
                note=note,
                css="k-attributed" + (" direct" if r["direct"] else " indirect") + f" st-{st}",
            )
        )
    return tuple(out)


def build_explanations(doc: DocView, highlights: tuple[Highlight, ...]) -> tuple[Explanation, ...]:
    """One explanation per lexicon entry (or rule) among the cue highlights."""
    groups: dict[tuple[str, str], list[Highlight]] = {}
    for h in highlights:
        if h.frame != "cues":
            continue
        groups.setdefault((h.kind, h.lexicon_id or h.kind), []).append(h)
    out = []
    for (kind, lex), hs in sorted(groups.items(), key=lambda kv: (_KIND_ORDER.get(kv[0][0], 99), kv[0][1])):
        terms = tuple(sorted({h.term.lower() for h in hs}))
        refs = tuple(sorted({doc.ref(doc.sent_at(h.start).sent_id) for h in hs if doc.sent_at(h.start)}, key=lambda r: r.sent_id))
        out.append(Explanation(kind, KIND_LABELS.get(kind, kind), terms, hs[0].lexicon_id, hs[0].note, refs, hs[0].css))
    return tuple(out)


_KIND_ORDER = {k: i for i, k in enumerate(("hedge", "distancing", "booster", "reporting_verb", "named_source", "anonymous_source", "quote"))}


def legend_for(highlights: tuple[Highlight, ...]) -> tuple[tuple[str, str, str], ...]:
    present = {h.kind for h in highlights}
    loaded = any("k-loaded" in h.css for h in highlights)
    rows = []
    for kind in ("hedge", "distancing", "booster", "reporting_verb", "named_source", "anonymous_source", "quote", "attributed"):
        if kind in present:
            rows.append((f"k-{kind}", KIND_LABELS[kind], RULE_NOTES[kind]))
        if kind == "reporting_verb" and loaded:
            rows.append(("k-reporting_verb k-loaded", "loaded reporting verb", "A reporting verb that carries a judgement (claimed, insisted, admitted) rather than a neutral one (said, told)."))
    return tuple(rows)


# ---------------------------------------------------------------- tasks


def _hint(spec: LevelSpec, refs: list[Ref], noun: str) -> str | None:
    if not refs or spec.hints == "none":
        return None
    refs = sorted(set(refs), key=lambda r: r.sent_id)
    if spec.hints == "sentence":
        return f"Look for {noun} in " + ", ".join(r.label for r in refs[:6]) + ("…" if len(refs) > 6 else "") + "."
    paras = sorted({r.paragraph + 1 for r in refs})
    shown = ", ".join(str(p) for p in paras[:8]) + ("…" if len(paras) > 8 else "")
    return f"Look for {noun} in paragraph{'s' if len(paras) > 1 else ''} {shown}."


def _ask(spec: LevelSpec, available: int) -> str:
    if spec.items is None or available <= spec.items:
        return "all" if spec.items is None else str(available)
    return str(spec.items)


def hedging_task(analysis, doc: DocView, spec: LevelSpec, highlights) -> Task | None:
    hs = [h for h in highlights if h.frame == "cues" and h.kind in ("hedge", "distancing")]
    if not hs:
        return None
    def item(h: Highlight) -> AnswerItem:
        sent = doc.sent_at(h.start)
        return AnswerItem(text=h.term, refs=(doc.ref(sent.sent_id),) if sent else (), detail=h.note, context=_context(doc, h.start, h.end))

    writer = [h for h in hs if not h.in_quote]
    groups = [
        AnswerGroup(
            "Hedges in the writer's own words (the writer is not sure)",
            tuple(item(h) for h in writer if h.kind == "hedge"),
            empty="The tool found no hedges in the writer's own words.",
        ),
        AnswerGroup(
            "Distancing words (the writer keeps a claim at arm's length)",
            tuple(item(h) for h in writer if h.kind == "distancing"),
            empty="The tool found no distancing words in the writer's own words.",
        ),
    ]
    spoken = [h for h in hs if h.in_quote]
    if spoken:
        groups.append(
            AnswerGroup(
                "Inside quotations (the speaker hedges, not the writer)",
                tuple(item(h) for h in spoken),
            )
        )
    hs = writer or hs
    refs = [doc.ref(doc.sent_at(h.start).sent_id) for h in hs if doc.sent_at(h.start)]
    n = _ask(spec, len(hs))
    scaffold = None
    if spec.definitions:
        scaffold = (
            "A hedge shows the writer is not certain (may, might, appears, reportedly). "
            "A distancing word shows the writer does not vouch for a claim (so-called, claimed, alleged, without evidence)."
        )
        if spec.examples:
            scaffold += " Example: “The plan may fail” — “may” is a hedge."
    return Task(
        key="hedging",
        title="How sure is the writer? Hedges and distancing words",
        prompt=f"Find {n} words or phrases where the writer shows doubt or keeps distance from a claim. "
        "Copy each one, write its sentence number, and say what it tells the reader.",
        steps=("Word or phrase — sentence number — what it signals",),
        hint=_hint(spec, refs, "hedges and distancing words"),
        scaffold=scaffold,
        lines=spec.lines,
        refs=tuple(sorted(set(refs), key=lambda r: r.sent_id)),
        answers=tuple(groups),
        answer_note=f"The tool found {len(hs)} in all; accept any {n} of them, and other words a student can justify.",
    )


def _source_groups(analysis, doc: DocView) -> tuple[list[AnswerItem], list[AnswerItem], list[Ref]]:
    quotes = _doc_frame(analysis.quotes, doc.doc_id).sort(["start", "end", "cue_start"], nulls_last=True)
    named: dict[tuple[str, str], dict] = {}
    anonymous: list[AnswerItem] = []
    refs: list[Ref] = []
    for r in quotes.iter_rows(named=True):
        st = r["source_type"] or "unknown"
        ref = doc.ref(r["sent_id"])
        refs.append(ref)
        if st == "anonymous":
            src = r["source"] or r["speaker"] or "an unnamed source"
            anonymous.append(
                AnswerItem(
                    text=src,
                    refs=(ref,),
                    detail=f"anonymous source, reporting verb “{r['cue']}”" if r["cue"] else "anonymous source",
                    context=_context(doc, r["source_start"], r["source_end"]) if r["source_start"] is not None else None,
                )
            )
            continue
        who = r["speaker"] or r["source"] or "not stated"
        g = named.setdefault((who, st), {"refs": [], "verbs": [], "direct": False})
        g["refs"].append(ref)
        if r["cue"]:
            g["verbs"].append(r["cue"].lower())
        g["direct"] = g["direct"] or bool(r["direct"])
    # anonymous_source cues outside the ledger ("Many analysts were skeptical"); one item per span of words
    covered = [
        (r["source_start"], r["source_end"])
        for r in quotes.filter(pl.col("source_type") == "anonymous").iter_rows(named=True)
        if r["source_start"] is not None
    ]
    anon_cues = _doc_frame(analysis.cues, doc.doc_id).filter(pl.col("kind") == "anonymous_source").sort("start", "end")
    for r in anon_cues.iter_rows(named=True):
        if any(r["start"] < e and s < r["end"] for s, e in covered):
            continue
        covered.append((r["start"], r["end"]))
        ref = doc.ref(r["sent_id"])
        refs.append(ref)
        anonymous.append(AnswerItem(text=r["term"], refs=(ref,), detail="anonymous source", context=_context(doc, r["start"], r["end"])))
    named_items = []
    for (who, st), g in sorted(named.items(), key=lambda kv: (min(x.sent_id for x in kv[1]["refs"]), kv[0])):
        verbs = sorted(set(g["verbs"]))
        rs = tuple(sorted(set(g["refs"]), key=lambda x: x.sent_id))
        detail = f"{SOURCE_TYPE_LABELS.get(st, st)}; {len(g['refs'])} attribution{'s' if len(g['refs']) != 1 else ''}"
        if verbs:
            detail += "; verbs: " + ", ".join(verbs)
        if g["direct"]:
            detail += "; quoted directly"
        named_items.append(AnswerItem(text=who, refs=rs, detail=detail))
    anonymous.sort(key=lambda a: (a.refs[0].sent_id if a.refs else -1, a.text))
    return named_items, anonymous, refs


def _unheard(analysis, doc: DocView) -> list[AnswerItem]:
    """People the article names who are never quoted (from the actors and mentions frames)."""
    actors = _doc_frame(analysis.actors, doc.doc_id)
    if actors.height == 0:
        return []
    quoted = set(_doc_frame(analysis.quotes, doc.doc_id)["speaker"].drop_nulls().to_list())
    people = actors.filter(
        (pl.col("actor_type").fill_null("person") == "person")
        & (pl.col("quoted_words").fill_null(0) == 0)
        & ~pl.col("actor").is_in(sorted(quoted))
    ).sort(["mentions", "actor"], descending=[True, False])
    mentions = _doc_frame(analysis.mentions, doc.doc_id)
    out = []
    for r in people.iter_rows(named=True):
        sids = sorted(set(mentions.filter(pl.col("actor") == r["actor"])["sent_id"].to_list()))
        out.append(
            AnswerItem(
                text=r["actor"],
                refs=tuple(doc.ref(s) for s in sids),
                detail=f"mentioned {r['mentions']} time{'s' if r['mentions'] != 1 else ''}, never quoted",
            )
        )
    return out


def sourcing_task(analysis, doc: DocView, spec: LevelSpec) -> Task | None:
    named, anonymous, refs = _source_groups(analysis, doc)
    if not named and not anonymous:
        return None
    unheard = _unheard(analysis, doc)
    groups = [
        AnswerGroup("Named sources (who is quoted or cited by name)", tuple(named), empty="The tool found no named sources."),
        AnswerGroup("Anonymous sources (not named)", tuple(anonymous), empty="The tool found no anonymous sources in this article."),
    ]
    if unheard:
        groups.append(
            AnswerGroup(
                "Other people the article names (the tool found no quotation from them: check whether their words are reported another way)",
                tuple(unheard),
            )
        )
    steps = ["Source — named or anonymous? — sentence number(s)"]
    prompt = "List who is quoted or cited in this article. For each source, write whether it is named (you know exactly who) or anonymous (e.g. “officials say”)."
    if anonymous:
        prompt += " Then find the anonymous sources: why might a reporter use them, and what can a reader not check?"
        steps.append("Anonymous sources — sentence numbers — what a reader cannot check")
    scaffold = None
    if spec.definitions:
        scaffold = "A named source is a person or organisation the article identifies. An anonymous source is described but not named: “U.S. officials”, “analysts”, “people familiar with the talks”."
        if spec.examples:
            scaffold += " Example: “Analysts say the plan will fail” — anonymous (which analysts?)."
    return Task(
        key="sourcing",
        title="Who is speaking? Named and anonymous sources",
        prompt=prompt,
        steps=tuple(steps),
        hint=_hint(spec, [r for r in refs], "sources"),
        scaffold=scaffold,
        lines=spec.lines + 2,
        refs=tuple(sorted(set(refs), key=lambda r: r.sent_id)),
        answers=tuple(groups),
        answer_note=f"{len(named)} named and {len(anonymous)} anonymous source{'s' if len(anonymous) != 1 else ''} found by the tool.",
    )


def neutral_verb(verb: str, suggestion: str | None = None) -> str:
    """A neutral reporting verb in the same form: claiming -> saying, claimed -> said, insists -> says."""
    v = verb.strip()
    low = v.lower()
    # "said" in the verb's own form (saying / says / said)
    form = "saying" if low.endswith("ing") else "says" if low.endswith("s") and not low.endswith("ss") else "said"
    # a lexicon suggestion wins, except that a one-word "said" suggestion takes the verb's form
    neutral_said = suggestion in ("said", "says", "saying") and " " not in low
    base = suggestion if suggestion and not neutral_said else form
    return base[0].upper() + base[1:] if v[:1].isupper() else base


def loaded_verb_task(analysis, doc: DocView, spec: LevelSpec, entries: dict) -> Task | None:
    cues = _doc_frame(analysis.cues, doc.doc_id).filter(pl.col("category") == "loaded_verb")
    spans = {(r["start"], r["end"]): (r["term"], r["lexicon_id"]) for r in cues.iter_rows(named=True)}
    quotes = _doc_frame(analysis.quotes, doc.doc_id).filter(pl.col("loaded_cue").fill_null(False) & pl.col("cue_start").is_not_null())
    for r in quotes.iter_rows(named=True):
        spans.setdefault((r["cue_start"], r["cue_end"]), (doc.text[r["cue_start"] : r["cue_end"]], None))
    if not spans:
        return None
    items = []
    refs = []
    for (start, end), (term, lex) in sorted(spans.items()):
        sent = doc.sent_at(start)
        if sent is None:
            continue
        entry = entries.get(lex or "")
        suggestion = entry.get("neutral") if entry is not None and hasattr(entry, "get") else None
        note = getattr(entry, "note", None) or RULE_NOTES["reporting_verb"]
        following = re.match(r"\s*([\w’']+)", doc.text[end : sent.end])
        nxt = following.group(1).lower() if following else ""
        if suggestion or not (nxt == "to" or nxt.endswith("ing")):
            neutral = neutral_verb(term, suggestion)
            rewrite = sent.text[: start - sent.start] + neutral + sent.text[end - sent.start :]
        else:  # "declined to say", "denied having": swapping the verb alone breaks the sentence
            rewrite = None
            note += f" (Rewrite by hand: “{term} {nxt}…” needs more than a verb swap, e.g. “did not say”, “said he had not”.)"
        ref = doc.ref(sent.sent_id)
        refs.append(ref)
        items.append(AnswerItem(text=term, refs=(ref,), detail=note, context=_context(doc, start, end), rewrite=rewrite))
    if not items:
        return None
    scaffold = None
    if spec.definitions:
        scaffold = "Neutral reporting verbs: said, told, stated, wrote. Loaded ones add a judgement: claimed (may not be true), insisted (stubborn), admitted (confessed something bad), acknowledged."
    return Task(
        key="loaded_verb",
        title="Loaded reporting verbs",
        prompt="Find a reporting verb that carries a judgement about the speaker (not a plain “said”). "
        "Copy the sentence number, then rewrite the sentence with a neutral verb. How does the meaning change?",
        steps=("Verb and sentence number", "Neutral rewrite", "What changed for the reader"),
        hint=_hint(spec, refs, "a loaded reporting verb"),
        scaffold=scaffold,
        lines=spec.lines,
        refs=tuple(sorted(set(refs), key=lambda r: r.sent_id)),
        answers=(AnswerGroup("Loaded reporting verbs, with a neutral rewrite", tuple(items)),),
        answer_note="Any one is a full answer; the suggested rewrite swaps only the verb.",
    )


def unattributed_claims(analysis, doc: DocView, limit: int) -> pl.DataFrame:
    """Strong assertions in the writer's own voice.

    Sentences with ``attributed`` false, no quoted speech, no hedge,
    distancing word, reporting verb or source cue, at least 8 words and not a
    question; ranked by boosters, then numbers, then length (ties: order in
    the text).
    """
    sents = _doc_frame(analysis.sentences, doc.doc_id)
    cues = _doc_frame(analysis.cues, doc.doc_id)
    per = cues.group_by("sent_id", maintain_order=True).agg(
        pl.col("kind").is_in(["hedge", "distancing", "reporting_verb", "named_source", "anonymous_source", "quote"]).any().alias("_soft"),
        (pl.col("kind") == "booster").sum().cast(pl.Int64).alias("_boost"),
    )
    quoted = _doc_frame(analysis.quotes, doc.doc_id).select("sent_id").unique().with_columns(pl.lit(True).alias("_q"))
    n_words = pl.col("n_words") if "n_words" in sents.columns else pl.col("text").str.count_matches(r"\w+")
    return (
        sents.join(per, on="sent_id", how="left")
        .join(quoted, on="sent_id", how="left")
        .with_columns(n_words.alias("_nw"))
        .filter(
            ~pl.col("attributed").fill_null(False)
            & (pl.col("quote_share").fill_null(0.0) == 0.0)
            & ~pl.col("_soft").fill_null(False)
            & ~pl.col("_q").fill_null(False)
            & (pl.col("_nw") >= 8)
            & ~pl.col("text").str.contains(r"\?\s*[”\"’']*$")
            & ~pl.col("text").str.contains(r"[“”\"]")
        )
        .with_columns(
            pl.col("_boost").fill_null(0).alias("_boost"),
            pl.col("text").str.contains(r"\d").cast(pl.Int64).alias("_num"),
        )
        .sort(["_boost", "_num", "_nw", "sent_id"], descending=[True, True, True, False])
        .head(limit)
        .sort("sent_id")
    )


def unattributed_task(analysis, doc: DocView, spec: LevelSpec) -> Task | None:
    claims = unattributed_claims(analysis, doc, spec.claims)
    if claims.height == 0:
        return None
    items = []
    refs = []
    for r in claims.iter_rows(named=True):
        ref = doc.ref(r["sent_id"])
        refs.append(ref)
        items.append(
            AnswerItem(
                text=r["text"],
                refs=(ref,),
                detail="stated in the writer's own voice: no source, no quotation, no hedge"
                + (f"; {r['_boost']} booster{'s' if r['_boost'] != 1 else ''}" if r["_boost"] else ""),
            )
        )
    scaffold = None
    if spec.definitions:
        scaffold = "An attributed claim says who it comes from (“officials said…”). An unattributed claim is the writer's own statement of fact."
    return Task(
        key="unattributed",
        title="Claims without a source",
        prompt="Find a sentence where the writer states something as fact without saying where it comes from. "
        "Write its number. How could a reader check it? What source would you want?",
        steps=("Sentence number", "How could you check it?"),
        hint=_hint(spec, refs, "such a claim"),
        scaffold=scaffold,
        lines=spec.lines,
        refs=tuple(refs),
        answers=(AnswerGroup("Strong claims in the writer's own voice", tuple(items)),),
        answer_note="These are the strongest candidates the tool found (no attribution, no quotation, no hedge); "
        "background facts a reporter may not need to source are fine to discuss.",
    )


def voices_task(analysis, doc: DocView, spec: LevelSpec) -> Task | None:
    actors = _doc_frame(analysis.actors, doc.doc_id)
    if actors.height == 0:
        return None
    heard = actors.filter(pl.col("quoted_words").fill_null(0) > 0).sort(["quoted_words", "actor"], descending=[True, False])
    unheard = _unheard(analysis, doc)
    if heard.height == 0 and not unheard:
        return None
    total = heard["quoted_words"].sum() or 0
    items = []
    for r in heard.iter_rows(named=True):
        share = r["voice_share"] if r["voice_share"] is not None else (r["quoted_words"] / total if total else None)
        pct = f"{share:.0%} of quoted words" if share is not None else "quoted"
        items.append(AnswerItem(text=r["actor"], detail=f"{r['quoted_words']} quoted words ({pct})"))
    groups = [AnswerGroup("Who gets the most words", tuple(items), empty="No quoted words were attributed to a named actor.")]
    groups.append(AnswerGroup("Talked about but never quoted", tuple(unheard), empty="Everyone named is also quoted."))
    return Task(
        key="voices",
        title="Whose voice is heard, whose is missing?",
        prompt="Who gets the most space to speak in their own words? Who is talked about but never quoted? "
        "Whose point of view would you add, and why?",
        steps=("Most quoted", "Talked about but not quoted", "A voice you would add"),
        hint=None,
        scaffold=None,
        lines=spec.lines,
        refs=tuple(sorted({r for it in unheard for r in it.refs}, key=lambda r: r.sent_id)),
        answers=tuple(groups),
    )


# ---------------------------------------------------------------- compare


def _one_document(analysis, doc_id: str):
    """``analysis`` restricted to one document (every frame filtered on doc_id)."""
    from framing.analysis import Analysis

    frames = {}
    for name, frame in analysis.frames().items():
        if name == "errors":
            continue
        frames[name] = frame.filter(pl.col("doc_id") == doc_id) if "doc_id" in frame.columns else frame
    return Analysis(**frames, errors=analysis.errors.clear(), config=analysis.config)


def comparison_dict(a, b, doc_a: str, doc_b: str, labels: tuple[str, str] = ("A", "B")) -> dict:
    """Compare document ``doc_a`` of ``a`` with ``doc_b`` of ``b`` using :func:`framing.compare.compare`.

    Returns ``{"alignment": <Alignment.to_dict()>, "reuse": <verdict or None>,
    "quotes": <Comparison.quotes>}``. When compare() did not pair the two
    documents as the same story (too little shared vocabulary), the sentences
    are aligned directly with :func:`framing.compare.align.align_texts`: the
    teacher asked for this comparison.
    """
    from framing.compare import compare as compare_fn
    from framing.compare import align as align_mod

    sub_a, sub_b = _one_document(a, doc_a), _one_document(b, doc_b)
    comp = compare_fn(sub_a, sub_b, labels=labels).to_dict()
    pair = next((p for p in comp.get("same_story", []) if p.get("a_doc") == doc_a and p.get("b_doc") == doc_b), None)
    if pair is not None:
        alignment, reuse = pair["alignment"], pair.get("reuse")
    else:
        def spans(an, did):
            rows = an.sentences.filter(pl.col("doc_id") == did).sort("sent_id")
            return list(zip(rows["start"].to_list(), rows["end"].to_list()))

        ta = sub_a.documents["text"][0] or ""
        tb = sub_b.documents["text"][0] or ""
        alignment = align_mod.align_texts(ta, tb, a_spans=spans(sub_a, doc_a), b_spans=spans(sub_b, doc_b)).to_dict()
        reuse = None
    return {"alignment": alignment, "reuse": reuse, "quotes": comp.get("quotes") or {}}


def _nth(doc: DocView, index) -> Sentence | None:
    """The index-th sentence of ``doc`` (alignment indexes follow sentence order)."""
    if index is None or not 0 <= index < len(doc.sentences):
        return None
    return doc.sentences[index]


def _quote_ref(doc: DocView, content: str) -> tuple[Ref, ...]:
    if not content:
        return ()
    pos = doc.text.find(content)
    sent = doc.sent_at(pos) if pos >= 0 else None
    return (doc.ref(sent.sent_id),) if sent else ()


def _top(items: list[tuple[tuple, AnswerItem]], limit: int) -> tuple[tuple[AnswerItem, ...], int]:
    """The ``limit`` best items (lowest rank key), shown in text order; and how many were left out."""
    best = sorted(items, key=lambda x: x[0])[:limit]
    best.sort(key=lambda x: x[0][-1])
    return tuple(it for _, it in best), max(0, len(items) - limit)


def compare_task(comp: dict, doc: DocView, other: DocView, spec: LevelSpec, highlights=()) -> Task | None:
    """Spot the difference. Reworded sentences whose changed words hold a
    framing cue of version A (hedge, distancing word, booster, reporting verb)
    come first; omitted sentences of six words or more before shorter ones;
    each group keeps ``spec.differences`` items, in text order."""
    align = comp.get("alignment") or {}
    quotes = comp.get("quotes") or {}
    cue_kinds = ("hedge", "distancing", "booster", "reporting_verb")
    a_cues = [h for h in highlights if h.frame == "cues" and h.kind in cue_kinds]

    def refs_of(d: DocView, idxs) -> tuple[Ref, ...]:
        return tuple(d.ref(s.sent_id) for s in (_nth(d, i) for i in idxs) if s is not None)

    def short(text: str) -> bool:
        return len(text.split()) < 6

    left_out, more_left = _top(
        [
            ((short(d.get("text", "")), i), AnswerItem(text=d.get("text", ""), refs=refs_of(doc, [d.get("a_sentence")]), detail=f"in A ({doc.label}), not in B"))
            for i, d in enumerate(align.get("missing_from_b") or [])
        ],
        spec.differences,
    )
    only_b, more_b = _top(
        [
            ((short(d.get("text", "")), i), AnswerItem(text=d.get("text", ""), refs=refs_of(other, [d.get("b_sentence")]), detail=f"in B ({other.label}) only"))
            for i, d in enumerate(align.get("added_in_b") or [])
        ],
        spec.differences,
    )
    rewords = []
    for p in align.get("pairs") or []:
        if p.get("kind") != "reworded":
            continue
        changes = (p.get("diff") or {}).get("changes") or []
        pairs = []
        for c in changes:
            old, new = c.get("from") or "", c.get("to") or ""
            pairs.append(f"“{old}” → “{new}”" if old and new else (f"dropped “{old}”" if old else f"added “{new}”"))
        if not pairs:
            continue
        a_segments = (p.get("diff") or {}).get("a_segments") or []
        changed = " ".join(t for k, t in a_segments if k == "changed").lower()
        a_sents = [x for x in (_nth(doc, i) for i in p.get("a_sentences") or []) if x is not None]
        hits = sum(
            1 for h in a_cues if any(x.start <= h.start < x.end for x in a_sents) and h.term.lower().strip("“”\"") in changed
        )
        rewords.append(
            ((-hits, len(rewords)),
            AnswerItem(
                text="; ".join(pairs),
                refs=refs_of(doc, p.get("a_sentences") or []) + refs_of(other, p.get("b_sentences") or []),
                diff=(
                    tuple((k, t) for k, t in (p.get("diff") or {}).get("a_segments") or [["same", p.get("a", "")]]),
                    tuple((k, t) for k, t in (p.get("diff") or {}).get("b_segments") or [["same", p.get("b", "")]]),
                ),
            ))
        )
    rewords, more_re = _top(rewords, spec.differences)
    quote_items = []
    for side, view, rows in (("A", doc, quotes.get("only_in_a") or []), ("B", other, quotes.get("only_in_b") or [])):
        for d in rows:
            who = f" ({d['speaker']})" if d.get("speaker") else ""
            item = AnswerItem(text=d.get("content") or "", refs=_quote_ref(view, d.get("content") or ""), detail=f"only {side} keeps this{who}")
            quote_items.append(((short(item.text), len(quote_items)), item))
    quote_items, more_q = _top(quote_items, spec.differences)
    if not (left_out or only_b or rewords or quote_items):
        return None
    refs = [r for it in left_out + tuple(rewords) for r in it.refs if r.version == "A"]
    scaffold = None
    if spec.definitions:
        scaffold = "Read version A (this worksheet's article) and version B (the other outlet's, at the end). Look for sentences that only one has, words that were swapped, and quotations that only one keeps."
    reuse = comp.get("reuse") or {}
    note = "From the tool's sentence alignment; heavily rewritten sentences can appear as left out in one version and added in the other."
    if reuse.get("explanation"):
        note = reuse["explanation"] + " " + note
    return Task(
        key="compare",
        title="Spot the difference: the other outlet's version",
        prompt=f"Compare version A ({doc.label}) with version B ({other.label}). "
        "Find a sentence one version left out, a phrase the other reworded, and a quotation only one of them kept. "
        "Does the change alter how sure or how fair the story sounds?",
        steps=("Left out (sentence number)", "Reworded: A says … / B says …", "Quote only one kept", "Does it change the story?"),
        hint=_hint(spec, refs, "differences"),
        scaffold=scaffold,
        lines=spec.lines + 2,
        refs=tuple(sorted(set(refs), key=lambda r: r.sent_id)),
        answers=(
            AnswerGroup("Sentences version B left out (only in A)", left_out, empty="None found.", more=more_left),
            AnswerGroup("Phrases reworded (A → B), those touching hedges, distancing words and reporting verbs first", rewords, empty="None found.", more=more_re),
            AnswerGroup("Sentences only in version B", only_b, empty="None found.", more=more_b),
            AnswerGroup("Quotations only one version kept", quote_items, empty="None found.", more=more_q),
        ),
        answer_note=note,
    )


# ---------------------------------------------------------------- discussion


def discussion(doc: DocView, tasks: tuple[Task, ...], other: DocView | None) -> tuple[str, ...]:
    qs = [
        "Which sentence in the article would you most want to check, and how would you check it?",
        "Does the article give every side a chance to speak? Who would you add as a source?",
        "Find one place where the writer sounds certain and one where the writer sounds unsure. Is each one justified?",
    ]
    keys = {t.key for t in tasks}
    if "sourcing" in keys:
        qs.append("When is it fair for a reporter to use an anonymous source? What should the article tell you about them?")
    if "loaded_verb" in keys:
        qs.append("Does swapping a loaded verb for “said” make the article fairer, or does it hide something the reporter knows?")
    if other is not None:
        qs.append("Version B does not credit version A. Why does it matter to know where a story first came from?")
    return tuple(qs)


LIMITATIONS = (
    "Hedges, distancing words and loaded verbs are matched from word lists: the tool misses doubt expressed in other words, irony and tone, and may mark a word used in another sense.",
    "Who said what is found by patterns around reporting verbs and quotation marks; quotes without quotation marks (common in translations), long quotes over several paragraphs and pronouns (“he said”) can be attributed to the wrong person or missed.",
    "“Anonymous” means the text does not name the source; the tool cannot tell whether the reporter knows who it is or why the name was withheld.",
    "A claim without attribution is not necessarily wrong: background facts are often stated without a source. The tool cannot check facts.",
    "Readability formulas count sentence length and syllables only; they do not measure how hard the ideas or background knowledge are.",
    "The comparison aligns sentences by their words: a heavily rewritten sentence can show as left out of one version and added to the other.",
)


def build_tasks(analysis, doc: DocView, spec: LevelSpec, *, highlights, entries, comp=None, other=None) -> tuple[tuple[Task, ...], tuple[str, ...]]:
    tasks = []
    skipped = []
    makers = {
        "hedging": lambda: hedging_task(analysis, doc, spec, highlights),
        "sourcing": lambda: sourcing_task(analysis, doc, spec),
        "loaded_verb": lambda: loaded_verb_task(analysis, doc, spec, entries),
        "unattributed": lambda: unattributed_task(analysis, doc, spec),
        "voices": lambda: voices_task(analysis, doc, spec),
        "compare": lambda: compare_task(comp, doc, other, spec, highlights) if comp is not None and other is not None else None,
    }
    reasons = {
        "hedging": "no hedges or distancing words were found",
        "sourcing": "no sources were found",
        "loaded_verb": "no loaded reporting verb was found",
        "unattributed": "no strong unattributed claim was found",
        "voices": "no actors were found",
        "compare": "no differences were found",
    }
    for key in spec.tasks:
        if key == "compare" and comp is None:
            continue
        task = makers[key]()
        if task is None:
            skipped.append(f"{key.replace('_', ' ')}: left out because {reasons[key]}")
            continue
        tasks.append(task)
    numbered = tuple(
        Task(**{**t.__dict__, "number": i}) for i, t in enumerate(tasks, 1)
    )
    return numbered, tuple(skipped)


def readability_summary(doc: DocView) -> dict:
    r = doc.readability or {}
    grade = r.get("flesch_kincaid_grade")
    out = {
        "flesch_kincaid_grade": grade,
        "flesch_reading_ease": r.get("flesch_reading_ease"),
        "gunning_fog": r.get("gunning_fog"),
        "smog_index": r.get("smog_index"),
        "dale_chall": r.get("dale_chall"),
        "n_words": r.get("n_words"),
        "n_sentences": r.get("n_sentences") or len(doc.sentences),
        "mean_sentence_words": r.get("mean_sentence_words"),
        "note": r.get("readability_note"),
    }
    if grade is None:
        out["advice"] = "Reading level not available" + (f": {out['note']}" if out["note"] else ".")
    else:
        g = max(1, round(grade))
        if g <= 8:
            band = "middle school"
        elif g <= 12:
            band = "high school"
        else:
            band = "college-level"
        out["advice"] = f"Flesch-Kincaid grade {grade:.1f}: suits readers at about US grade {g} (age {g + 5}+), {band} reading; higher = harder."
    return out


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip()
