"""Input limits a user may raise or lower: ``--limit NAME=VALUE`` on the commands that read specs.

The defaults are sized for real specs (GitHub's dereferenced REST description is about 70 MiB and 1.2 million values)
and live as named constants beside the code that enforces them; this module only maps the option's names to those
constants and sets them for the one command being run, at the edge, before any document is read.

Standard library only: the command line imports it before it knows whether the engine is needed.
"""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

__all__ = ["LIMITS", "applied_limits", "parse_limit"]

LIMITS: dict[str, tuple[str, str, str]] = {
    "bytes": ("generator.documents", "MAX_BYTES", "size of one input document, in bytes"),
    "nodes": ("generator.documents", "MAX_NODES", "values in one document once YAML aliases are expanded"),
    "depth": ("generator.documents", "MAX_DEPTH", "nesting depth of mappings and lists"),
    "aliases": ("generator.documents", "MAX_ALIASES", "YAML aliases in one document"),
    "enum-values": ("generator.structure", "MAX_ENUM_VALUES", "values of one enum"),
    "schemas": ("generator.structure", "MAX_SCHEMAS", "schema objects in one document"),
    "allof-depth": ("generator.structure", "MAX_ALLOF_DEPTH", "component schemas in one allOf chain"),
}
"""Option name → (module, constant, what it bounds)."""


def parse_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` → (name, value), for argparse: an unknown name or a value that is not a positive integer is a
    usage error."""
    name, sep, value = text.partition("=")
    if not sep or name not in LIMITS:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE with NAME one of {', '.join(LIMITS)}")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the value must be a positive whole number")
    return name, int(value)


class applied_limits:
    """Set each named limit for the duration of one command, then put the defaults back (a process that runs
    several commands, a test suite say, never carries one command's limits into the next).

    A class, not a generator: a CodegenError raised inside must pass through untouched (it is frozen, and a
    generator-based context manager would try to set its traceback)."""

    def __init__(self, pairs: list[tuple[str, int]]) -> None:
        self.pairs = pairs
        self.saved: list[tuple[ModuleType, str, object]] = []

    def __enter__(self) -> None:
        for name, value in self.pairs:
            module_name, constant, _ = LIMITS[name]
            module = importlib.import_module(module_name)
            self.saved.append((module, constant, getattr(module, constant)))
            setattr(module, constant, value)

    def __exit__(self, *exc: object) -> None:
        for module, constant, value in reversed(self.saved):
            setattr(module, constant, value)
        self.saved.clear()
