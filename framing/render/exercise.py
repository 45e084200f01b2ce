"""Media-literacy worksheets and answer keys from one article.

:func:`build_exercise` writes ``worksheet.html``, ``answer_key.html``,
``worksheet.md`` and ``answer_key.md``. The tasks come from
:mod:`framing.render.exercise_tasks`; this module renders them with the
Jinja2 templates in ``templates/exercise/`` (HTML autoescaped; Markdown
escaped by a ``finalize`` hook, so article text is never markup).

Printing: the pages leave the paper size to the printer (``@page`` sets only
margins) and keep every line within 180 mm, which fits both A4 (210 mm) and
US Letter (216 mm) with 15 mm margins; a page is at least 264 mm tall on
both. Paragraphs (¶) and sentences (small raised numbers) are numbered so
students and the key can point at them; each task has ruled lines to write on.

The answer key highlights every row of the cues frame and every attributed
span of the quotes frame; each highlight is a ``<mark>`` carrying
``data-frame``, ``data-kind``, ``data-start``, ``data-end`` and ``data-hl``
(fragments of one highlight split across sentences share ``data-hl``).
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from framing.render import exercise_tasks as et

FILES = ("worksheet.html", "answer_key.html", "worksheet.md", "answer_key.md")


# ---------------------------------------------------------------- HTML highlight markup


def _open_tag(h: et.Highlight) -> str:
    attrs = {
        "class": f"hl {h.css}",
        "data-hl": h.hl_id,
        "data-frame": h.frame,
        "data-kind": h.kind,
        "data-category": h.category or "",
        "data-start": str(h.start),
        "data-end": str(h.end),
        "title": f"{et.KIND_LABELS.get(h.kind, h.kind)}: {h.note}",
    }
    if h.lexicon_id:
        attrs["data-lexicon"] = h.lexicon_id
    return "<mark " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + ">"


def _layer(h: et.Highlight) -> int:
    return 0 if h.frame == "quotes" else 1


def highlight_sentence(text: str, start: int, end: int, highlights: list[et.Highlight]) -> Markup:
    """``text[start:end]`` with highlights as properly nested ``<mark>`` elements.

    Where two highlights cross, the inner one is closed and reopened (both
    fragments keep the full span's data attributes).
    """
    hs = [h for h in highlights if h.start < end and h.end > start]
    if not hs:
        return escape(text[start:end])
    points = sorted({start, end} | {max(start, h.start) for h in hs} | {min(end, h.end) for h in hs})
    order = sorted(hs, key=lambda h: (h.start, -h.end, _layer(h), h.hl_id))
    rank = {h.hl_id: i for i, h in enumerate(order)}
    stack: list[et.Highlight] = []
    out: list[str] = []
    for a, b in zip(points, points[1:]):
        if a >= b:
            continue
        want = sorted((h for h in hs if h.start <= a and h.end >= b), key=lambda h: rank[h.hl_id])
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep].hl_id == want[keep].hl_id:
            keep += 1
        for _ in range(len(stack) - keep):
            out.append("</mark>")
            stack.pop()
        for h in want[keep:]:
            out.append(_open_tag(h))
            stack.append(h)
        out.append(str(escape(text[a:b])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


def article_html(doc: et.DocView, highlights: tuple[et.Highlight, ...] = ()) -> list[dict]:
    """Paragraphs for the template: number and sentences (number, Markup)."""
    paras = []
    hl = list(highlights)
    for p, sents in doc.paragraphs:
        rows = []
        for s in sents:
            mine = [h for h in hl if h.start < s.end and h.end > s.start]
            rows.append({"n": s.sent_id + 1, "sent_id": s.sent_id, "html": highlight_sentence(doc.text, s.start, s.end, mine)})
        paras.append({"n": p + 1, "sentences": rows})
    return paras


def context_html(ctx: tuple[str, str, str] | None, css: str = "k-cue") -> Markup:
    if not ctx:
        return Markup("")
    before, mid, after = ctx
    return Markup('{}<mark class="ctx {}">{}</mark>{}').format(before, css, mid, after)


def diff_html(segments) -> Markup:
    """Segments of a reworded sentence, the changed words marked."""
    return Markup("").join(
        Markup('<mark class="chg">{}</mark>').format(text) if kind == "changed" else escape(text) for kind, text in segments
    )


# ---------------------------------------------------------------- Markdown


class MdSafe(str):
    """Text already in Markdown (built by this module), not escaped again."""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&])")


def md_escape(value) -> str:
    """Backslash-escape Markdown/HTML punctuation in untrusted text (CommonMark escapes)."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return str(value)
    text = str(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return text


def context_md(ctx: tuple[str, str, str] | None) -> MdSafe:
    if not ctx:
        return MdSafe("")
    before, mid, after = ctx
    return MdSafe(f"{md_escape(before)}**{md_escape(mid)}**{md_escape(after)}")


def diff_md(segments) -> MdSafe:
    out = []
    for kind, text in segments:
        core = md_escape(text.strip())
        if kind == "changed" and core:
            lead = " " if text[:1].isspace() else ""
            trail = " " if text[-1:].isspace() else ""
            out.append(f"{lead}**{core}**{trail}")
        else:
            out.append(md_escape(text))
    return MdSafe("".join(out))


def article_md(doc: et.DocView, highlights: tuple[et.Highlight, ...] = ()) -> list[MdSafe]:
    """One Markdown paragraph per article paragraph; cue highlights in **bold**, quotes not marked."""
    cues = [h for h in highlights if h.frame == "cues"]
    out = []
    for p, sents in doc.paragraphs:
        parts = [f"**¶{p + 1}**"]
        for s in sents:
            pieces = []
            pos = s.start
            for h in sorted((h for h in cues if h.start >= s.start and h.end <= s.end), key=lambda h: (h.start, -h.end)):
                if h.start < pos:
                    continue
                pieces.append(md_escape(doc.text[pos : h.start]))
                pieces.append(f"**{md_escape(doc.text[h.start : h.end])}**")
                pos = h.end
            pieces.append(md_escape(doc.text[pos : s.end]))
            parts.append(f"<sup>{s.sent_id + 1}</sup>" + "".join(pieces))
        out.append(MdSafe(" ".join(parts)))
    return out


# ---------------------------------------------------------------- environment


def _env(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("framing.render", "templates/exercise"),
        autoescape=not markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if markdown else None,
    )
    env.filters["ctx_html"] = context_html
    env.filters["ctx_md"] = context_md
    env.filters["diff_html"] = diff_html
    env.filters["diff_md"] = diff_md
    env.filters["refs"] = lambda refs: ", ".join(r.label for r in refs)
    env.filters["num"] = lambda v, fmt="{:.1f}": "—" if v is None else fmt.format(v)
    env.filters["md"] = MdSafe
    return env


def _context(ex: et.Exercise, *, key: bool, markdown: bool) -> dict:
    doc = ex.doc
    hl = ex.highlights if key else ()
    ctx = {
        "ex": ex,
        "doc": doc,
        "other": ex.other,
        "key": key,
        "level": ex.level.name,
        "tasks": ex.tasks,
        "readability": et.readability_summary(doc),
        "legend": ex.legend,
        "explanations": ex.explanations,
        "discussion": ex.discussion,
        "limitations": ex.limitations,
        "skipped": ex.skipped,
        "n_highlights": len(ex.highlights),
    }
    if markdown:
        ctx["paras_a"] = article_md(doc, hl)
        ctx["paras_b"] = article_md(ex.other) if ex.other else []
    else:
        ctx["paras_a"] = article_html(doc, hl)
        ctx["paras_b"] = article_html(ex.other) if ex.other else []
    return ctx


def make_exercise(
    analysis,
    *,
    compare_with=None,
    level: str = "standard",
    source_label: str | None = None,
    doc_id: str | None = None,
    compare_doc_id: str | None = None,
    compare_label: str | None = None,
) -> et.Exercise:
    """Build the exercise (tasks, highlights, answers) without writing files."""
    spec = et.level_spec(level)
    did = et.pick_document(analysis, doc_id, role="article")
    doc = et.doc_view(analysis, did, version="A", source_label=source_label)
    entries = et._entry_index(analysis)
    highlights = et.build_highlights(analysis, doc, entries)
    other = comp = None
    if compare_with is not None:
        oid = et.pick_document(compare_with, compare_doc_id, role="comparison article")
        other = et.doc_view(compare_with, oid, version="B", source_label=compare_label)
        comp = et.comparison_dict(analysis, compare_with, did, oid, labels=(doc.label, other.label))
    tasks, skipped = et.build_tasks(analysis, doc, spec, highlights=highlights, entries=entries, comp=comp, other=other)
    return et.Exercise(
        level=spec,
        doc=doc,
        other=other,
        tasks=tasks,
        highlights=highlights,
        explanations=et.build_explanations(doc, highlights),
        legend=et.legend_for(highlights),
        discussion=et.discussion(doc, tasks, other),
        limitations=et.LIMITATIONS,
        skipped=skipped,
    )


def render_exercise(ex: et.Exercise) -> dict[str, str]:
    """File name -> content for the four outputs."""
    html_env, md_env = _env(False), _env(True)
    return {
        "worksheet.html": html_env.get_template("worksheet.html.j2").render(**_context(ex, key=False, markdown=False)),
        "answer_key.html": html_env.get_template("answer_key.html.j2").render(**_context(ex, key=True, markdown=False)),
        "worksheet.md": md_env.get_template("worksheet.md.j2").render(**_context(ex, key=False, markdown=True)),
        "answer_key.md": md_env.get_template("answer_key.md.j2").render(**_context(ex, key=True, markdown=True)),
    }


def build_exercise(
    analysis,
    out_dir: Path,
    *,
    compare_with=None,
    level: str = "standard",
    source_label: str | None = None,
    doc_id: str | None = None,
    compare_doc_id: str | None = None,
    compare_label: str | None = None,
) -> list[Path]:
    """Write worksheet.html, answer_key.html, worksheet.md and answer_key.md to ``out_dir``.

    ``analysis`` must hold one article (or pass ``doc_id``); ``compare_with``
    is an analysis of another outlet's version of the same story (pass
    ``compare_doc_id`` when it holds several). ``level`` is intro, standard or
    advanced (ConfigError otherwise). Returns the written paths in FILES order.
    """
    ex = make_exercise(
        analysis,
        compare_with=compare_with,
        level=level,
        source_label=source_label,
        doc_id=doc_id,
        compare_doc_id=compare_doc_id,
        compare_label=compare_label,
    )
    pages = render_exercise(ex)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FILES:
        path = out / name
        path.write_text(pages[name], encoding="utf-8", newline="\n")
        paths.append(path)
    return paths
