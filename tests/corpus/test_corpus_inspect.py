"""Boundary suggestions for multi-article files (framing inspect)."""

from __future__ import annotations

import sys

import pytest

from framing.corpus.inspect import boundaries_in_text, format_boundaries, manifest_skeleton, suggest_boundaries
from framing.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

F004 = "004_5369224af5414d40.txt"


def test_seed_004_true_starts_found(seeds_dir):
    bounds = suggest_boundaries(seeds_dir / F004)
    lines = {b.line: b for b in bounds}
    # the five article starts of NOTES.md (line numbers in the raw file)
    for line in (2, 50, 69, 89, 134):
        assert line in lines, line
    assert any("navigation line" in r for r in lines[2].reasons)
    assert any(r.startswith("follows publisher disclaimer") for r in lines[50].reasons)
    assert "language switch (en → ru)" in lines[134].reasons
    assert any(r.startswith("follows sign-off 'Source: Al Jazeera") for r in lines[134].reasons)
    assert len(bounds) <= 8  # suggestions stay few enough to read
    raw = (seeds_dir / F004).read_text(encoding="utf-8")
    for b in bounds:
        assert raw[b.offset :].startswith(b.text)


@pytest.mark.parametrize("name", ["000_1332569454fa25da.txt", "001_f4bef71f6362e800.txt", "003_d3d21ea37bb389e9.txt"])
def test_single_articles_have_no_strong_boundaries(seeds_dir, name):
    assert [b for b in suggest_boundaries(seeds_dir / name) if b.score >= 1.0] == []


def test_format_and_skeleton(seeds_dir):
    bounds = suggest_boundaries(seeds_dir / F004)
    out = format_boundaries(bounds, path="seeds/" + F004)
    assert out.splitlines()[0] == f"seeds/{F004}: {len(bounds)} suggested article start(s)"
    assert "line   134" in out
    skeleton = manifest_skeleton(seeds_dir / F004, bounds)
    parsed = tomllib.loads(skeleton)
    parts = parsed["file"][0]["part"]
    assert parsed["file"][0]["path"] == F004
    assert parts[0]["article"] is False
    assert any(p["starts_at"].startswith("Владимир Зеленский") for p in parts)
    assert format_boundaries([]) .endswith("the file reads as one article.")


def test_empty_and_missing(tmp_path):
    assert boundaries_in_text("") == []
    with pytest.raises(InputError):
        suggest_boundaries(tmp_path / "missing.txt")
    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    with pytest.raises(InputError, match="PNG"):
        suggest_boundaries(png)
