"""Reference documentation of the generated models, read from the generated code itself (so it cannot drift).

Classes with their bases and docstrings; fields with their wire name, type, default, constraints and the spec's
description; model validators with their docstrings; enum members with their values.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

__all__ = ["ClassDoc", "FieldDoc", "document_package"]


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


def _field(item: ast.AnnAssign, constants: dict[str, str]) -> FieldDoc:
    assert isinstance(item.target, ast.Name)
    default, constraints, description, alias = "required", [], "", None
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
                if shown in constants:
                    shown = f"{shown} = {constants[shown]!r}"
                constraints.append(f"{keyword.arg}={shown}")
    elif value is not None:
        default = _literal(value)
    return FieldDoc(item.target.id, ast.unparse(item.annotation), default, constraints, description, alias)


def _constants(files: dict[str, str]) -> dict[str, str]:
    """Module-level string constants (the named regexes) of a package."""
    found: dict[str, str] = {}
    for path, text in files.items():
        if path.endswith(".py"):
            for node in ast.parse(text).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    value = node.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found[node.targets[0].id] = value.value
    return found


def document_package(files: dict[str, str]) -> list[ClassDoc]:
    """The documented classes of a generated package, sorted by name, from its module sources."""
    constants = _constants(files)
    docs: dict[str, ClassDoc] = {}
    for path, text in sorted(files.items()):
        if not path.endswith(".py") or path.endswith("__init__.py"):
            continue
        module = path.rsplit("/", 1)[-1][:-3]
        for node in ast.parse(text).body:
            if not isinstance(node, ast.ClassDef):
                continue
            doc = ClassDoc(
                node.name, module, ", ".join(ast.unparse(b) for b in node.bases), ast.get_docstring(node) or ""
            )
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    doc.fields.append(_field(item, constants))
                elif isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    doc.members.append((item.targets[0].id, _literal(item.value)))
                elif isinstance(item, ast.FunctionDef):
                    doc.validators.append((item.name, ast.get_docstring(item) or ""))
            docs[node.name] = doc
    return [docs[name] for name in sorted(docs)]
