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
        frame = pl.DataFrame({"_t": series}).with_columns(*(pl.col("_t").str.contains(p).alias(n) for n, p in hits))
        assert hedging._batch_facts(frame, [[n for n, _ in hits], ["_h0"]])[0] == [overlap, False]
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
        assert f"(?-i:{cls})" in "".join(hedging._DROP_PATTERNS)


def _mixed_case_lexicon(tmp_path):
    """A user lexicon whose {W} forms and case-sensitive entries interleave with the others."""
    p = tmp_path / "mixed.toml"
    p.write_text(
        '[lexicon]\nname = "mixed"\nversion = "1"\nkind = "anonymous_source"\nsource = "me"\nlicence = "CC0"\n'
        'matching = "whole words"\n'
        '[[entry]]\nterm = "officials said"\ncategory = "a"\nnote = "n"\nforms = ["officials said", "top officials said", "us officials"]\n'
        '[[entry]]\nterm = "{W} officials said"\ncategory = "b"\nnote = "n"\nforms = ["{W} officials said", "{W} sources"]\n'
        '[[entry]]\nterm = "May sources"\ncategory = "c"\nnote = "n"\ncase_sensitive = true\nforms = ["May sources", "US officials said"]\n',
        encoding="utf-8",
    )
    return load_lexicons([p]).named("mixed")


def test_overlap_pattern_is_the_whole_pattern_where_there_is_one_run():
    for lexicon in MATCHED:
        if len(lexicon.polars_pattern_groups()) == 1:
            assert hedging._overlap_pattern(lexicon) == lexicon.polars_pattern()


@pytest.mark.parametrize("name", [lx.name for lx in MATCHED] + ["mixed"])
def test_overlap_pattern_finds_the_matches_of_the_whole_pattern(name, tmp_path):
    """The runs-of-tries pattern scanned where several groups match: the same spans as the flat
    whole pattern, on texts built from the lexicon's own forms (overlapping, adjacent, nested)."""
    lexicon = _mixed_case_lexicon(tmp_path) if name == "mixed" else LEXICONS.named(name)
    pattern, cheap = lexicon.polars_pattern(), hedging._overlap_pattern(lexicon)

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_texts(lexicon))
    def check(texts):
        series = pl.Series("text", texts, pl.String)
        assert hedging.find_spans(series, cheap).equals(hedging.find_spans(series, pattern))

    check()
    phrases = _phrases(lexicon)
    joined = pl.Series("text", [" ".join(phrases), "".join(phrases), " ".join(p.upper() for p in phrases)], pl.String)
    assert hedging.find_spans(joined, cheap).equals(hedging.find_spans(joined, pattern))


def test_overlap_pattern_in_the_sentences_of_the_seeds(seed_corpus):
    texts = seed_corpus.documents["text"].fill_null("")
    sentences = pl.Series("text", [s for t in texts.to_list() for s in t.split(". ")], pl.String)
    for lexicon in MATCHED:
        fast = hedging.find_spans(sentences, hedging._overlap_pattern(lexicon))
        assert fast.equals(hedging.find_spans(sentences, lexicon.polars_pattern()))


def test_overlap_pattern_from_the_cache_equals_the_built_one(tmp_path, monkeypatch):
    lexicon = LEXICONS.named("anonymous_sources")
    built = hedging._build_overlap_pattern(lexicon, lexicon._polars_forms)
    assert built != lexicon.polars_pattern() and len(built) < len(lexicon.polars_pattern())
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "c"))
    hedging._OVERLAP_PATTERNS.clear()
    try:
        for _ in range(2):  # first: built and written; second: read back
            hedging._OVERLAP_PATTERNS.clear()
            assert hedging._overlap_pattern(lexicon) == built
        assert len(list((tmp_path / "c").glob("hedging-overlap-pattern-*.json"))) == 1
        assert hedging._overlap_pattern(lexicon) is hedging._overlap_pattern(lexicon)  # kept per lexicon
        monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
        hedging._OVERLAP_PATTERNS.clear()
        assert hedging._overlap_pattern(lexicon) == built
    finally:
        hedging._OVERLAP_PATTERNS.clear()


def test_split_drop_patterns_match_as_one():
    """_DROP_PATTERNS (modal_may's conditions apart from the others') drop exactly the keys the one
    pattern over all rules drops."""
    whole = hedging._rules_pattern(1, tuple(hedging._RULES))
    keys = []
    for rule in hedging._RULES:
        for term, pre, post in (
            ("may", "However angry they", " be, we go"),
            ("May", "", " the talks succeed"),
            ("may", "Players", " bid twice"),
            ("might", "the military", " of Rome"),
            ("claimed", "He", " responsibility for it"),
            ("many", "the", " years after"),
            ("think", "I", " about it"),
            ("May", "In", " 5, 2020"),
            ("could", "Police", " not find him"),
        ):
            keys.append(f"{rule}\x1f{term}\x1f{pre}\x1e{post}")
    series = pl.Series(keys, dtype=pl.String)
    split = pl.DataFrame({"k": series}).select(pl.any_horizontal(*(pl.col("k").str.contains(p) for p in hedging._DROP_PATTERNS)))
    assert len(hedging._DROP_PATTERNS) == 2
    assert split.to_series().equals(series.str.contains(whole), check_names=False)
    assert split.to_series().sum() > 10


def test_rule_key_separators_in_text_are_spaces():
    """A text holding the rule key's separators is read by the rules as with spaces in their place."""
    plain = cues_of_texts(["Prices may include taxes.", "The risk may\x1einclude\x1ftaxes."])
    assert plain == cues_of_texts(["Prices may include taxes.", "The risk may include taxes."])


def cues_of_texts(texts: list[str]) -> list[tuple[int, int, str, str]]:
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    sents = pl.DataFrame(
        {"doc_id": docs["doc_id"], "sent_id": [0] * len(texts), "start": [0] * len(texts), "end": [len(t) for t in texts], "text": texts}
    )
    c = hedging.match_cues(docs, sents, lexicons=LEXICONS)
    return list(zip(c["start"].to_list(), c["end"].to_list(), c["kind"].to_list(), c["category"].to_list()))


def _facts_one_by_one(frame: pl.DataFrame, series: pl.Series, names: list[list[str]]) -> tuple[list[bool], bool, bool]:
    """What _batch_facts answers, asked one query at a time (as before it)."""
    several = [
        len(cols) > 1 and frame.select((pl.sum_horizontal(*(pl.col(c) for c in cols)) > 1).any()).item() for cols in names
    ]
    return several, not series.str.contains("\x00", literal=True).any(), series.str.contains("[\x1e\x1f]").any()


def test_batch_facts_equal_overlap_marked_and_separator_scans():
    """_batch_facts answers, in one query, whether texts match several groups, hold the split mark
    and hold a separator of the rule key."""
    lexicon = LEXICONS.named("anonymous_sources")
    pattern, groups = lexicon.polars_pattern(), lexicon.polars_pattern_groups()
    hits = hedging._hits("_h", pattern, groups)
    names = [[n for n, _ in hits], ["_h0"]]
    cases = (
        ["Officials said so.", "No cue here.", ""],
        ["Senior officials say it.", None],
        ["a \x00 mark", "Officials said so."],
        ["a \x1e separator", "and \x1f another"],
        [None, None],
    )
    for texts in cases:
        series = pl.Series("text", texts, pl.String)
        frame = pl.DataFrame({"_t": series}).with_columns(*(pl.col("_t").str.contains(p).alias(n) for n, p in hits))
        assert hedging._batch_facts(frame, names) == _facts_one_by_one(frame, series, names)


def test_entry_lexicon_is_lexicon_id_before_first_colon():
    """_drop_nested compares _lx, which must be what splitting lexicon_id at ':' gave."""
    for lexicon in MATCHED:
        info = hedging._entries_info(lexicon)
        assert info["_lx"].to_list() == info["lexicon_id"].str.split(":").list.first().to_list()
