"""The dev set in ``shared/data/dev``: gold bodies, the three input variants, page HTML.

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


def shared_dir() -> Path:
    """Return ``$BOILERCUT_SHARED`` if set, else the ``shared/`` folder beside the repo."""
    override = os.environ.get("BOILERCUT_SHARED")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


def dev_dir() -> Path:
    """Return the folder of the dev set."""
    return shared_dir() / "data" / "dev"


@dataclass(frozen=True)
class Doc:
    """One page: its gold article body and the scraped texts to clean (by variant)."""

    id: str
    url: str
    lang: str
    gold: str
    html_path: Path
    inputs: Mapping[str, str]

    def html(self) -> bytes:
        """Return the page's raw HTML (bytes: the extractor detects the encoding)."""
        return gzip.decompress(self.html_path.read_bytes())


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
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
            url=row["url"],
            lang=row.get("lang") or "en",
            gold=row["gold_body"],
            html_path=root / row["html"],
            inputs=texts[row["id"]],
        )
        for row in manifest
    ]
