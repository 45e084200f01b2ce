"""CliRunner tests for every command: help, exit codes, messages, outputs."""

import json
import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from framing.cli import cli
from framing.cli_reference import END, START, reference_markdown

ROOT = Path(__file__).resolve().parent.parent
S003 = str(ROOT / "seeds" / "003_d3d21ea37bb389e9.txt")
S001 = str(ROOT / "seeds" / "001_f4bef71f6362e800.txt")
S004 = str(ROOT / "seeds" / "004_5369224af5414d40.txt")


@pytest.fixture()
def runner():
    return CliRunner()


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(cli.commands) == ["analyze", "compare", "exercise", "inspect", "report"]
    for name, cmd in cli.commands.items():
        assert cmd.help and len(cmd.help.split()) >= 5, f"{name} lacks help text"
        assert f"### `framing {name}`" in readme, f"{name} missing from the README command reference"
    block = readme[readme.index(START) : readme.index(END) + len(END)]
    assert block == reference_markdown(), "README command reference is stale: run python -m framing.cli_reference"


def test_group_help_lists_commands(runner):
    r = runner.invoke(cli, ["--help"])
    assert r.exit_code == 0
    for name in cli.commands:
        assert name in r.output


def test_analyze_without_input_is_a_usage_error(runner):
    r = runner.invoke(cli, ["analyze"])
    assert r.exit_code == 2
    assert "give at least one file or folder to read" in r.output


def test_unknown_option_is_a_usage_error(runner):
    r = runner.invoke(cli, ["analyze", "--frobnicate", S003])
    assert r.exit_code == 2
    assert re.search(r"No such option:? '?--frobnicate", r.output)


def test_missing_path_is_a_usage_error(runner, tmp_path):
    r = runner.invoke(cli, ["analyze", str(tmp_path / "nope")])
    assert r.exit_code == 2
    assert "does not exist" in r.output


def test_nothing_loadable_exits_1_with_reasons(runner, tmp_path):
    (tmp_path / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    r = runner.invoke(cli, ["analyze", str(tmp_path)])
    assert r.exit_code == 1
    assert "nothing could be loaded" in r.output
    assert "img.png" in r.output and "empty.txt" in r.output
    assert "Traceback" not in r.output


def test_analyze_seeds_writes_frames(runner, tmp_path, seeds_dir):
    out = tmp_path / "out"
    r = runner.invoke(cli, ["analyze", str(seeds_dir), "-o", str(out), "--format", "csv", "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "9 documents" in r.output
    names = sorted(p.name for p in out.iterdir())
    for frame in ["documents", "sentences", "cues", "quotes", "mentions", "metrics", "errors"]:
        assert f"{frame}.csv" in names
    docs = pl.read_csv(out / "documents.csv")
    assert docs.height == 9


def test_bad_lexicon_file_is_one_line_error(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nname = "x"\n', encoding="utf-8")
    r = runner.invoke(cli, ["analyze", S003, "--lexicon", str(bad)])
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and "lacks" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_compare_outlet_names_need_a_corpus(runner):
    r = runner.invoke(cli, ["compare", "CNN", "Fox"])
    assert r.exit_code == 2
    assert "--corpus" in r.output


def test_compare_unknown_outlet_names_the_choices(runner, seeds_dir):
    r = runner.invoke(cli, ["compare", "CNN", "Nobody News", "--corpus", str(seeds_dir), "-j", "1"])
    assert r.exit_code == 1
    assert "Nobody News" in r.output and "CNN" in r.output


def test_compare_json_reports_the_rewrite(runner):
    r = runner.invoke(cli, ["compare", S003, S001, "--format", "json", "-j", "1"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)  # progress goes to stderr; stdout is pure JSON
    dump = json.dumps(data).lower()
    assert "russian forces failed to capture the capital kyiv" in dump
    assert "without proof" in dump


def test_exercise_rejects_unknown_level(runner):
    r = runner.invoke(cli, ["exercise", S003, "--level", "expert"])
    assert r.exit_code == 2
    assert "'intro', 'standard', 'advanced'" in r.output


def test_exercise_writes_pages(runner, tmp_path):
    r = runner.invoke(cli, ["exercise", S003, "--compare", S001, "-o", str(tmp_path), "-j", "1"])
    assert r.exit_code == 0, r.output
    for name in ["worksheet.html", "answer_key.html", "worksheet.md", "answer_key.md"]:
        assert (tmp_path / name).is_file()


def test_inspect_boundaries_of_the_multi_article_file(runner):
    r = runner.invoke(cli, ["inspect", S004, "--boundaries"])
    assert r.exit_code == 0, r.output
    assert "Former US secretary of state Hillary Clinton" in r.output
    assert "Source: Al Jazeera" in r.output


def test_inspect_shows_cues_quotes_and_metrics(runner):
    r = runner.invoke(cli, ["inspect", S003, "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "claiming without evidence" in r.output
    assert "Who is quoted" in r.output and "Metrics" in r.output


def test_report_writes_its_files_deterministically(runner, tmp_path, seeds_dir):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        r = runner.invoke(cli, ["report", str(seeds_dir), "-o", str(out), "-j", "1"])
        assert r.exit_code == 0, r.output
        outs.append(out)
    for f in ["index.html", "report.md", "manifest.json"]:
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f


def test_exercise_on_a_multi_article_file_asks_for_a_segment(runner, tmp_path):
    r = runner.invoke(cli, ["exercise", S004, "-o", str(tmp_path), "-j", "1"])
    assert r.exit_code == 2
    assert "choose one with --segment" in r.output


def test_exercise_segment_picks_one_article(runner, tmp_path):
    r = runner.invoke(cli, ["exercise", S004, "--segment", "3", "-o", str(tmp_path), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "Washington Post" in (tmp_path / "worksheet.html").read_text(encoding="utf-8")


def test_inspect_manifest_skeleton_is_toml(runner):
    import tomllib

    r = runner.invoke(cli, ["inspect", S004, "--manifest-skeleton"])
    assert r.exit_code == 0, r.output
    parsed = tomllib.loads(r.output)
    assert "Former US secretary of state Hillary Clinton" in r.output
    assert parsed


@pytest.mark.parametrize(
    "value, message",
    [
        ("stanza", "use 'builtin' or 'spacy:MODEL'"),
        ("spacy:no_such_model_xyz", "spaCy model 'no_such_model_xyz' is not installed"),
    ],
)
def test_bad_actor_backend_is_a_usage_error(runner, value, message):
    pytest.importorskip("spacy") if value.startswith("spacy:") else None
    r = runner.invoke(cli, ["analyze", S003, "--actor-backend", value])
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_stream_writes_partitioned_parquet_equal_to_in_memory(runner, tmp_path, seeds_dir):
    out = tmp_path / "stream"
    r = runner.invoke(cli, ["analyze", str(seeds_dir), "-o", str(out), "--stream", "-j", "1", "--batch-size", "3", "-q"])
    assert r.exit_code == 0, r.output
    assert "9 documents" in r.output
    parts = sorted(p.name for p in (out / "metrics").iterdir())
    assert parts[0] == "part-00000.parquet" and len(parts) >= 2
    from framing.engine import read_output

    streamed = read_output(out, ["metrics"])["metrics"]
    mem = tmp_path / "mem"
    r = runner.invoke(cli, ["analyze", str(seeds_dir), "-o", str(mem), "-j", "1", "-q"])
    assert r.exit_code == 0, r.output
    in_memory = pl.read_parquet(mem / "metrics.parquet")
    assert streamed.select(in_memory.columns).sort("doc_id").equals(in_memory.sort("doc_id"))


def test_stream_interrupted_then_resumed(runner, tmp_path, seeds_dir, monkeypatch):
    # Ctrl-C: a one-line message with what is kept and exit 130; --resume finishes the run as if never stopped
    import framing.analysis
    from framing.analysis import analyze_batch

    full = tmp_path / "full"
    args = ["analyze", str(seeds_dir), "--stream", "-j", "1", "--batch-size", "2", "-q", "-o"]  # 5 files: 3 batches
    assert runner.invoke(cli, [*args, str(full)]).exit_code == 0
    calls = []

    def interrupted(documents, config=None):
        calls.append(documents.height)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return analyze_batch(documents, config)

    out = tmp_path / "cut"
    with monkeypatch.context() as m:
        m.setattr(framing.analysis, "analyze_batch", interrupted)
        r = runner.invoke(cli, [*args, str(out)])
    assert r.exit_code == 130, r.output
    assert r.output.strip().splitlines()[-1] == (
        f"Error: interrupted; 2 finished batches are kept in {out}: run the same command with --resume to continue."
    )
    r = runner.invoke(cli, [*args, str(out), "--resume"])
    assert r.exit_code == 0, r.output
    assert f"Note: resumed: 2 of 3 batches were kept from the earlier run in {out}." in r.output

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(out) == files(full)
    r = runner.invoke(cli, [*args, str(out), "--resume", "--batch-size", "4"])
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: cannot resume the run in {out}: the analysis options changed")
    r = runner.invoke(cli, ["analyze", str(seeds_dir), "-o", str(out), "--resume"])
    assert r.exit_code == 2 and "--resume continues a --stream run" in r.output


def test_stream_needs_an_output_folder(runner, seeds_dir):
    r = runner.invoke(cli, ["analyze", str(seeds_dir), "--stream"])
    assert r.exit_code == 2
    assert "give -o DIR" in r.output


def test_interrupted_command_exits_130_with_one_line(runner, monkeypatch):
    import framing

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(framing, "load_corpus", interrupted)
    r = runner.invoke(cli, ["analyze", S001])
    assert r.exit_code == 130
    assert r.output.strip() == "Error: interrupted."
