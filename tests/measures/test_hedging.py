"""Table tests of lexicon cue matching (hedge, distancing, booster, anonymous_source)."""

from __future__ import annotations

import re

import polars as pl
import pytest

from framing.lexicons import load_lexicons
from framing.measures.hedging import CUE_COLUMNS, match_cues

LEXICONS = load_lexicons()


def _frames(texts: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    rows = []
    for i, text in enumerate(texts):
        for j, m in enumerate(re.finditer(r"[^.!?]+[.!?]*\s*", text)):
            rows.append((f"d{i}", j, m.start(), m.end(), m.group()))
    sents = pl.DataFrame(
        rows, schema={"doc_id": pl.String, "sent_id": pl.Int64, "start": pl.Int64, "end": pl.Int64, "text": pl.String},
        orient="row",
    )
    return docs, sents


def cues_of(text: str) -> list[tuple[str, str, str]]:
    docs, sents = _frames([text])
    c = match_cues(docs, sents, lexicons=LEXICONS)
    for s, e, t in c.select("start", "end", "term").iter_rows():
        assert text[s:e] == t
    return [(k, cat, t) for k, cat, t in c.select("kind", "category", "term").iter_rows()]


CASES = [
    # (text, expected (kind, term) subset, forbidden terms)
    ("The talks may fail.", [("hedge", "may")], []),
    ("In May, the talks resumed.", [], ["May"]),
    ("May 5 was a quiet day.", [], ["May"]),
    ("Talks began in May 2024 and stalled since May.", [], ["May"]),
    ("Theresa May spoke on Monday.", [], ["May"]),
    ("May I ask a question?", [("hedge", "May")], []),
    ("Russia's military might grew.", [], ["might"]),
    ("He might resign.", [("hedge", "might")], []),
    ("A deal is not likely.", [("hedge", "likely")], []),
    ("There is no doubt the deal is done.", [("booster", "There is no doubt")], ["doubt"]),
    ("Without a doubt it worked.", [("booster", "Without a doubt")], ["doubt"]),
    ("It is not clear who fired.", [("hedge", "not clear")], []),
    ("That is not necessarily true.", [], []),
    ("That is not clearly true.", [("hedge", "not clearly")], []),
    ("He said this, claiming without evidence that it was staged.",
     [("distancing", "claiming"), ("distancing", "without evidence")], []),
    ("Mr. Putin asserted without proof that the drones were foreign.", [("distancing", "without proof")], []),
    ("The war claimed tens of thousands of lives.", [], ["claimed"]),
    ("The report could not be independently verified.",
     [("distancing", "could not be independently verified")], ["could"]),
    ("The so-called peace plan failed.", [("distancing", "so-called")], []),
    ("U.S. officials say the plan failed, analysts say.",
     [("anonymous_source", "officials say"), ("anonymous_source", "analysts say")], []),
    ("Some Western officials believe he may stay.", [("anonymous_source", "Western officials believe"), ("hedge", "may")], ["believe"]),
    ("People familiar with the talks said it was over.", [("anonymous_source", "People familiar with")], []),
    ("It is believed the plane crashed.", [("anonymous_source", "It is believed")], []),
    ("It reportedly crashed; it was allegedly shot down.", [("hedge", "reportedly"), ("hedge", "allegedly")], []),
    ("He clearly won, of course.", [("booster", "clearly"), ("booster", "of course")], []),
    ("", [], []),
    ("“Unbalanced quote with may in it.", [("hedge", "may")], []),
    ("The dog ran home.", [], []),
    # 1.1.0 context rules
    ("Tickets may be purchased at the gate.", [], ["may"]),
    ("The outbreak may be linked to the water supply.", [("hedge", "may")], []),
    ("He may have left the country.", [("hedge", "may")], []),
    # existential "may" before a verb of composition or scope: not a hedge
    ("Fresh pasta may include eggs.", [], ["may"]),
    ("The kit may also contain a spare battery.", [], ["may"]),
    ("Symptoms may vary from patient to patient.", [], ["may"]),
    ("A degree course may be either undergraduate-entry or graduate-entry.", [], ["may"]),
    ("The rule may apply to the ticket.", [], ["may"]),
    ("The talks may include Iran, officials say.", [], ["may"]),
    # ... but not before other verbs
    ("The deal may collapse.", [("hedge", "may")], []),
    ("The figure may be higher.", [("hedge", "may")], []),
    ("Police could not find him.", [], ["could"]),
    ("The deal could collapse.", [("hedge", "could")], []),
    ("The talks lasted several years and many times stalled.", [], ["several", "many"]),
    ("Many say the talks stalled.", [("anonymous_source", "Many say")], []),
    ("The tribe filed land claims in court.", [], ["claims"]),
    ("He claims the vote was rigged.", [("distancing", "claims")], []),
    # "claim": the reporting verb and the evaluative noun distance; a claim that is a right,
    # a demand, a payment, a prize or a patent's scope does not
    ("She claimed to have seen the letter.", [("distancing", "claimed")], []),
    ("His claims that the vote was rigged were rejected.", [("distancing", "claims")], []),
    ("Claims of fraud spread online.", [("distancing", "Claims")], []),
    ("The claim that the dam burst is false.", [("distancing", "claim")], []),
    ("He claimed the seat was rigged.", [("distancing", "claimed")], []),
    ("He claimed victory, claiming without evidence that he won.", [("distancing", "claiming")], ["claimed"]),
    ("Insurance claims rose after the storm.", [], ["claims"]),
    ("Territorial claims over the islands clash.", [], ["claims"]),
    ("His claim to the throne was weak.", [], ["claim"]),
    ("A claims adjuster visited the house.", [], ["claims"]),
    ("The bank has a claim on the estate.", [], ["claim"]),
    ("She filed a claim for damages.", [], ["claim"]),
    ("They staked twelve claims near the river.", [], ["claims"]),
    ("China lays claim to the reef.", [], ["claim"]),
    ("Warbeck claimed the English throne in 1490.", [], ["claimed"]),
    ("Both candidates claimed victory.", [], ["claimed"]),
    ("She claimed the title at Wimbledon.", [], ["claimed"]),
    ("The party claimed 40 seats in the vote.", [], ["claimed"]),
    ("The firm claimed a tax refund from the state.", [], ["claimed"]),
    ("The patent application must include claims defining the invention.", [], ["claims"]),
    ("It is unknown whether the vote will happen.", [("hedge", "whether")], []),
    ("She is one of the most famous singers.", [("hedge", "one of the most")], []),
    ("The plan has been criticized as too weak.", [("anonymous_source", "has been criticized")], []),
    ("Western officials have long been skeptical.", [("anonymous_source", "Western officials")], ["officials have long"]),
    ("Ukrainian officials say the line held.", [("anonymous_source", "Ukrainian officials say")], []),
]


@pytest.mark.parametrize(("text", "expected", "forbidden"), CASES)
def test_matching_table(text, expected, forbidden):
    found = cues_of(text)
    pairs = {(k, t) for k, _, t in found}
    for item in expected:
        assert item in pairs, (text, found)
    terms = {t for _, _, t in found}
    for t in forbidden:
        assert t not in terms, (text, found)


# Word senses (lexicons hedges 1.3.0, distancing 1.3.0, anonymous_sources 1.2.0): the exact cues,
# in text order, as (kind, term).
SENSE_CASES = [
    # "May" the name or the month; the modal only sentence-initially before its subject
    ("May said on Tuesday that the talks may fail.", [("hedge", "may")]),
    ("May's government fell.", []),
    ("In May, the talks may resume.", [("hedge", "may")]),
    ("May I ask a question?", [("hedge", "May")]),
    # a rule's permission, but a forecast about the same people is a hedge
    ("Players may bid two to four points.", []),
    ("Guests may bring their own food.", []),
    ("No one may be a judge in his own case.", []),
    ("Players may face fines for the protest.", [("hedge", "may")]),
    # concession, purpose, frequency, idiom
    ("However angry voters may be, they turned out.", []),
    ("The numbers may be up, but wages are flat.", []),
    ("The session was called so that lawmakers may vote on the flag.", []),
    ("Patients may often be asymptomatic.", []),
    ("We may as well go home.", []),
    ("He might as well resign.", []),
    ("The funds may not be withdrawn before the age of 60.", []),
    ("The outbreak may have been linked to the water supply.", [("hedge", "may")]),
    ("He could no longer teach the class.", []),
    # quantities and definite reference are not weasels; "as many believe" is
    ("How many soldiers died is unclear.", [("hedge", "unclear")]),
    ("As many as 300 people fled.", []),
    ("One of the many museums he visited was closed.", []),
    ("Many more people fled.", []),
    ("As many believe, the vote was rigged.", [("anonymous_source", "many believe")]),
    ("Certain officials opposed the plan.", [("hedge", "Certain")]),
    ("She is certain the plan works.", []),
    # verbs and nouns in a sense that hedges nothing
    ("She believes in God.", []),
    ("She believes the vote was rigged.", [("hedge", "believes")]),
    ("He works at a think tank.", []),
    ("Voters think about the economy.", []),
    ("I think the deal is dead.", [("hedge", "think")]),
    ("The suspect fled the scene.", []),
    ("Two murder suspects were arrested.", []),
    ("Police suspect the fire was set.", [("hedge", "suspect")]),
    ("He will assume office in January.", []),
    ("They assume the deal will hold.", [("hedge", "assume")]),
    ("She suggested moving the meeting.", []),
    ("He came at the suggestion of Robert Gates.", []),
    ("The data suggest a link.", [("hedge", "suggest")]),
    ("The symbol is used to indicate the end of a proof.", []),
    ("Polls indicate that he leads.", [("hedge", "indicate")]),
    ("The ghost appeared to Chloe.", []),
    ("The ghost appeared to vanish.", [("hedge", "appeared to")]),
    ("Nurses tend to the wounded.", []),
    ("Prices tend to rise in winter.", [("hedge", "tend to")]),
    ("The board considered moving the game.", []),
    ("He is considered a leading expert.", [("hedge", "considered")]),
    ("The island was considered by the UK government as a site.", []),
    ("It is possible to reach the village by road.", []),
    ("It is possible that he left.", [("hedge", "It is possible that")]),
    ("Fees apply regardless of whether you win.", []),
    ("It is unclear whether he will run.", [("hedge", "unclear"), ("hedge", "whether")]),
    ("A poll of likely voters showed a tie.", []),
    ("He is likely to win.", [("hedge", "likely")]),
    ("Johnson, the heir apparent, spoke.", []),
    ("The statement read, in part, that the firm regrets it.", []),
    ("The drop was due in part to the weather.", [("hedge", "in part")]),
    ("It was a hotly contested primary.", []),
    ("The disputed claim was rejected.", [("distancing", "disputed"), ("distancing", "claim")]),
    # an unnamed group or an agentless passive, unless the source is named right after; a count
    ("How many people died is unclear.", [("hedge", "unclear")]),
    ("Scholars such as Alfred Einstein dated the work to 1780.", []),
    ("The art critics Roger Fry and Clive Bell championed him.", []),
    ("Experts say the bridge is safe.", [("anonymous_source", "Experts say")]),
    ("The report was criticised by François Polignac.", []),
    ("The report has been questioned.", [("anonymous_source", "has been questioned")]),
    ("It has been remarked that the dialect is Andalusian.", [("anonymous_source", "It has been remarked")]),
    ("It was reported by CNN that he left.", []),
    ('A bird with one copy is said to be "split" for that trait.', [("distancing", '"split"')]),
    ('He is said to have "used his wealth to enjoy a lavish life" abroad.', [("anonymous_source", "is said to")]),
    # Wikipedia's weasel shapes are anonymous sources (or hedges)
    ("Some people say the plan failed.", [("anonymous_source", "Some people")]),
    ("It is thought that the plan failed.", [("anonymous_source", "It is thought")]),
    ("It is widely considered the best plan.", [("anonymous_source", "widely considered")]),
    ("The plan is often regarded as a failure.", [("hedge", "regarded as")]),
    ("Critics of the plan say it failed.", [("anonymous_source", "Critics")]),
    ("Experts warn the plan will fail.", [("anonymous_source", "Experts warn")]),
]


@pytest.mark.parametrize(("text", "expected"), SENSE_CASES)
def test_word_senses_exact_cues(text, expected):
    assert [(k, t) for k, _, t in cues_of(text)] == expected


def test_plain_sentence_has_no_cues():
    assert cues_of("The dog ran home. The cat slept.") == []


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("Putin said defeat is “impossible”, but Russia was open to “dialogue”.", ["“impossible”", "“dialogue”"]),
        ("Putin tells Carlson defeat is 'impossible', but contact renewed.", ["'impossible'"]),
        ("He called it a \"special operation\" again.", ['"special operation"']),
    ],
)
def test_partial_quotes(text, fragments):
    found = cues_of(text)
    pq = [t for k, cat, t in found if cat == "partial_quote"]
    assert pq == fragments
    assert all(k == "distancing" for k, cat, _ in found if cat == "partial_quote")


@pytest.mark.parametrize(
    "text",
    [
        "“We are ready,” he said.",  # a full quote opening the sentence
        "He said: “Never.”",  # colon introduction
        "She hosts “Tucker Carlson Tonight” on weekdays.",  # a title
        "“This is a long quoted sentence with many words,” he said.",
        "It was “unbalanced and never closed",
    ],
)
def test_not_partial_quotes(text):
    assert [t for _, cat, t in cues_of(text) if cat == "partial_quote"] == []


def test_partial_quotes_counted_past_their_head():
    """_partial_quotes counts a quotation's words on its first _PARTIAL_QUOTE_HEAD characters first;
    a quotation with few words there is counted whole: the same as counting it whole at once."""
    from framing.measures.hedging import _PARTIAL_QUOTE_HEAD

    long_word = "x" * _PARTIAL_QUOTE_HEAD
    three_long = f"He called it “{long_word} {long_word} {long_word}” again."
    assert [t for _, cat, t in cues_of(three_long) if cat == "partial_quote"] == [f"“{long_word} {long_word} {long_word}”"]
    few_then_many = f"He called it “{'.' * _PARTIAL_QUOTE_HEAD} one two three four” again."
    assert [t for _, cat, t in cues_of(few_then_many) if cat == "partial_quote"] == []
    words_after = f"He called it “{'…' * _PARTIAL_QUOTE_HEAD}word” again."
    assert [t for _, cat, t in cues_of(words_after) if cat == "partial_quote"] == [f"“{'…' * _PARTIAL_QUOTE_HEAD}word”"]
    many_in_head = "He called it “a b c d” again."
    assert [t for _, cat, t in cues_of(many_in_head) if cat == "partial_quote"] == []


def test_in_quote_marks_speakers_hedges():
    docs, sents = _frames(["“It might work,” he said. It might not."])
    c = match_cues(docs, sents, lexicons=LEXICONS).filter(pl.col("term").str.to_lowercase().str.starts_with("might"))
    assert c["in_quote"].to_list() == [True, False]


def test_schema_and_sorting():
    docs, sents = _frames(["Officials said it may fail. It clearly will, reportedly.", "Nothing here."])
    c = match_cues(docs, sents, lexicons=LEXICONS)
    assert list(c.columns) == list(CUE_COLUMNS)
    assert c.sort(["doc_id", "start", "end", "kind", "lexicon_id"]).equals(c)
    assert c["lexicon_id"].str.contains(":").all()
    again = match_cues(docs, sents, lexicons=LEXICONS)
    assert c.equals(again)


def test_empty_frames():
    docs, sents = _frames([])
    assert match_cues(docs, sents, lexicons=LEXICONS).height == 0


def test_offsets_with_sentence_base_and_unicode():
    text = "Ünïcödé prefix — “quoted”. Then officials said it could — perhaps — fail."
    docs, sents = _frames([text])
    c = match_cues(docs, sents, lexicons=LEXICONS)
    assert c.height >= 3
    for s, e, t in c.select("start", "end", "term").iter_rows():
        assert text[s:e] == t


def test_user_lexicon_extends(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(
        '[lexicon]\nname = "mine"\nversion = "1"\nkind = "hedge"\nsource = "me"\nlicence = "CC0"\n'
        'matching = "whole words"\n[[entry]]\nterm = "kinda"\ncategory = "informal"\nnote = "A casual hedge."\n',
        encoding="utf-8",
    )
    lx = load_lexicons([p])
    docs, sents = _frames(["It kinda worked."])
    c = match_cues(docs, sents, lexicons=lx)
    assert ("hedge", "kinda", "mine:kinda") in c.select("kind", "term", "lexicon_id").rows()


def test_seed_acceptance(seed_corpus):
    from framing.text.sentences import segment

    docs = seed_corpus.documents
    english = docs.filter(pl.col("measured"))
    cues = match_cues(english, segment(english), lexicons=LEXICONS)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    for d, s, e, t in cues.select("doc_id", "start", "end", "term").iter_rows():
        assert texts[d][s:e] == t
    by_seed = cues.join(docs.select("doc_id", "source_path"), on="doc_id")
    def of(prefix):
        return by_seed.filter(pl.col("source_path").str.contains(prefix))
    assert of("003_").filter((pl.col("kind") == "distancing") & (pl.col("term") == "without evidence")).height == 1
    assert of("001_").filter((pl.col("kind") == "distancing") & (pl.col("term") == "without proof")).height == 1
    assert of("002_").filter(pl.col("kind") == "anonymous_source").height >= 5
    pq = of("000_").filter(pl.col("category") == "partial_quote")["term"].to_list()
    assert any("impossible" in t for t in pq) and "“dialogue”" in pq
    russian = docs.filter(pl.col("language") == "ru")["doc_id"]
    assert cues.filter(pl.col("doc_id").is_in(russian.implode())).height == 0
