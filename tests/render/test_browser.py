"""The report renders in headless Chromium: non-blank, no console messages,
hostile article text shown as text (never run), prints to PDF.

Skipped outside CI when chromium is missing; fails in CI (tests/conftest.py need()).
"""

from __future__ import annotations

import re

import pytest
from support import need

from framing.render import browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    need(browser.chromium_path() is not None, "chromium not installed")
    return browser.chromium_path()


def test_console_line_parser():
    log = (
        '[1:1:1122/065508.053238:INFO:CONSOLE:1] "boom", source: file:///x.html (1)\n'
        "[1:1:1122/065508.0:WARNING:media/gpu/vaapi.cc:1655] not a console line\n"
        '[2:2:0101/000000.1:INFO:CONSOLE(7)] "Uncaught ReferenceError: x is not defined", source: y (7)\n'
    )
    assert browser.console_lines(log) == (
        '"boom", source: file:///x.html (1)',
        '"Uncaught ReferenceError: x is not defined", source: y (7)',
    )


@pytest.mark.parametrize(
    "html,n",
    [
        ('<img src="https://evil.example/x.png">', 1),
        ("<style>@import 'x.css'</style>", 1),
        ('<div style="background:url(//cdn.example/a.png)">', 1),
        ('<a href="https://example.org/article">source</a>', 0),
        ('<img src="data:image/svg+xml;base64,AAAA">', 0),
    ],
)
def test_external_references(html, n):
    assert len(browser.external_references(html)) == n


def test_detects_console_errors_and_blank_pages(chromium, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><body style='background:#fff'><script>console.error('boom')</script></body>", encoding="utf-8")
    run = browser.screenshot(page, tmp_path / "bad.png", width=400, height=300)
    assert any("boom" in line for line in run.console)
    assert browser.image_colours(tmp_path / "bad.png") == 1


def test_report_renders_without_console_errors(chromium, synthetic_report, tmp_path):
    out, _ = synthetic_report
    page = out / "index.html"
    run = browser.screenshot(page, tmp_path / "report.png", width=1280, height=2400)
    assert run.console == ()  # no errors, and the hostile <script>/<img onerror> never ran
    assert browser.image_colours(tmp_path / "report.png") > 50  # charts and text, not a blank page


def test_hostile_text_stays_text_in_the_dom(chromium, synthetic_report):
    out, _ = synthetic_report
    run = browser.dump_dom(out / "index.html")
    assert run.console == ()
    dom = run.stdout
    assert "&lt;script&gt;console.error('xss-script')&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=" in dom
    assert not re.search(r"<img[^>]*onerror", dom, flags=re.IGNORECASE)
    assert not re.search(r"<script>console", dom)


def test_report_prints_to_pdf(chromium, synthetic_report, tmp_path):
    out, _ = synthetic_report
    run = browser.print_pdf(out / "index.html", tmp_path / "report.pdf")
    data = (tmp_path / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3
    assert run.console == ()
