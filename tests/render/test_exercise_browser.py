"""The worksheet and answer key render in headless Chromium and print to PDF
on A4 and US Letter without cut-off text.

Checks on each PDF (poppler's pdftotext): the text holds the article's last
sentence and the page's last section, and no word's box lies outside the
page (Chromium keeps clipped text in the PDF at its off-page position).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from exercise_fixtures import TEXT_A, TEXT_B, make_analysis  # noqa: E402

from support import need  # noqa: E402

from framing.render import exercise as ex  # noqa: E402
from framing.render.browser import FLAGS as BROWSER_FLAGS  # noqa: E402
from framing.render.browser import chromium_path  # noqa: E402

pytestmark = pytest.mark.browser


CHROMIUM = chromium_path()
PDFTOTEXT = shutil.which("pdftotext")
FLAGS = [*BROWSER_FLAGS, "--no-pdf-header-footer"]
LAST = "This is the last sentence of the long article, and it must be printed whole."
LONG_WORD = "https://example.org/" + "a-very-long-path-segment-" * 12 + "end"


def long_text() -> str:
    paras = [TEXT_A]
    for i in range(28):
        paras.append(
            f"Paragraph {i + 3} of the story repeats what officials said about the bridge, the traffic and the repairs, "
            "so the article runs over several printed pages."
        )
    paras.append(f"The city published its report at {LONG_WORD} on Friday.")
    paras.append(LAST)
    return "\n".join(paras)


def print_to_pdf(html_path: Path, pdf_path: Path) -> None:
    """Chromium's print-to-PDF; uses framing.render.browser when it provides it."""
    try:
        from framing.render import browser  # another helper's module

        fn = getattr(browser, "print_to_pdf", None)
    except ImportError:
        fn = None
    if fn is not None:
        fn(html_path, pdf_path)
        return
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as profile:
        subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )


class Words(HTMLParser):
    def __init__(self):
        super().__init__()
        self.boxes: list[tuple[float, float, float, float, str]] = []
        self.pages: list[tuple[float, float]] = []
        self._word = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append((float(a["width"]), float(a["height"])))
        if tag == "word":
            self._word = (float(a["xmin"]), float(a["ymin"]), float(a["xmax"]), float(a["ymax"]))

    def handle_data(self, data):
        if self._word is not None:
            self.boxes.append((*self._word, data, len(self.pages)))
            self._word = None


def check_pdf(pdf: Path, must_contain: list[str]) -> int:
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for needle in must_contain:
        assert re.sub(r"\s+", " ", needle) in flat, f"{needle!r} missing from {pdf.name}"
    bbox = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    w = Words()
    w.feed(bbox)
    assert w.pages and w.boxes
    for xmin, ymin, xmax, ymax, word, page in w.boxes:
        pw, ph = w.pages[page - 1]
        # inside the page with at least ~5 mm (14 pt) to spare: nothing clipped at an edge
        assert xmin >= 14 and xmax <= pw - 14 and ymin >= 14 and ymax <= ph - 14, f"{word!r} at {xmin:.0f},{ymin:.0f}-{xmax:.0f},{ymax:.0f} on page {page} ({pw:.0f}x{ph:.0f})"
    return len(w.pages)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    need(CHROMIUM is not None, "headless chromium not installed")
    need(PDFTOTEXT is not None, "pdftotext (poppler-utils) not installed")
    out = tmp_path_factory.mktemp("exercise-browser")
    a = make_analysis(long_text())
    b = make_analysis(TEXT_B, doc_id="docB", outlet="Copy Blog", title="Bridge reopening")
    comparison = {
        "alignment": {
            "pairs": [{"kind": "reworded", "a_sentences": [5], "b_sentences": [3], "a": "", "b": "", "diff": {"changes": [{"from": "without evidence", "to": "without proof"}]}}],
            "missing_from_b": [{"a_sentence": 2, "text": "Engineers familiar with the work said the cables could need more tests."}],
            "added_in_b": [],
        },
        "reuse": None,
        "quotes": {"only_in_a": [], "only_in_b": []},
    }
    from framing.render import exercise_tasks as et

    original = et.comparison_dict
    et.comparison_dict = lambda *args, **kw: comparison
    try:
        paths = ex.build_exercise(a, out, compare_with=b, level="intro")
    finally:
        et.comparison_dict = original
    return out, paths


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("page", ["worksheet", "answer_key"])
def test_prints_without_cut_off_text(pages, page, paper):
    out, _ = pages
    src = (out / f"{page}.html").read_text(encoding="utf-8")
    sized = out / f"{page}-{paper}.html"
    sized.write_text(src.replace("</style>", f"@page {{ size: {paper}; }}\n</style>", 1), encoding="utf-8")
    pdf = out / f"{page}-{paper}.pdf"
    print_to_pdf(sized, pdf)
    tail = ["What the tool can miss", "check it against your own reading before class."] if page == "answer_key" else ["Version B", "Made with framing"]
    n_pages = check_pdf(pdf, [LAST, "Bridge to reopen", "City Herald", *tail])
    assert n_pages >= 2
