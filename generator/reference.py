"""Reference documentation of the generated models, read from the generated code itself (so it cannot drift).

Classes with their bases and docstrings; fields with their wire name, type, default, constraints and the spec's
description; model validators with their docstrings; enum members with their values.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass, field

__all__ = ["ClassDoc", "FieldDoc", "PackageFacts", "document_package", "read_package"]

# Modules of run-time helpers the package's models use, not models: their classes are not documented.
_HELPER_MODULES = frozenset({"_json_values"})


@dataclass
class FieldDoc:
    name: str
    annotation: str
    default: str
    constraints: list[str]
    description: str
    alias: str | None


@dataclass
class ClassDoc:
    name: str
    module: str
    bases: str
    docstring: str
    fields: list[FieldDoc] = field(default_factory=list)
    validators: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)


def _literal(node: ast.expr) -> str:
    try:
        return repr(ast.literal_eval(node))
    except ValueError:
        return ast.unparse(node)


def _field(item: ast.AnnAssign, pending: list[tuple[list[str], int, str]]) -> FieldDoc:
    """One field's documentation; a constraint whose value is a bare name is appended to ``pending`` (the list,
    its index, the name), to be shown with the constant's value once every module's constants are known."""
    assert isinstance(item.target, ast.Name)
    default, description, alias = "required", "", None
    constraints: list[str] = []
    value = item.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
        for keyword in value.keywords:
            if keyword.arg == "default":
                default = _literal(keyword.value)
            elif keyword.arg == "default_factory":
                default = {"list": "[]", "dict": "{}"}.get(
                    ast.unparse(keyword.value), f"{ast.unparse(keyword.value)}()"
                )
            elif keyword.arg == "description":
                description = str(ast.literal_eval(keyword.value))
            elif keyword.arg == "alias":
                alias = str(ast.literal_eval(keyword.value))
            elif keyword.arg:
                shown = ast.unparse(keyword.value)
                if isinstance(keyword.value, ast.Name):
                    pending.append((constraints, len(constraints), shown))
                constraints.append(f"{keyword.arg}={shown}")
    elif value is not None:
        default = _literal(value)
    return FieldDoc(item.target.id, ast.unparse(item.annotation), default, constraints, description, alias)


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module-level string constants (the named regexes) of one module."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found[node.targets[0].id] = value.value
    return found


_STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case)


def _imports(tree: ast.Module) -> list[tuple[str, str, int]]:
    """Every import of a module, in ``ast.walk``'s order: (module, imported name or ``""``, level).

    The walk goes breadth first through statements (and the handlers and cases that hold statements) only: no
    expression holds a statement, so the imports come in the order a walk of every node would meet them."""
    found: list[tuple[str, str, int]] = []
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, _STATEMENT_HOLDERS))
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name, node.level) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "", 0) for alias in node.names]
    return found


@dataclass
class PackageFacts:
    """What the distribution files read from a generated package's code, each module parsed once: the
    documented classes, sorted by name, and the imports of each module (path → imports, in walk order)."""

    classes: list[ClassDoc]
    imports: dict[str, list[tuple[str, str, int]]]


def read_package(files: dict[str, str]) -> PackageFacts:
    """Parse each module of a generated package once, for its reference documentation and its imports."""
    constants_of: dict[str, dict[str, str]] = {}
    pending: list[tuple[list[str], int, str]] = []
    docs: dict[str, ClassDoc] = {}
    imports: dict[str, list[tuple[str, str, int]]] = {}
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        tree = ast.parse(text)
        constants_of[path] = _constants(tree)
        imports[path] = _imports(tree)
        if path.endswith("__init__.py"):
            continue
        module = path.rsplit("/", 1)[-1][:-3]
        if module in _HELPER_MODULES:
            continue
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            doc = ClassDoc(
                node.name, module, ", ".join(ast.unparse(b) for b in node.bases), ast.get_docstring(node) or ""
            )
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    doc.fields.append(_field(item, pending))
                elif isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    doc.members.append((item.targets[0].id, _literal(item.value)))
                elif isinstance(item, ast.FunctionDef):
                    doc.validators.append((item.name, ast.get_docstring(item) or ""))
            docs[node.name] = doc
    constants = {name: value for path in files if path in constants_of for name, value in constants_of[path].items()}
    for constraints, index, shown in pending:
        if shown in constants:
            constraints[index] += f" = {constants[shown]!r}"
    return PackageFacts([docs[name] for name in sorted(docs)], imports)


def document_package(files: dict[str, str]) -> list[ClassDoc]:
    """The documented classes of a generated package, sorted by name, from its module sources."""
    return read_package(files).classes
