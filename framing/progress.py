"""Progress of long runs on stderr: documents/s, words/s, ETA, and a final summary line.

:class:`Progress` is a small plain-text writer (no terminal control beyond a
carriage return when the stream is a terminal), so it works in notebooks, CI
logs and pipes. ``quiet=True`` turns every update off; the summary line is
still computed and returned by :meth:`Progress.finish` so callers can print it
themselves. Nothing here changes any result.

ETA is estimated from the fraction of work done: documents when the total is
known (in-memory runs), otherwise input bytes read (streaming runs).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "format_rate", "format_duration"]


def format_rate(value: float) -> str:
    """1234567 -> '1.23M', 12345 -> '12.3k', 123 -> '123', 2.5 -> '2.50'."""
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e4:
        return f"{value / 1e3:.1f}k"
    if value >= 1e3:
        return f"{value / 1e3:.2f}k"
    if value >= 100 or value == 0:
        return f"{value:.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def format_duration(seconds: float | None) -> str:
    """Seconds as '42s', '3m05s' or '1h02m'; '?' when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "?"
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


class Progress:
    """Counts documents and words as batches finish and reports rates on ``stream``.

    total_documents: documents expected (in-memory runs), else None.
    total_bytes: input bytes expected (streaming runs), else None; pass
        ``bytes_done`` to :meth:`advance` to use it for the ETA.
    quiet: write nothing.
    interval: minimum seconds between two updates (the first and last are always
        written); default 0.5 s on a terminal, 10 s otherwise (logs, pipes).
    """

    def __init__(
        self,
        *,
        total_documents: int | None = None,
        total_bytes: int | None = None,
        quiet: bool = False,
        stream: TextIO | None = None,
        interval: float | None = None,
        label: str = "analysed",
        clock=time.perf_counter,
    ) -> None:
        self.total_documents = total_documents
        self.total_bytes = total_bytes
        self.quiet = quiet
        self.stream = stream
        self.interval = interval
        self.label = label
        self._clock = clock
        self.started = clock()
        self.documents = 0
        self.words = 0
        self.batches = 0
        self.bytes_done = 0
        self.skipped_bytes = 0
        self._last_write = None
        self._wrote_partial = False

    # -- counting ---------------------------------------------------------
    def advance(self, documents: int, words: int = 0, *, bytes_done: int | None = None) -> None:
        """Record one finished batch of ``documents`` holding ``words`` words."""
        self.documents += int(documents)
        self.words += int(words or 0)
        self.batches += 1
        if bytes_done is not None:
            self.bytes_done = int(bytes_done)
        now = self._clock()
        if not self.quiet and (self._last_write is None or now - self._last_write >= self._interval()):
            self._write(self.status_line(now), partial=True)
            self._last_write = now

    def skip(self, nbytes: int) -> None:
        """Record ``nbytes`` of input passed over without analysis (batches kept by a resumed run):
        they count as done for the fraction, not as work for the rates and the ETA."""
        self.skipped_bytes += int(nbytes)

    def _interval(self) -> float:
        if self.interval is not None:
            return self.interval
        stream = self.stream if self.stream is not None else sys.stderr
        return 0.5 if getattr(stream, "isatty", lambda: False)() else 10.0

    @property
    def elapsed(self) -> float:
        return max(self._clock() - self.started, 1e-9)

    def fraction(self) -> float | None:
        """Share of the work done, or None when no total is known."""
        if self.total_documents:
            return min(self.documents / self.total_documents, 1.0)
        if self.total_bytes:
            return min(self.bytes_done / self.total_bytes, 1.0)
        return None

    def eta(self, now: float | None = None) -> float | None:
        frac = self.fraction()
        elapsed = max((now if now is not None else self._clock()) - self.started, 1e-9)
        if not frac:
            return None
        if self.skipped_bytes and not self.total_documents and self.total_bytes:
            # a resumed run: the rate of this run's own work, over what is left
            work = self.bytes_done - self.skipped_bytes
            return elapsed * max(self.total_bytes - self.bytes_done, 0) / work if work > 0 else None
        return elapsed * (1 - frac) / frac

    # -- text --------------------------------------------------------------
    def status_line(self, now: float | None = None) -> str:
        now = now if now is not None else self._clock()
        elapsed = max(now - self.started, 1e-9)
        frac = self.fraction()
        total = f"/{self.total_documents:,}" if self.total_documents else ""
        pct = f" ({frac:.0%})" if frac is not None else ""
        return (
            f"{self.label} {self.documents:,}{total} documents{pct} · "
            f"{format_rate(self.documents / elapsed)} docs/s · {format_rate(self.words / elapsed)} words/s · "
            f"ETA {format_duration(self.eta(now))}"
        )

    def summary_line(self) -> str:
        elapsed = self.elapsed
        return (
            f"{self.label} {self.documents:,} documents, {self.words:,} words in {format_duration(elapsed)} "
            f"({elapsed:.1f} s; {format_rate(self.documents / elapsed)} docs/s, "
            f"{format_rate(self.words / elapsed)} words/s, {self.batches} batches)"
        )

    def stage(self, text: str) -> None:
        """Write (unless quiet) one line saying what a long step after the batches is doing."""
        if not self.quiet:
            self._write(text, partial=False)

    def finish(self) -> str:
        """Write (unless quiet) and return the final summary line."""
        line = self.summary_line()
        if not self.quiet:
            self._write(line, partial=False)
        return line

    def _write(self, line: str, *, partial: bool) -> None:
        stream = self.stream if self.stream is not None else sys.stderr
        tty = bool(getattr(stream, "isatty", lambda: False)())
        if tty:
            end = "" if partial else "\n"
            stream.write("\r\x1b[2K" + line + end)
        else:
            stream.write(line + "\n")
        stream.flush()
        self._wrote_partial = partial and tty
