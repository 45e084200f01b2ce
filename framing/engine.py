"""Execution engines: map the pure batch function over documents.

The analysis core, :func:`framing.analysis.analyze_batch`, is a pure function
from a batch of documents to frames. This module runs it:

* :func:`run_local` — in memory, over batches of at most ``config.batch_size``
  documents taken in ``doc_id`` order (evened out over the workers:
  :func:`balanced_batches`), on ``config.jobs`` worker processes
  (None or 0 = every core, 1 = in this process). Results are concatenated in
  batch order and sorted by :data:`framing.analysis.SORT_KEYS`, so the frames
  are byte-identical whatever the number of jobs or the batch size.
* :func:`run_streaming` — reads the inputs in batches
  (:mod:`framing.corpus.stream`), analyses each batch and writes every frame
  as partitioned Parquet (``out_dir/<frame>/part-00000.parquet`` …) as soon as
  the batch is done, so peak memory depends on the batch size and the number
  of jobs, not on the corpus size. The last batch is shared between the
  workers (:func:`_stream_items`, :func:`join_pieces`) so they finish
  together; its part files are the same. ``engine="ray"`` maps the same batch
  function with Ray Data (:mod:`framing.engine_ray`). A finished batch is
  marked in ``out_dir/_done``; ``resume=True`` keeps those and analyses the
  rest (the run's inputs and options are recorded in ``out_dir/_run.json``).

Memory model of a streaming run (see benchmarks/README.md for measured figures)::

    peak RSS ≈ driver (~interpreter + libraries + corpus-level state)
             + jobs × (worker baseline + one batch in flight: raw records,
                       documents, sentences, cues, mentions … of batch_size docs)
             + up to 2 × jobs raw batches queued in the driver
             + the last batch's frames, once (its slices are joined by the driver)

* ``batch_size`` (documents per batch, default 200): memory per worker grows
  linearly with it; below ~50 the per-batch overhead (process hand-off,
  Parquet part files) starts to cost throughput.
* ``jobs`` (worker processes, default all cores): each worker holds the
  libraries, lexicons and scorer tables once (~150–250 MB) plus one batch.
* Corpus-level state kept by the driver is a compact signature per document
  (ids, a hash of the normalised text, flags: ~100 bytes), used after the
  batches for exact duplicates across batches; story grouping reads the
  measured texts back and needs an n × n matrix, so it runs only up to
  ``STORY_LIMIT`` measured documents and is skipped with a note above
  (see :func:`finish_streaming`).

Worker processes are started with the ``spawn`` method: Polars (and its
thread pool) is not fork-safe.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from framing import schema
from framing.config import AnalysisConfig, LoadConfig
from framing.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from framing.progress import Progress

__all__ = [
    "BatchFn",
    "FRAME_SPECS",
    "ENGINES",
    "StreamSummary",
    "batches",
    "balanced_batches",
    "combine",
    "resolve_jobs",
    "map_ordered",
    "map_shared",
    "run_local",
    "run_streaming",
    "read_output",
    "part_name",
]

BatchFn = Callable[[pl.DataFrame, AnalysisConfig], "dict[str, pl.DataFrame]"]

FRAME_SPECS = {
    "sentences": schema.SENTENCES,
    "cues": schema.CUES,
    "quotes": schema.QUOTES,
    "mentions": schema.MENTIONS,
    "actors": schema.ACTORS,
    "metrics": schema.METRICS,
}
ENGINES = ("local", "ray")
# Story grouping needs the texts of the measured documents and n x n similarity
# matrices: at 5,000 documents ~36 s and 1.6 GB peak (2,600: 11 s, 0.7 GB), so a
# 37,000-article corpus would need ~80 GB. Above this many documents to compare
# it is skipped with a note, in memory and streaming alike.
STORY_LIMIT = 5_000
# Worker processes are replaced after this many batches (Python >= 3.11), so
# caches in third-party scorers cannot grow with the corpus; costs one
# worker start-up (a few seconds) per this many batches.
MAX_BATCHES_PER_WORKER = 50
# In-memory runs (run_local) split the documents into a multiple of the job
# count so every worker gets the same share, but never into batches smaller
# than this: a worker's start-up (~1 CPU-s) is worth about this many documents
# of analysis, so below it the extra process costs more than it saves.
MIN_SHARED_BATCH = 100
# A streaming run shares its last batch between the workers (each analyses a
# slice of its documents), so they finish together instead of one of them
# analysing it alone; a slice is never smaller than this many documents: each
# analysis call has a fixed cost (~0.1 CPU-s) worth about a dozen documents.
MIN_SHARED_SLICE = 25


# ---------------------------------------------------------------------------
# batches and results


def batches(documents: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    """Split ``documents`` into batches of ``size`` rows, in ``doc_id`` order."""
    if size < 1:
        raise ConfigError(f"batch size must be at least 1, got {size}.")
    docs = documents.sort("doc_id", maintain_order=True)
    return [docs.slice(i, size) for i in range(0, docs.height, size)] or [docs]


def balanced_batches(documents: pl.DataFrame, size: int, jobs: int) -> list[pl.DataFrame]:
    """:func:`batches` of at most ``size`` documents, re-cut so ``jobs`` workers finish together.

    ``batches`` leaves a short last batch (1,300 documents in batches of 200:
    six full ones and 100), so one worker runs alone at the end; here the
    number of batches is rounded up to a multiple of ``jobs`` and the
    documents are shared out evenly (1,300 on 2 jobs: 8 batches of 162–163),
    as long as no batch falls below :data:`MIN_SHARED_BATCH` documents (or
    only evened out: 250 in 200s on 2 jobs gives 125 + 125). One job, or
    documents that fit one batch: plain :func:`batches`. The
    in-memory frames do not depend on how documents are batched, so only
    the timing changes (streaming runs keep ``size``: their part files and
    within-batch duplicate search follow it).
    """
    if size < 1:
        raise ConfigError(f"batch size must be at least 1, got {size}.")
    n = documents.height
    plain = -(-n // size)
    if jobs <= 1 or plain <= 1:
        return batches(documents, size)
    count = max(plain, min(-(-plain // jobs) * jobs, n // MIN_SHARED_BATCH))
    docs = documents.sort("doc_id", maintain_order=True)
    bounds = [i * n // count for i in range(count + 1)]
    return [docs.slice(a, b - a) for a, b in zip(bounds, bounds[1:])]


def combine(results: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Concatenate per-batch frames in batch order and sort them by SORT_KEYS."""
    from framing.analysis import SORT_KEYS

    out = {}
    for name, spec in FRAME_SPECS.items():
        frames = [schema.conform(r[name], spec) for r in results if name in r and r[name].height]
        frame = pl.concat(frames, how="vertical_relaxed") if frames else schema.empty(spec)
        out[name] = schema.conform(frame, spec).sort(SORT_KEYS[name], nulls_last=True, maintain_order=True)
    return out


def resolve_jobs(jobs: int | None) -> int:
    """Worker processes to use: None or 0 = every core (os.cpu_count()), else ``jobs``."""
    if jobs is None or jobs == 0:
        return max(os.cpu_count() or 1, 1)
    if not isinstance(jobs, int) or jobs < 0:
        raise ConfigError(f"jobs must be a whole number of processes (0 or None for all cores), got {jobs!r}.")
    return jobs


def _context():
    # spawn: polars is not fork-safe (its thread pool may hold locks at fork time).
    return multiprocessing.get_context("spawn")


# Allocator settings for worker processes (their batches allocate and free a few hundred MB over and
# over): Polars' jemalloc keeps freed pages for 3 s (about two batches of 200 articles) instead of
# Polars' default 0.5 s / 1 s, and glibc's malloc neither hands the top of its heap back below 256 MB
# nor maps blocks under 16 MB separately. Without them a worker takes a page fault again for pages it
# had freed (one process over AllSides: 163k page faults instead of 92k, 0.82 CPU-s of system time
# instead of 0.63). Measured on AllSides, 2 jobs: 4.5 % less wall time for ~35 MB more peak memory
# (10 s instead of 3 s: no faster, 40 MB more). Results do not depend on them. Values the user set
# are kept (see _worker_environment).
WORKER_JEMALLOC_CONF = "dirty_decay_ms:3000,muzzy_decay_ms:3000"
WORKER_MALLOC_ENV = {"MALLOC_TRIM_THRESHOLD_": str(256 << 20), "MALLOC_MMAP_THRESHOLD_": str(16 << 20)}
_POLARS_JEMALLOC_DEFAULT = "dirty_decay_ms:500,muzzy_decay_ms:1000"  # what polars/__init__.py puts first
# Thread pools sized for a worker (see _worker_environment): Polars' and NumPy's OpenBLAS.
WORKER_THREAD_ENV = ("POLARS_MAX_THREADS", "OPENBLAS_NUM_THREADS")


def worker_threads(jobs: int) -> int:
    """Polars threads for each of ``jobs`` worker processes: the cores shared out, at least one."""
    return max(1, (os.cpu_count() or 1) // max(jobs, 1))


@contextlib.contextmanager
def _worker_environment(jobs: int):
    """While a worker pool lives: the environment its spawned processes start with (allocator settings,
    Polars' and OpenBLAS's thread counts).

    Polars writes its own jemalloc settings into ``_RJEM_MALLOC_CONF`` when it is
    imported (its defaults, then any the user gave) and a worker's Polars puts its
    defaults before what it inherits; so the workers get ``WORKER_JEMALLOC_CONF``
    followed by the user's settings, which therefore still win. glibc's variables
    are set only where the user has not set them. Restored afterwards.

    Each worker's Polars gets :func:`worker_threads` threads (``POLARS_MAX_THREADS``,
    unless the user set it): by default Polars starts one thread per core in every
    process, so ``jobs`` workers would run ``jobs`` × cores threads on the machine's
    cores, contending with the other workers (AllSides, 2 jobs on 2 cores: 0.15–0.3
    CPU-s less in the workers with one thread each, about 2 % less wall time).
    NumPy's OpenBLAS likewise gets that many threads (``OPENBLAS_NUM_THREADS``,
    unless the user set it): it starts a thread per core when NumPy is imported,
    ~0.03–0.04 CPU-s per worker for threads that language identification's
    small vector-matrix products (the only BLAS call in a batch) never need.
    Results do not depend on either.
    """
    saved = {k: os.environ.get(k) for k in ("_RJEM_MALLOC_CONF", *WORKER_THREAD_ENV, *WORKER_MALLOC_ENV)}
    user = (saved["_RJEM_MALLOC_CONF"] or "").removeprefix(_POLARS_JEMALLOC_DEFAULT).lstrip(",")
    os.environ["_RJEM_MALLOC_CONF"] = ",".join(c for c in (WORKER_JEMALLOC_CONF, user) if c)
    for key, value in WORKER_MALLOC_ENV.items():
        os.environ.setdefault(key, value)
    for key in WORKER_THREAD_ENV:
        os.environ.setdefault(key, str(worker_threads(jobs)))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# Young-generation threshold of the cyclic garbage collector in worker processes (Python's default: 700
# allocations). A batch allocates millions of short-lived containers (rows, tuples, match lists) and makes
# almost no cycles, and settle_heap collects and freezes the heap after each batch anyway: with 700, a
# warm 200-article batch ran ~51 young and ~4 middle collections (~11 ms); with 10,000, ~4 young ones.
# 5 warm AllSides batches in one process, 2 alternated runs: 4.95, 4.92 -> 4.90, 4.87 CPU-s (-1.1 %).
WORKER_GC_THRESHOLD = 10_000


def _worker_start() -> None:
    """Initializer of every local worker process: a cheaper young garbage collection
    (:data:`WORKER_GC_THRESHOLD`), and an exit without tearing its interpreter down.

    A spawned worker ends like the main program, with a full interpreter
    shutdown: every module, table and memo freed object by object (~0.04–0.06 s
    for a worker after a few AllSides batches). Forked workers skip this
    (``multiprocessing`` ends them with ``os._exit``), and so do these now: the
    last exit handler flushes the standard streams and ends the process. The
    other handlers (registered before it: ``multiprocessing``'s own) have
    nothing left to do in a pool worker, whose results have already gone back
    through the pool's pipe and whose part files are written, closed and
    renamed by then; handlers registered later (by modules imported during a
    batch) run first, as usual. Saves that CPU when a worker is recycled and at
    the end of a run, where the driver's last steps ran beside two tearing-down
    workers. Results do not depend on either.
    """
    import atexit
    import gc

    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    atexit.register(_exit_now)


def _exit_now() -> None:
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def settle_heap() -> None:
    """Collect this batch's cyclic garbage, then exempt every surviving object from later collections.

    A worker holds large long-lived tables (CMU syllables, token and name
    memos, compiled lexicons); each full collection of Python's cyclic
    garbage collector walks all of them again, about 1 CPU-s over the 1,300
    AllSides articles. ``gc.freeze()`` after each batch leaves only the next
    batch's new objects to the collector. Frozen objects are still freed by
    reference counting when dropped; only a reference cycle made before a
    freeze and dropped after it stays until the worker is recycled
    (:data:`MAX_BATCHES_PER_WORKER`), so only the local engine's recycled
    worker processes do it (not ``jobs=1``, which runs in the caller's
    process, nor Ray's long-lived workers). Results do not depend on it.
    """
    import gc

    gc.collect()
    gc.freeze()


def _settled(fn: Callable, *args):
    """``fn(*args)``, then :func:`settle_heap` (the task a worker process runs).

    A process's first task (nothing frozen yet) first freezes what its imports
    made, then runs with automatic collection off: it builds the long-lived
    tables (syllables, lexicons, compiled patterns), and each of the full
    collections their growth sets off would walk all of them again, about
    0.1 CPU-s per worker over 200 AllSides articles (0.16 CPU-s of collection
    in the first batch instead of 0.06). Cyclic garbage of that task waits for
    :func:`settle_heap` right after it; results do not depend on it.
    """
    import gc

    first = gc.get_freeze_count() == 0
    if first:
        gc.freeze()
        gc.disable()
    try:
        result = fn(*args)
    finally:
        if first:
            gc.enable()
    settle_heap()
    return result


def map_ordered(fn: Callable, items: Iterable[tuple], *, jobs: int, max_pending: int | None = None) -> Iterator:
    """Yield ``fn(*item)`` for each item, in input order, on ``jobs`` processes.

    ``jobs == 1`` runs in this process. Otherwise at most ``max_pending``
    (default 2 × jobs) items are submitted ahead of the one being waited for,
    so a lazy ``items`` iterator is read only as fast as results are consumed
    (bounded memory for streaming). ``fn`` and the items must be picklable.
    """
    if jobs <= 1:
        for item in items:
            yield fn(*item)
        return
    from concurrent.futures import ProcessPoolExecutor

    limit = max(max_pending or 2 * jobs, jobs)
    import sys

    recycle = {"max_tasks_per_child": MAX_BATCHES_PER_WORKER} if sys.version_info >= (3, 11) and MAX_BATCHES_PER_WORKER else {}
    with _worker_environment(jobs):
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_worker_start, **recycle)
        pending: deque = deque()
        finished = False
        try:
            for item in items:
                pending.append(executor.submit(_settled, fn, *item))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
            finished = True
        except BaseException:
            # interrupted (Ctrl-C), a task failed, or the caller stopped early: stop the workers now
            # instead of letting them finish the batches already queued to them
            _stop_workers(executor)
            raise
        finally:
            for fut in pending:
                fut.cancel()
            # Every result is in: the idle workers exit (tearing down their interpreters, ~0.05 s) while
            # the caller goes on; the pool's own thread reaps them, at the latest when this process exits.
            executor.shutdown(wait=not finished, cancel_futures=True)


def _stop_workers(executor) -> None:
    """Terminate a process pool's workers (Python 3.14's ``terminate_workers``; before it, each of the
    pool's processes). The caller then shuts the pool down (``shutdown(wait=True)``): its manager thread
    sees the dead workers, fails what was pending and reaps them (reaping them here as well would race it)."""
    stop = getattr(executor, "terminate_workers", None)
    if stop is not None:  # pragma: no cover - Python >= 3.14
        stop()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def map_shared(fn: Callable, items: Iterable[tuple], *, jobs: int) -> list:
    """``[fn(*item) for item in items]``, shared between this process and ``jobs - 1`` workers.

    For a handful of independent, uneven tasks after the batches (charts,
    sentence alignments): this process, which has the libraries loaded
    already, takes items from the back, while each worker, once started, is
    handed the next item from the front whenever it finishes one (never
    more: an item queued for a busy worker could not be taken back), until
    they meet. So a worker's start-up is never waited for, and a slow one
    takes little. Results come back in item order; ``fn`` must be picklable
    (a module-level function) and so must the items. ``jobs <= 1`` or a
    single item: all in this process, no worker is started.
    """
    import threading

    items = list(items)
    n = len(items)
    if jobs <= 1 or n <= 1:
        return [fn(*item) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    results: list = [None] * n
    futures: dict[int, object] = {}
    lock = threading.RLock()  # a future already done runs its callback at once, inside hand_out
    ends = [0, n]  # [next item from the front, one past the next item from the back]
    with _worker_environment(jobs):
        executor = ProcessPoolExecutor(max_workers=min(jobs - 1, n - 1), mp_context=_context(), initializer=_worker_start)

        def hand_out(_done=None) -> None:
            with lock:
                if ends[0] < ends[1]:
                    i = ends[0]
                    ends[0] += 1
                    futures[i] = fut = executor.submit(fn, *items[i])
                    fut.add_done_callback(hand_out)

        try:
            for _ in range(min(jobs - 1, n - 1)):
                hand_out()
            while True:
                with lock:
                    if ends[1] <= ends[0]:
                        break
                    ends[1] -= 1
                    i = ends[1]
                results[i] = fn(*items[i])
            for i, fut in sorted(futures.items()):
                results[i] = fut.result()
        finally:
            with lock:
                ends[1] = ends[0]  # nothing more is handed out, also when a task failed
            executor.shutdown(wait=True, cancel_futures=True)
    return results


def _words(documents: pl.DataFrame) -> int:
    if "n_words" in documents.columns:
        return int(documents["n_words"].fill_null(0).sum() or 0)
    return 0


def _default_batch_fn() -> BatchFn:
    from framing.analysis import analyze_batch

    return analyze_batch


def run_local(
    documents: pl.DataFrame,
    config: AnalysisConfig,
    *,
    batch_fn: BatchFn | None = None,
    progress: Progress | None = None,
) -> dict[str, pl.DataFrame]:
    """Analyse ``documents`` in batches (:func:`balanced_batches`) on ``config.jobs`` processes; frames sorted by SORT_KEYS.

    ``batch_fn`` (default :func:`framing.analysis.analyze_batch`) must be a
    picklable module-level function when more than one job is used.
    """
    fn = batch_fn or _default_batch_fn()
    jobs = resolve_jobs(config.jobs)
    parts = balanced_batches(documents, config.batch_size, jobs)
    jobs = min(jobs, len(parts))
    results = []
    for part, result in zip(parts, map_ordered(fn, ((b, config) for b in parts), jobs=jobs)):
        results.append(result)
        if progress is not None:
            progress.advance(part.height, _words(part))
    return combine(results)


# ---------------------------------------------------------------------------
# streaming


@dataclass(frozen=True)
class StreamSummary:
    """What a streaming run wrote.

    frames: rows written per frame; parts: part files per frame;
    notes: corpus-level steps skipped or limited, one sentence each.
    """

    out_dir: str
    engine: str
    jobs: int
    batch_size: int
    documents: int
    words: int
    errors: int
    parts: int
    seconds: float
    frames: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    batch_seconds: float = 0.0  # reading + analysing + writing the batches; the rest is corpus-level steps
    resumed_parts: int = 0  # parts kept from an earlier run (resume); counted in documents and words
    resumed_words: int = 0

    def line(self) -> str:
        rate = (self.words - self.resumed_words) / self.seconds if self.seconds > 0 else 0.0
        from framing.progress import format_rate

        return (
            f"{self.documents:,} documents ({self.words:,} words, {self.errors:,} errors) in {self.seconds:.1f} s, "
            f"{format_rate(rate)} words/s{' analysed in this run' if self.resumed_parts else ''}; "
            f"{self.parts} parts per frame in {self.out_dir}"
            f"{f' ({self.resumed_parts} kept from an earlier run)' if self.resumed_parts else ''} "
            f"[engine {self.engine}, {self.jobs} jobs, batch {self.batch_size}]"
        )


def part_name(index: int) -> str:
    """File name of the ``index``-th partition: part-00000.parquet, part-00001.parquet …"""
    return f"part-{index:05d}.parquet"


STREAM_FRAMES = ("documents", *FRAME_SPECS, "errors")


def _frame_spec(name: str):
    if name == "documents":
        return schema.DOCUMENTS
    if name == "errors":
        return schema.ERRORS
    return FRAME_SPECS[name]


def fill_sentence_counts(documents: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """``n_sentences`` from the sentences frame (per document, so it can run per batch);
    a document still without a count (no sentence rows) is counted by the loader's segmenter."""
    counts = sentences.group_by("doc_id").agg(pl.len().cast(pl.Int64).alias("_n"))
    out = (
        documents.join(counts, on="doc_id", how="left")
        .with_columns(pl.coalesce("_n", "n_sentences").alias("n_sentences"))
        .drop("_n")
    )
    missing = out.select(pl.col("n_sentences").is_null() & pl.col("text").is_not_null()).to_series()
    if missing.any():
        from framing.corpus import _sentence_counts

        texts = out.filter(missing).get_column("text").to_list()
        filled = pl.Series("n_sentences", _sentence_counts(texts), pl.Int64)
        out = out.with_columns(out.get_column("n_sentences").scatter(missing.arg_true(), filled))
    return out


def analyze_stream_batch(
    raw, load_config: LoadConfig, config: AnalysisConfig, batch_fn: BatchFn | None = None, piece: tuple[int, int] | None = None
) -> dict[str, pl.DataFrame]:
    """Worker task of a streaming run: raw input batch -> documents, errors and every batch frame.

    Pure: the same raw batch gives the same frames in any process. With
    ``piece=(i, k)`` the whole batch is loaded (duplicates within a batch are
    found over all of it) but only the ``i``-th of ``k`` even slices of its
    documents is analysed, and only piece 0 carries the batch's errors:
    :func:`join_pieces` of the ``k`` pieces gives the frames of the whole
    batch (the batch function is pure per document).
    """
    from framing.analysis import SORT_KEYS

    documents, errors = raw.load(load_config)
    if piece is not None:
        i, k = piece
        n = documents.height
        documents = documents.slice(i * n // k, (i + 1) * n // k - i * n // k)
        errors = errors if i == 0 else errors.clear()
    fn = batch_fn or _default_batch_fn()
    out = dict(fn(documents, config)) if documents.height else {}
    out = {name: schema.conform(out.get(name, schema.empty(spec)), spec) for name, spec in FRAME_SPECS.items()}
    # the loader left n_sentences null for measured documents: the sentences frame counts them
    docs = fill_sentence_counts(documents, out["sentences"])
    out[SIGNATURE] = _signature(docs)
    out["documents"] = schema.conform(docs, schema.DOCUMENTS).sort("doc_id", maintain_order=True)
    out["errors"] = schema.conform(errors, schema.ERRORS)
    for name, keys in SORT_KEYS.items():
        if name in out:
            out[name] = out[name].sort(keys, nulls_last=True, maintain_order=True)
    return out


SIGNATURE = "_signature"


def _norm_hash(text: str | None) -> str | None:
    from framing.corpus.dedupe import _norm

    norm = _norm(text or "")
    if not norm:
        return None
    import hashlib

    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()


def _signature(documents: pl.DataFrame) -> pl.DataFrame:
    """Compact per-document state for corpus-level steps: no text, ~100 bytes a document."""
    return pl.DataFrame(
        {
            "doc_id": documents["doc_id"],
            "source_path": documents["source_path"],
            "segment": documents["segment"],
            "norm_hash": pl.Series([_norm_hash(t) for t in documents["text"].to_list()], dtype=pl.String),
            "duplicate_of": documents["duplicate_of"],
            "measured": documents["measured"],
            "loader_n_sentences": documents["n_sentences"],
        }
    )


def join_pieces(pieces: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """The frames of a whole batch from those of its pieces (:func:`analyze_stream_batch` with ``piece``), in order."""
    from framing.analysis import SORT_KEYS

    out = {}
    for name in (*STREAM_FRAMES, SIGNATURE):
        frame = pl.concat([p[name] for p in pieces], how="vertical").rechunk()
        keys = SORT_KEYS.get(name)
        out[name] = frame.sort(keys, nulls_last=True, maintain_order=True) if keys else frame
    return out


def _stream_task(
    raw,
    load_config: LoadConfig,
    config: AnalysisConfig,
    batch_fn: BatchFn | None = None,
    out_dir: str | None = None,
    index: int = 0,
    piece: tuple[int, int] | None = None,
):
    """((batch index, bytes of input read so far), frames) for one raw batch; runs in a worker.

    With ``out_dir`` the worker writes the batch's part files (number ``index``)
    itself and returns only what the driver keeps, :func:`_part_summary`: the
    frames (~8 MB for 200 articles) no longer travel back through the process
    pipe to be written by the driver. The files are the same either way. A
    ``piece`` of a shared batch returns ``((index, bytes), (piece, frames))`` and
    writes nothing: the driver joins the pieces and writes the part.
    """
    meta = (raw.index, raw.bytes_done)
    if piece is not None:
        return meta, (piece, analyze_stream_batch(raw, load_config, config, batch_fn, piece))
    frames = analyze_stream_batch(raw, load_config, config, batch_fn)
    if out_dir is None:
        return meta, frames
    _write_part(Path(out_dir), index, frames)
    return meta, _part_summary(frames)


def _part_summary(frames: dict[str, pl.DataFrame]) -> dict:
    """What the driver keeps of a written batch: its documents and words, and its signature."""
    docs = frames["documents"]
    return {"documents": docs.height, "words": _words(docs), SIGNATURE: frames[SIGNATURE]}


def _write_part(out_dir: Path, index: int, frames: dict[str, pl.DataFrame]) -> None:
    for name in STREAM_FRAMES:
        folder = out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        _rewrite(folder / part_name(index), frames[name])


RUN_RECORD = "_run.json"
DONE_DIR = "_done"


def _run_record(paths: list[str], load_config: LoadConfig, config: AnalysisConfig) -> dict:
    """What a streaming run's parts depend on, as JSON: framing's version, the settings (not ``jobs``,
    which changes no result), and each input and settings file with its size and modification time.

    ``--resume`` continues a run only when this record is unchanged, so part N
    of the earlier run is the N-th batch of the same input analysed the same way.
    """
    import dataclasses
    import hashlib
    import json

    from framing import __version__
    from framing.corpus import ingest

    def stat(path) -> list:
        try:
            st = os.stat(path)
        except OSError:
            return [str(path), None, None]
        return [str(path), st.st_size, st.st_mtime_ns]

    found, _ = ingest.find_files(paths)
    inputs = [stat(f.path) for f in found]
    digest = hashlib.blake2b(json.dumps(inputs).encode("utf-8"), digest_size=16).hexdigest()  # compact for a million files
    setting_files = [*load_config.clean_patterns, *config.lexicon_files]
    setting_files += [f for f in (load_config.manifest, config.actors_file) if f]
    record = {
        "framing": __version__,
        "load_config": dataclasses.asdict(load_config),
        "config": dataclasses.asdict(dataclasses.replace(config, jobs=None)),
        "inputs": {"paths": paths, "files": len(inputs), "bytes": sum(s or 0 for _, s, _ in inputs), "digest": digest},
        "setting_files": [stat(f) for f in setting_files],
    }
    return json.loads(json.dumps(record, default=str))  # as it reads back from the file


_RECORD_PARTS = {
    "framing": "the framing version",
    "load_config": "the input options",
    "config": "the analysis options",
    "inputs": "the input files",
    "setting_files": "the settings files",
}


def _prepare_out_dir(out_dir: Path, record: dict, resume: bool = False) -> dict[int, Path]:
    """Make ``out_dir`` ready for a run; return the finished batches kept for ``resume`` (index -> marker).

    A finished batch has all its part files and a marker, ``_done/part-N.parquet``
    (its signature), written by the driver after the parts. Without ``resume``
    every part and marker is removed: stale parts from an earlier run would be
    read back as part of this one. With ``resume`` the earlier run's record
    (:data:`RUN_RECORD`) must equal this run's (else ConfigError, saying what
    changed); its finished batches are kept and everything else is removed.
    """
    import json

    from framing.errors import InputError

    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"output path {out_dir} exists and is not a folder.")
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict[int, Path] = {}
    record_path = out_dir / RUN_RECORD
    if resume and record_path.is_file():
        try:
            earlier = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot resume: the run record {record_path} is unreadable ({exc}); run again without --resume.") from None
        changed = [label for key, label in _RECORD_PARTS.items() if earlier.get(key) != record.get(key)]
        if changed:
            raise ConfigError(
                f"cannot resume the run in {out_dir}: {', '.join(changed)} changed since it started; run again without --resume to start over."
            )
        for marker in sorted((out_dir / DONE_DIR).glob("part-*.parquet")):
            index = _part_index(marker.name)
            if index is not None and all((out_dir / name / marker.name).is_file() for name in STREAM_FRAMES):
                done[index] = marker
    record_path.unlink(missing_ok=True)  # no record while parts are being removed
    kept = {m.name for m in done.values()}
    for folder in (out_dir / DONE_DIR, *(out_dir / name for name in STREAM_FRAMES)):
        if folder.is_dir():
            for old in folder.glob("part-*.parquet*"):
                if old.name not in kept:
                    old.unlink()
    tmp = record_path.with_name(RUN_RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, record_path)
    return done


def _part_index(name: str) -> int | None:
    """5 for "part-00005.parquet"; None for any other name."""
    stem = name.removeprefix("part-").removesuffix(".parquet")
    return int(stem) if stem != name and stem.isdigit() else None


def _mark_done(out_dir: Path, index: int, signature: pl.DataFrame) -> None:
    """Write batch ``index``'s marker (its signature) once all its part files are written."""
    folder = out_dir / DONE_DIR
    folder.mkdir(exist_ok=True)
    _rewrite(folder / part_name(index), signature)


def _skip_done(raw_batches: Iterable, done: dict[int, Path], skipped: dict[int, int]) -> Iterator:
    """The raw batches not in ``done``; ``skipped`` gets each skipped batch's input bytes (for the ETA)."""
    before = 0
    for raw in raw_batches:
        if raw.index in done:
            skipped[raw.index] = raw.bytes_done - before
        else:
            yield raw
        before = raw.bytes_done


def run_streaming(
    paths,
    out_dir,
    *,
    load_config: LoadConfig | None = None,
    config: AnalysisConfig | None = None,
    engine: str = "local",
    quiet: bool = False,
    ray_address: str | None = None,
    batch_fn: BatchFn | None = None,
    progress_stream=None,
    stories: bool = True,
    resume: bool = False,
) -> StreamSummary:
    """Read ``paths`` in batches, analyse each, write partitioned Parquet to ``out_dir``.

    Layout: ``out_dir/<frame>/part-NNNNN.parquet`` for frame in documents,
    sentences, cues, quotes, mentions, actors, metrics, errors; part N of every
    frame holds the N-th input batch (``config.batch_size`` documents, in
    input order), each part sorted by SORT_KEYS. The parts are identical
    whatever ``config.jobs`` or ``engine``; :func:`read_output` reads them
    back as one sorted frame each. Corpus-level steps run afterwards with
    bounded memory (:func:`finish_streaming`). Progress goes to stderr unless
    ``quiet``; the summary's :meth:`StreamSummary.line` is the final line.
    ``stories=False`` skips story grouping and rewrite detection (the
    slowest corpus-level step, O(n²)); ``story_id``/``derived_from`` stay null.

    ``resume=True`` continues an interrupted run into the same ``out_dir``:
    the batches it finished are kept (each has a marker in ``out_dir/_done``,
    written after its parts) and only the others are analysed, then the
    corpus-level steps run over all of them, so the parts are the same as an
    uninterrupted run's. It refuses (ConfigError) when the inputs, the
    settings or framing's version changed since that run started
    (``out_dir/_run.json``); without an earlier run it starts from the beginning.

    With more than one job, worker processes are spawned: a script calling
    this must guard its entry point with ``if __name__ == "__main__":``.

    Peak memory ≈ driver + jobs × (worker libraries + one batch) + 2 × jobs
    queued raw batches: it depends on ``batch_size`` and ``jobs``, not on
    the corpus size (see the module docstring and benchmarks/README.md).
    """
    from framing.corpus.stream import iter_raw_batches, total_input_bytes
    from framing.progress import Progress

    load_config = load_config or LoadConfig()
    config = config or AnalysisConfig()
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}.")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [str(p) for p in paths]
    out = Path(out_dir)
    fresh_start = resume and not (out / RUN_RECORD).is_file()
    done = _prepare_out_dir(out, _run_record(paths, load_config, config), resume)
    started = time.perf_counter()
    progress = Progress(total_bytes=total_input_bytes(paths) or None, quiet=quiet, stream=progress_stream)
    if stories:
        from framing.analysis import _import_in_background

        _import_in_background("framing.compare.stories")  # scikit-learn, ~1 s: while the workers analyse
    skipped: dict[int, int] = {}  # batches kept from the earlier run -> their input bytes
    raw_batches = _skip_done(iter_raw_batches(paths, load_config=load_config, batch_size=config.batch_size), done, skipped)
    if engine == "ray":
        from framing.engine_ray import stream_ray

        jobs, results = stream_ray(raw_batches, load_config, config, address=ray_address, batch_fn=batch_fn)
    else:
        jobs = resolve_jobs(config.jobs)
        # each worker writes its own batch's parts (see _stream_task); the last batch is shared
        results = _joined(map_ordered(_stream_task, _stream_items(raw_batches, load_config, config, batch_fn, out, jobs), jobs=jobs))
    counts = dict.fromkeys(STREAM_FRAMES, 0)
    docs = words = 0
    signatures: dict[int, pl.DataFrame] = {}
    for (index, bytes_done), part in results:
        if isinstance(part["documents"], pl.DataFrame):  # frames came back (Ray, a shared batch): the driver writes them
            _write_part(out, index, part)
            part = _part_summary(part)
        _mark_done(out, index, part[SIGNATURE])
        docs += part["documents"]
        words += part["words"]
        signatures[index] = part[SIGNATURE]
        for kept in list(skipped):
            progress.skip(skipped.pop(kept))
        progress.advance(part["documents"], part["words"], bytes_done=bytes_done)
        del part
    resumed_words = 0
    for index, marker in done.items():  # batches finished by the earlier run
        signatures[index] = pl.read_parquet(marker)
        docs += signatures[index].height
        resumed_words += _words(pl.read_parquet(out / "documents" / marker.name, columns=["n_words"]))
    words += resumed_words
    n_parts = len(signatures)
    batch_seconds = time.perf_counter() - started
    notes = finish_streaming(
        out, [signatures[i].with_columns(pl.lit(i, pl.Int64).alias("part")) for i in sorted(signatures)], config,
        batch_fn=batch_fn, stories=stories, progress=progress,
    )
    if done:
        notes.insert(0, f"resumed: {len(done):,} of {n_parts:,} batches were kept from the earlier run in {out}.")
    elif fresh_start:
        notes.insert(0, f"resume: no earlier run in {out}; started from the beginning.")
    if n_parts:
        counts = _row_counts(out, STREAM_FRAMES)
    if n_parts == 0:
        _write_part(out, 0, {name: schema.empty(_frame_spec(name)) for name in STREAM_FRAMES})
        n_parts = 1
    progress.finish()
    return StreamSummary(
        out_dir=str(out),
        engine=engine,
        jobs=jobs,
        batch_size=config.batch_size,
        documents=docs,
        words=words,
        errors=counts["errors"],
        parts=n_parts,
        seconds=time.perf_counter() - started,
        frames={k: v for k, v in counts.items()},
        notes=tuple(notes),
        batch_seconds=batch_seconds,
        resumed_parts=len(done),
        resumed_words=resumed_words,
    )


def _row_counts(out_dir: Path, names) -> dict[str, int]:
    """Rows in all part files of each frame of ``names``: one query per frame, answered from the files'
    footers, all run together (``pl.collect_all``: ~20 ms instead of ~40 at the end of a run)."""
    files = {name: sorted((out_dir / name).glob("part-*.parquet")) for name in names}
    found = [name for name in names if files[name]]
    counts = pl.collect_all([pl.scan_parquet(files[name]).select(pl.len()) for name in found])
    return {name: 0 for name in names} | {name: frame.item() for name, frame in zip(found, counts)}


def _stream_items(raw_batches, load_config: LoadConfig, config: AnalysisConfig, batch_fn, out: Path, jobs: int) -> Iterator[tuple]:
    """Arguments of :func:`_stream_task` for each raw batch, the last one cut into pieces.

    Batches go whole to one worker each, which writes its part; the last
    batch (known by reading one batch ahead) is shared out as
    ``min(jobs, records // MIN_SHARED_SLICE)`` pieces (records: its lines,
    rows or files), so the workers finish together instead of one analysing
    it while the others wait. The part files are the same either way
    (:func:`join_pieces`).
    """
    target = str(out.absolute())
    held = None
    for raw in raw_batches:
        if held is not None:
            yield held
        held = (raw, load_config, config, batch_fn, target, raw.index)
    if held is None:
        return
    k = min(jobs, len(held[0].items) // MIN_SHARED_SLICE)
    if k <= 1:
        yield held
        return
    for i in range(k):
        yield (*held, (i, k))


def _joined(results: Iterator[tuple]) -> Iterator[tuple]:
    """``results`` of :func:`_stream_task`, the pieces of a shared batch joined into its frames."""
    held: list = []
    for raw_meta, part in results:
        if isinstance(part, tuple):  # (piece, frames)
            (i, k), frames = part
            held.append(frames)
            if i == k - 1:
                yield raw_meta, join_pieces(held)
                held = []
            continue
        yield raw_meta, part


def _cross_batch_duplicates(sig: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> duplicate_of for exact copies (same normalised text) in different batches.

    The original is the first document in (source_path, segment) order, as in
    the in-memory loader; documents already marked within their batch keep
    their mark.
    """
    ordered = sig.filter(pl.col("norm_hash").is_not_null()).sort(["source_path", "segment", "doc_id"])
    first = ordered.group_by("norm_hash", maintain_order=True).agg(pl.col("doc_id").first().alias("original"))
    return (
        ordered.join(first, on="norm_hash", how="inner")
        .filter((pl.col("doc_id") != pl.col("original")) & pl.col("duplicate_of").is_null())
        .select("doc_id", "part", pl.col("original").alias("new_duplicate_of"))
    )


# Part files: zstd at level 1 instead of its default 3. Writing a batch's parts (8 frames of 200 AllSides
# articles) then costs ~50 ms of CPU instead of ~65 (~1.5 % of a batch) for ~8 % more bytes (1.69 MB
# instead of 1.57); lz4 or snappy were no faster and 55 % larger. The frames read back the same.
PART_PARQUET = {"compression": "zstd", "compression_level": 1, "statistics": True}


def _rewrite(path: Path, frame: pl.DataFrame) -> None:
    """Write ``frame`` to ``path`` as Parquet (:data:`PART_PARQUET`) atomically (a temporary file, then a rename)."""
    tmp = path.with_name(path.name + ".tmp")
    frame.write_parquet(tmp, **PART_PARQUET)
    os.replace(tmp, path)


def _fix_duplicates(out_dir: Path, dups: pl.DataFrame, sig: pl.DataFrame, config: AnalysisConfig, batch_fn) -> None:
    """Mark cross-batch copies as duplicates in their parts and re-run the batch function on them.

    Copies were measured in their batch; as in the in-memory path they must
    be unmeasured, so their rows are replaced by what ``batch_fn`` gives for
    them unmeasured (a metrics row of nulls, nothing else). Per-document
    purity of the batch function makes this equal to analysing the part with
    the flags already set.
    """
    from framing.analysis import SORT_KEYS

    fn = batch_fn or _default_batch_fn()
    loader_counts = sig.select("doc_id", "loader_n_sentences")
    for (part,), group in dups.group_by("part", maintain_order=True):
        name = part_name(part)
        docs = pl.read_parquet(out_dir / "documents" / name)
        fixed = (
            docs.join(group.select("doc_id", "new_duplicate_of"), on="doc_id", how="left")
            .join(loader_counts, on="doc_id", how="left")
            .with_columns(
                pl.coalesce("new_duplicate_of", "duplicate_of").alias("duplicate_of"),
                pl.when(pl.col("new_duplicate_of").is_not_null()).then(False).otherwise(pl.col("measured")).alias("measured"),
                pl.when(pl.col("new_duplicate_of").is_not_null())
                .then(pl.lit("duplicate of ") + pl.col("new_duplicate_of"))
                .otherwise(pl.col("not_measured_reason"))
                .alias("not_measured_reason"),
                pl.when(pl.col("new_duplicate_of").is_not_null())
                .then(pl.col("loader_n_sentences"))
                .otherwise(pl.col("n_sentences"))
                .alias("n_sentences"),
            )
            .drop("new_duplicate_of", "loader_n_sentences")
        )
        fixed = schema.conform(fixed, schema.DOCUMENTS).sort("doc_id", maintain_order=True)
        _rewrite(out_dir / "documents" / name, fixed)
        ids = group["doc_id"]
        redo = {k: schema.conform(v, FRAME_SPECS[k]) for k, v in fn(fixed.filter(pl.col("doc_id").is_in(ids.implode())), config).items() if k in FRAME_SPECS}
        for frame_name, spec in FRAME_SPECS.items():
            path = out_dir / frame_name / name
            old = pl.read_parquet(path).filter(~pl.col("doc_id").is_in(ids.implode()))
            new = redo.get(frame_name, schema.empty(spec))
            merged = pl.concat([schema.conform(old, spec), new], how="vertical_relaxed") if new.height else schema.conform(old, spec)
            _rewrite(path, merged.sort(SORT_KEYS[frame_name], nulls_last=True, maintain_order=True))


def finish_streaming(
    out_dir: Path, signatures: list[pl.DataFrame], config: AnalysisConfig, *, batch_fn=None, stories: bool = True, progress=None
) -> list[str]:
    """Corpus-level steps of a streaming run, with bounded memory; returns notes (one sentence each).

    The driver keeps only a compact signature per document (doc_id, source
    path, segment, a 96-bit hash of the normalised text, flags: about 100
    bytes a document), never the texts.

    * sentence counts: per document, filled in each batch;
    * exact duplicates across batches: found from the hashes; their parts are
      fixed afterwards (:func:`_fix_duplicates`). Near-exact duplicates
      (shingles + fuzzy ratio) need the texts, so they are found within each
      batch only (a note says so when there is more than one batch);
    * story grouping and rewrites (:func:`framing.compare.stories.assign_stories`)
      need the texts of the measured, non-duplicate documents and an n × n
      similarity matrix: they run when there are at most STORY_LIMIT such
      documents (reading their texts back from the parts), otherwise they are
      skipped with a note and ``story_id`` stays null.
    """
    notes: list[str] = []
    if not signatures:
        return notes
    sig = pl.concat(signatures, how="vertical_relaxed")
    if len(signatures) > 1:
        dups = _cross_batch_duplicates(sig)
        if dups.height:
            _fix_duplicates(out_dir, dups, sig, config, batch_fn)
            sig = sig.join(dups.select("doc_id", "new_duplicate_of"), on="doc_id", how="left").with_columns(
                pl.coalesce("new_duplicate_of", "duplicate_of").alias("duplicate_of"),
                pl.when(pl.col("new_duplicate_of").is_not_null()).then(False).otherwise(pl.col("measured")).alias("measured"),
            )
        notes.append("near-exact duplicates were looked for within each batch; exact copies across the whole input.")
    pool = sig.filter(pl.col("measured").fill_null(False) & pl.col("duplicate_of").is_null()).height
    if not stories:
        notes.append("story grouping and rewrite detection were not run (stories=False); story_id and derived_from are null.")
        return notes
    from framing.analysis import announce_story_grouping, story_limit_note

    skipped = story_limit_note(pool)
    if skipped:
        notes.append(skipped)
        return notes
    announce_story_grouping(progress, pool)
    from framing.compare import stories as stories_mod

    parts = sorted((out_dir / "documents").glob("part-*.parquet"))
    cols = ["doc_id", "outlet", "date", "title", "measured", "duplicate_of", "derived_from", "text"]
    keep = pl.col("measured").fill_null(False) & pl.col("duplicate_of").is_null()
    docs = pl.concat(
        [pl.read_parquet(p, columns=cols).with_columns(pl.when(keep).then(pl.col("text")).alias("text")) for p in parts],
        how="vertical_relaxed",
    )
    mentions = pl.concat(
        [pl.read_parquet(p, columns=["doc_id", "actor"]) for p in sorted((out_dir / "mentions").glob("part-*.parquet"))],
        how="vertical_relaxed",
    )
    grouped = stories_mod.assign_stories(docs, mentions, jobs=resolve_jobs(config.jobs)).select("doc_id", "story_id", "derived_from")
    del docs, mentions
    for path in parts:
        part = pl.read_parquet(path).drop("story_id", "derived_from").join(grouped, on="doc_id", how="left")
        _rewrite(path, schema.conform(part, schema.DOCUMENTS).sort("doc_id", maintain_order=True))
    return notes


def read_output(out_dir, frames: Iterable[str] | None = None) -> dict[str, pl.DataFrame]:
    """Read a streaming run's parts back: one frame per name, sorted by SORT_KEYS (errors by path, segment)."""
    from framing.analysis import SORT_KEYS

    out_dir = Path(out_dir)
    names = list(frames) if frames is not None else list(STREAM_FRAMES)
    result = {}
    for name in names:
        spec = _frame_spec(name)
        files = sorted((out_dir / name).glob("part-*.parquet"))
        if files:
            frame = pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
        else:
            frame = schema.empty(spec)
        frame = schema.conform(frame, spec)
        keys = SORT_KEYS.get(name, ["path", "segment"] if name == "errors" else None)
        if keys:
            frame = frame.sort(keys, nulls_last=True, maintain_order=True)
        result[name] = frame
    return result


def finished_batches(out_dir) -> int:
    """Batches of a streaming run in ``out_dir`` that are finished (kept by ``resume``)."""
    return len(list((Path(out_dir) / DONE_DIR).glob("part-*.parquet")))
