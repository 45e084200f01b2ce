"""Property: arbitrary bytes in a file never crash load_corpus; each file
ends in documents or errors."""

from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import load_corpus

NAMES = st.sampled_from(["a.txt", "b.md", "c.json", "d.jsonl", "e.csv", "f.html", "g.parquet", "h.bin", "i"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, data=st.one_of(st.binary(max_size=600), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_arbitrary_bytes_never_crash(tmp_path_factory, name, data):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_bytes(data)
    corpus = load_corpus(folder)
    in_docs = corpus.documents.filter(pl.col("source_path").str.ends_with(name)).height
    in_errors = corpus.errors.filter(pl.col("path").str.ends_with(name)).height
    assert in_docs + in_errors >= 1
    assert corpus.errors["reason"].str.len_chars().min() is None or corpus.errors["reason"].str.len_chars().min() > 5
    # text columns hold text: no lone surrogates that would break Parquet/CSV output
    for text in corpus.documents["text"]:
        text.encode("utf-8")


@settings(max_examples=30, deadline=None)
@given(lines=st.lists(st.text(max_size=80), max_size=12))
def test_cleaning_only_removes(lines):
    from framing.corpus.clean import clean_text

    raw = "\n".join(lines)
    cleaned = clean_text(raw)
    # every kept paragraph comes from the input (whitespace and Unicode NFC normalisation aside)
    squashed = " ".join(unicodedata.normalize("NFC", raw).split())
    for para in cleaned.text.split("\n\n"):
        if para:
            assert all(word in squashed for word in para.split())


def _words_key_reference(text: str) -> str:
    import re

    return " ".join(re.findall(r"\w+", text.casefold()))


# news-like characters: ASCII, the typographic marks words_key turns into spaces, letters that
# case-fold to several (ß, İ) or are not ASCII (é, Ж), digits and numbers outside ASCII (٣, ½),
# a combining mark, spaces of other kinds
_NEWSY = st.text(alphabet=st.sampled_from(list("abcXYZ09_ .,;:'\"-()[]\n\t") + list("’“”—–‘…ßİéЖ٣½ﬁ\u212a\u0301\u00a0\u2009\u200b🙂")), max_size=120)


# Latin-1 text with the marks and "_": words with accents, ß, µ, ½, soft hyphens, symbols
_LATIN1 = st.text(alphabet=st.sampled_from([chr(c) for c in range(32, 256)] + list("’“”—–‘…\n")), max_size=100)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_NEWSY, st.text(max_size=80)))
def test_words_key_equals_the_regex(text):
    from framing.corpus.dedupe import words_key

    assert words_key(text) == _words_key_reference(text)


def test_words_key_marks_are_not_word_characters():
    import re

    from framing.corpus import dedupe

    assert not any(re.fullmatch(r"\w", mark) for mark in dedupe._COMMON_PUNCTUATION)
    assert dedupe.words_key("It’s “fine” — isn’t it… ‘Yes’ – STRASSE Straße") == "it s fine isn t it yes strasse strasse"


def test_words_key_marks_commute_with_case_folding():
    """words_key replaces the marks before case folding: each mark folds to itself and no
    other character folds to a string holding one, over all of Unicode."""
    import sys

    from framing.corpus import dedupe

    marks = set(dedupe._COMMON_PUNCTUATION)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.casefold()
        if char in marks:
            assert folded == char
        else:
            assert marks.isdisjoint(folded), hex(code)
    # texts that only case folding makes ASCII take the regex: the same words
    for text in ("ﬁnal \u212aelvin ſome", "“ﬁne” — \u212a’s", "İstanbul’s ﬂow"):
        assert dedupe.words_key(text) == _words_key_reference(text)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.one_of(_NEWSY, st.sampled_from(["Header Ads", "Comments", "Jane Doe, a fellow at X.", "Repeated paragraph long enough to count."])), max_size=12))
def test_cleaned_norm_is_the_dedupe_normal_form_of_the_text(lines):
    from framing.corpus.clean import clean_text

    cleaned = clean_text("\n".join(lines), author="Jane Doe")
    assert cleaned.norm == _words_key_reference(cleaned.text)


def test_find_duplicates_same_with_given_normal_forms():
    from framing.corpus import dedupe

    base = "Russian President Vladimir Putin said on Thursday that Moscow was ready to negotiate over Ukraine today."
    items = [("a", base), ("b", base.upper()), ("c", base + " Follow us."), ("d", "Something else entirely, with enough words here."), ("e", ""), ("f", None)]
    plain = dedupe.find_duplicates(items)
    given = [_words_key_reference(t or "") for _, t in items]
    assert dedupe.find_duplicates(items, given) == plain == {"b": "a", "c": "a"}
    assert dedupe.find_duplicates(items, [None] * len(items)) == plain
    assert dedupe._norm(base) == given[0]  # remembered for framing.engine._signature


_LAYOUT = st.lists(st.sampled_from(list("ab .\r\n\t") + ["\r\n", "\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u3000", "’", "e\u0301", "é"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_LAYOUT, st.text(max_size=60)))
def test_normalise_and_paragraphs_equal_the_plain_steps(text):
    import re

    from framing.corpus.clean import _SPACES, normalise, paragraphs_of

    plain = unicodedata.normalize("NFC", text)
    plain = plain.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    plain = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", plain)
    assert normalise(text) == plain
    assert paragraphs_of(text) == [line.strip() for line in _SPACES.sub(" ", plain).split("\n") if line.strip()]


def test_latin1_and_marks_are_words_alike_for_python_and_polars():
    """_word_counts counts a Latin-1 text's words from its normal form: for each character there
    (and each typographic mark), Python's ``\\w`` and WORD_PATTERN agree but for "_", and
    case folding maps a word character to word characters and any other to no word character."""
    import re

    from framing.corpus import WORD_PATTERN
    from framing.corpus.dedupe import _COMMON_PUNCTUATION

    chars = [chr(c) for c in range(256)] + list(_COMMON_PUNCTUATION)
    in_pattern = pl.Series(chars, dtype=pl.String).str.count_matches(WORD_PATTERN).to_list()
    for char, n in zip(chars, in_pattern):
        word = re.fullmatch(r"\w", char) is not None
        if char != "_":
            assert word == (n == 1), hex(ord(char))
        folded = char.casefold()
        assert folded and all((re.fullmatch(r"\w", f) is not None) == word for f in folded), hex(ord(char))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.one_of(_NEWSY, _LAYOUT, _LATIN1, st.text(max_size=60)), min_size=1, max_size=6))
def test_word_counts_equal_the_pattern_count(texts):
    from framing.corpus import WORD_PATTERN, _word_counts
    from framing.corpus.clean import clean_text

    cleaned = [clean_text(t) for t in texts]
    got = _word_counts([c.text for c in cleaned], [c.norm for c in cleaned])
    want = pl.Series([c.text for c in cleaned], dtype=pl.String).str.count_matches(WORD_PATTERN).cast(pl.Int64)
    assert got.dtype == pl.Int64 and got.to_list() == want.to_list()
    # without normal forms every text is counted by the pattern
    assert _word_counts([c.text for c in cleaned], [None] * len(cleaned)).to_list() == want.to_list()
