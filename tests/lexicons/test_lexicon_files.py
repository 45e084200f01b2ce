"""Lexicon files: provenance, validation of user files, patterns."""

from __future__ import annotations

import re
import sys

import polars as pl
import pytest

from framing import lexicons as lx_mod
from framing.errors import LexiconError
from framing.lexicons import builtin_names, load_builtin, load_file, load_lexicons, parse_lexicon

OWNED = ("hedges", "distancing", "boosters", "anonymous_sources")
HEAD = '[lexicon]\nname = "x"\nversion = "1"\nkind = "hedge"\nsource = "s"\nlicence = "CC0"\nmatching = "m"\n'


@pytest.mark.parametrize("name", OWNED)
def test_builtin_has_provenance_and_notes(name):
    assert name in builtin_names()
    lx = load_builtin(name)
    assert lx.version and lx.source and lx.licence and lx.matching
    assert "framing project" in lx.source
    assert len(lx.entries) >= 8
    for e in lx.entries:
        assert e.category and e.note and e.forms


@pytest.mark.parametrize("name", OWNED)
def test_polars_pattern_compiles_and_matches_every_form(name):
    lx = load_builtin(name)
    pattern = lx.polars_pattern()
    forms = [f.replace("{W}", "Biden") for e in lx.entries for f in e.forms]
    found = pl.Series(forms).str.extract_all(pattern)
    assert found.list.len().min() >= 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[entry]]\nterm = "may"\ncategory = "modal"\nnote = "n"\n[[entry]]\nterm = "MAY"\nid = "may2"\ncategory = "modal"\nnote = "n"\n', "duplicate form"),
        ('[[entry]]\nterm = "may"\ncategory = ""\nnote = "n"\n', "empty category"),
        ('[[entry]]\nterm = "may"\ncategory = "modal"\n', "no note"),
        ('[[entry]]\nterm = ""\ncategory = "modal"\nnote = "n"\n', "no term"),
        ('[[entry]]\nterm = "a"\ncategory = "c"\nnote = "n"\n[[entry]]\nterm = "b"\nid = "a"\ncategory = "c"\nnote = "n"\n', "duplicate entry id"),
        ("", "no [[entry]]"),
    ],
)
def test_user_file_validation(body, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        parse_lexicon((HEAD + body).encode(), origin="user.toml")


def test_bad_files(tmp_path):
    with pytest.raises(LexiconError, match="cannot read"):
        load_file(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe not utf8")
    with pytest.raises(LexiconError, match="UTF-8"):
        load_file(bad)
    bad.write_text("[lexicon\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid TOML"):
        load_file(bad)
    bad.write_text(HEAD.replace('kind = "hedge"', 'kind = "nope"') + '[[entry]]\nterm = "a"\ncategory = "c"\nnote = "n"\n')
    with pytest.raises(LexiconError, match="kind"):
        load_file(bad)


def test_user_file_name_clash(tmp_path):
    p = tmp_path / "h.toml"
    p.write_text(HEAD.replace('name = "x"', 'name = "hedges"') + '[[entry]]\nterm = "kinda"\ncategory = "c"\nnote = "n"\n')
    with pytest.raises(LexiconError, match="already used"):
        load_lexicons([p])


def test_unknown_rule_is_rejected(tmp_path):
    from framing.measures.hedging import match_cues

    p = tmp_path / "r.toml"
    p.write_text(HEAD + '[[entry]]\nterm = "kinda"\ncategory = "c"\nnote = "n"\nrule = "nonsense"\n')
    docs = pl.DataFrame({"doc_id": ["a"], "text": ["kinda"]})
    sents = pl.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [5], "text": ["kinda"]})
    with pytest.raises(LexiconError, match="unknown rule"):
        match_cues(docs, sents, lexicons=load_lexicons([p]))


def test_rust_any_word_is_closed_under_case_folding():
    """``(?-i:ANY_WORD)`` inside a case-insensitive form matches exactly as ANY_WORD does, in
    Rust (Polars) and in Python's ``re`` (placeholder terms are resolved with it): every code point."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    one = lx_mod.ANY_WORD[:-1]  # the class without its "+"
    series = pl.Series(chars, dtype=pl.String)
    folded = series.str.contains(f"(?i)^{one}$")
    assert folded.sum() > 100_000
    assert folded.equals(series.str.contains(f"(?i)^(?-i:{one})$"))
    assert folded.equals(series.str.contains(f"^{one}$"))
    text = "\n".join(chars)
    assert re.findall(one, text, re.IGNORECASE) == re.findall(f"(?-i:{one})", text, re.IGNORECASE)
    assert lx_mod._RUST_ANY_WORD == f"(?-i:{lx_mod.ANY_WORD})"
