"""Writing-script detection with the ``regex`` module's Unicode script properties.

Scripts are grouped the way articles mix them: Han, Hiragana and Katakana form one
``cjk`` group (Japanese mixes all three; a lone Han word in a Japanese article is
body), Hangul stays its own group. Only letters count; digits and punctuation
belong to no script.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import regex

_GROUPS = {
    "latin": r"\p{Latin}",
    "cyrillic": r"\p{Cyrillic}",
    "greek": r"\p{Greek}",
    "arabic": r"\p{Arabic}",
    "hebrew": r"\p{Hebrew}",
    "cjk": r"\p{Han}\p{Hiragana}\p{Katakana}",
    "hangul": r"\p{Hangul}",
    "thai": r"\p{Thai}",
    "devanagari": r"\p{Devanagari}",
}
_NAMES = list(_GROUPS)
_RUNS = regex.compile("|".join(f"([[{chars}]&&\\p{{L}}]+)" for chars in _GROUPS.values()), regex.V1)
_OTHER_LETTER = regex.compile(r"\p{L}+")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_NON_LATIN_LETTER = regex.compile(r"[^\P{L}\p{Latin}]", regex.V1)
_LETTER = regex.compile(r"\p{L}")


def dominant_script(text: str, parts: Callable[[], Iterable[Counter[str]]] | None = None) -> str:
    """The script group most letters of ``text`` belong to; "" when it has none.

    Most text is in one script, most often Latin: one search in C settles it
    without counting. Otherwise the letters are counted, or, when ``parts``
    gives the counts of the pieces ``text`` is made of (lines, whose counts
    are kept from one pass to the next), added up.
    """
    if _NON_LATIN_LETTER.search(text) is None:
        return "latin" if _LETTER.search(text) else ""
    counts: Counter[str] = Counter()
    if parts is None:
        counts = script_counts(text)
    else:
        for part in parts():
            counts.update(part)
    return counts.most_common(1)[0][0] if counts else ""


def script_counts(text: str) -> Counter[str]:
    """Letters of ``text`` per script group; letters of any other script count as ``other``."""
    if text.isascii():  # one pass in C
        latin = len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return Counter(latin=latin) if latin else Counter()
    counts: Counter[str] = Counter()
    for match in _RUNS.finditer(text):
        counts[_NAMES[match.lastindex - 1]] += len(match.group())
    letters = sum(len(run) for run in _OTHER_LETTER.findall(text))
    known = sum(counts.values())
    if letters > known:
        counts["other"] += letters - known
    return counts

