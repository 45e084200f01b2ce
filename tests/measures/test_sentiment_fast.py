"""The fast paths of the sentiment model give exactly what the code they replaced gave.

Oracles: vaderSentiment itself, the frozen pre-speed-up implementations in
tests/before_speedup.py, and :func:`target_score` for the per-sentence scorer
the ``actors`` stage uses (:func:`reporter_scores`).
"""

from __future__ import annotations

import re
import sys

import before_speedup as B
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.measures import sentiment as S
from framing.text.patterns import trie_regex

# words that exercise every VADER rule: lexicon words, boosters, negations, "no", "but", "least",
# "kind of", "never so", "without doubt", idioms and booster phrases, caps, punctuation, emoji
_VADER_WORDS = (
    "good bad great terrible not no never so this without doubt least at very kind of sort just enough "
    "the shit bomb bad ass badass bus stop yeah right kiss death to die for beating heart but isn't "
    "don't nothing hardly extremely barely GOOD BAD VERY NOT Good I a he she said accused praised "
    "war crisis :) :( ok fine lol ugh! wow!! really? what?? good, bad. (good) “good” ‘bad’ good—bad "
    "corrupt–cruel ΣΑΣ İyi ſo Kill 😀 x"
).split()
_SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\x1c"]
texts = st.lists(st.tuples(st.sampled_from(_VADER_WORDS), st.sampled_from(_SEPARATORS)), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_vader_compound_equals_vader_and_the_old_transcription(text):
    ref = S._analyzer().polarity_scores(text)["compound"] if S._WORD.search(text) else None
    assert S._vader_one(text) == ref == B._vader_one(text)
    if S._WORD.search(text) and S._fast_tables()[1].isdisjoint(text):
        assert repr(S._compound(text)) == repr(B._compound(text))


@settings(max_examples=600, deadline=None)
@given(texts)
def test_word_valences_equal_the_old_version(text):
    assert repr(S.word_valences(text)) == repr(B.word_valences(text))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_sentiments_equal_the_old_version(text):
    words = S._vader_words(text.split())
    old_low, old = B._sentiments(words)
    low, new = S._sentiments(words)
    assert list(low) == list(old_low) and repr(new) == repr(old)


# the words of every multi-word idiom and booster phrase, their heads on their own and next to other
# words, lexicon words to be changed, and words that are neither
_PHRASE_WORDS = (
    "the shit bomb bad ass badass bus stop yeah right kiss of death to die for beating heart just enough "
    "kind sort good bad great love hate fine war the the to to just x y not no never so least GOOD"
).split()


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_WORDS), max_size=8))
def test_plain_words_near_idiom_words_equal_the_old_version(words):
    # a word after an idiom head ("the", "to", "just" ...) that starts no phrase there, and a word among
    # the first three, keep their rated valence at once; the old version walked each through every rule
    old_low, old = B._sentiments(words)
    low, new = S._sentiments(words)
    assert list(low) == list(old_low) and repr(new) == repr(old)
    text = " ".join(words)
    assert repr(S.word_valences(text)) == repr(B.word_valences(text))
    if S._WORD.search(text):
        assert repr(S._compound(text)) == repr(B._compound(text))


def test_one_pass_lower_casing_is_safe():
    # _token_valences and _compound lower-case a whole text and split it: that equals lower-casing each
    # stripped token when every character lower-cases to one character that is whitespace, or in the
    # stripped punctuation, exactly when the character itself is (Σ, the one context-dependent case, is
    # handled apart).
    for cp in range(128, sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        if len(low) != 1:
            assert c == "\u0130"  # İ: two characters, caught by the length check
            continue
        assert c.isspace() == low.isspace()
        assert (c in S._NEWS_PUNCT) == (low in S._NEWS_PUNCT)


# --------------------------------------------------------------------- the per-sentence scorer


_SENT_WORDS = (
    "Smith Jones Putin the said says told accused praised was arrested by against than more corrupt "
    "brilliant honest terrible disgraced former President Mr. and or but while because , , ; : ( ) — - "
    "a senator who on Monday according to “ ” \" ’s killed met backed support attack not never very "
    "lied failed plan good bad critics called him unethical war crisis"
).split() + [
    "was arrested", "has been accused", "praised by", "was sharply criticized", "and Jones praised",
    ", a senator, accused", "told reporters", "more money than", "according to", "said in a statement",
    "who repeatedly attacked", "the former", "Sen. Smith", "“corrupt”", "“a brilliant plan,”",
]


@st.composite
def sentences_with_targets(draw):
    words = draw(st.lists(st.sampled_from(_SENT_WORDS), min_size=1, max_size=30))
    prefix = draw(st.sampled_from(["", "Earlier. ", "A “quoted” start. "]))
    body = " ".join(words)
    text = prefix + body + draw(st.sampled_from([".", "", "!", "”."]))
    lo, hi = len(prefix), len(text)
    spans = [m.span() for m in re.finditer(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*|Mr\. [A-Z][a-z]+", text) if m.start() >= lo]
    targets = draw(st.lists(st.sampled_from(spans), max_size=5, unique=True)) if spans else []
    speakers = draw(st.lists(st.sampled_from([None, True]), min_size=len(targets), max_size=len(targets)))
    quotes = [(a, b) for a, b, _ in __import__("framing.text.quotes", fromlist=["quote_spans"]).quote_spans(text)]
    return text, (lo, hi), quotes, [(a, b, s) for (a, b), s in zip(targets, speakers)]


@settings(max_examples=800, deadline=None)
@given(sentences_with_targets())
def test_reporter_scores_equal_target_score(case):
    text, sentence, quotes, targets = case
    got = S.reporter_scores(text, sentence, quotes, targets)
    want = [
        S.target_score(text, a, b, sentence=sentence, quotes=quotes, speaker=spk, reporter_only=True)
        for a, b, spk in targets
    ]
    assert repr(got) == repr(want)


def test_reporter_scores_equal_target_score_on_the_seeds(seeds_dir):
    import polars as pl

    import framing
    from framing.text.quotes import quote_spans
    from framing.text.sentences import segment

    docs = framing.load_corpus(str(seeds_dir)).documents.filter(pl.col("measured"))
    sents = segment(docs)
    n = 0
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        quotes = [(a, b) for a, b, _ in quote_spans(text)]
        rows = sents.filter(pl.col("doc_id") == doc_id)
        for lo, hi in zip(rows["start"], rows["end"]):
            targets = [(m.start(), m.end(), spk) for m in re.finditer(r"[A-Z][\w’'.-]*(?: [A-Z][\w’'-]*)*", text[lo:hi])
                       for spk in (None, True)]
            targets = [(a + lo, b + lo, spk) for a, b, spk in targets]
            near = [(a, b) for a, b in quotes if a < hi and b > lo]
            got = S.reporter_scores(text, (lo, hi), near, targets)
            want = [S.target_score(text, a, b, sentence=(lo, hi), quotes=near, speaker=spk, reporter_only=True)
                    for a, b, spk in targets]
            assert repr(got) == repr(want), text[lo:hi]
            n += len(targets)
    assert n > 1000


@settings(max_examples=800, deadline=None)
@given(sentences_with_targets())
def test_role_cue_equals_the_old_version(case):
    text, (lo, hi), _, targets = case
    for a, b, _ in targets:
        assert S.role_cue(text, a, b, lo, hi) == B.role_cue(text, a, b, lo, hi)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [" ", "  ", ", ", ",", " a senator,", " and", " or", " Jones", " ACCUSED", " was", " has", " been",
             " being", " is", " got", " then", " sharply", " publicly", " not", " who", " to", " accused",
             " praised", " arrested", " Praised", " met", " against", " by", " the", " accusedx", " sued.", "ſ"]
        ),
        max_size=12,
    ).map("".join)
)
def test_one_role_pattern_matches_as_passive_then_agent(after):
    # the passive branch may match its words and then miss the verb ("X was then accused"): the agent
    # branch takes over and the passive mark must be forgotten
    text = "Smith" + after
    passive, agent = B._role_patterns()
    for end in (5, 6):
        m = S._role_pattern().match(text, end)
        p = passive.match(text, end)
        a = None if p else agent.match(text, end)
        want = p or a
        assert (m is None) == (want is None)
        if m is not None:
            assert m.span() == want.span() and m.span("verb") == want.span(1)
            assert (m.group("passive") is not None) == (p is not None)
            assert m.lastindex == m.re.groupindex["verb"]  # role_cue reads the verb as the last group


def test_role_verb_trie_matches_every_form_and_nothing_else():
    forms = [f for f in S._role_lexicon() if f != "against"]
    trie = re.compile(rf"(?:{trie_regex(forms)})\Z")
    assert all(trie.match(f) for f in forms)
    for f in forms:  # a letter more or less is not a form (unless it is one)
        for other in (f[:-1], f + "s", f + "x", "x" + f):
            assert bool(trie.match(other)) == (other in forms)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list(" \t\n\u00a0,;:()[]—–-xBUTſ")
            + ["but", "As", "however", "yet ", "Because", "WHILE", "although", "though", "whereas", "ass", "butter", "aſ", "becauſe", "yEt"]
        ),
        max_size=30,
    ).map("".join)
)
def test_clause_pattern_equals_the_old_one(text):
    assert [m.span() for m in S._CLAUSE.finditer(text)] == [m.span() for m in B._CLAUSE.finditer(text)]
    for lo in range(0, len(text), 7):
        assert [m.span() for m in S._CLAUSE.finditer(text, lo, len(text) - 1)] == [
            m.span() for m in B._CLAUSE.finditer(text, lo, len(text) - 1)
        ]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(list("aBc'’- .x-QZ\n(") + ["Smith", "o’Neil", "x-Men", "'-Bob", "AB"]), max_size=30).map("".join))
def test_sentence_names_equal_name_words(text):
    assert S._sentence_names(text) == S._name_words.__wrapped__(text, 0, len(text), 0, len(text))


def _blanked_and_runs(sent):
    """What _sentence_valences did with the names before: blank each one, then join them into runs."""
    names = S._sentence_names(sent)
    chars = sent
    if names:
        parts, pos = [], 0
        for p, q in names:
            parts += (sent[pos:p], " " * (q - p))
            pos = q
        parts.append(sent[pos:])
        chars = "".join(parts)
    runs = S._name_runs(sent, names) if names else ()
    return chars, tuple(x for run in runs for x in run)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("aBc'’- .x-QZ\n(“:s\t\u00a0\x1c‘[!—,") + ["Smith", "o’Neil", "x-Men", "'-Bob", "-’Al", "AB", "Mr. ", " Hope", "’s ", ". ", "Gov"]
        ),
        max_size=30,
    ).map("".join)
)
def test_muted_names_blank_and_join_as_before(text):
    """One pass gives the names, the blanked sentence and the runs that three passes gave."""
    names, chars, runs = S._muted_names(text)
    assert names == S._name_words.__wrapped__(text, 0, len(text), 0, len(text))
    assert (chars, runs) == _blanked_and_runs(text)
    assert len(chars) == len(text)
    assert S._muted_names(text, names=False) == ((), chars, runs)


def test_muted_names_on_the_seeds(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    assert texts
    n = 0
    for text in texts:
        for sent in re.split(r"(?<=[.!?])\s+|\n+", text):
            names, chars, runs = S._muted_names(sent)
            assert (chars, runs) == _blanked_and_runs(sent)
            n += bool(runs)
    assert n > 10


_BEFORE_WORDS = (
    "accused praised by the former his and or Sen. Gov. Mr. President Jones Smith against told met was , . "
    "— ( “ ” 'quoted' very long-winded-word x1 a 42 Accused BY By AGAINST Against killed"
).split()


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_BEFORE_WORDS), max_size=40), st.sampled_from(["", " ", "  ", "\n"]))
def test_words_before_a_target_equal_the_old_walk(words, sep):
    text = (sep or " ").join(words) + " Target said."
    start = text.index("Target")
    for lo in (0, max(0, start - 50), start):
        got = S._before_roles(text, lo, start)
        want = B._before_roles(text, lo, start)
        assert [(r, m.span(), m.group()) for r, m in got] == [(r, m.span(), m.group()) for r, m in want]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["said", "Says", "say", "sayings", "told", "TOLD", "tells", "posted", "post", "x", ",", " ", "  ",
                                 "\n", "he", "a senator", "saidx", "asks", "asked"]), max_size=12).map("".join))
def test_speaker_pattern_equals_the_old_one(text):
    for end in range(0, len(text) + 1, 3):
        got = S._SPEAKER_AFTER.match(text, end, min(len(text), end + 90))
        want = B._SPEAKER_AFTER.match(text, end, min(len(text), end + 90))
        assert (got and got.span()) == (want and want.span())


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 14))
def test_clause_test_equals_the_old_one(a, b, start):
    assert (start < b or (start == a and b <= a)) == (a <= start < max(b, a + 1) or start < b)


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.sampled_from(list("aZ9'’-_ .,é\nK") + ["it's", "well-known", "Smith", "--", "’90s"]), max_size=30).map("".join),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_counting_patterns_count_the_words(text, a, b):
    """The counting patterns (an empty group at the end) find as many words as _WORD and _CAPWORD."""
    assert len(S._WORD_COUNT.findall(text, a, b)) == len(S._WORD.findall(text, a, b))
    assert len(S._CAPWORD_COUNT.findall(text, a, b)) == len(S._CAPWORD.findall(text, a, b))
    assert S._words(text, a, b) == (len(S._WORD.findall(text, a, b)) if b > a else 0)


#: a capital letter not right after a letter, and the rest of its word: _CAPITAL_MUTE's words without its groups
_CAPITAL = re.compile(r"[A-Z](?<![A-Za-z][A-Z])[A-Za-z'’-]*")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("aBcQZ'’-. \t\n\u00a0\x1c“\"‘(:—–[!?,x") + ["Smith", "AB", "o’Neil"]), max_size=30).map("".join))
def test_capital_mute_pattern_marks_what_the_before_test_marked(text):
    """_CAPITAL_MUTE finds _CAPITAL's words, its group set exactly where the old test on the text before mutes."""
    got = [(m.span(), m.lastindex is not None) for m in S._CAPITAL_MUTE.finditer(text)]
    want = []
    for m in _CAPITAL.finditer(text):
        a = m.start()
        before = text[max(0, a - 3) : a].rstrip()
        want.append((m.span(), bool(a and before and before[-1] not in S._UNMUTED_AFTER)))
    assert got == want


def test_clause_words_first_letters_fold_to_themselves_only():
    """_CLAUSE's case-sensitive look-ahead ([abhtwyABHTWY]) lets through every character a
    case-insensitive first letter of its words could match."""
    firsts = re.compile("(?i:[abhtwy])")
    assert {chr(c) for c in range(sys.maxunicode + 1) if firsts.fullmatch(chr(c))} == set("abhtwyABHTWY")


def _old_sentence_words(sent):
    """The words of _sentence_valences as its offset loop found them before: a find for every token in turn."""
    _, chars, _ = S._muted_names(sent)
    found = S._token_valences(chars)
    if found is None:
        return ()
    spaced, toks, hits, sentiments, _ = found
    words, wanted, pos = [], set(hits), 0
    for i, tok in enumerate(toks):
        pos = spaced.find(tok, pos)
        if i in wanted:
            word = tok.strip(S._NEWS_PUNCT) or tok
            a = pos + tok.index(word)
            words += (word, a, a + len(word), float(sentiments[i]))
        pos += len(tok)
    return tuple(words)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["good", "goodgood", "xgood", "good,", "(good", "“good”", "bad", "notbad", "not", "bad-ass", "Good",
                 "Smith", "Smith,good", "war—good", "x", ":)", ":):)", "no", "GOOD", "ſo", "İyi", "ΣΑΣ"]
            ),
            st.sampled_from(_SEPARATORS + ["", "—", "-"]),
        ),
        max_size=25,
    ).map(lambda parts: "".join(w + s for w, s in parts))
)
def test_sentence_valences_find_each_word_where_the_token_walk_did(text):
    """Looking up only the lexicon words (a whole-token find from the word before) gives the token walk's offsets,
    also when a word stands inside an earlier token ("goodgood good") or twice in a row."""
    S._VALENCE_CACHE.clear()
    assert repr(S._sentence_valences(text, 0, len(text))[0]) == repr(_old_sentence_words(text))


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Smith", "Jones", "the", "a", "said", "US", "’s", "o’Neil", "x-Men", "-Bob", "'-al", "9", "“Hope”"]),
        max_size=20,
    ),
    st.sampled_from([" ", "  ", "\n", "\u00a0", ", ", "-", ".", "\x1c"]),
)
def test_headline_rule_equals_counting_every_word(words, sep):
    """_muted_names decides the headline rule as counting every word did (names and title-case sentences mixed)."""
    text = sep.join(words)
    names, chars, runs = S._muted_names(text)
    assert names == S._name_words.__wrapped__(text, 0, len(text), 0, len(text))
    assert (chars, runs) == _blanked_and_runs(text)


_OLD_SPEAKER_BEFORE = re.compile(r"\b(?:(?P<verb>said|says|wrote|added)|according\s+to)\s+(?:[A-Z][\w.]*\s+){0,2}$")


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["said", "says", "wrote", "added", "according", "to", "according to", "xsaid", "_said", "éadded",
                         "Said", "sadded", "aid", "s", "a", "w", "Sen.", "Smith", "J.", "x", " ", "  ", "\n", ",", "9"]),
        max_size=14,
    ).map("".join)
)
def test_speaker_before_pattern_equals_the_old_one(text):
    """The character-class-first speaker pattern finds what the \\b-first one found, ``verb`` set alike, in any slice."""
    for end in range(len(text) + 1):
        for pos in range(0, end + 1, 2):
            got = S._SPEAKER_BEFORE.search(text, pos, end)
            want = _OLD_SPEAKER_BEFORE.search(text, pos, end)
            assert (got and (got.span(), got.group("verb") is None)) == (want and (want.span(), want.group("verb") is None))


def test_start_up_cache_gives_the_analyzer_lexicon_and_the_parsed_toml(tmp_path, monkeypatch):
    """The lexicon tables and news_valence.toml read back from framing's start-up cache equal those built
    from VADER's analyzer and from the TOML itself: same keys in the same order, same float values."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    analyzer = S._analyzer()
    want_lexicon = analyzer.lexicon
    want_emoji = frozenset(e for e in analyzer.emojis if len(e) == 1)
    want_doc = tomllib.loads(S._news_valence_file().read_text("utf-8"))
    try:
        for setting, written in ((tmp_path, False), (tmp_path, True), ("off", None)):  # built, read back, no cache
            monkeypatch.setenv("FRAMING_CACHE_DIR", str(setting))
            S._lexicon_tables.cache_clear()
            S._news_valence_doc.cache_clear()
            if written is not None:
                assert bool(list(tmp_path.glob("vader-news-lexicon-*.json"))) is written
                assert bool(list(tmp_path.glob("news-valence-doc-*.json"))) is written
            lexicon, emoji = S._lexicon_tables()
            assert list(lexicon.items()) == list(want_lexicon.items())
            assert all(type(v) is float for v in lexicon.values())
            assert emoji == want_emoji and emoji
            doc = S._news_valence_doc()
            assert doc == want_doc
            assert [type(e["valence"]) for e in doc["entry"]] == [type(e["valence"]) for e in want_doc["entry"]]
    finally:
        S._lexicon_tables.cache_clear()
        S._news_valence_doc.cache_clear()


def test_sentence_memos_stay_within_their_bound_and_give_the_same_valences(monkeypatch):
    from framing.measures import sentiment as S

    sentences = [f"Officials said the plan was a terrible failure number {i}." for i in range(7)]
    fresh = []
    for s in sentences:
        S._VALENCE_CACHE.clear()
        fresh.append(S._sentence_valences(s, 0, len(s)))
    monkeypatch.setattr(S, "_SCORE_CACHE_MAX", 3)
    S._VALENCE_CACHE.clear()
    bounded = []
    for s in sentences + sentences:
        bounded.append(S._sentence_valences(s, 0, len(s)))
        assert len(S._VALENCE_CACHE) <= 3
    S._VALENCE_CACHE.clear()
    assert bounded == fresh + fresh
    assert any(v for v in fresh[0][0][3::4])  # "terrible", "failure": the sentences do carry valences
