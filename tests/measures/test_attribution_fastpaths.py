"""Attribution shortcuts (second speed round) pinned to the plain code they skip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.measures import attribution as A


def _plain_cut_before_participle(text: str, cs: int, ce: int, in_quote) -> int:
    """_cut_before_participle as it was, without the comma prefilter."""
    for m in A._PARTICIPLE_AFTER.finditer(text, cs, ce):
        if in_quote(m.start()) is not None:
            continue
        if not A._has_words(text, m.end(), ce, 3):
            return ce
        cut = A._trim(text, cs, m.start())
        return cut[1] if cut[1] > cs else ce
    return ce


_CLAUSE_PIECES = ["he", "said", ",", ", ", " ", "\t", "saying", "adding", "also", "that", "we", "will", "win", ".", "“", "”", "x", "ing"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CLAUSE_PIECES), max_size=20).map("".join), st.data())
def test_cut_before_participle_is_the_plain_scan(text, data):
    cs = data.draw(st.integers(0, len(text)))
    ce = data.draw(st.integers(cs, len(text)))
    quoted = data.draw(st.sets(st.integers(0, max(len(text) - 1, 0))))

    def in_quote(pos):
        return 0 if pos in quoted else None

    assert A._cut_before_participle(text, cs, ce, in_quote) == _plain_cut_before_participle(text, cs, ce, in_quote)


@st.composite
def _kept_rows(draw):
    n = draw(st.integers(1, 60))
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        first = draw(st.integers(0, n))
        rows.append((first, draw(st.integers(first, n))))  # a row's first is at or before its cue
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    return n, rows, start, end, draw(st.integers(0, n))


@settings(max_examples=800, deadline=None)
@given(_kept_rows(), st.text(alphabet=" ,.ab“", min_size=61, max_size=61))
def test_cut_before_kept_needs_a_first_or_cue_inside(rows, text):
    """The mask test that skips _cut_before_kept: without a kept first or cue
    strictly inside (start, end) the content is never cut."""
    n, kept, start, end, cue_start = rows
    firsts = [f for f, _ in kept]
    cues = [c for _, c in kept]
    first_at, cue_at = bytearray(n + 1), bytearray(n + 1)
    for f, c in kept:
        first_at[f] = cue_at[c] = 1
    if first_at.find(1, start + 1, end) < 0 and cue_at.find(1, start + 1, end) < 0:
        assert A._cut_before_kept(text, start, end, cue_start, firsts, cues) == (start, end)


def _plain_ends_with_and(s: str) -> bool:
    t = s.rstrip(" \t")
    return len(t) < len(s) and t.endswith("and") and (len(t) == 3 or t[-4].isspace())


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["and", "band", "And", " ", "\t", "\n", ",", ")", "”", "\"", "»", "'", "’", "?", "!", "x", "(R)"]),
                max_size=10).map("".join), st.data())
def test_end_before_spaces_gives_what_the_slices_gave(text, data):
    """The verb loop reads the end of the text before the verb in place:
    pre_last (the character before _end_before_spaces) answers _ends_with,
    _ends_with_and and _may_end_paren as they answered on the slice."""
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    pre = text[lo:hi]
    end = A._end_before_spaces(text, lo, hi)
    assert end == lo + len(pre.rstrip(" \t"))
    last = text[end - 1] if end > lo else ""
    assert (last == ",") == A._ends_with(pre, ",")
    assert (last in A._CLOSE_QUOTE_CHARS) == A._ends_with(pre, "”\"»'")
    assert (last in A._COMMA_CLOSE_CHARS) == A._ends_with(pre, ",”\"»’'?!")
    assert A._ends_with_and(text, lo, end, hi) == _plain_ends_with_and(pre)
    assert (last == ")" or (pre.endswith("\n") and A._may_end_paren(pre))) == A._may_end_paren(pre)


def test_attribute_restores_the_collector_state():
    """attribute pauses the cyclic collector and leaves it as it found it,
    also when the stage fails; it makes no reference cycles."""
    import gc

    import polars as pl
    import pytest

    from framing.lexicons import load_lexicons
    from framing.text.sentences import segment

    lexicons = load_lexicons()
    docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["“We will win,” Mr. Putin said on Monday.", "He said: “No.” Officials told reporters that it was over."]})
    sentences = segment(docs)
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            gc.enable() if enabled else gc.disable()
            A.attribute(docs, sentences, lexicons=lexicons)
            assert gc.isenabled() is enabled
            with pytest.raises(Exception):
                A.attribute(docs, sentences.drop("start"), lexicons=lexicons)
            assert gc.isenabled() is enabled
        gc.collect()
        out = A.attribute(docs, sentences, lexicons=lexicons)
        del out
        assert gc.collect() == 0
    finally:
        gc.enable() if was else gc.disable()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["said", "Said", "SAYS", "say", "according", " ", "\n", "\t", "to", "told", "é", "ſ", "İ", "_", "9", "-", "’"]),
                min_size=1, max_size=5).map("".join))
def test_verb_facts_are_the_plain_derivations(g):
    """_verb_facts (kept per vocabulary) gives what _verb_matches and the verb
    loop computed from the string each time."""
    from framing.lexicons import load_lexicons

    vocab = A._vocab(load_lexicons())
    for _ in range(2):  # computed, then kept
        word_first, known, key, key_word, cont = A._verb_facts(g, vocab)
        plain_key = g.lower() if g.isalpha() else A._SPACES.sub(" ", g).lower()
        assert word_first == (g[:1] in A._ASCII_WORD)
        assert known == (g.isascii() and g[-1].isalnum() and plain_key not in vocab.extendable)
        if not (g.isascii() and g[-1].isalnum()):
            assert cont is None
        elif plain_key in vocab.verb_entry:  # a form (as every hit is): how its longer forms go on
            longer = [f[len(plain_key):] for f in vocab.verb_entry if f.startswith(plain_key) and f != plain_key]
            letters = "".join(sorted({r[0] for r in longer if r[0] != " "}))
            spaced = "".join(sorted({r[1] for r in longer if r[0] == " "}))
            assert cont == (letters, spaced, g.isalpha())
        assert key == plain_key
        if plain_key.split():
            assert key_word == plain_key.split()[0]


_RUST_VERB_PIECES = [
    "said", "Said", "SAID", "says", "say", "saying", "told", "tell", "tells", "telling", "reporters", "according", "to",
    "went", "on", "goes", "made", "it", "clear", "called", "for", "un", "es", "_", "9", " ", "  ", "\n", "\t", "\xa0",
    "-", "’", "'", ",", "é", "ſ", "K", "ı", "İ", "x", "ing", "s",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_RUST_VERB_PIECES), max_size=25).map("".join))
def test_rust_verb_trie_finds_what_the_sorted_alternation_found(text):
    """The Rust verb pattern, a prefix tree, gives the hits of the alternation
    of the forms sorted longest first that it replaced (the longest form at
    each place, multiword forms across any whitespace)."""
    import re

    import polars as pl

    from framing.lexicons import load_lexicons

    vocab = A._vocab(load_lexicons())
    alts = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(vocab.verb_entry, key=lambda f: (-len(f), f)))
    former = rf"(?i)(?-u:\b)(?:{alts})"
    series = pl.Series([text], dtype=pl.String)
    assert series.str.extract_all(vocab.verbs_rust).to_list() == series.str.extract_all(former).to_list()


_SOURCE_PIECES = [
    "Mr.", "Putin", "U.S.", "officials", "the", "of", "al-", "bin", "’s", "'s", "31", "x-y", "O’Neil", "é", "Ł", "_", "²",
    " ", "  ", "\t", "\n", "\xa0", "\x1c", ",", "“", "(", ":", "also", "has", "never", "Monday", "quickly", "said",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=20).map("".join))
def test_source_words_are_the_split_of_the_source_group(text):
    """_source_start takes the words of a _SOURCE_BEFORE ``src`` group as
    ``str.split`` (what ``_WORDS_DOT.findall`` gives there) and the start of
    its ``cut``-th word as what follows ``cut`` splits (what stepping over the
    earlier words with ``str.index`` gave)."""
    for hi in range(len(text) + 1):
        m = A._SOURCE_BEFORE.search(text, 0, hi)
        if m is None:
            continue
        src = m.group("src")
        words = A._WORDS_DOT.findall(src)
        assert src.split() == words
        for cut in range(1, len(words)):
            pos = 0
            for w in words[:cut]:
                pos = src.index(w, pos) + len(w)
            assert len(src) - len(src.split(None, cut)[cut]) == src.index(words[cut], pos)


_ORG_MARKER_PATTERN = (  # the alternation _has_org_marker replaced
    r"\b(?:Department|Ministry|Council|Corporation|Corp|Institute|University|Party|Committee|Agency|Commission|"
    r"Office|Bureau|Administration|Government|Court|Foundation|Association|Union|Group|News|Times|Post|Journal|"
    r"Network|Press|Inc|Ltd|Bank|Fund|Service|Services|Forces|Army|Police|Kremlin|Pentagon|House|Senate|Congress|"
    r"Parliament|Embassy|Campaign|Center|Centre|Organization|Organisation|Coalition|Alliance|Board|Media|School|Studies|"
    r"Society|Club|Company|Forum|Center|Academy)\b"
)
_NAME_PIECES = [
    "Corp", "Corp.", "Inc", "House", "Houses", "White", "News", "news", "Times", "Mr.", "Sen.", "Ms", "J.", "A.", "Putin",
    "Vladimir", "O’Neil", "O'Neil", "Smith-Jones", "al-Assad", "bin", "de", "van", "von", "The", "the", "NBC’s", "Kier",
    "officials", "Court_", "2Court", "Courté", "éCourt", "Kremlin²", "President", " ", "\t", "-", "’", "'", ".", ",", "_", "é",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=10).map("".join))
def test_org_marker_words_are_the_alternation(text):
    """_has_org_marker (set lookups of the word runs) finds a marker exactly
    where the ``\\b(?:…)\\b`` alternation it replaced matched."""
    import re

    assert A._has_org_marker(text) == bool(re.search(_ORG_MARKER_PATTERN, text))


def _plain_person_name(surface: str, vocab) -> tuple[int, str, str] | None:
    """_person_name as it was: the tokens found by _NAME_TOKEN, the two lexicon sets and the marker pattern."""
    import re

    toks = _plain_name_tokens(surface, vocab.titles)
    if len(toks) < 2 or len(toks) > 4 or any(t.lower() in vocab.organization or t.lower() in vocab.document for t in toks):
        return None
    full = " ".join(toks)
    return None if re.search(_ORG_MARKER_PATTERN, full) else (len(toks), full, toks[-1])


def _plain_name_tokens(surface: str, titles) -> tuple[str, ...]:
    """_name_tokens as it was (each token's full stop stripped and both cases looked up)."""
    out: list[str] = []
    for t in A._NAME_TOKEN.findall(surface):
        bare = t.rstrip(".")
        low = bare.lower()
        if len(bare) == 1 and "A" <= bare <= "Z":
            continue
        if low.endswith(("’s", "'s")) or not bare[:1].isupper():
            out = []
            continue
        if low in titles or t.lower() in titles or low in A._FUNCTION_CAPS:
            out = []
            continue
        out.append(bare)
    return tuple(out)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=12).map("".join))
def test_person_names_and_name_tokens_are_the_plain_derivations(text):
    """_person_name (tokens split on whitespace, one set of organisation and
    document words, the marker word set) and _name_tokens judge every
    _PERSON_NAME match, and any source, as the code they replaced."""
    from framing.lexicons import load_lexicons

    vocab = A._vocab(load_lexicons())
    assert A._name_tokens(text, vocab.titles) == _plain_name_tokens(text, vocab.titles)
    for surface in A._PERSON_NAME.findall(text):
        assert surface.split() == A._NAME_TOKEN.findall(surface)
        vocab.persons.pop(surface, None)  # judged afresh, not read back from the memo
        assert A._person_name(surface, vocab) == _plain_person_name(surface, vocab)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([*_NAME_PIECES, "Mr", "Mrs", "Dr.", "Sen.", "Gen", "Senator", "spokesman", "spokesmen", "Prof.",
                                 "Mr.Putin", "xMr", "_Dr", "\xa0", "\n"]), max_size=10).map("".join))
def test_personal_title_words_prefilter_the_pattern(text):
    """_PERSONAL_TITLE matches only where one of _PERSONAL_TITLE_WORDS is a
    word run (the test _judge_source makes first)."""
    import re

    if A._PERSONAL_TITLE.search(text):
        assert not A._PERSONAL_TITLE_WORDS.isdisjoint(re.findall(r"\w+", text))


_FORMER_PERSON_NAME = (
    r"[A-Z](?<![\w’'][A-Z])(?:[a-z’'\-]+|\.)(?:[ \t]+(?:[A-Z][a-z’'\-]+|[A-Z]\.|al-[A-Z][a-z]+|bin|de|van|von)){1,4}(?![\w’'])"
)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from([*_NAME_PIECES, "Jo", "Ann", "Lee", "x", "X", "Q.", "al-", "al-Sisi", "  "]), max_size=16).map("".join))
def test_person_name_pattern_is_the_former_repeat(text):
    """_PERSON_NAME, its first further token written out, finds the matches of
    the former (?:[ \\t]+T){1,4} pattern, at every start."""
    import re

    former = re.compile(_FORMER_PERSON_NAME)
    assert A._PERSON_NAME.findall(text) == former.findall(text)
    for i in range(len(text)):
        m, f = A._PERSON_NAME.match(text, i), former.match(text, i)
        assert (m and m.span()) == (f and f.span())


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["―", "—", "–", "-", "--", " ", "\t", "\xa0", "\n", "Sonya", "Herridge", "J.", "x", "X", ".", ",", "(",
                                 "“We lost.”", "\"", "’", "O’Neil", "_"]), max_size=16).map("".join))
def test_dash_signature_matches_are_the_finditer(text):
    """_dash_signature_matches (tried at each dash found with str.find) gives
    _DASH_SIGNATURE.finditer's matches: spans and groups."""

    def spans(matches):
        return [(m.span(), m.span("cue"), m.span("src")) for m in matches]

    assert spans(A._dash_signature_matches(text)) == spans(A._DASH_SIGNATURE.finditer(text))


@st.composite
def _sentences_with_colons(draw):
    """A text of colons and other characters, cut into disjoint sentences in
    text order (with gaps), and a paragraph number per sentence."""
    text = draw(st.text(alphabet=st.sampled_from(list("ab :\n")), max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]
    paragraphs = draw(st.lists(st.integers(-1, 3), min_size=len(spans), max_size=len(spans)))
    return text, spans, paragraphs


@settings(max_examples=500, deadline=None)
@given(_sentences_with_colons())
def test_colon_openers_are_the_sentence_loop(case):
    """The speaker_colon sentences found from the colons are those of the plain
    loop over every sentence (paragraph openers holding a colon)."""
    text, spans, paragraphs = case
    plain = []
    prev_para = -1
    for si, (ss, se) in enumerate(spans):
        if paragraphs[si] == prev_para:
            continue
        prev_para = paragraphs[si]
        if text.find(":", ss, se) >= 0:
            plain.append(si)
    assert A._colon_openers(text, spans, [s for s, _ in spans], paragraphs) == plain


@st.composite
def _sentences_and_quotes(draw):
    """Disjoint sentences in order (some empty) and disjoint quotation spans in
    order (some touching), as the pipeline gives them."""
    cuts = sorted(draw(st.lists(st.integers(0, 60), max_size=12)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]
    qcuts = sorted(draw(st.lists(st.integers(0, 60), max_size=10)))
    quotes = [(a, b, True) for a, b in zip(qcuts[::2], qcuts[1::2]) if b > a]
    return spans, quotes


@settings(max_examples=500, deadline=None)
@given(_sentences_and_quotes())
def test_quote_share_is_the_overlap_with_the_merged_spans(case):
    """quote_share sums each sentence's overlaps with the (disjoint) quotation
    spans: what the overlaps with their merge gave."""
    from framing.text.quotes import inside_mask_spans

    spans, quotes = case
    s_cols = {"doc_id": [], "sent_id": [], "quote_share": [], "speaker": [], "attributed": []}
    A._sentence_columns("d", spans, [s for s, _ in spans], quotes, [], s_cols, {}, [e for _, e in spans])
    inside = [0] * len(spans)
    for qs, qe in inside_mask_spans(quotes):
        for i, (ss, se) in enumerate(spans):
            inside[i] += max(0, min(se, qe) - max(ss, qs))
    assert s_cols["quote_share"] == [inside[i] / (se - ss) if se > ss else None for i, (ss, se) in enumerate(spans)]
