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


def _apply_lines_reference(paras, patterns, removed):
    """_apply_lines as written before the length plan: every pattern tried on every paragraph."""
    from framing.corpus.clean import _SPACES, HEAD_PARAGRAPHS, _shown

    out = []
    for i, para in enumerate(paras):
        keep = True
        for p in patterns:
            if p.scope == "tail" or (p.scope == "head" and i >= HEAD_PARAGRAPHS):
                continue
            if p.requires and not p.may_match(para):
                continue
            if p.action == "line" and p.regex.fullmatch(para):
                removed.append(f"{p.reason}: {_shown(para)}")
                keep = False
                break
            if p.action == "inline":
                cut = [m.group(0) for m in p.regex.finditer(para) if m.group(0)]
                if cut:
                    para = _SPACES.sub(" ", p.regex.sub(" ", para)).strip()
                    removed.extend(f"{p.reason}: {_shown(c)}" for c in cut)
                    if not para:
                        keep = False
                        break
        if keep:
            out.append(para)
    return out


_PIECES = [
    "Header Ads", "Powered by Blogger.", "No comments yet:", "Post a comment", "Comments (3):", "ADVERTISEMENT",
    "Share on Facebook", "Skip to main content", "Sign up for our daily newsletter.", "Photo by Jane Doe via AFP",
    "list of 3 itemslist 1 of 3end of list", "It does not engage in advocacy.", "[Reuters]", "Putin said on Monday",
    "TIP", "tip", "zz", "Got a tip? Email us.", " ", ", ", "x" * 30, "Opinions are their own", "Advertisement",
    "Views CUT expressed", "views", "EXPRESSED here", "READ", "CUT", "more",
]


def test_length_plan_gives_the_result_of_trying_every_pattern(tmp_path):
    import random

    from framing.corpus.clean import _apply_lines

    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[[pattern]]\nid = 'tip-inline'\naction = 'inline'\nregex = 'TIP ?'\nreason = 'tip'\n"
        "[[pattern]]\nid = 'short-head'\naction = 'line'\nregex = '[a-z]{2,4}'\nscope = 'head'\nreason = 'short head line'\n"
        "[[pattern]]\nid = 'z-inline'\naction = 'inline'\nregex = '(?i)z{2}'\nreason = 'zz'\n"
        "[[pattern]]\nid = 'any-tip'\naction = 'line'\nregex = 'Got a tip\\\\?.*'\nreason = 'tip line'\n"
        "[[pattern]]\nid = 'x-run'\naction = 'line'\nregex = 'x{30}'\nreason = 'xs'\n"
        # a cut that brings the words of a hint together ("views CUT expressed" -> "views expressed")
        "[[pattern]]\nid = 'cut'\naction = 'inline'\nregex = 'CUT'\nreason = 'cut'\n"
        "[[pattern]]\nid = 'views'\naction = 'line'\nregex = '.*views expressed.*'\nignore_case = true\nrequires = ['Views Expressed']\nreason = 'views'\n"
        "[[pattern]]\nid = 'read-more'\naction = 'line'\nregex = 'READ ?more.*'\nrequires = ['READ']\nreason = 'read more'\n",
        encoding="utf-8",
    )
    rng = random.Random(3)
    for patterns in (load_patterns(), load_patterns((str(extra),))):
        for _ in range(400):
            paras = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 3))).strip() or "a" for _ in range(rng.randint(1, 6))]
            want_removed, got_removed = [], []
            want = _apply_lines_reference(list(paras), patterns, want_removed)
            assert _apply_lines(list(paras), patterns, got_removed) == want and got_removed == want_removed, paras


def test_lower_casing_joined_paragraphs_lower_cases_each():
    """_hinted_in looks for hints in the lower-cased joined paragraphs: the same as in each."""
    import random

    from framing.corpus.clean import _hinted_in, _line_plans

    rng = random.Random(8)
    alphabet = list("aZ .'’\u00ad\u0301") + ["\u03a3", "\u0130", "\u1e9e", "ΌΣ", "Views Expressed", "READ"]
    for _ in range(2000):
        paras = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 4))]
        assert "\n".join(paras).lower() == "\n".join(p.lower() for p in paras), paras
    patterns = load_patterns()
    rules = _line_plans(patterns)[0].rules
    for paras in (["The VIEWS EXPRESSED here", "b"], ["views", "expressed"], ["Nothing"], []):
        want = {id(r.pattern) for r in rules if r.pattern.requires and any(r.pattern.may_match(p) for p in paras)}
        assert _hinted_in(paras, rules) == want


def test_pattern_widths_bound_every_match():
    from framing.corpus.clean import _widths

    for p in load_patterns():
        lo, hi = _widths(p.regex)
        for text in _PIECES:
            m = p.regex.fullmatch(text)
            if m:
                assert lo <= len(text) and (hi is None or len(text) <= hi), p.id
    assert _widths(__import__("re").compile("ab?c{2,3}")) == (3, 5)
    assert _widths(__import__("re").compile("a.*")) == (1, None)
