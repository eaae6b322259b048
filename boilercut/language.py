"""The document's language (ISO 639-1) with py3langid, a light optional dependency.

py3langid (langid.py's maintained fork, BSD, numpy only) was measured against
langdetect on the gold bodies of dev and train (``python -m bench.language``):
more accurate and faster, and deterministic (langdetect samples). It is loaded
on first use; without it, :func:`detect` returns None and the pipeline works
as before (``pip install 'boilercut[language]'``).
"""

from __future__ import annotations

from functools import cache

#: Characters read: enough for a confident answer, bounded time on huge inputs.
MAX_CHARS = 2000


@cache
def _identifier():
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        return None
    return LanguageIdentifier.from_model_file(MODEL_FILE)


def available() -> bool:
    """Whether a detector is installed."""
    return _identifier() is not None


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None (no detector, or no letters)."""
    identifier = _identifier()
    if identifier is None or not any(c.isalpha() for c in text[:MAX_CHARS]):
        return None
    code, _ = identifier.classify(text[:MAX_CHARS])
    return code
