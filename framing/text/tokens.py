"""Words: one definition of a word for every count in the project.

A word is a run of letters or digits, optionally joined by an apostrophe
("don't", "Russia's" count once). Counting is a Polars expression so it runs
over whole columns.
"""

from __future__ import annotations

import re

import polars as pl

WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)*"
WORD_RE = re.compile(WORD_PATTERN)


def count_words(text: str) -> int:
    """Number of words in ``text`` (see WORD_PATTERN)."""
    return sum(1 for _ in WORD_RE.finditer(text))


def n_words_expr(column: str = "text") -> pl.Expr:
    """Polars expression counting the words of a string column (null stays null)."""
    return pl.col(column).str.count_matches(WORD_PATTERN).cast(pl.Int64)
