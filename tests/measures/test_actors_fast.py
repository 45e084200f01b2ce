"""The fast paths of the actors stage give exactly what the code they replaced gave.

Oracles: ``re.finditer`` with the original patterns and the frozen
pre-speed-up mention finder in tests/before_speedup.py (run with a gazetteer
of its own, so the two share no memo).
"""

from __future__ import annotations

import dataclasses

import before_speedup as B
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.measures import actors as A

_PIECES = (
    "Putin Vladimir V. Putin’s Mr. Mrs Dr. Sir President spokesman Peskov Russian Russia’s Kremlin NATO Nato "
    "al-Assad Bashar bin Laden van Gogh de la O’Brien McDonald iPhone U.S. U.N. Ukraine Kyiv Kiev Zelenskyy "
    "Zelensky the The said has Moscow Washington’s in with Monday January Republican Democrats Court News "
    "Institute Soviet-style Hamas-led alarm al a ’s 's - — . , ; : \" “ ” ( ) ’ ' A. B. Joe Biden Trump Donald "
    "Senate Sen. Gov. Secretary of State Prime Minister leader the Russian president Iran"
).split()
_SEPS = [" ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "-", "’", ""]
texts = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPS)), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=800, deadline=None)
@given(texts)
def test_scan_names_equals_finditer(text):
    got = [(m.start(), m.end()) for m in A._scan_names(text)]
    assert got == [(m.start(), m.end()) for m in A._NAME_SEQ.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Aal- B.’'sxZ a\n")), max_size=40))
def test_scan_names_equals_finditer_on_odd_text(text):
    got = [(m.start(), m.end()) for m in A._scan_names(text)]
    assert got == [(m.start(), m.end()) for m in A._NAME_SEQ.finditer(text)]


def _old_gazetteer():
    return dataclasses.replace(A.builtin_gazetteer(), memo={})


@settings(max_examples=500, deadline=None)
@given(texts)
def test_find_document_mentions_equals_the_old_version(text):
    assert A.find_document_mentions(text) == B.find_document_mentions(text, _old_gazetteer())


def test_find_document_mentions_equals_the_old_version_on_the_seeds(seeds_dir):
    import framing

    docs = framing.load_corpus(str(seeds_dir)).documents.filter(pl.col("measured"))
    old = _old_gazetteer()
    n = 0
    for text in docs["text"]:
        got = A.find_document_mentions(text)
        assert got == B.find_document_mentions(text, old)
        n += len(got)
    assert n > 200


@pytest.mark.parametrize("name", ["Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Lord", "Lady"])
def test_honorific_words_are_the_pattern_words(name):
    assert name in A._HONORIFICS and A._HONORIFIC_BEFORE.search(f"x {name}. ")
    assert set(A._HONORIFICS) == set(A._HONORIFIC_BEFORE.pattern.split("(")[1].split(")")[0].split("|"))


def test_document_rows_in_several_runs_give_the_same_actors(seeds_dir):
    """find_actors finds each document's sentence and quote rows as runs of equal ids: with the rows
    of the documents interleaved (each document's own rows still in order) the mentions, the actor
    table and each quote's speaker are what one run per document gives."""
    from framing.config import AnalysisConfig
    from framing.lexicons import load_lexicons
    from framing.measures.attribution import attribute
    from framing.text.sentences import segment

    files = sorted(seeds_dir.glob("[0-9][0-9][0-9]_*.txt"))[:6]
    docs = pl.DataFrame({"doc_id": [f.name for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    quotes, _, sents = attribute(docs, segment(docs), lexicons=load_lexicons())

    def interleave(frame):
        rank = pl.int_range(pl.len()).over("doc_id")
        return frame.with_columns(_r=rank).sort("_r", "doc_id", maintain_order=True).drop("_r")

    mixed_q, mixed_s = interleave(quotes), interleave(sents)
    assert mixed_s["doc_id"].rle().len() > len(files) and mixed_q["doc_id"].rle().len() > len(files)
    m, a, q, _ = A.find_actors(docs, sents, quotes, config=AnalysisConfig())
    m2, a2, q2, _ = A.find_actors(docs, mixed_s, mixed_q, config=AnalysisConfig())
    assert m2.equals(m) and a2.equals(a)
    key = ["doc_id", "start", "end", "source_start"]
    assert q2.sort(key, nulls_last=True).equals(q.sort(key, nulls_last=True))


def test_quotes_without_a_speaker_are_not_scored_and_nothing_changes(seeds_dir, monkeypatch):
    """find_actors scores only the quotes whose VADER score is read: the actor table equals the one
    computed with every quote scored."""
    from framing.config import AnalysisConfig
    from framing.lexicons import load_lexicons
    from framing.measures import sentiment
    from framing.measures.attribution import attribute
    from framing.text.sentences import segment

    files = sorted(seeds_dir.glob("[0-9][0-9][0-9]_*.txt"))
    docs = pl.DataFrame({"doc_id": [f.name for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    quotes, _, sents = attribute(docs, segment(docs), lexicons=load_lexicons())
    scored: list[str] = []
    real = sentiment.vader_compound

    def recording(texts):
        texts = list(texts)
        scored.extend(texts)
        return real(texts)

    monkeypatch.setattr(sentiment, "vader_compound", recording)
    m, a, q, _ = A.find_actors(docs, sents, quotes, config=AnalysisConfig())
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    every = [text_of[d][s:e] if s is not None else None for d, s, e in zip(q["doc_id"], q["start"], q["end"])]
    assert q["speaker"].null_count() > 0 and len(set(scored)) < len({t for t in every if t is not None})
    full = q.with_columns(pl.Series("_qscore", [None if t is None else real([t])[0] for t in every], dtype=pl.Float64))
    assert A.actor_table(m, full).equals(a)


@settings(max_examples=800, deadline=None)
@given(texts)
def test_name_pattern_without_al_equals_finditer(text):
    text = text.replace("al-", "al ")
    got = [(m.start(), m.end()) for m in A._NAME_SEQ_UPPER.finditer(text)]
    assert got == [(m.start(), m.end()) for m in A._NAME_SEQ.finditer(text)]


@settings(max_examples=800, deadline=None)
@given(texts, st.integers(0, 250), st.integers(0, 80))
def test_name_pattern_without_al_equals_finditer_in_a_span(text, s0, length):
    """_add_source_mentions' span scan: the look-behind sees the text before the span in both patterns."""
    s1 = s0 + length
    if text.find("al-", s0, s1) < 0:
        got = [(m.start(), m.end()) for m in A._NAME_SEQ_UPPER.finditer(text, s0, s1)]
        assert got == [(m.start(), m.end()) for m in A._NAME_SEQ.finditer(text, s0, s1)]


@pytest.mark.parametrize("text, s0, s1", [("xJohn Smith", 1, 11), ("’John Smith", 1, 11), (" John Smith", 1, 11), ("John Smith", 0, 7)])
def test_name_patterns_in_a_span_agree_at_its_edges(text, s0, s1):
    got = [m.span() for m in A._NAME_SEQ_UPPER.finditer(text, s0, s1)]
    assert got == [m.span() for m in A._NAME_SEQ.finditer(text, s0, s1)]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_PIECES + ["Sen.", "Gov.", "President", "Secretary", "Minister", "Prime", "Rep.", "Chairman", "Mr."]))
def test_title_words_equal_the_title_pattern(word):
    gaz = A.builtin_gazetteer()
    assert (word in gaz.title_words) == bool(gaz.title_re.match(word + " "))
    assert A._breaks_name(word, gaz) == B._breaks_name(word, gaz)


def test_every_one_word_title_is_a_title_word():
    gaz = A.builtin_gazetteer()
    assert gaz.title_words and all(gaz.title_re.match(w + " ") for w in gaz.title_words)


_ENTITY_PIECES = sorted(A.builtin_gazetteer().entity_of)[:60] + [
    "the", "x", "-", ".", ".x", "’s", "\n", "  ", "\t", "U.S.", "U.S", "NATO-led", "Nato.", "_", "E.U.x",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ENTITY_PIECES), st.sampled_from(["", " ", "  ", "\n", "-", "."])), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts)
))
def test_entity_trie_scan_equals_the_entity_pattern(text):
    gaz = A.builtin_gazetteer()
    got = [(m.start(), m.group()) for m in A._scan(gaz.entity_body, A._ENTITY_LEAD, text)]
    assert got == [(m.start(), m.group()) for m in gaz.entity_re.finditer(text)]


_LINE_PIECES = ["Biden", "Trump", "Putin", "the", "of", "Says", "said", "War", "in", "Ukraine", "Kremlin", "a", "x"]
_LINE_SEPS = [" ", " ", "\n", "\n\n", ". ", ": ", "! ", ", ", "?\n", "”\n"]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_LINE_PIECES), st.sampled_from(_LINE_SEPS)), max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts)
    ),
    st.lists(st.tuples(st.integers(-2, 200), st.integers(0, 30), st.sampled_from(["A", "B", "C"])), max_size=12),
)
def test_resolve_overlaps_judges_only_the_lines_of_mentions(text, spans):
    """Headline lines are judged where a kept mention starts (including on a newline, past the end or
    before the start): the same mentions as judging every line first (the frozen old code)."""
    found = [dict(start=a, end=a + n, actor=actor, actor_type="person", resolution="exact") for a, n, actor in spans]
    got = A.resolve_overlaps(text, [dict(d) for d in found])
    assert got == B.resolve_overlaps(text, [dict(d) for d in found])


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_LINE_PIECES), st.sampled_from(_LINE_SEPS)), max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts)
    ),
    st.lists(
        st.tuples(st.integers(-2, 200), st.integers(0, 30), st.sampled_from(["A", "B", "C"]),
                  st.sampled_from(["person", "place"]), st.sampled_from(["exact", "alias", "role"])),
        max_size=12,
    ),
)
def test_resolve_found_equals_resolve_overlaps(text, spans):
    """find_document_mentions' tuple path: same records, in the same order, as resolve_overlaps on
    the same candidates as dicts (ties in start, length and actor keep the one found first)."""
    found = [dict(start=a, end=a + n, actor=actor, actor_type=kind, resolution=res) for a, n, actor, kind, res in spans]
    tuples = [(d["start"], d["start"] - d["end"], d["actor"], i, d["end"], d["actor_type"], d["resolution"]) for i, d in enumerate(found)]
    assert A._resolve_found(text, tuples) == A.resolve_overlaps(text, found)


def test_resolve_overlaps_on_a_headline_document():
    text = "Biden Meets Putin In Geneva\nBiden said on Monday that Putin was wrong.\nTrump Speaks\n"
    found = [
        dict(start=text.index(w, p), end=text.index(w, p) + len(w), actor=w, actor_type="person", resolution="exact")
        for w, p in (("Biden", 0), ("Putin", 0), ("Biden", 20), ("Putin", 40), ("Trump", 60))
    ]
    got = A.resolve_overlaps(text, [dict(d) for d in found])
    assert [d["actor"] for d in got] == ["Biden", "Putin", "Biden", "Putin"]  # Trump only in a headline
    assert got == B.resolve_overlaps(text, [dict(d) for d in found])


def test_actor_type_is_the_mode_of_its_mentions_types():
    # the mode is taken only when some actor has two types (or a null and a type); both paths give
    # what the plain per-group mode (ties: first in sort order, null first; null then means person) gives
    def expected(mentions):
        return (
            mentions.group_by(["doc_id", "actor"], maintain_order=True)
            .agg(pl.col("actor_type").mode().sort().first())
            .sort(["doc_id", "actor"])["actor_type"]
            .fill_null("person")
            .to_list()
        )

    def mentions(types):
        n = sum(len(t) for _, t in types)
        return pl.DataFrame(
            {
                "doc_id": ["d"] * n,
                "sent_id": list(range(n)),
                "actor": [a for a, t in types for _ in t],
                "actor_type": [x for _, t in types for x in t],
                "sentiment": [None] * n,
            },
            schema_overrides={"sentiment": pl.Float64, "actor_type": pl.String},
        )

    quotes = pl.DataFrame(
        {"doc_id": [], "speaker": [], "n_words": [], "_qscore": []},
        schema={"doc_id": pl.String, "speaker": pl.String, "n_words": pl.Int64, "_qscore": pl.Float64},
    )
    one_type = mentions([("A", ["place", "place"]), ("B", ["person"])])
    mixed = mentions(
        [("A", ["place", "person", "person"]), ("B", ["place", "person"]), ("C", ["place", None]),
         ("D", ["organization"]), ("E", ["place", None, None])]
    )
    for m in (one_type, mixed):
        assert A.actor_table(m, quotes)["actor_type"].to_list() == expected(m)
    assert A.actor_table(mixed, quotes)["actor_type"].to_list() == ["person", "person", "person", "organization", "person"]


def test_whitespace_other_than_a_space_is_unprintable():
    # _SpeakerIndex keys a printable surface without a double space as it is, skipping _SPACES.sub
    import sys

    assert not [c for c in map(chr, range(sys.maxunicode + 1)) if c != " " and c.isprintable() and A._SPACES.fullmatch(c)]
    for s in ("Vladimir Putin", "Mr.  Putin", "Putin\u00a0V.", "the\nRussian president", "Jo\u2009Biden", "Kyiv"):
        assert A._SpeakerIndex([{"surface": s, "actor": "x"}]).by_surface == {A._SPACES.sub(" ", s): "x"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8))
def test_span_index_disjoint_flag(spans):
    items = [{"start": a, "end": b} for a, b in spans]
    old = all(items[i]["end"] <= items[i + 1]["start"] and items[i]["start"] <= items[i]["end"] for i in range(len(items) - 1))
    index = A._SpanIndex(items)
    assert index.disjoint == old
    if any(a > b for a, b in spans):
        return  # a mention's span is never reversed (overlapping() assumes it)
    for s0, s1 in [(0, 5), (3, 3), (10, 20), (29, 31)]:
        assert index.overlapping(s0, s1) == [d for d in items if d["start"] < s1 and s0 < d["end"]]


_APPOSITION_PIECES = (
    "Russian British U.S. US American President PRESIDENT president Prime Minister prime minister Premier "
    "leader Leader chief head of state Head Of State strongman Chancellor Vladimir Putin Boris Johnson "
    "Rishi Sunak Putin Johnson Mr. the The THE Kremlin Moscow London said x Presidents leaders"
).split()
_APPOSITION_SEPS = [" ", " ", " ", "  ", " \n", "\n", "\n ", ", ", ". ", "-"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_APPOSITION_PIECES), st.sampled_from(_APPOSITION_SEPS)), max_size=30).map(
    lambda parts: "".join(w + s for w, s in parts)
))
def test_role_phrases_equal_the_old_version(text):
    """The apposition rule's head-word test and the role-phrase pattern led by its "t" (case, spacing,
    newlines before the name, multiword heads) find what the frozen old finder finds."""
    assert A.find_document_mentions(text) == B.find_document_mentions(text, _old_gazetteer())


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from([*_APPOSITION_PIECES, "PRESİDENT", "İ", "\u212a", "LEADER\u212a", "ΣLEADER", "chieΣ", "x" * 20]),
    st.sampled_from(_APPOSITION_SEPS),
), max_size=30).map(lambda parts: "".join(w + s for w, s in parts)))
def test_role_head_test_on_the_last_characters_equals_the_old_version(text):
    """The head-word test lower-cases only the last characters before a name: letters that lower-case
    to two characters (İ), to ASCII (the Kelvin sign) or by context (Σ), and long text before the
    name, give what the frozen old finder gives."""
    assert A.find_document_mentions(text) == B.find_document_mentions(text, _old_gazetteer())


def test_role_phrases_are_learned_and_found():
    text = (
        "On a day of talks that went on and on at the end of a long week in a cold city, the Russian President \n"
        "Vladimir Putin spoke. THE RUSSIAN  LEADER said that the Kremlin leader agreed. Iranian  Leader Ali Khamenei "
        "and the French strongman Emmanuel Macron met; the Iranian leader and the French  strongman left.\n"
    )
    got = [(d["surface"], d["actor"], d["resolution"]) for d in A.find_document_mentions(text)]
    assert [g for g in got if g[2] == "role"] == [
        ("the Russian President", "Vladimir Putin", "role"), ("THE RUSSIAN  LEADER", "Vladimir Putin", "role"),
        ("the Kremlin leader", "Vladimir Putin", "role"), ("the French strongman", "Emmanuel Macron", "role"),
        ("the Iranian leader", "Ali Khamenei", "role"), ("the French  strongman", "Emmanuel Macron", "role"),
    ]
    assert A.find_document_mentions(text) == B.find_document_mentions(text, _old_gazetteer())


def _runs_with_finditer(seq, gaz):
    """_runs_of as it was, words placed by finditer's match objects (the oracle of the findall version)."""
    out, run = [], []
    for t in A._TOKEN_OR_PARTICLE.finditer(seq):
        if A._breaks_name(t.group(), gaz):
            if run:
                A._close_run(run, out, gaz.org_words)
                run = []
        else:
            run.append((t.start(), t.end(), t.group()))
    if run:
        A._close_run(run, out, gaz.org_words)
    return tuple(out)


@settings(max_examples=800, deadline=None)
@given(st.one_of(texts, st.text(alphabet=st.sampled_from(list("AaMcDlbinV.’'s- ")), max_size=30)))
def test_runs_of_places_words_as_finditer(text):
    """Words split inside a sequence ("McDonald" is "Mc" and "Donald"), particles, initials and
    apostrophes: findall + find place every word where finditer does."""
    gaz = A.builtin_gazetteer()
    for m in A._scan_names(text):
        assert A._runs_of(m.group(), gaz, {}) == _runs_with_finditer(m.group(), gaz)
    assert A._runs_of(text, gaz, {}) == _runs_with_finditer(text, gaz)


_HEADLINE_PIECES = ["The", "THE", "tHe", "of", "OF", "Of", "a", "A", "An", "VS", "Vs", "With", "wITH", "Biden", "putin",
                    "O’Neil", "it's", "-", "Über", "İstanbul", "x", "Z", "’s", "1999"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_HEADLINE_PIECES), st.sampled_from([" ", " ", "-", "’", ": ", ", "])), max_size=30).map(
    lambda parts: "".join(w + s for w, s in parts)
))
def test_is_headline_equals_the_old_rule(line):
    """Small words in any case and non-ASCII letters: the any-case word set and the "sorts before a"
    capital test judge a line as the old lower()/isupper() rule did."""
    assert A._is_headline(line) == bool(B._headline_lines(line))
