"""Markdown and HTML renderings of a comparison (the dict of Comparison.to_dict).

HTML uses a jinja2 template with autoescaping on: article text is always
escaped, never interpreted.
"""

from __future__ import annotations

from importlib import resources


def _fmt(x, nd: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _pct(x) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _md_cell(text) -> str:
    t = "" if text is None else str(text)
    return " ".join(t.split()).replace("|", "\\|")


def comparison_markdown(d: dict) -> str:
    la, lb = d["labels"]["a"], d["labels"]["b"]
    out = [f"# Comparison: {_md_cell(la)} (A) vs {_md_cell(lb)} (B)", ""]
    for key in ("a", "b"):
        s = d["sides"][key]
        out.append(f"- **{key.upper()}** {_md_cell(s['label'])}: {s['documents']} documents ({s['measured_documents']} measured), {s['words']} words; outlets: {_md_cell(', '.join(s['outlets']) or 'unknown')}")
    out.append("")
    if not d["enough_data"]:
        out += [f"**Not enough data to rank:** {_md_cell(d['reason'])}. Figures are shown without intervals and are not evidence of a difference.", ""]
    for pair in d["same_story"]:
        r = pair["reuse"]
        al = pair["alignment"]
        out += [f"## Same story: {pair['a_doc']} (A) and {pair['b_doc']} (B)", "", f"**Reuse verdict:** {_md_cell(r['explanation'])}", ""]
        out.append(f"- derived_from (B from A): {_fmt(r['derived_from'])}; aligned share of B: {_pct(r['aligned_share_of_b'])}; of A: {_pct(r['aligned_share_of_a'])}")
        out.append(f"- matched: {al['matched']}, reworded: {al['reworded']}, missing from B: {len(al['missing_from_b'])}, added in B: {len(al['added_in_b'])}")
        out += ["", "### Reworded", ""]
        for p in al["pairs"]:
            if p["kind"] != "reworded":
                continue
            changes = "; ".join(f"“{_md_cell(c['from'])}” → “{_md_cell(c['to'])}”" for c in p.get("diff", {}).get("changes", []))
            out.append(f"- A: {_md_cell(p['a'])}  \n  B: {_md_cell(p['b'])}  \n  changes: {changes or '(word order or punctuation only)'}")
        out += ["", "### Missing from B", ""]
        out += [f"- {_md_cell(x['text'])}" for x in al["missing_from_b"]] or ["- (none)"]
        out += ["", "### Added in B", ""]
        out += [f"- {_md_cell(x['text'])}" for x in al["added_in_b"]] or ["- (none)"]
        out.append("")
    out += ["## Metrics (mean per document; difference A − B with 95% bootstrap interval)", "", "| metric | A | B | A − B | 95% interval |", "|---|---|---|---|---|"]
    for m in d["metrics"]:
        ci = "–" if m["diff_lo"] is None else f"[{_fmt(m['diff_lo'])}, {_fmt(m['diff_hi'])}]"
        out.append(f"| {m['metric']} | {_fmt(m['a_mean'])} | {_fmt(m['b_mean'])} | {_fmt(m['diff'])} | {ci} |")
    out.append("")
    for title, key in (("Distinctive terms", "distinctive_terms"), ("Distinctive cue categories", "distinctive_cues")):
        dt = d[key]
        out += [f"## {title} (log-odds, informative Dirichlet prior; |z| ≥ {dt.get('z_cutoff', 1.96)})", ""]
        for side, lab in (("a", la), ("b", lb)):
            feats = ", ".join(f"{_md_cell(r['feature'])} (z={r['z']:.2f}, {r['count_a']}/{r['count_b']})" for r in dt.get(side, []))
            out.append(f"- more typical of {_md_cell(lab)}: {feats or '(none reaches the cut-off)'}")
        out.append("")
    out += ["## Actors (reporter-voice sentiment, voice share)", "", "| actor | mentions A | mentions B | sentiment A | sentiment B | voice share A | voice share B |", "|---|---|---|---|---|---|---|"]
    for r in d["actors"][:30]:
        out.append(f"| {_md_cell(r['actor'])} | {r['a_mentions']} | {r['b_mentions']} | {_fmt(r['a_reporter_sentiment'])} | {_fmt(r['b_reporter_sentiment'])} | {_pct(r['a_voice_share'])} | {_pct(r['b_voice_share'])} |")
    out.append("")
    out += ["## Sources quoted on one side only", ""]
    out.append(f"- only in {_md_cell(la)}: " + (", ".join(_md_cell(s["source"]) for s in d["sources"]["only_in_a"]) or "(none)"))
    out.append(f"- only in {_md_cell(lb)}: " + (", ".join(_md_cell(s["source"]) for s in d["sources"]["only_in_b"]) or "(none)"))
    out += ["", "## Quotes on one side only", ""]
    for side, lab in (("only_in_a", la), ("only_in_b", lb)):
        out.append(f"### Only in {_md_cell(lab)}")
        out.append("")
        out += [f"- {_md_cell(q['speaker'] or 'unknown')}: “{_md_cell(q['content'])}”" for q in d["quotes"][side]] or ["- (none)"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def comparison_html(d: dict) -> str:
    import jinja2

    source = resources.files("framing.compare").joinpath("templates/comparison.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = _fmt
    env.filters["pct"] = _pct
    return env.from_string(source).render(d=d)
