"""Profiles: where the configuration is found, and filter options checked when it loads.

The configuration is found as Python tools find theirs: the nearest
``boilercut.toml``, or ``pyproject.toml`` with a ``[tool.boilercut]`` table, from
the current directory upward (:func:`find_config`).

A built-in filter is a dataclass whose fields are its options. An option from a
profile must be one of those fields and have its type, so that a mistake
(``menu_run = "four"``, ``max_units = 2.5``) is a :class:`ProfileError` when the
profile loads, naming the filter and the option, instead of a failure on every
document later. Every numeric option of the built-in filters is a count or a
size: numbers must be positive. Options of a plugin that is not a dataclass, or
whose field types are not plain ``bool``, ``int``, ``float``, ``str`` (or a
union of them, ``None`` included), are left to the plugin.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from boilercut.pipeline import ProfileError

#: The configuration files looked for in each directory, in this order.
CONFIG_FILES = ("boilercut.toml", "pyproject.toml")


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``boilercut.toml``, or ``pyproject.toml`` with a ``[tool.boilercut]``
    table, in ``start`` (default: the current directory) or a directory above it."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            path = folder / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml has a ``[tool.boilercut]`` table; one that does not
    mention boilercut is not parsed (a broken one elsewhere is none of our business)."""
    try:
        data = path.read_bytes()
        if b"boilercut" not in data:
            return False
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from None
    return isinstance(tool, Mapping) and "boilercut" in tool


def check_options(name: str, factory: Any, options: Mapping[str, Any]) -> None:
    """Raise :class:`ProfileError` unless each option is a field of the filter
    ``name`` (a dataclass or dataclass instance) holding a value of its type; a field
    with ``metadata={"range": (low, high)}`` takes a number in that closed range."""
    cls = factory if isinstance(factory, type) else type(factory)
    if not dataclasses.is_dataclass(cls):
        return
    fields = [f.name for f in dataclasses.fields(cls) if f.init]
    ranges = {f.name: f.metadata["range"] for f in dataclasses.fields(cls) if "range" in f.metadata}
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 -- a plugin's annotations that cannot be resolved
        hints = {}
    for option, value in options.items():
        if option not in fields:
            have = ", ".join(fields) if fields else "none"
            raise ProfileError(f"bad options for filter {name!r}: no option {option!r} "
                               f"(its options: {have})")
        expected = _expected(hints.get(option))
        if option in ranges:
            low, high = ranges[option]
            expected = [(f"a number from {low:g} to {high:g}", lambda v, lo=low, hi=high: (
                isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi))]
        if expected is not None and not any(accepts(value) for _, accepts in expected):
            wanted = " or ".join(what for what, _ in expected)
            raise ProfileError(f"bad options for filter {name!r}: option {option!r} expects "
                               f"{wanted}, got {value!r} ({_kind(value)})")


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _positive_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


_SIMPLE = {
    bool: ("true or false", lambda v: isinstance(v, bool)),
    int: ("a positive whole number", _positive_int),
    float: ("a positive number", _positive_number),
    str: ("a string", lambda v: isinstance(v, str)),
    type(None): ("nothing (None)", lambda v: v is None),
}


def _expected(hint: Any) -> list[tuple[str, Any]] | None:
    """What a field of type ``hint`` accepts, as (description, test) pairs; None when
    the type is not one this module knows (the value is not checked)."""
    if hint in _SIMPLE:
        return [_SIMPLE[hint]]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [_SIMPLE.get(arg) for arg in typing.get_args(hint)]
        return None if None in members else members
    return None


def _kind(value: Any) -> str:
    """A TOML user's word for the type of ``value``."""
    return {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)
