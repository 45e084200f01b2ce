"""Table tests for cleaning: every removal is recorded with its reason."""

from __future__ import annotations

import pytest

from framing.corpus.clean import clean_text, load_patterns, paragraphs_of
from framing.errors import ConfigError


@pytest.mark.parametrize(
    "raw, gone, reason",
    [
        ("Header Ads\n\nPutin spoke for hours.", "Header Ads", "site chrome (Blogger template header placeholder)"),
        ("Putin spoke for hours.\n\nNo comments\n\nPowered by Blogger.", "Powered by Blogger", "site chrome (Blogger footer)"),
        ("Putin spoke for hours.\n\nNo comments", "No comments", "site chrome (comment counter)"),
        ("Putin spoke for hours.\nComments\nPost a Comment", "Post a Comment", "site chrome (comment form)"),
        ("Putin spoke for hours.\nComments\nPost a Comment", "Comments", "site chrome (comments section heading)"),
        ("Headline\nPowered by automated translation\nPutin spoke.", "automated translation", "site chrome (machine-translation widget)"),
        (
            "Intro paragraph.\nlist of 3 itemslist 1 of 3list 2 of 3list 3 of 3end of listHere are the five key takeaways:",
            "list of 3 items",
            "widget debris (related-stories list)",
        ),
        ("Body of the analysis.\nPhoto by YURI KADOBNOV/AFP via Getty Images", "Photo by", "photo credit"),
        (
            "Body.\nThe Institute is independent. It does not engage in advocacy and its scholars’ opinions are their own.",
            "advocacy",
            "publisher disclaimer",
        ),
        (
            "Body of the analysis here.\nJane Q. Public, a Senior Fellow at the Example Institute, was an envoy.",
            "Senior Fellow",
            "author bio",
        ),
    ],
)
def test_chrome_removed_and_recorded(raw, gone, reason):
    cleaned = clean_text(raw)
    assert gone not in cleaned.text
    assert any(r.startswith(reason + ": ") and gone.split()[0] in r for r in cleaned.removed), cleaned.removed


def test_repeated_paragraph_kept_once():
    raw = "Putin tells US journalist defeating Russia is impossible\n\nPutin tells US journalist defeating Russia is impossible\nBody."
    cleaned = clean_text(raw)
    assert cleaned.text.count("defeating Russia is impossible") == 1
    assert cleaned.removed == ("repeated paragraph: Putin tells US journalist defeating Russia is impossible",)


def test_short_repeats_are_kept():
    # "Yes." twice is speech, not a repeated headline.
    assert clean_text("Yes.\nNo.\nYes.").text == "Yes.\n\nNo.\n\nYes."


def test_glued_caption_split_and_recorded():
    raw = (
        "Intro paragraph of the piece.\n"
        "Former US President Bill Clinton (L) and Russian President Vladimir Putin confer [File: Reuters]"
        "Putin says Russia is open to releasing WSJ journalist\n"
        "A gas leak is seen in the Baltic Sea on September 28, 2022 [Reuters]Advances in AI are a threat, Putin said"
    )
    cleaned = clean_text(raw)
    assert cleaned.text.split("\n\n") == [
        "Intro paragraph of the piece.",
        "Putin says Russia is open to releasing WSJ journalist",
        "Advances in AI are a threat, Putin said",
    ]
    assert sum(r.startswith("photo caption: ") for r in cleaned.removed) == 2
    assert "photo caption: Former US President Bill Clinton (L) and Russian President Vladimir Putin confer [File: Reuters]" in cleaned.removed


@pytest.mark.parametrize(
    "raw",
    [
        "“I cannot name a date when they will push [the Ukrainian Armed Forces out of the Kursk region],” he said.",
        "“I haven’t met with President [Bashar al-]Assad since his arrival,” Putin said.",
        "Share prices rose. Comments from the minister followed.",
        "No comments were made by the Kremlin on Friday.",
    ],
)
def test_article_text_is_not_chrome(raw):
    cleaned = clean_text(raw)
    assert cleaned.text == raw
    assert cleaned.removed == ()


def test_author_bio_uses_known_author():
    raw = "Body of the piece.\nJonathan M. Winer is the former envoy for Libya."
    assert clean_text(raw, author="Jonathan M. Winer").text == "Body of the piece."
    assert clean_text(raw).text == "Body of the piece.\n\nJonathan M. Winer is the former envoy for Libya."


def test_quoted_analyst_is_not_a_bio():
    raw = "Body.\nSamuel Charap, a Russia analyst at the RAND Corporation, said it was possible."
    assert clean_text(raw).removed == ()


def test_whitespace_normalised_not_recorded():
    cleaned = clean_text("  First\u00a0 line.  \r\n\r\n\r\n\u00a0Second   line.\n")
    assert cleaned.text == "First line.\n\nSecond line."
    assert cleaned.removed == ()
    assert paragraphs_of("a\n\n \n b") == ["a", "b"]


def test_user_patterns_extend(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[[pattern]]\nid = 'tip-line'\naction = 'line'\nregex = 'Got a tip\\?.*'\nreason = 'site chrome (tip line)'\n",
        encoding="utf-8",
    )
    patterns = load_patterns((str(extra),))
    cleaned = clean_text("Body.\nGot a tip? Email us.", patterns=patterns)
    assert cleaned.text == "Body."
    assert cleaned.removed == ("site chrome (tip line): Got a tip? Email us.",)


@pytest.mark.parametrize(
    "content, message",
    [
        ("[[pattern]]\nid = 'x'\naction = 'line'\nregex = '('\nreason = 'r'\n", "invalid regex"),
        ("[[pattern]]\nid = 'x'\naction = 'zap'\nregex = 'a'\nreason = 'r'\n", "use one of line, inline, caption"),
        ("[[pattern]]\nid = 'x'\naction = 'line'\nregex = 'a'\n", "needs a non-empty 'reason'"),
        ("[[pattern]]\nid = 'blogger-footer'\naction = 'line'\nregex = 'a'\nreason = 'r'\n", "defined twice"),
        ("title = 'nothing'\n", "no [[pattern]] entries"),
        ("[[pattern]]\nid = 'x'\naction = 'line'\nregex = 'a'\nreason = 'r'\nrequires = 'a'\n", "not a list of non-empty strings"),
        ("[[pattern]]\nid = 'x'\naction = 'line'\nregex = 'a'\nreason = 'r'\nrequires = ['']\n", "not a list of non-empty strings"),
    ],
)
def test_bad_pattern_files_rejected(tmp_path, content, message):
    f = tmp_path / "bad.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_patterns((str(f),))


def test_missing_pattern_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_patterns((str(tmp_path / "nope.toml"),))


def test_requires_hint_skips_only_paragraphs_that_cannot_match(tmp_path):
    extra = tmp_path / "hint.toml"
    extra.write_text(
        "[[pattern]]\nid = 'promo'\naction = 'line'\nregex = '.*(?:READ MORE|Read more).*'\n"
        "ignore_case = true\nrequires = ['READ MORE']\nreason = 'promo line'\n",
        encoding="utf-8",
    )
    (promo,) = [p for p in load_patterns((str(extra),)) if p.id == "promo"]
    assert promo.requires == ("read more",)  # compared lower-cased under ignore_case
    assert promo.may_match("Click to Read More today") and not promo.may_match("Nothing to see")
    cleaned = clean_text("Body text here.\nRead more: our coverage", patterns=load_patterns((str(extra),)))
    assert cleaned.text == "Body text here."
    assert cleaned.removed == ("promo line: Read more: our coverage",)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The views expressed in this article are the author's own.",
        "Middle East Eye does not engage in advocacy.",
        "Caption text for the photo here [Reuters] The talks began on Monday.",
        "Plain reporting with no chrome at all, a sentence, the end.",
    ],
)
def test_builtin_hints_agree_with_their_regex(paragraph):
    for p in load_patterns():
        if p.regex.fullmatch(paragraph):
            assert p.may_match(paragraph), p.id


def test_space_collapsing_fast_path_is_exact():
    from framing.corpus.clean import _SPACES, _collapse_spaces

    for text in ["a b c", "a  b", "a\tb", "a\u00a0b", "a \u2009 b", "caf\u00e9 au lait", "x\u3000\u3000y", "", "  "]:
        assert _collapse_spaces(text) == _SPACES.sub(" ", text)
