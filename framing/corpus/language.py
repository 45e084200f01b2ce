"""Language identification with py3langid (offline, bundled model).

Returns ISO 639-1 codes; 'und' (undetermined) when the text has too few
letters to identify. The identifier object is built once per process; it is
a read-only model, so results do not depend on call order.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

__all__ = ["detect_language", "detect_languages", "MIN_LETTERS"]

MIN_LETTERS = 20
SAMPLE_CHARS = 1500  # the identifier reads this much of the text: same language on all AllSides and seed articles as the whole text, 4x faster
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier (normalised probabilities), its model read from framing's
    cache when there (:mod:`framing.cache`: py3langid ships it LZMA-compressed, ~0.5 s to
    unpack in every process), else unpacked as py3langid does."""
    from importlib.metadata import version

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from framing.cache import cached_file, fingerprint

    packed = MODEL_DIR / MODEL_FILE
    key = fingerprint("py3langid", version("py3langid"), files=[packed])
    path = cached_file("py3langid-model", key, lambda f: _unpack(packed, f), suffix=".npz")
    if path is not None:
        try:
            return _identifier_from_npz(path)
        except (OSError, ValueError, KeyError):
            pass  # an unreadable entry: fall back to the packed model
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _unpack(packed, out) -> None:
    import lzma
    import shutil

    with lzma.open(packed) as src:
        shutil.copyfileobj(src, out, length=1 << 20)


def _identifier_from_npz(path):
    """py3langid.modelio.load_model + LanguageIdentifier.from_model_file, from the unpacked .npz.

    The arrays are mapped from the file (:func:`_mapped_npz`: no 68 MB read and copy in
    every process, ~0.1 s; the pages are shared) when it stores them uncompressed, as
    ``numpy.savez`` does; else read. Either way the identifier holds the same numbers.
    """
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    mapped = _mapped_npz(path)
    if mapped is not None:
        ptc, pc, classes = mapped["ptc"], np.array(mapped["pc"]), mapped["classes"].tolist()
        # the automaton table stays a (read-only) NumPy array: py3langid's walk and ours index
        # it as they index the array.array it makes; the rows become the list of ints it expects
        nextmove, row, output = mapped["nextmove"], mapped["nextmove_row"].tolist(), mapped["out_feat"].tolist()
        return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    with np.load(path, allow_pickle=False) as data:
        ptc, pc, classes = data["ptc"], data["pc"], data["classes"].tolist()
        nextmove, row, output = _to_array(data["nextmove"]), _to_array(data["nextmove_row"]), data["out_feat"].tolist()
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row)


_NPZ_NAMES = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _mapped_npz(path) -> dict | None:
    """The arrays of an .npz whose members are stored uncompressed, as read-only NumPy arrays
    over one memory map of the file; None when a member is compressed, holds Python objects
    or the file is not laid out as expected (the caller then reads it with ``np.load``)."""
    import mmap
    import struct
    import zipfile

    import numpy as np
    from numpy.lib import format as npy

    try:
        out = {}
        with open(path, "rb") as f, zipfile.ZipFile(f) as z:
            buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            for info in z.infolist():
                name = info.filename.removesuffix(".npy")
                if info.compress_type != zipfile.ZIP_STORED or name not in _NPZ_NAMES:
                    return None
                local = buffer[info.header_offset : info.header_offset + 30]
                if local[:4] != b"PK\x03\x04":
                    return None
                name_len, extra_len = struct.unpack("<HH", local[26:30])
                f.seek(info.header_offset + 30 + name_len + extra_len)  # the member's .npy bytes
                version = npy.read_magic(f)
                shape, fortran, dtype = (npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0)(f)
                if dtype.hasobject:
                    return None
                count = int(np.prod(shape, dtype=np.int64))
                flat = np.frombuffer(buffer, dtype=dtype, count=count, offset=f.tell())
                out[name] = flat.reshape(shape, order="F" if fortran else "C")
        return out if set(out) == set(_NPZ_NAMES) else None
    except (OSError, ValueError, zipfile.BadZipFile, struct.error):
        return None


def _letters_at_least(text: str, n: int) -> bool:
    for i, _ in enumerate(_LETTER.finditer(text), 1):
        if i >= n:
            return True
    return False


def detect_language(text: str | None) -> tuple[str, float | None]:
    """(ISO 639-1 code, confidence in [0, 1]); ('und', None) for too little text."""
    if not text or _letters_at_least(text, MIN_LETTERS) is False:
        return "und", None
    lang, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return str(lang), round(float(prob), 4)


def detect_languages(texts: list[str | None]) -> list[tuple[str, float | None]]:
    """:func:`detect_language` for many texts at once: the same codes and confidences.

    py3langid reads a text by walking a byte automaton one byte at a time in
    Python (~1 ms per article). Here the automaton walks every text of the
    list in lockstep with NumPy, one byte position at a time; the features
    it visits, counted in first-visit order (:func:`_visits_by_text`), go
    through the expression of py3langid's ``_sparse_score`` and the same
    normalisation as its ``_decide``. The tests compare both paths on texts in many languages;
    py3langid is pinned because this reads its model tables.
    """
    import numpy as np

    out: list[tuple[str, float | None]] = [("und", None)] * len(texts)
    todo = [i for i, t in enumerate(texts) if t and _letters_at_least(t, MIN_LETTERS)]
    if not todo:
        return out
    ident = _identifier()
    encoded = [ident._encode(texts[i][:SAMPLE_CHARS]) for i in todo]
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    width = int(lengths.max())
    matrix = np.zeros((width, len(encoded)), dtype=np.uint8)  # byte position major: each step reads one row
    for col, data in enumerate(encoded):
        matrix[: len(data), col] = np.frombuffer(data, dtype=np.uint8)
    nextmove, rowbase, output = _tables(ident)
    state = np.zeros(len(encoded), dtype=np.int64)
    features = np.empty((width, len(encoded)), dtype=np.int32)
    for t in range(width):
        state = nextmove[rowbase[state] + matrix[t]]
        features[t] = output[state]
    visits = _visits_by_text(features, lengths)
    for row, i in enumerate(todo):
        lang, prob = _classify_visits(ident, visits[row], int(lengths[row]))
        out[i] = (lang, round(prob, 4))
    return out


def _visits_by_text(features, lengths) -> list:
    """For each text (a column of ``features``, its first ``lengths`` rows read), the features
    it visits as (feature ids, counts as float32) in first-visit order (the order of
    py3langid's Counter, which sets the summation order of its score), or None when it
    visits none.

    Every text at once, with two sorts instead of a ``np.unique`` per text: each visit
    becomes one integer (text, feature, position), so one sort groups the visits of a
    (text, feature) pair with its first position leading (count = group size); sorting the
    groups by (text, first position) then lists each text's features in first-visit order,
    text after text.
    """
    import numpy as np

    width, n_texts = features.shape
    by_text = features.T  # a view: the boolean indexing below reads it in text-major order
    read = (np.arange(width)[None, :] < lengths[:, None]) & (by_text >= 0)
    n_features = int(features.max()) + 1
    text_base = np.arange(n_texts, dtype=np.int64) * n_features
    visit = ((text_base[:, None] + by_text) * width + np.arange(width, dtype=np.int64)[None, :])[read]
    visits: list = [None] * n_texts
    if not visit.size:
        return visits
    visit.sort()
    pair = visit // width
    position = visit - pair * width
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
    counts = np.diff(np.append(starts, visit.size))
    pair = pair[starts]
    text_of = pair // n_features
    order = np.argsort(text_of * width + position[starts])  # distinct values: no ties to break
    text_of = text_of[order]
    ids = (pair[order] - text_of * n_features).astype(np.intp)
    weights = counts[order].astype(np.float32)
    bounds = np.searchsorted(text_of, np.arange(n_texts + 1))
    for row in range(n_texts):
        lo, hi = bounds[row], bounds[row + 1]
        if hi > lo:
            visits[row] = (ids[lo:hi], weights[lo:hi])
    return visits


@lru_cache(maxsize=1)
def _tables(ident):
    import numpy as np

    nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(f"u{ident.tk_nextmove.itemsize}"))  # no copy
    return nextmove, np.asarray(ident._rowbase, dtype=np.int64), np.asarray(ident.tk_output, dtype=np.int64)


@lru_cache(maxsize=1)
def _ptc32(ident):
    """py3langid's feature-by-language table (float16) widened to float32, memory-mapped from
    framing's cache (57 MB, shared by the worker processes through the page cache); None
    when the cache is off.

    ``counts @ table[ids]`` with the float16 table widens the rows to float32 (exactly) and
    then runs the float32 product: taking the rows from the widened table feeds that
    product the same numbers, without widening ~100 KB of rows per text (~2x faster);
    the tests compare both.
    """
    import numpy as np
    from importlib.metadata import version

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from framing.cache import cached_file, fingerprint

    key = fingerprint("py3langid-ptc32", version("py3langid"), files=[MODEL_DIR / MODEL_FILE])
    path = cached_file("py3langid-ptc32", key, lambda f: np.save(f, ident.nb_ptc.astype(np.float32), allow_pickle=False), suffix=".npy")
    if path is None:
        return None
    try:
        table = np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
    except (OSError, ValueError):
        return None
    return table if table.shape == ident.nb_ptc.shape and table.dtype == np.float32 else None


def _classify_visits(ident, visits: tuple | None, n_bytes: int) -> tuple[str, float]:
    """py3langid's ``_decide`` + ``classify`` (norm_probs=True) from feature counts already walked.

    ``visits``: (feature ids, float32 counts) in first-visit order, the arrays py3langid's
    ``_sparse_score`` builds from its Counter; the score is its expression on them (rows
    taken from the float32 copy of the table when there: the same product, see _ptc32).
    """
    import numpy as np

    if visits is not None:
        ids, counts = visits
        table = _ptc32(ident)
        scores = np.log1p(counts) @ (ident.nb_ptc if table is None else table)[ids] + ident.nb_pc
    else:
        scores = np.full(len(ident.nb_classes), 0.0, dtype=np.float32)
    scores *= 1.0 / math.sqrt(n_bytes or 1)
    np.exp(scores - scores.max(), out=scores)
    scores /= scores.sum()
    for i, j in ident._alias_pairs:
        scores[i] += scores[j]
        scores[j] = 0.0
    best = int(scores.argmax())
    return str(ident.nb_classes[best]), float(scores[best])
