"""The `framing` command: a thin Click layer over the library.

Each command parses options, calls the library and writes output. Library
errors (framing.errors.FramingError) become one-line messages: exit 2 for
usage errors, 1 when nothing could be done, 130 when interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from framing.errors import FramingError

FORMATS = ("parquet", "csv", "jsonl")


def _fail(message: str, code: int = 1):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def library_errors(fn):
    """Turn library errors into one-line messages and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FramingError as exc:
            _fail(str(exc), 1)
        except OSError as exc:
            _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), 1)
        except KeyboardInterrupt:
            click.echo("", err=True)
            _fail("interrupted.", 130)

    return wrapper


def input_options(fn):
    """Options shared by every command that reads a corpus; passed on as ``lcfg`` (a LoadConfig)."""
    opts = [
        click.option("--manifest", type=click.Path(exists=True, dir_okay=False), help="Manifest (TOML) describing the articles; default: manifest.toml next to the inputs."),
        click.option("--text-column", help="Column holding the article text in json/jsonl/csv/parquet inputs."),
        click.option("--outlet-column", help="Column holding the outlet name."),
        click.option("--date-column", help="Column holding the publication date."),
        click.option("--max-bytes", type=click.IntRange(min=1), default=50_000_000, show_default=True, help="Files larger than this are listed as errors, not read."),
        click.option("--clean-patterns", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra cleaning-pattern file (TOML); repeatable."),
    ]

    @functools.wraps(fn)
    def wrapper(*args, manifest, text_column, outlet_column, date_column, max_bytes, clean_patterns, **kwargs):
        from framing.config import LoadConfig

        lcfg = LoadConfig(
            manifest=manifest,
            text_column=text_column,
            outlet_column=outlet_column,
            date_column=date_column,
            max_bytes=max_bytes,
            clean_patterns=tuple(clean_patterns),
        )
        return fn(*args, lcfg=lcfg, **kwargs)

    for opt in reversed(opts):
        wrapper = opt(wrapper)
    return wrapper


def analysis_options(fn):
    """Options shared by every command that measures; passed on as ``acfg`` (an AnalysisConfig),
    ``measure`` (corpus -> Analysis with those settings), ``engine``, ``ray_address`` and ``quiet``."""
    opts = [
        click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra lexicon file (TOML), validated like the built-in ones; repeatable."),
        click.option("--actors", "actors_file", type=click.Path(exists=True, dir_okay=False), help="Actors file (TOML) with extra aliases and groupings."),
        click.option("--actor-backend", default="builtin", show_default=True, help="builtin, or spacy:MODEL to find actors with an installed spaCy model (pip install 'framing[spacy]' and the model)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes; 0 = all cores, 1 = one process. Results are identical."),
        click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True, help="Documents per batch; bounds memory per worker. Results are identical."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="local processes, or Ray Data (pip install 'framing[ray]')."),
        click.option("--ray-address", help="Address of an existing Ray cluster (default: start a local one)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress output."),
    ]

    @functools.wraps(fn)
    def wrapper(*args, lexicons, actors_file, actor_backend, jobs, batch_size, engine, ray_address, **kwargs):
        from framing.config import AnalysisConfig
        from framing.measures.spacy_backend import load_pipeline, parse_backend

        try:  # a bad value fails before any work
            model = parse_backend(actor_backend)
            if model:
                load_pipeline(model)
        except FramingError as exc:
            raise click.BadParameter(str(exc), param_hint="'--actor-backend'") from None
        acfg = AnalysisConfig(
            lexicon_files=tuple(lexicons),
            actors_file=actors_file,
            actor_backend=actor_backend,
            jobs=None if jobs == 0 else jobs,
            batch_size=batch_size,
        )

        def measure(corpus):
            import framing

            return framing.analyze(corpus, config=acfg, engine=engine, ray_address=ray_address, quiet=kwargs["quiet"])

        return fn(*args, acfg=acfg, measure=measure, engine=engine, ray_address=ray_address, **kwargs)

    for opt in reversed(opts):
        wrapper = opt(wrapper)
    return wrapper


def _load(paths, lcfg, quiet):
    import framing

    if not paths:
        raise click.UsageError("give at least one file or folder to read")
    corpus = framing.load_corpus(list(paths), config=lcfg)
    if corpus.documents.height == 0:
        from framing.render.summary import corpus_summary

        click.echo(corpus_summary(corpus), err=True)
        _fail("nothing could be loaded from the inputs (see the errors above)", 1)
    return corpus


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="framing")
def cli():
    """Show how news outlets frame a story and how transparently they source it.

    Every number points back to the words that produced it.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Write the frames to this folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="parquet", show_default=True, help="Frame file format.")
@click.option("--stream", is_flag=True, help="Read and write in batches (partitioned Parquet in OUT/<frame>/part-NNNNN.parquet): memory depends on --batch-size, not on the corpus.")
@click.option("--no-stories", is_flag=True, help="With --stream: skip story grouping and rewrite detection (quadratic in documents).")
@click.option("--resume", is_flag=True, help="With --stream: continue an interrupted run in OUT, keeping the batches it finished (refused if the inputs or options changed).")
@input_options
@analysis_options
@library_errors
def analyze(paths, out_dir, fmt, stream, no_stories, resume, lcfg, acfg, measure, engine, ray_address, quiet):
    """Measure every article in PATHS (files or folders) and write the frames.

    Prints a summary: documents per outlet, languages, errors. Progress goes
    to standard error (off with --quiet).
    """
    from framing.render.summary import analysis_summary

    if resume and not stream:
        raise click.UsageError("--resume continues a --stream run: add --stream")
    if stream:
        from framing.engine import run_streaming

        if not paths:
            raise click.UsageError("give at least one file or folder to read")
        if not out_dir or fmt != "parquet":
            raise click.UsageError("--stream writes partitioned Parquet: give -o DIR and keep --format parquet")
        try:
            summary = run_streaming(
                list(paths), out_dir, load_config=lcfg, config=acfg, engine=engine, quiet=quiet, ray_address=ray_address,
                stories=not no_stories, resume=resume,
            )
        except KeyboardInterrupt:
            from framing.engine import finished_batches

            kept = finished_batches(out_dir)
            click.echo("", err=True)
            _fail(
                f"interrupted; {kept:,} finished {'batch is' if kept == 1 else 'batches are'} kept in {out_dir}: "
                "run the same command with --resume to continue.",
                130,
            )
        for note in summary.notes:
            click.echo(f"Note: {note}")
        click.echo(summary.line())
        if summary.documents == 0:
            _fail("nothing could be loaded from the inputs (see errors/ in the output folder)", 1)
        return
    result = measure(_load(paths, lcfg, quiet))
    click.echo(analysis_summary(result))
    if out_dir:
        written = result.write(out_dir, fmt=fmt)
        click.echo(f"Wrote {len(written)} files to {out_dir}")


def _default_out(paths, prefix=""):
    first = Path(paths[0])
    name = first.name if first.is_dir() else first.stem
    return Path("reports") / f"{prefix}{name or 'corpus'}"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Report folder; default reports/<name of the first input>.")
@click.option("--title", help="Report title; default from the inputs.")
@click.option("--top", "top_n", type=click.IntRange(min=1), default=20, show_default=True, help="Actors and outlets shown in top-N views.")
@input_options
@analysis_options
@library_errors
def report(paths, out_dir, title, top_n, lcfg, acfg, measure, engine, ray_address, quiet):
    """Write the framing report of PATHS: index.html, report.md, charts, frames, manifest.json."""
    from framing.analysis import _import_in_background
    from framing.render.report import build_report

    _import_in_background("framing.render.charts")  # matplotlib, ~0.4 s: while the corpus loads and the workers analyse
    corpus = _load(paths, lcfg, quiet)
    result = measure(corpus)
    out = Path(out_dir) if out_dir else _default_out(paths)
    build_report(result, out, inputs=list(paths), title=title, top_n=top_n, jobs=acfg.jobs)
    click.echo(f"Report: {out / 'index.html'} ({result.documents.height} documents, {result.errors.height} errors)")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--corpus", "corpus_path", type=click.Path(exists=True), help="Corpus holding both outlets when A and B are outlet names.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json"]), default="md", show_default=True, help="Output format.")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@input_options
@analysis_options
@library_errors
def compare(a, b, corpus_path, fmt, out_file, lcfg, acfg, measure, engine, ray_address, quiet):
    """Compare two outlets' coverage: A and B are two files, two folders, or two outlet names inside --corpus.

    Shows metric differences with 95% intervals, distinctive terms and cue
    categories (log-odds with an informative Dirichlet prior), actor
    sentiment and voice share, quotes only one side kept, and, for the same
    story, aligned sentences and a reuse verdict.
    """
    from framing.compare import compare as compare_analyses
    from framing.compare import split_by_outlet

    if corpus_path is not None:
        whole = measure(_load([corpus_path], lcfg, quiet))
        side_a, side_b = split_by_outlet(whole, a, b)
        labels = (a, b)
    else:
        for v in (a, b):
            if not Path(v).exists():
                raise click.UsageError(f"{v!r} is not an existing file or folder; to compare outlets inside one corpus give --corpus PATH")
        side_a = measure(_load([a], lcfg, quiet))
        side_b = measure(_load([b], lcfg, quiet))
        labels = (a, b)
    result = compare_analyses(side_a, side_b, labels=labels)
    if fmt == "json":
        import json

        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = result.to_markdown()
    else:
        text = result.to_html()
    if out_file:
        Path(out_file).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out_file}", err=True)
    else:
        click.echo(text, nl=False)


def _segment_doc_id(analysis, segment, option):
    """The doc_id of article ``segment`` of a one-file analysis (None when not asked or no analysis)."""
    if analysis is None:
        return None
    docs = analysis.documents
    if segment is None:
        if docs.height > 1:
            choices = ", ".join(f"{s} ({(t or o or '?')[:40]})" for s, t, o in docs.select("segment", "title", "outlet").iter_rows())
            raise click.UsageError(f"the file holds {docs.height} articles; choose one with {option}: {choices}")
        return None
    import polars as pl

    hit = docs.filter(pl.col("segment") == segment)
    if hit.height != 1:
        raise click.UsageError(f"no article {segment} in the file; {option} is one of {', '.join(map(str, docs['segment'].to_list()))}")
    return hit["doc_id"][0]


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--compare", "other", type=click.Path(exists=True, dir_okay=False), help="The other outlet's version of the story, for a spot-the-difference task.")
@click.option("--level", type=click.Choice(["intro", "standard", "advanced"]), default="standard", show_default=True, help="How many tasks, how much scaffolding, whether hints name the paragraph.")
@click.option("--segment", type=click.IntRange(min=0), help="Article of a multi-article FILE to use (see `framing inspect FILE`).")
@click.option("--compare-segment", type=click.IntRange(min=0), help="Article of a multi-article --compare file to use.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Output folder; default reports/exercise-<file name>.")
@input_options
@analysis_options
@library_errors
def exercise(file, other, level, segment, compare_segment, out_dir, lcfg, acfg, measure, engine, ray_address, quiet):
    """Write a media-literacy worksheet and its answer key for one article (HTML for print, and Markdown)."""
    from framing.render.exercise import build_exercise

    main_analysis = measure(_load([file], lcfg, quiet))
    other_analysis = measure(_load([other], lcfg, quiet)) if other else None
    out = Path(out_dir) if out_dir else _default_out([file], prefix="exercise-")
    written = build_exercise(
        main_analysis,
        out,
        compare_with=other_analysis,
        level=level,
        source_label=file,
        doc_id=_segment_doc_id(main_analysis, segment, "--segment"),
        compare_doc_id=_segment_doc_id(other_analysis, compare_segment, "--compare-segment"),
        compare_label=other,
    )
    for p in written:
        click.echo(str(p))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--segment", type=click.IntRange(min=0), help="Which article of a multi-article file to show (default: all).")
@click.option("--boundaries", is_flag=True, help="Only show where the file probably changes article.")
@click.option("--manifest-skeleton", "skeleton", is_flag=True, help="Print a manifest entry (TOML) for the file, one part per suggested article start.")
@input_options
@analysis_options
@library_errors
def inspect(file, segment, boundaries, skeleton, lcfg, acfg, measure, engine, ray_address, quiet):
    """Show one article in the terminal: cues highlighted by kind, quotes with speakers, metrics.

    For a file holding several articles with no manifest, shows where the
    file probably changes article, so a manifest can be written in a minute.
    """
    from framing.corpus.inspect import format_boundaries, manifest_skeleton, suggest_boundaries
    from framing.render.terminal import show_analysis

    found = suggest_boundaries(file)
    if skeleton:
        click.echo(manifest_skeleton(file, found))
        return
    if boundaries:
        click.echo(format_boundaries(found, path=file))
        return
    result = measure(_load([file], lcfg, quiet))
    if len(found) > 1 and result.documents.height == 1:
        click.echo(format_boundaries(found, path=file))
    show_analysis(result, segment=segment)


def main():
    cli(prog_name="framing")
