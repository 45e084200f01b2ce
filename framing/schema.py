"""Every output column, in one place, with its meaning and unit.

Stages import names from here; tests and users rely on them. Add columns
freely; rename none without updating every consumer. Each frame is described
as an ordered mapping ``column -> (polars dtype, one-line meaning)``; the
helper :func:`empty` builds a zero-row frame with that schema and
:func:`conform` orders and casts a frame to it.
"""

from __future__ import annotations

import polars as pl

CUE_KINDS = (
    "hedge",
    "distancing",
    "booster",
    "reporting_verb",
    "quote",
    "named_source",
    "anonymous_source",
)
SOURCE_TYPES = ("named_person", "named_organization", "anonymous", "document", "unknown")
ROLES = ("speaker", "target", "other")

DOCUMENTS: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "stable id: hash of source path (relative to the input root) and segment"),
    "outlet": (pl.String, "publishing outlet, null when unknown"),
    "date": (pl.Date, "publication date, null when unknown (never guessed)"),
    "title": (pl.String, "headline, null when unknown"),
    "author": (pl.String, "byline, null when unknown"),
    "url": (pl.String, "address of the article, null when unknown"),
    "kind": (pl.String, "news / analysis / opinion / other, null when unknown"),
    "language": (pl.String, "ISO 639-1 code of the cleaned text ('und' when undetermined)"),
    "language_confidence": (pl.Float64, "detector confidence in [0, 1]"),
    "source_path": (pl.String, "path of the input file as given"),
    "segment": (pl.Int64, "article index inside the file (0 for single-article files)"),
    "text": (pl.String, "cleaned article text; every offset in other frames points into it"),
    "n_words": (pl.Int64, "words in text (letters/digits runs)"),
    "n_sentences": (pl.Int64, "sentences in text (the project's segmenter)"),
    "removed": (pl.List(pl.String), "what cleaning dropped, each as 'reason: text'"),
    "metadata_sources": (pl.List(pl.String), "where each metadata field came from, as 'field: source'"),
    "duplicate_of": (pl.String, "doc_id of an earlier exact/near-exact copy, else null"),
    "derived_from": (pl.String, "doc_id of the text this one rewrites, else null"),
    "story_id": (pl.String, "id of the group of documents covering the same story"),
    "measured": (pl.Boolean, "true when English measures were applied"),
    "not_measured_reason": (pl.String, "why English measures were not applied, else null"),
}

ERRORS: dict[str, tuple[pl.DataType, str]] = {
    "path": (pl.String, "input path"),
    "segment": (pl.Int64, "line/row/segment number inside the file, null for whole-file errors"),
    "reason": (pl.String, "one sentence a person understands"),
}

SENTENCES: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "sent_id": (pl.Int64, "0-based sentence index within the document"),
    "paragraph": (pl.Int64, "0-based paragraph index within the document"),
    "start": (pl.Int64, "character offset of the sentence start in documents.text"),
    "end": (pl.Int64, "character offset one past the sentence end"),
    "text": (pl.String, "the sentence, equal to documents.text[start:end]"),
    "n_words": (pl.Int64, "words in the sentence"),
    "quote_share": (pl.Float64, "fraction of the sentence's characters inside quoted speech"),
    "speaker": (pl.String, "canonical actor speaking in this sentence, null if none"),
    "attributed": (pl.Boolean, "true when the sentence carries or continues an attribution"),
}

CUES: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "sent_id": (pl.Int64, "sentence holding the cue"),
    "start": (pl.Int64, "character offset into documents.text"),
    "end": (pl.Int64, "character offset one past the cue"),
    "kind": (pl.String, "one of CUE_KINDS"),
    "category": (pl.String, "finer class, e.g. modal, evidential, partial_quote, loaded_verb"),
    "term": (pl.String, "the matched text, equal to documents.text[start:end]"),
    "lexicon_id": (pl.String, "'lexicon:entry' that matched, or the rule name"),
    "in_quote": (pl.Boolean, "cue inside quoted speech (the speaker's words, not the reporter's); null for attribution cues"),
}

QUOTES: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "sent_id": (pl.Int64, "sentence where the attributed content starts"),
    "start": (pl.Int64, "attributed content start (offset into documents.text)"),
    "end": (pl.Int64, "attributed content end"),
    "cue": (pl.String, "the reporting verb or phrase ('said', 'according to', 'told')"),
    "cue_start": (pl.Int64, "cue start offset, null when the cue is inherited"),
    "cue_end": (pl.Int64, "cue end offset"),
    "source": (pl.String, "words naming the source, null when unstated"),
    "source_start": (pl.Int64, "source start offset"),
    "source_end": (pl.Int64, "source end offset"),
    "speaker": (pl.String, "canonical actor, null when unknown"),
    "speaker_resolution": (pl.String, "how speaker was found: named, pronoun, continuation, role, none"),
    "source_type": (pl.String, "one of SOURCE_TYPES"),
    "direct": (pl.Boolean, "content inside quotation marks"),
    "loaded_cue": (pl.Boolean, "cue is a loaded verb (claimed, insisted…) rather than neutral"),
    "n_words": (pl.Int64, "words in the attributed content"),
    "rule": (pl.String, "which pattern produced the row"),
}

MENTIONS: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "sent_id": (pl.Int64, "sentence"),
    "start": (pl.Int64, "mention start offset"),
    "end": (pl.Int64, "mention end offset"),
    "actor": (pl.String, "canonical actor name"),
    "actor_type": (pl.String, "person, organization, place"),
    "surface": (pl.String, "the words in the text, equal to documents.text[start:end]"),
    "resolution": (pl.String, "how surface was resolved to actor: exact, alias, surname, role, file, variant"),
    "role": (pl.String, "one of ROLES"),
    "in_quote": (pl.Boolean, "mention inside quoted speech"),
    "sentiment": (pl.Float64, "reporter-voice sentiment toward the mention, -1..1: how far the reporter's own words and the role rules move P(positive) - P(negative) of the target-sentiment model from no evidence (0.0); null inside quotes, with no other word, or for a speaker with no word of the reporter's before it"),
    "quoted_sentiment": (pl.Float64, "VADER compound of what the actor is quoted saying (speaker role)"),
}

ACTORS: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "actor": (pl.String, "canonical actor"),
    "actor_type": (pl.String, "person, organization, place"),
    "mentions": (pl.Int64, "mentions in the document"),
    "sentences": (pl.Int64, "distinct sentences mentioning the actor"),
    "quoted_words": (pl.Int64, "words of quoted content attributed to the actor"),
    "voice_share": (pl.Float64, "actor's quoted words / all quoted words in the document"),
    "reporter_sentiment_mean": (pl.Float64, "mean reporter-voice sentiment over scored mentions"),
    "reporter_sentiment_n": (pl.Int64, "mentions with a reporter-voice sentiment"),
    "quoted_sentiment_mean": (pl.Float64, "mean sentiment of the actor's quoted content"),
    "quoted_sentiment_n": (pl.Int64, "quotes scored"),
}

READABILITY_COLUMNS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "dale_chall",
)

METRICS: dict[str, tuple[pl.DataType, str]] = {
    "doc_id": (pl.String, "document"),
    "outlet": (pl.String, "outlet"),
    "n_words": (pl.Int64, "denominator of every per-1k rate"),
    "n_sentences": (pl.Int64, "denominator of attribution_density"),
    **{f"{k}_per_1k_words": (pl.Float64, f"{k} cues per 1,000 words") for k in CUE_KINDS},
    **{f"n_{k}": (pl.Int64, f"count of {k} cues") for k in CUE_KINDS},
    "attribution_density": (pl.Float64, "attributed sentences / sentences"),
    "quote_share": (pl.Float64, "words in quoted speech / words"),
    "n_quotes": (pl.Int64, "rows in the attribution ledger"),
    "named_source_share": (pl.Float64, "attributions with a named source / attributions"),
    "anonymous_sources": (pl.Int64, "attributions to anonymous sources plus anonymous_source cues outside them"),
    "loaded_verb_share": (pl.Float64, "attributions with a loaded cue / attributions"),
    "flesch_reading_ease": (pl.Float64, "Flesch reading ease (higher = easier), textstat"),
    "flesch_kincaid_grade": (pl.Float64, "Flesch-Kincaid US grade level (higher = harder)"),
    "gunning_fog": (pl.Float64, "Gunning fog index, years of schooling (higher = harder)"),
    "smog_index": (pl.Float64, "SMOG grade (higher = harder)"),
    "dale_chall": (pl.Float64, "Dale-Chall score (higher = harder)"),
    "readability_note": (pl.String, "why readability is null, else null"),
    "mean_sentence_words": (pl.Float64, "mean words per sentence (project segmenter)"),
}

FRAMES = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "cues": CUES,
    "quotes": QUOTES,
    "mentions": MENTIONS,
    "actors": ACTORS,
    "metrics": METRICS,
}


def polars_schema(spec: dict[str, tuple[pl.DataType, str]]) -> pl.Schema:
    return pl.Schema({name: dtype for name, (dtype, _) in spec.items()})


def empty(spec: dict[str, tuple[pl.DataType, str]]) -> pl.DataFrame:
    """A zero-row frame with the columns of ``spec``."""
    return pl.DataFrame(schema=polars_schema(spec))


def conform(frame: pl.DataFrame, spec: dict[str, tuple[pl.DataType, str]]) -> pl.DataFrame:
    """Order and cast ``frame`` to ``spec``; missing columns become null, extra columns are kept after.

    A frame that already has exactly spec's columns, in order, with spec's types (what most
    stages hand over) is returned as it is, without a Polars query (~0.3 ms each).
    """
    if frame.schema == polars_schema(spec):
        return frame
    exprs = []
    for name, (dtype, _) in spec.items():
        if name in frame.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    extra = [c for c in frame.columns if c not in spec]
    return frame.select(*exprs, *extra)
