"""The effect of a spec change on the generated Python API: classes, fields, defaults, constraints, members.

Both packages are read as source (``ast``), never imported: what a user of the package will notice is the public
surface — class names and bases, field annotations and ``Field(...)`` arguments, validators, enum members.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

__all__ = ["BREAKING_SUFFIXES", "ApiChange", "api_level", "api_surface", "diff_api"]

# A Python API change whose id ends so breaks code written against the old package: it is ERR, like a spec change
# that breaks a client, and makes the suggested bump major.
BREAKING_SUFFIXES = ("removed", "retyped")


def api_level(change_id: str) -> str:
    """The level of a Python API change: ERR when code using the old package breaks, INFO otherwise."""
    return "ERR" if change_id.endswith(BREAKING_SUFFIXES) else "INFO"


@dataclass(frozen=True)
class ApiChange:
    """One change of the generated Python API."""

    id: str
    message: str

    @property
    def level(self) -> str:
        """ERR for removed or retyped names (code written against the old package breaks), INFO otherwise."""
        return api_level(self.id)

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "level": self.level, "message": self.message}


# class name → {"bases": str, "doc": str, "fields": {name: (annotation, {arg: value})}, "members": {...}, ...}
Surface = dict[str, dict[str, object]]


def _field_args(value: ast.expr | None) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
        return {kw.arg or "**": ast.unparse(kw.value) for kw in value.keywords if kw.arg != "description"}
    return {"default": ast.unparse(value)}


def api_surface(files: dict[str, str]) -> Surface:
    """The public surface of a generated package, from its module sources."""
    surface: Surface = {}
    for name, text in sorted(files.items()):
        if not name.endswith(".py"):
            continue
        for node in ast.parse(text).body:
            if not isinstance(node, ast.ClassDef):
                continue
            fields: dict[str, tuple[str, dict[str, str]]] = {}
            members: dict[str, str] = {}
            validators: list[str] = []
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    fields[item.target.id] = (ast.unparse(item.annotation), _field_args(item.value))
                elif isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    members[item.targets[0].id] = ast.unparse(item.value)
                elif isinstance(item, ast.FunctionDef):
                    validators.append(item.name)
            surface[node.name] = {
                "bases": ", ".join(ast.unparse(b) for b in node.bases),
                "doc": ast.get_docstring(node) or "",
                "fields": fields,
                "members": members,
                "validators": validators,
            }
    return surface


def diff_api(old: Surface, new: Surface) -> list[ApiChange]:
    """What changed between two package surfaces, as a user of the package would notice it."""
    changes: list[ApiChange] = []
    for name in sorted(set(new) - set(old)):
        changes.append(ApiChange("class-added", f"class {name} added"))
    for name in sorted(set(old) - set(new)):
        changes.append(ApiChange("class-removed", f"class {name} removed"))
    for name in sorted(set(old) & set(new)):
        before, after = old[name], new[name]
        if before["bases"] != after["bases"]:
            changes.append(ApiChange("class-bases-retyped", f"{name}: bases {before['bases']} → {after['bases']}"))
        if before["doc"] != after["doc"]:
            changes.append(ApiChange("docstring-changed", f"{name}: docstring changed"))
        old_fields = before["fields"]
        new_fields = after["fields"]
        assert isinstance(old_fields, dict) and isinstance(new_fields, dict)
        for field in new_fields:
            if field not in old_fields:
                annotation, args = new_fields[field]
                kind = "field-added-optional" if args else "field-added-required"
                changes.append(ApiChange(kind, f"{name}.{field}: {annotation} added"))
        for field in old_fields:
            if field not in new_fields:
                changes.append(ApiChange("field-removed", f"{name}.{field} removed"))
                continue
            (old_type, old_args), (new_type, new_args) = old_fields[field], new_fields[field]
            if old_type != new_type:
                changes.append(ApiChange("field-retyped", f"{name}.{field}: {old_type} → {new_type}"))
            for arg in sorted(set(old_args) | set(new_args)):
                if old_args.get(arg) != new_args.get(arg):
                    kind = "field-default-changed" if arg.startswith("default") else "field-constraint-changed"
                    shown = f"{arg}={old_args.get(arg, '—')} → {arg}={new_args.get(arg, '—')}"
                    changes.append(ApiChange(kind, f"{name}.{field}: {shown}"))
        for kind, label in (("members", "member"), ("validators", "validator")):
            old_items, new_items = before[kind], after[kind]
            assert isinstance(old_items, (dict, list)) and isinstance(new_items, (dict, list))
            for item in new_items:
                if item not in old_items:
                    changes.append(ApiChange(f"{label}-added", f"{name}.{item} {label} added"))
            for item in old_items:
                if item not in new_items:
                    changes.append(ApiChange(f"{label}-removed", f"{name}.{item} {label} removed"))
    return changes
