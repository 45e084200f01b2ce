"""Lexicons read back from the start-up cache (framing.cache) equal the lexicons parsed and built
from their files, and an edited file is never served from a stale entry."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from framing import lexicons as lx_mod
from framing.lexicons import builtin_names, load_file, parse_lexicon, read_toml

HEAD = '[lexicon]\nname = "x"\nversion = "1"\nkind = "hedge"\nsource = "s"\nlicence = "CC0"\nmatching = "m"\n'
ENTRY = '[[entry]]\nterm = "{term}"\ncategory = "c"\nnote = "n"\n'


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c"


def _builtin_bytes(name: str) -> bytes:
    from importlib import resources

    return (resources.files("framing.lexicons") / "data" / f"{name}.toml").read_bytes()


def _patterns(lexicon) -> tuple[str, tuple[str, ...]]:
    return lexicon.polars_pattern(), lexicon.polars_pattern_groups()


def _matches(lexicon, text: str) -> bool:
    return pl.Series([text]).str.contains(lexicon.polars_pattern()).item()


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_lexicons_same_with_cache_off_cold_and_warm(name, cache_in, monkeypatch):
    data = _builtin_bytes(name)
    cold = parse_lexicon(data, f"builtin:{name}")  # parses, writes the entries
    warm = parse_lexicon(data, f"builtin:{name}")  # reads them back
    assert _patterns(cold) == _patterns(warm)
    monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
    built = parse_lexicon(data, f"builtin:{name}")
    assert built == cold == warm
    assert _patterns(built) == _patterns(warm) == lx_mod._build_rust_patterns(built, built._polars_forms)
    assert any(p.name.startswith("lexicon-toml-") for p in cache_in.iterdir())


def test_edited_user_file_is_parsed_again(cache_in, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + ENTRY.format(term="perhaps"), encoding="utf-8")
    first = load_file(path)
    assert [e.term for e in first.entries] == ["perhaps"]
    assert _matches(first, "perhaps")
    path.write_text(HEAD + ENTRY.format(term="arguably"), encoding="utf-8")
    second = load_file(path)
    assert [e.term for e in second.entries] == ["arguably"]
    assert _matches(second, "arguably") and not _matches(second, "perhaps")
    assert len([p for p in cache_in.iterdir() if p.name.startswith("lexicon-toml-")]) == 2
    assert len([p for p in cache_in.iterdir() if p.name.startswith("lexicon-patterns-")]) == 2


def test_document_json_cannot_carry_is_parsed_every_time(cache_in):
    data = (HEAD + ENTRY.format(term="perhaps") + "added = 2024-05-01\nweight = inf\n").encode("utf-8")
    for _ in range(2):
        entry = parse_lexicon(data, "user.toml").entries[0]
        assert entry.get("added") == dt.date(2024, 5, 1) and entry.get("weight") == float("inf")


def test_bad_toml_is_not_cached(cache_in):
    from framing.errors import LexiconError

    for _ in range(2):
        with pytest.raises(LexiconError, match="not valid TOML"):
            parse_lexicon(b"[lexicon\n", "bad.toml")
    assert not cache_in.exists() or not any(p.name.startswith("lexicon-toml-") for p in cache_in.iterdir())


def test_json_exact_values():
    assert lx_mod._json_exact(read_toml((HEAD + ENTRY.format(term="a") + "n = 1\nf = 0.1\nb = true\nl = [1, 'x']\n").encode(), "t"))
    assert not lx_mod._json_exact({"d": dt.date(2024, 1, 1)})
    assert not lx_mod._json_exact({"f": float("nan")})
    assert not lx_mod._json_exact([dt.time(1, 2)])
