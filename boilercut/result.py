"""What filters say (:class:`Decision`) and what the pipeline returns (:class:`Result`).

Filters never edit text. They return decisions about whole lines; the pipeline
applies them and records a :class:`Removal` for each, with the original offsets.
A decision may carry metadata taken from its line (a title, an author, a
credit): the same record then explains where the line went.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

#: Metadata fields, in output order. ``title``, ``site_name``, ``published`` and
#: ``language`` hold one string, the others lists. ``published`` is the raw text of the
#: article's date, one of ``dates`` (the others: comment timestamps, related lists...);
#: :attr:`Result.published` is that date as a ``datetime.date``. ``language`` is the body's
#: language as an ISO 639-1 code (:mod:`boilercut.language`; None without py3langid): the
#: one value that is not a substring of the input.
METADATA_FIELDS = ("title", "site_name", "authors", "emails", "captions", "credits", "dates",
                   "published", "language")
#: The fields that hold one string (the first value found), not a list.
SINGLE_FIELDS = frozenset({"title", "site_name", "published", "language"})
#: The fields whose values are not taken from the input.
DERIVED_FIELDS = frozenset({"language"})


@dataclass(frozen=True, slots=True)
class Decision:
    """Remove line ``line`` (its :attr:`Line.index`) for ``reason``.

    ``metadata`` pairs ``(field, value)`` move text of the line into the result's
    metadata; each value must be a substring of the line. A learned decision
    also carries its ``score`` (the probability that the line is debris) and
    its ``evidence``: the features that weighed most, with their contributions.
    """

    line: int
    reason: str
    metadata: tuple[tuple[str, str], ...] = ()
    score: float | None = None
    evidence: tuple[tuple[str, float], ...] = ()


#: The reason an arbiter gives when it keeps a line a rule proposed to remove.
KEEP = "keep"
#: Reasons of the rules' structural guesses: removals decided by a line's shape,
#: position or run (menus, link lists, breadcrumbs, the page tail, comment sections),
#: not by what the line says. The line model confirms or overrules them, and the
#: title filter may take a headline from them (a headline in a run of short lines
#: looks like a menu item).
STRUCTURAL = frozenset({"nav-menu", "link-list", "related-list", "breadcrumb", "page-tail",
                        "comments"})


def drop(line, reason: str) -> Decision:
    """A decision removing ``line`` (a :class:`Line` or its index)."""
    return Decision(getattr(line, "index", line), reason)


def move(line, reason: str, *pairs: tuple[str, str]) -> Decision:
    """A decision removing ``line`` and keeping ``(field, value)`` pairs from it as metadata."""
    return Decision(getattr(line, "index", line), reason, tuple(pairs))


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed line: who removed it, why, and where it was (``input[start:end] == text``).

    ``score`` and ``evidence`` are the line model's, when it weighed the line
    (see :class:`Decision`).
    """

    filter: str
    reason: str
    text: str
    start: int
    end: int
    line: int
    metadata: tuple[tuple[str, str], ...] = ()
    score: float | None = None
    evidence: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        record = {"filter": self.filter, "reason": self.reason, "text": self.text,
                  "start": self.start, "end": self.end, "line": self.line}
        if self.metadata:
            record["metadata"] = {}
            for name, value in self.metadata:
                record["metadata"].setdefault(name, []).append(value)
        if self.score is not None:
            record["score"] = round(self.score, 4)
        if self.evidence:
            record["evidence"] = {name: round(weight, 3) for name, weight in self.evidence}
        return record

    def describe(self) -> str:
        """``line N  filter  reason  [p=0.93 (feature +1.2, ...)]  text``, tab-separated, on
        one line: a hard-wrapped paragraph reads ``lines N-M`` with its breaks as spaces."""
        last = self.line + self.text.count("\n")
        cells = [f"line {self.line}" if last == self.line else f"lines {self.line}-{last}",
                 self.filter, self.reason]
        if self.score is not None:
            weighed = ", ".join(f"{name} {weight:+.2f}" for name, weight in self.evidence)
            cells.append(f"p={self.score:.2f}" + (f" ({weighed})" if weighed else ""))
        return "\t".join([*cells, self.text.replace("\n", " ")])


@dataclass(frozen=True, slots=True)
class Fault:
    """Something that went wrong with a document but did not stop the run.

    ``kind`` is ``"filter"`` (a filter raised or returned something invalid),
    ``"timeout"`` (the document's time budget ran out while ``filter`` ran) or
    ``"decode"`` (the input's bytes were decoded with replacement characters).
    ``filter`` names the culprit (None for ``"decode"``).
    """

    kind: str
    message: str
    filter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = {"kind": self.kind, "message": self.message}
        if self.filter is not None:
            record["filter"] = self.filter
        return record

    def __str__(self) -> str:
        return self.message


def empty_metadata() -> dict[str, Any]:
    return {name: (None if name in SINGLE_FIELDS else []) for name in METADATA_FIELDS}


@dataclass
class Result:
    """The cleaned body, the metadata found, and every removal with its reason."""

    body: str
    paragraphs: list[str]
    metadata: dict[str, Any] = field(default_factory=empty_metadata)
    removals: list[Removal] = field(default_factory=list)
    #: What went wrong without stopping the run (see :class:`Fault`); empty when all went well.
    #: A document with a ``"filter"`` or ``"timeout"`` fault is returned uncleaned.
    errors: list[Fault] = field(default_factory=list)
    #: Lines a rule proposed to remove and the line model kept (the rule's filter and
    #: reason, the model's score), or that a markdown construct kept (a fence stays
    #: whole, a table keeps its header). They are in the body.
    overruled: list[Removal] = field(default_factory=list)
    #: The article's published date (``metadata["published"]`` read as a date), or None
    #: when no date of the article was found or its text is no full, unambiguous date.
    published: datetime.date | None = None
    #: With a site profile (``clean(text, site=...)``): what it could tell, in a sentence
    #: ("site profile of 40 other pages", or why there was none). None without one.
    site: str | None = None
    #: What the input was read as: ``"text"`` or ``"markdown"`` (the body is then markdown).
    format: str = "text"

    def text(self) -> str:
        """The body as plain text: for markdown, what a reader sees of each line
        (link targets, markup and lines that show nothing gone); else the body."""
        if self.format != "markdown":
            return self.body
        from boilercut.markdown import render

        return render(self.body)

    def explain(self, verbose: bool = False) -> str:
        """One line per removal: ``line N  filter  reason  [p=score (evidence)]  text``;
        ``verbose`` adds a ``kept`` line for each rule proposal the line model overruled."""
        rows = [(r.start, r.describe()) for r in self.removals]
        if verbose:
            rows += [(r.start, "kept\t" + r.describe()) for r in self.overruled]
        return "\n".join(row for _, row in sorted(rows, key=lambda row: row[0]))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of the whole result; ``published`` (ISO 8601),
        ``errors`` and ``overruled`` only when there are some, ``site`` only with a
        site profile, ``format`` only for markdown."""
        record = {"body": self.body, "metadata": self.metadata,
                  "removals": [r.to_dict() for r in self.removals]}
        if self.published is not None:
            record["published"] = self.published.isoformat()
        if self.errors:
            record["errors"] = [e.to_dict() for e in self.errors]
        if self.overruled:
            record["overruled"] = [r.to_dict() for r in self.overruled]
        if self.site is not None:
            record["site"] = self.site
        if self.format != "text":
            record["format"] = self.format
        return record

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)
