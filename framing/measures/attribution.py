"""The attribution ledger: who is quoted, by which verb, saying what.

:func:`attribute` turns documents and their sentences into

* ``quotes`` (the ledger, :data:`framing.schema.QUOTES`): one row per
  attribution with content, cue and source spans, a canonical speaker, the
  source type and the rule that produced it;
* ``cues`` of kinds ``reporting_verb`` (category ``neutral`` or
  ``loaded_verb``), ``quote`` (category ``direct`` or ``partial``: a short
  quotation inside the reporter's own sentence) and ``named_source`` (the
  source span of rows whose source is a named person or organisation);
* ``sentences`` with ``quote_share``, ``speaker`` and ``attributed``.

How it works (regular expressions over each document, no parser):

1. Quotation spans come from :func:`framing.text.quotes.quote_spans`.
2. Every occurrence of a reporting-verb form (lexicon ``reporting_verbs``)
   outside quotation marks is a candidate cue. A candidate becomes an
   attribution when a source is found next to it — before it (``Mr. Putin
   said``, ``U.S. officials have long insisted``), after it (``said Mr.
   Putin``, ``» asked Mr. Putin``) — and content is found:
   ``quote_before`` (``“…,” X said``), ``clause_before`` (the unmarked
   ``We are ready to negotiate, Mr. Putin told Mr. Carlson …``: a clause, a
   comma, then source + verb + a short tail), ``parenthetical`` (``A, X
   said, B``), ``colon_intro`` (``X replied: “…”``), ``verb_quote`` (``X said
   “…”``) and ``verb_clause`` (``X said (that) …``, ``X told Y (that) …``).
   ``according_to`` handles ``according to X, …`` and ``…, according to X``.
   Sources also cover party tags (``Sen. Bernie Sanders (I-Vt.) said``),
   appositives (``Rashad Robinson, Color of Change's executive director,
   said``), number subjects (``One in three said``, ``About 31 percent of
   voters say``, ``Thirty percent said``), groups headed by a lower-case
   plural (``federal officials``, ``protest organizers``, ``Republican
   legislators``), a name after lower-case descriptors ending in a person
   noun (``pizza magnate Herman Cain`` -> ``Herman Cain``) and modals or
   negations between source and verb (``may blame``, ``don't want``);
   words right after another reporting verb are content, never
   a new source (``said the AP report was …``). ``speaker_colon`` handles a
   paragraph opening with a short name and a colon (``Trump: ‘We will win.’``,
   ``Q: …``, also after an opening mark: ``"PENCE: Well, …``, a transcript
   quoted paragraph by paragraph, whose quotation is then this speaker's);
   attributions inside its content nest (``TAPPER: …, I think …``), a label
   in capitals is typed as the name it spells, and one opening with a
   function word (``The Latest:``) is a rubric, not a speaker; ``asked`` the
   question of ``Asked whether …, X said`` (also ``But when asked how …`` and
   ``… X said when asked whether …``; it outranks the clause rules, so a
   verb inside the question is part of it).
   ``dash_signature``: a quotation that is a paragraph of its own, signed
   with a dash and a name right after it or in the next paragraph (``“…” ―
   Sonya Herridge``, ``"…"¶- Bernie Sanders.``; a byline after a quotation
   inside a sentence is not one). ``name_colon``: a name, a colon and a
   quotation after a paragraph or sentence start or a dash (``… TOO EARLY -
   Mark Blumenthal and Jon Cohen: “…”``, ``… ISIS." Bush: "…"``). ``in_poll``:
   a named poll speaks (``In a national CNN/ORC poll released Monday, 31%
   …``; not ``in the polls``). A reporting verb none of these
   rules could use is still a cue: ``verb_loose`` (source found, content the
   rest of the sentence) or ``cue_only`` (no source; an -ing form after
   ``is/are/was/were/been`` takes its subject as source like a finite verb,
   ``Hillary Clinton is declaring …``; forms listed in the
   entry's ``needs_source``, often nouns such as "support", never do this).
   Such rows may nest inside another row's content, as PolNeAR annotates
   nested attributions, but only for speech verbs: a belief, stance or
   document verb (``Trump said Clinton wants open borders``, ``… supports``,
   ``… shows``) inside another attribution's content is part of what that
   source said, not an attribution of its own (on the PolNeAR train split
   such nested rows were gold cues 23% of the time, nested speech verbs
   46%); the same holds for one with a source of its own inside a speech
   row's content (``… keeps saying she opposed the war``: 27%). A clause
   row's content stops before a later cue.
3. ``continuation``: a quotation that no rule attributed inherits the
   speaker of the previous direct quotation when it follows it within the
   next two paragraphs (the unattributed paragraph of a long quote).
4. Source type (lexicon ``source_nouns``): pronouns resolve to the most
   recent named person (``speaker_resolution='pronoun'``), ``the Russian
   leader``-style role descriptions likewise (``'role'``); a head noun such
   as officials, sources, spokesperson, analysts makes the source
   ``anonymous`` — "a National Security Council spokesperson" is anonymous:
   the institution is named but the person is not; report, statement,
   document, book make it ``document``; institutions and outlets (the
   Kremlin, the White House, NBC, a word like Department or Council in the
   name) make it ``named_organization``; other capitalised names are
   ``named_person`` when the name (or its surname) belongs to a person named
   with at least two words in the document, and ``named_organization``
   otherwise (a lone "Kyiv" or "Moscow" speaks for a government).
5. Speakers are canonical inside the document: titles are stripped, middle
   initials dropped, a surname maps to the longest full name in the document
   ("Mr. Putin" and "Russian President Vladimir V. Putin" -> "Vladimir Putin").

Sequential per-document context (pronouns, continuation) lives in
:func:`_attribute_document`; everything else is vectorised or regex.

Speed (every shortcut gives what the plain rule gives; a property test pins
each to it): the vocabulary is compiled once per lexicon set (cached by the
lexicons' sha256); reporting-verb candidates for a whole batch come from one
Polars (Rust regex) pass, each confirmed unless the answer is known by
walking the forms' beginnings along the text, as the Python pattern would
match (:func:`_verb_matches`, which also says where this differs from
``re.finditer``; the pattern itself is compiled only where the walk cannot
tell; what a verb string gives is derived once per string,
:func:`_verb_facts`); the backward source search of every verb of a batch is
two Polars passes (:func:`_source_spans`: Python's ``\\w \\d \\s`` spelled out for
Rust), then its words are judged in Python (:func:`_source_start`); source
types and person names are judged once per distinct string (caches keyed by
the string, never by the document); word counts are one Polars pass
(:func:`_count_words`); costly patterns run only where a cheap necessary
condition holds (``_may_end_*``, the lines of a poll, "who" in the window, a
comma in the content before a participle cut); overlaps, and whether a clause
content may be cut before a kept row, are checked against character masks of
the kept rows; the text before a verb is read in place, not sliced. The stage
makes no reference cycles, so Python's cyclic collector is paused while it
runs (:func:`_no_cyclic_gc`).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import re
from dataclasses import dataclass, field

import polars as pl

from framing import schema
from framing.lexicons import LexiconSet
from framing.text.patterns import char_positions, matches_at, trie_regex
from framing.text.quotes import inside_mask_spans, quote_spans
from framing.text.tokens import WORD_RE, n_words_expr

# --------------------------------------------------------------------------- patterns

_PRONOUNS_PERSON = {"he", "she"}
_PRONOUNS_GROUP = {"they", "we", "i", "it", "you"}
_PRONOUNS = _PRONOUNS_PERSON | _PRONOUNS_GROUP
_CAP = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.(?:[A-Z]\.)*)"
_NAME_CONNECT = r"(?:al|al-|bin|de|da|del|van|von|der|la|le|di)"
_NAME_CONNECT_WORDS = {"al", "al-", "bin", "de", "da", "del", "van", "von", "der", "la", "le", "di"}
# a source noun phrase, matched backwards from the verb (anchored at the end)
_NP_WORD = rf"(?:{_CAP}|{_NAME_CONNECT}|[a-z][\w’'\-]*|’s|'s|\d+)"
_ADV = (
    r"(?:also|has|have|had|previously|repeatedly|later|earlier|then|again|once|long|would|will|could|can|did|does|do|"
    r"not|never|first|recently|publicly|privately|reportedly|initially|further|still|nevertheless|now|both|all|"
    r"may|might|should|must|cannot|can[’']t|won[’']t|wouldn[’']t|don[’']t|doesn[’']t|didn[’']t|"
    r"already|often|frequently|always|simply|quickly|even|just|yesterday|today|last\s+week|this\s+week|"
    r"earlier\s+this\s+week|(?:on\s+)?\w+day(?:\s+(?:morning|afternoon|evening|night))?|\w+ly)"
)
_SOURCE_OPEN = r"[\s(“”\"«»‘’—–:;,]"  # what may stand right before a source
_SOURCE_TAIL = rf",?[ \t]+(?:{_ADV}[ \t]+){{0,3}}"  # between the source and the verb
_SOURCE_BODY = rf"(?P<src>(?:{_NP_WORD}[ \t]+){{0,7}}?{_NP_WORD}){_SOURCE_TAIL}"
_SOURCE_BEFORE = re.compile(rf"(?:^|(?<={_SOURCE_OPEN})){_SOURCE_BODY}$")


@functools.cache
def _source_at_pattern() -> re.Pattern:
    """_SOURCE_BEFORE's match from a start already known to have one (see
    :func:`_source_at`), compiled on first use: only a source the Rust pass
    leaves to Python needs it (~1.3 ms to compile, in few workers)."""
    return re.compile(rf"{_SOURCE_BODY}$")


# the part of _SOURCE_BEFORE after its optional comma: a comma can only be
# matched there, so when this fails after the window's last comma no match
# starts at or before that comma
_TAIL_AFTER_COMMA = re.compile(rf"[ \t]+(?:{_ADV}[ \t]+){{0,3}}$")
_SOURCE_AFTER = re.compile(
    rf"[ \t]+(?P<src>(?:(?:the|a|an)[ \t]+)?(?:[a-z][\w’'\-]*[ \t]+){{0,2}}?(?:(?:{_CAP}|{_NAME_CONNECT})[ \t]+){{0,6}}"
    rf"(?:{_CAP}|he|she|they|officials|sources|analysts|experts|critics|[a-z]+(?:man|woman|person)))(?=[\s,.;:!?”\"’]|$)"
)
_SOURCE_AFTER_DET = re.compile(
    r"[ \t]+(?P<src>(?:the|a|an|one|two|three|several|some|another)[ \t]+(?:[\w’'\-.]+[ \t]+){0,4}?[\w’'\-]+)"
    r"(?=[ \t]+(?:who|whose|which|in|at|on|to|during)\b|[,.;:!?]|$)"
)
_NAME_TOKEN = re.compile(r"[\w’'\-]+\.?")
_LATE_COMPLEMENT = re.compile(r"(?:,[ \t]*)?\bthat[ \t]+|,[ \t]*(?=[“\"])|[ \t]*:[ \t]*(?=[“\"])")
_SPEAKER_COLON = re.compile(r"[“\"]?(?P<src>(?:[A-Z][\w’'.\-]*[ \t]+){0,2}[A-Z][\w’'.\-]*)[ \t]*(?P<cue>:)[ \t]+(?=\S)")
_COLON_NOT_SPEAKER = {
    "update", "note", "editor’s note", "editor's note", "watch", "related", "read", "photo", "video", "update", "breaking",
    "warning", "disclosure", "correction", "clarification", "source", "sources", "credit", "image", "listen", "see",
}
_ASKED_Q = re.compile(r"[ \t]+(?:\w+[ \t]+){0,5}?(?:whether|if|why|what|how|who|whom|which|when|where|about|to|by)\b")
# what may open a sentence before a question's "asked": "Asked …", "When asked …", "But when asked …"
_ASKED_PRE = re.compile(r"[“\"]?(?:(?:and|but|so|yet)[ \t]+)?(?:when[ \t]+)?", re.I)
_PAREN_END = re.compile(r"[ \t]+(?P<paren>\([^()]{1,30}\))[ \t]+$")
_NUMBER_SUBJECT = re.compile(
    r"(?:^|(?<=[\s,;:—–(]))(?P<src>(?:(?:about|nearly|almost|roughly|only|just|more\s+than|fewer\s+than|less\s+than)\s+)?"
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|half|a\s+third|a\s+quarter|a\s+majority|a\s+plurality|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
    r"(?:\s*(?:%|percent|per\s+cent))?(?:\s+(?:in|out\s+of)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten))?"
    r"(?:\s+of\s+(?:(?:all|likely|registered|the)\s+)?(?:[A-Za-z]+\s+)?(?:voters|respondents|Americans|Republicans|Democrats|"
    r"independents|people|adults|those\s+(?:surveyed|polled)|them|women|men|supporters))?)[ \t]+$",
    re.I,
)
# the number at the core of _NUMBER_SUBJECT with its left context: a match of
# _NUMBER_SUBJECT contains a match of this, so a window without one is skipped
_NUMBER_CORE = re.compile(
    r"(?:^|(?<=[\s,;:—–(]))(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|half|a\s+third|a\s+quarter|a\s+majority|a\s+plurality|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)",
    re.I,
)
# the words a match of _NUMBER_SUBJECT can end with (lower-cased): the number,
# its unit or the group counted ("31 percent", "one in three", "… of voters")
_NUMBER_SUBJECT_LAST = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "half", "third", "quarter",
    "majority", "plurality", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "percent", "cent", "voters", "respondents", "americans", "republicans", "democrats", "independents", "people",
    "adults", "surveyed", "polled", "them", "women", "men", "supporters",
})
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _may_end_number_subject(text: str, lo: int, hi: int) -> bool:
    """False only when ``_NUMBER_SUBJECT.search(text, lo, hi)`` finds nothing:
    its match ends, before spaces or tabs at ``hi`` (or before a newline ending
    the window, where ``$`` also matches), with a digit, ``,``, ``.``, ``%`` or
    a whole word of ``_NUMBER_SUBJECT_LAST`` (no letter before it in the
    match: "forty-one", "31percent", "of voters"). Words that are not plain
    ASCII are left to the pattern (its case-insensitive letters also match ſ,
    ı, İ, K)."""
    for end in (hi, hi - 1):
        if end < hi and not (end > lo and text[end] == "\n"):
            break
        i = end
        while i > lo and text[i - 1] in " \t":
            i -= 1
        if i == end or i == lo:
            continue  # no spaces before the end, or nothing else
        c = text[i - 1]
        if c.isdigit() or c in ",.%":
            return True
        k = text.rfind(" ", lo, i)
        if k >= 0:  # most often a plain word after a space: it is the run of letters
            word = text[k + 1:i]
            if word.isalpha() and word.isascii():
                if word.lower() in _NUMBER_SUBJECT_LAST:
                    return True
                continue
        j = i
        while j > lo and text[j - 1] in _ASCII_LETTERS:
            j -= 1
        if (j > lo and not text[j - 1].isascii()) or text[j:i].lower() in _NUMBER_SUBJECT_LAST:
            return True  # (a non-ASCII character ending or just before the word: left to the pattern)
    return False


def _last_word(text: str, lo: int, hi: int) -> str | None:
    """``_LAST_WORD.search(text, lo, hi).group(1)`` (None without a match), read
    backwards from ``hi``: the run of ASCII letters before the spaces or tabs
    that end the window (before its final newline, where ``$`` also matches),
    or the run before ``that`` and its spaces, which starts further left; a
    run reaching past ``lo`` is cut there, where the search starts."""
    end = hi - 1 if hi > lo and text[hi - 1] == "\n" else hi
    i = end
    while i > lo and text[i - 1] in " \t":
        i -= 1
    j = i
    while j > lo and text[j - 1] in _ASCII_LETTERS:
        j -= 1
    if i == end or j == i:
        return None  # no spaces or tabs at the end, or no letter before them
    if text[j:i] == "that":  # "said that ": the word before it, when there is one
        k = j
        while k > lo and text[k - 1] in " \t":
            k -= 1
        m = k
        while m > lo and text[m - 1] in _ASCII_LETTERS:
            m -= 1
        if k < j and m < k:
            return text[m:k]
    return text[j:i]


def _may_end_paren(pre: str) -> bool:
    """False only when ``_PAREN_END.search(pre)`` finds nothing: its match is a
    closing parenthesis then spaces or tabs at the end (or before a final newline)."""
    return pre.rstrip(" \t").endswith(")") or (pre.endswith("\n") and pre[:-1].rstrip(" \t").endswith(")"))


_LAST_WORD = re.compile(r"([A-Za-z]+)[ \t]+(?:that[ \t]+)?$")
_SPACES = re.compile(r"\s+")
_WORDS_DOT = re.compile(r"[\w’'\-.]+")
_ONLY_OPEN_PUNCT = re.compile(r"[\s,.;:—–\-“\"«]*")
_ONLY_CLOSE_PUNCT = re.compile(r"[\s,.;:!?…—–\-”\"’'»]*")
_THAT_OR_CLAUSE = re.compile(r"\s*(?:that\b|the\s+\w+\s+(?:is|was|are|were|has|had|will|would)\b)")


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    """At least ``n`` words in ``text[start:end]`` (``len(WORD_RE.findall(...)) >= n``,
    stopping at the n-th word)."""
    search = WORD_RE.search
    for _ in range(n):  # finditer's successive matches (none is empty)
        m = search(text, start, end)
        if m is None:
            return False
        start = m.end()
    return True


def _ends_with(s: str, chars: str) -> bool:
    """``s`` ends with one of ``chars`` then only spaces/tabs (regex ``[chars][ \\t]*$``)."""
    t = s.rstrip(" \t")
    return bool(t) and t[-1] in chars


def _end_before_spaces(text: str, lo: int, hi: int) -> int:
    """The end of ``text[lo:hi]`` without its trailing spaces and tabs
    (``lo + len(text[lo:hi].rstrip(" \t"))``), found by stepping back from ``hi``."""
    while hi > lo and text[hi - 1] in " \t":
        hi -= 1
    return hi


_CLOSE_QUOTE_CHARS = frozenset("”\"»'")
_COMMA_CLOSE_CHARS = frozenset(",”\"»’'?!")


def _ends_with_and(text: str, lo: int, end: int, hi: int) -> bool:
    """``text[lo:hi]`` ends with the word "and" then at least one space/tab
    (``end`` is ``_end_before_spaces(text, lo, hi)``)."""
    return end < hi and end - lo >= 3 and text.startswith("and", end - 3) and (end - lo == 3 or text[end - 4].isspace())


def _comma_before(s: str) -> int | None:
    """Offset of a comma that ends ``s`` (optionally followed by a closing quote), else None."""
    t = s.rstrip(" \t")
    if t and t[-1] in "”\"’»":
        t = t[:-1].rstrip(" \t")
    return len(t) - 1 if t.endswith(",") else None


_NOT_SOURCE_CHAR = re.compile(r"[^\w’'\-.\s,]")
_WHO_BEFORE = re.compile(r"(?<![\w’'])(?P<src>who)[ \t]+(?:(?:also|has|have|had|later|earlier|previously|then|once)[ \t]+){0,2}$")
_OBJECT = re.compile(
    rf"[ \t]+(?:(?:him|her|them|me|us|you|reporters|journalists|lawmakers|supporters|the\s+\w+|a\s+\w+|an\s+\w+|"
    rf"(?:{_CAP}[ \t]+){{0,3}}{_CAP}(?:’s|'s)?(?:[ \t]+[A-Z][\w’'\-]*)*))"
)
_SKIP_AFTER_VERB = re.compile(
    r"(?:[ \t]+(?:in\s+a\s+(?:statement|speech|interview|tweet|post|letter|text|video|call|briefing|press\s+release|"
    r"news\s+conference|press\s+conference|message)|on\s+(?:\w+day|Twitter|X|Facebook|television|TV)|"
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last\s+\w+|this\s+\w+|earlier|later|"
    r"recently|publicly|privately|again|also|then|repeatedly|in\s+response\s+to\s+[^,“\"]{1,60}?)(?=[\s,:]))*"
)
_THAT = re.compile(r"[ \t]*(?:,[ \t]*)?(?:that[ \t]+)?")
_COLON_QUOTE = re.compile(r"[ \t]*[:,]?[ \t]*[“\"«‘']")
_CLAUSE_END_AFTER = re.compile(
    r"[ \t]*(?:(?:in|on|at|to|during|after|before|from|with|last|this|earlier|later|when|while|about|via|through)\b"
    r"[^,;:.!?“”\"]{0,80})?(?:,[ \t]*[a-z]+ing\b.*)?[.!?…]?[”\"’»]?$"
)
# (the word boundary before "In" is the look-behind after its first letter, as in
# _PERSON_NAME, so that re scans for [Ii] fast instead of trying every position)
_IN_POLL = re.compile(
    r"(?P<cue>[Ii](?<!\w[Ii])n)[ \t]+(?P<src>(?:the|a|an|this|that|its|their|his|her|our|one|two|three|several|recent|new|both)[ \t]+"
    r"(?:[\w’'/.&\-]+[ \t]+){0,7}?(?:polls?|surveys?|studies|study))(?![\w’'])"
)
# "is declaring", "were also pushing": the auxiliary of a progressive verb form
_PROGRESSIVE = re.compile(
    r"(?<![\w’'])(?:is|are|was|were|am|been)[ \t]+(?:(?:also|still|now|already|not|\w+ly)[ \t]+){0,2}$", re.I
)
# \baccording\s+to\b, case-insensitive; the first letter is spelled out ("a" has no
# other case-insensitive match) with the word boundary after it, for a fast scan
_ACCORDING = re.compile(r"(?-i:[Aa])(?<!\w[Aa])ccording\s+to\b", re.I)
# its match after the "a" (scanned from "c", rarer than "a": see _according_spans)
_CCORDING = re.compile(r"(?-i:[Cc])cording\s+to\b", re.I)
# “…” ― Sonya Herridge / "…"¶- Bernie Sanders. : a dash signs the quotation before it
_DASH_SIGNATURE = re.compile(
    r"(?P<cue>―|—|–|--|-)[ \t\xa0]*(?P<src>(?:[A-Z][\w’'.\-]*[ \t\xa0]+){0,4}[A-Z][\w’'\-]*)(?=[ \t\xa0]*(?:[.,(]|$))", re.M
)
# "… - Mark Blumenthal and Jon Cohen: “…”", "… ISIS." Bush: "…"": a name then a colon
# and a quotation, after a paragraph or sentence start or a dash (digest and debate-recap style)
_NAME_COLON_QUOTE = re.compile(
    r"(?:^|(?<=\n)|(?<=[ \t][-—–―])|(?<=[ \t][-—–―][ \t])|(?<=[.!?][”\"’][ \t])|(?<=[.!?][ \t]))"
    r"(?P<src>(?:[A-Z][\w’'.\-]*[ \t]+(?:(?:and|of|de|van|von)[ \t]+)?){0,4}[A-Z][\w’'.\-]*)[ \t]*(?P<cue>:)[ \t]*(?=[“\"‘])",
    re.M,
)
_COLON_BEFORE_QUOTE = re.compile(r":[ \t]*[“\"‘]")
_OPENING_MARKS = "“\"”‘'«"
_CLOSING_MARKS = "”\"’'»"
_ACC_SRC = re.compile(r"[ \t]+(?P<src>[^,.;:!?“”\"]{1,80}?)(?=[,.;:!?“”\"]|$|\s+(?:that|who|which)\b)")
_EDGE_PUNCT = frozenset(",.;:!?…—–-“”\"‘’'«»")  # with whitespace: what _trim strips from a span's ends
_SENTENCE_SUBJECT = re.compile(
    rf"[\s“\"]*(?P<src>(?:He|She|They|(?:(?:The|A|An)[ \t]+)?(?:{_CAP}[ \t]+){{0,4}}{_CAP}))(?=[ \t]+[a-z])"
)
_SUBJECT_START = re.compile(rf"[\s“\"]*(?P<src>(?:{_CAP}[ \t]+){{0,4}}{_CAP})(?=,)")
_BLOCKING = {
    "and", "but", "or", "that", "which", "who", "whom", "when", "while", "because", "if", "as", "so", "than",
    "what", "where", "how", "why", "to", "of", "in", "on", "at", "for", "with", "by", "from", "about", "after",
    "before", "not", "this", "unless", "although", "though", "since", "whether", "whatever", "despite", "once", "until", "even", "only", "just", "also", "again", "then", "now", "however", "meanwhile", "still", "instead", "asked", "my", "our", "your", "these", "those", "there", "here", "is", "was", "are", "were", "be", "been",
    "has", "have", "had", "will", "would", "could", "should", "might", "may", "must", "can", "did", "does", "do",
    "said", "says", "told", "tells",
}
_NP_INNER_OK = {"of", "at", "for", "and", "in", "on"}
_QUANTIFIERS = {
    "the", "a", "an", "some", "many", "several", "most", "few", "two", "three", "four", "five", "six", "both",
    "about", "nearly", "almost", "half", "all", "other", "another", "more", "fewer", "one", "nine", "seven", "eight",
}
_PARTICIPLE_CUES = {"saying", "adding", "telling", "noting", "arguing", "insisting", "claiming", "explaining", "warning", "suggesting", "acknowledging", "writing", "stating", "asking", "calling", "citing", "declaring", "promising", "vowing", "urging", "referring"}
_TAKES_OBJECT_ING = {"telling", "asking", "urging", "warning", "calling"}
# ", saying …" / ", referring to …" after a clause: a second cue of the same speaker
_PARTICIPLE_AFTER = re.compile(
    r",[ \t]+(?:(?:also|then|again|later|even|instead)[ \t]+)?(?P<p>" + "|".join(sorted(_PARTICIPLE_CUES)) + r")\b"
)
_PREPOSITIONS = {"for", "about", "with", "on", "in", "by", "from", "of", "at", "into", "as", "over", "after", "before", "against", "during", "up", "out", "off", "down"}
_TAKES_OBJECT = {"told", "tell", "tells", "asked", "ask", "asks", "urged", "urge", "urges", "warned", "warn", "warns", "assured", "reminded", "informed", "called", "calls"}
_TAKES_TO = {
    "seem", "seems", "seemed", "appear", "appears", "appeared", "is", "are", "was", "were",  # is/are/was/were expected
    "seek", "seeks", "sought", "seeking", "want", "wants", "wanted", "hope", "hopes", "hoped", "expect", "expects", "expected", "plan", "plans", "planned",
    "decline", "declines", "declined", "refuse", "refuses", "refused", "promise", "promises", "promised", "vow", "vows",
    "vowed", "pledge", "pledges", "pledged", "threaten", "threatens", "threatened", "urge", "urged", "urges", "told",
    "asked", "agreed", "agree", "agrees", "demand", "demanded", "demands", "propose", "proposed", "proposes",
}
# words that mark a name as an organisation's (case-sensitive, whole words: see _has_org_marker)
_ORG_MARKERS = frozenset({
    "Department", "Ministry", "Council", "Corporation", "Corp", "Institute", "University", "Party", "Committee", "Agency",
    "Commission", "Office", "Bureau", "Administration", "Government", "Court", "Foundation", "Association", "Union",
    "Group", "News", "Times", "Post", "Journal", "Network", "Press", "Inc", "Ltd", "Bank", "Fund", "Service", "Services",
    "Forces", "Army", "Police", "Kremlin", "Pentagon", "House", "Senate", "Congress", "Parliament", "Embassy", "Campaign",
    "Center", "Centre", "Organization", "Organisation", "Coalition", "Alliance", "Board", "Media", "School", "Studies",
    "Society", "Club", "Company", "Forum", "Academy",
})
_WORD_RUN = re.compile(r"\w+")


def _has_org_marker(s: str) -> bool:
    """One of _ORG_MARKERS stands in ``s`` as a whole word: ``\\b(?:marker|…)\\b``
    matches exactly where a marker is a maximal run of word characters, so this is
    that search, as set lookups of the runs (a third cheaper than the alternation)."""
    return not _ORG_MARKERS.isdisjoint(_WORD_RUN.findall(s))


_FUNCTION_CAPS = {
    "the", "a", "an", "this", "that", "in", "on", "at", "but", "and", "or", "as", "if", "when", "while", "after",
    "before", "since", "during", "asked", "again", "also", "then", "however", "meanwhile", "despite", "unless",
}


_PERSONAL_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev)\.?(?=\s+[A-Z])|"
    r"\b(?:Senator|Governor|President|Secretary|General|Judge|Justice|Mayor|Ambassador|Minister|spokes(?:man|woman|person))\s+[A-Z]"
)
# the titles of _PERSONAL_TITLE: a match holds one as a whole run of word characters
# (a word boundary before it, a full stop or a space after it), so a text without one
# of them as a word run has no match
_PERSONAL_TITLE_WORDS = frozenset({
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Prof", "Rev",
    "Senator", "Governor", "President", "Secretary", "General", "Judge", "Justice", "Mayor", "Ambassador", "Minister",
    "spokesman", "spokeswoman", "spokesperson",
})


@dataclass(frozen=True, eq=False)  # compared by identity: one per lexicon set (_VOCAB_CACHE); it holds the per-string caches
class _Vocab:
    verbs_pattern: str  # the Python verb pattern (compiled on first use: see ``verbs``)
    verbs_rust: str
    verb_entry: dict
    loaded: frozenset
    anonymous: frozenset
    document: frozenset
    organization: frozenset
    titles: frozenset
    roles: frozenset
    needs_source: frozenset = frozenset()
    organization_or_document: frozenset = frozenset()  # organization | document (one lookup per name token)
    extendable: frozenset = frozenset()  # forms that begin a longer form ("say" of "says")
    # what _verb_facts derives from a matched verb string (a pure function of it, kept per vocabulary)
    facts: dict = field(default_factory=dict)
    # _person_name of each name surface seen (a pure function of it, kept per vocabulary)
    persons: dict = field(default_factory=dict)
    # _source_facts of each source span seen (likewise)
    sources: dict = field(default_factory=dict)
    # per extendable form, how its longer forms go on: (first letters, first letters after a space),
    # or None where one goes on otherwise (see _continuations)
    continuations: dict = field(default_factory=dict)
    # every beginning of a form (the forms included), for _verb_walk; None when a form is not
    # ASCII or does not end in a letter or digit (then the Python pattern answers)
    form_prefixes: frozenset | None = None

    @functools.cached_property
    def verbs(self) -> re.Pattern:
        """The reporting verbs as a Python pattern, compiled when first needed
        (~12 ms for the built-in lexicons): :func:`_verb_matches` knows most
        answers without it, so a worker may never compile it."""
        return re.compile(self.verbs_pattern, re.I)


_VOCAB_CACHE: dict[tuple[str, ...], _Vocab] = {}
#: entries of each of a vocabulary's memos (persons, sources, facts) before it starts again: a bound
#: for endless streams of new names, sources and whitespace variants
_MEMO_MAX = 1 << 16


def _memo_put(memo: dict, key: str, value):
    """``memo[key] = value`` (emptying ``memo`` first when it holds _MEMO_MAX entries); returns ``value``."""
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value


def _vocab(lexicons: LexiconSet) -> _Vocab:
    """The compiled vocabulary of a lexicon set, cached by the lexicons' sha256
    (the same files always compile to the same patterns)."""
    key = tuple(f"{lx.name}:{lx.sha256}" for lx in lexicons.lexicons)
    vocab = _VOCAB_CACHE.get(key)
    if vocab is None:
        if len(_VOCAB_CACHE) > 8:
            _VOCAB_CACHE.clear()
        vocab = _VOCAB_CACHE[key] = _build_vocab(lexicons)
    return vocab


def _build_vocab(lexicons: LexiconSet) -> _Vocab:
    verb_lex = [lx for lx in lexicons.of_kind("reporting_verb")]
    verb_entry: dict[str, tuple[str, str, str]] = {}
    loaded = set()
    needs_source = set()
    for lx in verb_lex:
        for e in lx.entries:
            needs_source.update(re.sub(r"\s+", " ", f).lower() for f in e.get("needs_source", ()) or ())
            for f in e.forms:
                key = re.sub(r"\s+", " ", f).lower()
                verb_entry[key] = (f"{lx.name}:{e.id}", e.category, e.get("mode", "speech"))
                if e.category.startswith("loaded"):
                    loaded.add(key)
    trie = trie_regex(sorted(verb_entry), space=r"\s+")
    verbs = rf"\b(?:{trie or '(?!)'})\b(?![’'-]\w)"
    # the same forms for Polars (Rust regex): a superset of the start positions
    # of ``verbs`` (ASCII word boundary keeps its lazy DFA fast); every hit is
    # confirmed with ``verbs.match`` so the result is exactly ``verbs.finditer``.
    # The prefix tree, as for Python: at a place it matches the longest form, as
    # the alternation sorted longest first did, at ~60% of its CPU (a smaller automaton)
    verbs_rust = rf"(?i)(?-u:\b)(?:{trie})" if trie else ""
    cats: dict[str, set[str]] = {"anonymous": set(), "document": set(), "organization": set(), "title": set(), "role": set()}
    for lx in lexicons.lexicons:
        if lx.name != "source_nouns" and not lx.name.startswith("source_nouns"):
            continue
        for e in lx.entries:
            if e.category in cats:
                cats[e.category].update(f.lower() for f in e.forms)
    return _Vocab(
        verbs_pattern=verbs,
        verbs_rust=verbs_rust,
        verb_entry=verb_entry,
        loaded=frozenset(loaded),
        anonymous=frozenset(cats["anonymous"]),
        document=frozenset(cats["document"]),
        organization=frozenset(cats["organization"]),
        titles=frozenset(cats["title"] | cats["role"]),
        roles=frozenset(cats["role"]),
        needs_source=frozenset(needs_source),
        organization_or_document=frozenset(cats["organization"] | cats["document"]),
        extendable=_prefixes_of_others(verb_entry),
        continuations=_continuations(verb_entry),
        form_prefixes=_form_prefixes(verb_entry),
    )


def _prefixes_of_others(forms) -> frozenset:
    """The forms another form begins with ("say" of "says"): in sorted order the
    forms that begin with one follow it directly."""
    ordered = sorted(forms)
    return frozenset(f for f, g in zip(ordered, ordered[1:]) if g.startswith(f))


def _form_prefixes(forms) -> frozenset | None:
    """Every beginning of a form, the forms included, when every form is ASCII
    and ends in a letter or digit (what :func:`_verb_walk` assumes), else None."""
    if not all(f.isascii() and f[-1:].isalnum() for f in forms):
        return None
    return frozenset(f[:i] for f in forms for i in range(1, len(f) + 1))


def _continuations(forms) -> dict[str, tuple[str, str] | None]:
    """For each form another form begins with, how the longer forms go on: the
    letters they continue with ("say": "ins" of "says", "saying", "said"...)
    and the first letters of the words they continue with after a space
    ("called": "f" of "called for"); None when one goes on with anything else
    (then :func:`_verb_matches` asks the Python pattern)."""
    ordered = sorted(forms)
    out: dict[str, tuple[str, str] | None] = {}
    for i, f in enumerate(ordered):
        letters: set[str] = set()
        spaced: set[str] = set()
        odd = False
        for j in range(i + 1, len(ordered)):
            g = ordered[j]
            if not g.startswith(f):
                break  # in sorted order the forms that begin with f follow it directly
            rest = g[len(f):]
            if rest[0] == " " and rest[1:2].isascii() and rest[1:2].isalpha():
                spaced.add(rest[1])
            elif rest[0].isascii() and rest[0].isalpha():
                letters.add(rest[0])
            else:
                odd = True
        if letters or spaced or odd:
            out[f] = None if odd else ("".join(sorted(letters)), "".join(sorted(spaced)))
    return out


# --------------------------------------------------------------------------- names


# the look-behind sits after the first capital so that re can scan for [A-Z] fast;
# the first of the one to four further tokens is written out ((?:[ \t]+T){1,4} as
# [ \t]+T(?:[ \t]+T){0,3}: the same matches, tried in the same order), so the
# many capitals followed by a lower-case word fail before re sets up the repeat
_NAME_NEXT = r"(?:[A-Z][a-z’'\-]+|[A-Z]\.|al-[A-Z][a-z]+|bin|de|van|von)"
_PERSON_NAME = re.compile(
    rf"[A-Z](?<![\w’'][A-Z])(?:[a-z’'\-]+|\.)[ \t]+{_NAME_NEXT}(?:[ \t]+{_NAME_NEXT}){{0,3}}(?![\w’'])"
)


def _name_tokens(surface: str, titles: frozenset, tokens: list[str] | None = None) -> tuple[str, ...]:
    """Tokens of a name without titles, descriptors, possessives and initials
    (not cached itself: its callers _person_name and _source_facts are).

    ``tokens`` are ``_NAME_TOKEN.findall(surface)`` when the caller has them
    (a run of ``[\\w’'\\-]`` and at most one full stop each)."""
    out: list[str] = []
    for t in _NAME_TOKEN.findall(surface) if tokens is None else tokens:
        if t[-1] == ".":
            bare = t[:-1]  # (the one full stop a token can end with)
            low = bare.lower()
            if len(bare) == 1 and "A" <= bare <= "Z":
                continue  # initials
            if low in titles or t.lower() in titles:
                out = []
                continue
        else:  # (then t.lower() is low)
            bare = t
            low = t.lower()
            if len(bare) == 1 and "A" <= bare <= "Z":
                continue  # initials
            if low in titles:
                out = []
                continue
        # "NBC’s Kier Simmons": the owner is not part of the name; nor are lower-case
        # descriptors or function words ("The")
        if low.endswith(("’s", "'s")) or not bare[:1].isupper() or low in _FUNCTION_CAPS:
            out = []
            continue
        out.append(bare)
    return tuple(out)


def _document_names(text: str, vocab: _Vocab) -> dict[str, str]:
    """Surname (and full name) -> the longest full name in the document."""
    # the most name tokens win, then the earliest: names come in text order (a
    # repeat of a surface changes nothing), so a later one replaces a kept one
    # only with more tokens
    names: dict[str, str] = {}
    sizes: dict[str, int] = {}  # the number of tokens of each key's name
    persons = vocab.persons
    for surface in dict.fromkeys(_PERSON_NAME.findall(text)):
        person = persons.get(surface, False)
        if person is False:
            person = _person_name(surface, vocab)
        if person is None:
            continue
        n, full, last = person
        if n > sizes.get(last, 0):
            sizes[last] = n
            names[last] = full
        if n > sizes.get(full, 0):
            sizes[full] = n
            names[full] = full
    return names


def _person_name(surface: str, vocab: _Vocab) -> tuple[int, str, str] | None:
    """(number of tokens, full name, surname) of a _PERSON_NAME match that names
    a person: two to four name tokens, none of them an organisation or
    document word and no organisation marker; None otherwise. A pure function
    of the surface, kept in ``vocab.persons`` (the same names recur across
    documents; a plain dict lookup is cheaper than an ``lru_cache`` keyed by
    the surface and the vocabulary)."""
    persons = vocab.persons
    out = persons.get(surface, False)
    if out is not False:
        return out
    # (a _PERSON_NAME match is name tokens between spaces and tabs: its _NAME_TOKEN
    # matches are its split)
    toks = _name_tokens(surface, vocab.titles, surface.split())
    if len(toks) < 2 or len(toks) > 4 or not vocab.organization_or_document.isdisjoint(map(str.lower, toks)):
        out = None
    else:
        full = " ".join(toks)
        out = None if _has_org_marker(full) else (len(toks), full, toks[-1])
    return _memo_put(persons, surface, out)


# --------------------------------------------------------------------------- source typing


def _classify(source: str, vocab: _Vocab, names: dict[str, str]) -> tuple[str, str | None, str]:
    """(source_type, canonical speaker or None, resolution) for a source span."""
    facts = vocab.sources.get(source) or _source_facts(source, vocab)
    if len(facts) == 3:
        return facts  # decided by the words of the source alone
    toks, full, personal_title, org_hit, org_marker, head_is_role = facts
    if toks:
        if personal_title and not org_hit and not org_marker:
            return "named_person", names.get(full, names.get(toks[-1], full)), "named"
        if full in names:
            return "named_person", names[full], "named"
        if toks[-1] in names and not org_hit and not org_marker:
            return "named_person", names[toks[-1]], "named"
        if org_hit or org_marker:
            return "named_organization", None, "named"
        if len(toks) >= 2:
            return "named_person", full, "named"
        return "named_organization", None, "named"
    if org_hit:
        return "named_organization", None, "named"
    if head_is_role:
        return "named_person", None, "role"
    return "unknown", None, "none"


def _source_facts(source: str, vocab: _Vocab) -> tuple:
    """What :func:`_classify` needs from a source span that does not depend on
    the document: its final answer when the words alone decide it (a
    ``(source_type, speaker, resolution)`` triple), else ``(name tokens, full
    name, personal title, organisation word, organisation marker, head is a
    role)`` for the name lookups. Kept in ``vocab.sources``: sources recur
    across documents (a plain dict lookup, cheaper than an ``lru_cache``)."""
    sources = vocab.sources
    out = sources.get(source)
    if out is None:
        out = _memo_put(sources, source, _judge_source(source, vocab))
    return out


def _judge_source(source: str, vocab: _Vocab) -> tuple:
    """:func:`_source_facts` of a source not seen before."""
    low = source.lower().strip()
    words = _WORDS_DOT.findall(low)
    if not words:
        return "unknown", None, "none"
    if low in _PRONOUNS_PERSON:
        return "named_person", None, "pronoun"
    if low in _PRONOUNS_GROUP:
        return "unknown", None, "pronoun"
    head = words[-1].rstrip(".")
    two = " ".join(words[-2:]).rstrip(".")
    if head in vocab.roles and words[0] == "the" and not any(
        c.rstrip(".").lower() not in vocab.titles for c in _WORDS_DOT.findall(source) if c[:1].isupper()
    ):
        return "named_person", None, "role"
    if "familiar" in words or head in vocab.anonymous or two in vocab.anonymous:
        return "anonymous", None, "none"
    if head in vocab.roles and words[0] in ("a", "an", "one", "some"):
        return "anonymous", None, "none"
    if head in vocab.document or two in vocab.document:
        return "document", None, "none"
    org_hit = any(w.rstrip(".") in vocab.organization for w in words[-3:]) or two in vocab.organization
    toks = _name_tokens(source, vocab.titles)
    if not toks:  # (the title and organisation-marker tests only matter for a name)
        return toks, "", False, org_hit, False, head in vocab.roles
    runs = _WORD_RUN.findall(source)  # (what _has_org_marker looks up, shared with the title test)
    personal_title = not _PERSONAL_TITLE_WORDS.isdisjoint(runs) and _PERSONAL_TITLE.search(source) is not None
    org_marker = not _ORG_MARKERS.isdisjoint(runs)
    return toks, " ".join(toks), personal_title, org_hit, org_marker, head in vocab.roles


# --------------------------------------------------------------------------- per document


@dataclass(slots=True)
class _Row:
    start: int
    end: int
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    source: str | None
    source_start: int | None
    source_end: int | None
    speaker: str | None
    resolution: str
    source_type: str
    direct: bool
    loaded: bool
    rule: str
    lexicon_id: str | None = None
    cue_category: str | None = None
    mode: str = "speech"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace, punctuation and quote
    marks (``_EDGE_PUNCT``), stepped over one by one: the runs are short, where
    a ``$``-anchored regex search would try every position of the span."""
    s, e = start, end
    while s < e and (text[s] in _EDGE_PUNCT or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in _EDGE_PUNCT or text[e - 1].isspace()):
        e -= 1
    return (s, e) if e > s else (start, start)


_PEOPLE_SUFFIX = ("ers", "ists", "ants", "ents", "ians", "ors", "ives", "ees", "aides", "allies", "leaders", "members", "surveyed", "polled")


# a lower-case noun for a person right before a name ("pizza magnate Herman Cain", "veteran analyst Charlie Cook")
_PERSON_NOUN_SUFFIX = ("er", "ist", "or", "ian", "ant", "ent", "ee", "man", "woman", "ate")


def _is_people_plural(head: str, words: list[str]) -> bool:
    """A short noun phrase headed by a lower-case plural noun for people
    ("respondents", "protest organizers", "local party leaders", "those
    surveyed"), possibly after capitalised modifiers ("Republican
    legislators", "Social conservatives", "Trump supporters")."""
    return (
        len(words) <= 4
        and head.endswith(_PEOPLE_SUFFIX)
        and words[-1].islower()
        and all(w.isalpha() for w in words)
    )


def _source_before(text: str, lo: int, verb_start: int, vocab: _Vocab) -> tuple[int, int] | None:
    window_start = max(lo, verb_start - 90)
    # the source and its tail hold only word characters, ’ ' - . spaces and at
    # most one comma: the match cannot start before the last other character or
    # before the second-to-last comma, so the search starts there (same result,
    # far fewer start positions to try)
    window = text[window_start:verb_start]
    b = _NOT_SOURCE_CHAR.search(window[::-1])
    if b:
        window_start += len(window) - b.start()
        window = text[window_start:verb_start]
    c = window.rfind(",")
    if c > 0:
        c = window.rfind(",", 0, c)
        if c >= 0:
            window_start += c + 1
    c = text.rfind(",", window_start, verb_start)
    if c >= 0 and not _TAIL_AFTER_COMMA.match(text, c + 1, verb_start):
        window_start = c + 1
    return _judged_source(text, _SOURCE_BEFORE.search(text, window_start, verb_start), vocab)


def _judged_source(text: str, m: re.Match | None, vocab: _Vocab) -> tuple[int, int] | None:
    """The source span of a _SOURCE_BEFORE match, once its words are judged (None if none)."""
    if not m:
        return None
    s, e = m.span("src")
    start = _source_start(text[s:e], vocab)
    return None if start is None else (s + start, e)


def _source_at(text: str, lo: int, verb_start: int, span: tuple[int, int | None] | None, vocab: _Vocab) -> tuple[int, int] | None:
    """:func:`_source_before` from where its search's match and source end lie,
    found for the whole batch by :func:`_source_spans` (offsets from
    ``max(lo, verb_start - 90)``; an end of None: match the source in Python)."""
    if span is None:
        return None
    w0 = max(lo, verb_start - 90)
    start, end = span
    if end is None:
        m = _source_at_pattern().match(text, w0 + start, verb_start)
        if m is None:  # cannot happen (the engines agree on where a match exists); stay exact all the same
            return _source_before(text, lo, verb_start, vocab)
        return _judged_source(text, m, vocab)
    s, e = w0 + start, w0 + end
    first = _source_start(text[s:e], vocab)
    return None if first is None else (s + first, e)


def _source_windows(text: str, sent_starts: list[int], verbs: list[tuple[int, int]]) -> list[str]:
    """The windows of :func:`_source_spans` for the verbs of one document: the
    text from ``max(sentence start, verb start - 90)`` to each verb, after the
    character before it (a space at the start of the document, where ``^`` matches)."""
    out = []
    br = bisect.bisect_right
    for vs, _ in verbs:
        # (the verb's sentence start, then the window start: max() written out, ~7k verbs a batch)
        w0 = sent_starts[(br(sent_starts, vs) or 1) - 1]
        if vs - 90 > w0:
            w0 = vs - 90
        out.append(text[w0 - 1:vs] if w0 else " " + text[:vs])
    return out


def _source_spans(windows: list[str]) -> list[tuple[int, int | None] | None]:
    """For each window (the character before the searched text, or a space at
    the start of the document, then the text from ``max(lo, verb_start - 90)``
    to the verb), the source span of ``_SOURCE_BEFORE.search`` over it, as
    offsets into the searched text, or None where it finds no match.

    Two Polars passes (Rust regex, ``str.find``) for a whole batch, with
    Python's ``\\w``, ``\\d`` and ``\\s`` spelled out as the characters of these
    windows that Python counts as such (Rust's own classes differ outside
    ASCII), ``$`` as ``\\n?\\z`` and the look-behind as a consumed character:

    * the start: both engines report the leftmost start where a match exists
      (the window cuts of :func:`_source_before` only skip starts where none
      can begin, so the plain window gives the same start);
    * the end: from that start the source is the fewest words after which
      _SOURCE_TAIL reaches the verb (the lazy ``{0,7}?``), and the leftmost
      place from which _SOURCE_TAIL reaches the verb is that word end (a
      source word holds no comma, space or tab; a tail starting inside the
      spaces after a word also starts at the word).
    """
    if not windows:
        return []
    series = pl.Series(windows, dtype=pl.String)
    classes = _python_classes(series)
    end_of_window = r"\n?\z"
    starts = _char_offsets(windows, series.str.find(_rust_pattern(_SOURCE_OPEN + _SOURCE_BODY, classes) + end_of_window))
    # the rest of each window after its match's first character (the consumed
    # look-behind), sliced by Polars (null where no match): no Python string
    # per window, no second Series built from a list
    rests = series.str.slice(pl.Series(starts, dtype=pl.Int64) + 1)
    ends = rests.str.find(_rust_pattern(_SOURCE_TAIL, classes) + end_of_window).to_list()
    out: list[tuple[int, int | None] | None] = []
    for w, at, length in zip(windows, starts, ends):
        if at is None:
            out.append(None)
        elif length is None:
            out.append((at, None))
        else:
            if not w.isascii():  # (a byte offset into the rest: as characters)
                rest = w[at + 1:]
                if not rest.isascii():
                    length = len(rest.encode("utf-8")[:length].decode("utf-8"))
            out.append((at, at + length))
    return out


def _char_offsets(strings: list[str], found: pl.Series) -> list[int | None]:
    """Polars' ``str.find`` byte offsets as character offsets."""
    out: list[int | None] = []
    for s, at in zip(strings, found.to_list()):
        if at is not None and not s.isascii():
            at = len(s.encode("utf-8")[:at].decode("utf-8"))
        out.append(at)
    return out


# the characters every batch's classes spell out (Latin-1, Latin Extended-A,
# General Punctuation): the same classes, so the same Rust patterns, batch after
# batch (Polars keeps them compiled); other characters are added as they occur
_CLASS_BASE = frozenset(map(chr, [*range(0x180), *range(0x2000, 0x2070)]))


def _python_classes(series: pl.Series) -> dict[str, str]:
    """Python's ``\\w``, ``\\d``, ``\\s`` and ``[^\\W_]`` (``"w"``, ``"d"``, ``"s"``,
    ``"alnum"``) as the insides of Rust character classes, exact on every
    character of ``series`` (and of _CLASS_BASE)."""
    other = series.str.extract_all(r"[^\x00-\x{17F}\x{2000}-\x{206F}]").explode().drop_nulls().unique().to_list()
    return _classes_of(frozenset(other))


@functools.lru_cache(maxsize=64)
def _classes_of(other: frozenset) -> dict[str, str]:
    chars = sorted(_CLASS_BASE | other)
    return {
        "w": _rust_class(c for c in chars if c.isalnum() or c == "_"),
        "d": _rust_class(c for c in chars if c.isdecimal()),
        "s": _rust_class(c for c in chars if c.isspace()),
        "alnum": _rust_class(c for c in chars if c.isalnum()),
    }


def _rust_class(chars) -> str:
    """The inside of a Rust character class holding exactly ``chars``."""
    points = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        parts.append(f"\\x{{{points[i]:X}}}" if i == j else f"\\x{{{points[i]:X}}}-\\x{{{points[j]:X}}}")
        i = j + 1
    return "".join(parts)


def _rust_pattern(pattern: str, classes: dict[str, str]) -> str:
    """A Python pattern for Rust's regex: ``\\w``, ``\\d``, ``\\s`` replaced by the
    given classes (inside a bracket or as a bracket of their own). Only for the
    patterns written here: no other class escapes, anchors or look-arounds."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            n = pattern[i + 1]
            if n in classes:
                out.append(classes[n] if in_class else f"[{classes[n]}]")
            elif n in "WDSbBAZ":
                raise ValueError(f"\\{n} has no Rust translation here")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif not in_class and (c in "^$" or pattern.startswith("(?<", i) or pattern.startswith("(?=", i) or pattern.startswith("(?!", i)):
            raise ValueError("anchors and look-arounds have no Rust translation here")
        out.append(c)
        i += 1
    return "".join(out)


def _source_start(text: str, vocab: _Vocab) -> int | None:
    """Where the source starts inside ``text``, the words the source pattern
    matched before a verb, or None when they are no source. (A pure function of
    those words, but two in three are new: a cache costs more than it saves.)

    ``text`` is the ``src`` group of a _SOURCE_BEFORE match: source-pattern
    words (each a run of ``[\\w’'\\-.]``) between runs of spaces and tabs, so
    its words (``_WORDS_DOT.findall``) are ``text.split()``, at a third of the cost."""
    s, e = 0, len(text)
    words = text.split()
    # cut at blocking words (the source is the last noun phrase before the verb)
    cut = 0
    for i in range(len(words) - 1, -1, -1):  # the last blocking word
        lw = words[i].lower()
        if lw in _BLOCKING and not (lw in _NP_INNER_OK and 0 < i < len(words) - 1 and words[i + 1][:1].isupper()):
            cut = i + 1
            break
    if cut >= len(words):
        return None
    if cut:
        # move s to the start of words[cut]: the rest of the text after ``cut``
        # splits (the text ends with a word, so nothing trails it)
        s = e - len(text.split(None, cut)[cut])
    words = words[cut:]
    head = words[-1].rstrip(".").lower()
    first = words[0]
    if head in {"his", "her", "their", "its", "my", "our", "your"} or head.endswith(("’s", "'s")):
        return None
    ok = (
        head in _PRONOUNS
        or words[-1][:1].isupper()
        or head in vocab.anonymous
        or head in vocab.document
        or head in vocab.organization
        or head in vocab.roles
        or head.rstrip("s") in vocab.anonymous
        or (len(words) > 1 and words[0].lower() in _QUANTIFIERS and head.isalpha())
        or _is_people_plural(head, words)
    )
    if not ok:
        return None
    if len(words) > 1 and head in _PRONOUNS:
        s = e - len(words[-1])
    # a lower-case first word must be a determiner or the source noun itself
    if first[:1].islower() and len(words) > 1 and first.lower() not in {
        "the", "a", "an", "some", "many", "several", "most", "other", "few", "two", "three", "four", "five",
        "both", "one", "his", "her", "their", "its", "another", "senior", "top", "former", "u.s.", "western", "us",
    } and not words[1][:1].isupper() and not _is_people_plural(head, words) and not (
        # "federal officials", "senior administration officials": lower-case modifiers of an anonymous head
        (head in vocab.anonymous or head in vocab.document) and len(words) <= 4 and all(w.isalpha() and w.islower() for w in words)
    ):
        if not words[-1][:1].isupper() or head in _PRONOUNS:
            return None
        # "pizza magnate Herman Cain": lower-case descriptors before a name; the name is the source
        spans = [w.span() for w in _WORDS_DOT.finditer(text, s, e)]
        i = len(spans) - 1
        while i > 0 and (text[spans[i - 1][0]].isupper() or text[spans[i - 1][0]:spans[i - 1][1]].lower() in _NAME_CONNECT_WORDS):
            i -= 1
        d = text[spans[i - 1][0]:spans[i - 1][1]].lower() if i > 0 else ""
        if not (d in vocab.titles or d in vocab.anonymous or d.endswith(_PERSON_NOUN_SUFFIX)):
            return None
        s = spans[i][0]
    return s


def _colon_openers(text: str, sent_spans: list[tuple[int, int]], sent_starts: list[int], paragraphs: list[int]) -> list[int]:
    """The sentences, in order, that open a paragraph (their paragraph differs
    from the previous sentence's; the first sentence's from -1) and hold a
    colon, where a ``speaker_colon`` match may start: a match holds a colon.
    Found from the colons (a few per document) instead of a step per sentence;
    the sentences are disjoint and in text order, so the one holding a colon
    is the last starting at or before it."""
    out: list[int] = []
    find = text.find
    c = find(":")
    while c >= 0:
        si = bisect.bisect_right(sent_starts, c) - 1
        if si >= 0 and c < sent_spans[si][1]:
            if paragraphs[si] != (paragraphs[si - 1] if si else -1):
                out.append(si)
            c = find(":", sent_spans[si][1])  # (the next sentence's colons)
        else:
            c = find(":", c + 1)
    return out


def _name_colon_matches(text: str) -> list[re.Match]:
    """The matches of ``_NAME_COLON_QUOTE`` in ``text`` (exactly its ``finditer``),
    found from the colons before a quotation mark: the name sits on the colon's
    line after any earlier colon, so each is searched for there only (a scan of
    the pattern over the whole text tries its look-behinds at every position)."""
    out: list[re.Match] = []
    if ":" not in text:
        return out
    for cm in _COLON_BEFORE_QUOTE.finditer(text):
        lo = max(text.rfind("\n", 0, cm.start()), text.rfind(":", 0, cm.start())) + 1
        m = _NAME_COLON_QUOTE.search(text, lo, cm.end())
        if m is not None and m.start("cue") == cm.start():
            out.append(m)
    return out


def _according_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the matches of ``_ACCORDING`` in ``text`` (exactly its
    ``finditer``), found as the matches of ``_CCORDING`` right after an "a" or
    "A" that no word character precedes: the pattern's scan stops at every
    c instead of every a (half as many in English text). The matches cannot
    overlap, so each one of ``_ACCORDING`` is one of ``_CCORDING``, one
    character in."""
    out: list[tuple[int, int]] = []
    for m in _CCORDING.finditer(text):
        a = m.start() - 1
        if a >= 0 and text[a] in "Aa" and not (a and (text[a - 1].isalnum() or text[a - 1] == "_")):
            out.append((a, m.end()))
    return out


def _dash_signature_matches(text: str) -> list[re.Match]:
    """The matches of ``_DASH_SIGNATURE`` in ``text`` (exactly its ``finditer``),
    tried at the dashes found with ``str.find``: every match starts with one
    (its cue), and re's scan for the pattern's first character, a set holding
    characters beyond Latin-1, costs about three times a ``str.find`` of each."""
    return matches_at(_DASH_SIGNATURE, text, char_positions(text, "―—–-"))


def _in_poll_matches(text: str) -> list[re.Match]:
    """The matches of ``_IN_POLL`` in ``text`` (exactly its ``finditer``), searched
    only on the lines that hold "poll", "survey" or "stud": a match holds no
    newline and ends with one of these words."""
    lines: set[tuple[int, int]] = set()
    for word in ("poll", "survey", "stud"):
        i = text.find(word)
        while i >= 0:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            lines.add((start, end))
            i = text.find(word, end)
    out: list[re.Match] = []
    for start, end in sorted(lines):
        out.extend(_IN_POLL.finditer(text, start, end))
    return out


def _verb_matches(text: str, vocab: _Vocab, hits: list[str] | None = None) -> list[tuple[int, int]]:
    """The spans of the reporting-verb matches of ``text``: ``vocab.verbs``
    matched where the Polars (Rust regex) verb pattern found a candidate.

    ``hits`` are the matches of the Rust pattern over the document, in order
    (see :func:`_verb_hits`). Each is found again with ``str.find`` from the
    end of the previous one: the first occurrence there that starts on an
    ASCII word boundary is where the Rust search found it (its text matches
    there, and none matched earlier). Each start is confirmed with
    ``vocab.verbs.match`` unless the answer is known. The Python pattern (a
    prefix tree) matches at a start the longest form along the text that ends
    on a word boundary not followed by ’ ' - and a word character; for an
    ASCII hit ending in a letter or digit (``_verb_facts``' continuations):

    - followed by neither a letter, digit, _ nor ’ ' -, the hit is the match
      unless a longer form can go on there: none can when the hit is a form
      that begins no longer form, when the next character is not a space
      (longer forms go on with a letter, and only letters and digits match a
      letter under Python's case folding), or when after the spaces the next
      character is neither a letter nor digit, nor an ASCII one that begins a
      longer form's next word ("called" before " for");
    - followed by a letter, digit or _, an all-letter hit has no match when
      no longer form goes on with that character (ASCII): every shorter form
      along it is followed by a letter.

    This is ``vocab.verbs.finditer`` but for two rare cases, kept as they are:
    a hit the Python pattern rejects can cover the start of the next verb
    ("according told": the hit "according to" hides "told"), and ı, İ and
    ``\\x1c``-``\\x1f`` (matched by Python's case folding and ``\\s`` only) never
    make a candidate.
    """
    if hits is None:
        return [m.span() for m in vocab.verbs.finditer(text)]
    out: list[tuple[int, int]] = []
    pos = 0
    last_end = 0
    find = text.find
    n = len(text)
    facts = vocab.facts
    for h in hits:
        word_first, known, _, _, cont = facts.get(h) or _verb_facts(h, vocab)
        s = find(h, pos)
        while s >= 0 and (s > 0 and text[s - 1] in _ASCII_WORD) == word_first:
            s = find(h, s + 1)  # no (?-u:\b) before it: the Rust search did not start there
        if s < 0:
            return [m.span() for m in vocab.verbs.finditer(text)]  # cannot happen; stay exact all the same
        pos = e = s + len(h)
        if s < last_end or (s and (text[s - 1].isalnum() or text[s - 1] == "_")):
            continue
        after = text[e] if e < n else " "
        if after.isalnum() or after == "_":
            if cont is not None and cont[2] and after.isascii() and after.lower() not in cont[0]:
                continue  # no match here: the word goes on (see above)
        elif after not in "’'-" and (known or cont is not None and _no_longer_form(text, e, cont[1])):
            out.append((s, e))
            last_end = e
            continue
        span = _verb_walk(text, s, vocab) if vocab.form_prefixes is not None else False
        if span is False:
            m = vocab.verbs.match(text, s)
            span = m.span() if m else None
        if span:
            out.append(span)
            last_end = span[1]
    return out


def _verb_walk(text: str, s: int, vocab: _Vocab) -> tuple[int, int] | None | bool:
    """What ``vocab.verbs.match(text, s)`` gives (a span or None), found by
    walking the forms' beginnings (``vocab.form_prefixes``) along the text
    instead: False when it cannot tell (a non-ASCII letter or digit on the way,
    which Python's case folding may take for an ASCII one: ı İ ſ K).

    The pattern is the forms' prefix tree between word boundaries, the longer
    form tried first: its match is the longest form along the text (letters
    matched case-insensitively, a space as a run of ``\\s``, i.e. of
    ``str.isspace`` characters) that ends on a word boundary not followed by
    ’ ' - and a word character. Every form ends in a letter or digit, so that
    boundary is a character after it that is no word character (or the end).
    The word boundary at ``s`` itself is the caller's (a verb hit starts with
    a word character after none)."""
    prefixes = vocab.form_prefixes
    forms = vocab.verb_entry
    n = len(text)
    cur = ""
    t = s
    best = None
    while t < n:
        c = text[t]
        if c.isspace():
            cur += " "
            t += 1
            while t < n and text[t].isspace():
                t += 1
            if cur not in prefixes:
                break
            continue
        if not c.isascii():
            if c.isalnum():
                return False
            break
        cur += c.lower()
        if cur not in prefixes:
            break
        t += 1
        if cur in forms and (
            t == n
            or not (text[t].isalnum() or text[t] == "_")
            and not (text[t] in "’'-" and t + 1 < n and (text[t + 1].isalnum() or text[t + 1] == "_"))
        ):
            best = (s, t)
    return best


def _no_longer_form(text: str, e: int, spaced: str) -> bool:
    """Whether no longer form can go on after a verb hit ending at ``e``, which
    is followed by neither a letter, digit, _ nor ’ ' - (see
    :func:`_verb_matches`); ``spaced``: the first letters of the words the
    longer forms go on with after a space."""
    n = len(text)
    if not spaced or e >= n or not text[e].isspace():
        return True
    q = e + 1
    while q < n and text[q].isspace():  # Python's \s is str.isspace
        q += 1
    if q == n:
        return True
    c = text[q]
    return not c.isalnum() or (c.isascii() and c.lower() not in spaced)


_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _verb_facts(g: str, vocab: _Vocab) -> tuple[bool, bool, str, str, tuple[str, str, bool] | None]:
    """What the verb code derives from a matched verb string ``g`` alone, kept
    in ``vocab.facts`` (the same few strings recur in every document): whether
    it starts with an ASCII word character; whether, when found on a word
    boundary and not followed by a letter, digit, _ or ’ ' -, it is the Python
    match itself (ASCII, ending in a letter or digit, and a form that begins no
    longer form: see :func:`_verb_matches`); its lexicon key (lower case, runs
    of whitespace as one space); the key's first word; and, for an ASCII
    string ending in a letter or digit whose longer forms go on with letters
    (or none does), how they go on (``vocab.continuations``: the letters, the
    first letters after a space; empty for none) and whether ``g`` is all
    letters, else None."""
    facts = vocab.facts
    out = facts.get(g)
    if out is None:
        key = g.lower() if g.isalpha() else _SPACES.sub(" ", g).lower()
        words = key.split()
        plain = g.isascii() and g[-1:].isalnum()
        cont = None
        if plain:
            ways = vocab.continuations.get(key, ("", "")) if key in vocab.extendable else ("", "")
            cont = None if ways is None else (ways[0], ways[1], g.isalpha())
        out = (g[:1] in _ASCII_WORD, plain and key not in vocab.extendable, key, words[0] if words else "", cont)
        _memo_put(facts, g, out)
    return out


def _verb_hits(documents: pl.DataFrame, vocab: _Vocab) -> list:
    """Per document, the matches of the verb pattern by Polars (Rust regex), in
    order (None for every document when the vocabulary has no verbs)."""
    if not vocab.verbs_rust or documents.height == 0:
        return [None] * documents.height
    return documents.select(pl.col("text").str.extract_all(vocab.verbs_rust))["text"].to_list()


def _attribute_document(
    text: str,
    sent_spans: list[tuple[int, int]],
    paragraphs: list[int],
    vocab: _Vocab,
    verb_matches: list[tuple[int, int]] | None = None,
    sources: list[tuple[int, int | None] | None] | None = None,
    sent_starts: list[int] | None = None,
) -> tuple[list[_Row], list[tuple[int, int, bool]]]:
    """The rows and quotation spans of one document (``sent_starts``: the
    starts of ``sent_spans``, when the caller has them; ``sources``: the
    :func:`_source_spans` of ``verb_matches``, one per verb in the same order,
    else each verb's source is searched for here)."""
    quotes = quote_spans(text)
    q_starts = [q[0] for q in quotes]
    # the quotations as a character mask (the spans are in order and disjoint):
    # a position outside them, most of those asked about, is answered without a bisect
    q_mask = bytearray(len(text) + 1)
    for qs, qe, _closed in quotes:
        q_mask[qs:qe] = b"\x01" * (qe - qs)
    names = _document_names(text, vocab)
    if sent_starts is None:
        sent_starts = [s for s, _ in sent_spans]

    def in_quote(pos: int) -> int | None:
        if not q_mask[pos]:
            return None
        return bisect.bisect_right(q_starts, pos) - 1  # (the quotation holding pos)

    def sentence_of(pos: int) -> int:
        i = bisect.bisect_right(sent_starts, pos) - 1
        return i if i > 0 else 0

    def quote_ending_before(pos: int, lo: int) -> int | None:
        """Index of a quote whose closing mark sits just before ``pos`` (only punctuation/space between)."""
        i = bisect.bisect_left(q_starts, pos) - 1
        while i >= 0 and quotes[i][1] > pos:
            i -= 1
        if i >= 0 and quotes[i][1] >= lo and _ONLY_CLOSE_PUNCT.fullmatch(text, quotes[i][1], pos):
            return i
        return None

    def quote_starting_after(pos: int, hi: int) -> int | None:
        i = bisect.bisect_left(q_starts, pos)
        if i < len(quotes) and quotes[i][0] <= hi:
            return i
        return None

    # ---- candidates: (priority, cue_start, row, quote indices used)
    candidates: list[tuple[int, int, _Row, tuple[int, ...]]] = []
    for m_start, m_end in _according_spans(text) if "ccording" in text else ():
        if in_quote(m_start) is not None:
            continue
        si = sentence_of(m_start)
        ss, se = sent_spans[si]
        am = _ACC_SRC.match(text, m_end, se)
        if not am:
            continue
        src_s, src_e = am.span("src")
        before = _trim(text, ss, m_start)
        after = _trim(text, src_e, se)
        cs, ce = before if before[1] - before[0] >= after[1] - after[0] else after
        if ce <= cs:
            continue
        row = _make_row(text, cs, ce, m_start, m_end, src_s, src_e, "according_to", vocab, names, quotes, in_quote, lexicon_key="according to")
        candidates.append((2, m_start, row, ()))

    # "In a national CNN/ORC poll released Monday, 31% of Republicans …",
    # "he fell to 10 percent in the latest CNN/ORC poll": the poll speaks
    for m in _in_poll_matches(text) if ("poll" in text or "surve" in text or "stud" in text) else ():
        if in_quote(m.start()) is not None:
            continue
        ss, se = sent_spans[sentence_of(m.start())]
        if m.end() > se:
            continue
        src_s, src_e = m.span("src")
        if not any(c.isupper() for c in text[src_s + 1:src_e]):
            continue  # a named poll ("a national CNN/ORC poll"), not "in the polls"
        comma = text.find(",", m.end(), se)
        if _ONLY_OPEN_PUNCT.fullmatch(text, ss, m.start()) and comma > 0:
            cs, ce = _trim(text, comma + 1, se)
        else:
            cs, ce = _trim(text, ss, m.start())
        if not _has_words(text, cs, ce, 3):
            continue
        row = _make_row(text, cs, ce, *m.span("cue"), src_s, src_e, "in_poll", vocab, names, quotes, in_quote, lexicon_key="in")
        candidates.append((2, m.start(), row, ()))

    # “We have lost our way.” ― Sonya Herridge: a quotation that is a paragraph of
    # its own, signed with a dash and a name (right after it or in the next paragraph)
    for m in _dash_signature_matches(text) if ("―" in text or "—" in text or "-" in text) else ():
        cs_, src_e = m.start("cue"), m.end("src")
        p_start = text.rfind("\n", 0, cs_) + 1
        p_end = text.find("\n", src_e)
        p_end = len(text) if p_end < 0 else p_end
        if _has_words(text, src_e, p_end, 9):
            continue  # the name must end its paragraph ("-Michelle Marks, Philadelphia.")
        if text[p_start:cs_].strip(" \t\xa0"):
            q_s, q_e = p_start, cs_  # “…” ― Name
        else:  # "…"¶- Name: the quotation is the previous paragraph
            q_e = len(text[:p_start].rstrip())
            q_s = text.rfind("\n", 0, q_e) + 1
        body = text[q_s:q_e].strip(" \t\xa0")
        if body.endswith("."):
            body = body[:-1].rstrip()
        if len(body) < 2 or body[0] not in _OPENING_MARKS or body[-1] not in _CLOSING_MARKS or in_quote(cs_) is not None:
            continue
        cs, ce = _trim(text, q_s, q_e)
        if not _has_words(text, cs, ce, 3):
            continue
        row = _make_row(text, cs, ce, cs_, m.end("cue"), m.start("src"), src_e, "dash_signature", vocab, names, quotes, in_quote, lexicon_key="―")
        candidates.append((2, cs_, row, ()))

    # "Trump: ‘We are going to win so much.’", "Q: There's lots of talk …": a
    # paragraph opening with a short name and a colon (headline and transcript style)
    for si in _colon_openers(text, sent_spans, sent_starts, paragraphs):
        ss, se = sent_spans[si]
        cm = _SPEAKER_COLON.match(text, ss, se)
        if not cm or (cm.group("src").lower() in _FUNCTION_CAPS and cm.group("src") != "A") or cm.group("src").rstrip(".").lower() in _COLON_NOT_SPEAKER:
            continue
        if " " in cm.group("src") and cm.group("src").split(None, 1)[0].lower() in _FUNCTION_CAPS:
            continue  # "The Latest: …", "The Ninth Circle: …": a rubric, not a speaker's name
        cs, ce = _trim(text, cm.end(), se)
        if not _has_words(text, cs, ce, 3):
            continue
        row = _make_row(text, cs, ce, cm.start("cue"), cm.end("cue"), *cm.span("src"), "speaker_colon", vocab, names, quotes, in_quote, lexicon_key=":")
        # '"PENCE: Well, …': the quotation opened before the label is this speaker's
        qi = in_quote(cm.start("src")) if cm.start("src") > ss else None
        candidates.append((4, cm.start("cue"), row, (qi,) if qi is not None and quotes[qi][0] >= ss else ()))

    # "… - Mark Blumenthal and Jon Cohen: “…”", "… ISIS." Bush: "…"": a name, a colon and
    # a quotation after a paragraph or sentence start or a dash (after speaker_colon: it wins ties)
    for m in _name_colon_matches(text):
        cs_ = m.start("cue")
        first = m.group("src").split(None, 1)[0]
        if in_quote(cs_) is not None or first.lower() in vocab.verb_entry or first.lower() in _FUNCTION_CAPS:
            continue  # "Said Ellis: …" is the verb's; "The …" is a rubric
        nq = quote_starting_after(m.end(), m.end() + 2)
        if nq is None or not _has_words(text, *quotes[nq][:2], 2):
            continue
        row = _make_row(text, quotes[nq][0], quotes[nq][1], cs_, m.end("cue"), *m.span("src"), "name_colon", vocab, names, quotes, in_quote, lexicon_key=":")
        candidates.append((4, cs_, row, (nq,)))

    si = 0  # the sentence of the verb (sentence_of): the verbs come in text order, so it only moves on
    last_si = len(sent_starts) - 1
    facts = vocab.facts
    verbs = verb_matches if verb_matches is not None else _verb_matches(text, vocab)
    for (vs, ve), found in zip(verbs, sources if sources is not None else [False] * len(verbs)):
        if vs and text[vs - 1] in "’'-" or q_mask[vs]:  # (q_mask[vs]: in_quote(vs) is not None)
            continue
        while si < last_si and sent_starts[si + 1] <= vs:
            si += 1
        ss, se = sent_spans[si]
        g = text[vs:ve]
        _, _, key, key_word, _ = facts.get(g) or _verb_facts(g, vocab)
        if key_word.endswith("ing"):
            # ", adding that …": a further attribution by the same speaker, no source words
            if _ends_with(text[ss:vs], ",") and key_word in _PARTICIPLE_CUES:
                pos = ve
                if key_word in _TAKES_OBJECT_ING:
                    om = _OBJECT.match(text, pos, se)
                    pos = om.end() if om else pos
                tm = _THAT.match(text, pos, se)
                c0 = tm.end() if tm else pos
                cs, ce = _trim(text, c0, se)
                if _has_words(text, cs, ce, 3) and text[cs:ce].split(" ", 1)[0].lower() not in _PREPOSITIONS:
                    row = _make_row(text, cs, ce, vs, ve, None, None, "participle", vocab, names, quotes, in_quote, lexicon_key=key)
                    candidates.append((4, vs, row, ()))
                    continue
            pm = _PROGRESSIVE.search(text, max(ss, vs - 40), vs)
            prog_src = _source_before(text, ss, pm.start(), vocab) if pm else None
            if prog_src is None:
                if key not in vocab.needs_source:
                    _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates)
                continue
            # "Hillary Clinton is declaring that …": a progressive verb has its subject as source
        else:
            prog_src = None
        if key == "according to":
            continue
        if key == "asked" and (g[0] == "A" or text[max(0, vs - 5):vs].lower() == "when "):
            # "Asked whether he would …, Christie said", "… Christie said when asked
            # whether …": the question is an attribution of its own
            if (_ASKED_PRE.fullmatch(text, ss, vs) or text[max(0, vs - 5):vs].lower() == "when ") and _ASKED_Q.match(text, ve, se):
                comma = text.find(",", ve, se)
                cs, ce = _trim(text, ve, comma if comma > 0 else se)
                if _has_words(text, cs, ce, 2):
                    row = _make_row(text, cs, ce, vs, ve, None, None, "asked", vocab, names, quotes, in_quote, lexicon_key=key)
                    candidates.append((2, vs, row, ()))
            continue
        if g[:1].isupper() and key not in ("says", "said"):
            continue  # a verb-looking name
        if vs >= se:
            continue
        # what stands before the verb once its spaces and tabs are dropped: pre_last is
        # the last character of text[ss:pre_end] ("" if none), so _ends_with(text[ss:vs],
        # chars) is pre_last in chars (as a set) without slicing the sentence
        pre_end = _end_before_spaces(text, ss, vs)
        pre_last = text[pre_end - 1] if pre_end > ss else ""
        src = prog_src or (
            _source_before(text, ss, vs, vocab) if found is False else _source_at(text, ss, vs, found, vocab)
        )
        inverted = False
        if src is not None and (te := _end_before_spaces(text, src[1], vs)) > src[1] and text[te - 1] == ",":
            # "Sergey Radchenko, a historian …, said": the subject opens the sentence
            sm = _SUBJECT_START.match(text, ss, src[0])
            if sm and sm.end("src") < src[0]:
                src = sm.span("src")
        if src is None:
            pre = text[ss:vs]
            pm = _PAREN_END.search(pre) if pre_last == ")" or (pre.endswith("\n") and _may_end_paren(pre)) else None
            if pm:
                # "Sen. Bernie Sanders (I-Vt.) said": the party/state tag belongs to the source
                inner = _source_before(text, ss, ss + pm.start("paren"), vocab)
                if inner is not None:
                    src = (inner[0], ss + pm.end("paren"))
        if src is None or src[0] > ss:
            w0 = max(ss, vs - 80)
            nm = (
                _NUMBER_SUBJECT.search(text, w0, vs)
                if _may_end_number_subject(text, w0, vs) and _NUMBER_CORE.search(text, w0, vs)
                else None
            )
            if nm and (src is None or nm.start("src") < src[0]):
                # "One in three said", "About 31 percent of voters say"
                src = nm.span("src")
        if src is not None and src[0] > ss and not inverted:
            # "said the AP report was …", "says she wants …": the words after
            # another reporting verb are its content, not a new source
            lw = _last_word(text, max(ss, src[0] - 30), src[0])
            if lw and lw.lower() in vocab.verb_entry and not lw.lower().endswith("ing"):
                continue
        if src is None and pre_last == ",":
            # "Rashad Robinson, Color of Change's executive director, said": a
            # name opens the sentence and an appositive sits between it and the verb
            sm = _SUBJECT_START.match(text, ss, vs)
            if sm and text.count(",", sm.end("src"), vs) == 2 and not _has_words(text, sm.end("src"), vs, 13):
                src = sm.span("src")
        if src is None:
            wm = _WHO_BEFORE.search(text, max(ss, vs - 40), vs) if text.find("who", max(ss, vs - 40), vs) >= 0 else None
            if wm:
                src = wm.span("src")
        if src is None and _ends_with_and(text, ss, pre_end, vs):
            # "… denounced her record and said …": the sentence's subject speaks
            sm = _SENTENCE_SUBJECT.match(text, ss, vs)
            if sm:
                src = sm.span("src")
        if (src is None or pre_last in _CLOSE_QUOTE_CHARS) and pre_last in _COMMA_CLOSE_CHARS:
            am = _SOURCE_AFTER.match(text, ve, se) or _SOURCE_AFTER_DET.match(text, ve, se)
            if am:
                src = am.span("src")
                inverted = True
        if src is None:
            if key not in vocab.needs_source:
                _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates)
            continue
        src_s, src_e = src
        if in_quote(src_s) is not None:
            continue
        after_verb = src_e if inverted else ve
        used: tuple[int, ...] = ()
        tail = _SKIP_AFTER_VERB.match(text, after_verb, se)
        pos = tail.end() if tail else after_verb
        qi = quote_ending_before(min(src_s, vs), ss - 1)
        if qi is not None:
            # “…,” X said   /   “…,” said X  (several quotes of one sentence join)
            first = qi
            while first > 0 and quotes[first - 1][0] >= ss:
                first -= 1
            cs, ce = quotes[first][0], quotes[qi][1]
            used = tuple(range(first, qi + 1))
            nq = quote_starting_after(pos, pos + 4)
            if nq is not None and quotes[nq][0] < se + 2 and _ONLY_OPEN_PUNCT.fullmatch(text, pos, quotes[nq][0]):
                ce = quotes[nq][1]
                used = used + (nq,)
            rule, prio = "quote_before", 0
        else:
            if key_word in _TAKES_OBJECT:
                om = _OBJECT.match(text, pos, se)
                if om and not _THAT_OR_CLAUSE.match(text[pos:om.end()]):
                    pos = om.end()
                    tail = _SKIP_AFTER_VERB.match(text, pos, se)
                    pos = tail.end() if tail else pos
            cm = _COLON_QUOTE.match(text, pos, se)
            nq = quote_starting_after(pos, pos + 4) if cm else None
            before_src = text[ss:min(src_s, vs)]
            comma_before = _comma_before(before_src)
            if nq is not None:
                cs, ce = quotes[nq][0], quotes[nq][1]
                used = (nq,)
                rule, prio = ("colon_intro" if ":" in text[pos:quotes[nq][0]] else "verb_quote"), 0
            elif comma_before is not None and _CLAUSE_END_AFTER.match(text, pos, se) and _has_words(before_src, 0, len(before_src), 3):
                # We are ready to negotiate, Mr. Putin told Mr. Carlson in the interview.
                cs, ce = _trim(text, ss, ss + comma_before)
                rule, prio = "clause_before", 1
            elif comma_before is not None and text[pos:se].lstrip(" \t").startswith(",") and WORD_RE.search(before_src):
                # A, X said, B
                cs, ce = _trim(text, ss, se)
                rule, prio = "parenthetical", 3
            else:
                tm = _THAT.match(text, pos, se)
                c0 = tm.end() if tm else pos
                cs, ce = _trim(text, c0, se)
                rule, prio = "verb_clause", 3
                first_word = text[cs:ce].split(" ", 1)[0].lower()
                if first_word.rstrip(",:") in _PARTICIPLE_CUES and "," in text[ve:cs] and _has_words(text, cs, ce, 4):
                    # "X continued, saying …": the participle is the cue, the source stays X
                    key = first_word.rstrip(",:")
                    vs, ve = cs, cs + len(key)
                    if key in _TAKES_OBJECT_ING:
                        om = _OBJECT.match(text, ve, se)
                        c0 = om.end() if om else ve
                    else:
                        c0 = ve
                    tm = _THAT.match(text, c0, se)
                    cs, ce = _trim(text, tm.end() if tm else c0, se)
                    first_word = text[cs:ce].split(" ", 1)[0].lower()
                if not _has_words(text, cs, ce, 2):
                    _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates, (src_s, src_e))
                    continue
                if first_word in _PREPOSITIONS:
                    # "said during his victory speech Tuesday that …", "told reporters in Nashua last week, “…”"
                    lm = _late_complement(text, cs, min(ce, cs + 100))
                    if not lm:
                        _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates, (src_s, src_e))
                        continue
                    cs = lm.end()
                    nq = quote_starting_after(cs, cs + 2)
                    if nq is None and not _has_words(text, cs, ce, 3):
                        _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates, (src_s, src_e))
                        continue
                    if nq is not None:
                        cs = quotes[nq][0]
                    first_word = ""
                if first_word == "to" and key.split()[0] not in _TAKES_TO:
                    _cue_only(text, vs, ve, key, (ss, se), vocab, names, quotes, in_quote, candidates, (src_s, src_e))
                    continue
                nq = quote_starting_after(cs, cs + 2)
                if nq is not None:
                    ce = max(ce, quotes[nq][1])
                    used = (nq,)
        if rule in ("verb_clause", "parenthetical"):
            ce = _cut_before_participle(text, cs, ce, in_quote)
        if ce <= cs:
            continue
        row = _make_row(text, cs, ce, vs, ve, src_s, src_e, rule, vocab, names, quotes, in_quote, lexicon_key=key)
        candidates.append((prio, vs, row, used))

    # ---- resolve overlaps: higher priority first, then left to right; univocal like PolNeAR
    rows: list[_Row] = []
    row_firsts: list[int] = []  # where each kept row's source-or-cue starts
    row_cue_list: list[int] = []  # each kept row's cue start (same order)
    row_cues: set[int] = set()
    used_quotes: set[int] = set()
    # the kept rows as character masks: ``covered`` marks their contents (the
    # union: "some kept content holds this position"), ``cue_at`` their cue starts
    covered = bytearray(len(text) + 1)
    cue_at = bytearray(len(text) + 1)
    first_at = bytearray(len(text) + 1)  # the kept rows' firsts (row_firsts as a mask)
    # within the clause tier the later cue wins and the earlier content stops before it
    # ("While Comey has said that …, Lewandowski said …")
    for _prio, _vs, row, used in sorted(candidates, key=lambda c: (c[0], -c[1] if c[0] == 3 else c[1])):
        if used and any(q in used_quotes for q in used):
            continue
        if row.rule in ("verb_clause", "parenthetical", "according_to", "verb_loose", "clause_before"):
            start, end = row.start, row.end
            # a cut needs a kept first or kept cue strictly inside (start, end),
            # which only shrinks: without one _cut_before_kept changes nothing
            if first_at.find(1, start + 1, end) >= 0 or cue_at.find(1, start + 1, end) >= 0:
                row.start, row.end = _cut_before_kept(text, start, end, row.cue_start, row_firsts, row_cue_list)
        if row.rule == "speaker_colon":
            # a transcript label ("TAPPER: … I think …"): attributions inside its content nest
            if covered[row.cue_start]:
                continue
        elif _prio < 5 and (covered[row.cue_start] or cue_at.find(1, row.start, row.end) >= 0):
            continue
        # (a cue, never empty, inside one kept content is a position that content covers)
        if _prio == 5 and row.mode != "speech" and covered[row.cue_start] and any(
            r.start <= row.cue_start and row.cue_end <= r.end for r in rows
        ):
            continue  # a belief/stance/document verb inside reported content belongs to that content
        # (priority-5 rows nest freely: their cue is a verb match, which never
        # overlaps another kept cue except at the same start, checked below)
        if row.cue_start in row_cues:
            continue
        rows.append(row)
        row_cues.add(row.cue_start)
        row_firsts.append(row.cue_start if row.source_start is None else min(row.source_start, row.cue_start))
        row_cue_list.append(row.cue_start)
        used_quotes.update(used)
        if row.end > row.start:
            covered[row.start:row.end] = b"\x01" * (row.end - row.start)
        cue_at[row.cue_start] = 1
        first_at[row_firsts[-1]] = 1

    # a belief, stance or document verb inside what a speech row reports is part of that
    # report ("Clinton keeps saying she opposed the war": "opposed" is inside the saying)
    speech_rows = [r for r in rows if r.mode == "speech" and r.cue_start is not None]
    if len(speech_rows) < len(rows):
        in_speech = bytearray(len(text) + 1)
        for o in speech_rows:
            if o.end > o.start:
                in_speech[o.start:o.end] = b"\x01" * (o.end - o.start)
        rows = [
            row for row in rows
            if row.mode == "speech" or not (in_speech[row.cue_start] and any(
                o is not row and o.start <= row.cue_start and row.cue_end <= o.end for o in speech_rows
            ))
        ]

    # ---- quotes no rule attributed: continuation of the previous direct quote
    rows.sort(key=lambda r: (r.start, r.end))
    row_starts = [r.start for r in rows]
    covered = inside_mask_spans([(r.start, r.end, True) for r in rows])
    cov_starts = [c[0] for c in covered]

    def is_covered(s: int, e: int) -> bool:
        i = bisect.bisect_right(cov_starts, s) - 1
        return i >= 0 and covered[i][0] <= s and e <= covered[i][1] + 1

    for qi, (qs, qe, _closed) in enumerate(quotes):
        if qi in used_quotes or is_covered(qs, qe):
            continue
        i = bisect.bisect_left(row_starts, qs) - 1
        prev = rows[i] if i >= 0 else None
        if prev is None or not prev.direct:
            continue
        p_prev = paragraphs[sentence_of(max(prev.end - 1, 0))]
        p_this = paragraphs[sentence_of(qs)]
        if p_this == p_prev:
            # same paragraph: only quote marks, spaces and punctuation between
            if WORD_RE.search(text, prev.end, qs) and prev.cue_start is not None and not (prev.cue_start < qs and prev.cue_start > prev.end):
                if WORD_RE.search(text[max(prev.end, (prev.cue_end or 0)):qs]):
                    continue
        elif not (0 < p_this - p_prev <= 2 and not WORD_RE.search(text, _para_start(text, qs), qs)):
            continue
        if not _has_words(text, qs, qe, 4):
            continue
        rows.append(
            _Row(qs, qe, prev.cue, None, None, prev.source, None, None, prev.speaker,
                 "continuation" if prev.speaker else prev.resolution, prev.source_type, True, prev.loaded, "continuation")
        )
    rows.sort(key=lambda r: (r.start, r.end, r.cue_start if r.cue_start is not None else -1))

    # ---- pronouns and roles: most recent named person speaker
    last_person: str | None = None
    last_group: _Row | None = None
    prev_row: _Row | None = None
    for r in rows:
        if r.resolution in ("pronoun", "role") and r.source_type == "named_person":
            if last_person is not None:
                r.speaker = last_person
            else:
                r.source_type = "unknown"
                r.resolution = "none"
        elif r.resolution == "pronoun" and r.source and r.source.lower() == "they" and last_group is not None:
            r.source_type = last_group.source_type
        if r.rule == "participle" and prev_row is not None and r.cue_start - (prev_row.cue_end or prev_row.end) < 250:
            r.speaker, r.source_type = prev_row.speaker, prev_row.source_type
            r.resolution = "continuation" if prev_row.speaker else "none"
        prev_row = r
        if r.rule == "continuation" and r.speaker is None and last_person is not None and r.source_type == "named_person":
            r.speaker = last_person
        if r.speaker and r.source_type == "named_person":
            last_person = r.speaker
        if r.source_type in ("anonymous", "named_organization"):
            last_group = r
    for r in rows:
        if r.source_type == "named_person" and r.speaker is None and r.resolution in ("pronoun", "role"):
            r.source_type = "unknown"
            r.resolution = "none"
    return rows, quotes


def _late_complement(text: str, lo: int, hi: int) -> re.Match | None:
    """``_LATE_COMPLEMENT.search(text, lo, hi)``, searched from where a match
    can first start: every match begins at a comma, at the "that" it takes, or
    in the run of spaces and tabs before a colon, so the search starts at the
    first of these (None when the window holds none: most windows)."""
    find = text.find
    start = find(",", lo, hi)
    if start < 0:
        start = hi
    t = find("that", lo, start)
    if t >= 0:
        start = t
    c = find(":", lo, start)
    if c >= 0:
        start = c
        while start > lo and text[start - 1] in " \t":
            start -= 1
    return _LATE_COMPLEMENT.search(text, start, hi) if start < hi else None


def _cut_before_kept(text: str, start: int, end: int, cue_start: int, firsts: list[int], cues: list[int]) -> tuple[int, int]:
    """A clause content ``[start, end)`` cut before the source-or-cue start
    (``firsts``) of each kept row, in order, that lies inside it after its own
    cue, or before that row's cue when the content starts between the two ("X
    says he spoke to Y and asked him …")."""
    for first, kept_cue in zip(firsts, cues):
        if first <= start < kept_cue:
            first = kept_cue  # cut before the later cue
        if start < first < end and cue_start < first:
            cut = _trim(text, start, first)
            if cut[1] > cut[0]:
                start, end = cut
    return start, end


def _cut_before_participle(text: str, cs: int, ce: int, in_quote) -> int:
    """End of a clause content that stops before a ", saying …" (", adding …",
    ", referring to …") outside quotes: PolNeAR makes the participle a second
    cue of the same speaker with the rest of the clause as its own content
    ("Clinton attacked Trump, saying he would …" -> contents "Trump" and "he
    would …"). Returns ``ce`` unchanged when there is no such participle or
    fewer than three words follow it."""
    if text.find(",", cs, ce) < 0:
        return ce  # (a match opens with a comma)
    for m in _PARTICIPLE_AFTER.finditer(text, cs, ce):
        if in_quote(m.start()) is not None:
            continue  # inside a quotation
        if not _has_words(text, m.end(), ce, 3):
            return ce
        cut = _trim(text, cs, m.start())
        return cut[1] if cut[1] > cs else ce
    return ce


def _cue_only(text, vs, ve, key, sent, vocab, names, quotes, in_quote, candidates, src=None) -> None:
    """A reporting verb no other rule could use: still a cue, its content the
    rest of the sentence after the verb (past ``that`` and time/place
    phrases), else (the verb ends the sentence) the words before it. Rule ``cue_only`` when no source was
    found (source null, type ``unknown``); ``verb_loose`` when a source was
    found but the content has none of the shapes above (``Lott told lawmakers
    on a recent visit.``).

    Forms that are often nouns or adjectives (``support``, ``questions``,
    ``pledged delegates``) are listed per entry in the lexicon's
    ``needs_source`` and never make such a row.
    """
    ss, se = sent
    if vs >= se:
        return
    tail = _SKIP_AFTER_VERB.match(text, ve, se)
    pos = tail.end() if tail else ve
    tm = _THAT.match(text, pos, se)
    cs, ce = _trim(text, tm.end() if tm else pos, se)
    if not WORD_RE.search(text, cs, ce):
        cs, ce = _trim(text, ss, vs)
        if not _has_words(text, cs, ce, 2):
            return
    src_s, src_e = src if src is not None else (None, None)
    rule = "cue_only" if src is None else "verb_loose"
    row = _make_row(text, cs, ce, vs, ve, src_s, src_e, rule, vocab, names, quotes, in_quote, lexicon_key=key)
    candidates.append((5, vs, row, ()))


def _para_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _make_row(text, cs, ce, vs, ve, src_s, src_e, rule, vocab, names, quotes, in_quote, *, lexicon_key) -> _Row:
    if src_s is None:
        source = None
        stype, speaker, resolution = "unknown", None, "none"
    else:
        if text[src_e - 1] == "." and len(text[src_s:src_e].rsplit(None, 1)[-1]) > 3:
            src_e -= 1  # the sentence's full stop, not an abbreviation
        source = text[src_s:src_e]
        # a transcript label in capitals ("JAKE TAPPER:", "PENCE:") is typed as the name it spells
        label = source.title() if rule == "speaker_colon" and source.isupper() and len(source) > 2 else source
        stype, speaker, resolution = _classify(label, vocab, names)
    entry = vocab.verb_entry.get(lexicon_key)
    lex_id, category, mode = entry if entry is not None else (f"rule:{rule}", "neutral", "speech")
    qi = in_quote(cs)
    direct = qi is not None and quotes[qi][1] >= ce - 1
    loaded = category.startswith("loaded")
    # (start, end, cue, cue_start, cue_end, source, source_start, source_end, speaker,
    #  resolution, source_type, direct, loaded, rule, lexicon_id, cue_category, mode)
    return _Row(
        cs, ce, text[vs:ve], vs, ve, source, src_s, src_e, speaker, resolution, stype, direct,
        loaded, rule, lex_id, "loaded_verb" if loaded else "neutral", mode,
    )


# --------------------------------------------------------------------------- frames


def attribute(
    documents: pl.DataFrame, sentences: pl.DataFrame, *, lexicons: LexiconSet
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Build the attribution ledger, its cues, and the sentence columns.

    Returns ``(quotes, cues, sentences)``; ``sentences`` is the input with
    ``quote_share``, ``speaker`` and ``attributed`` added (replaced if present).
    """
    with _no_cyclic_gc():
        return _attribute(documents, sentences, lexicons)


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause Python's cyclic garbage collector for the stage, restoring its
    state after. The stage makes no reference cycles (every row, tuple and
    match is freed by its reference count; a ``gc.collect()`` after it finds
    nothing), but its hundreds of thousands of short-lived containers would
    start the collector hundreds of times per batch, each pass also walking
    every long-lived object of the process (~9% of the stage's CPU)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _attribute(documents: pl.DataFrame, sentences: pl.DataFrame, lexicons: LexiconSet) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """:func:`attribute` itself (with the cyclic collector paused)."""
    vocab = _vocab(lexicons)
    by_doc: dict[str, tuple[list[tuple[int, int]], list[int], list[int], list[int]]] = {}  # spans, paragraphs, starts, ends
    if sentences.height:
        grouped = (
            sentences.sort(["doc_id", "sent_id"])
            .group_by("doc_id", maintain_order=True)
            .agg(pl.col("start"), pl.col("end"), pl.col("paragraph"))
        )
        columns = (grouped[c].to_list() for c in ("doc_id", "start", "end", "paragraph"))
        for d, st, en, pa in zip(*columns):
            by_doc[d] = (list(zip(st, en)), pa, st, en)
    q_rows: list[tuple] = []  # the ledger in schema.QUOTES order, n_words left out (counted below)
    c_rows: list[tuple] = []  # the cues: doc_id, sent_id, start, end, kind, category, term, lexicon_id
    # per-sentence columns, in document then sentence order (a repeated doc_id
    # overwrites its first block: ``placed`` says where that block starts)
    s_cols: dict[str, list] = {"doc_id": [], "sent_id": [], "quote_share": [], "speaker": [], "attributed": []}
    placed: dict[str, int] = {}
    # word counts are taken at the end in one Polars pass: of each row's content
    # (n_words) and of the quotations whose cue category waits on their count
    contents: list[str] = []
    waiting: list[int] = []  # cue rows of quotations that may be partial
    waiting_text: list[str] = []
    # the reporting verbs of every document, then the backward source search
    # of every verb in two Polars passes (see _source_spans)
    work = []
    windows: list[str] = []
    for doc_id, text, hits in zip(documents["doc_id"].to_list(), documents["text"].to_list(), _verb_hits(documents, vocab)):
        if not text or doc_id not in by_doc:
            continue
        spans, paras, starts, ends = by_doc[doc_id]
        verbs = _verb_matches(text, vocab, hits)
        work.append((doc_id, text, spans, paras, starts, ends, verbs, len(windows)))
        windows.extend(_source_windows(text, starts, verbs))
    found = _source_spans(windows)
    br = bisect.bisect_right
    for doc_id, text, spans, paras, starts, ends, verbs, first in work:
        rows, quotes = _attribute_document(text, spans, paras, vocab, verbs, found[first:first + len(verbs)], starts)

        # the sentence of a position: (br(starts, pos) or 1) - 1, i.e. the last
        # sentence starting at or before it, else the first (written out: a call per use)
        for r in rows:
            q_rows.append((
                doc_id, (br(starts, r.start) or 1) - 1, r.start, r.end, r.cue, r.cue_start, r.cue_end, r.source, r.source_start,
                r.source_end, r.speaker, r.resolution if r.speaker or r.resolution == "none" else "none",
                r.source_type, r.direct, r.loaded, r.rule,
            ))
            contents.append(text[r.start:r.end])  # n_words, counted below
            # (a row's cue and source are the text of their spans: _make_row cut them so)
            if r.cue_start is not None:
                c_rows.append((
                    doc_id, (br(starts, r.cue_start) or 1) - 1, r.cue_start, r.cue_end, "reporting_verb", r.cue_category, r.cue, r.lexicon_id,
                ))
            if r.source_start is not None and r.source_type in ("named_person", "named_organization") and r.resolution == "named":
                c_rows.append((
                    doc_id, (br(starts, r.source_start) or 1) - 1, r.source_start, r.source_end, "named_source", r.source_type, r.source,
                    f"rule:{r.source_type}",
                ))
        # quote cues (a quotation of five words or fewer inside a longer sentence
        # is partial) and per-sentence shares
        for qs, qe, _closed in quotes:
            s_i = (br(starts, qs) or 1) - 1
            ss, se = spans[s_i]
            if qs - ss > 2 or se - qe > 2:
                waiting.append(len(c_rows))
                waiting_text.append(text[qs:qe])
            c_rows.append((doc_id, s_i, qs, qe, "quote", "direct", text[qs:qe], "rule:quote_marks"))
        _sentence_columns(doc_id, spans, starts, quotes, rows, s_cols, placed, ends)
    counts = _count_words(contents + waiting_text)
    q_names = [k for k in schema.QUOTES if k != "n_words"]
    q_cols = dict(zip(q_names, map(list, zip(*q_rows)))) if q_rows else {k: [] for k in q_names}
    q_cols["n_words"] = counts[:len(contents)]
    c_names = ["doc_id", "sent_id", "start", "end", "kind", "category", "term", "lexicon_id"]
    c_cols = dict(zip(c_names, map(list, zip(*c_rows)))) if c_rows else {k: [] for k in c_names}
    category = c_cols["category"]
    for c_i, n in zip(waiting, counts[len(contents):]):
        if n <= 5:
            category[c_i] = "partial"
    quotes_frame = pl.DataFrame({k: q_cols[k] for k in schema.QUOTES}, schema=schema.polars_schema(schema.QUOTES))
    cues_frame = pl.DataFrame(c_cols, schema=pl.Schema({k: schema.CUES[k][0] for k in c_names}))
    cues_frame = schema.conform(cues_frame, schema.CUES).sort(["doc_id", "start", "end", "kind", "lexicon_id"], maintain_order=True)
    quotes_frame = quotes_frame.sort(["doc_id", "start", "end", "cue_start"], nulls_last=True, maintain_order=True)
    extra = pl.DataFrame(
        s_cols,
        schema={"doc_id": pl.String, "sent_id": pl.Int64, "quote_share": pl.Float64, "speaker": pl.String, "attributed": pl.Boolean},
    )
    base = sentences.drop([c for c in ("quote_share", "speaker", "attributed") if c in sentences.columns])
    if "n_words" not in base.columns and "text" in base.columns:
        base = base.with_columns(n_words_expr("text").alias("n_words"))
    out = base.join(extra, on=["doc_id", "sent_id"], how="left", maintain_order="left").with_columns(
        pl.col("attributed").fill_null(False)
    )
    return quotes_frame, cues_frame, out


def _sentence_columns(doc_id, spans, starts, quotes, rows, s_cols, placed, ends=None) -> None:
    """quote_share, speaker and attributed of one document's sentences,
    appended to ``s_cols`` (or written over the block of an earlier document
    with the same id, as ``placed`` records).

    A sentence is attributed when an attribution's content overlaps it or its
    cue sits in it; its speaker is that of the first such attribution (in
    ledger order) that has one.
    """
    if ends is None:
        ends = [e for _, e in spans]
    n = len(spans)
    inside = [0] * n
    # (the quotation spans are in order and disjoint, as quote_spans gives them:
    # the characters a sentence shares with them are the sum of its overlaps,
    # with no merge of the spans first)
    for qs, qe, _closed in quotes:
        for i in range(bisect.bisect_right(ends, qs), bisect.bisect_left(starts, qe)):
            ss, se = spans[i]
            # (the overlap, max(0, min(se, qe) - max(ss, qs)), without three calls)
            lo = ss if ss > qs else qs
            hi = se if se < qe else qe
            if hi > lo:
                inside[i] += hi - lo
    att = [False] * n
    spk: list[str | None] = [None] * n
    for r in rows:
        hit = range(bisect.bisect_right(ends, r.start), bisect.bisect_left(starts, r.end))
        if r.cue_start is not None:
            c = bisect.bisect_right(starts, r.cue_start) - 1
            if c >= 0 and spans[c][0] <= r.cue_start < spans[c][1] and c not in hit:
                hit = [*hit, c]
        for i in hit:
            att[i] = True
            if spk[i] is None and r.speaker:
                spk[i] = r.speaker
    # (a sentence outside every quotation, most of them, shares 0.0 with no division)
    share = [(x / (se - ss) if x else 0.0) if se > ss else None for x, ss, se in zip(inside, starts, ends)]
    at = placed.get(doc_id)
    if at is None:
        placed[doc_id] = len(s_cols["doc_id"])
        s_cols["doc_id"].extend([doc_id] * n)
        s_cols["sent_id"].extend(range(n))
        s_cols["quote_share"].extend(share)
        s_cols["speaker"].extend(spk)
        s_cols["attributed"].extend(att)
    else:
        s_cols["quote_share"][at:at + n] = share
        s_cols["speaker"][at:at + n] = spk
        s_cols["attributed"][at:at + n] = att


def _count_words(pieces: list[str]) -> list[int]:
    """``len(WORD_RE.findall(p))`` for every piece, counted by Polars in one pass.

    :data:`~framing.text.tokens.WORD_PATTERN` is ``[^\\W_]+(?:['’][^\\W_]+)*``,
    where Python's ``[^\\W_]`` is ``str.isalnum``; the Rust regex spells that
    class out (:func:`_python_classes`), so it agrees with Python on every
    character the pieces hold (Rust's own ``\\w`` differs, e.g. on combining
    marks)."""
    if not pieces:
        return []
    series = pl.Series(pieces, dtype=pl.String)
    alnum = _python_classes(series)["alnum"]
    return series.str.count_matches(rf"[{alnum}]+(?:['’][{alnum}]+)*").to_list()


