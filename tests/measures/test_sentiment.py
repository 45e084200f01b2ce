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
        ("Putin said the talks would continue next week.", "Putin", "neutral"),
        # ... but "said X <verb>" reports on X
        ("Sanders says Smith rigged the corrupt primary.", "Smith", "negative"),
        # a verb of the role lexicon decides alone: the victim is not judged by the attack
        ("The gunman killed Smith in a terrible, horrible attack.", "Smith", "neutral"),
        # the loser of a comparison
        ("Jones has raised far more money than Smith.", "Smith", "negative"),
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
    assert exp.neutral_band is None  # the label is the model's most probable class
    assert exp.probabilities[0] == max(exp.probabilities)


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
        # a contest: the winner and the loser (VADER's "defeated" alone would count against the winner)
        ("Smith defeated Jones in the primary.", "Smith", "agent", "defeat", "positive"),
        ("Smith defeated Jones in the primary.", "Jones", "patient", "defeat", "negative"),
        ("Jones was defeated by Smith at the party's spring conference.", "Smith", "agent", "defeat", "positive"),
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
    # the role rule decides alone: one rule contribution, no word contributions
    rules = [c for c in exp.contributions if c.feature.endswith("_verb")]
    assert len(rules) == 1 and rules[0].text == cue.verb and rules[0].span == cue.span
    assert rules[0].feature.startswith(role)
    assert not [c for c in exp.contributions if c.feature.endswith(("_positive", "_negative"))]


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
    assert exp.role is None and not [c for c in exp.contributions if c.feature.endswith("_verb")]


def test_role_lexicon():
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


# --------------------------------------------------------------------- the model: valences, groups, rules, weights


_PLAIN = [t for t in _VADER_CASES if t and not any(c in t for c in "!?😀😡:(") and "but" not in t.lower().split()]


@pytest.mark.parametrize("text", _PLAIN)
def test_word_valences_add_up_to_vader(text):
    # without "but", "!" / "?" and emoji, VADER's compound is the normalised sum of its per-word valences
    from vaderSentiment.vaderSentiment import normalize

    total = sum(v for _, _, v in S.word_valences(text))
    ref = S._analyzer().polarity_scores(text)["compound"]
    assert round(normalize(total), 4) == ref if total else ref == 0.0


@pytest.mark.parametrize(
    "text,word,sign",
    [
        ("It was not a good day", "good", -1),  # negation within three words
        ("a very good plan", "good", 1),
        ("after the war ended", "war", 0),  # a muted topic word is listed with 0.0
        # curly quotes and dashes are punctuation: VADER alone misses these words
        ("called him “unethical”", "“unethical”", -1),
        ("a corrupt—and cruel—man", "corrupt", -1),  # dashes split words
        ("nothing here", None, None),
        ("", None, None),
    ],
)
def test_word_valences(text, word, sign):
    out = S.word_valences(text)
    if word is None:
        assert out == ()
        return
    hits = [(text[a:b], v) for a, b, v in out if text[a:b] == word]
    assert hits and (hits[0][1] > 0) - (hits[0][1] < 0) == sign


def test_vader_misses_curly_quoted_words_the_model_does_not():
    text = "The report called Smith “unethical”."
    assert S.vader_compound([text]) == [0.0]
    exp = S.explain_sentiment(text, *span(text, "Smith"))
    assert ("unethical", -2.3) in exp.drivers and exp.label == "negative"


@pytest.mark.parametrize(
    "text,target,word,group",
    [
        ("The disgraced former director Smith resigned.", "Smith", "disgraced", "clause_before"),
        ("The disgraced former director Smith resigned.", "Smith", "resigned", "clause_after"),
        # another name stands between the word and the target in the same clause
        ("Smith spoke after Jones lied.", "Smith", "lied", "clause_past_name"),
        # the neighbouring clause that widens the window
        ("Smith met Jones, a corrupt official.", "Smith", "corrupt", "window"),
        # beyond the window
        (
            "Smith arrived in Berlin on time, as he had promised his mother, although the weather was truly awful.",
            "Smith", "awful", "sentence",
        ),
        # someone else's quoted words; what a speaking target says
        ("“The plan is a disaster,” Smith said.", "Smith", "disaster", "quoted"),
        ("Smith said the plan was a disaster.", "Smith", "disaster", "speech"),
        # the target named inside a quote: the quote is its context, the rest is outside
        ("Jones, a liar, said: “Smith is honest.”", "Smith", "honest", "clause_after"),
        ("Jones, a liar, said: “Smith is honest.”", "Smith", "liar", "outside_quote"),
        # a scare quote is the reporter's own words
        ("The report called Smith “unethical”.", "Smith", "unethical", "clause_after"),
    ],
)
def test_groups(text, target, word, group):
    ev = S.target_evidence(text, *span(text, target))
    assert {w: g for w, _, _, g in ev.words}[word] == group
    assert all(text[a:b] == w for w, (a, b), _, _ in ev.words)


def test_target_never_scores_itself_and_names_are_muted():
    text = "On the record, the aide Grace Hope said that the senator would meet Joy Smith in the morning."
    ev = S.target_evidence(text, *span(text, "Joy Smith"))
    assert [w for w, _, _, _ in ev.words] == []
    # a headline-case line keeps its capitals: they are words there, not names
    head = "Hope Grows For Smith Deal"
    assert [w for w, _, _, _ in S.target_evidence(head, *span(head, "Smith")).words] == ["Hope"]


@pytest.mark.parametrize(
    "text,target,rules,label",
    [
        ("Jones has raised far more money than Smith.", "Smith", {"after_than"}, "negative"),
        ("Jones has raised far more money than Smith.", "Jones", set(), "neutral"),
        ("Smith said the talks would continue next week.", "Smith", {"speaker"}, "neutral"),
        ("Jones said: “Smith is a wonderful, honest leader.”", "Smith", {"in_quote"}, "positive"),
        ("Critics accused Smith of a wonderful plan.", "Smith", {"patient_of_negative_verb"}, "negative"),
        ("The gunman killed Smith in a terrible, horrible attack.", "Smith", {"patient_of_neutral_verb"}, "neutral"),
        ("Smith, a senator, praised the firefighters.", "Smith", {"agent_of_positive_verb"}, "positive"),
        ("Smith arrived in Berlin on Tuesday.", "Smith", set(), "neutral"),
    ],
)
def test_rules(text, target, rules, label):
    exp = S.explain_sentiment(text, *span(text, target))
    assert {name for name, _, _, _ in exp.evidence.rules()} == rules
    assert {c.feature for c in exp.contributions} >= rules
    assert exp.label == label
    assert bool(exp.rule) == bool(rules)


def test_role_rule_decides_alone():
    text = "Critics accused Smith of a wonderful, brilliant plan."
    exp = S.explain_sentiment(text, *span(text, "Smith"))
    assert [w for w, _ in exp.drivers] == ["Critics", "accused", "wonderful", "brilliant"]  # listed ...
    assert [c.feature for c in exp.contributions] == ["patient_of_negative_verb"]  # ... but only the verb counts
    assert exp.evidence.features()["clause_after_positive"] == 0.0


@pytest.mark.parametrize(
    "text,target",
    [
        ("Analysts said on Friday that Smith, who lied repeatedly, faced a scandal.", "Smith"),
        ("Smith won a glorious victory.", "Smith"),
        ("“The plan is a disaster,” Smith said, smiling warmly.", "Smith"),
        ("Critics accused Smith of fraud.", "Smith"),
        ("Jones has raised far more money than Smith.", "Smith"),
        ("Smith arrived.", "Smith"),
    ],
)
def test_judgement_is_the_sum_of_its_contributions(text, target):
    import math

    start, end = span(text, target)
    exp = S.explain_sentiment(text, start, end)
    model = S._model()
    zn = model.bias[0] + sum(c.negative for c in exp.contributions)
    zp = model.bias[1] + sum(c.positive for c in exp.contributions)
    z = [zn, 0.0, zp]
    probs = [math.exp(x - max(z)) / sum(math.exp(y - max(z)) for y in z) for x in z]
    assert exp.probabilities == tuple(round(p, 4) for p in probs)
    assert exp.score == round(probs[2] - probs[0], 4)
    assert exp.label == S.LABELS[max(range(3), key=lambda i: (probs[i], i == 1))]
    for c in exp.contributions:
        wn, wp = model.weight(c.feature)
        assert (c.negative, c.positive) == (c.value * wn, c.value * wp)
    # the per-mention scorer of the pipeline gives the same number
    assert S.target_score(text, start, end) == exp.score


def test_reporter_only_leaves_out_quoted_and_spoken_words():
    text = "“The plan is a terrible disaster,” Smith said, and he called it a catastrophe."
    start, end = span(text, "Smith")
    exp = S.explain_sentiment(text, start, end)
    assert {c.feature for c in exp.contributions} >= {"quoted_negative", "speech_negative"}
    # the reporter's voice: nothing but the speaker's own voice here
    assert S.target_score(text, start, end, reporter_only=True) is None
    assert exp.score != 0.0


@pytest.mark.parametrize(
    "text,target,sign",
    [
        ("Smith arrived in Berlin on Tuesday.", "Smith", 0),  # no evidence: exactly 0.0
        ("Critics accused Smith of fraud on Monday.", "Smith", -1),  # a role rule
        ("The disgraced Smith arrived in Berlin.", "Smith", -1),  # the reporter's own word
        ("“Smith is a disgrace,” Jones said on Tuesday.", "Smith", 0),  # inside a quote: quoted voice
        ("Jones has raised far more money than Smith.", "Smith", -1),
        # a speaker is judged by the reporter's words around it, not by what it says
        ("The disgraced Smith said on Tuesday that the plan was a wonderful success.", "Smith", -1),
        ("On Tuesday, Smith said the plan was a disaster.", "Smith", 0),
        # ... and with no word of the reporter's before it there is nothing to score
        ("“It will rain,” Smith said on Tuesday.", "Smith", None),
        ("Smith said the plan was a disaster.", "Smith", None),
    ],
)
def test_reporter_voice_score(text, target, sign):
    start, end = span(text, target)
    out = S.target_score(text, start, end, reporter_only=True)
    if sign is None:
        assert out is None
        return
    assert -1.0 <= out <= 1.0
    assert (out > 0) - (out < 0) == sign


@pytest.mark.parametrize("text,target", [("Smith.", "Smith"), ("“Smith!”", "Smith"), ("", None)])
def test_target_score_is_null_without_other_words(text, target):
    start, end = span(text, target) if target else (0, 0)
    assert S.target_score(text, start, end) is None
    assert S.target_sentiment(text, start, end, label=True) in S.LABELS


def test_explicit_neutral_band_labels_by_the_score():
    text = "Smith won a glorious victory."
    start, end = span(text, "Smith")
    exp = S.explain_sentiment(text, start, end, neutral_band=0.999)
    assert exp.label == "neutral" and exp.neutral_band == 0.999
    assert S.target_sentiment(text, start, end, label=True, neutral_band=0.1) == "positive"


def test_contrast_speaker_words_count_less_than_words_about_the_target():
    said = "Smith said the plan was a corrupt, disgraceful failure."
    about = "Smith was a corrupt, disgraceful failure."
    assert S.target_sentiment(said, 0, 5) > S.target_sentiment(about, 0, 5)
    assert S.target_sentiment(about, 0, 5, label=True) == "negative"


def test_builtin_model_loads_and_covers_every_feature():
    model = S._model()
    assert [f for f, _, _ in model.weights] == list(S.FEATURES)
    assert model.version
    # the target's own clause weighs more than the rest of the sentence
    assert model.weight("clause_after_negative")[0] < model.weight("sentence_negative")[0] < 0
    assert model.weight("clause_after_positive")[1] > model.weight("sentence_positive")[1] > 0


def _model_toml(features=None, bias="[bias]\nnegative = 0.1\npositive = -0.2\n", meta='[meta]\nversion = "1"\n') -> bytes:
    feats = S.FEATURES if features is None else features
    body = "".join(f'[[feature]]\nname = "{f}"\nnegative = 0.5\npositive = -0.5\nnote = "n"\n' for f in feats)
    return (meta + bias + body).encode()


def test_parse_model_accepts_a_complete_file():
    model = S.parse_model(_model_toml(), "test")
    assert model.bias == (0.1, -0.2) and model.weight("speaker") == (0.5, -0.5)


@pytest.mark.parametrize(
    "data",
    [
        b"not toml [",
        _model_toml(meta=""),  # no version
        _model_toml(bias=""),  # no bias
        _model_toml(bias="[bias]\nnegative = true\npositive = 0\n"),  # not a number
        _model_toml(features=S.FEATURES[:-1]),  # a feature without weights
        _model_toml(features=(*S.FEATURES, "mystery")),  # an unknown feature
        _model_toml(features=(*S.FEATURES, S.FEATURES[0])),  # a duplicate
        _model_toml().replace(b'note = "n"', b'note = ""', 1),  # no note
        _model_toml().replace(b"negative = 0.5", b"negative = nan", 1),  # not finite
        "[meta]\nversion = \"1\"\n".encode("utf-16"),  # not UTF-8
    ],
)
def test_parse_model_rejects(data):
    with pytest.raises(LexiconError):
        S.parse_model(data, "test")
