"""The pipeline: named filters run in order, their decisions applied and recorded.

A filter is any callable ``filter(doc: Document) -> Iterable[Decision]``. Each
filter sees only the lines earlier filters kept. The pipeline checks what every
filter returns and names the culprit when something is wrong, so a buggy
custom filter cannot corrupt a result silently.

Faults. A filter that raises (``SystemExit`` too; ``KeyboardInterrupt`` stops
the program, as Ctrl-C does), returns something that is not an iterable of
:class:`~boilercut.Decision` objects, names a line that does not exist or is
already removed, or runs past the document's time budget is a fault.
:meth:`Pipeline.run` then either raises :class:`FilterError` (``on_error="raise"``,
the default: a library call that fails says so) or returns the document
uncleaned (``on_error="keep"``): every non-blank input line in the body, in its
paragraphs, no removals, no metadata, and a :class:`~boilercut.result.Fault` in
``result.errors`` naming the filter. Nothing is lost either way; the command line
keeps by default and raises with ``--strict``.

Time budget (``timeout=SECONDS``, for the whole document, all passes). In the
main thread of a process on a system with ``signal.setitimer`` (Linux, macOS),
a ``SIGALRM`` timer interrupts a filter that hangs in Python code or in a
blocking call such as ``time.sleep``; the filter is reported by name
(:class:`FilterTimeout`). The previous ``SIGALRM`` handler is put back
afterwards; when another real-time timer is already running, it is left alone
and the fallback below is used. Elsewhere (other threads, Windows), the budget
is checked after each filter returns: a filter that overran is reported, but a
filter that never returns cannot be interrupted there; run such filters in
worker processes (e.g. :func:`boilercut.batch.map_ordered`) and give the pool
its own timeout. A filter stuck in C code that holds the GIL (a pathological
regular expression) is not interrupted before that code returns either.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from boilercut.document import SECTION_BREAKS, Document, Line, count_lines, split_lines
from boilercut.result import (KEEP, METADATA_FIELDS, SINGLE_FIELDS, Decision, Fault, Removal, Result,
                              empty_metadata)

if TYPE_CHECKING:
    from boilercut.sites import SiteFilter, SiteProfile

Filter = Callable[[Document], Iterable[Decision]]
ENTRY_POINT_GROUP = "boilercut.filters"
# Filters judge lines by their context, and removing debris changes the context:
# the pipeline runs again over what it kept, as if that were a new input, until a
# pass removes nothing, so that cleaning its own output changes nothing
# (idempotence). Real documents settle in two passes; the line model can take a
# run of look-alike lines one per pass, so the bound is 8; it keeps hostile
# input linear.
MAX_PASSES = 8
#: The longest time budget a document may have, in seconds (a day): a timer cannot
#: be set to ``inf`` or ``1e300``.
MAX_TIMEOUT = 86_400.0
#: What :meth:`Pipeline.run` does when a filter fails: raise, or keep the document uncleaned.
ON_ERROR = ("raise", "keep")
#: What :meth:`Pipeline.run` reads its input as (``"auto"``: detected per document).
FORMATS = ("auto", "text", "markdown")


class FilterError(RuntimeError):
    """A filter raised or returned something invalid; ``filter`` names it."""

    def __init__(self, filter_name: str, message: str):
        super().__init__(f"filter {filter_name!r}: {message}")
        self.filter = filter_name
        self.reason = message

    @property
    def kind(self) -> str:
        return "filter"

    def fault(self) -> Fault:
        """This error as a :class:`~boilercut.result.Fault` for ``Result.errors``."""
        return Fault(self.kind, str(self), self.filter)


class FilterTimeout(FilterError):
    """The document's time budget ran out while ``filter`` was running (or had just run)."""

    @property
    def kind(self) -> str:
        return "timeout"


class _Expired(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that ``except Exception`` in a
    filter cannot swallow it."""


class TooManyLines(ValueError):
    """A document with more lines than the ``max_lines`` it was allowed: refused before
    it is split, as every line costs up to about 3 KB of memory while it is
    cleaned (a document of 4 million one-character lines would take 2 GB)."""

    def __init__(self, lines: int, max_lines: int):
        super().__init__(f"{lines:,} lines, more than the {max_lines:,} one document may have")
        self.lines, self.max_lines = lines, max_lines


def check_lines(text: str, max_lines: int | None) -> None:
    """Raise :class:`TooManyLines` when ``text`` has more than ``max_lines`` lines (line
    ends as :func:`~boilercut.document.split_lines` counts them, blank lines too)."""
    if max_lines is None:
        return
    lines = count_lines(text)
    if lines > max_lines:
        raise TooManyLines(lines, max_lines)


def check_timeout(timeout: float | None) -> None:
    """Raise ValueError unless ``timeout`` is None or a number of seconds in (0, MAX_TIMEOUT]."""
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:
        raise ValueError(f"timeout must be a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g} (a day), not {timeout!r}")


class _Budget:
    """A per-document time budget: a SIGALRM timer where possible, else checks between filters."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.current: str | None = None  # the filter running (or last run)
        self._previous: Any = None
        self._armed = False

    def __enter__(self) -> _Budget:
        if self.seconds is not None and _can_alarm():
            self._previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._armed = True
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        """Disarm the timer and put the previous handler back (idempotent)."""
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._armed = False
            signal.signal(signal.SIGALRM, self._previous)

    def _expire(self, signum, frame) -> None:
        if self._armed:
            raise _Expired()

    def check(self, name: str) -> None:
        """After a filter returned: the budget must not have run out."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise self.timeout(name)

    def timeout(self, name: str | None) -> FilterTimeout:
        return FilterTimeout(name or "<pipeline>",
                             f"document exceeded the time budget of {self.seconds:g} s")


def _can_alarm() -> bool:
    """SIGALRM timers work in the main thread on POSIX, when no other timer is running."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


class ProfileError(ValueError):
    """A profile or pipeline specification is invalid (unknown filter, bad option, unreadable file)."""


def filter_name(fn: Filter) -> str:
    """A filter's name: its ``name`` attribute, else its function or class name."""
    name = getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__
    return str(name)


def resolve_filter(name: str, options: Mapping[str, Any] | None = None) -> Filter:
    """Build the filter called ``name``: a built-in, else one from the entry-point group."""
    from boilercut.filters import BUILTIN_FILTERS

    factory = BUILTIN_FILTERS.get(name)
    if factory is None:
        factory = _plugin_filters().get(name)
    if factory is None:
        known = sorted(set(BUILTIN_FILTERS) | set(_plugin_filters()))
        raise ProfileError(f"unknown filter {name!r}; available: {', '.join(known)}")
    return _configure(name, factory, options or {})


def available_filters() -> dict[str, str]:
    """Every filter name that can be used, with the first line of its docstring."""
    from boilercut.filters import BUILTIN_FILTERS

    found = {**BUILTIN_FILTERS, **{k: v for k, v in _plugin_filters().items()
                                   if k not in BUILTIN_FILTERS}}
    return {name: _summary(factory) for name, factory in found.items()}


def _summary(factory: Any) -> str:
    """The first paragraph of a filter's docstring, on one line."""
    paragraph = (factory.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(paragraph.split())


def _names(config: Mapping[str, Any], key: str, default: Iterable[str]) -> list[str]:
    value = config.get(key, default)
    if not isinstance(value, (list, tuple)) or not all(isinstance(n, str) for n in value):
        raise ProfileError(f"{key} must be a list of filter names")
    return list(value)


def _plugin_filters() -> dict[str, Any]:
    from importlib.metadata import entry_points

    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # a broken plugin must not break the built-ins
            found[ep.name] = _BrokenPlugin(ep.name, exc)
    return found


class _BrokenPlugin:
    def __init__(self, name: str, exc: Exception):
        self.name, self.exc = name, exc

    def __call__(self, *args, **kwargs):
        raise ProfileError(f"filter plugin {self.name!r} failed to load: {self.exc}")


def _configure(name: str, factory: Any, options: Mapping[str, Any]) -> Filter:
    if isinstance(factory, _BrokenPlugin):
        factory()
    if options:
        from boilercut.profiles import check_options

        check_options(name, factory, options)
    try:
        if isinstance(factory, type):
            return factory(**options)
        if options and dataclasses.is_dataclass(factory):
            return dataclasses.replace(factory, **options)
    except TypeError as exc:
        raise ProfileError(f"bad options for filter {name!r}: {exc}") from None
    if options:
        raise ProfileError(f"filter {name!r} takes no options")
    return factory


class Pipeline:
    """An ordered set of named filters; immutable, every edit returns a new pipeline.

    >>> Pipeline.default().without("dates").names[:3]
    ['byline', 'share', 'footer']
    """

    def __init__(self, filters: Iterable[Filter | tuple[str, Filter]] = ()):
        steps = []
        for item in filters:
            name, fn = item if isinstance(item, tuple) else (filter_name(item), item)
            if not callable(fn):
                raise TypeError(f"filter {name!r} is not callable")
            steps.append((name, fn))
        names = [name for name, _ in steps]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ProfileError(f"duplicate filter names: {', '.join(duplicates)}")
        self._steps: tuple[tuple[str, Filter], ...] = tuple(steps)

    @classmethod
    def default(cls) -> Pipeline:
        """The built-in filters in their default order."""
        from boilercut.filters import DEFAULT_ORDER

        return cls((name, resolve_filter(name)) for name in DEFAULT_ORDER)

    @classmethod
    def from_names(cls, names: Iterable[str],
                   options: Mapping[str, Mapping[str, Any]] | None = None) -> Pipeline:
        """A pipeline of the named filters (built-in or plugin), with per-filter options."""
        options = options or {}
        names = list(names)
        stray = sorted(set(options) - set(names))
        if stray:
            raise ProfileError(f"options given for filters not in the pipeline: {', '.join(stray)}")
        return cls((name, resolve_filter(name, options.get(name))) for name in names)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Pipeline:
        """Build from a profile mapping: ``filters`` (order), ``disable``, ``[options.NAME]``."""
        from boilercut.filters import DEFAULT_ORDER

        if not isinstance(config, Mapping):
            raise ProfileError("a profile is a table of settings")
        unknown = sorted(set(config) - {"filters", "disable", "options"})
        if unknown:
            raise ProfileError(f"unknown profile keys: {', '.join(unknown)}")
        names = _names(config, "filters", DEFAULT_ORDER)
        disable = set(_names(config, "disable", ()))
        options = config.get("options", {})
        if not isinstance(options, Mapping) or not all(isinstance(v, Mapping) for v in options.values()):
            raise ProfileError("options must be tables: [options.FILTER]")
        missing = sorted(disable - set(names))
        if missing:
            known = available_filters()
            unknown = [n for n in missing if n not in known]
            if unknown:
                raise ProfileError(f"cannot disable {', '.join(map(repr, unknown))}: no such "
                                   f"filter; available: {', '.join(sorted(known))}")
            raise ProfileError(f"cannot disable filters not in the pipeline: {', '.join(missing)}")
        names = [n for n in names if n not in disable]
        options = {k: v for k, v in options.items() if k not in disable}
        return cls.from_names(names, options)

    @classmethod
    def from_profile(cls, path: str | PathLike[str]) -> Pipeline:
        """Load a TOML profile; of a ``pyproject.toml`` only the ``[tool.boilercut]`` table
        is read (none: the default pipeline)."""
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise ProfileError(f"{path}: cannot read profile: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ProfileError(f"{path}: invalid TOML: {exc}") from None
        if "tool" in data or os.path.basename(path) == "pyproject.toml":
            tool = data.get("tool", {})
            data = tool.get("boilercut", {}) if isinstance(tool, Mapping) else None
        try:
            return cls.from_config(data)
        except ProfileError as exc:
            raise ProfileError(f"{path}: {exc}") from None

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    @property
    def filters(self) -> list[Filter]:
        return [fn for _, fn in self._steps]

    def __iter__(self):
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def __repr__(self) -> str:
        return f"Pipeline({self.names!r})"

    def without(self, *names: str) -> Pipeline:
        """A copy without the named filters."""
        self._check_names(names)
        return Pipeline(step for step in self._steps if step[0] not in names)

    def insert(self, fn: Filter, *, name: str | None = None,
               before: str | None = None, after: str | None = None) -> Pipeline:
        """A copy with ``fn`` added before or after a named filter, or at the end."""
        if before and after:
            raise ValueError("give before or after, not both")
        anchor = before or after
        if anchor:
            self._check_names([anchor])
        steps = list(self._steps)
        at = len(steps)
        if anchor:
            at = self.names.index(anchor) + (1 if after else 0)
        steps.insert(at, (name or filter_name(fn), fn))
        return Pipeline(steps)

    def _check_names(self, names: Iterable[str]) -> None:
        unknown = [n for n in names if n not in self.names]
        if unknown:
            raise ProfileError(f"no filter named {', '.join(map(repr, unknown))} in the pipeline; "
                               f"it has: {', '.join(self.names)}")

    def run(self, text: str, *, hints: Mapping[str, str] | None = None,
            on_error: str = "raise", timeout: float | None = None,
            max_lines: int | None = None,
            site: SiteProfile | SiteFilter | None = None, format: str = "auto") -> Result:
        """Clean ``text``: run every filter over what the ones before it kept, record
        their decisions, and run again over the result until it stops changing.

        ``format``: ``"text"``, ``"markdown"`` (filters judge each line's visible
        text, constructs stay whole; see :mod:`boilercut.markdown`) or ``"auto"``
        (detected per document); the verdict is ``result.format``.

        A failing filter (see the module docstring) raises :class:`FilterError`
        (:class:`FilterTimeout` when ``timeout`` seconds ran out) with
        ``on_error="raise"``; with ``on_error="keep"`` the text comes back
        uncleaned with the fault in ``result.errors``. A text with more than
        ``max_lines`` lines raises :class:`TooManyLines` (whatever ``on_error``
        says: it is the input, not a filter, that fails). With ``site`` (a
        :class:`~boilercut.sites.SiteProfile`, or a :class:`~boilercut.sites.SiteFilter`
        to set its thresholds), a ``site`` filter first removes what
        repeats on the site's other pages, and ``result.site`` says what the profile
        could tell.
        """
        check_lines(text, max_lines)
        if site is not None:
            from boilercut.sites import SiteFilter

            site_filter = site if isinstance(site, SiteFilter) else SiteFilter(site)
            site_filter = site_filter.judging(text)
            result = Pipeline(((site_filter.name, site_filter), *self._steps)).run(
                text, hints=hints, on_error=on_error, timeout=timeout, format=format)
            result.site = site_filter.status
            return result
        if on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(map(repr, ON_ERROR))}, "
                             f"not {on_error!r}")
        check_timeout(timeout)
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}, "
                             f"not {format!r}")
        if format == "auto":
            from boilercut.markdown import detect

            format = detect(text)
        budget = _Budget(timeout)
        try:
            try:
                with budget:
                    return self._run(text, hints or {}, budget, format)
            except _Expired:
                budget.stop()
                raise budget.timeout(budget.current) from None
        except FilterError as exc:
            if on_error == "raise":
                raise
            return uncleaned(text, exc.fault(), format)

    def _run(self, text: str, hints: Mapping[str, str], budget: _Budget, format: str) -> Result:
        markdown = format == "markdown"
        kept = split_lines(text, markdown)
        removed: list[Removal] = []
        overruled: dict[int, Removal] = {}
        metadata = empty_metadata()
        for _ in range(MAX_PASSES):
            found, kept_anyway = self._pass(text, kept, hints, budget, MappingProxyType(dict(metadata)))
            if markdown:
                from boilercut.markdown import whole_constructs

                found, whole = whole_constructs(kept, found)
                kept_anyway = [*kept_anyway, *whole]
            overruled.update((r.start, r) for r in kept_anyway)
            if not found:
                break
            for line, removal in found:
                removed.append(removal)
                overruled.pop(removal.start, None)
                _merge(metadata, removal.metadata)
            gone = {id(line) for line, _ in found}
            kept = [line for line in kept if id(line) not in gone]
        paragraphs = _paragraphs(kept)
        removed.sort(key=lambda r: r.start)
        metadata["language"] = _language(paragraphs)
        metadata["published"], published = _published(text, kept, removed, metadata["title"],
                                                       metadata["language"])
        return Result(body="\n\n".join(paragraphs), paragraphs=paragraphs, metadata=metadata,
                      removals=removed, published=published,
                      overruled=sorted(overruled.values(), key=lambda r: r.start), format=format)

    def _pass(self, text: str, kept: list[Line], hints: Mapping[str, str], budget: _Budget,
              found: Mapping[str, Any]) -> tuple[list[tuple[Line, Removal]], list[Removal]]:
        """One run of every filter over ``kept`` as a document of its own, as if the
        kept lines were the whole input: renumbered, with no memory of what went.
        ``found`` is the metadata of the passes before. Returns the removals, and the
        proposals an arbiter overruled."""
        view = kept if all(line.index == i for i, line in enumerate(kept)) else [
            line.renumbered(i) for i, line in enumerate(kept)]
        current = view
        removed: dict[int, Removal] = {}
        overruled: list[Removal] = []
        breaks: dict[int, str] = {}
        doc = Document(text, current, hints, {}, found)
        for name, fn in self._steps:
            budget.current = name
            arbitrate = getattr(fn, "arbitrate", None)
            if arbitrate is not None:
                removed, overruled = _arbitrate(name, arbitrate, Document(text, view, hints, {}, found),
                                                removed, budget)
                breaks = {i: r.reason for i, r in removed.items() if r.reason in SECTION_BREAKS}
                current = [line for line in view if line.index not in removed]
                doc = Document(text, current, hints, dict(breaks), found)
                continue
            decisions = _call(name, fn, doc, budget)
            for decision in decisions:
                line = _check(name, decision, view, removed)
                removed[line.index] = _removal(name, decision, line)
                if decision.reason in SECTION_BREAKS:
                    breaks[line.index] = decision.reason
            if decisions:  # else the next filter shares this view and its cached core
                current = [line for line in current if line.index not in removed]
                doc = Document(text, current, hints, dict(breaks), found)
        for name, fn in self._steps:  # arbiters with a last look see the pass's final word
            last_look = getattr(fn, "last_look", None)
            if last_look is not None:
                budget.current = name
                removed, undone = _arbitrate(name, last_look, Document(text, view, hints, {}, found),
                                             removed, budget)
                overruled += undone
        return [(kept[index], removal) for index, removal in removed.items()], overruled


def _removal(name: str, decision: Decision, line: Line) -> Removal:
    return Removal(name, decision.reason, line.text, line.start, line.end, line.number,
                   decision.metadata, decision.score, decision.evidence)


def _arbitrate(name: str, arbitrate: Callable, doc: Document, proposals: dict[int, Removal],
               budget: _Budget) -> tuple[dict[int, Removal], list[Removal]]:
    """Let an arbiter (a filter with an ``arbitrate(doc, proposals)`` method, such as
    the title filter or the line model) settle the pass: ``doc`` holds every line of the pass,
    ``proposals`` the removals the filters before it proposed. What it returns
    are the pass's removals. A decision that repeats a proposal's reason
    confirms it (the proposing filter stays its author, the arbiter adds its
    score); a proposal it does not return, or returns with reason ``"keep"``,
    is overruled: the line stays in the body and the proposal is reported."""
    decisions = _call(name, lambda d: arbitrate(d, dict(proposals)), doc, budget)
    final: dict[int, Removal] = {}
    kept: dict[int, Decision] = {}
    for decision in decisions:
        if isinstance(decision, Decision) and decision.reason == KEEP:
            _check(name, dataclasses.replace(decision, reason=name), doc.lines, {})
            kept[decision.line] = decision
            continue
        line = _check(name, decision, doc.lines, final)
        proposal = proposals.get(line.index)
        author = proposal.filter if proposal and proposal.reason == decision.reason else name
        final[line.index] = _removal(author, decision, line)
    overruled = []
    for index, proposal in proposals.items():
        if index not in final:
            verdict = kept.get(index)
            overruled.append(proposal if verdict is None else dataclasses.replace(
                proposal, score=verdict.score, evidence=verdict.evidence))
    return final, overruled


def uncleaned(text: str, fault: Fault, format: str = "text") -> Result:
    """``text`` as it came, in its paragraphs (blank lines dropped, trailing whitespace
    trimmed), with no removals or metadata and ``fault`` recorded."""
    paragraphs = _paragraphs(split_lines(text))
    return Result(body="\n\n".join(paragraphs), paragraphs=paragraphs,
                  metadata=empty_metadata(), removals=[], errors=[fault], format=format)


def _call(name: str, fn: Filter, doc: Document, budget: _Budget) -> list[Decision]:
    try:
        out = fn(doc)
        if out is None:
            decisions = []
        elif isinstance(out, (str, bytes, Decision)) or not hasattr(out, "__iter__"):
            raise FilterError(name, f"returned {_short(out)}, not an iterable of Decisions")
        else:
            decisions = list(out)
    except FilterError:
        raise
    except _Expired:
        budget.stop()
        raise budget.timeout(name) from None
    except Exception as exc:
        raise FilterError(name, f"raised {type(exc).__name__}: {_short(exc, str)}") from exc
    except SystemExit as exc:  # a filter does not end the program: a fault like any other
        raise FilterError(name, f"raised SystemExit({_short(exc.code)})") from exc
    budget.check(name)
    return decisions


def _short(value: Any, show: Callable[[Any], str] = repr, limit: int = 200) -> str:
    """``show(value)`` cut to ``limit`` characters: messages stay one readable line."""
    try:
        text = show(value)
    except Exception as exc:  # noqa: BLE001 - a broken __repr__ must not hide the fault
        text = f"<{type(value).__name__}: unprintable ({type(exc).__name__})>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _check(name: str, decision: Any, lines: list[Line], removed: Mapping[int, Removal]) -> Line:
    if not isinstance(decision, Decision):
        raise FilterError(name, f"returned {_short(decision)}, not a Decision")
    index = decision.line
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(lines):
        raise FilterError(name, f"decision names line {_short(index)}, which does not exist")
    if index in removed:
        raise FilterError(name, f"decision names line {index}, which is already removed")
    if not isinstance(decision.reason, str) or not decision.reason:
        raise FilterError(name, f"decision for line {index} has no reason")
    line = lines[index]
    for pair in decision.metadata:
        field_name, value = pair if isinstance(pair, tuple) and len(pair) == 2 else (None, None)
        if field_name not in METADATA_FIELDS:
            raise FilterError(name, f"unknown metadata {_short(pair)}; fields: {', '.join(METADATA_FIELDS)}")
        if not isinstance(value, str) or not value.strip() or (
                value not in line.text and value not in line.visible):
            raise FilterError(name, f"metadata {field_name}={_short(value)} is not text of line {index}")
    return line


def _language(paragraphs: list[str]) -> str | None:
    """The body's language (ISO 639-1), or None when py3langid is not installed."""
    from boilercut.language import MAX_CHARS, detect

    text, size = [], 0
    for paragraph in paragraphs:
        if size >= MAX_CHARS:
            break
        text.append(paragraph)
        size += len(paragraph)
    return detect("\n".join(text))


def _published(text: str, kept: list[Line], removed: list[Removal],
               headline: str | None, lang: str | None) -> tuple[str | None, Any]:
    """The raw text of the article's date, chosen among the removed date lines (see
    :func:`boilercut.published.choose`) with the body and the ``headline``'s line as
    landmarks, and that date as a ``datetime.date``."""
    dates = [(r.start, value) for r in removed for name, value in r.metadata if name == "dates"]
    if not dates:
        return None, None
    from boilercut.published import choose, parse_date

    body = (kept[0].start, kept[-1].end) if kept else None
    title = next((r.start for r in removed if ("title", headline) in r.metadata), None)
    raw = choose(text, dates, body, [(r.start, r.reason) for r in removed], lang, title=title)
    return raw, raw and parse_date(raw, lang)


def _merge(metadata: dict[str, Any], pairs: Iterable[tuple[str, str]]) -> None:
    for field_name, value in pairs:
        if field_name in SINGLE_FIELDS:
            if metadata[field_name] is None:
                metadata[field_name] = value
        elif value not in metadata[field_name]:
            metadata[field_name].append(value)


def _paragraphs(lines: list[Line]) -> list[str]:
    """The lines' texts joined into paragraphs (each joined once: appending to a
    growing string would be quadratic in a paragraph of a million lines)."""
    groups: list[list[str]] = []
    previous = None
    for line in lines:
        if line.paragraph == previous:
            groups[-1].append(line.text)
        else:
            groups.append([line.text])
        previous = line.paragraph
    return ["\n".join(group) for group in groups]
