"""Hedging, distancing, booster and anonymous-source cues, matched over the sentence column.

:func:`match_cues` turns the lexicons of kind ``hedge``, ``distancing``,
``booster`` and ``anonymous_source`` into rows of the ``cues`` frame
(:data:`framing.schema.CUES` plus ``in_quote``). Everything is a Polars
expression over the whole sentence column:

* One compiled pattern per lexicon (:meth:`Lexicon.polars_pattern`: forms
  escaped, on word boundaries, longest first). Polars has no extract with
  offsets, so each match is wrapped in a marker character absent from the
  texts (``str.replace_all(P, "\\x00$0\\x00")``) and the text split on it: the
  pieces alternate text between matches and matches, and their cumulative
  character lengths are the match ends. (When a text holds the marker, two
  scans instead: ``str.extract_all(P)`` gives the matched terms and
  ``str.extract_all("(?s).*?" + P)`` the stretches of text from the end of
  one match to the end of the next; both visit the same matches because the
  engine is leftmost-first in both.) A lexicon with ``{W}``
  forms is scanned as two cheaper patterns (:meth:`Lexicon.polars_pattern_groups`),
  the whole pattern only on the sentences where both match.
* Entry rules (``rule = "…"`` in a lexicon entry) separate the senses of a
  word by the few characters around the match. Each rule is a list of KEEP
  and DROP conditions (``_RULES``), each on the matched term, the end of
  the text before it and the start of the text after it; a cue is dropped
  when a DROP condition holds and no KEEP condition does. All conditions of
  all rules are compiled into one DROP and one KEEP pattern, run over the
  key ``rule \\x1f term \\x1f text before \\x1e text after`` of the cues
  that have a rule (one pattern per condition would overflow Polars' cache
  of compiled patterns and recompile them on every call).

  - ``modal_may``: "may" is the writer's doubt ("the talks may fail", "he
    may have left", "it may be linked to"), not: the month or the name
    ("in May", "May 5", "Theresa May", "May said"; a capitalised "May"
    counts only at the start of a sentence before its subject, "May I…",
    "May the talks…"); root "may" in the passive ("tickets may be
    purchased") and before a verb of composition or scope ("fresh pasta may
    include eggs" = some does); a rule's permission ("players may bid",
    "guests may bring food", "no one may be a judge in his own case", but
    "players may face fines" is a forecast and counts); how often ("patients
    may often be asymptomatic"); concession ("however angry they may be",
    "whatever may come", "indicators may be up, but …"); purpose ("so that
    they may vote"); the idiom "may as well".
  - ``modal_might``: "might" after "military", "economic", "the", "its" …
    is the noun (power); concession, purpose and "might as well" as above.
  - ``modal_could``: "could not", "could no longer", "could hardly" are
    mostly past inability ("police could not find him"), a fact.
  - ``claim_not_lives``: "claim" distances as the reporting verb ("X
    claims that", "claims to", "claimed without evidence", "claiming …")
    and as the evaluative noun of reported speech ("his claims that",
    "claims of fraud", "the claim that"). It does not when to claim is to
    take, win or demand: "claimed (tens of thousands of) lives",
    "claimed responsibility"; a prize, title, seat or payment as object
    ("claimed victory", "claimed the English throne", "claimed a tax
    refund"; only determiners, possessives and a few adjectives between,
    and the noun must end the clause or take a preposition, so "claimed
    the seat was rigged" stays distancing); a claim that is a right, a
    demand or a legal/financial title ("land claims", "insurance claims",
    "victory claims", "his claim to the throne", "a claim to 3.5 million
    km2", "claims on the territory", "a claim for damages", "claims
    adjuster", "filed a claim", "staked twelve claims", "lay claim to");
    and a patent's claims ("US Patent 3,448,302 claiming the first method").
  - ``vague_not_measure``: "some", "many", "several" before a unit of time
    or a number ("some time", "many years", "several hundred"), after a
    determiner that points back ("the many museums", "its several
    branches") or in a quantity ("how many", "so many", "as many as", "many
    more") measure but do not hide who: not a weasel ("as many believe" is).
  - ``certain_as_determiner``: "certain" counts (as a vague quantifier) only
    before a plural or "of": "certain scholars", "in certain cases".
  - Word senses that are not hedges: ``believe_not_faith`` ("believe in
    God", "belief in markets"), ``think_not_contemplate`` ("think about",
    "think of", "think tank"), ``suspect_not_person`` ("the suspect fled",
    "murder suspect"), ``assume_not_take_on`` ("assumed office / command /
    the risk"), ``suggest_not_propose`` ("suggested moving", "at the
    suggestion of"), ``indicate_not_denote`` ("is used to indicate an
    end"), ``appear_not_manifest`` ("appeared to Chloe"), ``tend_not_care``
    ("tend to the ill"), ``considered_not_deliberate`` ("the board
    considered moving"; "considered by the UK government" names who),
    ``possible_not_feasible`` ("it is possible to get there by road"),
    ``whether_not_condition`` ("regardless of whether", "depends on
    whether"), ``likely_not_category`` ("likely voters"),
    ``apparent_not_technical`` ("heir apparent", "apparent magnitude"),
    ``in_part_not_quoting`` ("the statement read, in part, …"),
    ``disputed_not_contest`` ("a contested election", "the disputed
    territory").
  - ``group_not_source``, ``agentless_not_named``: an unnamed group or an
    agentless passive is not anonymous when the source is named right after
    ("scholars such as Alfred Einstein", "the art critics Roger Fry and
    Clive Bell", "was criticised by François Polignac", "it was reported by
    ABS-CBN"); "how many people", "too many people" count, they do not
    attribute; "X is said to be 'split'" defines a term.

* Negation: a hedge stays a hedge when negated ("not likely", "unlikely").
  A booster with a negator up to two words before it ("not necessarily",
  "isn't clearly", "not always") flips to a ``hedge`` of category
  ``negated_booster`` whose span starts at the negator. "No doubt", "without
  a doubt" are booster entries; a cue lying inside a longer cue of another
  lexicon is dropped, so the hedge "doubt" inside "no doubt" (and the hedge
  "believe" inside "officials believe") is not counted twice.
* Partial quotes: a quotation of one to three words inside the reporter's
  own sentence ('impossible', “dialogue”) is a ``distancing`` cue of category
  ``partial_quote``; the term includes the quotation marks. Not a partial
  quote: a quotation that opens its sentence (that is reported speech), one
  introduced by a colon, one whose words are all capitalised (a title,
  "“Tucker Carlson Network”"), one spanning sentences.
* ``in_quote`` is true when the cue lies inside quoted speech
  (:func:`framing.text.quotes.quote_spans`): then the hedge is the speaker's,
  not the reporter's. The cue is kept (it is in the text) and the metrics
  report the share of such cues separately.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import polars as pl

from framing import schema
from framing.errors import LexiconError
from framing.lexicons import Lexicon, LexiconSet
from framing.measures import QUERY_ENGINE

MATCHED_KINDS = ("hedge", "distancing", "booster", "anonymous_source")
PARTIAL_QUOTE_MAX_WORDS = 3
# characters at the start of a quotation in which _partial_quotes first counts its words (four
# words fit in seven characters; a quotation with few words there is counted whole)
_PARTIAL_QUOTE_HEAD = 48

CUE_COLUMNS = {**schema.CUES, "in_quote": (pl.Boolean, "cue inside quoted speech: the speaker's words, not the reporter's")}

_WORD = r"[^\W_]+(?:['’][^\W_]+)*"
_NEGATOR = r"(?i)((?:\b\w*n['’]t|\bnot|\bnever|\bhardly|\bscarcely|\bno\s+longer)\s+(?:[\w’'-]+\s+)?)$"
_QUOTE_MARKS = "\"'“”‘’«»„"

# ---- entry rules -------------------------------------------------------------
# A rule (``rule = "…"`` in a lexicon entry) is a list of context conditions in _RULES below. Each
# condition is a ``_When(term, pre, post)`` of regex bodies, all case-insensitive unless written
# ``(?-i:…)``: ``term`` must match the whole matched text, ``pre`` the end of the sentence text
# before it (a ``pre`` starting with ``^`` must match all of it; a ``^`` anywhere else in a ``pre``
# never matches), ``post`` the start of the 80 characters after it; None is anything.
# A cue is dropped when a DROP condition of its entry's rule holds and no KEEP condition does.

_MIGHT_NOUN = (
    r"\b(?:military|economic|naval|air|nuclear|industrial|financial|political|its|their|his|her|our|"
    r"your|the|with|all|of|american|russian|chinese|soviet|western|full|sheer|great)\s+"
)
_CLAIM_NOT = r"(?:\s+[\w’'-]+){0,5}?\s+(?:lives|life|responsibility|credit)\b"
# "claim" as a right or a demand (land, insurance, a claim to the throne), not an assertion
_CLAIM_RIGHT_PRE = (
    r"\b(?:land|territorial|insurance|antitrust|mining|legal|patent|damages?|compensation|property|border|"
    r"sovereignty|maritime|title|tax|benefits?|jobless|unemployment|pension|staked?|conflicting|rival|competing|"
    r"injury|warranty|asylum|disability|welfare|expenses?|mineral|habeas|refund|victory|kill)\s+"
)
# ... "staked (twelve) claims", "lay claim to", and the claims of a patent ("a patent application
# must include one or more claims", "US Patent 3,448,302 claiming the first method")
_CLAIM_RIGHT_NEAR = (
    r"(?:\bpatent(?:s|ed)?(?:\s+[^\s.;:!?]+){0,5}|\b(?:stake[sd]?|staking|lay|lays|laid|laying|files?|filed|filing)(?:\s+[\w-]+)?)\s+"
)
# a claim for something (damages, compensation), to an amount ("a claim to nearly 3.5 million
# km2"), "the claims thereto", and the compound nouns of insurance and law ("claims adjuster")
_CLAIM_RIGHT_POST = (
    r"\s+(?:on|over|upon|for|thereto|to\s+the\s+(?:throne|title|crown|land|territory|region|island|islands)|"
    r"to\s+(?:(?:nearly|about|some|over|almost|around|more\s+than)\s+)?[\d$£€]|"
    r"(?:adjusters?|processing|court|handlers?|office|forms?|department|tribunal|commission|settlements?|payouts?)\b)"
)
# "claimed (the English) throne / (a dubious) victory / a tax refund": to claim a prize, title,
# seat or payment is to take it, not to assert something. Only determiners, possessives and a
# few adjectives may come between, and the noun must end the clause or take a preposition, so
# "claimed the seat was rigged" (an elided "that") stays distancing.
_CLAIM_PRIZE = (
    r"\s+(?:(?:a|an|the|his|her|their|its|our|[\w-]+['’]s|english|french|dubious|disputed|outright|"
    r"narrow|early|overall|tax|\d[\d,]*)\s+){0,3}(?:victory|victories|win|throne|crown|title|titles|seat|seats|"
    r"medals?|prizes?|championships?|trophy|jackpot|refunds?|inheritance)"
    r"(?:\s*(?:[.,;:!?)]|$)|\s+(?:in|at|from|for|of|with|after|by|and|on|over|as|before|despite|when|while)\b)"
)
# "could not", "could no longer", "could hardly": mostly past inability, a fact
_COULD_NOT = r"\s+(?:not|no\s+longer|hardly|barely|scarcely)\b"
# "may (also) be" + a past participle: the passive of root (dynamic or deontic) may,
# "tickets may be purchased", "the word may also be used", "parole may be granted".
_MAY_ROOT_PASSIVE = (
    r"\s+(?:also\s+)?be\s+(?:[a-z]+ed|used|seen|found|made|given|taken|known|done|shown|held|built|written|"
    r"sold|sent|worn|drawn|grown|chosen|kept|paid|put|set|cut|read|brought|bought|taught|caught|met|won|left|"
    r"heard|told|spoken|broken|eaten|driven|ridden|thrown|hidden|forgiven|forbidden|undertaken|withdrawn|"
    r"overthrown|blown|flown|sewn|sown|torn|born|borne|sworn|forgotten|frozen|stolen|woven|beaten|bitten|"
    r"mistaken|overtaken|understood|lost|lent|dealt|felt|meant|bound|fought|sought|led|fed|spread|shed|shut|"
    r"hit|hurt|let|split|struck|stuck|hung|spun|begun|run|done|overcome|upheld|withheld|rebuilt|rewritten|"
    r"overseen|laid|spent|shot|lit)\b"
)
# ... but "may be linked to", "may be caused by" are epistemic (a possible explanation): kept
_MAY_EPISTEMIC_PASSIVE = (
    r"\s+(?:also\s+)?be\s+(?:related|linked|associated|connected|caused|responsible|derived|involved|"
    r"influenced|descended|named|inspired|intended|based|explained)\b"
)
# "may" before a verb of composition or scope ("may include", "may consist of", "may range",
# "may vary", "may apply", "may be either … or …") lists what members of a kind can be or
# contain (existential "may" = "some X do / sometimes"), not the writer's doubt.
_MAY_SCOPE = r"\s+(?:also\s+)?(?:include|consist|contain|comprise|range|vary|apply|be\s+either|either\s+be)\b"
# ... and so does "may" with an adverb of frequency: "patients may often be asymptomatic"
_MAY_HABITUAL = (
    r"\s+(?:not\s+)?(?:often|sometimes|usually|typically|always|occasionally|frequently|normally|commonly|generally)\b"
)
# "may" of a rule's permission ("players may bid", "guests may bring food", "no one may be a judge
# in his own case"): the subject is a participant role at the start of its sentence or clause (or
# after a determiner); a verb of what befalls the subject ("players may face fines") is a forecast: kept
_SENTENCE_START = r"^[\s\"'“‘(\[«—–-]*"  # a ``pre`` that is all of the text before the cue
_ROLE = (
    r"(?:players?|guests?|users?|members?|athletes?|competitors?|contestants?|participants?|applicants?|"
    r"visitors?|passengers?|subscribers?|scouts?|batsm[ae]n|bowlers?|partners?)"
)
_PERMISSION_TAIL = r"\s+(?:also\s+|then\s+|only\s+|not\s+)?"
_MAY_PERMISSION_SUBJECT = (
    rf"(?:[,;:(\"“]\s*|\b(?:the|a|an|each|any|every|all|new|both|other)\s+){_ROLE}{_PERMISSION_TAIL}|"
    rf"\banyone{_PERMISSION_TAIL}"
)
_MAY_NO_ONE = r"\b(?:no\s+one|nobody)\s+(?:also\s+|then\s+|only\s+)?"  # "no one may": a prohibition
_MAY_PERMISSION_START = _SENTENCE_START + _ROLE + _PERMISSION_TAIL
_MAY_UNDERGOER = (
    r"\s+(?:not\s+)?(?:be|have|face|lose|miss|need|suffer|get|feel|find|see|become|experience|receive|fail|struggle)\b"
)
# a capitalised "May" is the modal only at the start of a sentence and before its subject ("May I
# ...", "May the talks ..."); "in May", "May 5", "Theresa May", "May said", "May's" are not
_MAY_MODAL_SUBJECT = r"\s+(?:i|we|you|he|she|it|they|the|this|that|these|those|there|a|an|all|our|your|his|her|their|its|my|god)\b"
_FOLLOWED_BY_NUMBER = r"\s*,?\s*\d"
# "may" / "might" that concede or state a purpose, not a doubt: "however angry they may be",
# "whatever may come", "no matter how powerful they may be", "X may be up, but ...", "so that they
# may vote", "that we may serve"; and the idiom "may as well" (= had better)
_MODAL_CONCESSIVE_PRE = (
    r"(?:\bno\s+matter\s+(?:how|what|who|where|when|whether)|\b(?:whatever|whoever|whichever|wherever|whenever)|"
    r"\bhowever\s+(?:much|many|long|far|hard|good|bad|big|small|great|strong|weak|large|high|low|angry|"
    r"[a-z]+(?:ly|ed|ous|ful|ive|ble|al|ic|ent|ant)))\b[^.;:!?,]{0,60}"
)
_MODAL_CONCESSIVE_BUT = r"[^.;:!?,]{0,60},\s+but\b"
_PURPOSE_THAT = r"that\s+(?:we|they|you|all|he|she|i|it)\s+"
_MODAL_PURPOSE = rf"\b(?:so|in\s+order)\s+that\b[^.;:!?]{{0,60}}|[,;:]\s*{_PURPOSE_THAT}"
_MODAL_PURPOSE_START = _SENTENCE_START + _PURPOSE_THAT
_MODAL_AS_WELL = r"\s+(?:just\s+)?as\s+well\b"
# a vague quantifier of time or of a number is not a weasel: "some time", "many years", "several hundred"
_MEASURE_AFTER = (
    r"\s+(?:more\s+)?(?:time|times|years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|"
    r"seasons?|generations?|hundreds?|thousands?|millions?|billions?|dozens?|\d)\b"
)
# ... nor one that points back to known things ("the many museums", "its several branches"),
# nor a quantity ("how many", "so many", "as many as", "many more"; but "as many believe" is a weasel)
_QUANTIFIER_DEFINITE = r"\b(?:the|its|his|her|their|these|those|our|your|my|whose)\s+"
_MANY_DEGREE = r"\b(?:how|so|too)\s+"
# "certain" as a determiner before a plural ("certain scholars", "in certain cases", "certain of
# them"), not the adjective of certainty ("she is certain", "almost certain")
_CERTAIN_PLURAL = r"\s+(?:of\s+(?:the|them|these|those|his|her|their|its)\b|[a-z][a-z-]+[a-rt-z]s\b)"
# "believe in" / "belief in" (faith, trust, support) takes no statement to hedge
_BELIEVE_IN = (
    r"\s+(?:(?:very\s+much|so\s+much|strongly|firmly|deeply|truly|really|sincerely|fervently|passionately|"
    r"genuinely|still|also)\s+)?in\b"
)
# "think about / of / twice / through", "think tank": to consider, or a compound noun, not an opinion
_THINK_NOT = r"\s+(?:about|of|tanks?|twice|through|ahead|back|outside|alike)\b"
# "suspect" the noun (a person suspected of a crime): "the suspect fled", "two suspects", "murder suspect"
_SUSPECT_NOUN = (
    r"(?:\b(?:the|a|an|two|three|four|five|six|seven|eight|nine|ten|several|some|any|no|every|each|all|both|"
    r"other|another|these|those|his|her|their|its|our|main|prime|key|lone|sole|only|chief|usual|unarmed|armed|"
    r"compliant|male|female|potential|possible|alleged|murder|terror|terrorism|terrorist|criminal|crime|shooting|"
    r"robbery|bombing|fellow|[\w-]+['’]s)\s+|-)"
)
# "assume" = to take on: "assumed command", "assume office", "assume the presidency", "assume the risk"
_ASSUME_TAKE_ON = (
    r"\s+(?:(?:the|a|an|his|her|their|its|full|sole|overall|direct|personal|temporary|interim|joint)\s+)*"
    r"(?:command|power|powers|office|control|responsibility|responsibilities|role|presidency|throne|crown|title|"
    r"leadership|duties|duty|post|chairmanship|mantle|charge|ownership|guise|debts?|liabilit(?:y|ies)|risks?|"
    r"authority|management|custody|jurisdiction)\b"
)
# "whether" in a condition or a range of cases ("regardless of whether", "depends on whether",
# "(whether by police or others)") leaves nothing in doubt
_WHETHER_CONDITION = r"(?:\b(?:regardless|irrespective|independent(?:ly)?)\s+of|\bdepend(?:s|ed|ing|ent)?\s+(?:up)?on|\()\s*"
# "appear to" + a person or a name: to show oneself to someone ("the ghost appeared to Chloe")
_TO_SOMEONE = r"\s+(?:(?:the|a|an|him|her|them|me|us|you|his|their|its|my|our|everyone|anyone)\b|(?-i:\p{Lu}))"
# "tend to the ill", "tends to his garden": to care for
_TEND_CARE = r"\s+(?:the|a|an|his|her|their|its|our|your|my|this|that|these|those)\s"
# active "considered" + a gerund or a plan: to think about doing ("the board considered moving"),
# unless passive ("is considered promising")
_CONSIDERED_DELIBERATE = r"\s+(?:[a-z]+ing\b|the\s+(?:idea|option|proposal|request|plan|bill|motion|offer|matter)\b)"
_PASSIVE_BEFORE = r"\b(?:is|are|was|were|be|been|being|not|widely|generally|often|usually|commonly|sometimes|also|still|now)\s+"
# "X is said to be 'split'", "... is said to have 'pinned'": a one- or two-word term being defined,
# not hearsay (a longer quotation after "is said to have" is the report's words: kept)
_SAID_TERM = "\\s+(?:be\\s+|have\\s+)?[\"'`‘“]\\s?[\\w-]+(?:\\s[\\w-]+)?\\s?[\"'’”]"
# "a contested election", "the disputed territory": a contest, or rival claims to land, not a claim in doubt
_CONTESTED_OBJECT = (
    r"\s+(?:(?:presidential|democratic|republican|general|primary|local|state|national|parliamentary|senate|"
    r"house|congressional|mayoral|gubernatorial|\d{4})\s+)*(?:elections?|primar(?:y|ies)|races?|seats?|"
    r"territor(?:y|ies)|regions?|borders?|islands?|waters|lands?|districts?|zones?|provinces?|enclaves?|"
    r"boundar(?:y|ies))\b"
)

# an unnamed group that is then named ("scholars such as Alfred Einstein", "the art critics Roger
# Fry and Clive Bell", "experts (Dr. Fauci ...)"),
# and an agentless passive whose agent follows ("was criticised by François Polignac", "it was
# reported by ABS-CBN"): the source is given
_NAMED_AFTER = r"\s*,?\s+(?:such\s+as|like|including|notably|namely|among\s+them)\s+(?-i:\p{Lu})|\s*\(\s*(?-i:\p{Lu})"
# ... or a bare group noun followed by the names ("the art critics Roger Fry and Clive Bell")
_GROUP_NOUN = r"[^\x1f]*\b(?:critics|experts|scholars|historians|observers|commentators|analysts|officials|detractors)"
_NAME = r"\s+(?-i:\p{Lu}[\w.’'-]*\s+\p{Lu})"
_BY_NAME = r"\s+by\s+(?:the\s+)?(?-i:\p{Lu})"
# "the statement read, in part, ..." quotes part of a text: not a hedge
_QUOTING_VERB = r"\b(?:read|reads|said|says|stated|states|wrote|writes|reported|reports|added|noted|declared|continued|quoted|quoting)\s*,?\s*"
# "indicate" = to show or stand for: "is used to indicate an end", "(indicating air in the cavity)", "as indicated in"
_INDICATE_DENOTE = r"(?:\b(?:used|use|uses|using|serves?|served|meant|intended|designed)\s+to\s+|\(\s*)"
# "apparent" as a technical or fixed term: "heir apparent", "apparent magnitude", "apparent wind"
_APPARENT_TECHNICAL = (
    r"\s+(?:magnitudes?|brightness|size|diameter|motion|position|horizon|wind|power|temperature|dip|retrograde|"
    r"solar|sidereal|luminosity)\b"
)
# "likely voters", "likely Republican voters": a polling category, not a judgement of probability
_LIKELY_CATEGORY = (
    r"\s+(?:(?:republican|democratic|democrat|gop|caucus|primary|general[- ]election)\s+)?(?:voters?|caucus-?goers)\b"
)
# "suggest" = to propose: "Menon suggested requiring ...", "at the suggestion of Robert Gates",
# "the president's suggestion to repeal", "the suggestion of raising taxes" (rules below; "suggested
# something" and "suggested during" are not gerunds)


class _When(NamedTuple):
    term: str | None = None
    pre: str | None = None
    post: str | None = None


_MODAL_NOT_DOUBT = [
    _When(pre=_MODAL_CONCESSIVE_PRE),
    _When(post=_MODAL_CONCESSIVE_BUT),
    _When(pre=_MODAL_PURPOSE),
    _When(pre=_MODAL_PURPOSE_START),
    _When(post=_MODAL_AS_WELL),
]
# rule -> (KEEP conditions, DROP conditions)
_RULES: dict[str, tuple[list[_When], list[_When]]] = {
    "modal_may": (
        [
            _When(post=_MAY_EPISTEMIC_PASSIVE),
            _When(term=r"(?-i:May)(?:\s[^\x1f]*)?", pre=_SENTENCE_START, post=_MAY_MODAL_SUBJECT),
            _When(pre=_MAY_PERMISSION_SUBJECT, post=_MAY_UNDERGOER),
            _When(pre=_MAY_PERMISSION_START, post=_MAY_UNDERGOER),
        ],
        [
            _When(post=_FOLLOWED_BY_NUMBER),
            _When(term=r"(?-i:\p{Lu})[^\x1f]*"),
            _When(post=_MAY_ROOT_PASSIVE),
            _When(post=_MAY_SCOPE),
            _When(post=_MAY_HABITUAL),
            _When(pre=_MAY_PERMISSION_SUBJECT),
            _When(pre=_MAY_PERMISSION_START),
            _When(pre=_MAY_NO_ONE),
            *_MODAL_NOT_DOUBT,
        ],
    ),
    "modal_might": ([], [_When(pre=_MIGHT_NOUN), *_MODAL_NOT_DOUBT]),
    "modal_could": ([], [_When(post=_COULD_NOT)]),
    "claim_not_lives": (
        [],
        [
            _When(post=_CLAIM_NOT),
            _When(pre=_CLAIM_RIGHT_PRE),
            _When(pre=_CLAIM_RIGHT_NEAR),
            _When(post=_CLAIM_RIGHT_POST),
            _When(post=_CLAIM_PRIZE),
        ],
    ),
    "vague_not_measure": (
        [],
        [
            _When(post=_MEASURE_AFTER),
            _When(pre=_QUANTIFIER_DEFINITE),
            _When(term="many|several", pre=_MANY_DEGREE),
            _When(term="many", pre=r"\bas\s+", post=r"\s+as\b"),
            _When(term="many|several", post=r"\s+more\b"),
        ],
    ),
    "certain_as_determiner": ([_When(post=_CERTAIN_PLURAL)], [_When()]),
    "believe_not_faith": ([], [_When(post=_BELIEVE_IN)]),
    "think_not_contemplate": ([], [_When(term="thinks?", post=_THINK_NOT)]),
    "suspect_not_person": ([], [_When(term="suspects?", pre=_SUSPECT_NOUN)]),
    "assume_not_take_on": ([], [_When(post=_ASSUME_TAKE_ON)]),
    "whether_not_condition": ([], [_When(pre=_WHETHER_CONDITION)]),
    "possible_not_feasible": ([], [_When(term=r"[^\x1f]*possible", post=r"\s+to\b")]),
    "appear_not_manifest": ([], [_When(term=r"[^\x1f]*\sto", post=_TO_SOMEONE)]),
    "tend_not_care": ([], [_When(post=_TEND_CARE)]),
    "considered_not_deliberate": (
        [_When(term="considered", pre=_PASSIVE_BEFORE, post=_CONSIDERED_DELIBERATE)],
        [_When(term="considered", post=_CONSIDERED_DELIBERATE), _When(term="considered", post=_BY_NAME)],
    ),
    "agentless_not_named": (
        [],
        [_When(term=r"[^\x1f]*said\s+to", post=_SAID_TERM), _When(post=_BY_NAME), _When(post=_NAMED_AFTER)],
    ),
    "group_not_source": (
        [],
        [
            _When(post=_NAMED_AFTER),
            _When(term=_GROUP_NOUN, post=_NAME),
            _When(post=_BY_NAME),
            _When(term=r"many\s+people", pre=_MANY_DEGREE),
        ],
    ),
    "in_part_not_quoting": ([], [_When(term="in\\s+part", pre=_QUOTING_VERB)]),
    "indicate_not_denote": ([], [_When(pre=_INDICATE_DENOTE), _When(term="indicated", pre=r"\bas\s+")]),
    "apparent_not_technical": (
        [],
        [_When(term="apparent", pre=r"\bheirs?\s+"), _When(term="apparent", post=_APPARENT_TECHNICAL)],
    ),
    "likely_not_category": ([], [_When(term="likely", post=_LIKELY_CATEGORY)]),
    "suggest_not_propose": (
        [_When(post=r"\s+(?:(?:some|no|any|every)thing|during|morning|evening|bring|king|thing|spring|string|ring|wing)\b")],
        [
            _When(term="suggest|suggests|suggested", post=r"\s+[a-z]{2,}ing\b"),
            _When(term="suggestions?", post=r"\s+(?:to\s+(?-i:[a-z])[a-z]*|of\s+[a-z]+ing)\b"),
            _When(term="suggestion", pre=r"\bat\s+(?:the|his|her|their|its|[\w-]+['’]s)\s+", post=r"\s+of\b"),
        ],
    ),
    "disputed_not_contest": ([], [_When(term="contested|disputed", post=_CONTESTED_OBJECT)]),
}
RULES = tuple(_RULES)
_PRE_CONTEXT = 120  # characters before a cue that rules and negation see (all reach back far less)


# character classes of the conditions that case folding leaves as they are (a word character
# is one in every case; the tests check each code point): written ``(?-i:…)`` in the rule
# patterns they match the same, and Rust's regex compiler does not fold their Unicode ranges
# (~2 ms less to compile the DROP pattern in every process)
_CASELESS_CLASSES = (r"[\w’'-]", r"[\w-]")


def _rules_pattern(which: int, rules: tuple[str, ...]) -> str:
    """One regex over the KEEP (``which=0``) or DROP (1) conditions of ``rules`` (names in _RULES).

    It runs on the key ``rule \x1f term \x1f last _PRE_CONTEXT characters before \x1e after``
    (:func:`_rule_key`); each condition is one alternative starting with its rule's name, so a
    single compiled pattern serves several rules. Word boundaries are ASCII (``(?-u:\b)``) as in
    the lexicon patterns; ``(?-i:…)`` around the classes of _CASELESS_CLASSES. "" when the rules
    have no such condition.
    """
    alts = []
    for rule in rules:
        for w in _RULES[rule][which]:
            term = w.term if w.term is not None else r"[^\x1f]*"
            if w.pre is None:
                pre = r"[^\x1e]*"
            elif w.pre.startswith("^"):
                pre = f"(?:{w.pre[1:]})"
            else:
                pre = rf"[^\x1e]*?(?:{w.pre})"
            post = "" if w.post is None else f"(?:{w.post})"
            alts.append(rf"{rule}\x1f(?:{term})\x1f{pre}\x1e{post}")
    if not alts:
        return ""
    pattern = ("(?i)^(?:" + "|".join(alts) + ")").replace(r"\b", r"(?-u:\b)")
    for cls in _CASELESS_CLASSES:
        pattern = pattern.replace(cls, f"(?-i:{cls})")
    return pattern


# the DROP conditions are split into a pattern of modal_may's alone (the rule with the most
# conditions, and the {0,60} repeats of the concessive and purpose clauses) and one of all
# other rules: a key of another rule fails the first pattern at its first characters. Each
# pattern is much smaller than one over all rules, and Rust's lazy DFA, which builds its states
# while it scans, runs them together in ~2/3 of the time over the keys of a batch (one pattern:
# ~8.5 ms per 200 AllSides articles, two: ~5.5) and compiles them faster. The KEEP conditions
# (few) stay one pattern.
_OWN_DROP_PATTERN = ("modal_may",)
_KEEP_PATTERN = _rules_pattern(0, tuple(_RULES))
_DROP_PATTERNS = tuple(
    p
    for p in (_rules_pattern(1, _OWN_DROP_PATTERN), _rules_pattern(1, tuple(r for r in _RULES if r not in _OWN_DROP_PATTERN)))
    if p
)


def _rule_key(separators: bool) -> pl.Expr:
    """The text a rule sees: its name, the matched term, the context before and after.

    ``separators``: some text may hold the key's separators ``\x1e``/``\x1f``; they are then
    replaced by spaces in the term and the contexts (one character for one, so offsets stay).
    """
    def clean(e: pl.Expr) -> pl.Expr:
        if not separators:
            return e
        return e.str.replace_all("\x1e", " ", literal=True).str.replace_all("\x1f", " ", literal=True)

    return pl.concat_str(
        [
            pl.col("rule"),
            pl.lit("\x1f"),
            clean(pl.col("term")),
            pl.lit("\x1f"),
            clean(pl.col("_pre")),
            pl.lit("\x1e"),
            clean(pl.col("_post")),
        ]
    )


def _key(expr: pl.Expr) -> pl.Expr:
    """Normalised lookup key of a matched term: lower case, one space, straight apostrophe."""
    return expr.str.to_lowercase().str.replace_all(r"\s+", " ").str.replace_all("’", "'")


def _form_key(form: str) -> str:
    return re.sub(r"\s+", " ", form).lower().replace("’", "'")


def _empty_cues() -> pl.DataFrame:
    return schema.empty(CUE_COLUMNS)


_SPAN_SCHEMA = {"_row": pl.Int64, "off_start": pl.Int64, "off_end": pl.Int64, "term": pl.String}


def find_spans(texts: pl.Series, pattern: str, groups: tuple[str, ...] = ()) -> pl.DataFrame:
    """Every non-overlapping match of ``pattern`` in ``texts``.

    Returns ``_row`` (index into ``texts``), ``off_start``, ``off_end``
    (character offsets in that string) and ``term``, by ``_row`` and
    ``off_start``. Whole-column scans, no Python loop: a yes/no scan, then one
    ``replace_all`` on the texts that match (:func:`_matches`).

    ``groups`` (optional) split ``pattern``'s alternatives into patterns that
    are cheaper to scan (:meth:`Lexicon.polars_pattern_groups`): a text where
    only one group matches is scanned with that group alone, which finds the
    same matches since no other alternative matches anywhere in that text;
    a text where several match is scanned with ``pattern``.
    """
    if not pattern or texts.len() == 0:
        return pl.DataFrame(schema=_SPAN_SCHEMA)
    hits = _hits("_h", pattern, groups)
    frame = pl.DataFrame({"_t": texts}).select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
        "_t",
        *(pl.col("_t").str.contains(p).alias(name) for name, p in hits),
    )
    names = [name for name, _ in hits]
    (overlap,), marked, _ = _batch_facts(frame, [names])
    plan = _matches(frame.lazy(), pattern, groups, names, marked, overlap)
    return plan.select(*_SPAN_SCHEMA).sort("_row", "off_start").collect(engine=QUERY_ENGINE)


def _hits(prefix: str, pattern: str, groups: tuple[str, ...]) -> list[tuple[str, str]]:
    """(column name, pattern) of the yes/no scans that pick the texts to extract from: one per
    group when there are several, else the whole pattern."""
    return [(f"{prefix}{k}", p) for k, p in enumerate(groups if len(groups) > 1 else (pattern,))]


def _several(hits: list[list[str]]) -> list[pl.Expr]:
    """For each list of more than one yes/no column: does a text match more than one of them?"""
    return [
        (pl.sum_horizontal(*(pl.col(c) for c in names)) > 1).any().alias(f"_o{k}")
        for k, names in enumerate(n for n in hits if len(n) > 1)
    ]


_SEPARATORS = "[\x1e\x1f]"  # the separators of the rule key (_rule_key)


def _batch_facts(frame: pl.DataFrame, hits: list[list[str]]) -> tuple[list[bool], bool, bool]:
    """Three facts about the texts ``frame["_t"]`` that shape the next query, in one query (each
    costs a fixed ~0.2-0.5 ms on its own):

    * for each list of yes/no columns of ``frame`` in ``hits``: does a text match more than one
      of them (then the whole pattern must scan it, :func:`_matches`)?
    * marked: no text holds ``_MARK``, so matches can be found by one marking ``replace_all``
      (:func:`_spans_of`);
    * whether some text holds a separator of the rule key (``_SEPARATORS``, :func:`_apply_rules`).
    """
    row = frame.select(
        *_several(hits),
        pl.col("_t").str.contains(_MARK, literal=True).any().alias("_mark"),
        pl.col("_t").str.contains(_SEPARATORS).any().alias("_sep"),
    ).row(0)
    found = iter(row[:-2])
    return [len(names) > 1 and next(found) for names in hits], not row[-2], row[-1]


def _matches(
    frame: pl.LazyFrame, pattern: str, groups: tuple[str, ...], hits: list[str], marked: bool, overlap: bool
) -> pl.LazyFrame:
    """``_row``, ``term``, ``off_end``, ``off_start`` of the matches of ``pattern`` in ``frame["_t"]``.

    ``hits`` name ``frame``'s yes/no columns of :func:`_hits`: most texts hold no match and
    are not scanned again. ``overlap`` (:func:`_batch_facts`): some text matches several groups;
    if none does, the whole pattern is left out of the query (Polars would compile it even
    for no rows). Lazy, so that the scans of several lexicons run in one query.
    """
    if len(groups) > 1:
        n_hits = pl.sum_horizontal(*(pl.col(c) for c in hits))
        todo = [(frame.filter(pl.col(c) & (n_hits == 1)), g) for c, g in zip(hits, groups)]
        if overlap:
            todo.append((frame.filter(n_hits > 1), pattern))
    else:
        todo = [(frame.filter(pl.col(hits[0])), pattern)]
    return pl.concat([_spans_of(part, p, marked) for part, p in todo]).with_columns(
        (pl.col("off_end") - pl.col("term").str.len_chars().cast(pl.Int64)).alias("off_start")
    )


_MARK = "\x00"


def _spans_of(part: pl.LazyFrame, pattern: str, marked: bool) -> pl.LazyFrame:
    """``_row``, ``term`` and ``off_end`` of every match of ``pattern`` in ``part["_t"]``.

    With ``marked`` (no text holds ``_MARK``): ``replace_all`` wraps each match in
    ``_MARK`` and the split alternates the text between matches (even pieces)
    and the matches (odd pieces); a match ends where the cumulative length of
    the pieces up to it ends. Otherwise two scans: ``extract_all`` of the matches
    and of ``(?s).*?`` + pattern, the text up to each match's end. Both visit the
    same leftmost-first matches.
    """
    if marked:
        # one row per piece, without per-list work: a piece's end is the running length of all
        # pieces so far less the lengths of the texts before its own (the pieces of a text add
        # up to it); the matches are the odd pieces counted from the text's first one
        pieces = part.select(
            "_row",
            pl.col("_t").str.replace_all(pattern, f"{_MARK}${{0}}{_MARK}").str.split(_MARK).alias("_p"),
            pl.col("_t").str.len_chars().cast(pl.Int64).alias("_len"),
        ).filter(pl.col("_p").list.len() > 1)
        n_pieces = pl.col("_p").list.len().cast(pl.Int64)
        text_len = pl.col("_len")
        return (
            pieces.with_columns(
                (n_pieces.cum_sum() - n_pieces).alias("_first"), (text_len.cum_sum() - text_len).alias("_before")
            )
            .explode("_p")
            .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_k"))
            .select(
                "_row",
                pl.col("_p").alias("term"),
                (pl.col("_p").str.len_chars().cast(pl.Int64).cum_sum() - pl.col("_before")).alias("off_end"),
                ((pl.col("_k") - pl.col("_first")) % 2 == 1).alias("_odd"),
            )
            .filter("_odd")
            .drop("_odd")
        )
    found = part.select(
        "_row",
        pl.col("_t").str.extract_all(pattern).alias("term"),
        pl.col("_t").str.extract_all(f"(?s).*?{pattern}").alias("_chunk"),
    ).filter(pl.col("term").list.len() > 0)
    return (
        found.explode(["term", "_chunk"])
        .with_columns(pl.col("_chunk").str.len_chars().cast(pl.Int64).cum_sum().over("_row").alias("off_end"))
        .select("_row", "term", "off_end")
    )


def _entry_table(lexicon: Lexicon) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """(literal forms table keyed by normalised form, placeholder forms as (regex, entry id))."""
    keys: dict[str, str] = {}  # normalised form -> id of its first entry
    placeholders = []
    for e in lexicon.entries:
        rule = e.get("rule")
        if rule is not None and rule not in RULES:
            raise LexiconError(f"{lexicon.origin}: entry {e.id!r} has unknown rule {rule!r}; choose one of {', '.join(RULES)}")
        for f in e.forms:
            if "{W}" in f:
                placeholders.append((lexicon.rust_form_regex(f), e.id))
            else:
                keys.setdefault(_form_key(f), e.id)
    table = pl.DataFrame({"_key": list(keys), "entry_id": list(keys.values())}, schema={"_key": pl.String, "entry_id": pl.String})
    return table, placeholders


_TABLES: dict[int, tuple[Lexicon, tuple]] = {}  # id(lexicon) -> (lexicon, its tables)


def _lexicon_tables(lexicon: Lexicon) -> tuple[pl.DataFrame, list[tuple[str, str]], pl.DataFrame]:
    """:func:`_entry_table` and :func:`_entries_info` of ``lexicon``, built once per lexicon object
    (lexicons are immutable; the object is kept with its tables, so its id is not reused)."""
    cached = _TABLES.get(id(lexicon))
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    tables = (*_entry_table(lexicon), _entries_info(lexicon))
    if len(_TABLES) >= 64:  # user lexicons loaded again and again: start afresh
        _TABLES.clear()
    _TABLES[id(lexicon)] = (lexicon, tables)
    return tables


_OVERLAP_PATTERNS: dict[int, tuple[Lexicon, str]] = {}  # id(lexicon) -> (lexicon, _overlap_pattern)


def _overlap_pattern(lexicon: Lexicon) -> str:
    """A pattern with the matches of ``lexicon.polars_pattern()``, cheaper to compile and to scan:
    the one :func:`_lexicon_cues` scans the sentences with where several of the lexicon's
    pattern groups match (Lexicon.polars_pattern_groups).

    polars_pattern lists every form flat, longest first, because the forms with ``{W}``
    (any word) keep it from being one trie; here the forms, in that order, are cut into the
    runs of consecutive forms with and without ``{W}``, each run written as the lexicons'
    trie where it allows one (``_trie_pattern``: at every position the same match as the
    run's flat alternation), else flat. The runs in order keep every alternative's
    priority, which is all Rust's leftmost-first alternation looks at, so the matches are
    the same (the tests compare both). For the anonymous-source lexicon: ~11 ms less to
    compile in every worker, and its scan ~1.5x faster. Built once per lexicon object,
    read from framing's start-up cache when there (building it costs ~7 ms).
    """
    cached = _OVERLAP_PATTERNS.get(id(lexicon))
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    from pathlib import Path

    from framing import lexicons as lexicons_module
    from framing.cache import cached_json, fingerprint

    forms = lexicon._polars_forms  # in polars_pattern's order
    sources = [Path(__file__), Path(lexicons_module.__file__)]  # this builder and the trie's
    if all(p.is_file() for p in sources):
        key = fingerprint("hedging-overlap-pattern", forms, files=sources)
        pattern = cached_json("hedging-overlap-pattern", key, lambda: _build_overlap_pattern(lexicon, forms))
    else:  # e.g. imported from a zip: no modification time to key on
        pattern = _build_overlap_pattern(lexicon, forms)
    if len(_OVERLAP_PATTERNS) >= 64:  # user lexicons loaded again and again: start afresh
        _OVERLAP_PATTERNS.clear()
    _OVERLAP_PATTERNS[id(lexicon)] = (lexicon, pattern)
    return pattern


def _build_overlap_pattern(lexicon: Lexicon, forms: tuple[tuple[str, bool], ...]) -> str:
    """:func:`_overlap_pattern` of ``lexicon``'s ``forms`` (in polars_pattern's order)."""
    from itertools import groupby

    from framing.lexicons import _flat_pattern, _trie_pattern

    runs = [tuple(run) for _, run in groupby(forms, key=lambda fc: "{W}" in fc[0])]
    parts = [_trie_pattern(run) or _flat_pattern(lexicon, run) for run in runs]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _entries_info(lexicon: Lexicon) -> pl.DataFrame:
    """What a cue of each entry reports: ``_lex`` (the lexicon's name, unique in a LexiconSet) and
    entry_id (the keys), category, rule, kind, lexicon_id and ``_lx``, the part of lexicon_id
    before its first ``:`` (:func:`_drop_nested` compares it)."""
    n = len(lexicon.entries)
    ids = [e.id for e in lexicon.entries]
    return pl.DataFrame(
        {
            "_lex": [lexicon.name] * n,
            "entry_id": ids,
            "category": [e.category for e in lexicon.entries],
            "rule": [e.get("rule") for e in lexicon.entries],
            "kind": [lexicon.kind] * n,
            "lexicon_id": [f"{lexicon.name}:{i}" for i in ids],
            "_lx": [lexicon.name.split(":", 1)[0]] * n,
        },
        schema={
            "_lex": pl.String,
            "entry_id": pl.String,
            "category": pl.String,
            "rule": pl.String,
            "kind": pl.String,
            "lexicon_id": pl.String,
            "_lx": pl.String,
        },
    )


def _resolve_placeholders(keys: list[str], placeholders: list[tuple[str, str]]) -> dict[str, str]:
    """Entry id for the few distinct matched terms that came from a ``{W}`` form."""
    compiled = [
        (re.compile(rx.replace("(?-u:\\b)", r"\b").replace(r"\s+", " "), re.IGNORECASE), eid) for rx, eid in placeholders
    ]
    out = {}
    for k in keys:
        for rx, eid in compiled:
            if rx.fullmatch(k):
                out[k] = eid
                break
    return out


def _lexicon_cues(sents: pl.DataFrame, lexicons: list[Lexicon]) -> tuple[pl.LazyFrame, bool] | None:
    """The matches of every lexicon in the sentences, with their entries, and whether some
    sentence holds a separator of the rule key (for :func:`_apply_rules`); None: no match.

    Columns ``_row``, off_start, off_end, term, kind, category, lexicon_id, rule, ``_lx``
    (:func:`_entries_info`). Few queries for
    all lexicons together (each query costs a fixed ~0.3 ms): one for the yes/no scans of all
    patterns, one for the facts that shape the next one (:func:`_batch_facts`), one for all their
    matches looked up in the entry tables; then the few distinct terms of ``{W}`` forms are
    resolved in Python, and the rest is a lazy frame for the caller's query.
    """
    scans = []
    for lx in lexicons:
        pattern = lx.polars_pattern()
        if pattern:
            groups = lx.polars_pattern_groups()
            scans.append((lx, pattern, groups, _hits(f"_h{len(scans)}_", pattern, groups)))
    if not scans:
        return None
    frame = sents.select(
        "_row",
        pl.col("text").alias("_t"),
        *(pl.col("text").str.contains(p).alias(name) for *_, hits in scans for name, p in hits),
    )
    names = [[name for name, _ in hits] for *_, hits in scans]
    overlaps, marked, separators = _batch_facts(frame, names)
    plans = [
        _matches(frame.lazy(), _overlap_pattern(lx) if overlap else pattern, groups, hit_names, marked, overlap)
        .with_columns(pl.lit(lx.name).alias("_lex"), _key(pl.col("term")).alias("_key"))
        .join(_lexicon_tables(lx)[0].lazy(), on="_key", how="left")
        for (lx, pattern, groups, _), hit_names, overlap in zip(scans, names, overlaps)
    ]
    spans = pl.concat(plans).collect(engine=QUERY_ENGINE)
    if spans.height == 0:
        return None
    missing = spans.filter(pl.col("entry_id").is_null()).select("_lex", "_key").unique()
    keys: dict[str, list[str]] = {}
    for name, key in zip(missing["_lex"].to_list(), missing["_key"].to_list()):
        keys.setdefault(name, []).append(key)
    fill = [
        (lx.name, key, eid)
        for lx, *_ in scans
        if lx.name in keys
        for key, eid in _resolve_placeholders(sorted(keys[lx.name]), _lexicon_tables(lx)[1]).items()
    ]
    cues = spans.lazy()
    if fill:
        fill_frame = pl.DataFrame(fill, schema={"_lex": pl.String, "_key": pl.String, "_eid2": pl.String}, orient="row")
        cues = cues.join(fill_frame.lazy(), on=["_lex", "_key"], how="left").with_columns(
            pl.coalesce("entry_id", "_eid2").alias("entry_id")
        )
    info = pl.concat([_lexicon_tables(lx)[2] for lx, *_ in scans])
    found = (
        cues.filter(pl.col("entry_id").is_not_null())
        .join(info.lazy(), on=["_lex", "entry_id"], how="left")
        .select("_row", "off_start", "off_end", "term", "kind", "category", "lexicon_id", "rule", "_lx")
    )
    return found, separators


def _apply_rules(cues: pl.LazyFrame, sents: pl.DataFrame, separators: bool) -> pl.LazyFrame:
    """Entry rules (_RULES) and booster negation, as expressions on the text around each match.

    ``separators``: whether some sentence holds a separator of the rule key (:func:`_rule_key`),
    from :func:`_batch_facts`.
    """
    start = pl.col("off_start")
    ctx = cues.join(sents.lazy().select("_row", "text"), on="_row", how="left").with_columns(
        pl.col("text")
        .str.slice(pl.max_horizontal(start - _PRE_CONTEXT, 0), pl.min_horizontal(start, _PRE_CONTEXT))
        .alias("_pre"),
        # only the rules read the text after a cue
        pl.when(pl.col("rule").is_not_null()).then(pl.col("text")).str.slice(pl.col("off_end"), 80).alias("_post"),
    )
    # the key is null for a cue without a rule: neither pattern runs on it, and it stays
    key = pl.col("_rkey")
    drop = pl.any_horizontal(*(key.str.contains(p) for p in _DROP_PATTERNS)) if _DROP_PATTERNS else pl.lit(False)
    keep = key.str.contains(_KEEP_PATTERN) if _KEEP_PATTERN else pl.lit(False)
    dropped = (drop & ~keep).fill_null(False)
    ctx = ctx.with_columns(_rule_key(separators).alias("_rkey")).filter(~dropped)
    negation = pl.when(pl.col("kind") == "booster").then(pl.col("_pre")).str.extract(_NEGATOR, 1)
    ctx = ctx.with_columns(negation.alias("_neg"))
    flipped = pl.col("_neg").is_not_null()
    ctx = ctx.with_columns(
        pl.when(flipped).then(pl.col("off_start") - pl.col("_neg").str.len_chars().cast(pl.Int64)).otherwise(pl.col("off_start")).alias("off_start"),
        pl.when(flipped).then(pl.lit("hedge")).otherwise(pl.col("kind")).alias("kind"),
        pl.when(flipped).then(pl.lit("negated_booster")).otherwise(pl.col("category")).alias("category"),
    ).with_columns(
        pl.col("text").str.slice(pl.col("off_start"), pl.col("off_end") - pl.col("off_start")).alias("term")
    )
    return ctx.drop("text", "_pre", "_post", "_neg", "_rkey")


def _drop_nested(cues: pl.LazyFrame) -> pl.LazyFrame:
    """Drop a cue lying inside a longer cue from another lexicon (same sentence).

    A cue's lexicon is its ``_lx`` (lexicon_id before the first ``:``, in the entry tables of
    :func:`_entries_info`), not split from lexicon_id on both sides of every pair of a
    sentence's cues. The pairs still come from ``cues`` as it is: a column derived here on
    both sides of the join kept Polars from computing the query before once (rules and all).
    """
    cues = cues.with_row_index("_cid")
    pairs = cues.select("_cid", "_row", "off_start", "off_end", "_lx").join(
        cues.select(
            pl.col("_row"),
            pl.col("off_start").alias("_os"),
            pl.col("off_end").alias("_oe"),
            pl.col("_lx").alias("_olx"),
        ),
        on="_row",
    )
    nested = pairs.filter(
        (pl.col("_lx") != pl.col("_olx"))
        & (pl.col("_os") <= pl.col("off_start"))
        & (pl.col("_oe") >= pl.col("off_end"))
        & ((pl.col("_oe") - pl.col("_os")) > (pl.col("off_end") - pl.col("off_start")))
    ).select("_cid").unique()
    return cues.join(nested, on="_cid", how="anti").drop("_cid", "_lx")


def quoted_spans(documents: pl.DataFrame) -> pl.DataFrame:
    """Quoted-speech spans of every document: doc_id, q_start, q_end, closed.

    The one per-document step of this module: it calls
    :func:`framing.text.quotes.quote_spans`, a scan over the quotation marks
    only.
    """
    from framing.text.quotes import quote_spans

    ids, starts, ends, closed = [], [], [], []
    for doc_id, text in zip(documents["doc_id"].to_list(), documents["text"].to_list()):
        for s, e, c in quote_spans(text or ""):
            ids.append(doc_id)
            starts.append(s)
            ends.append(e)
            closed.append(c)
    return pl.DataFrame(
        {"doc_id": ids, "q_start": starts, "q_end": ends, "closed": closed},
        schema={"doc_id": pl.String, "q_start": pl.Int64, "q_end": pl.Int64, "closed": pl.Boolean},
    )


def _partial_quotes(documents: pl.DataFrame, sentences: pl.DataFrame, spans: pl.DataFrame) -> pl.LazyFrame:
    """Short quotations inside the reporter's sentence, as distancing cues (term with its marks)."""
    cand = spans.lazy().filter(pl.col("closed")).join(documents.lazy().select("doc_id", "text"), on="doc_id", how="left")
    cand = cand.filter(pl.col("q_start") > 0).with_columns(
        pl.col("text").str.slice(pl.col("q_start") - 1, 1).alias("_open"),
        pl.col("text").str.slice(pl.col("q_end"), 1).alias("_close"),
    ).filter(pl.col("_open").is_in(list(_QUOTE_MARKS)) & pl.col("_close").is_in(list(_QUOTE_MARKS)))
    # the words are counted on the quotation's first _PARTIAL_QUOTE_HEAD characters first: every
    # word starting there is a word of the quotation, so more than PARTIAL_QUOTE_MAX_WORDS of them
    # rule it out without copying and scanning the rest (most quotations are long reported speech)
    length = pl.col("q_end") - pl.col("q_start")
    head = pl.col("text").str.slice(pl.col("q_start"), pl.min_horizontal(length, _PARTIAL_QUOTE_HEAD))
    cand = cand.filter(head.str.count_matches(_WORD) <= PARTIAL_QUOTE_MAX_WORDS)
    cand = cand.with_columns(pl.col("text").str.slice(pl.col("q_start"), length).alias("_inner"))
    cand = cand.with_columns(pl.col("_inner").str.count_matches(_WORD).alias("_nw")).filter(
        pl.col("_nw").is_between(1, PARTIAL_QUOTE_MAX_WORDS)
        & ~(pl.col("_inner").str.contains(r"^\p{Lu}[\w’'-]*(?:\s+\p{Lu}[\w’'-]*)+[.,!?]?$") & (pl.col("_nw") >= 2))
    )
    cand = cand.with_columns((pl.col("q_start") - 1).alias("start"), (pl.col("q_end") + 1).alias("end")).sort("doc_id", "start")
    sents = (
        sentences.lazy()
        .select("doc_id", "sent_id", pl.col("start").alias("s_start"), pl.col("end").alias("s_end"))
        .sort("doc_id", "s_start")
    )
    cand = cand.join_asof(sents, left_on="start", right_on="s_start", by="doc_id", strategy="backward", check_sortedness=False)
    cand = cand.filter(pl.col("sent_id").is_not_null() & (pl.col("end") <= pl.col("s_end")))
    before = pl.col("text").str.slice(pl.col("s_start"), pl.col("start") - pl.col("s_start"))
    cand = cand.filter(before.str.contains(r"\w") & ~before.str.contains(r":\s*$"))
    return cand.select(
        "doc_id",
        "sent_id",
        "start",
        "end",
        pl.lit("distancing").alias("kind"),
        pl.lit("partial_quote").alias("category"),
        pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("term"),
        pl.lit("distancing:partial_quote").alias("lexicon_id"),
        pl.lit(False).alias("in_quote"),
    )


def _mark_in_quote(cues: pl.LazyFrame, spans: pl.DataFrame) -> pl.LazyFrame:
    """in_quote: the cue lies inside a quoted-speech span of its document."""
    merged = (
        spans.lazy()
        .sort("doc_id", "q_start")
        .with_columns(pl.col("q_end").cum_max().over("doc_id").alias("q_end"))
        .select("doc_id", "q_start", "q_end")
    )
    return (
        cues.sort("doc_id", "start")
        .join_asof(merged, left_on="start", right_on="q_start", by="doc_id", strategy="backward", check_sortedness=False)
        .with_columns((pl.col("q_end").is_not_null() & (pl.col("end") <= pl.col("q_end"))).alias("in_quote"))
        .drop("q_start", "q_end")
    )


def match_cues(documents: pl.DataFrame, sentences: pl.DataFrame, *, lexicons: LexiconSet) -> pl.DataFrame:
    """Hedge, distancing, booster and anonymous-source cues of every sentence.

    ``documents`` needs doc_id and text; ``sentences`` needs doc_id, sent_id,
    start, end and text (= documents.text[start:end]). Returns the CUES
    columns plus ``in_quote``, sorted by doc_id, start, end, kind, lexicon_id.
    Offsets are into documents.text; ``text[start:end] == term`` always.

    The steps after the lexicon scans (rules, nesting, quotes, partial quotes)
    are one lazy query: the row order in between does not matter, as the
    output is deduplicated and sorted on its key.
    """
    if sentences.height == 0 or documents.height == 0:
        return _empty_cues()
    sents = sentences.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
        pl.col("doc_id"),
        pl.col("sent_id").cast(pl.Int64),
        pl.col("start").cast(pl.Int64).alias("_base"),
        pl.col("text"),
    )
    found = _lexicon_cues(sents, [lx for lx in lexicons.lexicons if lx.kind in MATCHED_KINDS])
    docs = documents.select("doc_id", "text")
    spans = quoted_spans(docs.lazy().join(sents.lazy().select("doc_id").unique(), on="doc_id", how="semi").collect(engine=QUERY_ENGINE))
    frames = []
    if found is not None:
        cues, separators = found
        cues = _drop_nested(_apply_rules(cues, sents, separators=separators))
        cues = cues.join(sents.lazy().select("_row", "doc_id", "sent_id", "_base"), on="_row", how="left").select(
            "doc_id",
            "sent_id",
            (pl.col("_base") + pl.col("off_start")).alias("start"),
            (pl.col("_base") + pl.col("off_end")).alias("end"),
            "kind",
            "category",
            "term",
            "lexicon_id",
        )
        frames.append(_mark_in_quote(cues, spans))
    frames.append(_partial_quotes(docs, sentences, spans))
    out = pl.concat([f.select(*(pl.col(name).cast(dtype) for name, (dtype, _) in CUE_COLUMNS.items())) for f in frames])
    return (
        out.unique(["doc_id", "start", "end", "kind", "lexicon_id"], keep="first", maintain_order=True)
        .sort(["doc_id", "start", "end", "kind", "lexicon_id"])
        .collect(engine=QUERY_ENGINE)
    )
