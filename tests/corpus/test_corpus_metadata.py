"""Table tests: metadata the text reveals, and date parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from framing.corpus.clean import clean_text
from framing.corpus.metadata import extract_metadata, first_per_field, parse_date


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-02-10", dt.date(2024, 2, 10)),
        ("2024-02-10T08:15:00Z", dt.date(2024, 2, 10)),
        ("2024/2/3", dt.date(2024, 2, 3)),
        ("February 09, 2024, 2:10 PM", dt.date(2024, 2, 9)),
        ("Feb 08, 2024 02:14 PM IST", dt.date(2024, 2, 8)),
        ("Feb. 8, 2024", dt.date(2024, 2, 8)),
        ("Sept 1st, 2023", dt.date(2023, 9, 1)),
        ("9 February 2024", dt.date(2024, 2, 9)),
        ("May 3, 2024", dt.date(2024, 5, 3)),
        ("02/03/2024", None),  # day/month order unknown: never guessed
        ("2024-02-30", None),  # impossible date
        ("last Thursday", None),
        ("", None),
        (None, None),
        (dt.datetime(2024, 1, 2, 3, 4), dt.date(2024, 1, 2)),
        (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "text, field, value, reason",
    [
        ("CNN\n—\nPutin said on Thursday that he was ready.", "outlet", "CNN", "outlet header"),
        ("CNN —\nPutin said on Thursday that he was ready.", "outlet", "CNN", "outlet header"),
        ("Body text here.\n\nUpdated: February 09, 2024, 2:10 PM", "date", dt.date(2024, 2, 9), "date line"),
        (" date 2024-02-10 \n\n\nThe Biden administration rejected it.", "date", dt.date(2024, 2, 10), "date line"),
        ("Body.\nPublished on Feb 08, 2024 02:14 PM IST\nComments", "date", dt.date(2024, 2, 8), "date line"),
        ("Body.\nSource: Al Jazeera and news agencies", "outlet", "Al Jazeera", "sign-off (source line)"),
        ("Body.\nSource: Reuters", "outlet", "Reuters", "sign-off (source line)"),
        ("By Jane Doe and John Roe\nBody text of the article.", "author", "Jane Doe and John Roe", "byline"),
    ],
)
def test_metadata_lines_found_and_removed(text, field, value, reason):
    cleaned = clean_text(text)
    found = first_per_field(list(cleaned.metadata))
    assert found[field].value == value
    assert any(r.startswith(reason + ":") for r in cleaned.removed)
    # the metadata line is gone from the text
    assert found[field].evidence.split()[0] not in cleaned.text.split("\n\n")[0] or field == "author"


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Updated: sometime last week"],  # no explicit date: the line stays
        ["He said the source: a person familiar with the talks, spoke anonymously."],
        ["CNN reported that Putin was ready.", "He said so twice."],  # no dash header
        ["Bylines are often missing from reprints."],
    ],
)
def test_no_metadata_from_ordinary_lines(paragraphs):
    assert extract_metadata(paragraphs) == []


def test_outlet_header_only_at_the_top():
    paras = ["First paragraph of the story.", "Second one.", "Third one.", "Fourth one.", "CNN", "—"]
    assert [f for f in extract_metadata(paras) if f.field == "outlet"] == []
