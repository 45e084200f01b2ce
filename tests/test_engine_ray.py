"""The Ray engine on a local Ray instance (2 CPUs, loopback, no dashboard).

Asserts identical frames to the local engine. Needs ``ray[data]`` (the
``framing[ray]`` extra): skipped outside CI when Ray is missing, failing in CI.
"""

from __future__ import annotations

import json
import sys

import polars as pl
import pytest

from support import IN_CI

try:
    import ray  # noqa: F401
    import ray.data  # noqa: F401

    HAVE_RAY = True
except ImportError:  # pragma: no cover
    HAVE_RAY = False

from framing import engine, schema
from framing.config import AnalysisConfig, LoadConfig

pytestmark = [
    # Ray's own start-up and Ray Data internals warn about their deprecated
    # settings and about the process forking; none comes from framing.
    pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning:ray"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
    pytest.mark.filterwarnings("ignore:.*os.fork\\(\\) was called.*:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:.*This process .* is multi-threaded, use of fork\\(\\).*:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def ray_local():
    if not HAVE_RAY:
        if IN_CI:
            pytest.fail('ray[data] is not installed (required in CI: pip install "framing[ray]")')
        pytest.skip('ray[data] is not installed (pip install "framing[ray]")')
    import ray
    from ray import cloudpickle

    from framing.engine_ray import init_ray

    # this test module is not importable by Ray workers: ship its functions by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    started = not ray.is_initialized()
    cpus = init_ray(None, num_cpus=2)
    yield cpus
    if started:
        ray.shutdown()


def stub_batch(documents: pl.DataFrame, config: AnalysisConfig) -> dict[str, pl.DataFrame]:
    """Per-document stand-in for analyze_batch: a cue for each 'may', word counts."""
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
    return {"cues": schema.conform(cues, schema.CUES), "metrics": schema.conform(metrics, schema.METRICS)}


def _equal(a, b):
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name], null_equal=True), name


def test_init_reports_cpus(ray_local):
    assert ray_local == 2


def test_run_ray_equals_run_local_with_stub(ray_local):
    from framing.engine_ray import run_ray

    texts = [("It may rain. " * (i % 4)) + f"Doc {i}." for i in range(30)]
    docs = pl.DataFrame({"doc_id": [f"d{(i * 13) % 31:03d}" for i in range(30)], "text": texts})
    config = AnalysisConfig(jobs=2, batch_size=4)
    local = engine.run_local(docs, config, batch_fn=stub_batch)
    distributed = run_ray(docs, config, batch_fn=stub_batch)
    _equal(local, distributed)
    assert distributed["cues"].height == sum(t.count("may") for t in texts)


def _thread_batch(documents: pl.DataFrame, config: AnalysisConfig) -> dict[str, pl.DataFrame]:
    """Records, as each document's n_words, the size of the Polars thread pool of the task's worker."""
    metrics = documents.select("doc_id", pl.lit(pl.thread_pool_size(), pl.Int64).alias("n_words"))
    return {"metrics": schema.conform(metrics, schema.METRICS)}


def test_ray_tasks_run_polars_with_one_thread(ray_local, monkeypatch):
    # each task asks Ray for one CPU: its Polars must not start a thread per core of the node
    from framing.engine_ray import run_ray

    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "text": ["Some text."] * 6})
    out = run_ray(docs, AnalysisConfig(jobs=2, batch_size=2), batch_fn=_thread_batch)
    assert out["metrics"]["n_words"].to_list() == [1] * 6


def test_streaming_ray_parts_identical_to_local(ray_local, tmp_path):
    src = tmp_path / "a.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(13):
            f.write(json.dumps({"id": i, "source": "AB"[i % 2], "content": f"Officials said it may rain. Story {i}."}) + "\n")
    f_bad = tmp_path / "b.jsonl"
    f_bad.write_text("{broken\n", encoding="utf-8")
    outs = {}
    for name in ("local", "ray"):
        outs[name] = tmp_path / name
        summary = engine.run_streaming(
            [src, f_bad],
            outs[name],
            load_config=LoadConfig(text_column="content", outlet_column="source"),
            config=AnalysisConfig(jobs=2, batch_size=4),
            engine=name,
            quiet=True,
            batch_fn=stub_batch,
        )
        assert summary.documents == 13 and summary.errors == 1
        assert summary.engine == name
    files = {p.relative_to(outs["local"]).as_posix(): p.read_bytes() for p in sorted(outs["local"].rglob("*.parquet"))}
    files_ray = {p.relative_to(outs["ray"]).as_posix(): p.read_bytes() for p in sorted(outs["ray"].rglob("*.parquet"))}
    assert len(files) == 9 * summary.parts == 9 * 5  # 4 batches of documents, 1 of errors; 8 frames and a marker each
    assert files == files_ray


def test_ray_equals_local_on_seeds(ray_local, seed_corpus):
    from framing.analysis import analyze_batch
    from framing.engine_ray import run_ray

    docs = seed_corpus.documents
    config = AnalysisConfig(jobs=2, batch_size=4)
    local = engine.run_local(docs, config, batch_fn=analyze_batch)
    distributed = run_ray(docs, config)
    _equal(local, distributed)
    assert local["metrics"].height == docs.height


def test_ray_resumes_a_run_the_local_engine_started(ray_local, tmp_path):
    src = tmp_path / "a.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(13):
            f.write(json.dumps({"id": i, "source": "AB"[i % 2], "content": f"Officials said it may rain. Story {i}."}) + "\n")
    calls = []

    def interrupted(documents, config):
        calls.append(documents.height)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return stub_batch(documents, config)

    def run(out, name, fn, resume=False):
        return engine.run_streaming(
            [src], out, load_config=LoadConfig(text_column="content", outlet_column="source"),
            config=AnalysisConfig(jobs=2 if name == "ray" else 1, batch_size=4), engine=name, quiet=True, batch_fn=fn, resume=resume,
        )

    run(tmp_path / "full", "local", stub_batch)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path / "cut", "local", interrupted)
    summary = run(tmp_path / "cut", "ray", stub_batch, resume=True)
    assert (summary.resumed_parts, summary.parts, summary.documents) == (2, 4, 13)

    def files(out):
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    assert files(tmp_path / "cut") == files(tmp_path / "full")


def test_ray_data_console_shows_only_warnings(ray_local):
    # Ray Data's INFO lines (a few per dataset, one dataset per window of batches) stay in its log file
    import logging

    consoles = [
        h for h in logging.getLogger("ray.data").handlers if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]
    assert consoles

    def shown(handler, level, message):
        return bool(handler.filter(logging.LogRecord("ray.data", level, __file__, 1, message, None, None)))

    for handler in consoles:
        assert not shown(handler, logging.INFO, "Starting execution of Dataset dataset_1")
        assert not shown(handler, logging.WARNING, "Progress bars disabled. To enable, set ...")
        assert shown(handler, logging.WARNING, "Ray Data is running out of memory")
