"""Reuse: which modules of the package the last `generate` wrote a regeneration can keep as they are.

The engine gives each class its own module, and a module's text is decided by the engine's input for the schema it
comes from and for every schema that one refers to, directly or not (its *closure*), plus what is the same for all
modules: the toolchain (code, templates, pinned libraries), the engine input outside ``components/schemas``, the
attribute names and the header's source line (the *context*). So when only some schemas changed, only the modules
of the schemas whose closure holds a changed one (the *affected* schemas) need the engine again; it is run on
those schemas and their closures alone, and every other module is taken from the last package.

That rests on the engine deciding a module from its closure only. Where it does not, the difference shows, and
the regeneration renders in full instead (``merge`` returns None):

- a schema in the closure but not affected is rendered as well, and its modules must come out exactly as the last
  package holds them (a schema whose rendering depends on a schema referring to it, as a discriminator's branches
  do, would not);
- a module the engine gives a name the last package gave a kept module, a class named like a kept class or
  numbered (``Item1``) where a kept class or a dropped one has the plain name: the engine numbers clashing names
  over the whole spec, which a partial run cannot see;
- every module must belong to exactly one schema: a component's class, or a class only the modules of one
  component import (an inline class); anything else records no state, and the next run renders in full.

The state is stored on this machine only (``manifest.remember``, keyed by the hash of the manifest it belongs to),
never in the repository, and a kept module is read from the output folder only when its bytes have the hash the
manifest records: a package edited by hand is rendered again, never reused.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "STATE_VERSION",
    "Composed",
    "ModuleRecord",
    "Previous",
    "RenderState",
    "Reuse",
    "SchemaGraph",
    "affected_schemas",
    "check_names",
    "closure",
    "context_key",
    "owners",
    "plan_reuse",
    "scan_schemas",
    "schema_digests",
    "state_from_json",
    "state_to_json",
]

STATE_VERSION = 1
"""The shape of the stored state; a state of another version is not read."""
_SCHEMA_REF = "#/components/schemas/"
_NUMBERED = re.compile(r"^(.*?[A-Za-z_])(\d+)$")


@dataclass(frozen=True)
class Composed:
    """One module as the project's templates laid it out (before formatting): its text, the classes it defines,
    the package modules it imports (besides the regex constants and the JSON-values checks), the regex constants
    it imports and whether it uses the JSON-values checks."""

    text: str
    classes: tuple[str, ...]
    imports: frozenset[str]
    patterns: tuple[str, ...]
    checks: bool


@dataclass(frozen=True)
class ModuleRecord:
    """What the package's ``__init__`` and the next regeneration need of one module besides its text."""

    owner: str
    classes: tuple[str, ...]
    patterns: tuple[str, ...]
    checks: bool


@dataclass(frozen=True)
class RenderState:
    """What one rendering leaves for the next: its context key, a digest of each schema's engine input, and a
    record of each module."""

    key: str
    schemas: dict[str, str]
    modules: dict[str, ModuleRecord]
    kept: int = field(default=0, compare=False)
    """How many of the modules were kept from the last package (not stored)."""


@dataclass(frozen=True)
class Previous:
    """The last rendering into the output folder: its state, and ``read``, which gives a module's text as the
    folder holds it, or None when its bytes are not the ones the manifest records."""

    state: RenderState
    read: Callable[[str], str | None]


@dataclass(frozen=True)
class Reuse:
    """A partial regeneration: the schemas whose modules are rendered again (``affected``), the schemas the engine
    is run on (``subset``: their closure), and the modules kept from the last package (``kept``)."""

    affected: frozenset[str]
    subset: frozenset[str]
    kept: dict[str, ModuleRecord] = field(default_factory=dict)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def schema_digests(schemas: dict[str, Any]) -> dict[str, str]:
    """A digest of each schema's engine input. Pickled, not JSON: equal bytes mean equal values of equal types in
    equal order (property order decides field order); two equal values may still differ in bytes (shared
    objects), which only costs a rendering."""
    return {name: _digest(pickle.dumps(schema, protocol=5)) for name, schema in schemas.items()}


def context_key(
    engine_input: dict[str, Any], toolchain: str, aliases: dict[str, str], source: str, into_paths: bool
) -> str:
    """The digest of everything besides the schemas that decides the modules' text. The engine renders component
    schemas only (its default scope): the operations under ``paths`` count only when a component refers into
    them (``into_paths``: a schema does, ``SchemaGraph``; normalise has already made their inline schemas
    components)."""
    components = {k: v for k, v in (engine_input.get("components") or {}).items() if k != "schemas"}
    rest = {k: v for k, v in engine_input.items() if k not in ("components", "paths")}
    if into_paths or _scan(components).into_paths:
        rest["paths"] = engine_input.get("paths")
    payload = (STATE_VERSION, toolchain, rest, components, sorted(aliases.items()), source)
    return _digest(pickle.dumps(payload, protocol=5))


def _schema_name(ref: str) -> str:
    return ref[len(_SCHEMA_REF) :].split("/")[0].replace("~1", "/").replace("~0", "~")


@dataclass
class _Scan:
    """What one walk of a schema finds: the schemas it refers to, whether a reference leaves the document or
    points into ``paths``, the schema objects that hold a discriminator, and the schemas an ``allOf`` extends."""

    refs: set[str] = field(default_factory=set)
    external: bool = False
    into_paths: bool = False
    holders: list[dict[str, Any]] = field(default_factory=list)
    parents: set[str] = field(default_factory=set)
    size: int = 0


def _scan(node: Any) -> _Scan:
    found = _Scan()
    stack = [node]
    while stack:
        item = stack.pop()
        found.size += 1
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                if ref.startswith(_SCHEMA_REF):
                    found.refs.add(_schema_name(ref))
                elif ref.startswith("#/paths"):
                    found.into_paths = True
                elif not ref.startswith("#"):
                    found.external = True
            if isinstance(item.get("discriminator"), dict):
                found.holders.append(item)
            members = item.get("allOf")
            if isinstance(members, list):
                for member in members:
                    parent = member.get("$ref") if isinstance(member, dict) else None
                    if isinstance(parent, str) and parent.startswith(_SCHEMA_REF):
                        found.parents.add(_schema_name(parent))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _mapped(discriminator: dict[str, Any]) -> set[str]:
    """The schema names a discriminator's ``mapping`` names (a reference or a bare schema name)."""
    mapping = discriminator.get("mapping")
    values = mapping.values() if isinstance(mapping, dict) else ()
    return {_schema_name(v) if v.startswith(_SCHEMA_REF) else v for v in values if isinstance(v, str)}


@dataclass(frozen=True)
class SchemaGraph:
    """``edges``: the names each schema's rendering depends on (present or not); ``into_paths``: whether a schema
    refers into ``paths``; ``sizes``: how many values each schema holds (what the engine's work on it grows with)."""

    edges: dict[str, frozenset[str]]
    into_paths: bool
    sizes: dict[str, int] = field(default_factory=dict)


def scan_schemas(schemas: dict[str, Any]) -> SchemaGraph | None:
    """What each schema's rendering depends on, or None when a reference leaves the document: the schemas it
    refers to, the schemas holding a discriminator over it (the engine writes the tag of each branch of a
    discriminated union into the branch's class, as a ``Literal``) and, for a schema holding a discriminator, the
    schemas that extend it with ``allOf`` (the engine registers them as its subtypes). One walk of each schema."""
    scans = {name: _scan(schema) for name, schema in schemas.items()}
    if any(scan.external for scan in scans.values()):
        return None
    graph: dict[str, set[str]] = {name: set(scan.refs) for name, scan in scans.items()}
    holders = {name for name, scan in scans.items() if scan.holders}
    for name, scan in scans.items():
        for holder in scan.holders:
            branches = _mapped(holder["discriminator"]) | _scan(holder).refs
            for branch in branches:
                graph.setdefault(branch, set()).add(name)
        for parent in scan.parents & holders:
            graph[parent].add(name)
    edges = {name: frozenset(targets - {name}) for name, targets in graph.items() if name in schemas}
    sizes = {name: scan.size for name, scan in scans.items()}
    return SchemaGraph(edges, any(scan.into_paths for scan in scans.values()), sizes)


def closure(graph: dict[str, frozenset[str]], names: Iterable[str]) -> frozenset[str]:
    """``names`` and every schema they refer to, directly or not (names with no schema are left out)."""
    seen: set[str] = set()
    stack = [n for n in names if n in graph]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(n for n in graph[name] if n in graph and n not in seen)
    return frozenset(seen)


def affected_schemas(graph: dict[str, frozenset[str]], changed: set[str]) -> frozenset[str]:
    """The schemas whose closure holds a changed name (a changed, added or removed schema)."""
    referrers: dict[str, set[str]] = {}
    for name, targets in graph.items():
        for target in targets:
            referrers.setdefault(target, set()).add(name)
    seen: set[str] = set()
    stack = list(changed)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(referrers.get(name, ()))
    return frozenset(n for n in seen if n in graph)


def plan_reuse(
    previous: RenderState, key: str, digests: dict[str, str], graph: dict[str, frozenset[str]]
) -> Reuse | None:
    """What to render again and what to keep, or None when nothing can be kept (another context)."""
    if previous.key != key:
        return None
    changed = {n for n in digests.keys() | previous.schemas.keys() if digests.get(n) != previous.schemas.get(n)}
    affected = affected_schemas(graph, changed)
    subset = closure(graph, affected)
    kept = {m: r for m, r in previous.modules.items() if r.owner in digests and r.owner not in affected}
    return Reuse(affected, subset, kept)


def owners(modules: dict[str, Composed], schemas: Iterable[str]) -> dict[str, str] | None:
    """The schema each module belongs to, or None when one belongs to none or to several: a component's module
    belongs to it, and a module only modules of one component import (transitively) belongs to that component."""
    names = set(schemas)
    module_of: dict[str, str] = {}
    found: dict[str, str] = {}
    for module, composed in modules.items():
        for name in composed.classes:
            module_of.setdefault(name, module)
            if name in names:
                found[module] = name
    if len(set(found.values())) != len(found):
        return None
    roots = set(found)
    for root in sorted(roots):
        stack = [i for i in modules[root].imports if i not in roots]
        while stack:
            module = stack.pop()
            if module not in modules:
                return None
            owner = found.get(module)
            if owner == found[root]:
                continue
            if owner is not None:
                return None
            found[module] = found[root]
            stack.extend(i for i in modules[module].imports if i not in roots)
    return found if len(found) == len(modules) else None


def check_names(
    new: dict[str, Composed], new_owners: dict[str, str], kept: dict[str, ModuleRecord], dropped: Iterable[str]
) -> bool:
    """True when the engine's naming over the whole spec could not have told apart the modules kept and those
    rendered again (``new``): no module name and no class name in both, and no class the engine named (an inline
    one: a schema's own class is named by normalise, over the whole spec) numbered where its plain name is a class
    anywhere, kept, rendered again or dropped (``dropped``: the classes of the modules not kept)."""
    kept_classes = {c for r in kept.values() for c in r.classes}
    new_classes = {c for m in new.values() for c in m.classes}
    if kept.keys() & new.keys() or kept_classes & new_classes:
        return False
    engine_named = {c for m, r in kept.items() for c in r.classes if c != r.owner}
    engine_named |= {c for m, composed in new.items() for c in composed.classes if c != new_owners.get(m)}
    everywhere = kept_classes | new_classes | set(dropped)
    for name in engine_named:
        numbered = _NUMBERED.match(name)
        if numbered and numbered.group(1) in everywhere:
            return False
    return True


def state_to_json(state: RenderState) -> dict[str, Any]:
    """The state as JSON data."""
    return {
        "version": STATE_VERSION,
        "key": state.key,
        "schemas": state.schemas,
        "modules": {
            module: [r.owner, list(r.classes), list(r.patterns), r.checks]
            for module, r in sorted(state.modules.items())
        },
    }


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def state_from_json(data: Any) -> RenderState | None:
    """The state held by ``data``, or None for anything malformed (it is read from a file)."""
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return None
    key, schemas, modules = data.get("key"), data.get("schemas"), data.get("modules")
    if not isinstance(key, str) or not isinstance(schemas, dict) or not isinstance(modules, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in schemas.items()):
        return None
    records = {}
    for module, row in modules.items():
        if not (isinstance(module, str) and isinstance(row, list) and len(row) == 4):
            return None
        owner, classes, patterns, checks = row
        classes, patterns = _strings(classes), _strings(patterns)
        if not isinstance(owner, str) or classes is None or patterns is None or not isinstance(checks, bool):
            return None
        records[module] = ModuleRecord(owner, classes, patterns, checks)
    return RenderState(key, schemas, records)
