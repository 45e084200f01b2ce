"""Ray engine: the same pure batch function, mapped with Ray Data.

Install with ``pip install "framing[ray]"`` (Ray Data). :func:`init_ray`
connects to an existing cluster when given an address (``"auto"``,
``"ray://head:10001"`` or ``"head:6379"``), or starts a local Ray instance
bound to the loopback interface with ``jobs`` CPUs and no dashboard.

* :func:`run_ray` — in memory: the documents (sorted by ``doc_id`` and tagged
  with their batch number, exactly the batches of :func:`framing.engine.batches`)
  become a Ray Dataset (``ray.data.from_arrow``); ``map_batches`` runs
  :func:`framing.analysis.analyze_batch` on each batch (``batch_format="pyarrow"``,
  converted to Polars inside the task); the driver gathers the frames in
  order and sorts them like the local engine. Frames are identical to
  :func:`framing.engine.run_local`.
* :func:`stream_ray` — streaming: the raw input batches read by
  :mod:`framing.corpus.stream` form a Dataset (one row per batch, in windows
  of a few batches per CPU so the driver's memory stays bounded); each task
  loads and analyses its batch; the driver writes the Parquet parts in order
  (see :func:`framing.engine.run_streaming`), so the files are identical to
  the local engine's.

Every batch is analysed whole inside one task: if Ray hands a task several
batches, or part of one, the task groups rows by their batch number, and the
driver reassembles pieces of a batch before sorting — results never depend on
how Ray splits blocks.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import warnings
from collections.abc import Iterable, Iterator

import polars as pl

from framing import schema
from framing.config import AnalysisConfig, LoadConfig
from framing.errors import ConfigError

__all__ = ["init_ray", "run_ray", "stream_ray", "ray_available"]

_PART = "_framing_batch"
# Ray Data's DataContext constructor warns about its own deprecated fields (Ray 2.5x/2.60).
_RAY_CONTEXT_WARNINGS = (
    r"`use_push_based_shuffle` is deprecated",
    r"`use_polars` is deprecated",
    r"`use_arrow_tensor_v2` is deprecated",
)


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def _import_ray():
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError('the Ray engine needs Ray Data: pip install "framing[ray]".') from exc
    return ray


class _QuietRayData(logging.Filter):
    """On Ray Data's console handler: only warnings and errors, and not the one about its progress bars.

    Ray Data writes a few INFO lines per dataset to stderr ("Starting execution
    of Dataset …", its execution plan, "… finished in 2.75 seconds"), one
    dataset per window of batches in a streaming run: thousands of lines over
    a large corpus, between framing's own progress lines. They still go to Ray
    Data's log file (``/tmp/ray/session_*/logs/ray-data``). framing turns Ray
    Data's progress bars off (it reports progress itself), which Ray Data
    warns about once.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and not record.getMessage().startswith("Progress bars disabled")


def _quiet_ray_data_console() -> None:
    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            if not any(isinstance(f, _QuietRayData) for f in handler.filters):
                handler.addFilter(_QuietRayData())


def _data_context(ray):
    _quiet_ray_data_console()
    with warnings.catch_warnings():
        for message in _RAY_CONTEXT_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    return ctx


def init_ray(address: str | None = None, *, num_cpus: int | None = None):
    """Connect to the Ray cluster at ``address``, or start a local instance on loopback.

    Does nothing if Ray is already initialised in this process (the caller
    owns that connection). Returns the number of CPUs the cluster offers.
    """
    ray = _import_ray()
    if not ray.is_initialized():
        common = {"log_to_driver": False, "logging_level": logging.WARNING, "configure_logging": False}
        if address:
            ray.init(address=address, **common)
        else:
            from framing.engine import resolve_jobs

            ray.init(
                num_cpus=num_cpus or resolve_jobs(None),
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                **common,
            )
    _data_context(ray)
    return max(int(ray.cluster_resources().get("CPU", 1)), 1)


def _to_ipc(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_ipc(buf, compression="uncompressed")
    return buf.getvalue()


def _from_ipc(data: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(data))


def _result_table(rows: list[tuple[int, str, bytes]]):
    import pyarrow as pa

    return pa.table(
        {
            _PART: pa.array([r[0] for r in rows], pa.int64()),
            "frame": pa.array([r[1] for r in rows], pa.string()),
            "data": pa.array([r[2] for r in rows], pa.large_binary()),
        }
    )


def _analyze_documents_udf(table, *, config: AnalysisConfig, batch_fn) -> object:
    """Ray task: documents rows (tagged with their batch) -> serialised frames, one row per (batch, frame)."""
    from framing.engine import _default_batch_fn

    fn = batch_fn or _default_batch_fn()
    docs = pl.from_arrow(table)
    rows = []
    for key in docs.get_column(_PART).unique(maintain_order=True).sort().to_list():
        part = docs.filter(pl.col(_PART) == key).drop(_PART)
        for name, frame in fn(part, config).items():
            rows.append((key, name, _to_ipc(frame)))
    return _result_table(rows)


def _analyze_raw_udf(table, *, load_config: LoadConfig, config: AnalysisConfig, batch_fn) -> object:
    """Ray task: pickled raw input batches -> serialised frames of each batch (documents and errors too)."""
    from framing.engine import _stream_task

    rows = []
    for key, blob in zip(table.column(_PART).to_pylist(), table.column("raw").to_pylist()):
        (_, done), frames = _stream_task(pickle.loads(blob), load_config, config, batch_fn)
        rows.append((key, "_bytes_done", done.to_bytes(8, "little")))
        for name, frame in frames.items():
            rows.append((key, name, _to_ipc(frame)))
    return _result_table(rows)


def _gather(ds) -> Iterator[tuple[int, dict[str, list[pl.DataFrame]]]]:
    """Yield (batch number, frame pieces) in batch order from a mapped dataset."""
    current: int | None = None
    pieces: dict[str, list] = {}
    for out in ds.iter_batches(batch_format="pyarrow", batch_size=None):
        keys = out.column(_PART).to_pylist()
        names = out.column("frame").to_pylist()
        datas = out.column("data").to_pylist()
        for key, name, data in zip(keys, names, datas):
            if current is not None and key != current:
                yield current, pieces
                pieces = {}
            current = key
            pieces.setdefault(name, []).append(data)
    if current is not None:
        yield current, pieces


def run_ray(
    documents: pl.DataFrame,
    config: AnalysisConfig,
    *,
    address: str | None = None,
    batch_fn=None,
    progress=None,
) -> dict[str, pl.DataFrame]:
    """Analyse ``documents`` with Ray Data; same frames as :func:`framing.engine.run_local`."""
    from framing.engine import _words, batches, combine

    ray = _import_ray()
    init_ray(address, num_cpus=_local_cpus(config))
    parts = batches(documents, config.batch_size)
    tagged = [p.with_columns(pl.lit(i, pl.Int64).alias(_PART)).to_arrow() for i, p in enumerate(parts)]
    ds = ray.data.from_arrow(tagged).map_batches(
        _analyze_documents_udf,
        batch_format="pyarrow",
        batch_size=config.batch_size,
        fn_kwargs={"config": config, "batch_fn": batch_fn},
        runtime_env=_task_env(),
    )
    results = []
    for key, pieces in _gather(ds):
        results.append({name: pl.concat([_from_ipc(d) for d in datas], how="vertical_relaxed") for name, datas in pieces.items()})
        if progress is not None:
            progress.advance(parts[key].height, _words(parts[key]))
    return combine(results)


def _task_env() -> dict:
    """Ray runtime environment of the analysis tasks (merged with the job's): Polars with one thread.

    Each task asks Ray for one CPU, and Ray runs as many tasks on a node as it has CPUs; by default
    Polars would start one thread per core of the node in every one of them. A
    ``POLARS_MAX_THREADS`` set in the driver's environment is passed on instead.
    """
    return {"env_vars": {"POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "1")}}


def _local_cpus(config: AnalysisConfig) -> int:
    from framing.engine import resolve_jobs

    return resolve_jobs(config.jobs)


def stream_ray(
    raw_batches: Iterable,
    load_config: LoadConfig,
    config: AnalysisConfig,
    *,
    address: str | None = None,
    batch_fn=None,
) -> tuple[int, Iterator[tuple[int, dict[str, pl.DataFrame]]]]:
    """Streaming with Ray Data: (cluster CPUs, iterator of ((batch index, bytes read), frames) in batch order)."""
    from framing.engine import SIGNATURE, STREAM_FRAMES, _frame_spec, _signature

    ray = _import_ray()
    cpus = init_ray(address, num_cpus=_local_cpus(config))
    window = max(4, 2 * cpus)

    def windows() -> Iterator[list]:
        chunk = []
        for raw in raw_batches:
            chunk.append(raw)
            if len(chunk) >= window:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def results():
        index = 0
        for chunk in windows():
            items = [{_PART: index + i, "raw": pickle.dumps(raw, protocol=5)} for i, raw in enumerate(chunk)]
            batch_index = {index + i: raw.index for i, raw in enumerate(chunk)}
            index += len(chunk)
            ds = ray.data.from_items(items).map_batches(
                _analyze_raw_udf,
                batch_format="pyarrow",
                batch_size=1,
                fn_kwargs={"load_config": load_config, "config": config, "batch_fn": batch_fn},
                runtime_env=_task_env(),
            )
            for _key, pieces in _gather(ds):
                done = int.from_bytes(pieces.pop("_bytes_done")[0], "little")
                frames = {}
                for name in (*STREAM_FRAMES, SIGNATURE):
                    datas = pieces.get(name, [])
                    if datas:
                        frames[name] = pl.concat([_from_ipc(d) for d in datas], how="vertical_relaxed")
                    else:
                        frames[name] = _signature(schema.empty(schema.DOCUMENTS)) if name == SIGNATURE else schema.empty(_frame_spec(name))
                yield (batch_index[_key], done), frames

    return cpus, results()
