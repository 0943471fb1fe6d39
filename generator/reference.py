"""Reference documentation of the generated models, read from the generated code itself (so it cannot drift).

Classes with their bases and docstrings; fields with their wire name, type, default, constraints and the spec's
description; model validators with their docstrings; enum members with their values.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass, field, replace

from generator.documents import collector_paused

__all__ = [
    "ClassDoc",
    "FieldDoc",
    "ModuleFacts",
    "PackageFacts",
    "combine_modules",
    "document_package",
    "read_module",
    "read_package",
    "resolve_classes",
]

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


def _literal_value(node: ast.expr) -> object:
    """``ast.literal_eval(node)``, without its walk for the common case, a constant (which it returns as is)."""
    return node.value if isinstance(node, ast.Constant) else ast.literal_eval(node)


class _Source:
    """``ast.unparse`` and the shown value of a literal for the expressions of one module, remembered by their
    source text in ``memo`` (shared by every module of one `read_package` call): an expression's tree, and so what
    ``ast.unparse`` makes of it, depends on its text alone, and a package repeats the same few annotations
    (``str | None``) and values thousands of times. In a text with a ``\r`` (a line end to the parser too) the
    memo is not used."""

    def __init__(self, text: str, memo: dict[tuple[bool, bytes], str]) -> None:
        self._memo = memo
        self._data = text.encode("utf-8")
        self._starts: list[int] | None = None
        self._plain = b"\r" not in self._data

    def _segment(self, node: ast.expr) -> bytes | None:
        """The UTF-8 source of ``node`` (the parser's offsets are UTF-8 byte offsets), None when unknown."""
        end_line, end_col = node.end_lineno, node.end_col_offset
        if not self._plain or end_line is None or end_col is None:
            return None
        if self._starts is None:
            starts, at = [0], self._data.find(b"\n")
            while at >= 0:
                starts.append(at + 1)
                at = self._data.find(b"\n", at + 1)
            self._starts = starts
        return self._data[self._starts[node.lineno - 1] + node.col_offset : self._starts[end_line - 1] + end_col]

    def _remembered(self, node: ast.expr, literal: bool) -> str:
        segment = self._segment(node)
        if segment is None:
            return self._compute(node, literal)
        key = (literal, segment)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(node, literal)
        return found

    @staticmethod
    def _compute(node: ast.expr, literal: bool) -> str:
        if literal:
            try:
                return repr(_literal_value(node))
            except ValueError:
                pass
        return ast.unparse(node)

    def unparse(self, node: ast.expr) -> str:
        """``ast.unparse(node)``."""
        return self._remembered(node, False)

    def literal(self, node: ast.expr) -> str:
        """The ``repr`` of a literal, else its source as ``ast.unparse`` writes it."""
        return self._remembered(node, True)


def _field(item: ast.AnnAssign, source: _Source, named: list[tuple[int, str]]) -> FieldDoc:
    """One field's documentation; a constraint whose value is a bare name is appended to ``named`` (its index,
    the name), to be shown with the constant's value once every module's constants are known."""
    assert isinstance(item.target, ast.Name)
    default, description, alias = "required", "", None
    constraints: list[str] = []
    value = item.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
        for keyword in value.keywords:
            if keyword.arg == "default":
                default = source.literal(keyword.value)
            elif keyword.arg == "default_factory":
                factory = source.unparse(keyword.value)
                default = {"list": "[]", "dict": "{}"}.get(factory, f"{factory}()")
            elif keyword.arg == "description":
                description = str(_literal_value(keyword.value))
            elif keyword.arg == "alias":
                alias = str(_literal_value(keyword.value))
            elif keyword.arg:
                shown = source.unparse(keyword.value)
                if isinstance(keyword.value, ast.Name):
                    named.append((len(constraints), shown))
                constraints.append(f"{keyword.arg}={shown}")
    elif value is not None:
        default = source.literal(value)
    return FieldDoc(item.target.id, source.unparse(item.annotation), default, constraints, description, alias)


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
# The nodes with lists of statements (or of the handlers and cases that hold them); any other statement holds only
# expressions, so it is a leaf of the walk below.
_COMPOUND = (
    ast.Module,
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
    ast.excepthandler,
    ast.match_case,
)


def _imports(tree: ast.Module) -> list[tuple[str, str, int]]:
    """Every import of a module, in ``ast.walk``'s order: (module, imported name or ``""``, level).

    The walk goes breadth first through statements (and the handlers and cases that hold statements) only: no
    expression holds a statement, so the imports come in the order a walk of every node would meet them."""
    found: list[tuple[str, str, int]] = []
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        if isinstance(node, _COMPOUND):
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    todo.extend(item for item in value if isinstance(item, _STATEMENT_HOLDERS))
        elif isinstance(node, ast.ImportFrom):
            if node.module:
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


@dataclass(frozen=True)
class ModuleFacts:
    """What one module contributes to `PackageFacts`, a function of its path and text alone (`read_module`):
    its string constants, its imports, its documented classes, and ``named``, the constraints whose value is a bare
    name (class index, field index, constraint index, name), shown with the constant's value once every module's
    constants are known (`combine_modules`, which leaves these facts as they are)."""

    constants: dict[str, str]
    imports: list[tuple[str, str, int]]
    classes: list[ClassDoc]
    named: list[tuple[int, int, int, str]]


def read_module(path: str, text: str, memo: dict[tuple[bool, bytes], str] | None = None) -> ModuleFacts:
    """Parse one module of a generated package (``path`` relative to the package, ``text`` its source).

    ``memo``: shared by the modules of one package, it remembers what the same expression text unparses to."""
    tree = ast.parse(text)
    constants, imports = _constants(tree), _imports(tree)
    classes: list[ClassDoc] = []
    named: list[tuple[int, int, int, str]] = []
    module = path.rsplit("/", 1)[-1][:-3]
    if path.endswith("__init__.py") or module in _HELPER_MODULES:
        return ModuleFacts(constants, imports, classes, named)
    source = _Source(text, {} if memo is None else memo)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        doc = ClassDoc(
            node.name, module, ", ".join(source.unparse(b) for b in node.bases), ast.get_docstring(node) or ""
        )
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                found: list[tuple[int, str]] = []
                doc.fields.append(_field(item, source, found))
                named += [(len(classes), len(doc.fields) - 1, index, name) for index, name in found]
            elif isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                doc.members.append((item.targets[0].id, source.literal(item.value)))
            elif isinstance(item, ast.FunctionDef):
                doc.validators.append((item.name, ast.get_docstring(item) or ""))
        classes.append(doc)
    return ModuleFacts(constants, imports, classes, named)


def resolve_classes(facts: ModuleFacts, constants: dict[str, str]) -> list[ClassDoc]:
    """The documented classes of one module, a constraint naming one of ``constants`` showing its value; ``facts``
    is not changed (a class with such a constraint is copied)."""
    classes = list(facts.classes)
    for class_index, field_index, index, name in facts.named:
        if name not in constants:
            continue
        doc = classes[class_index]
        if doc is facts.classes[class_index]:  # the first change of this class: copy it
            doc = classes[class_index] = replace(doc, fields=list(doc.fields))
        if doc.fields[field_index] is facts.classes[class_index].fields[field_index]:
            doc.fields[field_index] = replace(
                doc.fields[field_index], constraints=list(doc.fields[field_index].constraints)
            )
        doc.fields[field_index].constraints[index] += f" = {constants[name]!r}"
    return classes


def combine_modules(modules: dict[str, ModuleFacts]) -> PackageFacts:
    """The facts of a package from those of its modules (path → facts, in the order of the package's files: a
    constant defined twice takes the later value). A class named twice is documented from the module whose path
    sorts last. A constraint naming a constant shows its value (`resolve_classes`)."""
    constants = {name: value for facts in modules.values() for name, value in facts.constants.items()}
    docs: dict[str, ClassDoc] = {}
    for path in sorted(modules):
        for doc in resolve_classes(modules[path], constants):
            docs[doc.name] = doc
    return PackageFacts(
        [docs[name] for name in sorted(docs)], {path: modules[path].imports for path in sorted(modules)}
    )


def read_package(files: dict[str, str]) -> PackageFacts:
    """Parse each module of a generated package once, for its reference documentation and its imports."""
    memo: dict[tuple[bool, bytes], str] = {}
    with collector_paused():
        modules = {path: read_module(path, text, memo) for path, text in files.items() if path.endswith(".py")}
        return combine_modules(modules)


def document_package(files: dict[str, str]) -> list[ClassDoc]:
    """The documented classes of a generated package, sorted by name, from its module sources."""
    return read_package(files).classes
