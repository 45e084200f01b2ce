"""target_sentiment: clause windows, quoted speech left out, speakers, labels, explanations."""

from __future__ import annotations

import pytest

from framing.errors import InputError, LexiconError
from framing.measures import sentiment as S


CONTRAST = (
    "Brown won a glorious and well deserved victory at the polls, "
    "while Smith was arrested on fraud charges over a corrupt scheme."
)


def span(text: str, target: str) -> tuple[int, int]:
    i = text.index(target)
    return i, i + len(target)


@pytest.mark.parametrize(
    "text,target,expected",
    [
        ("Critics praised Smith for a brilliant and generous speech.", "Smith", "positive"),
        ("Smith was indicted on fraud charges and lied to investigators.", "Smith", "negative"),
        ("Smith arrived in Berlin on Tuesday.", "Smith", "neutral"),
        ("The disgraced former director Comey faced harsh criticism.", "Comey", "negative"),
        # quoted speech is not the reporter's voice: the target outside the quote stays neutral
        ("“This is a terrible, horrible disaster,” Jones told Smith on Monday.", "Smith", "neutral"),
        # the target inside a quote is judged by the quote
        ("Jones said: “Smith is a wonderful, honest leader.”", "Smith", "positive"),
        # the speaker of indirect speech: what he says is his voice, not about him
        ("Putin said the attack was a brutal terrorist act.", "Putin", "neutral"),
        # clause window: the praise belongs to the other clause
        (CONTRAST, "Smith", "negative"),
        (CONTRAST, "Brown", "positive"),
        ("", None, "neutral"),
    ],
)
def test_labels(text, target, expected):
    start, end = span(text, target) if target else (0, 0)
    assert S.target_sentiment(text, start, end, label=True) == expected


def test_score_range_and_band():
    text = "Smith was praised for a good speech."
    start, end = span(text, "Smith")
    score = S.target_sentiment(text, start, end)
    assert isinstance(score, float) and 0 < score <= 1
    assert S.target_sentiment(text, start, end, label=True, neutral_band=0.999) == "neutral"
    assert S.label_of(None) == "neutral"
    assert S.label_of(-S.NEUTRAL_BAND) == "negative"
    assert S.label_of(S.NEUTRAL_BAND / 2) == "neutral"


def test_explanation_shows_window_and_drivers():
    text = "Analysts said on Friday that Smith, who lied repeatedly, faced a scandal."
    start, end = span(text, "Smith")
    exp = S.explain_sentiment(text, start, end)
    assert exp.label == "negative"
    assert "Smith" not in exp.window_text
    assert exp.window[0] <= start and end <= exp.window[1]
    words = [w.lower() for w, _ in exp.drivers]
    assert "lied" in words or "scandal" in words
    assert all(v < 0 for w, v in exp.drivers if w.lower() in ("lied", "scandal"))
    assert exp.neutral_band == S.NEUTRAL_BAND


def test_quotes_are_excluded_from_window():
    text = "“Smith is a liar and a cheat,” Jones said, adding that Smith would attend."
    start = text.rindex("Smith")
    exp = S.explain_sentiment(text, start, start + 5)
    assert "liar" not in exp.window_text and "liar" not in exp.sentence_text


def test_names_are_muted_but_headlines_are_not():
    text = "The nominee Smith will sit on the Supreme Court next year."
    start, end = span(text, "Smith")
    exp = S.explain_sentiment(text, start, end)
    assert "Supreme" not in exp.window_text
    assert S.target_sentiment(text, start, end, label=True) == "neutral"


def test_is_speaker():
    t = "Smith said the plan was bad."
    assert S.is_speaker(t, *span(t, "Smith"))
    t = "The plan was bad, according to Smith."
    assert S.is_speaker(t, *span(t, "Smith"))
    t = "Jones told Smith the plan was bad."
    assert not S.is_speaker(t, *span(t, "Smith"))


@pytest.mark.parametrize(
    "text,target,speaker",
    [
        # inverted attribution: the attribution ends after the name
        ("The plan was bad, said Smith.", "Smith", True),
        ("The plan was bad, said Sen. Smith, a Democrat.", "Smith", True),
        ("“It is over,” said Smith in a statement.", "Smith", True),
        ("“It is over,” said Smith on Monday.", "Smith", True),
        ("“It is over,” said Smith", "Smith", True),  # no final stop
        ("The plan was bad, according to Smith's aides.", "Smith", True),
        # "said X <verb>": X is the subject of the reported clause, not the speaker
        ("Sanders says Wasserman Schultz limited the debates.", "Wasserman Schultz", False),
        ("Investigators say Gonzalez-Lopez hit the car.", "Gonzalez-Lopez", False),
        ("Lewis said Christie dropped the plan.", "Christie", False),
        ("The White House said Obama and Merkel agreed.", "Obama", False),
        # the speaker of that clause still is one
        ("Lewis said Christie dropped the plan.", "Lewis", True),
    ],
)
def test_inverted_attribution(text, target, speaker):
    assert S.is_speaker(text, *span(text, target)) is speaker


def test_reported_subject_is_judged_by_the_report():
    # before the fix "Wasserman Schultz" counted as the speaker and kept no words (neutral)
    t = "Sanders says Wasserman Schultz corruptly rigged the primary against him."
    exp = S.explain_sentiment(t, *span(t, "Wasserman Schultz"))
    assert "rigged" in exp.window_text and exp.label == "negative"


def test_vader_compound_dedupes_and_nulls():
    out = S.vader_compound(["good", "good", "...", "bad"])
    assert out[0] == out[1] > 0 and out[2] is None and out[3] < 0


def test_bad_spans_raise():
    with pytest.raises(InputError):
        S.target_sentiment("abc", 2, 10)
    with pytest.raises(InputError):
        S.target_sentiment("abc", -1, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"not toml [",
        b"[[entry]]\nterm = 'x'\nvalence = 9\nnote = 'n'\n",
        b"[[entry]]\nterm = 'x'\nvalence = 1\n",
        b"[[entry]]\nterm = 'x'\nvalence = 1\nnote = 'n'\n[[entry]]\nterm = 'X'\nvalence = 2\nnote = 'n'\n",
        b"",
    ],
)
def test_bad_valence_files(data):
    with pytest.raises(LexiconError):
        S.parse_valence(data, "test")


def test_builtin_news_lexicon_loads():
    lex = S._news_lexicon()
    assert lex["indicted"] < 0 and lex["praised" if "praised" in lex else "lauded"] > 0
    assert all(-4 <= v <= 4 for v in lex.values())


def test_deterministic():
    text = "Critics said Smith, a decent man, was treated unfairly."
    start, end = span(text, "Smith")
    assert S.target_sentiment(text, start, end) == S.target_sentiment(text, start, end)


# ---------------------------------------------------------------- fast VADER path equals VADER

_VADER_CASES = [
    "VADER is smart, handsome, and funny!", "not so bad at all!!", "the shit", "never so good", "never this bad",
    "without a doubt good", "at least good", "very least good", "least good", "no good or bad", "no", "no no",
    "VERY GOOD but BAD bad good", "good good but bad bad", "isn't great??", "is it great????", "sort of nice",
    "kind of nice", "  padded good  ", ":) ok", "a :( b", "ugh!!!", "LOL", "He was accused of fraud.",
    "The senator praised the deal, but critics called it a disaster.", "It was not a good day", "bad ass move",
    "😀 fine", "he said 😡", "", "---", "The plan isn't bad but isn't great either.",
]


@pytest.mark.parametrize("text", _VADER_CASES)
def test_vader_compound_equals_vader(text):
    from framing.measures import sentiment as s

    ref = s._analyzer().polarity_scores(text)["compound"] if s._WORD.search(text) else None
    assert s.vader_compound([text]) == [ref]
    assert s._vader_one(text) == ref


def test_vader_compound_batch_order_and_repeats():
    from framing.measures.sentiment import vader_compound

    out = vader_compound(["good", "bad", "good", "---"])
    assert out[0] == out[2] and out[0] > 0 > out[1] and out[3] is None


def test_scare_quotes_stay_in_window_quotations_do_not():
    from framing.measures.sentiment import window_texts

    t = "The group called Smith “the most corrupt official” in the state."
    a = t.index("Smith")
    assert "corrupt" in window_texts(t, a, a + 5)[0]
    t2 = "“This is a terrible, horrible disaster,” Jones told Smith on Monday."
    b = t2.index("Smith")
    assert "terrible" not in " ".join(window_texts(t2, b, b + 5))


@pytest.mark.parametrize(
    "text,kept",
    [
        # the sentence's own period inside the closing mark (American punctuation): still a partial quote
        ("The report called Smith “the most corrupt official in the state.”", True),
        ("The report called Smith “the most corrupt official in the state.” Jones agreed.", True),
        ("The report called Smith “the most corrupt official in the state.”\nMore below.", True),
        # a quotation introduced by a comma or a colon is speech, not the reporter's words
        ("Smith posted a message, “This is a corrupt and terrible deal.”", False),
        ("Smith posted a message: “This is a corrupt and terrible deal.”", False),
        # a quoted sentence followed by its attribution is speech
        ("The report called Smith “the most corrupt official.” said Jones.", False),
        # too long to be a scare quote
        ("He called Smith “one of the most corrupt and terrible officials this old state has ever seen.”", False),
    ],
)
def test_partial_quote_closing_the_sentence(text, kept):
    a = text.index("Smith")
    assert ("corrupt" in S.window_texts(text, a, a + 5)[0]) is kept


# --------------------------------------------------------------------- roles (who did what to whom)


@pytest.mark.parametrize(
    "text,target,role,lemma,label",
    [
        # patient of a criticism verb: negative, whatever the other words say
        ("Republicans accused Smith of a wonderful plan.", "Smith", "patient", "accuse", "negative"),
        # coordination: both names share the verb
        ("Republicans accused Cruz and Smith of lying.", "Smith", "patient", "accuse", "negative"),
        ("Both Cruz and Smith criticized the governor.", "Smith", "agent", "criticize", "negative"),
        ("Both Cruz and Smith criticized the governor.", "Cruz", "agent", "criticize", "negative"),
        # titles and determiners may stand between the verb and the target
        ("Critics blasted former Senator Smith on Monday.", "Smith", "patient", "blast", "negative"),
        # passive: the subject is the patient; "by X" is the agent
        ("Smith was arrested on Monday.", "Smith", "patient", "arrest", "negative"),
        ("Smith has been sharply criticized for the deal.", "Smith", "patient", "criticize", "negative"),
        ("The plan was praised by Senator Smith.", "Smith", "agent", "praise", "positive"),
        # praise portrays both sides positively
        ("Voters praised Smith after a dull debate.", "Smith", "patient", "praise", "positive"),
        ("Smith, a senator, praised the firefighters.", "Smith", "agent", "praise", "positive"),
        # the person spoken to or met is not judged by what is said
        ("Jones told Smith that the weather was awful.", "Smith", "patient", "tell", "neutral"),
        ("Jones met Smith amid a terrible crisis.", "Smith", "patient", "meet", "neutral"),
        # the victim is not judged by the harm; the one doing harm is
        ("The gunman killed Smith in a terrible attack.", "Smith", "patient", "kill", "neutral"),
        ("Smith killed three people.", "Smith", "agent", "kill", "negative"),
        # a preposition of opposition
        ("Protests against Smith grew.", "Smith", "patient", "against", "negative"),
    ],
)
def test_role_rules(text, target, role, lemma, label):
    start, end = span(text, target)
    cue = S.role_cue(text, start, end)
    assert cue is not None and (cue.role, cue.lemma) == (role, lemma)
    assert text[cue.span[0] : cue.span[1]] == cue.verb
    exp = S.explain_sentiment(text, start, end)
    assert exp.role == cue
    assert exp.label == label
    assert exp.score == S.apply_role(exp.vader_score, cue)


@pytest.mark.parametrize(
    "text,target",
    [
        ("Smith arrived in Berlin on Tuesday.", "Smith"),
        # the agent of "told" has no effect: the speaker rule handles it
        ("Smith told reporters the plan was good.", "Smith"),
        # a verb further away than four name-like words does not count
        ("They criticized the long and dull report that Smith wrote.", "Smith"),
        # a capitalised verb form inside the sentence is a name, not a verb
        ("The group Support Smith rallied.", "Smith"),
        ("", None),
    ],
)
def test_no_role(text, target):
    start, end = span(text, target) if target else (0, 0)
    assert S.role_cue(text, start, end) is None
    exp = S.explain_sentiment(text, start, end)
    assert exp.role is None and exp.score == exp.vader_score


def test_apply_role_and_role_lexicon():
    cue = S.RoleCue("patient", "accused", (0, 7), "accuse", "criticism", -0.6, "note")
    assert S.apply_role(0.9, None) == 0.9
    assert S.apply_role(None, None) is None
    assert -1.0 <= S.apply_role(-0.9, cue) <= -0.6
    lex = S._role_lexicon()
    assert lex["accused"][1:4] == ("accuse", "criticism", -0.3)
    assert lex["praised"][4] > 0 and lex["told"][4] == 0.0 and lex["told"][3] is None


@pytest.mark.parametrize(
    "toml",
    [
        b'[[role]]\nverb = "x"\nforms = ["x"]\nfamily = "f"\nnote = "n"\n',  # no effect
        b'[[role]]\nverb = "x"\nforms = ["x"]\nfamily = "f"\npatient = 2\nnote = "n"\n',  # out of range
        b'[[role]]\nverb = "x"\nforms = []\nfamily = "f"\npatient = 0.5\nnote = "n"\n',  # no forms
        b'[[role]]\nverb = "x"\nforms = ["x"]\nfamily = "f"\npatient = 0.5\nnote = ""\n',  # no note
        b'[[role]]\nverb = "x"\nforms = ["x", "X"]\nfamily = "f"\npatient = 0.5\nnote = "n"\n',  # duplicate
        b"[[role]\n",  # not TOML
    ],
)
def test_parse_roles_rejects(toml):
    with pytest.raises(LexiconError):
        S.parse_roles(toml, "test")


@pytest.mark.parametrize(
    "text,target,expected",
    [
        # topic words name an event, not a judgement of the person: muted (valence 0, still listed)
        ("Smith returned home after the war.", "Smith", "neutral"),
        ("Smith spoke about the death of his father.", "Smith", "neutral"),
        ("Smith died on Tuesday in Berlin.", "Smith", "neutral"),
        ("Smith led the fight to end the crisis.", "Smith", "neutral"),
        ("Smith met the victims of the battle.", "Smith", "neutral"),
        # judging words around them still count
        ("Smith waged a brutal, cruel war.", "Smith", "negative"),
    ],
)
def test_topic_words_are_muted(text, target, expected):
    start, end = span(text, target)
    exp = S.explain_sentiment(text, start, end)
    assert exp.label == expected
    topic = {"war", "death", "died", "fight", "crisis", "victims", "battle"}
    assert all(v == 0.0 for w, v in exp.drivers if w.lower() in topic)


@pytest.mark.parametrize(
    "text,target,window",
    [
        # another name ends the window on each side; the target's own title does not
        ("Officials say Rove served under President Bush in a bitter era.", "Rove", "Officials say Rove served under"),
        ("Yesterday Jones and Smith voted no.", "Smith", "and Smith voted no."),
        ("Smith praised Jones warmly.", "Smith", "Smith praised"),
    ],
)
def test_name_cut_ablation(monkeypatch, text, target, window):
    monkeypatch.setattr(S, "NAME_CUT", True)
    S._name_words.cache_clear()
    start, end = span(text, target)
    _, (a, b), _ = S.target_window(text, start, end)
    assert text[a:b].strip(" ,") == window
    monkeypatch.setattr(S, "NAME_CUT", False)
    _, (a2, b2), _ = S.target_window(text, start, end)
    assert b2 - a2 >= b - a  # off by default: the window is never narrower
