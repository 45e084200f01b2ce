"""Typed, frozen configuration objects. Nothing happens at import time."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class LoadConfig:
    """How inputs are read.

    manifest: path of a manifest file (TOML); None looks for ``manifest.toml``
        next to the inputs.
    max_bytes: files larger than this are listed in ``errors`` and not read.
    text_column / outlet_column / date_column / title_column / author_column /
        url_column: column names for tabular inputs (json, jsonl, csv,
        parquet); None recognises common names.
    clean_patterns: extra cleaning-pattern files (TOML), added to the built-in ones.
    """

    manifest: str | None = None
    max_bytes: int = 50_000_000
    text_column: str | None = None
    outlet_column: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    author_column: str | None = None
    url_column: str | None = None
    clean_patterns: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AnalysisConfig:
    """How documents are measured.

    lexicon_files: user lexicon files (TOML) added to the built-in lexicons.
    actors_file: TOML of extra actor aliases and groupings.
    actor_backend: "builtin" (gazetteer and capitalised names, no model) or
        "spacy:MODEL" (an installed spaCy model; nothing is downloaded).
    neutral_band: |score| below this is "neutral" in target_sentiment labels.
    jobs: worker processes (None = all cores); results do not depend on it.
    batch_size: documents per batch.
    """

    lexicon_files: tuple[str, ...] = ()
    actors_file: str | None = None
    actor_backend: str = "builtin"
    neutral_band: float | None = None
    jobs: int | None = None
    batch_size: int = 200
    seed: int = 20240209
    extra: tuple[tuple[str, object], ...] = field(default=())

    def as_dict(self) -> dict:
        """The settings that can change results (jobs and batch_size cannot, so they are left out)."""
        return {
            "lexicon_files": list(self.lexicon_files),
            "actors_file": self.actors_file,
            "actor_backend": self.actor_backend,
            "neutral_band": self.neutral_band,
            "seed": self.seed,
        }
