"""Throughput and memory of `framing` against the naive notebook pipeline.

Runs, in the same invocation:

1. the naive baseline (../shared/bench/naive_baseline.py: pysbd, textstat and
   VADER per document on one core) on the AllSides articles;
2. the framing streaming path (framing.engine.run_streaming, the library
   behind ``framing analyze``, all cores by default) on the same file, in a
   child process whose peak memory is sampled as the sum of RSS over the
   whole process tree (driver + workers);
   Story grouping (corpus-level, O(n²), not needed by the metrics and
   mentions frames) is off unless --stories;
3. the same analysis on an N× corpus (default 30×) made of the same articles
   with unique ids, to show that peak memory does not grow with corpus size.

Throughput is words per second of wall time, with words counted the same way
for both (whitespace-separated tokens of the article text, as the baseline
counts them). Prints one line per run and a summary; --json writes the
figures to a file.

usage: python benchmarks/throughput.py [--scale 30] [--jobs N] [--batch-size 200] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FRAMING_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "datasets" / "allsides" / "articles.jsonl"
BASELINE = SHARED / "bench" / "naive_baseline.py"
TEXT_FIELD = "content_original"

FRAMING_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from framing.config import AnalysisConfig, LoadConfig
from framing.engine import run_streaming
args = json.loads(sys.argv[1])
summary = run_streaming(
    [args["input"]], args["out"],
    load_config=LoadConfig(text_column="content_original", outlet_column="source", max_bytes=10**10),
    config=AnalysisConfig(jobs=args["jobs"], batch_size=args["batch_size"]),
    quiet=True,
    stories=args["stories"],
)
print(json.dumps({"seconds": time.perf_counter() - t0, "documents": summary.documents,
                  "batch_seconds": summary.batch_seconds,
                  "framing_words": summary.words, "errors": summary.errors,
                  "notes": list(summary.notes), "line": summary.line()}))
"""


# ------------------------------------------------------------------ memory sampling


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Sum of RSS over ``pid`` and all its descendants (Linux /proc)."""
    kids = _children_map()
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_bytes(p)
        stack.extend(kids.get(p, ()))
    return total


class PeakSampler(threading.Thread):
    """Samples the process tree's summed RSS every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


# ------------------------------------------------------------------ runs


def whitespace_words(path: Path, limit: int | None = None) -> tuple[int, int]:
    docs = words = 0
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            docs += 1
            words += len((json.loads(line).get(TEXT_FIELD) or "").split())
    return docs, words


def run_baseline(path: Path, limit: int | None) -> dict:
    cmd = [sys.executable, str(BASELINE), str(path), TEXT_FIELD] + ([str(limit)] if limit else [])
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - t0
    m = re.search(r"docs (\d+) words (\d+) seconds ([\d.]+) words/s (\d+)", out)
    if not m:
        raise SystemExit(f"unexpected baseline output: {out!r}")
    return {"docs": int(m[1]), "words": int(m[2]), "seconds": float(m[3]), "words_per_s": float(m[4]), "wall_with_startup": wall}


def run_framing(path: Path, out_dir: Path, *, jobs: int | None, batch_size: int, stories: bool = False, cache_dir: Path | None = None) -> dict:
    env = dict(os.environ)
    if cache_dir is not None:
        env["FRAMING_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    args = json.dumps({"input": str(path), "out": str(out_dir), "jobs": jobs, "batch_size": batch_size, "stories": stories})
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", FRAMING_CHILD, args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sampler = PeakSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"framing run failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update({"wall": wall, "peak_rss": sampler.peak})
    return result


def make_scaled(src: Path, dst: Path, scale: int, limit: int | None) -> None:
    """``scale`` copies of the articles, each copy with ids made unique."""
    with open(src, encoding="utf-8") as f:
        lines = [line for i, line in enumerate(f) if not limit or i < limit]
    with open(dst, "w", encoding="utf-8") as out:
        for k in range(scale):
            for line in lines:
                row = json.loads(line)
                row["ID"] = f"{row.get('ID')}-{k:03d}"
                row["url"] = f"{row.get('url')}#copy{k}"
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def cache_state(override: Path | None) -> str:
    """'cold' / 'warm (N entries)' / 'off' for the start-up cache the framing runs will use."""
    if override is not None:
        return f"cold (empty folder {override})"
    sys.path.insert(0, str(ROOT))
    from framing.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return "off (FRAMING_CACHE_DIR=off)"
    entries = [p for p in folder.glob("*") if not p.name.endswith(".tmp")] if folder.is_dir() else []
    return f"warm ({len(entries)} entries in {folder})" if entries else f"cold ({folder} is empty; this run fills it)"


def byte_compile() -> str:
    """Compile framing's modules to bytecode (``__pycache__``), as ``pip install`` does, before the runs.

    The framing runs import the package from this checkout, and the baseline's
    libraries are installed with their bytecode. Where PYTHONDONTWRITEBYTECODE
    is set, Python would otherwise compile framing's sources again in every
    process of every run (~0.08 CPU-s per worker process).
    """
    import compileall

    ok = compileall.compile_dir(str(ROOT / "framing"), quiet=1)
    return "compiled (framing/__pycache__, as an installed package has it)" if ok else "some modules failed to compile"


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=30, help="copies of the corpus for the memory run (0 = skip)")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    ap.add_argument("--batch-size", type=int, default=200, help="documents per batch")
    ap.add_argument("--quick", action="store_true", help="first 200 articles, scale 3")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--stories", action="store_true", help="also run story grouping (corpus-level, O(n^2); not part of the throughput target)")
    ap.add_argument(
        "--repeat", type=int, default=1,
        help="run the baseline and the 1x framing run this many times, alternating, and report each and the "
        "median ratio (the machine's speed drifts between runs)",
    )
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument(
        "--cold-cache", action="store_true",
        help="run framing with an empty start-up cache (framing.cache), as on a machine where it never ran; "
        "the 1x run then fills it",
    )
    a = ap.parse_args(argv)
    limit = 200 if a.quick else None
    scale = min(a.scale, 3) if a.quick else a.scale
    if not CORPUS.is_file():
        raise SystemExit(f"corpus not found: {CORPUS}")
    docs, words = whitespace_words(CORPUS, limit)
    cores = os.cpu_count()
    print(f"machine: {cores} cores; corpus {CORPUS.name}: {docs:,} articles, {words:,} words; jobs {a.jobs or cores}, batch {a.batch_size}")
    figures: dict = {"cores": cores, "documents": docs, "words": words, "jobs": a.jobs or cores, "batch_size": a.batch_size}
    if a.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache" if a.cold_cache else None
        state = cache_state(cache)
        figures["startup_cache"] = state
        print(f"start-up cache   : {state}")
        figures["bytecode"] = bytecode = byte_compile()
        print(f"bytecode         : {bytecode}")
        src = CORPUS
        if limit:
            src = tmp / "articles.jsonl"
            make_scaled(CORPUS, src, 1, limit)
        runs = []
        for k in range(a.repeat):
            tag = f" run {k + 1}/{a.repeat}" if a.repeat > 1 else ""
            base = None
            if not a.skip_baseline:
                base = run_baseline(CORPUS, limit)
                print(f"naive baseline   : {base['seconds']:8.1f} s  {base['words_per_s']:>10,.0f} words/s (one core){tag}")
            one = run_framing(src, tmp / f"out1-{k}", jobs=a.jobs, batch_size=a.batch_size, stories=a.stories, cache_dir=cache)
            one["words_per_s"] = words / one["wall"]
            print(f"framing (1x)     : {one['wall']:8.1f} s  {one['words_per_s']:>10,.0f} words/s  peak {mb(one['peak_rss'])} (process tree){tag}")
            runs.append((base, one, one["words_per_s"] / base["words_per_s"] if base else None))
        # the run with the median ratio (or median framing speed without a baseline) stands for all
        key = (lambda r: r[2]) if not a.skip_baseline else (lambda r: r[1]["words_per_s"])
        base, one, ratio = sorted(runs, key=key)[(len(runs) - 1) // 2]
        if base is not None:
            figures["baseline"] = base
        figures["framing"] = one
        if a.repeat > 1:
            figures["runs"] = [{"baseline_words_per_s": b["words_per_s"] if b else None, "framing_words_per_s": o["words_per_s"], "ratio": r} for b, o, r in runs]
        if ratio is not None:
            figures["ratio"] = ratio
            spread = f" (runs: {', '.join(f'{r:.2f}x' for _, _, r in runs)}; {'median' if len(runs) % 2 else 'lower median'} shown)" if a.repeat > 1 else ""
            print(f"speed-up         : {ratio:.2f}x the naive baseline (target >= 10x){spread}")
        if scale > 1:
            big = tmp / f"articles_x{scale}.jsonl"
            make_scaled(CORPUS, big, scale, limit)
            many = run_framing(big, tmp / "outN", jobs=a.jobs, batch_size=a.batch_size, stories=a.stories, cache_dir=cache)
            many["words_per_s"] = words * scale / many["wall"]
            many["scale"] = scale
            figures["scaled"] = many
            growth = many["peak_rss"] / one["peak_rss"] - 1
            figures["peak_growth"] = growth
            print(
                f"framing ({scale}x)    : {many['wall']:8.1f} s  {many['words_per_s']:>10,.0f} words/s  peak {mb(many['peak_rss'])} "
                f"({growth:+.0%} vs 1x; targets <= 1024 MB and <= +20%)"
            )
            for note in many.get("notes", []):
                print(f"  note: {note}")
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
