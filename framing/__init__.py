"""framing: how news outlets frame a story and how transparently they source it.

Public API::

    corpus = framing.load_corpus("seeds/")      # .documents, .errors
    result = framing.analyze(corpus)             # .documents .sentences .cues .quotes .mentions .actors .metrics
    one = framing.analyze_text(text, outlet="X")
    framing.target_sentiment(text, start, end)   # float in [-1, 1]
    framing.target_sentiment(text, start, end, label=True)  # "negative" | "neutral" | "positive"
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("framing")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Analysis",
    "AnalysisConfig",
    "Corpus",
    "LoadConfig",
    "FramingError",
    "analyze",
    "analyze_text",
    "load_corpus",
    "target_sentiment",
    "__version__",
]

_EXPORTS = {
    "Analysis": "framing.analysis",
    "analyze": "framing.analysis",
    "analyze_text": "framing.analysis",
    "AnalysisConfig": "framing.config",
    "LoadConfig": "framing.config",
    "Corpus": "framing.corpus",
    "load_corpus": "framing.corpus",
    "FramingError": "framing.errors",
    "target_sentiment": "framing.measures.sentiment",
}


def __getattr__(name: str):
    """Import public names on first use (PEP 562): importing framing stays cheap."""
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
