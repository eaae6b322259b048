"""Site profiles: what repeats across a site's pages is the site's template, not its articles.

A :class:`SiteProfile` is learned from many texts of one site, with no gold: for
every normalised line (case folded, digits masked, whitespace collapsed, edge
punctuation gone, so "Comments (182)" and "Comments (7)" are one line) it counts
the documents that hold it. :class:`SiteFilter` then removes, from a page of
that site, the lines that repeat on a share of its other pages, with the count
as the reason ("seen on 37 of 40 pages of this site"). Lines are counted one by
one, not as blocks: a menu or a newsletter box repeats line by line anyway, and
requiring a repeated neighbour (measured on train's multi-page sites) kept more
debris than it saved article text.

Keys are 64-bit BLAKE2b hashes of the normalised lines; the first text seen of
each is kept as its example (for ``boilercut learn --show`` and hand edits).
Memory is bounded: a profile holds at most ``2 × capacity`` keys. When it
outgrows that, the counts are cut the Misra–Gries way (every count minus the
(capacity+1)-th largest, keys at zero dropped); a count is then low by at most
``error``, which is at most N / (capacity + 1) for N counted (page, line)
pairs, and never high: a profile that
forgets removes less, never more. Profiles learned on shards merge (counts
added, then cut the same way), so learning runs on Ray block by block; below
the cap, merging shards gives exactly the profile of the whole.

Sites: :func:`site_of` names a page's site by its host, lower-cased, without
port and without a leading ``www.``. Not the registered domain: the subdomains
of one company (``news.``, ``sport.``, ``shop.``) usually run different
templates, and the host needs no public-suffix list.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import regex

from boilercut.document import Document, line_key
from boilercut.result import Decision

FORMAT = "boilercut-site-profiles"
VERSION = 1
#: Keys kept per profile before counts are cut (see the module docstring).
CAPACITY = 20_000
#: An example line's text is kept up to this many characters.
EXAMPLE_CHARS = 200
#: A line goes when seen on at least this share of the site's other pages ...
SHARE = 0.5
#: ... and a prose line inside the article core on at least this share.
PROSE_SHARE = 0.6
#: A page is judged only against at least this many other pages of its site (measured:
#: from 2 on, leave-one-out on train's multi-page sites gains without losing recall).
MIN_PAGES = 2
_DIGITS = regex.compile(r"\d+")


class SiteProfileError(ValueError):
    """A site-profiles file that cannot be read, or is not one."""


def site_of(url: str | None) -> str | None:
    """The site of a page: its URL's host, lower-cased, without port and leading ``www.``."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def record_site(record: Mapping[str, Any], group_by: str = "url") -> str | None:
    """A record's site: with ``group_by="url"`` the site of its ``url`` field
    (:func:`site_of`), else the value of its field ``group_by`` as it is (the user's own key)."""
    value = record.get(group_by)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    if group_by == "url":
        return site_of(value) if isinstance(value, str) else None
    return str(value) or None


def normalise(text: str) -> str:
    """A line as profiles compare it: :func:`line_key` with every run of digits masked."""
    return _DIGITS.sub("0", line_key(text))


def fingerprint(key: str) -> int:
    """A normalised line's 64-bit key (BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def document_keys(text: str) -> tuple[list[int], list[str]]:
    """The keys of ``text``'s lines in order, and their texts (lines without key left out)."""
    keys, texts = [], []
    for line in text.split("\n"):
        key = normalise(line)
        if key:
            keys.append(fingerprint(key))
            texts.append(line.strip())
    return keys, texts


@dataclass
class SiteProfile:
    """How many of a site's ``documents`` hold each line (``lines``, by key);
    ``examples`` keeps a text of each line; ``allow`` and ``deny`` are hand
    edits (normalised lines never / always removed)."""

    documents: int = 0
    lines: dict[int, int] = field(default_factory=dict)
    examples: dict[int, str] = field(default_factory=dict)
    allow: set[str] = field(default_factory=set)
    deny: set[str] = field(default_factory=set)
    capacity: int = CAPACITY
    #: How much any count may be below the true count (0 until counts were cut).
    error: int = 0

    @classmethod
    def learn(cls, texts: Iterable[str], capacity: int = CAPACITY) -> SiteProfile:
        """The profile of one site's ``texts``."""
        profile = cls(capacity=capacity)
        for text in texts:
            profile.add(text)
        return profile

    def add(self, text: str) -> None:
        """Count one more document of the site."""
        keys, texts = document_keys(text)
        self.documents += 1
        first: dict[int, str] = {}
        for key, line in zip(keys, texts):
            first.setdefault(key, line)
        for key, line in first.items():
            count = self.lines.get(key, 0) + 1
            self.lines[key] = count
            if count == 1:
                self.examples[key] = line[:EXAMPLE_CHARS]
        self._bound()

    def merge(self, other: SiteProfile) -> SiteProfile:
        """A new profile counting both profiles' documents (same capacity as this one)."""
        merged = SiteProfile(self.documents + other.documents, dict(self.lines),
                             {**other.examples, **self.examples}, self.allow | other.allow,
                             self.deny | other.deny, self.capacity, self.error + other.error)
        for key, count in other.lines.items():
            merged.lines[key] = merged.lines.get(key, 0) + count
        merged._bound()
        return merged

    def _bound(self) -> None:
        """Cut the counts the Misra–Gries way when the profile holds more than 2 × capacity keys."""
        if len(self.lines) > 2 * self.capacity:
            cut = heapq.nlargest(self.capacity + 1, self.lines.values())[-1]
            self.lines = {k: c - cut for k, c in self.lines.items() if c > cut}
            self.examples = {k: v for k, v in self.examples.items() if k in self.lines}
            self.error += cut

    def count(self, text: str) -> int:
        """On how many of the site's documents a line like ``text`` was seen."""
        key = normalise(text)
        return self.lines.get(fingerprint(key), 0) if key else 0

    def top(self, n: int = 20) -> list[tuple[int, str]]:
        """The ``n`` most repeated lines with their counts."""
        ranked = sorted(((self.lines[k], text) for k, text in self.examples.items()
                         if k in self.lines),
                        key=lambda item: (-item[0], item[1]))
        return ranked[:n]

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data (keys as hex strings; see :func:`save`)."""
        return {"documents": self.documents, "capacity": self.capacity, "error": self.error,
                "lines": {f"{k:016x}": c for k, c in sorted(self.lines.items())},
                "examples": {f"{k:016x}": t for k, t in sorted(self.examples.items())},
                "allow": sorted(self.allow), "deny": sorted(self.deny)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        def table(name: str) -> dict[int, Any]:
            return {int(k, 16): v for k, v in data.get(name, {}).items()}

        return cls(int(data["documents"]), table("lines"), table("examples"),
                   {normalise(t) for t in data.get("allow", [])},
                   {normalise(t) for t in data.get("deny", [])},
                   int(data.get("capacity", CAPACITY)), int(data.get("error", 0)))


class SiteProfiles:
    """Profiles by site (see :func:`site_of`), saved and loaded as one JSON file."""

    def __init__(self, sites: Mapping[str, SiteProfile] | None = None, capacity: int = CAPACITY):
        self.sites: dict[str, SiteProfile] = dict(sites or {})
        self.capacity = capacity

    def add(self, site: str, text: str) -> None:
        """Count ``text`` as one more document of ``site``."""
        profile = self.sites.get(site)
        if profile is None:
            profile = self.sites[site] = SiteProfile(capacity=self.capacity)
        profile.add(text)

    def get(self, site: str | None) -> SiteProfile | None:
        return self.sites.get(site) if site else None

    def filter_for(self, site: str | None) -> SiteFilter:
        """The ``site`` filter for a page of ``site``; for a site without a profile
        (or a page without site) an empty one, so that the result says so."""
        return SiteFilter(self.get(site) or SiteProfile(capacity=self.capacity),
                          has_site=bool(site))

    def for_url(self, url: str | None) -> SiteProfile | None:
        """The profile of the site of ``url`` (None when there is none)."""
        return self.get(site_of(url))

    def merge(self, other: SiteProfiles) -> SiteProfiles:
        """The profiles of both, site by site."""
        merged = dict(self.sites)
        for site, profile in other.sites.items():
            merged[site] = merged[site].merge(profile) if site in merged else profile
        return SiteProfiles(merged, self.capacity)

    def __len__(self) -> int:
        return len(self.sites)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.sites))

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION,
                "sites": {site: self.sites[site].to_dict() for site in self}}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the profiles as JSON (UTF-8; see the README for the format)."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False, indent=1)
            fh.write("\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SiteProfiles:
        """Read profiles written by :meth:`save` (and perhaps edited by hand)."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise SiteProfileError(f"{path}: cannot read site profiles: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SiteProfileError(f"{path}: not a {FORMAT} file")
        if data.get("version") != VERSION:
            raise SiteProfileError(f"{path}: {FORMAT} version {data.get('version')!r}; "
                                   f"this boilercut reads version {VERSION}")
        try:
            return cls.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SiteProfileError(f"{path}: malformed site profile: {exc!r}") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfiles:
        """The profiles of :meth:`to_dict`'s data (format and version checked by :meth:`load`)."""
        return cls({site: SiteProfile.from_dict(p) for site, p in data["sites"].items()})


def learn(texts: Iterable[str], capacity: int = CAPACITY) -> SiteProfile:
    """The profile of one site, learned from its documents' texts."""
    return SiteProfile.learn(texts, capacity)


def learn_sites(pages: Iterable[tuple[str | None, str]], capacity: int = CAPACITY) -> SiteProfiles:
    """Profiles of many sites from ``(site, text)`` pairs (a page without site is skipped)."""
    profiles = SiteProfiles(capacity=capacity)
    for site, text in pages:
        if site:
            profiles.add(site, text)
    return profiles


@dataclass(frozen=True)
class SiteFilter:
    """Remove what repeats on the site's other pages (see the module docstring).

    A line goes when it was seen on at least ``share`` of the site's other
    pages; a prose line inside the article core needs ``prose_share`` of them,
    so that a quote or a stock sentence shared by a few articles stays. Lines
    the profile allows stay; lines it denies go. A site with fewer than
    ``min_pages`` other pages is not judged.

    The pages are the profile's documents, this one left out when the profile
    counted it (``own``, see :meth:`judging`): cleaning the pages a profile was
    learned from is then the same as cleaning each with a profile of the others.
    """

    name: ClassVar[str] = "site"
    profile: SiteProfile
    share: float = SHARE
    prose_share: float = PROSE_SHARE
    min_pages: int = MIN_PAGES
    own: bool = False
    #: False for a page whose site is unknown (no URL, no group field): the status says so.
    has_site: bool = True

    def judging(self, text: str) -> SiteFilter:
        """This filter for the document ``text``, ``own`` set when the profile counted it:
        every line of it is in an exact profile (one whose counts were never cut)."""
        keys = [fingerprint(k) for k in map(normalise, text.split("\n")) if k]
        known = self.profile.lines
        own = self.profile.error == 0 and bool(keys) and all(k in known for k in keys)
        return dataclasses.replace(self, own=own)

    @property
    def pages(self) -> int:
        """How many other pages of the site the profile counted."""
        return self.profile.documents - self.own

    @property
    def status(self) -> str:
        """What the profile can say, in a sentence (``Result.site``)."""
        if not self.has_site:
            return "no site profile: the page has no site (no URL or group field)"
        if self.pages < self.min_pages:
            return (f"no site profile: {self.pages} other pages of this site, "
                    f"at least {self.min_pages} needed")
        return f"site profile of {self.pages} other pages"

    def __call__(self, doc: Document) -> list[Decision]:
        pages, allow, deny = self.pages, self.profile.allow, self.profile.deny
        if pages < self.min_pages and not deny:
            return []
        out = []
        for pos, line in enumerate(doc.lines):
            key = normalise(line.text)
            if not key or key in allow:
                continue
            if key in deny:
                out.append(Decision(line.index, "denied by the site profile"))
                continue
            if pages < self.min_pages:
                continue
            seen = self.profile.lines.get(fingerprint(key), 0) - self.own
            if seen < self.share * pages:
                continue
            if line.is_prose and seen < self.prose_share * pages and not doc.outside_core(pos):
                continue
            out.append(Decision(line.index, f"seen on {seen} of {pages} pages of this site"))
        return out
