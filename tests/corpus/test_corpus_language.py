"""Language identification: the batched automaton walk gives py3langid's own answers."""

from __future__ import annotations

import pytest

from framing.corpus import language

TEXTS = [
    "Russian President Vladimir Putin said on Thursday that Moscow was ready to negotiate.",
    "Президент России Владимир Путин заявил в четверг, что Москва готова к переговорам.",
    "Der russische Präsident Wladimir Putin sagte am Donnerstag, Moskau sei zu Verhandlungen bereit.",
    "Le président russe Vladimir Poutine a déclaré jeudi que Moscou était prête à négocier.",
    "El presidente ruso, Vladímir Putin, dijo el jueves que Moscú estaba dispuesta a negociar.",
    "俄罗斯总统普京周四表示，莫斯科准备进行谈判，但西方官员表示没有迹象表明克里姆林宫的战争目标发生变化。",
    "قال الرئيس الروسي فلاديمير بوتين يوم الخميس إن موسكو مستعدة للتفاوض بشأن أوكرانيا.",
    "ÉTAT D'URGENCE DÉCLARÉ À PARIS APRÈS LES INONDATIONS DE LA SEINE ET DE LA MARNE",  # all capitals
    "A mix: the talks in Berlin — die Gespräche in Berlin — ended without agreement today.",
    "x" * 40,
    "123 456 789 — 2024-02-09 ... !!! ??? abc",
    "short",
    "",
    None,
    "Putin " * 600,  # longer than the 1,500-character sample
]


def test_batch_equals_one_at_a_time():
    one_by_one = [language.detect_language(t) for t in TEXTS]
    assert language.detect_languages(TEXTS) == one_by_one
    # and py3langid itself decides the first sample of each text
    ident = language._identifier()
    for text, (code, confidence) in zip(TEXTS, one_by_one):
        if code == "und":
            continue
        lang, prob = ident.classify(text[: language.SAMPLE_CHARS])
        assert (code, confidence) == (lang, round(float(prob), 4))


@pytest.mark.parametrize("text, code", [(TEXTS[0], "en"), (TEXTS[1], "ru"), (TEXTS[2], "de"), (TEXTS[3], "fr"), ("Hi.", "und"), (None, "und")])
def test_codes(text, code):
    assert language.detect_languages([text])[0][0] == code


def test_order_does_not_matter():
    forward = language.detect_languages(TEXTS)
    backward = language.detect_languages(TEXTS[::-1])
    assert forward == backward[::-1]
    assert language.detect_languages([]) == []
