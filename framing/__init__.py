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
    "AnalysisConfig",
    "LoadConfig",
    "FramingError",
    "analyze",
    "analyze_text",
    "load_corpus",
    "target_sentiment",
    "__version__",
]

from framing.analysis import Analysis, analyze, analyze_text  # noqa: E402
from framing.config import AnalysisConfig, LoadConfig  # noqa: E402
from framing.corpus import Corpus, load_corpus  # noqa: E402
from framing.errors import FramingError  # noqa: E402
from framing.measures.sentiment import target_sentiment  # noqa: E402
