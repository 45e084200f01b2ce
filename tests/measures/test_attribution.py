"""The attribution ledger: rules, speakers, source types, cues, sentence columns."""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from framing import schema
from framing.lexicons import load_lexicons
from framing.measures.attribution import attribute
from framing.text.sentences import segment


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons()


def run(texts: list[str], lexicons):
    docs = pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    return attribute(docs, segment(docs), lexicons=lexicons)


def ledger(text: str, lexicons) -> list[dict]:
    quotes, _, _ = run([text], lexicons)
    return [
        {**r, "content": text[r["start"] : r["end"]], "cue_text": text[r["cue_start"] : r["cue_end"]] if r["cue_start"] is not None else None}
        for r in quotes.iter_rows(named=True)
    ]


@pytest.mark.parametrize(
    ("text", "content", "cue", "source", "source_type", "speaker", "rule", "direct", "loaded"),
    [
        ("“We are ready,” Vladimir Putin said.", "We are ready,", "said", "Vladimir Putin", "named_person", "Vladimir Putin", "quote_before", True, False),
        ("“We are ready,” said Mr. Putin.", "We are ready,", "said", "Mr. Putin", "named_person", "Putin", "quote_before", True, False),
        ("Mr. Trump said the conflict must end immediately.", "the conflict must end immediately", "said", "Mr. Trump", "named_person", "Trump", "verb_clause", False, False),
        ("Mr. Charap said that it was possible.", "it was possible", "said", "Mr. Charap", "named_person", "Charap", "verb_clause", False, False),
        ("Vladimir Putin spoke. Putin told NBC that he was ready to talk.", "he was ready to talk", "told", "Putin", "named_person", "Vladimir Putin", "verb_clause", False, False),
        ("According to the Kremlin, the talks will resume soon.", "the talks will resume soon", "According to", "the Kremlin", "named_organization", None, "according_to", False, False),
        ("The talks will resume soon, according to a report.", "The talks will resume soon", "according to", "a report", "document", None, "according_to", False, False),
        ("Vladimir Putin spoke. Putin replied: “You said that.”", "You said that.", "replied", "Putin", "named_person", "Vladimir Putin", "colon_intro", True, False),
        ("The war will end, a National Security Council spokesperson said in a statement.", "The war will end", "said", "a National Security Council spokesperson", "anonymous", None, "clause_before", False, False),
        ("U.S. officials have long insisted that it is not their place.", "it is not their place", "insisted", "U.S. officials", "anonymous", None, "verb_clause", False, True),
        ("The Kremlin claimed that the strike hit only soldiers.", "the strike hit only soldiers", "claimed", "The Kremlin", "named_organization", None, "verb_clause", False, True),
    ],
)
def test_rules(lexicons, text, content, cue, source, source_type, speaker, rule, direct, loaded):
    rows = ledger(text, lexicons)
    assert len(rows) == 1, rows
    r = rows[0]
    assert (r["content"], r["cue_text"], r["source"], r["source_type"], r["rule"], r["direct"], r["loaded_cue"]) == (
        content, cue, source, source_type, rule, direct, loaded
    )
    if speaker is not None:
        assert r["speaker"] == speaker


def test_unmarked_quote_seed_002_and_pronoun(lexicons):
    text = (
        "Russian President Vladimir V. Putin called for talks.\n"
        "We are ready to negotiate, Mr. Putin told Mr. Carlson in the interview published Thursday. "
        "You should tell the current Ukrainian leadership to stop, he added, referring to the US government."
    )
    rows = ledger(text, lexicons)
    first = next(r for r in rows if r["content"] == "We are ready to negotiate")
    assert (first["speaker"], first["speaker_resolution"], first["source"], first["rule"]) == ("Vladimir Putin", "named", "Mr. Putin", "clause_before")
    added = next(r for r in rows if r["cue_text"] == "added")
    assert (added["speaker"], added["speaker_resolution"]) == ("Vladimir Putin", "pronoun")


def test_continuation_across_paragraphs(lexicons):
    text = "Vladimir Putin spoke. “I adhere to a view,” Putin said. “Russia is strong.\n“We are sovereign now, and we depend on nobody.”\nOther news."
    rows = ledger(text, lexicons)
    cont = [r for r in rows if r["rule"] == "continuation"]
    assert cont and all(r["speaker"] == "Vladimir Putin" and r["cue_start"] is None for r in cont)
    assert any("sovereign" in r["content"] for r in cont)


def test_pronoun_without_antecedent_stays_unknown(lexicons):
    rows = ledger("“It is over,” he said.", lexicons)
    assert (rows[0]["speaker"], rows[0]["speaker_resolution"], rows[0]["source_type"]) == (None, "none", "unknown")


@pytest.mark.parametrize(
    "text",
    ["", "No attribution here at all.", "“Unbalanced quote said he", "» stray, said.", "said said said.", "“”", "'\"«»“”‘’"],
)
def test_ugly_inputs_do_not_crash(lexicons, text):
    quotes, cues, sents = run([text], lexicons)
    for frame in (quotes, cues):
        for r in frame.iter_rows(named=True):
            assert 0 <= r["start"] <= r["end"] <= len(text)


def test_seeds(seeds_dir, lexicons):
    files = sorted(seeds_dir.glob("*.txt"))
    docs = pl.DataFrame({"doc_id": [f.name[:3] for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    sents = segment(docs)
    quotes, cues, out = attribute(docs, sents, lexicons=lexicons)
    texts = dict(docs.iter_rows())
    # every offset slices to its text
    for r in cues.iter_rows(named=True):
        assert texts[r["doc_id"]][r["start"] : r["end"]] == r["term"]
    for r in quotes.iter_rows(named=True):
        t = texts[r["doc_id"]]
        assert 0 <= r["start"] < r["end"] <= len(t)
        if r["cue_start"] is not None:
            assert t[r["cue_start"] : r["cue_end"]] == r["cue"]
        if r["source_start"] is not None:
            assert t[r["source_start"] : r["source_end"]] == r["source"]
    assert set(cues["kind"].unique()) <= {"reporting_verb", "quote", "named_source"}
    assert set(quotes["source_type"].unique()) <= set(schema.SOURCE_TYPES)
    assert out.height == sents.height and {"quote_share", "speaker", "attributed"} <= set(out.columns)
    assert out["quote_share"].drop_nulls().is_between(0.0, 1.0).all()
    # 003: most quoted words by Putin, quote share >= 0.3
    q3 = quotes.filter((pl.col("doc_id") == "003") & pl.col("direct"))
    putin = q3.filter(pl.col("speaker") == "Vladimir Putin")["n_words"].sum()
    assert putin > 0.5 * q3["n_words"].sum()
    s3 = out.filter(pl.col("doc_id") == "003")
    assert (s3["quote_share"] * s3["n_words"]).sum() / s3["n_words"].sum() >= 0.3
    # 002: the unmarked quote, attribution density >= 0.3
    q2 = quotes.filter(pl.col("doc_id") == "002")
    t2 = texts["002"]
    assert any(t2[s:e] == "We are ready to negotiate" and sp == "Vladimir Putin" for s, e, sp in zip(q2["start"], q2["end"], q2["speaker"]))
    assert out.filter(pl.col("doc_id") == "002")["attributed"].mean() >= 0.3
    # 003: Simmons-question context is in the ledger
    assert quotes.filter((pl.col("doc_id") == "003") & pl.col("source").str.contains("Putin"))["n_words"].sum() > 300


def test_deterministic(seeds_dir, lexicons):
    files = sorted(seeds_dir.glob("*.txt"))
    docs = pl.DataFrame({"doc_id": [f.name for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    a = attribute(docs, segment(docs), lexicons=lexicons)
    b = attribute(docs.reverse(), segment(docs.reverse()), lexicons=lexicons)
    assert a[0].equals(b[0]) and a[1].equals(b[1])


# rules added for PolNeAR recall: (text, cue, source, content, rule)
@pytest.mark.parametrize(
    ("text", "cue", "source", "content", "rule"),
    [
        ("Sen. Bernie Sanders (I-Vt.) said he will release his records.", "said", "Sen. Bernie Sanders (I-Vt.)", "he will release his records", "verb_clause"),
        ("Rashad Robinson, Color of Change's executive director, said his group will keep pressing.", "said", "Rashad Robinson", "his group will keep pressing", "verb_clause"),
        ("One in three said the party does not care about them.", "said", "One in three", "the party does not care about them", "verb_clause"),
        ("About 31 percent of voters say the economy is the top issue.", "say", "About 31 percent of voters", "the economy is the top issue", "verb_clause"),
        ("Ms. Malik had two interviews, federal officials said, the first in Pakistan.", "said", "federal officials", "Ms. Malik had two interviews, federal officials said, the first in Pakistan", "parenthetical"),
        ("Protest organizers in Cleveland say the rules are too strict.", "say", "Protest organizers in Cleveland", "the rules are too strict", "verb_clause"),
        ("The Clinton campaign said the AP report was misleading today.", "said", "The Clinton campaign", "the AP report was misleading today", "verb_clause"),
        ("Clinton says she wants to expand those standards.", "says", "Clinton", "she wants to expand those standards", "verb_clause"),
        ("He said during his victory speech Tuesday that the revolution is alive.", "said", "He", "the revolution is alive", "verb_clause"),
        ("Trump: ‘We are going to win so much.’", ":", "Trump", "We are going to win so much", "speaker_colon"),
        ("Senator Smith endorsed the governor for a second term.", "endorsed", "Senator Smith", "the governor for a second term", "verb_clause"),
        ("Clinton is expected to win the primary easily.", "is expected", "Clinton", "to win the primary easily", "verb_clause"),
    ],
)
def test_recall_rules(text, cue, source, content, rule, lexicons):
    rows = [r for r in ledger(text, lexicons) if r["cue_text"] == cue]
    assert len(rows) == 1, ledger(text, lexicons)
    r = rows[0]
    assert r["source"] == source
    assert text[r["source_start"] : r["source_end"]] == source
    assert r["content"] == content
    assert r["rule"] == rule


def test_asked_opens_its_own_attribution(lexicons):
    text = "Asked whether he would fire a speechwriter, Trump said no way."
    rows = ledger(text, lexicons)
    asked = [r for r in rows if r["cue_text"] == "Asked"]
    assert len(asked) == 1 and asked[0]["rule"] == "asked" and asked[0]["source"] is None
    assert asked[0]["content"] == "whether he would fire a speechwriter"
    assert any(r["cue_text"] == "said" and r["source"] == "Trump" for r in rows)


@pytest.mark.parametrize("text", ["Update: the story was corrected on Monday.", "Note: this article has been updated twice."])
def test_colon_labels_are_not_speakers(text, lexicons):
    assert [r for r in ledger(text, lexicons) if r["rule"] == "speaker_colon"] == []


def test_polars_verb_prefilter_matches_python_regex(lexicons):
    """The Rust-regex candidate pass finds exactly what the Python pattern finds."""
    from framing.measures.attribution import _verb_hits, _verb_matches, _vocab

    vocab = _vocab(lexicons)
    texts = ["Naïve said-so: ÉSAID said, says, SAID; unsaid essays\nHe told reporters, according  to aides, that he’d said it.", "", "x"]
    docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": texts})
    hits = _verb_hits(docs, vocab)
    for text, h in zip(texts, hits):
        assert _verb_matches(text, vocab, h) == [m.span() for m in vocab.verbs.finditer(text)]


_VERB_PIECES = [
    "said", "Said", "SAID", "says", "say", "saying", "told", "tell", "according", "to", "called", "for", "claimed", "insisted", "un", "es",
    "_", "9", " ", "  ", "\n", "\t", "\x1c", "-", "’", "'", ",", ".", "é", "Ł", "ſ", "K", "ı", "“", "”", "x", "ing", "s",
]


def _confirmed_rust_hits(text, vocab, hits):
    """Every Rust hit's start confirmed with vocab.verbs.match (no shortcut)."""
    out, pos, last_end = [], 0, 0
    for h in hits:
        word_first = h[:1].isascii() and (h[:1].isalnum() or h[:1] == "_")
        s = text.find(h, pos)
        while s >= 0 and (s > 0 and text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] == "_")) == word_first:
            s = text.find(h, s + 1)
        pos = s + len(h)
        if s < last_end or (s and (text[s - 1].isalnum() or text[s - 1] == "_")):
            continue
        m = vocab.verbs.match(text, s)
        if m:
            out.append(m.span())
            last_end = m.end()
    return out


@pytest.mark.parametrize("text", ["He called\x1cfor calm.", "They called for calm.", "It was saıd-so", "Sources said: yes", "said’s", "He said"])
def test_verb_hits_known_answers_are_the_python_matches(text, lexicons):
    """Where Python can go further than the Rust hit ("called\\x1cfor": its \\s
    takes \\x1c) or stop shorter, the hit is confirmed with the Python pattern."""
    from framing.measures.attribution import _verb_hits, _verb_matches, _vocab

    vocab = _vocab(lexicons)
    (hits,) = _verb_hits(pl.DataFrame({"doc_id": ["a"], "text": [text]}), vocab)
    assert _verb_matches(text, vocab, hits) == _confirmed_rust_hits(text, vocab, hits)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_VERB_PIECES), max_size=25).map("".join))
def test_verb_hits_found_again_are_the_python_matches(text):
    """Rust hits found again with str.find, confirmed with the Python pattern
    unless the answer is known, give what confirming every hit gives. (That is
    vocab.verbs.finditer except where a hit the Python pattern rejects covers
    the start of a later match, "according told", or where only Python's case
    folding or \\s matches: ı İ \\x1c-\\x1f.)"""
    from framing.measures.attribution import _verb_hits, _verb_matches, _vocab

    vocab = _vocab(load_lexicons())
    (hits,) = _verb_hits(pl.DataFrame({"doc_id": ["a"], "text": [text]}), vocab)
    assert _verb_matches(text, vocab, hits) == _confirmed_rust_hits(text, vocab, hits)


_LONGER_FORM_VERBS = ["add", "adds", "called", "calls", "call", "called for", "Calls  For", "went on", "told", "tell", "said", "say", "according", "went", "made", "claim", "e"]
_LONGER_FORM_GAPS = ["", " ", "  ", "\n", "\x1c", " \x1c", "\u3000", "\xa0", ".", ",", "”", "—", "-", "'", "’", "_", "9"]
_LONGER_FORM_NEXT = [
    "", "for", "For", "FOR", "fore", "F", "ress", "ed", "ing", "ıng", "İng", "s", "ſ", "reporters", "to", "on", "clear", "K", "é", "_", "9", "x", ".",
]


@pytest.mark.parametrize("text", ["He called\x1cfor calm", "calls \x1c\nFor", "called\x1cfore", "called\x1c_", "called\u3000İ", "addıng", "addİng", "add_", "address", "called forx"])
def test_verb_hits_of_longer_forms_where_python_differs(text, lexicons):
    """Where only Python's \\s or case folding takes a longer form, the hit is
    confirmed with the Python pattern; elsewhere its answer is known."""
    from framing.measures.attribution import _verb_hits, _verb_matches, _vocab

    vocab = _vocab(lexicons)
    (hits,) = _verb_hits(pl.DataFrame({"doc_id": ["a"], "text": [text]}), vocab)
    assert _verb_matches(text, vocab, hits) == _confirmed_rust_hits(text, vocab, hits)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(*(st.sampled_from(p) for p in (_LONGER_FORM_VERBS, _LONGER_FORM_GAPS, _LONGER_FORM_NEXT))).map("".join),
                max_size=4).map(" ".join))
def test_verb_hits_of_longer_forms_known_without_the_pattern(text):
    """The answers _verb_matches knows without the Python pattern (a form that
    begins longer ones, "add" "called" "say", before punctuation, spaces and
    the next word, or going on with a word character) are what confirming
    every hit gives."""
    from framing.measures.attribution import _verb_hits, _verb_matches, _vocab

    vocab = _vocab(load_lexicons())
    (hits,) = _verb_hits(pl.DataFrame({"doc_id": ["a"], "text": [text]}), vocab)
    assert _verb_matches(text, vocab, hits) == _confirmed_rust_hits(text, vocab, hits)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LONGER_FORM_VERBS + _LONGER_FORM_GAPS + _LONGER_FORM_NEXT + ["Said", "SAYS", "e-mailed", "E-Mail", "’s"]),
                max_size=10).map("".join))
def test_verb_walk_is_the_python_match(text):
    """_verb_walk gives vocab.verbs.match at every start on a word boundary,
    or says it cannot tell (a non-ASCII letter or digit on the way)."""
    from framing.measures.attribution import _verb_walk, _vocab

    vocab = _vocab(load_lexicons())
    assert vocab.form_prefixes is not None
    for s in range(len(text)):
        if re.match(r"\w", text[s]) and not (s and re.match(r"\w", text[s - 1])):
            got = _verb_walk(text, s, vocab)
            m = vocab.verbs.match(text, s)
            if got is False:
                assert any(not c.isascii() and c.isalnum() for c in text[s:])
            else:
                assert got == (m.span() if m else None)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["that", "That", "what", "thats", ",", ":", " ", "\t", "  ", "“", '"', "x", "in", "\n"]), max_size=10).map("".join))
@example("said in Ohio \t:“We")
def test_late_complement_is_the_pattern_search(text):
    """_late_complement searches from the first comma, "that" or colon run: the same match as from the window's start."""
    from framing.measures.attribution import _LATE_COMPLEMENT, _late_complement

    for lo in range(len(text) + 1):
        for hi in range(lo, len(text) + 1):
            m, got = _LATE_COMPLEMENT.search(text, lo, hi), _late_complement(text, lo, hi)
            assert (got.span() if got else None) == (m.span() if m else None)


_TRIM_CHARS = ",.;:!?…—–\\-“”\"‘’'«»"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\u00a0\u2028\u3000,.;:!?…—–-“”\"‘’'«»x")), max_size=30), st.data())
def test_trim_is_the_regex_strip(text, data):
    """_trim steps over the characters the former regexes stripped (\\s and the punctuation set)."""
    from framing.measures.attribution import _trim

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lead = re.match(rf"^[\s{_TRIM_CHARS}]+", text[start:end])
    s = start + (lead.end() if lead else 0)
    trail = re.compile(rf"[\s{_TRIM_CHARS}]+$").search(text, s, end)
    e = trail.start() if trail else end
    assert _trim(text, start, end) == ((s, e) if e > s else (start, start))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab Cd\t\n:“\"‘-—.!?”’x,and of")), max_size=40))
def test_name_colon_search_is_the_regex_finditer(text):
    """The colon-first search finds exactly what scanning _NAME_COLON_QUOTE over the text finds."""
    from framing.measures.attribution import _NAME_COLON_QUOTE, _name_colon_matches

    assert [m.span() for m in _name_colon_matches(text)] == [m.span() for m in _NAME_COLON_QUOTE.finditer(text)]


# ---- cues without a source, nested attributions, named polls (PolNeAR-driven rules)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reporting verb with no source is still a cue; its content is what follows
        (
            "It was unclear whether anyone was listening when the senator began criticizing the plan on the floor.",
            [("cue_only", "criticizing", None, "the plan on the floor")],
        ),
        # a source but no clause shape after the object: verb_loose keeps cue and source
        ("Lott told lawmakers on a recent visit to Capitol Hill.", [("verb_loose", "told", "Lott", "lawmakers on a recent visit to Capitol Hill")]),
        # the earlier cue's content stops before the later cue of the same subject;
        # "condemn" (a stance verb) inside the asked-content is not a cue of its own
        (
            "Senate Majority Leader Mitch McConnell says he spoke to Donald Trump and asked him to condemn violence.",
            [
                ("verb_clause", "says", "Senate Majority Leader Mitch McConnell", "he spoke to Donald Trump and"),
                ("verb_clause", "asked", "Senate Majority Leader Mitch McConnell", "to condemn violence"),
            ],
        ),
        # a named poll speaks; "in the polls" does not
        (
            "In a national CNN/ORC poll released Monday, 31% of Republicans were very enthusiastic about voting.",
            [("in_poll", "In", "a national CNN/ORC poll", "31% of Republicans were very enthusiastic about voting")],
        ),
        (
            "He fell to 10 percent in the latest Quinnipiac University poll of likely voters.",
            [("in_poll", "in", "the latest Quinnipiac University poll", "He fell to 10 percent")],
        ),
        ("He fell to 10 percent in the polls this week.", []),
        # forms that are usually nouns need a source (lexicon needs_source); "states" is not a verb form
        ("Support for the bill was strong among voters.", []),
        ("The law applies in 20 states that border Canada.", []),
        ("Questions about the deal remain unanswered by the agency.", []),
        # reporting_verbs 1.2.0: more forms that are mostly nouns, adjectives or other senses without a source
        ("Rubio debated tax credits and military spending at the debate.", []),
        ("Police struggled to maintain order at the border.", []),
        ("Workers face declining wages in the region.", []),
        ("Her notes from the meeting were released on Friday.", []),
        # with a source they are still cues
        ("Trump maintained that he had won the debate.", [("verb_clause", "maintained", "Trump", "he had won the debate")]),
        ("Pelosi credits the Democrats' bright prospects to the candidates.", [("verb_clause", "credits", "Pelosi", "the Democrats' bright prospects to the candidates")]),
        # new lexicon entries, with their class
        ("The senator denounced the ruling as a disgrace to the court.", [("verb_clause", "denounced", "The senator", "the ruling as a disgrace to the court")]),
        ("Trump slammed the decision on Twitter.", [("verb_clause", "slammed", "Trump", "the decision on Twitter")]),
        # interview transcripts: "A:" answers like "Q:" asks
        (
            "Q: What did you find when you came home?\n\nA: I came home from school and my parents were gone.",
            [("speaker_colon", ":", "Q", "What did you find when you came home"), ("speaker_colon", ":", "A", "I came home from school and my parents were gone")],
        ),
    ],
)
def test_sourceless_nested_and_poll_rules(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [(r["rule"], r["cue_text"], r["source"], r["content"]) for r in rows]
    assert sorted(got, key=lambda g: (g[3] != "violence", g)) == sorted(expected, key=lambda g: (g[3] != "violence", g))
    for r in rows:
        if r["rule"] == "cue_only":
            assert r["source_type"] == "unknown" and r["source_start"] is None


@pytest.mark.parametrize(
    ("text", "loaded"),
    [
        ("The senator denounced the ruling.", True),
        ("The mayor touted the new stadium as a success.", True),
        ("The governor echoed the concerns of local farmers.", False),
        ("The aide assured reporters that the schedule would hold.", False),
    ],
)
def test_new_verbs_loaded_class(text, loaded, lexicons):
    rows = [r for r in ledger(text, lexicons) if r["cue_start"] is not None]
    assert rows, text
    assert rows[0]["loaded_cue"] is loaded


def test_needs_source_forms_are_verb_forms(lexicons):
    """Every needs_source form is one of its entry's forms (no typo silently disables the rule)."""
    seen = 0
    for lx in lexicons.of_kind("reporting_verb"):
        for e in lx.entries:
            ns = e.get("needs_source", ()) or ()
            assert set(ns) <= set(e.forms), (e.term, ns)
            seen += len(ns)
    assert seen >= 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, content, rule) per row, in ledger order
        (
            "Clinton attacked Trump, saying he would appoint judges who would overturn Roe v. Wade.",
            [("attacked", "Clinton", "Trump", "verb_clause"), ("saying", None, "he would appoint judges who would overturn Roe v. Wade", "participle")],
        ),
        (
            "Senator Warren endorsed Mrs. Clinton on Monday, adding that she would make an outstanding president.",
            [("endorsed", "Senator Warren", "Mrs. Clinton on Monday", "verb_clause"), ("adding", None, "she would make an outstanding president", "participle")],
        ),
        (
            "“We will win,” Trump said, referring to the polls in Iowa and New Hampshire.",
            [("said", "Trump", "We will win,", "quote_before"), ("referring to", None, "the polls in Iowa and New Hampshire", "participle")],
        ),
        # "X continued, saying …": the participle is the cue and X stays its source
        (
            "Cruz continued on Saturday, saying that the phrase came from Trump himself.",
            [("saying", "Cruz", "the phrase came from Trump himself", "verb_clause")],
        ),
        # the participle sits inside the quotation: no cut, no second cue
        (
            "Trump argued that “we keep winning, saying nothing about the polls at all,” and left.",
            [("argued", "Trump", "we keep winning, saying nothing about the polls at all,” and left", "verb_clause")],
        ),
        # too short after the participle: the clause stays whole
        (
            "Trump attacked Cruz, saying so.",
            [("attacked", "Trump", "Cruz, saying so", "verb_clause"), ("saying", None, "so", "cue_only")],
        ),
    ],
)
def test_participle_after_clause_is_second_cue(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [
        (r["cue_text"], text[r["source_start"] : r["source_end"]] if r["source_start"] is not None else None, r["content"], r["rule"])
        for r in rows
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, content, rule) per row, in ledger order
        # a stance verb inside another attribution's content is part of it, not a cue
        (
            "McConnell asked Trump to condemn the violence.",
            [("asked", "McConnell", "to condemn the violence", "verb_clause")],
        ),
        (
            "Clinton criticized Trump for supporting the war in Iraq.",
            [("criticized", "Clinton", "Trump for supporting the war in Iraq", "verb_clause")],
        ),
        # with a source of its own too, inside a speech row's content
        (
            "Clinton keeps saying she opposed the Iraq War from the start.",
            [("saying", None, "she opposed the Iraq War from the start", "cue_only")],
        ),
        # a speech verb nested the same way stays a cue of its own (PolNeAR annotates it)
        (
            "Clinton criticized Trump for saying that the election was rigged.",
            [
                ("criticized", "Clinton", "Trump for saying that the election was rigged", "verb_clause"),
                ("saying", None, "the election was rigged", "cue_only"),
            ],
        ),
        # not nested: a stance verb opening the sentence is still a source-less cue
        ("Backing the plan, the governor signed it.", [("Backing", None, "the plan, the governor signed it", "cue_only")]),
    ],
)
def test_nested_belief_and_stance_verbs_are_content(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [
        (r["cue_text"], text[r["source_start"] : r["source_end"]] if r["source_start"] is not None else None, r["content"], r["rule"])
        for r in rows
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, source_type, speaker, content, direct) per row, in ledger order
        # a transcript label keeps the speech attributions nested in its content;
        # belief and stance verbs there ("supporting", "think") are part of what it reports
        (
            "JAKE TAPPER: And obviously, you are supporting Donald Trump, I said there are skeptics.",
            [
                (":", "JAKE TAPPER", "named_person", "Jake Tapper", "And obviously, you are supporting Donald Trump, I said there are skeptics", False),
                ("said", "I", "unknown", None, "there are skeptics", False),
            ],
        ),
        (
            "JAKE TAPPER: And obviously, you are supporting Donald Trump, I think there are skeptics.",
            [(":", "JAKE TAPPER", "named_person", "Jake Tapper", "And obviously, you are supporting Donald Trump, I think there are skeptics", False)],
        ),
        # a transcript quoted paragraph by paragraph ('"PENCE: …'): the label after the
        # opening mark is the speaker, and the quotation is not a continuation of the previous one
        (
            'Mike Pence spoke.\n\n"WALLACE: But, Governor Pence, you should answer the question.\n\n"PENCE: Well, look, this is an episode of a show.',
            [
                (":", "WALLACE", "named_organization", None, "But, Governor Pence, you should answer the question", True),
                (":", "PENCE", "named_person", "Mike Pence", "Well, look, this is an episode of a show", True),
            ],
        ),
        # a rubric opening with a function word is not a speaker
        ("The Latest: Cruz to give away engraved shotgun.\n\nMore news.", []),
    ],
)
def test_speaker_colon_transcripts(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [(r["cue_text"], r["source"], r["source_type"], r["speaker"], r["content"], r["direct"]) for r in rows]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, source_type, speaker, content, direct) per row, in ledger order
        # a quotation standing as its own paragraph, signed with a dash (any dash, NBSPs around it)
        (
            "“He represents our greatest shame.” ― Sonya Herridge\n“During the debate Trump said Hispanics live in hell.”\u00a0―\u00a0Pamela Padilla.",
            [
                ("―", "Sonya Herridge", "named_person", "Sonya Herridge", "He represents our greatest shame", True),
                ("―", "Pamela Padilla", "named_person", "Pamela Padilla", "During the debate Trump said Hispanics live in hell", True),
            ],
        ),
        # the signature in the next paragraph, with a description after the name
        (
            '"Almost all new income is going to the top 1 percent."\n\n- Bernie Sanders, in a debate.\n\nThe senator is relying on an outdated statistic.',
            [("-", "Bernie Sanders", "named_person", "Bernie Sanders", "Almost all new income is going to the top 1 percent", True)],
        ),
        # a byline after a quotation inside an attributed sentence is not a signature
        (
            'Rajoy told reporters his party was "still the No. 1 force in Spain."--Kim Hjelmgaard.',
            [("told reporters", "Rajoy", "named_organization", None, 'his party was "still the No. 1 force in Spain."--Kim Hjelmgaard', False)],
        ),
        # hyphens inside words and prose after a dash are not signatures
        (
            "The crowd was pro-Clinton.\n\n“We love her.” - Reuters reported that the crowd stayed until midnight and then left.",
            [("reported", "Reuters", "named_organization", None, "the crowd stayed until midnight and then left", False)],
        ),
    ],
)
def test_dash_signature(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [(r["cue_text"], r["source"], r["source_type"], r["speaker"], r["content"], r["direct"]) for r in rows]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, content, rule) per row, in ledger order
        # a progressive -ing form takes its subject as source
        (
            "Hillary Clinton is declaring that she is moving closer to the nomination.",
            [("declaring", "Hillary Clinton", "she is moving closer to the nomination", "verb_clause")],
        ),
        # (the source is the last noun phrase before the verb)
        (
            "A younger generation of activists were also challenging the candidates on immigration.",
            [("challenging", "activists", "the candidates on immigration", "verb_clause")],
        ),
        # after another reporting verb the progressive clause stays content
        ("Trump later said he was joking about the emails.", [("said", "Trump", "he was joking about the emails", "verb_clause")]),
        # a form that needs a source, with none: nothing
        ("The economy is showing signs of strength.", []),
        # modals, contractions and a few adverbs between source and verb
        ("Trump and Sanders may blame trade deals for the plight of workers.", [("blame", "Trump and Sanders", "trade deals for the plight of workers", "verb_clause")]),
        ("Clinton has nevertheless called his vote an irresponsible one.", [("called", "Clinton", "his vote an irresponsible one", "verb_clause")]),
        ("We don’t want to see another failed country there.", [("want", "We", "to see another failed country there", "verb_clause")]),
        ("Trump and Cruz both said the deal was bad.", [("said", "Trump and Cruz", "the deal was bad", "verb_clause")]),
        # capitalised modifiers of a people plural; number words; descriptors before a name
        ("Social conservatives say the bills are necessary.", [("say", "Social conservatives", "the bills are necessary", "verb_clause")]),
        ("Republican legislators have questioned the decision.", [("questioned", "Republican legislators", "the decision", "verb_clause")]),
        ("Thirty percent said the economy was their top issue.", [("said", "Thirty percent", "the economy was their top issue", "verb_clause")]),
        (
            "In the 2012 race, pizza magnate Herman Cain revealed that he continued to deliver speeches.",
            [("revealed", "Herman Cain", "he continued to deliver speeches", "verb_clause")],
        ),
        # a capitalised modifier of a noun form is not a source ("an NBC show")
        ("Trump listed an NBC show as his guilty pleasure.", [("listed", "Trump", "an NBC show as his guilty pleasure", "verb_clause")]),
        # not progressive: an -ing form without an auxiliary stays source-less
        ("Criticizing the plan, the senator left the room.", [("Criticizing", None, "the plan, the senator left the room", "cue_only")]),
    ],
)
def test_source_across_auxiliaries(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [
        (r["cue_text"], text[r["source_start"] : r["source_end"]] if r["source_start"] is not None else None, r["content"], r["rule"])
        for r in rows
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, content, rule) per row, in ledger order
        # "when asked" after the answer, mid-sentence
        (
            "“You bet I would,” Christie said when asked whether he would issue a quarantine.",
            [("said", "Christie", "You bet I would,", "quote_before"), ("asked", None, "whether he would issue a quarantine", "asked")],
        ),
        # a conjunction before "when asked"
        ("But when asked how she would define the establishment, Deacon laughed.", [("asked", None, "how she would define the establishment", "asked")]),
        # up to five words between "Asked" and the question word
        (
            "Asked during a January debate why he trailed so badly, Sanders said the polls were wrong.",
            [("Asked", None, "during a January debate why he trailed so badly", "asked"), ("said", "Sanders", "the polls were wrong", "verb_clause")],
        ),
        # a belief verb inside the question is part of the question
        (
            "Asked if she believed Putin wanted Trump to win, Clinton said she was not sure.",
            [("Asked", None, "if she believed Putin wanted Trump to win", "asked"), ("said", "Clinton", "she was not sure", "verb_clause")],
        ),
    ],
)
def test_asked_question(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [
        (r["cue_text"], text[r["source_start"] : r["source_end"]] if r["source_start"] is not None else None, r["content"], r["rule"])
        for r in rows
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (cue, source, content, rule) per row, in ledger order
        # digest style: headline, dash, name, colon, quotation
        (
            "IOWA POLLS NOT WRONG, JUST TOO EARLY - Mark Blumenthal and Jon Cohen: “Although the polls failed to predict the win, it was close.”",
            [(":", "Mark Blumenthal and Jon Cohen", "Although the polls failed to predict the win, it was close.", "name_colon")],
        ),
        # debate recap: a second speaker after a sentence end
        (
            'Clinton: "Our goal is not to deter or contain ISIS." Bush: "The mission is to destroy ISIS."',
            [(":", "Clinton", "Our goal is not to deter or contain ISIS", "speaker_colon"), (":", "Bush", "The mission is to destroy ISIS.", "name_colon")],
        ),
        # after a reporting verb the colon introduces the verb's quotation; not a name
        ("Priebus later told Fox News: “Both men had a good talk.”", [("told", "Priebus", "Both men had a good talk.", "colon_intro")]),
        ("The Latest: “We will win,” the campaign wrote.", [("wrote", "the campaign", "We will win,", "quote_before")]),
    ],
)
def test_name_colon_quotation(text, expected, lexicons):
    rows = ledger(text, lexicons)
    got = [
        (r["cue_text"], text[r["source_start"] : r["source_end"]] if r["source_start"] is not None else None, r["content"], r["rule"])
        for r in rows
    ]
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab Z9_'’-. \n\té\u0301½²ǅ\u0660ßİſ\u200d\u2163·")), max_size=20), max_size=8))
def test_word_counts_in_polars_are_the_python_findall(pieces):
    """n_words counted by Polars with the pieces' own alphanumeric class equals
    len(WORD_RE.findall(piece)), also where Rust's \\w and Python's differ
    (combining marks, ½ ² Ⅳ, joiners, Arabic-Indic digits)."""
    from framing.measures.attribution import _count_words
    from framing.text.tokens import WORD_RE

    assert _count_words(pieces) == [len(WORD_RE.findall(p)) for p in pieces]


_NUMBER_PIECES = [
    "31", "1,000", "2.5", "%", "percent", "per cent", "One", "in", "three", "Thirty", "forty-one", "half", "a third",
    "about", "of", "voters", "Americans", "those", "surveyed", "them", "women", "men", "Men", "often", "party",
    "ſix", "İn", "K", " ", "  ", "\t", "\n", ",", "(", "—", "’", "x", "٣",
]


_NUMBER_SHAPED = st.tuples(
    st.sampled_from(["", "about ", "More than ", "only "]),
    st.sampled_from(["31", "1,000", "2.5", "One", "THREE", "ſix", "Thirty", "forty-one", "half", "a third", "a Majority", "٣"]),
    st.sampled_from(["", "%", " %", " percent", " Per cent", " in three", " out of ten"]),
    st.sampled_from(["", " of voters", " of likely Voters", " of those surveyed", " of them", " of all women", " of the men"]),
    st.sampled_from([" ", "  ", "\t", " \n", "", "\n"]),
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=8).map("".join), _NUMBER_SHAPED, st.booleans(), st.data())
def test_number_subject_prefilter_never_drops_a_match(prefix, shaped, at_end, data):
    """_may_end_number_subject is False only where _NUMBER_SUBJECT finds nothing."""
    from framing.measures.attribution import _NUMBER_SUBJECT, _may_end_number_subject

    text = prefix + shaped
    lo = data.draw(st.integers(0, len(text)))
    hi = len(text) if at_end else data.draw(st.integers(lo, len(text)))
    if not _may_end_number_subject(text, lo, hi):
        assert _NUMBER_SUBJECT.search(text, lo, hi) is None


@pytest.mark.parametrize("text", ["ſix ", "Thirty ", "forty-one\t", "31 % \n", "1,000 ", "About 31 percent of voters ", "half of those surveyed \n", "two of the Men ", "31 per cent ", "31 of voterſ ", "forty-one ", "a MAJORITY "])
def test_number_subject_prefilter_keeps_these(text):
    from framing.measures.attribution import _NUMBER_SUBJECT, _may_end_number_subject

    assert _NUMBER_SUBJECT.search(text) is not None and _may_end_number_subject(text, 0, len(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Sen.", "Sanders", "(I-Vt.)", "(", ")", "(R)", " ", "\t", "\n", "x", "said"]), max_size=10).map("".join))
def test_paren_prefilter_never_drops_a_match(pre):
    """_may_end_paren is False only where _PAREN_END finds nothing."""
    from framing.measures.attribution import _PAREN_END, _may_end_paren

    if not _may_end_paren(pre):
        assert _PAREN_END.search(pre) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["In", "in", "IN", "xIn", "_in", "9in", "’in", " ", "\t", "\n", "a", "the", "CNN/ORC", "poll", "polls",
                                 "survey", "study", "studies", "According", "according", "ACCORDING", "to", "To", "xaccording", "é",
                                 "İ", ",", ".", "_according", "9according", "’according", "aCCORDING", "ccording", "a", "A",
                                 "ccordıng", "\xa0"]), max_size=16).map("".join))
def test_fast_scanning_patterns_are_the_former_ones(text):
    """_IN_POLL and _ACCORDING (word boundary as a look-behind after the first
    letter) find exactly what the \\b-led patterns found."""
    from framing.measures.attribution import _ACCORDING, _IN_POLL, _according_spans

    former_in_poll = re.compile(r"\b(?P<cue>[Ii]n)" + _IN_POLL.pattern.split(r"(?P<cue>[Ii](?<!\w[Ii])n)", 1)[1])
    former_according = re.compile(r"\baccording\s+to\b", re.I)
    assert [(m.span(), m.span("src")) for m in _IN_POLL.finditer(text)] == [(m.span(), m.span("src")) for m in former_in_poll.finditer(text)]
    assert [m.span() for m in _ACCORDING.finditer(text)] == [m.span() for m in former_according.finditer(text)]
    assert _according_spans(text) == [m.span() for m in former_according.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z9_'’-. \n\té\u0301½")), max_size=30), st.data())
def test_has_words_is_the_findall_count(text, data):
    from framing.measures.attribution import _has_words
    from framing.text.tokens import WORD_RE

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    n = data.draw(st.integers(1, 6))
    assert _has_words(text, start, end, n) == (len(WORD_RE.findall(text[start:end])) >= n)


_SOURCE_PIECES = [
    "Mr.", "Putin", "U.S.", "officials", "the", "a", "Kremlin", "’s", "'s", "al-Assad", "de", "van", "Ms", "O’Neil", "12",
    "٣", "also", "has", "long", "publicly", "Monday", "on Monday morning", "last week", "earlier this week", "can’t",
    "who", "and", "said", "told", " ", " ", "  ", "\t", "\n", ",", ", ", ".", "(", ")", "“", "”", "\"", "—", ":", ";",
    "é", "Éric", "\u00a0", "\x1c", "\u2028", "_", "-", "x", "Z", "e\u0301", "\u200d", "‿", "²", "Ⅳ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SOURCE_PIECES), min_size=1, max_size=24), st.data())
def test_batch_source_search_is_the_python_search(pieces, data):
    """The Polars (Rust) start and end of the backward source search give
    exactly the source span of _SOURCE_BEFORE and of _source_before."""
    from framing.measures.attribution import _SOURCE_BEFORE, _source_at, _source_before, _source_spans, _vocab

    vocab = _vocab(load_lexicons())
    text = "".join(pieces) + " said"
    lo = data.draw(st.integers(0, len(text) - 4))
    ends = sorted({len(text) - 4, *data.draw(st.lists(st.integers(lo, len(text)), max_size=4))})
    windows = [(text[max(lo, e - 90) - 1] if max(lo, e - 90) else " ") + text[max(lo, e - 90):e] for e in ends]
    for e, span in zip(ends, _source_spans(windows)):
        w0 = max(lo, e - 90)
        m = _SOURCE_BEFORE.search(text, w0, e)  # the search without the window cuts
        assert span == (tuple(x - w0 for x in m.span("src")) if m else None)
        assert _source_at(text, lo, e, span, vocab) == _source_before(text, lo, e, vocab)


_WORDS_THEN_SPACES = st.tuples(
    st.lists(st.sampled_from(["said", "that", "That", " ", "\t", "\n", "x", "é", "9", ",", "’s", "Putin"]), max_size=6).map("".join),
    st.sampled_from(["said", "tells", "thats", "that", "", "é"]),
    st.sampled_from(["", " ", "\t ", "\n"]),
    st.sampled_from(["", "that", "That"]),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from(["", "\n", "x"]),
).map("".join)


@settings(max_examples=800, deadline=None)
@given(_WORDS_THEN_SPACES, st.data())
def test_last_word_is_the_regex_search(text, data):
    """_last_word reads backwards what _LAST_WORD.search finds (group 1)."""
    from framing.measures.attribution import _LAST_WORD, _last_word

    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.sampled_from([len(text), data.draw(st.integers(lo, len(text)))]))
    m = _LAST_WORD.search(text, lo, hi)
    assert _last_word(text, lo, hi) == (m.group(1) if m else None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Vladimir", "Putin", "Mr.", "Joe", "Biden", "Jr", "al-Assad", "Bashar", "de", "Gaulle", "The",
                                 "White", "House", "NBC’s", "J.", " ", "  ", "\t", "\n", ",", ".", "x", "’"]), max_size=20).map("".join))
def test_document_names_keep_the_first_longest_name(text):
    """_document_names gives each key the name with the most tokens, the earliest on a tie."""
    from framing.measures.attribution import _PERSON_NAME, _document_names, _person_name, _vocab

    vocab = _vocab(load_lexicons())
    best = {}
    for m in _PERSON_NAME.finditer(text):
        person = _person_name(m.group(), vocab)
        if person is None:
            continue
        n, full, last = person
        for key in {last, full}:
            cand = (n, -m.start(), full)
            if key not in best or cand[:2] > best[key][:2]:
                best[key] = cand
    assert _document_names(text, vocab) == {k: v[2] for k, v in best.items()}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["In", "in", "xin", " ", "\t", "\n", "a", "the", "CNN/ORC", "poll", "polls", "survey", "study",
                                 "studies", "student", "’s", "new", ",", "."]), max_size=20).map("".join))
def test_in_poll_by_lines_is_the_finditer(text):
    from framing.measures.attribution import _IN_POLL, _in_poll_matches

    assert [(m.span(), m.span("src")) for m in _in_poll_matches(text)] == [(m.span(), m.span("src")) for m in _IN_POLL.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="abs ", max_size=5)))
def test_prefixes_of_others_is_the_pairwise_test(forms):
    from framing.measures.attribution import _prefixes_of_others

    assert _prefixes_of_others(forms) == frozenset(f for f in forms if any(g != f and g.startswith(f) for g in forms))
