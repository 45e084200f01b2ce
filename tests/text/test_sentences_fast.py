"""The one-pass segmenter gives exactly what the line-by-line segmenter gave.

``_Before`` below is a frozen copy of framing/text/sentences.py as it stood
before the speed-up (one boundary scan per line, the rest of the text copied
for each candidate, a Polars join to cut the sentence texts). Do not
"improve" it: its value is that it does not change.
"""

from __future__ import annotations

import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import schema
from framing.text import sentences as S
from framing.text.tokens import n_words_expr


class _Before:
    _BOUNDARY = re.compile(rf"[.!?…]+[{re.escape(S._CLOSERS)}]*(?=\s+[\w{re.escape(S._OPENERS_CHARS)}—–-])")
    _PREV_TOKEN = re.compile(r"([\w.’'-]*)$")
    _NEXT_TOKEN = re.compile(r"\s+([\w’'-]*)")
    _PARAGRAPH = re.compile(r"[^\n]+")
    _LEAD_TRAIL = re.compile(r"\S(?:.*\S)?", re.S)

    @classmethod
    def is_boundary(cls, text: str, start: int, end: int) -> bool:
        punct = text[start:end]
        after = text[end:]
        nxt_match = cls._NEXT_TOKEN.match(after)
        nxt = nxt_match.group(1) if nxt_match else ""
        if nxt[:1].islower():
            return False
        core = punct.rstrip(S._CLOSERS)
        if core in ("?", "!", "?!", "!?") and len(core) < len(punct):
            if S._ATTRIBUTION_AFTER.match(after, 0, 80):
                return False
        if core != ".":
            return True
        if len(core) < len(punct):
            return True
        prev = cls._PREV_TOKEN.search(text, max(0, start - 40), start).group(1)
        if not prev:
            return True
        bare = prev.rsplit(".", 1)[-1] if "." in prev else prev
        low = bare.lower()
        if "." in prev and len(bare) <= 2:
            return nxt in S._OPENERS
        if low in S._NAME_ABBREVIATIONS and (nxt[:1].isupper() or nxt[:1].isdigit()):
            return False
        if len(bare) == 1 and bare.isupper():
            return nxt in S._OPENERS and nxt not in ("A", "I")
        return True

    @classmethod
    def add(cls, text: str, start: int, end: int, spans: list) -> None:
        m = cls._LEAD_TRAIL.search(text, start, end)
        if m:
            spans.append(m.span())

    @classmethod
    def split_sentences(cls, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for para in cls._PARAGRAPH.finditer(text):
            p_start, p_end = para.span()
            cut = p_start
            for m in cls._BOUNDARY.finditer(text, p_start, p_end):
                if cls.is_boundary(text, m.start(), m.end()):
                    cls.add(text, cut, m.end(), spans)
                    cut = m.end()
            cls.add(text, cut, p_end, spans)
        return spans

    @classmethod
    def paragraph_spans(cls, text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for para in cls._PARAGRAPH.finditer(text):
            cls.add(text, para.start(), para.end(), out)
        return out

    @classmethod
    def segment(cls, documents: pl.DataFrame) -> pl.DataFrame:
        doc_ids, sent_ids, paragraphs, starts, ends = [], [], [], [], []
        for doc_id, text in zip(documents["doc_id"].to_list(), documents["text"].to_list()):
            if not text:
                continue
            para_ends = [e for _, e in cls.paragraph_spans(text)]
            p = 0
            for i, (s, e) in enumerate(cls.split_sentences(text)):
                while para_ends[p] < e:
                    p += 1
                doc_ids.append(doc_id)
                sent_ids.append(i)
                paragraphs.append(p)
                starts.append(s)
                ends.append(e)
        frame = pl.DataFrame(
            {"doc_id": doc_ids, "sent_id": sent_ids, "paragraph": paragraphs, "start": starts, "end": ends},
            schema={"doc_id": pl.String, "sent_id": pl.Int64, "paragraph": pl.Int64, "start": pl.Int64, "end": pl.Int64},
        )
        if frame.height == 0:
            return schema.empty(schema.SENTENCES).select("doc_id", "sent_id", "paragraph", "start", "end", "text", "n_words")
        texts = documents.select("doc_id", pl.col("text").alias("_doc")).unique("doc_id", keep="first", maintain_order=True)
        return (
            frame.join(texts, on="doc_id", how="left", maintain_order="left")
            .with_columns(pl.col("_doc").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("text"))
            .drop("_doc")
            .with_columns(n_words_expr("text").alias("n_words"))
        )


# Pieces that exercise every rule: marks, closers and openers, all kinds of whitespace (\r, \v,
# \u2028 are whitespace but do not end a line), abbreviations, initials, openers, attributions,
# and tokens longer than the 40 characters the previous word is looked for in.
_PIECES = list(".!?…\"'”’»)]“‘«([„ \n\t\r\v\u2028aZ9_—–-") + [
    "Mr.", "U.S.", " V. ", " He", " said", "? ” Putin said", " the", "The", "a.m.", "\n\n", "  ",
    "x" * 45, "St.", "No. 2", "’s", "I", "A", "don’t", "(", "…", "\n  \n", " \n", "é", "Ω",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_split_sentences_equals_the_line_by_line_scan(text):
    assert S.split_sentences(text) == _Before.split_sentences(text)


def _docs(texts: list[str | None], ids: list[str | None] | None = None) -> pl.DataFrame:
    ids = ids if ids is not None else [f"d{i}" for i in range(len(texts))]
    return pl.DataFrame({"doc_id": ids, "text": texts}, schema={"doc_id": pl.String, "text": pl.String})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join) | st.none(), max_size=5))
def test_segment_equals_the_line_by_line_segment(texts):
    documents = _docs(texts)
    new, old = S.segment(documents), _Before.segment(documents)
    assert new.schema == old.schema
    assert new.equals(old)


def test_segment_on_the_seeds(seeds_dir):
    files = sorted(p for p in seeds_dir.rglob("*") if p.suffix in (".txt", ".md", ".html"))
    documents = _docs([p.read_text(encoding="utf-8") for p in files])
    assert documents.height
    assert S.segment(documents).equals(_Before.segment(documents))


def test_segment_repeated_and_null_doc_ids():
    """A repeated doc_id cuts its sentences from the first row's text, a null doc_id gives null text
    (what the join on unique doc_ids gave)."""
    documents = _docs(
        ["One. Two.\n\nThree", "X. Y", "Longer text here. Yes. And more.", "Null id. Ok.", None, "Later c. Text."],
        ["a", "b", "a", None, "c", "c"],
    )
    new = S.segment(documents)
    assert new.equals(_Before.segment(documents))
    assert new.filter(pl.col("doc_id").is_null())["text"].null_count() == 2
    assert new.filter(pl.col("doc_id") == "c")["text"].null_count() == 2
