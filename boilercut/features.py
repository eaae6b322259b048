"""Line features for the learned line model: what carries across sites and languages.

Every feature is computed from a line's shape, the rules' proposals and its
context, never from its words: English (or any language) enters only through
the phrase tables the rules use, and the rules' proposals are features here.
Four families, one row per line:

- **own shape**: units, characters, characters per unit, sentence end, colon
  end, punctuation, digit and capital shares, list markers, URLs;
- **rules**: which filter proposed to remove the line, and for the frequent
  reasons which reason (the model's vocabulary, fixed at training time);
- **context**: the neighbours' shapes and proposals, prose density around the
  line, the run of short lines it is in, its paragraph, its repetition in the
  document, its position relative to the article core;
- **document**: how long it is, how much of it is prose, and how much of it
  the rules propose to remove (an extraction that is already clean has few
  proposals, and those few are more often wrong).

Left out on purpose: the share of title-case words (German capitalises every
noun, most scripts have no case) and the line's relative position in the
document (it taught the model that the last paragraph of a short clean text
is a footer); measured on train, each cost under 0.005 F1.

The matrix is float32, one column per name in :func:`feature_names`; the model
file stores the names it was trained with, so a model and this module must
agree (the loader checks).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np
import regex

from boilercut.document import SECTION_BREAKS, Document, Line
from boilercut.markdown import is_item

# Own shape of one line: computed once per line and kept on the line (see Line.shape).
SHAPE = ("units_log", "chars_log", "chars_per_unit", "ends_sentence", "prose", "label",
         "colon_end", "punct_share", "digit_share", "upper_share", "list_marker",
         "no_letters", "url", "separators", "starts_digit")
CONTEXT = ("prev_units", "next_units", "prev_prose", "next_prose", "prev2_prose", "next2_prose",
           "prev_label", "next_label", "prev_proposed", "next_proposed", "prev2_proposed",
           "next2_proposed", "prose_near", "prose_around", "proposed_near", "proposed_around",
           "short_run_log", "proposed_run_log", "joined_prev", "joined_next", "paragraph_lines_log",
           "paragraph_units_log", "repeats_log", "in_core", "before_core", "after_core",
           "core_distance_log", "proposed", "section_break")
DOCUMENT = ("doc_lines_log", "doc_prose_share", "doc_units_log", "core_share", "doc_proposed_share",
            "doc_proposed_units_share")

_LIST_MARKER = regex.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪●◦‣*+\-–—]|\(?[a-z]\))\s")
_URL = regex.compile(r"https?://|www\.|\w@\w|\.(?:com|org|net)\b")
_URL_HINTS = ("http", "www.", "@", ".com", ".org", ".net")
_SEPARATORS = "|·•»›/"
# Character classes, counted per line with numpy over the document's code points.
SPACE, LETTER, UPPER, DIGIT, PUNCT = range(5)


@cache
def _classes() -> np.ndarray:
    """The class of every code point of the Basic Multilingual Plane (the rest count as
    symbols), built with five regex substitutions over the whole plane."""
    plane = "".join(map(chr, range(0x10000)))
    plane = regex.sub(r"[\x01-\x04]", "\x00", plane)
    for pattern, mark in ((r"[\p{Lu}\p{Lt}]", UPPER), (r"\p{L}", LETTER), (r"\p{Nd}", DIGIT),
                          (r"[\p{P}\p{S}]", PUNCT)):
        plane = regex.sub(pattern, chr(mark), plane)
    plane = regex.sub(r"[^\x01-\x04]", "\x00", plane)
    return np.frombuffer(plane.encode("latin-1"), dtype=np.uint8)


def feature_names(filters: Sequence[str], reasons: Sequence[str]) -> list[str]:
    """Column names: shape, context, document, then one per proposing filter and reason."""
    return [*SHAPE, *CONTEXT, *DOCUMENT, *(f"filter:{f}" for f in filters),
            *(f"reason:{r}" for r in reasons)]


def shapes(lines: Sequence[Line]) -> np.ndarray:
    """The :data:`SHAPE` features of ``lines``, one row each. A line keeps its row
    (``Line.shape``), so later passes over the same lines reuse it."""
    todo = [line for line in lines if line.shape is None]
    if todo:
        for line, row in zip(todo, _compute_shapes(todo)):
            line.shape = row
    return np.array([line.shape for line in lines], dtype=np.float64).reshape(len(lines), len(SHAPE))


def _compute_shapes(lines: Sequence[Line]) -> list[tuple[float, ...]]:
    joined = "\n".join(line.visible for line in lines)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = np.where(points < 0x10000, _classes()[np.minimum(points, 0xFFFF)], PUNCT)
    lengths = np.array([len(line.visible) for line in lines])
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    counts = np.zeros((len(lines), 5))
    for cls in (LETTER, UPPER, DIGIT, PUNCT):
        hits = np.concatenate([[0], np.cumsum(classes == cls)])
        counts[:, cls] = hits[starts + lengths] - hits[starts]
    spaces = np.array([line.visible.count(" ") for line in lines])
    chars = np.maximum(lengths - spaces, 1)
    letters = counts[:, LETTER] + counts[:, UPPER]
    units = np.array([line.units for line in lines], dtype=np.float64)
    numeric = np.column_stack([
        np.log1p(units), np.log1p(chars), np.minimum(chars / np.maximum(units, 1), 30.0) / 10.0,
        counts[:, PUNCT] / chars, counts[:, DIGIT] / chars, counts[:, UPPER] / np.maximum(letters, 1),
    ]).tolist()
    out = []
    for line, (units_log, chars_log, per_unit, punct, digit, upper) in zip(lines, numeric):
        text = line.visible.strip()
        out.append((
            units_log, chars_log, per_unit, float(line.ends_sentence), float(line.is_prose),
            float(line.is_label), float(text.endswith((":", "："))), punct, digit, upper,
            float(_LIST_MARKER.match(text) is not None if line.markup is None else is_item(line)),
            float(not line.has_letters),
            float(any(h in text for h in _URL_HINTS) and _URL.search(text) is not None),
            float(sum(text.count(c) for c in _SEPARATORS) >= 2), float(text[:1].isdigit()),
        ))
    return out


def _shift(values: np.ndarray, by: int, fill: float = 0.0) -> np.ndarray:
    """``values`` moved ``by`` places (positive: the previous line's value at each line)."""
    out = np.full_like(values, fill)
    if by > 0:
        out[by:] = values[:-by]
    elif by < 0:
        out[:by] = values[-by:]
    return out


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean of ``values`` over the ``radius`` lines on each side, the line itself left out."""
    padded = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    n = len(values)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - radius, 0), np.minimum(idx + radius + 1, n)
    count = hi - lo - 1
    total = padded[hi] - padded[lo] - values
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each line, the length of the run of consecutive set ``flags`` it is in (0 if unset)."""
    out = np.zeros(len(flags))
    start = None
    for i, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out[start:i] = i - start
            start = None
    return out


def matrix(doc: Document, proposals: Mapping[int, tuple[str, str]],
           filters: Sequence[str], reasons: Sequence[str]) -> np.ndarray:
    """The feature matrix of ``doc.lines`` (rows in line order, columns as
    :func:`feature_names`). ``proposals`` maps a line's position to the
    ``(filter, reason)`` of the rule that proposed to remove it."""
    lines = doc.lines
    n = len(lines)
    shape = shapes(lines)
    units, prose, label = shape[:, 0], shape[:, 4], shape[:, 5]
    proposed = np.zeros(n)
    if proposals:
        proposed[list(proposals)] = 1.0
    section = np.zeros(n)
    for pos, (_, reason) in proposals.items():
        if reason in SECTION_BREAKS:
            section[pos] = 1.0

    first, last = _core(doc, proposals)
    idx = np.arange(n)
    in_core = ((idx >= first) & (idx <= last)).astype(np.float64)
    distance = np.where(idx < first, first - idx, np.where(idx > last, idx - last, 0))

    paragraphs = np.array([line.paragraph for line in lines])
    joined_prev = (paragraphs == _shift(paragraphs, 1, -1)).astype(np.float64)
    joined_next = (paragraphs == _shift(paragraphs, -1, -1)).astype(np.float64)
    para_ids, para_index, para_counts = np.unique(paragraphs, return_inverse=True,
                                                  return_counts=True)
    para_units = np.bincount(para_index, weights=np.expm1(units), minlength=len(para_ids))
    key_counts = Counter(line.key for line in lines)
    repeats = np.array([key_counts[line.key] - 1 for line in lines], dtype=np.float64)
    short_run = _run_lengths(prose == 0)
    proposed_run = _run_lengths(proposed == 1)

    context = np.column_stack([
        _shift(units, 1), _shift(units, -1), _shift(prose, 1), _shift(prose, -1),
        _shift(prose, 2), _shift(prose, -2), _shift(label, 1), _shift(label, -1),
        _shift(proposed, 1), _shift(proposed, -1), _shift(proposed, 2), _shift(proposed, -2),
        _window_mean(prose, 3), _window_mean(prose, 10), _window_mean(proposed, 3),
        _window_mean(proposed, 10), np.log1p(short_run), np.log1p(proposed_run), joined_prev,
        joined_next, np.log1p(para_counts[para_index]), np.log1p(para_units[para_index]),
        np.log1p(repeats), in_core, (idx < first).astype(np.float64),
        (idx > last).astype(np.float64), np.log1p(distance), proposed, section,
    ])
    total_units = float(np.expm1(units).sum())
    proposed_units = float((np.expm1(units) * proposed).sum())
    document = np.tile([math.log1p(n), float(prose.mean()) if n else 0.0, math.log1p(total_units),
                        (last - first + 1) / max(n, 1), float(proposed.mean()) if n else 0.0,
                        proposed_units / total_units if total_units else 0.0], (n, 1))

    onehot = np.zeros((n, len(filters) + len(reasons)))
    filter_col = {f: i for i, f in enumerate(filters)}
    reason_col = {r: len(filters) + i for i, r in enumerate(reasons)}
    for pos, (name, reason) in proposals.items():
        if name in filter_col:
            onehot[pos, filter_col[name]] = 1.0
        if reason in reason_col:
            onehot[pos, reason_col[reason]] = 1.0
    return np.hstack([shape, context, document, onehot]).astype(np.float32)


def _core(doc: Document, proposals: Mapping[int, tuple[str, str]]) -> tuple[int, int]:
    """The article core as the last rule saw it (proposed lines gone, their section
    breaks kept), as positions in ``doc.lines``."""
    kept = [line for pos, line in enumerate(doc.lines) if pos not in proposals]
    if not kept:
        return 0, len(doc.lines) - 1
    breaks = {doc.lines[pos].index: reason for pos, (_, reason) in proposals.items()
              if reason in SECTION_BREAKS}
    first, last = Document(doc.text, kept, doc.hints, breaks).core
    position = {line.index: pos for pos, line in enumerate(doc.lines)}
    return position[kept[first].index], position[kept[last].index]
