"""Optional spaCy backend: a small pipeline built inside the test (entity ruler, no model download)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from framing.errors import ConfigError
from framing.measures import actors as A
from framing.measures import spacy_backend as SB

spacy = pytest.importorskip("spacy")

PATTERNS = [
    {"label": "PERSON", "pattern": "Vladimir Putin"},
    {"label": "PERSON", "pattern": "Putin"},
    {"label": "PERSON", "pattern": [{"TEXT": "President"}, {"TEXT": "Vladimir"}, {"TEXT": "V."}, {"TEXT": "Putin"}]},
    {"label": "PERSON", "pattern": [{"TEXT": "Mr."}, {"TEXT": "Peskov"}]},
    {"label": "PERSON", "pattern": [{"TEXT": "spokesman"}, {"TEXT": "Dmitry"}, {"TEXT": "Peskov"}]},
    {"label": "PERSON", "pattern": "Zelenskyy"},
    {"label": "PERSON", "pattern": "Lt. Gen. Igor Kirillov"},
    {"label": "PERSON", "pattern": "Prime Minister Keir Starmer"},
    {"label": "PERSON", "pattern": [{"TEXT": "Putin"}, {"TEXT": "’s"}]},
    {"label": "ORG", "pattern": "the National Security Council"},
    {"label": "PERSON", "pattern": "Thursday"},  # a wrong PERSON: a stop-word, cut to nothing
    {"label": "PERSON", "pattern": [{"TEXT": "Russian"}, {"TEXT": "Ivanov"}]},
    {"label": "PERSON", "pattern": [{"TEXT": "Mr."}, {"TEXT": "Ivanov"}]},
    {"label": "ORG", "pattern": "NATO"},
    {"label": "ORG", "pattern": "Nato"},
    {"label": "ORG", "pattern": [{"LOWER": "the"}, {"TEXT": "Kremlin"}]},
    {"label": "ORG", "pattern": "Rosneft"},
    {"label": "GPE", "pattern": "Kyiv"},
    {"label": "GPE", "pattern": "Kiev"},
    {"label": "GPE", "pattern": "Moscow"},
    {"label": "GPE", "pattern": "Russian"},  # a wrong GPE: a nationality adjective is never an actor
    {"label": "NORP", "pattern": "Russian"},
    {"label": "NORP", "pattern": "Ukrainians"},
    {"label": "DATE", "pattern": "Thursday"},
]

SEED = (
    "Russian President Vladimir V. Putin said on Thursday that Nato was \u201cplaying with fire.\u201d "
    "Kyiv's allies disagreed. The Kremlin spokesman Dmitry Peskov said Moscow had no plans to talk, "
    "and Mr. Peskov added that Putin would decide. In Kyiv, Zelenskyy said Ukrainians would fight "
    "with NATO help, while Russian officials met Rosneft."
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(PATTERNS)
    return nlp


def records(text, nlp):
    return [(d["surface"], d["actor"], d["actor_type"], d["resolution"]) for d in SB.find_document_mentions_spacy(text, nlp)]


def test_seed_paragraph_spans_types_and_canonical_names(nlp):
    got = SB.find_document_mentions_spacy(SEED, nlp)
    for d in got:
        assert set(d) == {"start", "end", "actor", "actor_type", "resolution", "surface"}
        assert SEED[d["start"] : d["end"]] == d["surface"]
        assert d["actor_type"] in A.ACTOR_TYPES and d["resolution"] in A.RESOLUTIONS
    assert [(d["start"], d["end"]) for d in got] == sorted((d["start"], d["end"]) for d in got)
    assert all(a["end"] <= b["start"] for a, b in zip(got, got[1:]))
    assert [(d["surface"], d["actor"], d["actor_type"], d["resolution"]) for d in got] == [
        ("Vladimir V. Putin", "Vladimir Putin", "person", "alias"),  # title cut, initial dropped
        ("Nato", "NATO", "organization", "alias"),  # gazetteer form
        ("Kyiv", "Kyiv", "place", "exact"),  # acts: possessive
        ("Kremlin", "Kremlin", "organization", "exact"),  # "The" cut
        ("Dmitry Peskov", "Dmitry Peskov", "person", "exact"),  # role noun cut
        ("Moscow", "Moscow", "place", "exact"),  # acts: agent verb
        ("Mr. Peskov", "Dmitry Peskov", "person", "surname"),  # one word keeps its honorific
        ("Putin", "Vladimir Putin", "person", "surname"),
        ("Zelenskyy", "Volodymyr Zelensky", "person", "alias"),  # variant + well-known person
        ("NATO", "NATO", "organization", "exact"),
        ("Rosneft", "Rosneft", "organization", "exact"),  # not in the gazetteer: kept as found
    ]
    # in Kyiv (a location), Russian (NORP and a wrong GPE), Ukrainians (NORP), Thursday: no actors
    assert SEED.index("In Kyiv") + 3 not in [d["start"] for d in got]
    assert not {"Russian", "Ukrainians", "Thursday"} & {d["actor"] for d in got}


def test_same_canonical_names_as_builtin_finder(nlp):
    builtin = {(d["start"], d["end"], d["actor"], d["actor_type"]) for d in A.find_document_mentions(SEED)}
    spacy_found = {(d["start"], d["end"], d["actor"], d["actor_type"]) for d in SB.find_document_mentions_spacy(SEED, nlp)}
    # everything the built-in finder finds here, the ruler finds with the same span and name
    assert builtin <= spacy_found
    assert spacy_found - builtin == {(SEED.index("Rosneft"), SEED.index("Rosneft") + 7, "Rosneft", "organization")}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", []),
        ("No names at all here.", []),
        ("The Russian said nothing. Ukrainians waited.", []),  # NORP never an actor
        ("On Thursday, nothing happened.", []),  # PERSON cut to nothing
        ("Russian Ivanov spoke.", [("Ivanov", "Ivanov", "person", "exact")]),  # adjective cut from a PERSON
        ("Talks were held in Moscow on Monday.", []),  # a place that does not act
        ("Moscow said no. Kiev's reply came.", [("Moscow", "Moscow", "place", "exact"), ("Kiev", "Kyiv", "place", "alias")]),
        ("Putin's army advanced.", [("Putin", "Vladimir Putin", "person", "alias")]),  # well-known surname
        ("Lt. Gen. Igor Kirillov was killed.", [("Igor Kirillov", "Igor Kirillov", "person", "exact")]),  # multi-word title cut
        ("Prime Minister Keir Starmer spoke.", [("Keir Starmer", "Keir Starmer", "person", "exact")]),
        ("Putin’s war.", [("Putin", "Vladimir Putin", "person", "alias")]),  # possessive inside the entity cut
        ("He told the National Security Council.", [("National Security Council", "National Security Council", "organization", "exact")]),
        ("Mr. Ivanov spoke.", [("Mr. Ivanov", "Ivanov", "person", "alias")]),
        ("Mr. Peskov spoke.", [("Mr. Peskov", "Dmitry Peskov", "person", "alias")]),  # well-known surname
        ("the Kremlin, NATO and Nato.", [("Kremlin", "Kremlin", "organization", "exact"), ("NATO", "NATO", "organization", "exact"), ("Nato", "NATO", "organization", "alias")]),
    ],
)
def test_cases(nlp, text, expected):
    assert records(text, nlp) == expected


def test_headline_fragments_need_the_body(nlp):
    text = "Rosneft Rebels Against Moscow\nThe fighters left on Friday."
    assert records(text, nlp) == []
    text2 = "Rosneft Rebels Against Moscow\nThe company Rosneft left on Friday."
    assert [r[0] for r in records(text2, nlp)] == ["Rosneft", "Rosneft"]


def test_batch_matches_single_documents_and_is_deterministic(nlp):
    texts = [SEED, "", "Moscow said no.", SEED.upper(), SEED]
    batch = SB.find_mentions_spacy(texts, nlp, batch_size=2)
    assert batch == [SB.find_document_mentions_spacy(t, nlp) for t in texts]
    assert batch == SB.find_mentions_spacy(texts, nlp)
    assert batch[0] == batch[4]


def test_long_texts_are_cut_at_line_breaks_with_whole_text_offsets():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    text = "\n".join(["Filler words here.", "Moscow said no.", "Vladimir Putin spoke and Putin left."] * 5)
    whole = SB.find_document_mentions_spacy(text, nlp)
    nlp.max_length = 40
    assert SB._pieces(text, 40)[0] == (0, "Filler words here.\nMoscow said no.\n")
    cut = SB.find_document_mentions_spacy(text, nlp)
    assert cut == whole and len(cut) == 15
    assert all(text[d["start"] : d["end"]] == d["surface"] for d in cut)


@spacy.Language.component("framing_test_fake_parser")
def fake_parser(doc):
    """Stands in for a dependency parser: "Kyiv" is a subject, every other token a plain dependent."""
    for t in doc:
        t.dep_ = "nsubj" if t.text == "Kyiv" else "dep"
    return doc


def test_parser_subjects_count_as_acting_places():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    nlp.add_pipe("framing_test_fake_parser")
    # "Kyiv, which ..., denies": no possessive or agent verb next to it; the parse says subject
    assert records("Kyiv, which is under fire, denies it.", nlp) == [("Kyiv", "Kyiv", "place", "exact")]


@pytest.mark.parametrize(
    "spec,expected",
    [("builtin", None), ("spacy:en_core_web_sm", "en_core_web_sm"), (" spacy:xx_ent_wiki_sm ", "xx_ent_wiki_sm")],
)
def test_parse_backend(spec, expected):
    assert SB.parse_backend(spec) == expected


@pytest.mark.parametrize("spec", ["", "spacy", "spacy:", "stanza:en", "Builtin"])
def test_parse_backend_rejects(spec):
    with pytest.raises(ConfigError, match=r"use 'builtin' or 'spacy:MODEL'"):
        SB.parse_backend(spec)


def test_missing_model_message():
    with pytest.raises(ConfigError) as err:
        SB.load_pipeline("framing_no_such_model_sm")
    assert str(err.value) == "spaCy model 'framing_no_such_model_sm' is not installed; install it with pip or use the built-in backend"
    with pytest.raises(ConfigError, match="not installed"):
        SB.find_document_mentions_spacy("Putin spoke.", "framing_no_such_model_sm")


def test_missing_spacy_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now raises ImportError
    SB._load_named.cache_clear()
    with pytest.raises(ConfigError) as err:
        SB.load_pipeline("en_core_web_sm")
    assert str(err.value) == "spaCy is not installed; install it with pip (pip install spacy) or use the built-in backend"


@pytest.mark.parametrize("bad", [None, 3, "  ", object()])
def test_load_pipeline_rejects_other_values(bad):
    with pytest.raises(ConfigError):
        SB.load_pipeline(bad)


def test_backend_info(nlp):
    info = SB.backend_info(nlp)
    assert info["spacy"] == spacy.__version__
    assert info["components"] == ["entity_ruler"]
    assert info["model"] == "en_pipeline"


def test_importing_framing_does_not_import_spacy():
    code = "import sys, framing, framing.measures.actors, framing.measures.spacy_backend; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
