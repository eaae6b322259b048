"""The evaluation sets in ``shared/data``: gold bodies, scraped-text variants, page HTML.

``dev`` (181 ScrapingHub pages, with HTML) is the set the rules were written
against; ``train`` (2,480 pages of 1,418 other sites, no HTML) is for fitting,
scored only with cross-validation grouped by site (:func:`Doc.group`).
``shared/`` sits beside the repository; set ``BOILERCUT_SHARED`` to read it elsewhere.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

VARIANTS = ("article", "page", "recall")
#: Whole-page markdown (html2text, as LLM-oriented crawlers emit it); scored on the
#: text a reader sees (:func:`bench.metric.reader_text`).
MARKDOWN = "markdown"
ALL_VARIANTS = (*VARIANTS, MARKDOWN)
SETS = ("dev", "train")


def shared_dir() -> Path:
    """Return ``$BOILERCUT_SHARED`` if set, else the ``shared/`` folder beside the repo."""
    override = os.environ.get("BOILERCUT_SHARED")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


def dev_dir() -> Path:
    """Return the folder of the dev set."""
    return shared_dir() / "data" / "dev"


def train_dir() -> Path:
    """Return the folder of the train set."""
    return shared_dir() / "data" / "train"


@dataclass(frozen=True)
class Doc:
    """One page: its gold article body and the scraped texts to clean (by variant)."""

    id: str
    url: str
    lang: str
    gold: str
    html_path: Path | None
    inputs: Mapping[str, str]
    source: str = "scrapinghub"
    domain: str | None = None
    page_type: str | None = None
    title: str | None = None
    author: str | None = None

    def html(self) -> bytes:
        """Return the page's raw HTML (bytes: the extractor detects the encoding)."""
        if self.html_path is None:
            raise ValueError(f"{self.id}: this set ships no HTML")
        return gzip.decompress(self.html_path.read_bytes())

    @property
    def group(self) -> str:
        """The cross-validation group: the site, or the source for pages without a domain."""
        return self.domain or f"source:{self.source}"


def _read_jsonl(path: Path) -> list[dict]:
    """Rows of ``path``, or of ``path`` + ``.gz`` when only the compressed file exists."""
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def source_info(root: Path | None = None) -> dict:
    """Return ``SOURCE.json``: where the set comes from, at which commit, how many docs."""
    root = root or dev_dir()
    return json.loads((root / "SOURCE.json").read_text(encoding="utf-8"))


def load_docs(root: Path | None = None, variants: Sequence[str] = VARIANTS) -> list[Doc]:
    """Load the manifest and the given variants, checking that they cover the same docs."""
    root = root or dev_dir()
    manifest = _read_jsonl(root / "manifest.jsonl")
    expected = source_info(root).get("n_docs")
    if expected is not None and expected != len(manifest):
        raise ValueError(f"manifest has {len(manifest)} docs, SOURCE.json says {expected}")
    texts: dict[str, dict[str, str]] = {row["id"]: {} for row in manifest}
    for variant in variants:
        rows = _read_jsonl(root / "variants" / f"{variant}.jsonl")
        if {row["id"] for row in rows} != texts.keys():
            raise ValueError(f"variant {variant!r} does not cover the manifest's docs")
        for row in rows:
            texts[row["id"]][variant] = row["text"]
    return [
        Doc(
            id=row["id"],
            url=row.get("url") or "",
            lang=row.get("lang") or "en",
            gold=row["gold_body"],
            html_path=root / row["html"] if row.get("html") else None,
            inputs=texts[row["id"]],
            source=row.get("source") or "scrapinghub",
            domain=row.get("domain"),
            page_type=row.get("page_type"),
            title=row.get("title"),
            author=row.get("author"),
        )
        for row in manifest
    ]


def load_set(name: str, variants: Sequence[str] = VARIANTS) -> list[Doc]:
    """Load the set called ``name`` (see :data:`SETS`)."""
    if name not in SETS:
        raise ValueError(f"unknown set {name!r}; sets: {', '.join(SETS)}")
    return load_docs(dev_dir() if name == "dev" else train_dir(), variants)
