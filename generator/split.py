"""Split: the engine's work on a spec in closed parts, one per core, put back together as one rendering would be.

It rests on what regeneration rests on (``generator.reuse``): a module's text is decided by the engine input of the
schema it belongs to and of that schema's closure, and by a context all modules share. So the schemas are
divided into parts that are each closed (a part holds every schema its schemas depend on), each part is rendered
on its own, and each module is taken from a part that rendered it. Parts overlap where closures do.

Where the premise does not hold, the difference shows, and the caller renders the spec in one piece instead
(``merge_parts`` returns None):

- every module of a part must belong to exactly one of the part's schemas (``reuse.owners``): an import cycle's
  ``_internal`` module belongs to several, and the engine names it over the whole spec;
- a module rendered by several parts must come out identical from each, for the same schema;
- a class name must be defined by one module only: the engine numbers clashing names (``Item1``) over the whole
  spec, which a part cannot see, so two parts each naming a different class ``Item`` show a clash, never a
  silent difference.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.reuse import Composed, closure, owners

__all__ = ["MIN_PART_SIZE", "merge_parts", "partition"]

MIN_PART_SIZE = 5_000
"""The fewest schema values (``SchemaGraph.sizes``) worth a part of its own, about half a second of the engine's
time on this project's measuring machine: below it, starting a process and rendering the shared closures twice
cost more than the part saves (a spec of a hundred small schemas holds about 2,500; GitHub's REST spec about
170,000)."""


def partition(
    graph: dict[str, frozenset[str]], sizes: dict[str, int], names: Iterable[str], parts: int
) -> list[frozenset[str]]:
    """``names`` (their closures included) divided into at most ``parts`` closed parts of about equal size.

    Largest closure first, each goes to the part it makes the smallest (ties: the earlier part), unless a part
    already holds it all; deterministic for one input. Fewer parts when the spec is too small to be worth them,
    and a part left smaller than ``MIN_PART_SIZE`` is joined to the smallest other one (a union of closed parts is
    closed): a spec that is one long chain of references and a few schemas beside it would otherwise start a
    process for those few, whose cost is the process, not the part."""
    everything = closure(graph, names)
    total = sum(sizes.get(n, 1) for n in everything)
    count = max(1, min(parts, total // MIN_PART_SIZE))
    if count == 1:
        return [everything] if everything else []
    closures = {name: closure(graph, [name]) for name in _tops(graph, everything)}
    weight = {name: sum(sizes.get(n, 1) for n in closed) for name, closed in closures.items()}
    held: list[set[str]] = [set() for _ in range(count)]
    loads = [0] * count
    for name in sorted(closures, key=lambda n: (-weight[n], n)):
        closed = closures[name]
        if any(closed <= part for part in held):
            continue
        added = [sum(sizes.get(n, 1) for n in closed - part) for part in held]
        best = min(range(count), key=lambda i: (loads[i] + added[i], i))
        held[best] |= closed
        loads[best] += added[best]
    kept = [part for part in held if part]
    while len(kept) > 1:
        sized = [sum(sizes.get(n, 1) for n in part) for part in kept]
        small = min(range(len(kept)), key=lambda i: (sized[i], i))
        if sized[small] >= MIN_PART_SIZE:
            break
        into = min((i for i in range(len(kept)) if i != small), key=lambda i: (sized[i], i))
        kept[into] |= kept.pop(small)
    return [frozenset(part) for part in kept]


def _tops(graph: dict[str, frozenset[str]], everything: frozenset[str]) -> frozenset[str]:
    """The schemas whose closures the partition places: those no other schema of ``everything`` refers to, and
    those none of these reach (reference cycles nothing enters). Every other schema's closure lies inside one of
    theirs, so it would land in a part already holding it all; computing only these closures keeps the partition
    linear on a long chain of references (one closure each would be quadratic: 9 million set entries on 3,000)."""
    referred = {n for name in everything for n in graph[name] if n != name}
    sources = everything - referred
    return sources | (everything - closure(graph, sources))


def merge_parts(
    rendered: list[tuple[frozenset[str], dict[str, Composed]]],
) -> tuple[dict[str, Composed], dict[str, str]] | None:
    """The modules of all parts (each: its schemas and its modules) as one rendering, with the schema each module
    belongs to; None when the parts cannot be shown to add up to one rendering (see the module's docstring)."""
    merged: dict[str, Composed] = {}
    owned: dict[str, str] = {}
    defined: dict[str, str] = {}
    for schemas, modules in rendered:
        own = owners(modules, schemas)
        if own is None:
            return None
        for module, composed in modules.items():
            if module in merged:
                if merged[module] != composed or owned[module] != own[module]:
                    return None
                continue
            for name in composed.classes:
                if defined.setdefault(name, module) != module:
                    return None
            merged[module] = composed
            owned[module] = own[module]
    return dict(sorted(merged.items())), owned
