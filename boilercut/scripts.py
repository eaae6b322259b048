"""Writing-script detection with the ``regex`` module's Unicode script properties.

Scripts are grouped the way articles mix them: Han, Hiragana and Katakana form one
``cjk`` group (Japanese mixes all three; a lone Han word in a Japanese article is
body), Hangul stays its own group. Only letters count; digits and punctuation
belong to no script.
"""

from __future__ import annotations

from collections import Counter

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
_RUNS = regex.compile("|".join(f"([{chars}]+)" for chars in _GROUPS.values()))
_OTHER_LETTER = regex.compile(r"\p{L}+")


def script_counts(text: str) -> Counter[str]:
    """Letters of ``text`` per script group; letters of any other script count as ``other``."""
    counts: Counter[str] = Counter()
    for match in _RUNS.finditer(text):
        counts[_NAMES[match.lastindex - 1]] += len(match.group())
    letters = sum(len(run) for run in _OTHER_LETTER.findall(text))
    known = sum(counts.values())
    if letters > known:
        counts["other"] += letters - known
    return counts

