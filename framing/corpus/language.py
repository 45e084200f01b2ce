"""Language identification with py3langid (offline, bundled model).

Returns ISO 639-1 codes; 'und' (undetermined) when the text has too few
letters to identify. The identifier object is built once per process; it is
a read-only model, so results do not depend on call order.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["detect_language", "MIN_LETTERS"]

MIN_LETTERS = 20
SAMPLE_CHARS = 1500  # the identifier reads this much of the text: same language on all AllSides and seed articles as the whole text, 4x faster
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _letters_at_least(text: str, n: int) -> bool:
    for i, _ in enumerate(_LETTER.finditer(text), 1):
        if i >= n:
            return True
    return False


def detect_language(text: str | None) -> tuple[str, float | None]:
    """(ISO 639-1 code, confidence in [0, 1]); ('und', None) for too little text."""
    if not text or _letters_at_least(text, MIN_LETTERS) is False:
        return "und", None
    lang, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return str(lang), round(float(prob), 4)
