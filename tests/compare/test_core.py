import json

import pytest

from compare.seedtexts import hand_analysis, seed_texts
from framing.compare import compare, split_by_outlet
from framing.errors import InputError


@pytest.fixture(scope="module")
def rewrite():
    t = seed_texts()
    return compare(hand_analysis([("d-003", *t["003"])]), hand_analysis([("d-001", *t["001"])]), labels=("CNN", "blog"), seed=7)


def test_seed_acceptance_strings(rewrite):
    dump = json.dumps(rewrite.to_dict(), ensure_ascii=False).lower()
    for needle in ["russian forces failed to capture the capital kyiv", "without proof", "derived", "claiming without evidence"]:
        assert needle in dump
    pair = rewrite.to_dict()["same_story"][0]
    assert pair["reuse"]["derived_from"] is True
    assert pair["reuse"]["aligned_share_of_b"] >= 0.8


def test_too_little_data_is_said(rewrite):
    d = rewrite.to_dict()
    assert d["enough_data"] is False
    assert "only 1 document" in d["reason"]
    assert all(m["diff_lo"] is None for m in d["metrics"])
    assert "Not enough data to rank" in rewrite.to_markdown()


def test_dict_is_deterministic_and_json(rewrite):
    t = seed_texts()
    again = compare(hand_analysis([("d-003", *t["003"])]), hand_analysis([("d-001", *t["001"])]), labels=("CNN", "blog"), seed=7)
    assert json.dumps(again.to_dict()) == json.dumps(rewrite.to_dict())
    assert list(rewrite.to_dict())[:4] == ["labels", "seed", "sides", "enough_data"]


def test_html_escapes_article_text():
    evil = "Officials met on Monday. <script>alert(1)</script> said the minister. <img src=x onerror=alert(2)> appeared."
    a = hand_analysis([("a1", evil, "X", None)])
    b = hand_analysis([("b1", evil.replace("Monday", "Tuesday"), "Y", None)])
    page = compare(a, b, labels=("<b>X</b>", "Y")).to_html()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>X</b>" not in page
    assert page.startswith("<!DOCTYPE html>")


def test_metric_intervals_with_enough_documents():
    t = seed_texts()
    many_a = hand_analysis([(f"a{i}", t["000"][0], "A", None) for i in range(3)] + [("a9", t["002"][0], "A", None)])
    many_b = hand_analysis([(f"b{i}", t["wapo"][0], "B", None) for i in range(4)])
    d = compare(many_a, many_b, labels=("A", "B")).to_dict()
    row = next(m for m in d["metrics"] if m["metric"] == "hedge_per_1k_words")
    assert d["enough_data"] is True and d["reason"] is None
    assert row["diff_lo"] is not None and row["diff_lo"] <= row["diff"] <= row["diff_hi"]


def test_quotes_and_sources_on_one_side():
    text_a = "Mr. Smith said the plan would fail. The mayor said taxes would rise."
    text_b = "The mayor said taxes would rise sharply."
    def span(text, part):
        i = text.index(part)
        return {"start": i, "end": i + len(part)}

    qa = [
        {"doc_id": "a", "sent_id": 0, **span(text_a, "the plan would fail"), "speaker": "John Smith", "source_type": "named_person", "cue": "said"},
        {"doc_id": "a", "sent_id": 1, **span(text_a, "taxes would rise"), "speaker": "the mayor", "source_type": "named_person", "cue": "said"},
    ]
    qb = [{"doc_id": "b", "sent_id": 0, **span(text_b, "taxes would rise sharply"), "speaker": "the mayor", "source_type": "named_person", "cue": "said"}]
    d = compare(hand_analysis([("a", text_a, "A", None)], quotes=qa), hand_analysis([("b", text_b, "B", None)], quotes=qb)).to_dict()
    assert [q["content"] for q in d["quotes"]["only_in_a"]] == ["the plan would fail"]
    assert d["quotes"]["only_in_b"] == []
    assert [s["source"] for s in d["sources"]["only_in_a"]] == ["John Smith"]
    assert d["sources"]["in_both"] == ["the mayor"]


def test_split_by_outlet_names_choices():
    t = seed_texts()
    both = hand_analysis([("x", *t["000"]), ("y", *t["002"])])
    a, b = split_by_outlet(both, "The National", "The New York Times")
    assert a.documents["doc_id"].to_list() == ["x"] and b.sentences["doc_id"].unique().to_list() == ["y"]
    with pytest.raises(InputError, match="Nobody News.*The National, The New York Times"):
        split_by_outlet(both, "The National", "Nobody News")
