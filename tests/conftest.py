"""Shared test helpers: where ``shared/`` is, and the contract every result must keep."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from bench.data import shared_dir
from boilercut.markdown import render
from boilercut.result import DERIVED_FIELDS

settings.register_profile("default", max_examples=300)
settings.register_profile("deep", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def seeds_dir():
    path = shared_dir() / "seeds"
    if not path.is_dir():
        pytest.skip(f"seeds not found at {path}; set BOILERCUT_SHARED to the shared/ folder")
    return path


def assert_contract(text, result):
    """The properties every result must have, whatever the pipeline did."""
    physical = re.split(r"\r\n|\r|\n", text)  # a lone CR ends a line too
    nonblank = [(i, line.rstrip()) for i, line in enumerate(physical) if line.strip()]
    body_lines = [line for p in result.paragraphs for line in p.split("\n")]
    # A removal covers the physical lines of its text (a hard-wrapped paragraph is one line).
    removed = {r.line - 1 + k: r for r in result.removals for k in range(r.text.count("\n") + 1)}
    # Nothing lost: every non-blank line is either kept or removed, once.
    kept = [line for i, line in nonblank if i not in removed]
    assert kept == body_lines
    assert len(removed) == sum(r.text.count("\n") + 1 for r in result.removals)
    assert set(removed) <= {i for i, _ in nonblank}
    # Removals slice back to their text and name a filter and a reason.
    for r in result.removals:
        assert text[r.start:r.end] == r.text
        assert r.filter and r.reason
    # Paragraphs are joined by one blank line; metadata comes from the input (from
    # what a reader sees of it, for markdown).
    assert result.body == "\n\n".join(result.paragraphs)
    shown = render(text) if result.format == "markdown" else text
    for name, value in result.metadata.items():
        if name in DERIVED_FIELDS:
            continue
        for item in ([value] if isinstance(value, str) else value or []):
            assert item in text or item in shown, (name, item)


def importable(name: str) -> bool:
    """Whether an optional dependency can be imported here."""
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


needs_trafilatura = pytest.mark.skipif(
    not importable("trafilatura"), reason="trafilatura not importable (pip install 'boilercut[html]')")


ROOT = Path(__file__).resolve().parents[1]


def run_child(code: str, *, timeout: float, what: str) -> None:
    """Run ``code`` in a fresh Python process from the repo root: fail the test when it
    outlasts ``timeout`` (a regex stuck in C cannot be interrupted in-process) or fails."""
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what}: did not finish in {timeout} s")
    assert done.returncode == 0, done.stderr[-3000:]
