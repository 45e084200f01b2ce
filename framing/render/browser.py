"""Headless Chromium helpers: screenshot a page, print it to PDF, collect console messages.

Used by the browser tests to check that a report really renders. Runs the
Debian ``chromium`` binary offline with a fresh profile per call, networking
and background services off. Console messages are read from Chromium's
stderr log (``--enable-logging=stderr``: lines tagged ``CONSOLE``), which
needs no extra dependency; that log does not report failed resource loads,
so callers check for external resources in the HTML itself
(:func:`external_references`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from framing.errors import FramingError

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
)
_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(.*)$")


class BrowserError(FramingError):
    """Chromium is missing or failed to render a page."""


@dataclass(frozen=True)
class BrowserRun:
    """What one Chromium run produced: the output file and console messages."""

    output: Path | None
    console: tuple[str, ...]
    stdout: str
    returncode: int


def chromium_path() -> str | None:
    """The Chromium executable (FRAMING_CHROMIUM, then chromium / chromium-browser on PATH), or None."""
    env = os.environ.get("FRAMING_CHROMIUM")
    if env and Path(env).is_file():
        return env
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def console_lines(log: str) -> tuple[str, ...]:
    """Console messages (console.log/error, uncaught exceptions) from a Chromium stderr log."""
    out = []
    for line in log.splitlines():
        m = _CONSOLE.search(line)
        if m:
            out.append(m.group(1).strip())
    return tuple(out)


def _run(page: Path, extra: list[str], *, timeout: float) -> BrowserRun:
    exe = chromium_path()
    if exe is None:
        raise BrowserError("chromium is not installed; install the Debian package 'chromium'")
    page = Path(page).resolve()
    if not page.is_file():
        raise BrowserError(f"no such page: {page.name}")
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise BrowserError(f"chromium did not finish rendering {page.name} within {timeout:g} seconds") from None
    return BrowserRun(None, console_lines(proc.stderr), proc.stdout, proc.returncode)


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 2400, timeout: float = 120) -> BrowserRun:
    """Render ``page`` and save a ``width`` × ``height`` PNG of its top."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    run = _run(page, [f"--screenshot={png}", f"--window-size={width},{height}", "--virtual-time-budget=3000"],
               timeout=timeout)
    if not png.is_file():
        raise BrowserError(f"chromium wrote no screenshot of {Path(page).name} (exit {run.returncode})")
    return BrowserRun(png, run.console, run.stdout, run.returncode)


def print_pdf(page: Path, pdf: Path, *, timeout: float = 120) -> BrowserRun:
    """Print ``page`` to a PDF (print CSS applies; no header or footer)."""
    pdf = Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    if pdf.exists():
        pdf.unlink()
    run = _run(page, [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", "--virtual-time-budget=3000"], timeout=timeout)
    if not pdf.is_file():
        raise BrowserError(f"chromium wrote no PDF of {Path(page).name} (exit {run.returncode})")
    return BrowserRun(pdf, run.console, run.stdout, run.returncode)


def dump_dom(page: Path, *, timeout: float = 120) -> BrowserRun:
    """The page's DOM after scripts ran (in ``stdout``), with console messages."""
    return _run(page, ["--dump-dom", "--virtual-time-budget=3000"], timeout=timeout)


_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|data|poster|action)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


def external_references(html: str) -> list[str]:
    """Snippets of ``html`` that would load something from the network (links to read are allowed: ``<a href>``)."""
    hits = []
    for m in _EXTERNAL.finditer(html):
        before = html[max(0, m.start() - 200) : m.start()]
        tag_start = before.rfind("<")
        tag = before[tag_start:] if tag_start >= 0 else ""
        if tag.lower().startswith("<a ") and "href" in m.group(0).lower():
            continue
        hits.append(html[max(0, m.start() - 40) : m.end() + 40])
    return hits


def image_colours(png: Path, *, sample: int = 4) -> int:
    """How many distinct colours a PNG holds (sampled every ``sample`` pixels); 1 means blank."""
    from PIL import Image

    with Image.open(png) as im:
        small = im.convert("RGB").reduce(sample)
        colours = small.getcolors(maxcolors=small.width * small.height)
        return len(colours or ())


__all__ = [
    "BrowserError",
    "BrowserRun",
    "chromium_path",
    "console_lines",
    "screenshot",
    "print_pdf",
    "dump_dom",
    "external_references",
    "image_colours",
]
