"""Runs the measures over documents and builds the frames.

The core is :func:`analyze_batch`, a pure function from a documents frame to
the output frames: no global state, no caches that change results. It can be
mapped over batches on one core, on all cores, or on a cluster; results are
concatenated and sorted so they do not depend on how the work was split.
Corpus-level steps (story grouping, rewrite detection) run after the batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from framing import schema
from framing.config import AnalysisConfig

BATCH_FRAMES = ("sentences", "cues", "quotes", "mentions", "actors", "metrics")
SORT_KEYS = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sent_id"],
    "cues": ["doc_id", "start", "end", "kind", "lexicon_id"],
    "quotes": ["doc_id", "start", "end", "cue_start"],
    "mentions": ["doc_id", "start", "end", "actor"],
    "actors": ["doc_id", "actor"],
    "metrics": ["doc_id"],
}


@dataclass(frozen=True)
class Analysis:
    """The frames of an analysis (see framing.schema for every column)."""

    documents: pl.DataFrame
    sentences: pl.DataFrame
    cues: pl.DataFrame
    quotes: pl.DataFrame
    mentions: pl.DataFrame
    actors: pl.DataFrame
    metrics: pl.DataFrame
    errors: pl.DataFrame = field(default_factory=lambda: schema.empty(schema.ERRORS))
    config: AnalysisConfig = field(default_factory=AnalysisConfig)
    notes: tuple[str, ...] = ()  # corpus-level steps skipped or limited, one sentence each

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "documents": self.documents,
            "sentences": self.sentences,
            "cues": self.cues,
            "quotes": self.quotes,
            "mentions": self.mentions,
            "actors": self.actors,
            "metrics": self.metrics,
            "errors": self.errors,
        }

    def write(self, out_dir: str | Path, *, fmt: str = "parquet") -> list[Path]:
        """Write every frame to ``out_dir`` as parquet, csv or jsonl; return the paths."""
        from framing.render.frames import write_frames

        return write_frames(self.frames(), Path(out_dir), fmt=fmt)


def _measured(documents: pl.DataFrame) -> pl.DataFrame:
    return documents.filter(pl.col("measured"))


def analyze_batch(documents: pl.DataFrame, config: AnalysisConfig | None = None) -> dict[str, pl.DataFrame]:
    """Measure one batch of documents; pure: same input, same frames.

    Only documents with ``measured`` true are measured; the others still get
    a metrics row of nulls with their reason.
    """
    from framing.lexicons import load_lexicons
    from framing.measures import actors as actors_mod
    from framing.measures import attribution, hedging, metrics, readability
    from framing.text import sentences as sentences_mod

    config = config or AnalysisConfig()
    lexicons = load_lexicons(config.lexicon_files)
    english = _measured(documents)
    sentences = sentences_mod.segment(english)
    quotes, attribution_cues, sentences = attribution.attribute(english, sentences, lexicons=lexicons)
    lexicon_cues = hedging.match_cues(english, sentences, lexicons=lexicons)
    cues = pl.concat(
        [schema.conform(attribution_cues, schema.CUES), schema.conform(lexicon_cues, schema.CUES)], how="diagonal_relaxed"
    )
    read = readability.score(documents)
    mentions, actors, quotes, sentences = actors_mod.find_actors(english, sentences, quotes, config=config)
    mets = metrics.document_metrics(documents, sentences, cues, quotes, read)
    out = {
        "sentences": schema.conform(sentences, schema.SENTENCES),
        "cues": cues,
        "quotes": schema.conform(quotes, schema.QUOTES),
        "mentions": schema.conform(mentions, schema.MENTIONS),
        "actors": schema.conform(actors, schema.ACTORS),
        "metrics": schema.conform(mets, schema.METRICS),
    }
    return {name: frame.sort(SORT_KEYS[name], nulls_last=True, maintain_order=True) for name, frame in out.items()}


def merge_corpus_aliases(parts: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """A one-word person actor ("Putin" in a document that never names him in full) takes the
    full name found elsewhere in the corpus when exactly one full name has that surname
    (framing.measures.actors.merge_aliases); the new name is applied to mentions, actors,
    and the speakers of quotes and sentences, so every frame agrees."""
    from framing.measures.actors import merge_aliases

    mentions = parts["mentions"]
    merged = merge_aliases(mentions)
    changed = mentions.select("actor").with_columns(merged["actor"].alias("_to")).filter(pl.col("actor") != pl.col("_to")).unique()
    if changed.height == 0:
        return parts
    mapping = dict(zip(changed["actor"].to_list(), changed["_to"].to_list()))

    def rename(frame: pl.DataFrame, column: str) -> pl.DataFrame:
        return frame.with_columns(pl.col(column).replace(mapping))

    out = dict(parts)
    out["mentions"] = merged.sort(SORT_KEYS["mentions"], nulls_last=True, maintain_order=True)
    out["actors"] = rename(parts["actors"], "actor").sort(SORT_KEYS["actors"], nulls_last=True, maintain_order=True)
    out["quotes"] = rename(parts["quotes"], "speaker")
    out["sentences"] = rename(parts["sentences"], "speaker")
    return out


def story_pool(documents: pl.DataFrame) -> int:
    """Documents story grouping compares: measured, with text, not a duplicate."""
    keep = pl.col("measured").fill_null(False) & pl.col("duplicate_of").is_null()
    if "text" in documents.columns:
        keep = keep & pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != "")
    return documents.filter(keep).height


#: how the note of :func:`story_limit_note` starts (the report looks for it among the notes)
STORY_SKIPPED = "story grouping skipped"


def story_limit_note(pool: int) -> str | None:
    """The note of a corpus too large for story grouping (more than STORY_LIMIT documents to compare), else None."""
    from framing.engine import STORY_LIMIT

    if pool <= STORY_LIMIT:
        return None
    return (
        f"{STORY_SKIPPED}: {pool:,} measured documents, above the limit of {STORY_LIMIT:,} (its similarity "
        "matrices grow with the square of the number of documents); story_id and derived_from are left null."
    )


#: story grouping of this many documents or more takes seconds: the progress output says it is running
STORY_STAGE_LINE = 500


def announce_story_grouping(progress, pool: int) -> None:
    """Tell ``progress`` (a framing.progress.Progress, or None) that story grouping of ``pool`` documents starts,
    when there are STORY_STAGE_LINE of them or more."""
    if progress is not None and pool >= STORY_STAGE_LINE:
        progress.stage(f"grouping {pool:,} documents into stories and looking for rewrites (time grows with the square of the documents)")


def finish(
    documents: pl.DataFrame, parts: dict[str, pl.DataFrame], errors: pl.DataFrame, config: AnalysisConfig, progress=None
) -> Analysis:
    """Corpus-level steps after the batches: aliases across documents, sentence counts,
    stories, rewrites (up to framing.engine.STORY_LIMIT documents, else a note); sorted output.
    ``progress`` (a framing.progress.Progress) is told when story grouping of many documents starts."""
    from framing.compare import stories

    parts = merge_corpus_aliases(parts)
    sentences = parts["sentences"]
    counts = sentences.group_by("doc_id").agg(pl.len().cast(pl.Int64).alias("_n"))
    docs = (
        documents.join(counts, on="doc_id", how="left")
        .with_columns(pl.coalesce("_n", "n_sentences").alias("n_sentences"))
        .drop("_n")
    )
    from framing.engine import resolve_jobs

    notes = []
    pool = story_pool(docs)
    skipped = story_limit_note(pool)
    if skipped:
        notes.append(skipped)
    else:
        announce_story_grouping(progress, pool)
        docs = stories.assign_stories(docs, parts["mentions"], jobs=resolve_jobs(config.jobs))
    docs = schema.conform(docs, schema.DOCUMENTS).sort("doc_id")
    return Analysis(
        documents=docs,
        errors=errors,
        config=config,
        notes=tuple(notes),
        **{name: parts[name] for name in BATCH_FRAMES},
    )


def _import_in_background(module: str):
    """Import ``module`` on a daemon thread (returned; None when already imported): the corpus-level
    steps after the batches need it, and this process mostly waits for its workers meanwhile
    (framing.compare.stories imports scikit-learn: ~1 s). Importing changes no result; an import
    error shows up again where the module is used."""
    import importlib
    import sys
    import threading

    def load() -> None:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - raised again by the import where it is used
            pass

    if module in sys.modules:
        return None
    thread = threading.Thread(target=load, name=f"import {module}", daemon=True)
    thread.start()
    return thread


def analyze(
    corpus,
    *,
    config: AnalysisConfig | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    quiet: bool = True,
) -> Analysis:
    """Measure a loaded corpus (see framing.load_corpus).

    ``engine`` is "local" (``config.jobs`` processes; None = all cores) or
    "ray" (Ray Data on a local instance, or the cluster at ``ray_address``);
    the frames are identical either way. ``quiet=False`` shows progress on
    stderr. With more than one job, call this under
    ``if __name__ == "__main__":`` in scripts (worker processes are spawned).
    """
    from framing.engine import ENGINES, run_local
    from framing.errors import ConfigError
    from framing.progress import Progress

    config = config or AnalysisConfig()
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    progress = Progress(total_documents=corpus.documents.height, quiet=quiet)
    if story_limit_note(story_pool(corpus.documents)) is None:
        _import_in_background("framing.compare.stories")  # scikit-learn, ~1 s: while the workers analyse
    if engine == "ray":
        from framing.engine_ray import run_ray

        parts = run_ray(corpus.documents, config, address=ray_address, progress=progress)
    else:
        parts = run_local(corpus.documents, config, progress=progress)
    progress.finish()
    return finish(corpus.documents, parts, corpus.errors, config, progress)


def analyze_text(
    text: str,
    *,
    outlet: str | None = None,
    title: str | None = None,
    date=None,
    language: str | None = None,
    config: AnalysisConfig | None = None,
) -> Analysis:
    """Analyse one text; same frames as :func:`analyze`."""
    from framing.corpus import corpus_from_texts

    corpus = corpus_from_texts([text], outlet=outlet, title=title, date=date, language=language)
    return analyze(corpus, config=config)
