"""Render: the engine's input document and plan → the files of the generated package, as text, in memory.

datamodel-code-generator (used as a library) resolves types, names, imports and enum members and renders each
class with the project's overriding templates (``templates/datamodel/``). The project's own templates
(``templates/package/``) then lay out each module: header, module docstring, imports, the class. A large spec
is rendered in closed parts side by side, one per core (``generator.split``), and put back together.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import keyword
import re
import sys
import tokenize
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType, ModuleSplitMode

from generator.config import ENGINE_OPTIONS, TEMPLATES_DIR
from generator.documents import collector_on_new_objects, collector_paused
from generator.errors import CodegenError
from generator.formatting import format_modules
from generator.manifest import toolchain_fingerprint
from generator.normalise import Plan
from generator.reference import ModuleFacts, read_module
from generator.reference_page import Read
from generator.reuse import (
    Composed,
    ModuleRecord,
    Previous,
    RenderState,
    SchemaGraph,
    check_names,
    context_key,
    owners,
    plan_reuse,
    scan_schemas,
    schema_digests,
)
from generator.split import merge_parts, partition
from generator.templating import COMPILED, compile_all
from generator.workers import can_fork, run_side_by_side, usable_cores

__all__ = ["Rendered", "compile_package_templates", "docstring_literal", "load_engine", "render_package"]

# Names the project's templates use, and where they come from.
_PROVIDERS: dict[str, tuple[str, int]] = {
    "Annotated": ("typing", 0),
    "Any": ("typing", 0),
    "Self": ("typing", 0),
    "Enum": ("enum", 0),
    "Field": ("pydantic", 0),
    "model_validator": ("pydantic", 0),
    # The package's own module of run-time checks, imported as a module: `_json_values.Const(...)`.
    "_json_values": ("", 1),
}
_PATTERNS_MODULE = "_patterns"
_JSON_VALUES_MODULE = "_json_values"
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Finished:
    """A module as the package holds it (formatted), and what the reference page reads from that text."""

    text: str
    facts: ModuleFacts


_Part = tuple[frozenset[str], dict[str, Composed], dict[str, Finished]]
"""What a part rendered: its schemas, its modules laid out, and the same modules formatted and read."""


@dataclass(frozen=True)
class Rendered:
    """The package's files (relative path → text), what the next rendering can reuse (None when not kept or not
    recordable), and the modules whose reference facts are already read (path → the text read and its facts), so
    the reference page (``generator.reference_page``) need not parse them again."""

    files: dict[str, str]
    state: RenderState | None
    read: Read


# What the audit of the engine's output accepts: the code the templates write is classes of annotated fields,
# `Field(...)` calls, literals and model validators, importing from these modules and using these builtins only.
_IMPORTABLE = frozenset(
    {
        "__future__",
        "annotated_types",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "ipaddress",
        "pathlib",
        "pydantic",
        "re",
        "typing",
        "typing_extensions",
        "uuid",
    }
)
_BUILTINS = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "set", "frozenset", "tuple", "type", "object"}
    | {"sum", "len", "any", "all", "ValueError", "TypeError"}
)
_STATEMENTS_IN_MODULES = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Expr)
_STATEMENTS_IN_CLASSES = (ast.Assign, ast.AnnAssign, ast.Expr, ast.Pass, ast.FunctionDef)
_STATEMENTS_IN_FUNCTIONS = (ast.Expr, ast.If, ast.Raise, ast.Return)


def docstring_literal(text: str | None) -> str:
    """A triple-quoted literal whose value is ``text`` (stripped): every backslash, double quote and control
    character is escaped, so nothing in the text can end the literal."""
    text = (text or "").strip()
    out = []
    for char in text.replace("\\", "\\\\").replace('"', '\\"'):
        if char == "\n" or char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    body = "".join(out)
    if "\n" in body:
        first, _, rest = body.partition("\n")
        return f'"""{first}\n{rest}\n"""'
    return f'"""{body}"""'


def import_line(module: str, names: list[str], limit: int = 88) -> str:
    """``from module import a, b`` on one line, or wrapped one name per line as formatters do past ``limit``."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= limit:
        return line
    inner = "".join(f"    {name},\n" for name in names)
    return f"from {module} import (\n{inner})"


def _natural(text: str, fold_case: bool = True) -> tuple[tuple[str, int], ...]:
    """Natural order, digit runs compared as numbers (``Slug2`` before ``Slug10``): isort sorts imports so, case
    folded (``GET_APIKEY_R`` before ``GET_APIKEYS_R``); ruff's RUF022 sorts ``__all__`` so, case kept."""
    chunks = _DIGITS.split(text.lower() if fold_case else text)
    return tuple((chunk, 0) if index % 2 == 0 else ("", int(chunk)) for index, chunk in enumerate(chunks))


_DIGITS = re.compile(r"(\d+)")


def _all_order(name: str, fold_case: bool = False) -> tuple[int, tuple[tuple[str, int], ...], str]:
    """isort's order for ``__all__`` (and, case folded, for the names of one import): CONSTANTS (two characters or
    more), then Classes, then functions, each in natural order."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, _natural(name, fold_case), name)


def _import_order(name: str) -> tuple[int, tuple[tuple[str, int], ...], str]:
    return _all_order(name, fold_case=True)


def _pattern_constants(patterns: dict[str, str]) -> list[tuple[str, str]]:
    """``(name, expression)`` per regex constant, in name order: the literal (``repr``) the first time a regex
    occurs, then the name that holds it, so a regex shared by several constants is written once."""
    first: dict[str, str] = {}
    constants = []
    for name, regex in sorted(patterns.items()):
        constants.append((name, first[regex] if regex in first else repr(regex)))
        first.setdefault(regex, name)
    return constants


def _safe_comment(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "package"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=COMPILED,
    )
    env.filters["docstring"] = docstring_literal
    env.filters["pyrepr"] = repr
    return env


def compile_package_templates() -> None:
    """Compile the package templates ahead of use (`generator.templating.compile_all`)."""
    compile_all(_environment())


def _without_warnings(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with Python warnings silenced. The engine's UserWarnings (an unknown ``format``, read as a
    plain string) name its own files under site-packages and would reach the user's terminal; what they report
    is already how the output reads, so they are dropped."""

    def run(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args, **kwargs)

    return run


_ENGINE_MODULES = (
    "datamodel_code_generator.config",
    "datamodel_code_generator.parser.openapi",
    "datamodel_code_generator.model.pydantic_v2",
)
"""The engine's modules that its `generate` imports on its first call (about 0.2 s, most of a small spec's run)."""


def load_engine() -> None:
    """Import what the engine's first call would, ahead of it: while another process reads the spec
    (`generator.pipeline`). Only a matter of time: a module this list misses, or that an engine release moved, is
    imported (or reported) by the call itself."""
    for name in _ENGINE_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _run_engine(
    engine_input: dict[str, Any], file: str | Path, aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Run datamodel-code-generator; return ``{module name: code}`` (``aliases``: wire name → attribute name)."""
    try:
        with collector_on_new_objects():
            result = _without_warnings(generate)(
                engine_input,
                aliases=aliases or None,
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                custom_template_dir=TEMPLATES_DIR / "datamodel",
                module_split_mode=ModuleSplitMode.Single,
                # No formatter in the engine: the package is formatted once, all modules in one ruff run, at the
                # end of `render_package` (the engine's builtin formatter lays out long annotations unlike ruff, and
                # costs more).
                formatters=[],
                # Settings files are looked up here, not in whatever directory the user runs from.
                settings_path=TEMPLATES_DIR / "datamodel",
                **ENGINE_OPTIONS,
            )
    except CodegenError:
        raise
    except Exception as exc:  # noqa: BLE001 - the engine's own errors become the spec's problem, in one line
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CodegenError(file, f"cannot generate models: {message}") from None
    if isinstance(result, str):
        return {"models": result}
    if result is None:
        return {}
    modules = {}
    for key, code in result.items():
        parts = tuple(key)
        if parts == ("__init__.py",):
            continue
        if len(parts) != 1 or not parts[0].endswith(".py"):
            raise CodegenError(file, f"unexpected nested module {'/'.join(parts)} from the engine")
        modules[parts[0][:-3]] = code
    return modules


def _walk(tree: ast.AST) -> list[ast.AST]:
    """Every node under ``tree``, in ``ast.walk``'s order (breadth first), as a list: the same walk without a
    generator per node, which is most of its cost on large modules."""
    nodes: list[ast.AST] = [tree]
    append, extend, AST = nodes.append, nodes.extend, ast.AST
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                append(value)
            elif isinstance(value, list):
                extend(item for item in value if isinstance(item, AST))
    return nodes


def _audit(tree: ast.Module, module: str, allowed: frozenset[str], file: str | Path) -> set[str]:
    """Refuse engine output that is not the shape the templates write, whatever a spec made of it; return the
    names the module reads (every ``ast.Name`` in load context), which the import layout needs.

    A second line of defence behind escaping: imports only from known modules, only statements the templates
    write (expression statements are docstrings and ``model_rebuild()``), no name that is neither bound in the
    module, imported, a known builtin nor a pattern constant (so no ``__import__``, ``eval`` or ``open``), and no
    dunder attribute.

    One walk of the tree: the names bound are collected while the nodes the later checks look at are kept in walk
    order, so that the first refusal is the one a walk per check would find.
    """

    def refuse(node: ast.AST, what: str) -> CodegenError:
        line = getattr(node, "lineno", 0)
        return CodegenError(file, f"generated module {module} (line {line}) {what}; refusing to write it")

    bound: set[str] = set()
    later: list[ast.AST] = []  # loaded names, attributes and statement holders, in walk order
    loaded: set[str] = set()
    for node in _walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.add(node.id)
                later.append(node)
            elif isinstance(node.ctx, ast.Store):
                bound.add(node.id)
        elif isinstance(node, ast.Attribute):
            later.append(node)
        elif isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)):
            later.append(node)
            if not isinstance(node, ast.Module):
                bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ImportFrom):
            top = (node.module or "").split(".")[0]
            if node.level == 0 and top not in _IMPORTABLE:
                raise refuse(node, f"imports from {node.module!r}")
            bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in _IMPORTABLE:
                    raise refuse(node, f"imports {alias.name!r}")
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.Lambda, ast.AsyncFunctionDef, ast.Global, ast.Nonlocal)):
            raise refuse(node, f"holds a {type(node).__name__} statement")
    for node in later:
        if isinstance(node, ast.Name):
            name = node.id
            if name not in bound and name not in allowed and name not in _BUILTINS and name not in _PROVIDERS:
                raise refuse(node, f"uses the unknown name {node.id!r}")
            continue
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("__"):
                raise refuse(node, f"reads the attribute {node.attr!r}")
            continue
        if isinstance(node, ast.Module):
            allowed_here: tuple[type[ast.stmt], ...] = _STATEMENTS_IN_MODULES
        elif isinstance(node, ast.ClassDef):
            allowed_here = _STATEMENTS_IN_CLASSES
        else:
            allowed_here = _STATEMENTS_IN_FUNCTIONS
        assert isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        stray = [n for n in node.body if not isinstance(n, allowed_here) or not _plain_expression(n)]
        if stray:
            raise refuse(stray[0], f"holds a {type(stray[0]).__name__} statement")
    return loaded


def _plain_expression(statement: ast.stmt) -> bool:
    """True unless an expression statement is more than a docstring or ``Class.model_rebuild()``."""
    if not isinstance(statement, ast.Expr) or isinstance(statement.value, ast.Constant):
        return True
    call = statement.value
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.attr == "model_rebuild"
        and not call.args
        and not call.keywords
    )


def _declared_exports(body: list[ast.stmt]) -> list[str]:
    """The names a module's ``__all__ = [...]`` lists (the engine writes one in modules that only re-export)."""
    names: list[str] = []
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            if isinstance(node.value, (ast.List, ast.Tuple)):
                names += [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return names


def _import_groups(
    tree: ast.Module, body: list[ast.stmt], local_names: frozenset[str], loaded: set[str]
) -> list[list[str]]:
    """The imports a module needs: the engine's, plus what the project's templates use, minus what is unused.

    A name the module lists in ``__all__`` is used: it is a re-export (a class the engine moved into
    ``_internal`` to break an import cycle), and dropping its import would leave ``__all__`` unresolvable.
    ``loaded`` is every name the module reads (import statements hold none, so these are the body's)."""
    used = loaded | set(_declared_exports(body))
    wanted: dict[tuple[int, str], set[str]] = {}
    plain: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == "__future__" or bound in used:
                    text = alias.name if not alias.asname else f"{alias.name} as {alias.asname}"
                    wanted.setdefault((node.level, node.module or ""), set()).add(text)
        elif isinstance(node, ast.Import):
            plain.update(a.name for a in node.names if (a.asname or a.name).split(".")[0] in used)
    bound_names = {t.split(" as ")[-1] for names in wanted.values() for t in names}
    for name in sorted(used - bound_names):
        if name in _PROVIDERS:
            module, level = _PROVIDERS[name]
            wanted.setdefault((level, module), set()).add(name)
        elif name in local_names:
            wanted.setdefault((1, _PATTERNS_MODULE), set()).add(name)
    groups: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    for name in sorted(plain):
        groups[1].append(f"import {name}")
    for (level, module), names in sorted(wanted.items()):
        top = module.split(".")[0]
        rank = 0 if module == "__future__" else 3 if level else 1 if top in sys.stdlib_module_names else 2
        # isort's default: an `import x as y` stands on its own line, the plain names share one.
        plain_names = sorted((n for n in names if " as " not in n), key=_import_order)
        for chunk in [plain_names] * bool(plain_names) + [[n] for n in sorted(names) if " as " in n]:
            groups[rank].append(import_line(f"{'.' * level}{module}", chunk))
    return [sorted(lines, key=_line_order) for _, lines in sorted(groups.items()) if lines]


def _line_order(line: str) -> tuple[bool, tuple[tuple[str, int], ...], str]:
    """isort's order of import lines in a group: by module in natural order (``for_rule`` before ``for_rule2``)."""
    keyword_name, module = line.split()[:2]
    return (keyword_name != "from", _natural(module), line)


def _escape_ambiguous(code: str) -> str:
    """``code`` with every non-ASCII character that is neither a letter nor a digit (a typographic apostrophe, a
    no-break space) written as an escape in its string literals: the same value, and ``ruff check`` (RUF001, RUF002)
    passes on a description with typographic quotes. Raw and bytes literals are left as they are; code that does not
    tokenize is returned as it is (``ast.parse`` then reports it)."""
    if code.isascii():
        return code
    lines = code.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return code
    for token in tokens:
        if token.type != tokenize.STRING or token.string.isascii():
            continue
        prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
        if {"r", "b"} & set(prefix.lower()):
            continue
        text = "".join(
            c
            if c.isascii() or unicodedata.category(c)[0] in "LN"
            else f"\\u{ord(c):04x}"
            if ord(c) <= 0xFFFF
            else f"\\U{ord(c):08x}"
            for c in token.string
        )
        if text != token.string:
            (row, col), (end_row, end_col) = token.start, token.end
            edits.append((starts[row - 1] + col, starts[end_row - 1] + end_col, text))
    for begin, end, text in reversed(edits):
        code = code[:begin] + text + code[end:]
    return code


def _blank_lines_after_imports(body: list[ast.stmt]) -> int:
    """isort's gap after the imports: two before a class or function, one before anything else (a re-export
    module's ``__all__``), so that ``ruff check`` passes on every module."""
    definitions = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return 2 if body and isinstance(body[0], definitions) else 1


def _compose_module(
    env: jinja2.Environment, code: str, name: str, patterns: frozenset[str], source: str, file: str | Path
) -> Composed:
    """Lay out one engine module with the project's module template (``patterns``: the names of the pattern
    constants); return its text, classes and what it imports."""
    code = _escape_ambiguous(code)
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise CodegenError(file, f"the engine produced invalid Python for module {name}: {exc.msg}") from None
    loaded = _audit(tree, name, patterns, file)
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    classes = [n for n in body if isinstance(n, ast.ClassDef)]
    lines = code.splitlines()
    start = min((getattr(n, "decorator_list", None) or [n])[0].lineno for n in body) if body else len(lines) + 1
    docstring = ast.get_docstring(classes[0]) if classes else None
    summary = (docstring or "").strip().split("\n")[0]
    shown = [c.name for c in classes] or _declared_exports(body)
    title = f"{', '.join(shown)}" + (f": {summary}" if summary else ".")
    reexports_only = not classes and all(isinstance(n, ast.Assign) for n in body)
    text = env.get_template("module.py.jinja2").render(
        source=source,
        docstring=title,
        import_groups=_import_groups(tree, body, patterns, loaded),
        # A module that only re-exports (the engine moved its class into `_internal`) lists them as the package's
        # `__init__` does, after one blank line, as import sorters want before a statement that is no definition.
        body="\n".join(lines[start - 1 :]).strip() + "\n" if not reexports_only else "",
        reexports=_declared_exports(body) if reexports_only else [],
        blank_lines=_blank_lines_after_imports(body),
        # The engine spells a union that refers to its own class as `Optional[Union[..., "Name"]]`: it sits in a
        # class base, evaluated at import, where a quoted name cannot take `|` (nor lose its quotes). The module
        # says so to linters.
        legacy_unions=any(
            isinstance(n, ast.ImportFrom) and n.module == "typing" and {a.name for a in n.names} & {"Optional", "Union"}
            for n in tree.body
        ),
    )
    siblings = frozenset(
        n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module is not None
    )
    return Composed(
        text,
        tuple(c.name for c in classes),
        siblings - {_PATTERNS_MODULE, _JSON_VALUES_MODULE},
        tuple(sorted(loaded & patterns)),
        _JSON_VALUES_MODULE in loaded,
    )


def _package_files(
    env: jinja2.Environment, records: dict[str, ModuleRecord], plan: Plan, source: str
) -> dict[str, str]:
    """The package's files besides the class modules (not yet formatted): ``__init__`` (importing and listing every
    class of ``records``, each module's record), the regex constants and the JSON-values checks where used."""
    files: dict[str, str] = {}
    exports: list[tuple[str, list[tuple[str, str]]]] = []  # module, [(class name, exported name)]
    exported: set[str] = set()
    for module, record in sorted(records.items()):
        pairs = []
        for name in record.classes:
            # Two inline schemas can become classes of one name in two modules (each module is consistent); the
            # package exports the later one under a numbered name, as the engine numbers their modules.
            public, suffix = name, 1
            while public in exported or public in plan.patterns:
                public, suffix = f"{name}{suffix}", suffix + 1
            exported.add(public)
            pairs.append((name, public))
        if pairs:
            exports.append((module, pairs))
    if plan.patterns:
        files[f"{_PATTERNS_MODULE}.py"] = env.get_template("_patterns.py.jinja2").render(
            source=source,
            patterns=sorted(plan.patterns, key=_all_order),
            constants=_pattern_constants(plan.patterns),
        )
        exports.append((_PATTERNS_MODULE, [(name, name) for name in plan.patterns]))
    if any(record.checks for record in records.values()):
        files[f"{_JSON_VALUES_MODULE}.py"] = env.get_template(f"{_JSON_VALUES_MODULE}.py.jinja2").render(source=source)
    all_names = sorted((public for _, pairs in exports for _, public in pairs), key=_all_order)
    imports = [
        import_line(
            f".{module}",
            [
                name if name == public else f"{name} as {public}"
                for name, public in sorted(pairs, key=lambda p: _import_order(p[1]))
            ],
        )
        for module, pairs in sorted(exports, key=lambda e: _natural(e[0]))
    ]
    files["__init__.py"] = env.get_template("__init__.py.jinja2").render(
        source=source,
        docstring=plan.description or f"Models for the {plan.title} API.",
        imports=imports,
        all_names=all_names,
    )
    return files


def _compose_all(
    env: jinja2.Environment, modules: dict[str, str], plan: Plan, source: str, file: str | Path
) -> dict[str, Composed]:
    """Every engine module laid out (``_compose_module``), in module order."""
    constant_names = frozenset(plan.patterns)
    composed = {}
    for module, code in sorted(modules.items()):
        composed[module] = _compose_module(env, code, module, constant_names, source, file)
    return composed


def _with_schemas(engine_input: dict[str, Any], names: frozenset[str]) -> dict[str, Any]:
    """The engine input with only the component schemas ``names``."""
    components = engine_input["components"]
    return {
        **engine_input,
        "components": {**components, "schemas": {n: s for n, s in components["schemas"].items() if n in names}},
    }


def _graph_for_parts(schemas: dict[str, Any], jobs: int) -> SchemaGraph | None:
    """The schemas' dependency graph when the engine may run in parts (several cores, a spec worth splitting)."""
    if _cores(jobs) < 2:
        return None
    with collector_paused():
        return scan_schemas(schemas)


def _cores(jobs: int) -> int:
    """The processes the engine may run in: ``jobs`` (0: every usable core), one where forking is not available."""
    return (jobs if jobs > 0 else usable_cores()) if can_fork() else 1


def _render_modules(
    env: jinja2.Environment,
    engine_input: dict[str, Any],
    plan: Plan,
    source: str,
    file: str | Path,
    names: frozenset[str],
    graph: SchemaGraph | None,
    jobs: int,
) -> tuple[dict[str, Composed], dict[str, str] | None, dict[str, Finished]]:
    """The modules of the schemas ``names`` (closed under ``graph``) laid out, the schema each belongs to (None
    when one belongs to none or to several), and the modules already formatted and read (``Finished``). With a
    graph, several cores and a spec worth it, the engine runs on closed parts side by side (``generator.split``),
    and each part formats and reads its own modules; when the parts cannot be shown to add up to one rendering, or
    one fails, the engine runs once on everything, which also reports any error the same way every time, and
    nothing is finished yet."""
    everything = names == engine_input["components"]["schemas"].keys()
    parts = partition(graph.edges, graph.sizes, names, _cores(jobs)) if graph is not None else []
    if len(parts) > 1:

        def part_task(part: frozenset[str]) -> Callable[[], _Part | None]:
            def render() -> _Part | None:
                try:
                    modules = _run_engine(_with_schemas(engine_input, part), file, plan.field_names)
                    return part, *_compose_and_finish(env, modules, plan, source, file)
                except CodegenError:
                    return None

            return render

        rendered = run_side_by_side([part_task(part) for part in parts])
        if rendered is not None and all(r is not None for r in rendered):
            done = [r for r in rendered if r is not None]
            merged = merge_parts([(schemas, composed) for schemas, composed, _ in done])
            if merged is not None:
                finished = {m: f for _, _, part_finished in done for m, f in part_finished.items()}
                return *merged, finished
    if not names:
        return {}, {}, {}
    modules = _run_engine(engine_input if everything else _with_schemas(engine_input, names), file, plan.field_names)
    composed, finished = _lay_out(env, modules, plan, source, file, jobs)
    return composed, owners(composed, names), finished


MIN_MODULES_TO_SHARE = 2_000
"""The fewest engine modules whose layout, formatting and reading are shared among the cores when the engine ran in
one piece. The second process copies every page either process writes, which raises the peak memory above the
engine's own below about this many (1,000 synthetic schemas: 152 MiB on one core, 161-168 MiB shared, for a tenth
of a second); at 3,000 the engine's own peak is higher (350 MiB both ways), and sharing saves 0.2 s of 9.5."""


def _lay_out(
    env: jinja2.Environment, modules: dict[str, str], plan: Plan, source: str, file: str | Path, jobs: int
) -> tuple[dict[str, Composed], dict[str, Finished]]:
    """Every engine module laid out (``_compose_all``). With several cores and many modules, the modules are
    shared among the cores, and each process also formats and reads its share (``_finish``); when a process
    fails, everything is laid out here, which reports any error the same way every time."""
    cores = _cores(jobs)
    if cores < 2 or len(modules) < MIN_MODULES_TO_SHARE:
        return _compose_all(env, modules, plan, source, file), {}
    names = sorted(modules)

    def share_task(share: list[str]) -> Callable[[], tuple[dict[str, Composed], dict[str, Finished]]]:
        def lay_out() -> tuple[dict[str, Composed], dict[str, Finished]]:
            return _compose_and_finish(env, {m: modules[m] for m in share}, plan, source, file)

        return lay_out

    done = run_side_by_side([share_task(names[i::cores]) for i in range(cores)])
    if done is None:
        return _compose_all(env, modules, plan, source, file), {}
    composed = dict(sorted(item for share, _ in done for item in share.items()))
    return composed, {m: f for _, finished in done for m, f in finished.items()}


def _compose_and_finish(
    env: jinja2.Environment, modules: dict[str, str], plan: Plan, source: str, file: str | Path
) -> tuple[dict[str, Composed], dict[str, Finished]]:
    """Engine modules laid out (``_compose_all``), then formatted and read (``_finish``): a part's or a share's
    whole work after the engine, in its own process."""
    composed = _compose_all(env, modules, plan, source, file)
    return composed, _finish(composed, file)


def _finish(composed: dict[str, Composed], file: str | Path) -> dict[str, Finished]:
    """The modules of one part as the package holds them (formatted) and what the reference page reads from each:
    work on each module alone, done in the part's own process."""
    formatted = format_modules({f"{m}.py": c.text for m, c in composed.items()}, file)
    memo: dict[tuple[bool, bytes], str] = {}
    with collector_paused():
        return {m: Finished(formatted[f"{m}.py"], read_module(f"{m}.py", formatted[f"{m}.py"], memo)) for m in composed}


def _render_again(
    env: jinja2.Environment,
    engine_input: dict[str, Any],
    plan: Plan,
    source: str,
    file: str | Path,
    previous: Previous,
    state: RenderState,
    graph: SchemaGraph,
    jobs: int,
) -> Rendered | None:
    """The package, with the engine run only on the schemas a change can affect and every other module kept from
    the last package (``generator.reuse``); None when that cannot be shown to equal a full rendering."""
    reuse = plan_reuse(previous.state, state.key, state.schemas, graph.edges)
    if reuse is None:
        return None
    try:
        composed, own, finished = _render_modules(env, engine_input, plan, source, file, reuse.subset, graph, jobs)
    except CodegenError:
        return None  # the full rendering reports it
    if own is None:
        return None
    new = {m: c for m, c in composed.items() if own[m] in reuse.affected}
    again = {m: c for m, c in composed.items() if own[m] not in reuse.affected}
    if again.keys() != {m for m, r in reuse.kept.items() if r.owner in reuse.subset}:
        return None
    dropped = [c for m, r in previous.state.modules.items() if m not in reuse.kept for c in r.classes]
    if not check_names(new, own, reuse.kept, dropped):
        return None
    if any(p not in plan.patterns for r in reuse.kept.values() for p in r.patterns):
        return None
    kept_texts = {}
    with collector_paused():  # thousands of strings, no cycles
        for module in reuse.kept:
            text = previous.read(module)
            if text is None:
                return None
            kept_texts[f"{module}.py"] = text
    records = {**reuse.kept, **{m: ModuleRecord(own[m], c.classes, c.patterns, c.checks) for m, c in new.items()}}
    package = _package_files(env, records, plan, source)
    formatted = format_modules(
        {f"{m}.py": c.text for m, c in new.items() if m not in finished}
        | {f"{_AGAIN}/{m}.py": c.text for m, c in again.items() if m not in finished}
        | package,
        file,
    )
    if any(
        (finished[m].text if m in finished else formatted[f"{_AGAIN}/{m}.py"]) != kept_texts[f"{m}.py"] for m in again
    ):
        return None
    files = {**kept_texts, **_in_order(new, finished, formatted), **{n: formatted[n] for n in package}, "py.typed": ""}
    return Rendered(files, replace(state, modules=records, kept=len(kept_texts)), _read(finished))


def _state_of(
    engine_input: dict[str, Any], plan: Plan, source: str, toolchain: str | None
) -> tuple[RenderState, SchemaGraph] | None:
    """A rendering's state (its modules still to record) and its schemas' dependency graph; None when a reference
    leaves the document. Without the cycle collector: the walks allocate much and make no cycle, in a
    process that holds the whole spec, which every collection would walk."""
    schemas = engine_input["components"]["schemas"]
    with collector_paused():
        scanned = scan_schemas(schemas)
        if scanned is None:
            return None
        toolchain = toolchain or toolchain_fingerprint()
        key = context_key(engine_input, toolchain, plan.field_names, source, scanned.into_paths)
        return RenderState(key, schema_digests(schemas), {}), scanned


_AGAIN = "again"
"""The folder the modules rendered again only to be compared with the kept ones are formatted in."""


def render_package(
    engine_input: dict[str, Any],
    plan: Plan,
    source: str,
    file: str | Path,
    previous: Previous | None = None,
    *,
    keep_state: bool = False,
    jobs: int = 0,
    toolchain: str | None = None,
) -> Rendered:
    """Every file of the generated package (``Rendered.files``: ``{relative path: text}``), and (with ``keep_state``
    or a ``previous`` rendering to reuse) what the next rendering can reuse, when every module belongs to one
    schema. ``jobs``: how many cores the engine may use (0: every usable one); the files are the same for any
    number. ``toolchain``: the `toolchain_fingerprint` when the caller has it already."""
    for constant in plan.patterns:
        if not _CONSTANT.match(constant) or keyword.iskeyword(constant):
            raise CodegenError(file, f"pattern constant name {constant!r} is not an UPPER_CASE identifier")
    env = _environment()
    source = _safe_comment(source)
    schemas = engine_input["components"]["schemas"]
    tracked = _state_of(engine_input, plan, source, toolchain) if previous is not None or keep_state else None
    if tracked is not None and previous is not None:
        again = _render_again(env, engine_input, plan, source, file, previous, *tracked, jobs)
        if again is not None:
            return again
    graph = tracked[1] if tracked is not None else _graph_for_parts(schemas, jobs)
    composed, own, finished = _render_modules(env, engine_input, plan, source, file, frozenset(schemas), graph, jobs)
    if tracked is None:
        own = None
    records = {m: ModuleRecord(own[m] if own else "", c.classes, c.patterns, c.checks) for m, c in composed.items()}
    package = _package_files(env, records, plan, source)
    formatted = format_modules({f"{m}.py": c.text for m, c in composed.items() if m not in finished} | package, file)
    files = {**_in_order(composed, finished, formatted), **{n: formatted[n] for n in package}, "py.typed": ""}
    state = replace(tracked[0], modules=records) if tracked is not None and own is not None else None
    return Rendered(files, state, _read(finished))


def _in_order(
    composed: dict[str, Composed], finished: dict[str, Finished], formatted: dict[str, str]
) -> dict[str, str]:
    """The formatted text of each module of ``composed``, in its order: as a part finished it, or as formatted here."""
    return {f"{m}.py": finished[m].text if m in finished else formatted[f"{m}.py"] for m in composed}


def _read(finished: dict[str, Finished]) -> Read:
    return {f"{m}.py": (f.text, f.facts) for m, f in finished.items()}
