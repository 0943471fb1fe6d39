"""The reference page (``REFERENCE.md``) assembled from one section per documented class, reusing the sections the
last generation wrote for modules whose text has not changed.

A class's section is decided by the text and path of the module that defines it, the package name, the values of
the constants its constraints name (``pattern=NAME = '...'``) and the toolchain (code and templates). What is
cross-module is computed again on every run from what each module contributes: the constants (a constant defined
twice takes the later value), which module documents a class named twice (the one whose path sorts last), the
order of the sections (by class name) and the imports the requirements are read from.

The state a generation leaves (`PageState`) records, per module, the digest of its text, its constants, its
third-party imports, where its sections are in the page and the constant values they show. The next generation
parses only the modules whose digest differs (or whose sections showed a constant that now has another value) and
takes the others' sections from the last page, which it reads only when its bytes have the digest both the
manifest and the state record. Anything unproven (another toolchain or package, a class documented from another
module, a malformed state) is parsed and rendered again.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.documents import collector_paused
from generator.reference import ClassDoc, ModuleFacts, read_module, resolve_classes

__all__ = [
    "PAGE_STATE_VERSION",
    "ModuleEntry",
    "Page",
    "PageState",
    "PreviousPage",
    "Read",
    "build_page",
    "page_key",
    "page_state_from_json",
    "page_state_to_json",
    "third_party",
]

PAGE_STATE_VERSION = 1
"""The shape of the stored page state; a state of another version is not read."""

Import = tuple[str, str, int]
"""(module, imported name or ``""``, level), as `generator.reference` reads an import."""
Read = dict[str, tuple[str, ModuleFacts]]
"""Modules already read (``generator.reference.read_module``), by path: the text read and its facts. A module's
facts are taken from here only when the text is the one the page is built from."""
Span = tuple[str, int, int]
"""(class name, start, end): where a class's section is in the page, counted from the end of its header."""


@dataclass(frozen=True)
class ModuleEntry:
    """What one module gave the page: the digest of its text, its string constants, its third-party imports,
    where its sections are (None when one is not in the page: another module documents a class of its name) and
    the value each constant its sections name had (None: it was no constant)."""

    digest: str
    constants: dict[str, str]
    imports: tuple[Import, ...]
    sections: tuple[Span, ...] | None
    shown: dict[str, str | None]


@dataclass(frozen=True)
class PageState:
    """What one page leaves for the next: its key (`page_key`), the digest of its text, where its sections start
    (the header's length) and each module's entry."""

    key: str
    digest: str
    start: int
    modules: dict[str, ModuleEntry]


@dataclass(frozen=True)
class PreviousPage:
    """The last generation's page state and page text, the text read from the output folder only when its bytes
    have the digest the manifest records (``digest``: that digest)."""

    state: PageState
    text: str
    digest: str


@dataclass(frozen=True)
class Page:
    """A reference page: its text, the first documented class by name (None when there is none), the third-party
    imports of each module (for the requirements), its state, and how many modules' sections were reused."""

    text: str
    first_class: str | None
    imports: dict[str, list[Import]]
    state: PageState
    reused: int


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _module_digest(text: str) -> str:
    """The digest a module's entry is kept under: its sections are reused only for the same text."""
    return _digest(text.encode("utf-8"))


def page_key(toolchain: str, package: str) -> str:
    """The digest of what decides every section besides its module and the constants it shows."""
    return _digest(pickle.dumps((PAGE_STATE_VERSION, toolchain, package), protocol=5))


def third_party(imports: list[Import]) -> tuple[Import, ...]:
    """The imports a requirement can come from (`generator.release.runtime_requirements` skips the others):
    absolute, of no ``__future__`` and no standard-library module."""
    return tuple(
        found
        for found in imports
        if not found[2] and (top := found[0].split(".")[0]) != "__future__" and top not in sys.stdlib_module_names
    )


def _reusable(previous: PreviousPage | None, key: str) -> PreviousPage | None:
    if previous is None or previous.state.key != key or previous.state.digest != previous.digest:
        return None
    return previous


def build_page(
    models: dict[str, str],
    key: str,
    header: str,
    sections: Callable[[list[ClassDoc]], list[str]],
    previous: PreviousPage | None,
    read: Read | None = None,
) -> Page:
    """The reference page of the package ``models`` (relative path → text, in the package's file order):
    ``header`` and then, in class-name order, the section of each documented class (``sections`` renders those of
    a list of classes); sections of modules whose text is the one ``previous`` recorded are taken from its page
    (``key``: `page_key`, which must match); ``read``: modules already read, whose facts are used where the text
    read is the module's."""
    with collector_paused():
        return _build_page(models, key, header, sections, _reusable(previous, key), read or {})


def _build_page(
    models: dict[str, str],
    key: str,
    header: str,
    sections: Callable[[list[ClassDoc]], list[str]],
    previous: PreviousPage | None,
    read: Read,
) -> Page:
    paths = [path for path in models if path.endswith(".py")]
    digests = {path: _module_digest(models[path]) for path in paths}
    memo: dict[tuple[bool, bytes], str] = {}

    def facts_of(path: str) -> ModuleFacts:
        text, facts = read.get(path, ("", None))
        return facts if facts is not None and text == models[path] else read_module(path, models[path], memo)

    kept: dict[str, ModuleEntry] = {}
    facts: dict[str, ModuleFacts] = {}
    for path in paths:
        entry = previous.state.modules.get(path) if previous is not None else None
        if entry is not None and entry.sections is not None and entry.digest == digests[path]:
            kept[path] = entry
        else:
            facts[path] = facts_of(path)
    constants: dict[str, str] = {}
    for path in paths:
        constants.update(kept[path].constants if path in kept else facts[path].constants)
    for path, entry in list(kept.items()):
        if any(constants.get(name) != value for name, value in entry.shown.items()):
            del kept[path]
            facts[path] = facts_of(path)
    documented = {path: resolve_classes(facts[path], constants) for path in paths if path not in kept}
    rendered = iter(sections([doc for docs in documented.values() for doc in docs]))
    texts: dict[str, list[tuple[str, str]]] = {}
    shown: dict[str, dict[str, str | None]] = {}
    for path in paths:
        if path in kept:
            assert previous is not None
            base, old = previous.state.start, previous.text
            texts[path] = [(name, old[base + start : base + end]) for name, start, end in kept[path].sections or ()]
            shown[path] = kept[path].shown
        else:
            texts[path] = [(doc.name, next(rendered)) for doc in documented[path]]
            shown[path] = {name: constants.get(name) for *_, name in facts[path].named}
    chosen: dict[str, str] = {}  # class name -> path of the module that documents it
    for path in sorted(paths):
        for name, _ in texts[path]:
            chosen[name] = path
    order = sorted(chosen)
    winners = {name: text for path in sorted(paths) for name, text in texts[path] if chosen[name] == path}
    parts: list[str] = []
    places: dict[tuple[str, str], tuple[int, int]] = {}
    at = 0
    for name in order:
        text = winners[name]
        places[chosen[name], name] = (at, at + len(text))
        parts.append(text)
        at += len(text)
    entries = {}
    for path in paths:
        names = [name for name, _ in texts[path]]
        whole = len(set(names)) == len(names) and all(chosen[name] == path for name in names)
        spans = tuple((name, *places[path, name]) for name in names) if whole else None
        if path in kept:
            constants_of, imports_of = kept[path].constants, kept[path].imports
        else:
            constants_of, imports_of = facts[path].constants, third_party(facts[path].imports)
        entries[path] = ModuleEntry(digests[path], constants_of, imports_of, spans, shown[path])
    text = header + "".join(parts)
    state = PageState(key, _digest(text.encode("utf-8")), len(header), entries)
    imports = {path: list(entries[path].imports) for path in paths}
    return Page(text, order[0] if order else None, imports, state, len(kept))


def page_state_to_json(state: PageState) -> dict[str, Any]:
    """The state as JSON data; the imports, the same few in most modules, are a table the modules index."""
    table: dict[Import, int] = {}
    for entry in state.modules.values():
        for found in entry.imports:
            table.setdefault(found, len(table))
    return {
        "version": PAGE_STATE_VERSION,
        "key": state.key,
        "digest": state.digest,
        "start": state.start,
        "imports": [list(found) for found in table],
        "modules": {
            path: [
                e.digest,
                e.constants,
                [table[found] for found in e.imports],
                None if e.sections is None else [list(s) for s in e.sections],
                e.shown,
            ]
            for path, e in state.modules.items()
        },
    }


def _is_import(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], str)
        and type(value[2]) is int
    )


def _is_span(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and type(value[1]) is int
        and type(value[2]) is int
        and 0 <= value[1] <= value[2]
    )


def _strings(mapping: Any, optional: bool) -> bool:
    return isinstance(mapping, dict) and all(
        isinstance(k, str) and (isinstance(v, str) or (optional and v is None)) for k, v in mapping.items()
    )


def _entry(row: Any, table: list[Import]) -> ModuleEntry | None:
    if not isinstance(row, list) or len(row) != 5:
        return None
    digest, constants, imports, sections, shown = row
    if not isinstance(digest, str) or not _strings(constants, False) or not _strings(shown, True):
        return None
    if not isinstance(imports, list) or not all(type(i) is int and 0 <= i < len(table) for i in imports):
        return None
    if sections is not None and not (isinstance(sections, list) and all(_is_span(s) for s in sections)):
        return None
    spans = None if sections is None else tuple((s[0], s[1], s[2]) for s in sections)
    return ModuleEntry(digest, constants, tuple(table[i] for i in imports), spans, shown)


def page_state_from_json(data: Any) -> PageState | None:
    """The state held by ``data``, or None for anything malformed (it is read from a file)."""
    if not isinstance(data, dict) or data.get("version") != PAGE_STATE_VERSION:
        return None
    key, digest, start, modules = data.get("key"), data.get("digest"), data.get("start"), data.get("modules")
    if not (isinstance(key, str) and isinstance(digest, str) and type(start) is int and isinstance(modules, dict)):
        return None
    listed = data.get("imports")
    if not isinstance(listed, list) or not all(_is_import(i) for i in listed):
        return None
    table = [(i[0], i[1], i[2]) for i in listed]
    entries = {}
    for path, row in modules.items():
        entry = _entry(row, table)
        if not isinstance(path, str) or entry is None:
            return None
        entries[path] = entry
    return PageState(key, digest, start, entries)
