"""Speed shortcuts give the answers of the general path they skip.

Each shortcut (a pre-check in C before a Python loop, a one-script answer
without counting) is compared with a plain reference written here.
"""

from __future__ import annotations

from collections import Counter

import regex
from hypothesis import given, strategies as st

from boilercut.document import line_key, split_lines, split_words
from boilercut.phrases import _TOKEN, _entries, matcher
from boilercut.phrases import words as phrase_words
from boilercut.scripts import _GROUPS, dominant_script, script_counts

_LETTER = regex.compile(r"\p{L}")
_GROUP_CHAR = {name: regex.compile(f"[{chars}]") for name, chars in _GROUPS.items()}


def reference_counts(text: str) -> Counter[str]:
    """Letters per script group, one character at a time (digits, symbols and
    letter-like numerals such as "Ⅻ" are no letters)."""
    counts: Counter[str] = Counter()
    for char in text:
        if not _LETTER.match(char):
            continue
        group = next((name for name, p in _GROUP_CHAR.items() if p.match(char)), "other")
        counts[group] += 1
    return counts


mixed_text = st.text(alphabet=st.sampled_from(
    list("abcXYZ éüßñ ,.!1 \n") + list("Привет") + list("日本語カナ") + list("한국") + ["ª", "ǅ", "Ⅻ"]),
    max_size=60)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_counts_match_the_reference(text):
    assert script_counts(text) == reference_counts(text)


@given(mixed_text)
def test_counts_match_the_reference_on_mixed_scripts(text):
    assert script_counts(text) == reference_counts(text)


@given(mixed_text)
def test_dominant_script_matches_the_count(text):
    reference = reference_counts(text)
    expected = {name for name, n in reference.items() if n == max(reference.values())}
    assert dominant_script(text) in (expected or {""})


def test_one_script_text_is_answered_without_counting():
    assert dominant_script("Café, déjà vu — 12 “quotes”") == "latin"
    assert dominant_script("— 12 —") == ""
    assert dominant_script("Привет, мир! Как дела? ok") == "cyrillic"


def _reference_contains(category: str, key: str) -> str | None:
    """The reason of the ``contains`` phrase of ``category`` starting first in ``key``
    (the longest there, then the first listed), trying every phrase at every word;
    else of the first substring phrase in ``key``."""
    tokens = _TOKEN.findall(key)
    found = None
    for order, (reason, phrase) in enumerate(_entries(category, "contains")):
        words = _TOKEN.findall(line_key(phrase))
        if _spaced(phrase):
            for start in range(len(tokens)):
                if tokens[start:start + len(words)] == words:
                    rank = (start, -len(words), order)
                    found = min(found or (rank, reason), (rank, reason))
    if found:
        return found[1]
    for reason, phrase in _entries(category, "contains"):
        if line_key(phrase) and not _spaced(phrase) and line_key(phrase) in key:
            return reason
    return None


def _spaced(phrase: str) -> bool:
    return any(c.lower() != c.upper() for c in phrase) and not regex.search(
        r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", phrase)


def _phrases(category: str, kind: str) -> list[str]:
    return sorted({line_key(p) for _, p in _entries(category, kind)})


@given(st.data())
def test_contains_pre_checks_keep_every_match(data):
    category = data.draw(st.sampled_from(["promotions", "footer", "share"]))
    phrase = data.draw(st.sampled_from(_phrases(category, "contains")))
    before = data.draw(st.sampled_from(["", "read this: ", "x", "we say that "]))
    after = data.draw(st.sampled_from(["", " today.", "s", " and more"]))
    second = data.draw(st.sampled_from(["", *_phrases(category, "contains")]))
    key = line_key(f"{before}{phrase}{after} {second}")
    assert matcher(category).contains.search(key) == _reference_contains(category, key)


def test_contains_finds_nothing_in_plain_prose():
    key = line_key("The council voted on Tuesday to widen the road past the school.")
    assert matcher("promotions").contains.search(key) is None


@given(st.data())
def test_prefix_pre_check_keeps_every_match(data):
    category = data.draw(st.sampled_from(["promotions", "share"]))
    phrase = data.draw(st.sampled_from(_phrases(category, "prefix")))
    key = line_key(phrase + data.draw(st.sampled_from([": the story", " | more", " - now", "x"])))
    m = matcher(category)
    expected = m.prefix.match(key[:m.prefix_chars])
    assert (m._match_anywhere(key) is not None) >= (expected is not None)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80)
       | st.text(alphabet=st.sampled_from(list("ab_1 -.'’é日本\t")), max_size=40))
def test_split_words_matches_the_word_pattern(text):
    assert split_words(text) == regex.findall(r"\w+", text)
    line = " ".join(text.split())
    if line:
        units = regex.findall(r"[\p{Han}\p{Hiragana}\p{Katakana}]{1,2}|\w+", line)
        assert split_lines(line)[0].units == len(units)


@given(mixed_text)
def test_dominant_script_from_line_counts_matches_the_whole_text(text):
    lines = text.split("\n")
    assert dominant_script(text, lambda: [script_counts(line) for line in lines]) == dominant_script(text)


def _reference_credit(text: str):
    """The credit patterns of ``credit_of`` run in order on the tail with no word tests."""
    from boilercut.filters.captions import _TAIL, Credit, _patterns

    patterns = _patterns()
    offset = max(0, len(text) - _TAIL)
    tail = text[offset:]
    found = patterns.parenthesised.search(tail)
    if found and ("/" in found["credit"] or patterns.credit_word.search(found["credit"])):
        labelled = "/" in found["credit"] or patterns.label_word.search(found["credit"]) is not None
        return Credit(found["credit"], offset + found.start(), labelled)
    for pattern, labelled in ((patterns.labelled, True), (patterns.agency_tail, False)):
        found = pattern.search(tail)
        if found:
            return Credit(found["credit"], offset + found.start(), labelled)
    return None


def _caption_words(name: str) -> list[str]:
    return sorted(set(phrase_words("captions", name)))


@given(st.data())
def test_credit_word_tests_keep_every_credit(data):
    from boilercut.filters.captions import credit_of

    credit = data.draw(st.sampled_from(_caption_words("agency")))
    label = data.draw(st.sampled_from(["", *_caption_words("credit-label")]))
    caption = data.draw(st.sampled_from(["The mayor speaks on Monday.", "Crowds at the fair", "東京の街"]))
    shape = data.draw(st.sampled_from(["{c} {l}: {a}", "{c} ({l} {a})", "{c} {a}", "{c} {l} / {a}.",
                                       "{c}\u3000{a}", "{c} ({a})", "{c} — {l}: {a} ", "{c}{a}"]))
    text = shape.format(c=caption, l=label, a=data.draw(st.sampled_from([credit, credit.upper()])))
    credit_of.cache_clear()
    assert credit_of(text) == _reference_credit(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_line_key_matches_the_character_walk(text):
    from boilercut.document import _is_edge_junk

    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    assert line_key(text) == " ".join(text[start:end].split()).casefold()


def reference_parts(text: str) -> list[str]:
    """The parts of a "Headline | Site" line with the separator pattern always applied."""
    from boilercut.headline import SEPARATOR

    pieces, pos = [], 0
    for match in SEPARATOR.finditer(text):
        pieces.append(text[pos:match.start()])
        pos = match.end()
    pieces.append(text[pos:])
    return [p.strip() for p in pieces if line_key(p)]


@given(st.text(alphabet=st.sampled_from(list("ab Z.:\t") + list("|–—-·•｜") + ["한"]), max_size=40))
def test_parts_without_a_separator_character_match_the_pattern(text):
    from boilercut.headline import parts

    assert parts(text) == reference_parts(text)
