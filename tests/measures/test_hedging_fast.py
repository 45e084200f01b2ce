"""Hedging's fast paths equal the straightforward computations they replace."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.lexicons import load_lexicons
from framing.measures import hedging

LEXICONS = load_lexicons()
MATCHED = [lx for lx in LEXICONS.lexicons if lx.kind in hedging.MATCHED_KINDS]
WORDS = ["U.S.", "senior", "Ukrainian", "the", "of", "officials", "sources", "said", "may", "not", "x", "É", "’", "'"]


def _phrases(lexicon) -> list[str]:
    """Every form of ``lexicon`` as text, ``{W}`` filled with a word."""
    out = []
    for e in lexicon.entries:
        for k, f in enumerate(e.forms):
            out.append(f.replace("{W}", WORDS[k % len(WORDS)]))
    return out


def _texts(lexicon):
    phrases = _phrases(lexicon)
    gaps = [" ", "  ", ", ", ". ", "\n", "-", "", " officials said ", " sources say ", " and "]
    return st.lists(
        st.lists(st.tuples(st.sampled_from(phrases + WORDS), st.sampled_from(gaps)), max_size=12).map(
            lambda parts: "".join(p + g for p, g in parts)
        ),
        min_size=1,
        max_size=8,
    )


@pytest.mark.parametrize("name", [lx.name for lx in MATCHED])
def test_pattern_groups_partition_the_forms(name):
    from framing import lexicons as lx_mod

    lexicon = LEXICONS.named(name)
    forms = lexicon._polars_forms
    plain = tuple(fc for fc in forms if "{W}" not in fc[0])
    placeholder = tuple(fc for fc in forms if "{W}" in fc[0])
    expected = tuple(
        lx_mod._trie_pattern(g) or lx_mod._flat_pattern(lexicon, g) for g in (plain, placeholder) if g
    )
    assert lexicon.polars_pattern_groups() == expected
    assert lexicon.polars_pattern() == (lx_mod._trie_pattern(forms) or lx_mod._flat_pattern(lexicon, forms))
    if placeholder:
        assert lexicon.polars_pattern() == lx_mod._flat_pattern(lexicon, forms)


@pytest.mark.parametrize("name", [lx.name for lx in MATCHED])
def test_find_spans_by_groups_equals_the_whole_pattern(name):
    lexicon = LEXICONS.named(name)
    pattern, groups = lexicon.polars_pattern(), lexicon.polars_pattern_groups()

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_texts(lexicon))
    def check(texts):
        series = pl.Series("text", texts, pl.String)
        assert hedging.find_spans(series, pattern, groups).equals(hedging.find_spans(series, pattern))

    check()


def test_find_spans_by_groups_on_seed_sentences(seed_corpus):
    texts = seed_corpus.documents["text"].fill_null("")
    sentences = pl.Series("text", [s for t in texts.to_list() for s in t.split(". ")], pl.String)
    mixed = pl.Series(
        "text",
        [
            "U.S. officials said a senior administration official said so.",
            "Senior officials say, according to media reports, that Ukrainian sources said it.",
            "who spoke on condition of anonymity x officials told",
        ],
        pl.String,
    )
    for lexicon in MATCHED:
        pattern, groups = lexicon.polars_pattern(), lexicon.polars_pattern_groups()
        for series in (sentences, mixed):
            fast = hedging.find_spans(series, pattern, groups)
            assert fast.equals(hedging.find_spans(series, pattern))
    fast = hedging.find_spans(mixed, LEXICONS.named("anonymous_sources").polars_pattern(),
                              LEXICONS.named("anonymous_sources").polars_pattern_groups())
    assert fast.height >= 5 and fast["_row"].to_list() == sorted(fast["_row"].to_list())


def _two_scan_spans(series: pl.Series, pattern: str) -> pl.DataFrame:
    """find_spans through its two-scan path (taken when a text holds the marker character)."""
    with_mark = series.append(pl.Series([hedging._MARK], dtype=pl.String))
    return hedging.find_spans(with_mark, pattern).filter(pl.col("_row") < series.len())


@pytest.mark.parametrize("name", [lx.name for lx in MATCHED])
def test_marked_single_scan_equals_two_scans(name):
    lexicon = LEXICONS.named(name)
    pattern, groups = lexicon.polars_pattern(), lexicon.polars_pattern_groups()

    @settings(max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_texts(lexicon), st.lists(st.text(max_size=40), max_size=3))
    def check(texts, noise):
        series = pl.Series("text", texts + noise, pl.String)
        two = _two_scan_spans(series, pattern)
        assert hedging.find_spans(series, pattern).equals(two)
        assert hedging.find_spans(series, pattern, groups).equals(two)

    check()


def test_marked_scan_offsets_on_unicode_and_adjacent_matches():
    pattern = LEXICONS.named("hedges").polars_pattern()
    texts = ["may may", "É’ may; might.", "maymay may", "", "😀 allegedly 😀 may", "x\x00 may"]
    series = pl.Series("text", texts, pl.String)
    fast = hedging.find_spans(series.head(5), pattern)
    for row, start, end, term in fast.iter_rows():
        assert texts[row][start:end] == term
    assert fast.equals(_two_scan_spans(series.head(5), pattern))
    # a text holding the marker: the two-scan path, same offsets
    slow = hedging.find_spans(series, pattern)
    assert slow.filter(pl.col("_row") < 5).equals(fast)
    assert slow.filter(pl.col("_row") == 5).select("off_start", "off_end", "term").rows() == [(3, 6, "may")]


def test_lexicon_tables_built_once_per_lexicon_and_equal_fresh_ones():
    for lexicon in MATCHED:
        first = hedging._lexicon_tables(lexicon)
        assert hedging._lexicon_tables(lexicon) is first
        table, placeholders = hedging._entry_table(lexicon)
        assert first[0].equals(table) and first[1] == placeholders
        assert first[2].equals(hedging._entries_info(lexicon))
    # a lexicon loaded again (a new, equal object) gets its own tables, equal to the first's
    import dataclasses

    again = dataclasses.replace(MATCHED[0])
    assert again is not MATCHED[0] and hedging._lexicon_tables(again) is not hedging._lexicon_tables(MATCHED[0])
    assert hedging._lexicon_tables(again)[0].equals(hedging._lexicon_tables(MATCHED[0])[0])


def test_whole_pattern_left_out_only_when_no_text_matches_both_groups():
    lexicon = LEXICONS.named("anonymous_sources")
    pattern, groups = lexicon.polars_pattern(), lexicon.polars_pattern_groups()
    assert len(groups) == 2
    one_group = ["Officials said so.", "U.S. officials said a senior official said so.", "No cue here.", ""]
    both = one_group + ["Senior officials say it."]  # "officials say" and "{W} officials say"
    hits = hedging._hits("_h", pattern, groups)
    for texts, overlap in ((one_group, False), (both, True)):
        series = pl.Series("text", texts, pl.String)
        frame = pl.DataFrame({"_t": series}).select(*(pl.col("_t").str.contains(p).alias(n) for n, p in hits))
        assert hedging._overlap(frame, [[n for n, _ in hits], ["_h0"]]) == [overlap, False]
        # with or without the whole pattern in the query, the same spans as the whole pattern alone
        assert hedging.find_spans(series, pattern, groups).equals(hedging.find_spans(series, pattern))


def test_caseless_classes_are_closed_under_case_folding():
    """The rule patterns write these classes ``(?-i:…)``: the same characters as under ``(?i)``,
    checked on every code point."""
    import sys

    chars = pl.Series([chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF], dtype=pl.String)
    for cls in hedging._CASELESS_CLASSES:
        folded = chars.str.contains(f"(?i)^{cls}$")
        assert folded.sum() > 100_000
        assert folded.equals(chars.str.contains(f"^{cls}$"))
        assert f"(?-i:{cls})" in hedging._DROP_PATTERN
