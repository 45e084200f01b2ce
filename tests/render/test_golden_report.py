"""The committed reports/seeds/ is the output of the README command.

A change to a lexicon, a measure or the report shows up here as a diff:
regenerate with `framing report seeds/` and review it (scores changed →
CHANGELOG). Chart bytes depend on the matplotlib release, so the charts and
the HTML that inlines them are compared byte for byte only when the
installed matplotlib is the one recorded in the committed manifest;
otherwise the HTML is compared with the inlined images blanked.
"""

import json
import re
from importlib.metadata import version
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from framing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "reports" / "seeds"
IMAGES = re.compile(r'data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+')


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "seeds"
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # the README command runs from the repository root
    try:
        r = CliRunner().invoke(cli, ["report", "seeds/", "-o", str(out), "-j", "1", "-q"])
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    return out


def test_markdown_report_matches_the_committed_one(fresh):
    assert (fresh / "report.md").read_text(encoding="utf-8") == (GOLDEN / "report.md").read_text(encoding="utf-8")


def test_frames_match_the_committed_ones(fresh):
    names = sorted(p.name for p in (GOLDEN / "frames").glob("*.parquet"))
    assert names == sorted(p.name for p in (fresh / "frames").glob("*.parquet"))
    assert "cues.parquet" in names and "metrics.parquet" in names
    for name in names:
        expected = pl.read_parquet(GOLDEN / "frames" / name)
        got = pl.read_parquet(fresh / "frames" / name)
        assert got.equals(expected), name


def test_html_report_matches_the_committed_one(fresh):
    golden = (GOLDEN / "index.html").read_text(encoding="utf-8")
    got = (fresh / "index.html").read_text(encoding="utf-8")
    recorded = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))["dependencies"]["matplotlib"]
    if recorded == version("matplotlib"):
        assert got == golden
        for chart in sorted((GOLDEN / "charts").iterdir()):
            assert (fresh / "charts" / chart.name).read_bytes() == chart.read_bytes(), chart.name
    else:
        assert IMAGES.sub("data:", got) == IMAGES.sub("data:", golden)


def test_manifest_records_inputs_and_lexicons(fresh):
    golden = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))
    got = json.loads((fresh / "manifest.json").read_text(encoding="utf-8"))
    assert got["inputs"] == golden["inputs"]
    assert got["lexicons"] == golden["lexicons"]
    assert got["configuration"] == golden["configuration"]
