"""The local engine: batches, worker processes, streaming Parquet, progress.

The machinery is tested with a small stub batch function (module-level so
spawned workers can import it); the real analysis is checked on the seeds.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from framing import engine, schema
from framing.config import AnalysisConfig, LoadConfig
from framing.errors import ConfigError
from framing.progress import Progress, format_duration, format_rate

from support import SEEDS


def stub_batch(documents: pl.DataFrame, config: AnalysisConfig) -> dict[str, pl.DataFrame]:
    """Per-document stand-in for analyze_batch: one sentence per line, a cue per 'may'."""
    lines = (
        documents.select("doc_id", pl.col("text").str.split("\n").alias("text"))
        .explode("text")
        .with_columns(pl.int_range(pl.len()).over("doc_id").cast(pl.Int64).alias("sent_id"))
    )
    sentences = lines.with_columns(pl.lit(0, pl.Int64).alias("start"), pl.col("text").str.len_chars().cast(pl.Int64).alias("end"))
    cues = (
        documents.select("doc_id", pl.col("text").str.find_many(["may"]).alias("start"))
        .explode("start")
        .drop_nulls("start")
        .with_columns(
            pl.lit(0, pl.Int64).alias("sent_id"),
            pl.col("start").cast(pl.Int64),
            (pl.col("start") + 3).cast(pl.Int64).alias("end"),
            pl.lit("hedge").alias("kind"),
            pl.lit("may").alias("term"),
            pl.lit("stub:may").alias("lexicon_id"),
        )
    )
    metrics = documents.select("doc_id", pl.col("text").str.count_matches(r"\w+").cast(pl.Int64).alias("n_words"))
    return {
        "sentences": schema.conform(sentences, schema.SENTENCES),
        "cues": schema.conform(cues, schema.CUES),
        "metrics": schema.conform(metrics, schema.METRICS),
    }


def failing_batch(documents: pl.DataFrame, config: AnalysisConfig):
    raise ConfigError("stub failure in a worker.")


def _docs(n: int) -> pl.DataFrame:
    # deliberately unsorted ids, uneven texts, an empty text
    ids = [f"doc{(i * 7919) % 1009:05d}" for i in range(n)]
    texts = [("It may rain.\n" * (i % 5)) + f"Line {i} may be" if i % 11 else "" for i in range(n)]
    return pl.DataFrame({"doc_id": ids, "text": texts, "n_words": [len(t.split()) for t in texts]})


def _equal(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name], null_equal=True), name


# --- batches, combine, jobs ------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "size", "heights"),
    [(10, 3, [3, 3, 3, 1]), (3, 3, [3]), (3, 10, [3]), (0, 5, [0]), (1, 1, [1])],
)
def test_batches_sizes_and_doc_id_order(n, size, heights):
    parts = engine.batches(_docs(n), size)
    assert [p.height for p in parts] == heights
    ids = pl.concat(parts)["doc_id"].to_list()
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    ("n", "size", "jobs", "heights"),
    [
        (1300, 200, 2, [162, 163, 162, 163, 162, 163, 162, 163]),  # 7 batches -> 8, even
        (1300, 200, 1, [200] * 6 + [100]),  # one job: plain batches
        (250, 200, 2, [125, 125]),
        (250, 200, 4, [125, 125]),  # 4 batches would fall below MIN_SHARED_BATCH
        (150, 200, 2, [150]),  # two halves of 75: not worth a second worker
        (1000, 200, 2, [166, 167, 167, 166, 167, 167]),  # 5 -> 6
        (1200, 200, 2, [200] * 6),  # already even
        (0, 200, 2, [0]),
        (7, 3, 2, [2, 2, 3]),  # below MIN_SHARED_BATCH: same count, evened out
        (150, 200, 4, [150]),  # fits one batch: one process
    ],
)
def test_balanced_batches_share_documents_evenly(n, size, jobs, heights):
    parts = engine.balanced_batches(_docs(n), size, jobs)
    assert [p.height for p in parts] == heights
    assert max(p.height for p in parts) <= max(size, 1)
    ids = pl.concat(parts)["doc_id"].to_list()
    assert ids == sorted(_docs(n)["doc_id"].to_list())  # every document once, in doc_id order


def test_batches_rejects_zero_size():
    with pytest.raises(ConfigError, match="batch size"):
        engine.batches(_docs(3), 0)
    with pytest.raises(ConfigError, match="batch size"):
        engine.balanced_batches(_docs(3), 0, 2)


@pytest.mark.parametrize(("jobs", "expected"), [(1, 1), (3, 3)])
def test_resolve_jobs_explicit(jobs, expected):
    assert engine.resolve_jobs(jobs) == expected


@pytest.mark.parametrize("jobs", [None, 0])
def test_resolve_jobs_all_cores(jobs, monkeypatch):
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 6)
    assert engine.resolve_jobs(jobs) == 6


@pytest.mark.parametrize("jobs", [-1, 2.5, "2"])
def test_resolve_jobs_rejects_nonsense(jobs):
    with pytest.raises(ConfigError, match="jobs"):
        engine.resolve_jobs(jobs)


def test_combine_empty_results_keep_every_schema():
    out = engine.combine([])
    assert set(out) == set(engine.FRAME_SPECS)
    for name, spec in engine.FRAME_SPECS.items():
        assert out[name].height == 0
        assert out[name].columns[: len(spec)] == list(spec)


def test_map_ordered_in_process_keeps_order():
    assert list(engine.map_ordered(pow, [(2, i) for i in range(6)], jobs=1)) == [1, 2, 4, 8, 16, 32]


def test_map_ordered_processes_keep_order_and_bound_reading():
    read = []

    def items():
        for i in range(9):
            read.append(i)
            yield (3, i)

    gen = engine.map_ordered(pow, items(), jobs=2, max_pending=2)
    first = next(gen)
    assert first == 1
    assert len(read) <= 3  # lazily consumed: at most max_pending ahead (+1 being submitted)
    assert [first, *gen] == [3**i for i in range(9)]


def _pid_of(i: int) -> tuple[int, int]:
    import os

    return i, os.getpid()


def _fail_on(i: int, bad: int) -> int:
    if i == bad:
        raise ValueError(f"item {i}")
    return i


def test_map_shared_in_process_and_shared():
    import os

    assert engine.map_shared(pow, [(2, i) for i in range(5)], jobs=1) == [1, 2, 4, 8, 16]
    assert engine.map_shared(pow, [], jobs=2) == []
    out = engine.map_shared(_pid_of, [(i,) for i in range(40)], jobs=2)
    assert [i for i, _ in out] == list(range(40))  # item order
    mine = [pid == os.getpid() for _, pid in out]
    # the workers take a prefix, this process the rest from the back
    assert mine[-1] and mine == sorted(mine)


@pytest.mark.parametrize("bad", [0, 5])
def test_map_shared_raises_the_task_error(bad):
    with pytest.raises(ValueError, match=f"item {bad}"):
        engine.map_shared(_fail_on, [(i, bad) for i in range(6)], jobs=2)


def _allocator_env(_i: int) -> tuple[str | None, str | None]:
    import os

    return os.environ.get("_RJEM_MALLOC_CONF"), os.environ.get("MALLOC_TRIM_THRESHOLD_")


@pytest.mark.parametrize("user", ["", "narenas:2"])
def test_workers_start_with_the_allocator_settings_and_the_caller_keeps_its_own(monkeypatch, user):
    # polars/__init__.py put its defaults (then the user's settings) in _RJEM_MALLOC_CONF when it was imported
    given = ",".join(c for c in (engine._POLARS_JEMALLOC_DEFAULT, user) if c)
    monkeypatch.setenv("_RJEM_MALLOC_CONF", given)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    got = list(engine.map_ordered(_allocator_env, [(0,), (1,)], jobs=2))
    conf, trim = got[0]
    assert got[1] == got[0]
    # a worker's Polars puts its defaults first, then what it inherited: ours, then the user's (which win)
    assert conf.split(",")[:2] == engine._POLARS_JEMALLOC_DEFAULT.split(",")
    assert conf.endswith(",".join(c for c in (engine.WORKER_JEMALLOC_CONF, user) if c))
    assert trim == engine.WORKER_MALLOC_ENV["MALLOC_TRIM_THRESHOLD_"]
    import os

    assert os.environ["_RJEM_MALLOC_CONF"] == given and "MALLOC_TRIM_THRESHOLD_" not in os.environ  # restored


def test_allocator_settings_the_user_gave_glibc_are_kept(monkeypatch):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "12345")
    assert engine.map_shared(_allocator_env, [(0,), (1,)], jobs=2)[0][1] == "12345"


def _polars_threads(_i: int) -> tuple[str | None, int, str | None]:
    import os

    import polars as pl

    return os.environ.get("POLARS_MAX_THREADS"), pl.thread_pool_size(), os.environ.get("OPENBLAS_NUM_THREADS")


def test_workers_share_out_the_cores_between_their_polars_and_blas_thread_pools(monkeypatch):
    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 4)
    got = list(engine.map_ordered(_polars_threads, [(0,), (1,)], jobs=2))
    assert got == [("2", 2, "2"), ("2", 2, "2")]  # 4 cores, 2 workers: 2 threads each instead of 4
    assert "POLARS_MAX_THREADS" not in engine.os.environ and "OPENBLAS_NUM_THREADS" not in engine.os.environ  # restored
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")  # a value the user set wins
    assert [t for _, _, t in engine.map_ordered(_polars_threads, [(0,), (1,)], jobs=2)] == ["3", "3"]
    assert [engine.worker_threads(j) for j in (1, 3, 4, 8)] == [4, 1, 1, 1]


def test_a_polars_thread_count_the_user_gave_is_kept(monkeypatch):
    monkeypatch.setenv("POLARS_MAX_THREADS", "3")
    assert engine.map_shared(_polars_threads, [(0,), (1,)], jobs=2)[0][:2] == ("3", 3)


def test_settle_heap_collects_cycles_then_freezes_survivors():
    import gc
    import weakref

    class Node:
        pass

    garbage = Node()
    garbage.self = garbage  # a reference cycle only the cyclic collector can free
    dead = weakref.ref(garbage)
    del garbage
    try:
        before = gc.get_freeze_count()
        engine.settle_heap()
        assert dead() is None  # collected before the freeze, not frozen
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_settled_returns_the_result():
    import gc

    try:
        assert engine._settled(pow, 2, 10) == 1024
    finally:
        gc.unfreeze()


def _collector_state() -> tuple[bool, int]:
    import gc

    return gc.isenabled(), gc.get_freeze_count()


def test_first_task_runs_without_automatic_collection_then_it_is_back():
    import gc

    gc.unfreeze()
    try:
        # first task of a process: what exists is frozen first, automatic collection is off while it runs
        enabled, frozen = engine._settled(_collector_state)
        assert enabled is False and frozen > 0
        assert gc.isenabled()
        # later tasks run as usual
        assert engine._settled(_collector_state)[0] is True
    finally:
        gc.enable()
        gc.unfreeze()


def test_first_task_that_fails_turns_automatic_collection_back_on():
    import gc

    gc.unfreeze()
    try:
        with pytest.raises(ZeroDivisionError):
            engine._settled(divmod, 1, 0)
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


# --- run_local --------------------------------------------------------------------


@pytest.mark.parametrize(("jobs", "size"), [(1, 1), (1, 7), (2, 5), (2, 1000)])
def test_run_local_identical_whatever_jobs_and_batch_size(jobs, size):
    docs = _docs(40)
    reference = engine.run_local(docs, AnalysisConfig(jobs=1, batch_size=40), batch_fn=stub_batch)
    got = engine.run_local(docs, AnalysisConfig(jobs=jobs, batch_size=size), batch_fn=stub_batch)
    _equal(reference, got)
    assert reference["metrics"]["doc_id"].to_list() == sorted(docs["doc_id"].to_list())
    assert reference["cues"].height == sum(t.count("may") for t in docs["text"].to_list())


def test_run_local_worker_error_reaches_caller():
    with pytest.raises(ConfigError, match="stub failure"):
        engine.run_local(_docs(10), AnalysisConfig(jobs=2, batch_size=2), batch_fn=failing_batch)


def test_run_local_reports_progress():
    buf = io.StringIO()
    progress = Progress(total_documents=12, stream=buf, interval=0)
    engine.run_local(_docs(12), AnalysisConfig(jobs=1, batch_size=5), batch_fn=stub_batch, progress=progress)
    assert progress.documents == 12 and progress.batches == 3
    assert progress.words == sum(_docs(12)["n_words"].to_list())
    assert "12/12 documents (100%)" in buf.getvalue()


# --- progress -----------------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_progress_rates_eta_and_summary():
    clock = _Clock()
    buf = io.StringIO()
    p = Progress(total_documents=100, stream=buf, interval=0, clock=clock)
    clock.t += 10
    p.advance(25, 50_000)
    line = buf.getvalue().strip()
    assert line == "analysed 25/100 documents (25%) · 2.50 docs/s · 5.00k words/s · ETA 30s"
    clock.t += 30
    p.advance(75, 150_000)
    assert p.eta() == 0
    summary = p.finish()
    assert summary == "analysed 100 documents, 200,000 words in 40s (40.0 s; 2.50 docs/s, 5.00k words/s, 2 batches)"
    assert buf.getvalue().splitlines()[-1] == summary


def test_progress_eta_from_bytes_when_documents_unknown():
    clock = _Clock()
    p = Progress(total_bytes=1000, quiet=True, clock=clock)
    clock.t += 5
    p.advance(10, 100, bytes_done=250)
    assert p.fraction() == 0.25
    assert p.eta() == pytest.approx(15.0)


def test_progress_quiet_writes_nothing_but_returns_summary():
    buf = io.StringIO()
    p = Progress(quiet=True, stream=buf, interval=0)
    p.advance(3, 30)
    assert p.finish().startswith("analysed 3 documents, 30 words")
    assert buf.getvalue() == ""
    assert p.eta() is None


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (2.5, "2.50"), (42.25, "42.2"), (999, "999"), (1234, "1.23k"), (23456, "23.5k"), (1_234_567, "1.23M")]
)
def test_format_rate(value, text):
    assert format_rate(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "?"), (float("nan"), "?"), (4.4, "4s"), (185, "3m05s"), (3720, "1h02m")]
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


# --- streaming --------------------------------------------------------------------


_WORDS = (
    "harbor council budget vaccine election drought river senator court tariff school bridge farmers "
    "miners nurses pilots storm wildfire museum treaty pipeline stadium festival border airline library"
).split()


def _body(i: int) -> str:
    # distinct topics per document, so corpus-level story grouping has little to align
    a, b, c = _WORDS[i % len(_WORDS)], _WORDS[(i * 7 + 3) % len(_WORDS)], _WORDS[(i * 11 + 5) % len(_WORDS)]
    return f"The {a} may close, officials said. Critics of the {b} disagree.\nThe {c} report {i} ends here."


def _write_jsonl(path, n, start=0):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            body = _body(i)
            f.write(json.dumps({"id": f"a{i:04d}", "source": "Outlet " + "ABC"[i % 3], "title": f"T{i}", "content": body}) + "\n")
    return path


def _stream(tmp_path, name, inputs, **cfg):
    out = tmp_path / name
    summary = engine.run_streaming(
        inputs,
        out,
        load_config=LoadConfig(text_column="content", outlet_column="source"),
        config=AnalysisConfig(**cfg),
        quiet=True,
        batch_fn=stub_batch,
    )
    return out, summary


def _part_bytes(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}


def test_streaming_parts_identical_whatever_jobs(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 13)
    out1, s1 = _stream(tmp_path, "one", [src], jobs=1, batch_size=5)
    out2, s2 = _stream(tmp_path, "two", [src], jobs=2, batch_size=5)
    assert s1.documents == s2.documents == 13
    assert s1.parts == 3 and s1.frames["documents"] == 13
    assert _part_bytes(out1) == _part_bytes(out2)
    names = {p.split("/")[0] for p in _part_bytes(out1)}
    assert names == {*engine.STREAM_FRAMES, engine.DONE_DIR}


def test_streaming_output_equals_in_memory_frames(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 17)
    out, summary = _stream(tmp_path, "s", [src], jobs=1, batch_size=4)
    streamed = engine.read_output(out)
    import framing

    corpus = framing.load_corpus(str(src), config=LoadConfig(text_column="content", outlet_column="source"))
    memory = engine.run_local(corpus.documents, AnalysisConfig(jobs=1, batch_size=100), batch_fn=stub_batch)
    for name in engine.FRAME_SPECS:
        assert streamed[name].equals(memory[name], null_equal=True), name
    mem_docs = engine.fill_sentence_counts(corpus.documents, memory["sentences"]).sort("doc_id")
    cols = ["doc_id", "outlet", "title", "text", "n_words", "n_sentences", "segment", "source_path"]
    assert streamed["documents"].select(cols).equals(mem_docs.select(cols), null_equal=True)
    assert summary.words == int(streamed["documents"]["n_words"].sum())


def test_streaming_rerun_replaces_stale_parts(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 12)
    out, _ = _stream(tmp_path, "s", [src], jobs=1, batch_size=2)
    assert len(list((out / "metrics").glob("part-*.parquet"))) == 6
    out, s = _stream(tmp_path, "s", [src], jobs=1, batch_size=5)
    assert len(list((out / "metrics").glob("part-*.parquet"))) == s.parts == 3
    assert engine.read_output(out, ["metrics"])["metrics"].height == 12


def test_streaming_bad_lines_become_errors(tmp_path):
    src = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "x1", "source": "A", "content": "It may rain today, officials said."})
    src.write_text(good + "\n{not json\n\n" + good.replace("x1", "x2") + "\n", encoding="utf-8")
    out, summary = _stream(tmp_path, "s", [src], jobs=1, batch_size=1)
    frames = engine.read_output(out)
    assert frames["documents"].height == 2
    assert frames["errors"].height >= 1
    assert summary.errors == frames["errors"].height


def test_streaming_rejects_unknown_engine(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 2)
    with pytest.raises(ConfigError, match="engine must be one of local, ray"):
        engine.run_streaming([src], tmp_path / "o", engine="spark", quiet=True)


def test_streaming_progress_and_summary_line(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 9)
    buf = io.StringIO()
    summary = engine.run_streaming(
        [src],
        tmp_path / "o",
        load_config=LoadConfig(text_column="content"),
        config=AnalysisConfig(jobs=1, batch_size=4),
        batch_fn=stub_batch,
        progress_stream=buf,
    )
    lines = buf.getvalue().splitlines()
    assert lines[-1].startswith("analysed 9 documents")
    assert "words/s" in lines[0] and "ETA" in lines[0]
    assert summary.line().startswith("9 documents (")
    assert "[engine local, 1 jobs, batch 4]" in summary.line()


# --- the real analysis on the seeds ------------------------------------------------


def test_seed_analysis_identical_with_two_jobs_and_tiny_batches(seed_corpus):
    from framing.analysis import analyze_batch

    docs = seed_corpus.documents
    one = engine.run_local(docs, AnalysisConfig(jobs=1, batch_size=1000), batch_fn=analyze_batch)
    two = engine.run_local(docs, AnalysisConfig(jobs=2, batch_size=2), batch_fn=analyze_batch)
    _equal(one, two)
    assert one["metrics"].height == docs.height
    assert one["sentences"].height > docs.height


def test_seed_frames_do_not_depend_on_batch_neighbours(seed_corpus):
    # each document alone (its batch's totals are a one-row frame) gives the frames it gets among others
    from framing.analysis import analyze_batch

    docs = seed_corpus.documents.sort("doc_id")
    together = engine.combine([analyze_batch(docs, AnalysisConfig())])
    alone = engine.combine([analyze_batch(docs.slice(i, 1), AnalysisConfig()) for i in range(docs.height)])
    _equal(together, alone)
    assert together["actors"]["voice_share"].drop_nulls().len() > 10


def test_streaming_exact_copies_across_batches_are_duplicates(tmp_path):
    src = tmp_path / "dup.jsonl"
    body = "Officials said it may rain on Tuesday, and the mayor may cancel the parade as a result."
    rows = [{"id": f"r{i}", "source": "A", "content": body if i in (1, 4) else f"{body} Item {i} is unique."} for i in range(6)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out, summary = _stream(tmp_path, "s", [src], jobs=1, batch_size=2)
    frames = engine.read_output(out)
    import framing

    corpus = framing.load_corpus(str(src), config=LoadConfig(text_column="content", outlet_column="source"))
    memory = engine.run_local(corpus.documents, AnalysisConfig(jobs=1), batch_fn=stub_batch)
    expected = engine.fill_sentence_counts(corpus.documents, memory["sentences"])
    cols = ["doc_id", "duplicate_of", "measured", "not_measured_reason", "n_sentences"]
    assert frames["documents"].select(cols).equals(expected.select(cols), null_equal=True)
    assert frames["documents"]["duplicate_of"].drop_nulls().len() == 1
    for name in engine.FRAME_SPECS:
        assert frames[name].equals(memory[name], null_equal=True), name
    assert any("exact copies across the whole input" in n for n in summary.notes)


def test_streaming_without_stories_leaves_story_id_null(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", 4)
    out = tmp_path / "o"
    summary = engine.run_streaming(
        [src], out, load_config=LoadConfig(text_column="content"), config=AnalysisConfig(jobs=1, batch_size=2),
        quiet=True, batch_fn=stub_batch, stories=False,
    )
    docs = engine.read_output(out, ["documents"])["documents"]
    assert docs["story_id"].null_count() == 4
    assert any("stories=False" in n for n in summary.notes)


# --- batched reading of every input format -------------------------------------------


def _formats(tmp_path):
    def rows(k):  # distinct texts per file: the reader alone does not look for copies across batches
        return [{"id": i, "source": "AB"[i % 2], "content": _body(i + 10 * k)} for i in range(7)]

    folder = tmp_path / "in"
    (folder / "txt").mkdir(parents=True)
    pl.DataFrame(rows(1)).write_csv(folder / "a.csv")
    pl.DataFrame(rows(2)).write_parquet(folder / "b.parquet")
    (folder / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows(3)), encoding="utf-8")
    for i in range(3):
        (folder / "txt" / f"t{i}.txt").write_text(_body(100 + i), encoding="utf-8")
    (folder / "txt" / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.mark.parametrize("size", [1, 3, 100])
def test_stream_reader_matches_in_memory_loader_for_every_format(tmp_path, size):
    import framing
    from framing.corpus.stream import iter_raw_batches

    folder = _formats(tmp_path)
    lc = LoadConfig(text_column="content", outlet_column="source")
    raws = list(iter_raw_batches([folder], load_config=lc, batch_size=size))
    assert all(len(r.items) <= size for r in raws)
    assert [r.index for r in raws] == list(range(len(raws)))
    assert raws[-1].bytes_done > 0
    loaded = [r.load(lc) for r in raws]
    docs = pl.concat([d for d, _ in loaded], how="vertical_relaxed").sort("doc_id")
    errors = pl.concat([e for _, e in loaded], how="vertical_relaxed").sort(["path", "segment", "reason"])
    corpus = framing.load_corpus(str(folder), config=lc)
    cols = ["doc_id", "outlet", "source_path", "segment", "text", "n_words", "language", "measured"]
    assert docs.height == corpus.documents.height == 24
    assert docs.select(cols).equals(corpus.documents.select(cols), null_equal=True)
    assert errors["reason"].to_list() == corpus.errors["reason"].to_list() == ["the file is empty."]


def test_stream_task_writes_its_own_parts_and_returns_a_summary(tmp_path):
    # a local worker writes its batch's parts; the driver gets the counts and the signature only
    from framing.corpus.stream import iter_raw_batches

    lc = LoadConfig(text_column="content", outlet_column="source")
    raw = list(iter_raw_batches([_formats(tmp_path)], load_config=lc, batch_size=10))[1]
    done, frames = engine._stream_task(raw, lc, AnalysisConfig(), stub_batch)
    engine._write_part(tmp_path / "by_driver", 1, frames)
    done2, summary = engine._stream_task(raw, lc, AnalysisConfig(), stub_batch, str(tmp_path / "by_worker"), 1)
    assert done2 == done == (1, done[1]) and done[1] > 0  # (batch index, bytes read)
    assert summary["documents"] == frames["documents"].height > 0
    assert summary["words"] == frames["documents"]["n_words"].sum() > 0
    assert summary[engine.SIGNATURE].equals(frames[engine.SIGNATURE])
    assert set(summary) == {"documents", "words", engine.SIGNATURE}  # no frame travels back
    for name in engine.STREAM_FRAMES:
        written = tmp_path / "by_worker" / name / engine.part_name(1)
        assert written.read_bytes() == (tmp_path / "by_driver" / name / engine.part_name(1)).read_bytes()


def test_pieces_of_a_batch_join_into_the_whole_batch(tmp_path):
    # the real analysis: a batch analysed as 3 slices of its documents gives the whole batch's frames
    # and part files, manifest splits and a duplicate found within the batch (across slices) included
    import shutil

    from framing.corpus.stream import iter_raw_batches

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    first = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz_copy.txt")
    lc = LoadConfig()
    (raw,) = list(iter_raw_batches([folder], load_config=lc, batch_size=100))
    whole = engine.analyze_stream_batch(raw, lc, AnalysisConfig())
    pieces = [engine.analyze_stream_batch(raw, lc, AnalysisConfig(), None, (i, 3)) for i in range(3)]
    n = whole["documents"].height
    assert [p["documents"].height for p in pieces] == [(i + 1) * n // 3 - i * n // 3 for i in range(3)]
    assert sum(p["errors"].height for p in pieces[1:]) == 0
    joined = engine.join_pieces(pieces)
    assert whole["documents"]["duplicate_of"].drop_nulls().len() == 1
    assert whole["mentions"].height > 50 and whole["quotes"].height > 10
    for name in (*engine.STREAM_FRAMES, engine.SIGNATURE):
        assert joined[name].equals(whole[name], null_equal=True), name
    engine._write_part(tmp_path / "whole", 0, whole)
    engine._write_part(tmp_path / "joined", 0, joined)
    assert _part_bytes(tmp_path / "whole") == _part_bytes(tmp_path / "joined")


def test_streaming_shares_the_last_batch_between_workers(tmp_path, monkeypatch):
    from framing.corpus.stream import iter_raw_batches

    lc = LoadConfig(text_column="content", outlet_column="source")
    src = _write_jsonl(tmp_path / "a.jsonl", 13)

    def pieces(jobs):
        raws = iter_raw_batches([src], load_config=lc, batch_size=5)
        return [item[6] if len(item) > 6 else None for item in engine._stream_items(raws, lc, AnalysisConfig(), stub_batch, tmp_path, jobs)]

    # 13 documents in 5s: the last batch (3) is too small to share at 25 documents a slice
    assert pieces(2) == [None, None, None]
    monkeypatch.setattr(engine, "MIN_SHARED_SLICE", 1)
    assert pieces(1) == [None, None, None]
    assert pieces(2) == [None, None, (0, 2), (1, 2)]
    assert pieces(4) == [None, None, (0, 3), (1, 3), (2, 3)]  # never more slices than documents
    out1, s1 = _stream(tmp_path, "one", [src], jobs=1, batch_size=5)
    out2, s2 = _stream(tmp_path, "two", [src], jobs=2, batch_size=5)
    assert s1.parts == s2.parts == 3 and s2.documents == 13 and s2.words == s1.words
    assert _part_bytes(out1) == _part_bytes(out2)


def test_stream_reader_missing_path_and_bad_batch_size(tmp_path):
    from framing.corpus.stream import iter_raw_batches
    from framing.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        list(iter_raw_batches([tmp_path / "nope.jsonl"]))
    with pytest.raises(ConfigError, match="batch size"):
        list(iter_raw_batches([tmp_path], batch_size=0))


def test_map_ordered_with_worker_recycling(monkeypatch):
    monkeypatch.setattr(engine, "MAX_BATCHES_PER_WORKER", 2)
    assert list(engine.map_ordered(pow, [(2, i) for i in range(7)], jobs=2)) == [2**i for i in range(7)]


class _Teardown:
    """Writes a marker when it is freed: at a worker's interpreter shutdown, if there is one."""

    def __init__(self, path):
        self.file = open(path, "w", encoding="utf-8")  # noqa: SIM115 - written and closed when freed

    def __del__(self):
        self.file.write("torn down\n")
        self.file.close()


def _leave_marks(i: int, folder: str) -> tuple[int, int]:
    import atexit
    import os
    import sys
    from pathlib import Path

    module = sys.modules[__name__]
    module.__dict__.setdefault("_kept", []).append(_Teardown(Path(folder) / f"teardown-{i}"))  # freed only at shutdown
    atexit.register(Path(folder, f"atexit-{i}").write_text, "ran\n")
    return i * i, os.getpid()


def _ended(pid: int) -> bool:
    """The process has exited (gone, or a zombie its parent has not reaped yet)."""
    from pathlib import Path

    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return status.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def _gc_threshold(_i: int) -> tuple[int, int, int]:
    import gc

    return gc.get_threshold()


def test_workers_collect_young_garbage_less_often_and_the_caller_keeps_its_settings():
    import gc

    before = gc.get_threshold()
    got = list(engine.map_ordered(_gc_threshold, [(0,), (1,)], jobs=2))
    assert got == [(engine.WORKER_GC_THRESHOLD, *before[1:])] * 2
    assert gc.get_threshold() == before


def test_worker_start_ends_the_process_after_the_exit_handlers_without_a_teardown(tmp_path):
    import subprocess
    import sys

    script = f"""
import atexit, pathlib, sys
from framing import engine
engine._worker_start()

class Teardown:
    def __init__(self):
        self.file = open({str(tmp_path / "teardown")!r}, "w")
    def __del__(self):
        self.file.write("torn down")
        self.file.close()

kept = Teardown()
atexit.register(pathlib.Path({str(tmp_path / "later")!r}).write_text, "ran")  # registered after: runs first
sys.stdout.write("buffered, no newline")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "buffered, no newline"  # the standard streams were flushed
    assert (tmp_path / "later").read_text() == "ran"
    assert (tmp_path / "teardown").read_text() == ""  # the interpreter was not torn down
    plain = subprocess.run([sys.executable, "-c", script.replace("engine._worker_start()", "")], capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and (tmp_path / "teardown").read_text() == "torn down"  # as it would be without it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers end")
@pytest.mark.parametrize("mapper", ["ordered", "shared"])
def test_pool_workers_exit_without_a_teardown_after_their_exit_handlers(tmp_path, mapper):
    import os
    import time

    items = [(i, str(tmp_path)) for i in range(4)]
    got = list(engine.map_ordered(_leave_marks, items, jobs=2)) if mapper == "ordered" else engine.map_shared(_leave_marks, items, jobs=3)
    assert [r for r, _ in got] == [0, 1, 4, 9]
    workers = {i for i, (_, pid) in enumerate(got) if pid != os.getpid()}
    deadline = time.monotonic() + 30  # map_ordered returns while its idle workers are still exiting
    while time.monotonic() < deadline and not all(_ended(pid) for _, pid in got if pid != os.getpid()):
        time.sleep(0.05)
    # exit handlers a task registered still ran in every worker ...
    assert workers and {p.name for p in tmp_path.glob("atexit-*")} == {f"atexit-{i}" for i in workers}
    # ... but no worker freed its objects one by one at the end
    assert [(tmp_path / f"teardown-{i}").read_text(encoding="utf-8") for i in sorted(workers)] == [""] * len(workers)


# ---------------------------------------------------------------- resuming an interrupted streaming run


def _resume_input(tmp_path):
    """12 articles (one an exact copy of an earlier one, in a later batch) and a line that is not JSON."""
    src = _write_jsonl(tmp_path / "in.jsonl", 12)
    lines = src.read_text(encoding="utf-8").splitlines()
    copy = json.loads(lines[1])
    copy["id"] = "copy-of-a0001"
    lines[9] = json.dumps(copy)
    lines.insert(6, "{not json")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def _run(src, out, *, resume=False, batch_fn=stub_batch, batch_size=3, jobs=1, stories=True):
    return engine.run_streaming(
        [src], out, load_config=LoadConfig(text_column="content", outlet_column="source"),
        config=AnalysisConfig(jobs=jobs, batch_size=batch_size), quiet=True, batch_fn=batch_fn, stories=stories, resume=resume,
    )


def _all_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


class _StopAt:
    """A batch function that analyses ``n`` batches, then is interrupted (as by Ctrl-C); ``seen``: the
    documents of each call."""

    def __init__(self, n):
        self.n, self.seen = n, []

    def __call__(self, documents, config):
        self.seen.append(documents.height)
        if len(self.seen) > self.n:
            raise KeyboardInterrupt
        return stub_batch(documents, config)


def test_resumed_run_keeps_finished_batches_and_writes_the_same_files(tmp_path):
    src = _resume_input(tmp_path)
    full = _run(src, tmp_path / "full")
    assert full.parts == 5 and full.documents == 12 and full.errors == 1
    assert engine.read_output(tmp_path / "full", ["documents"])["documents"]["duplicate_of"].drop_nulls().len() == 1
    out = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        _run(src, out, batch_fn=_StopAt(2))
    assert engine.finished_batches(out) == 2
    assert sorted(p.name for p in (out / "metrics").glob("*")) == ["part-00000.parquet", "part-00001.parquet"]
    again = _StopAt(99)
    summary = _run(src, out, resume=True, batch_fn=again)
    # batches 2, 3 and 4 only (2, 3 and 1 documents), then the copy again, unmeasured (a duplicate across batches)
    assert again.seen == [2, 3, 1, 1]
    assert (summary.parts, summary.documents, summary.errors, summary.resumed_parts) == (5, 12, 1, 2)
    assert summary.words == full.words and 0 < summary.resumed_words < summary.words
    assert summary.notes[0] == f"resumed: 2 of 5 batches were kept from the earlier run in {out}."
    assert _all_files(out) == _all_files(tmp_path / "full")  # parts, markers and the run record
    # resuming a finished run analyses nothing and changes nothing (the corpus-level steps run again)
    nothing = _StopAt(99)
    assert _run(src, out, resume=True, batch_fn=nothing).resumed_parts == 5 and nothing.seen == [1]
    assert _all_files(out) == _all_files(tmp_path / "full")


def test_resumed_run_on_more_workers_and_unfinished_parts(tmp_path):
    src = _resume_input(tmp_path)
    _run(src, tmp_path / "full", stories=False)
    out = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        _run(src, out, batch_fn=_StopAt(3), stories=False)
    # a part whose batch has no marker (a worker wrote it, the run stopped before the driver saw it) is dropped
    (out / "metrics" / "part-00004.parquet").write_bytes(b"unfinished")
    (out / engine.DONE_DIR / "part-00001.parquet").unlink()
    summary = _run(src, out, resume=True, jobs=2, stories=False)
    assert summary.resumed_parts == 2 and summary.jobs == 2
    assert _all_files(out) == _all_files(tmp_path / "full")


def test_resume_refuses_changed_inputs_or_options_and_starts_over_without_a_record(tmp_path):
    src = _resume_input(tmp_path)
    out = tmp_path / "o"
    with pytest.raises(KeyboardInterrupt):
        _run(src, out, batch_fn=_StopAt(1))
    with pytest.raises(ConfigError, match=r"cannot resume the run in .*: the analysis options changed since it started; run again without --resume"):
        _run(src, out, resume=True, batch_size=4)
    with open(src, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "late", "source": "A", "content": "A late article."}) + "\n")
    with pytest.raises(ConfigError, match="the input files changed"):
        _run(src, out, resume=True)
    assert engine.finished_batches(out) == 1  # a refused resume removes nothing
    summary = _run(src, out)  # without --resume: a new run over the changed input
    assert (summary.documents, summary.resumed_parts) == (13, 0)
    fresh = tmp_path / "fresh"
    summary = _run(src, fresh, resume=True)  # nothing to resume: from the beginning
    assert summary.resumed_parts == 0 and summary.notes[0] == f"resume: no earlier run in {fresh}; started from the beginning."
    assert _all_files(fresh) == _all_files(out)


def test_progress_eta_of_a_resumed_run_counts_only_its_own_work():
    clock = _Clock()
    p = Progress(total_bytes=1000, quiet=True, clock=clock)
    p.skip(400)  # kept from the earlier run
    clock.t += 5
    p.advance(10, 100, bytes_done=500)
    assert p.fraction() == 0.5
    assert p.eta() == pytest.approx(25.0)  # 100 bytes in 5 s, 500 to go


def _slow_item(i, folder):
    import time
    from pathlib import Path

    if i:
        time.sleep(60)
    Path(folder, f"done-{i}").write_text("x")
    return i


def test_map_ordered_stops_its_workers_when_the_caller_stops(tmp_path):
    # Ctrl-C in the driver (or a caller that stops reading) must not wait for the batches queued to the workers
    import multiprocessing

    results = engine.map_ordered(_slow_item, [(i, str(tmp_path)) for i in range(4)], jobs=2)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done-0"]


def test_map_ordered_lets_its_idle_workers_exit_once_every_result_is_in():
    # the caller does not wait for the workers to tear down; they exit on their own and are reaped
    import multiprocessing
    import time

    out = list(engine.map_ordered(_pid_of, [(i,) for i in range(6)], jobs=2))
    assert [i for i, _ in out] == list(range(6))
    workers = {pid for _, pid in out}
    deadline = time.monotonic() + 60
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    assert len(workers) <= 2


def test_streaming_story_grouping_above_the_limit_is_skipped_with_a_note(tmp_path, monkeypatch):
    src = _write_jsonl(tmp_path / "a.jsonl", 4)
    monkeypatch.setattr(engine, "STORY_LIMIT", 3)
    out, summary = _stream(tmp_path, "s", [src], jobs=1, batch_size=2)
    assert summary.notes[-1] == (
        "story grouping skipped: 4 measured documents, above the limit of 3 (its similarity matrices grow with the "
        "square of the number of documents); story_id and derived_from are left null."
    )
    assert engine.read_output(out, ["documents"])["documents"]["story_id"].null_count() == 4
    monkeypatch.setattr(engine, "STORY_LIMIT", 4)
    out, summary = _stream(tmp_path, "t", [src], jobs=1, batch_size=2)
    assert not any("skipped" in n for n in summary.notes)
    assert engine.read_output(out, ["documents"])["documents"]["story_id"].null_count() == 0


def test_streaming_announces_long_story_grouping(tmp_path, monkeypatch):
    from framing import analysis

    src = _write_jsonl(tmp_path / "a.jsonl", 4)
    monkeypatch.setattr(analysis, "STORY_STAGE_LINE", 4)
    buf = io.StringIO()
    engine.run_streaming(
        [src], tmp_path / "o", load_config=LoadConfig(text_column="content", outlet_column="source"),
        config=AnalysisConfig(jobs=1, batch_size=2), batch_fn=stub_batch, progress_stream=buf,
    )
    lines = buf.getvalue().splitlines()
    assert lines[-2] == "grouping 4 documents into stories and looking for rewrites (time grows with the square of the documents)"
    assert lines[-1].startswith("analysed 4 documents, ")


def test_summary_line_of_a_resumed_run_says_what_was_kept():
    s = engine.StreamSummary(
        out_dir="o", engine="local", jobs=2, batch_size=200, documents=1300, words=1_200_000, errors=0, parts=7,
        seconds=4.0, resumed_parts=2, resumed_words=400_000,
    )
    assert s.line() == (
        "1,300 documents (1,200,000 words, 0 errors) in 4.0 s, 200.0k words/s analysed in this run; "
        "7 parts per frame in o (2 kept from an earlier run) [engine local, 2 jobs, batch 200]"
    )
    fresh = engine.StreamSummary(
        out_dir="o", engine="local", jobs=2, batch_size=200, documents=1300, words=1_200_000, errors=0, parts=7, seconds=4.0
    )
    assert fresh.line() == "1,300 documents (1,200,000 words, 0 errors) in 4.0 s, 300.0k words/s; 7 parts per frame in o [engine local, 2 jobs, batch 200]"
