"""The headline at the top of the article, and its repeats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import regex

from boilercut.document import SECTION_BREAKS, Document, Line, line_key
from boilercut.filters.captions import credit_of
from boilercut.result import STRUCTURAL, Decision, Removal, drop, move

# "Headline | Site name", "Headline - Site": a repeat of the title with the site appended.
_SITE_SEPARATORS = frozenset("|–—-｜")
_SITE_SUFFIX = regex.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$|\s*[|｜]\s*[^|｜]{1,60}$")


def is_title_shaped(line: Line, *, min_units: int, max_units: int) -> bool:
    """A headline: a few words, no sentence end, no credit (that would be a caption)."""
    stripped = line.visible.rstrip()
    return (min_units <= line.units <= max_units and not stripped.endswith((".", "。", ":", ","))
            and credit_of(line.visible) is None)


@dataclass(frozen=True)
class Title:
    """The headline, to ``title``; its repeats go too, and the site's name to ``site_name``.

    When the caller knows the page title (``hints["title"]``, as ``clean_html``
    does), the line equal to it is the title. Otherwise the headline scorer of
    :mod:`boilercut.headline`, fitted on train, weighs every title-shaped line
    above the article and every part of a "Headline | Site" line, including
    those a navigation rule took for a menu (see :meth:`arbitrate`); its best
    candidate is the title when its probability reaches ``threshold`` and the
    text holds evidence for it beyond shape and position (a repeat, the page
    title, a byline or a date beside it, heading markup). Failing that, a
    title-shaped line standing alone above the article (once navigation and
    bylines have left) is the headline; where several stand there, nothing is
    taken: a wrong guess would lose a line of the article. Once the line model
    has removed lines of the pass, a last look (:meth:`last_look`) takes the
    scorer's best candidate among those it removed above the article, if no
    headline-shaped line is left there: page-variant title token F1 on train,
    cross-validated, 0.709 -> 0.728 (``python -m bench.metadata``).

    In markdown, a level-1 heading (``# Headline``) above the article is the
    title, whatever other title-shaped lines stand there, unless two differ.

    The copies of the title leave too ("title-repeat"), and so does a line that
    holds it as one of its parts ("Headline | Site"); that line's last part is
    the ``site_name``. A title found only as "Headline | Site" loses a short last
    part (at most :data:`SITE_UNITS` units) to ``site_name``: on train, by grouped
    cross-validation, title exact match from the page variant 0.357 -> 0.375.
    Letting the scorer see the lines navigation took for a menu (the scorer is
    fitted on whole pages, where the page title often stands first, in the menu's
    run): 0.375 -> 0.607 (``python -m bench.metadata``).

    The first pass's title stays the title; a later pass may still take a
    headline-shaped line out of the body (a copy the first pass did not see as
    one, a headline left above the article): measured on dev, that keeps
    page-variant precision (F1 0.8658 -> 0.8724).
    """

    name: ClassVar[str] = "title"
    min_units: int = 3
    max_units: int = 40
    #: The headline scorer's probability a candidate needs.
    threshold: float = 0.3
    #: Another weights file for the scorer (``python -m bench.title`` writes the shipped one).
    weights: str | None = None

    def __call__(self, doc: Document) -> list[Decision]:
        """The title and its repeats among ``doc``'s lines (as a filter of its own)."""
        return self._decide(doc, doc, doc.lines)

    def arbitrate(self, doc: Document, proposals: Mapping[int, Removal]) -> list[Decision]:
        """In the pipeline: the pass's removals, given every line of it and the rules' proposals.

        The headline scorer weighs every line of the pass, as it was fitted to,
        and may take the headline from a line a rule proposed to remove for its
        shape or run alone (:data:`~boilercut.result.STRUCTURAL`: a headline in a
        run of short lines looks like a menu); lines removed for what they say (a
        listed phrase, a byline, a date) stay out of its reach. The fallback, a
        title-shaped line alone above the article, looks at the lines no rule
        proposed to remove. Every proposal the title does not take stands.
        """
        free = [line for line in doc.lines if _may_hold_title(line, proposals.get(line.index))]
        kept = Document(doc.text, [line for line in doc.lines if line.index not in proposals],
                        doc.hints, {i: r.reason for i, r in proposals.items() if r.reason in SECTION_BREAKS},
                        doc.found)
        decisions = self._decide(doc, kept, free)
        taken = {d.line for d in decisions}
        return [*decisions, *(d for d in _unchanged(proposals) if d.line not in taken)]

    def last_look(self, doc: Document, removals: Mapping[int, Removal]) -> list[Decision]:
        """In the pipeline, once the line model has spoken: the pass's removals again.

        When the pass found no title and none was found before, and no
        title-shaped line stays above the article, the headline scorer's best
        candidate among the lines removed for their shape alone (a structural
        guess or the model's own call) is the title, if its probability reaches
        ``threshold``: the removals left it the only headline above the article,
        the evidence the fallback of :meth:`arbitrate` asks of a line that stayed.
        """
        if doc.found.get("title") or any(name == "title" for r in removals.values()
                                         for name, _ in r.metadata):
            return _unchanged(removals)
        kept = Document(doc.text, [line for line in doc.lines if line.index not in removals],
                        doc.hints, {}, doc.found)
        if not kept.lines:
            return _unchanged(removals)
        first, _ = kept.core
        above = kept.lines[first].index
        if any(is_title_shaped(line, min_units=self.min_units, max_units=self.max_units)
               for line in kept.lines[:first]):
            return _unchanged(removals)
        shaped = {line.index for line in doc.lines[:above]
                  if (r := removals.get(line.index)) is not None and r.reason in (*STRUCTURAL, "model")}
        title, value = self._scored(doc, shaped, need_evidence=False)
        if title is None:
            return _unchanged(removals)
        decisions = _title_and_repeats([doc.lines[i] for i in sorted(shaped)], title, value)
        taken = {d.line for d in decisions}
        return [*decisions, *(d for d in _unchanged(removals) if d.line not in taken)]

    def _decide(self, doc: Document, kept: Document, free: Sequence[Line]) -> list[Decision]:
        """The title among ``free`` lines of ``doc``; ``kept`` holds the lines no rule took."""
        if not kept.lines:
            return []
        first, _ = kept.core
        top = [line for line in free if line.index < kept.lines[first].index]
        hint = line_key(_SITE_SUFFIX.sub("", doc.hints.get("title") or ""))
        title = next((line for line in top if hint and _bare_key(line) == hint), None)
        headings = [line for line in top if _is_main_heading(line) and is_title_shaped(
            line, min_units=self.min_units, max_units=self.max_units)]
        if title is None and headings and all(_bare_key(h) == _bare_key(headings[0])
                                              for h in headings):
            title = headings[0]
        value = title.visible.strip() if title else None
        if title is None:
            title, value = self._scored(doc, {line.index for line in free})
        if title is None:
            candidates = [line for line in kept.lines[:first] if is_title_shaped(
                line, min_units=self.min_units, max_units=self.max_units)]
            if not candidates or any(_bare_key(c) != _bare_key(candidates[0]) for c in candidates):
                return []
            title, value = candidates[0], candidates[0].visible.strip()
        return _title_and_repeats(free, title, _without_site(value))

    def _scored(self, doc: Document, free: set[int], *,
                need_evidence: bool = True) -> tuple[Line | None, str | None]:
        """The headline scorer's best candidate among ``free`` lines and its value, when its
        probability reaches ``threshold`` (and, with ``need_evidence``, the text backs it)."""
        from boilercut import headline

        weights = _load(self.weights) if self.weights else None
        scored = [(headline.score(c, weights), c) for c in headline.candidates(doc)
                  if c.line.index in free]
        probability, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best is None or probability < self.threshold or (need_evidence and not best.evidence):
            return None, None
        return best.line, best.value


def _unchanged(removals: Mapping[int, Removal]) -> list[Decision]:
    return [Decision(i, r.reason, r.metadata, r.score, r.evidence) for i, r in removals.items()]


def _may_hold_title(line: Line, proposal: Removal | None) -> bool:
    """Whether the title filter may take ``line``: no rule proposed to remove it, or
    one did for its shape alone. A breadcrumb trail ("Home > News") is not a
    headline, but a "Headline | Site" line the breadcrumb rule took may hold one."""
    if proposal is None:
        return True
    if proposal.reason == "breadcrumb":
        from boilercut.headline import parts

        return len(parts(line.text)) > 1
    return proposal.reason in STRUCTURAL


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[float, ...]:
    from boilercut.headline import read_weights

    return read_weights(Path(path).read_text(encoding="utf-8"))


def _title_and_repeats(lines: Sequence[Line], title: Line, value: str) -> list[Decision]:
    """The title's line to ``title``; its copies among ``lines``, and lines holding it as a
    part, as repeats.

    Of the copies, a line that is the title alone is the title's line; the last
    part of a "Headline | Site" copy is the ``site_name``.
    """
    from boilercut.headline import SEPARATOR_CHARS, parts

    def holds_part(line: Line) -> bool:
        if line.visible is line.text and SEPARATOR_CHARS.isdisjoint(line.text):
            return False  # one part, the line itself: its key was compared already
        return key in {line_key(p) for p in parts(line.text)}

    key = line_key(value)
    copies = [line for line in lines if line is title or _bare_key(line) == key or line.key == key
              or holds_part(line)]
    headline = next((line for line in copies if line.key == key), title)
    site = next((pieces[-1] for pieces in (parts(line.text) for line in copies)
                 if len(pieces) > 1 and line_key(pieces[-1]) != key), None)
    out = []
    for line in copies:
        pairs = [("site_name", site)] if site is not None and site in line.text else []
        site = None if pairs else site
        if line is headline:
            out.append(move(line, "title", ("title", value if value in line.text else line.visible.strip()),
                             *pairs))
        elif pairs:
            out.append(move(line, "title-repeat", *pairs))
        else:
            out.append(drop(line, "title-repeat"))
    return out


def _without_site(value: str) -> str:
    """A "Headline | Site" title without its site: the part after the last separator
    goes when it is short (a name of at most :data:`SITE_UNITS` units) and the rest is
    at least as long. "Git Branching - Branches in a Nutshell" stays whole."""
    from boilercut.headline import SEPARATOR, SEPARATOR_CHARS

    if SEPARATOR_CHARS.isdisjoint(value):
        return value
    last = None
    for last in SEPARATOR.finditer(value):
        pass
    if last is None:
        return value
    head, site = value[:last.start()].strip(), value[last.end():].strip()
    site_units, head_units = len(line_key(site).split()), len(line_key(head).split())
    return head if 0 < site_units <= SITE_UNITS and head_units >= max(2, site_units) else value


#: Most units of a site name cut from the end of a title ("The Motley Fool").
SITE_UNITS = 3


def _is_main_heading(line: Line) -> bool:
    """A markdown level-1 heading."""
    return line.markup is not None and line.markup.kind == "heading" and line.markup.level == 1


def _bare_key(line: Line) -> str:
    """The line's key without a trailing site name ("Headline | Site" -> "headline")."""
    if _SITE_SEPARATORS.isdisjoint(line.visible):
        return line.key  # no separator, no site name: the pattern cannot match
    return line_key(_SITE_SUFFIX.sub("", line.visible))

