"""Names: class names from component names (and the name lock), regex constants, enum members, protected field
names, the package's own name and project URLs. Every name is ASCII, never a keyword, a shadowed module or a
Windows device name."""

from __future__ import annotations

import hashlib
import itertools
import keyword
import re
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer
from generator.errors import CodegenError, CodegenWarning
from generator.normalise.schemas import (
    PATTERN_KEY,
    Origins,
    ascii_identifier,
    is_inline_class,
    origin_of,
    pascal_case,
    pointer_of,
    schema_objects,
    schema_places,
    unescape,
    unique_origins,
    walk_schemas,
)
from generator.structure import classify_regex

__all__ = [
    "PROJECT_URLS_KEY",
    "PROTECTED_PREFIXES",
    "SHADOWED_MODULES",
    "WINDOWS_RESERVED",
    "check_package_name",
    "engine_named_classes",
    "module_of",
    "name_classes",
    "name_enum_members",
    "name_patterns",
    "package_name_for",
    "project_urls",
    "protected_field_names",
]

_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CLASS = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# Names the generated modules import; a schema class must not shadow them.
_RESERVED_CLASS_NAMES = frozenset({"BaseModel", "Field", "Enum", "IntEnum", "Any", "Annotated", "Self", "RootModel"})
SHADOWED_MODULES = frozenset(
    {"__future__", "annotated_types", "builtins", "datetime", "decimal", "email_validator", "enum", "ipaddress"}
    | {"os", "pathlib", "pydantic", "pydantic_core", "re", "sys", "typing", "typing_extensions", "uuid"}
)
"""Modules a generated module or its user imports, which no generated module (or package) may be named."""
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in "0123456789"}
)
"""File names Windows reserves whatever their extension (compared in lower case)."""


PROTECTED_PREFIXES = ("model_validate", "model_dump")
"""pydantic's protected namespaces: a field whose name starts with one warns on every import."""


def _attribute_for(prop: str) -> str | None:
    """The attribute a property needs instead of the engine's, or None when the engine's is fine: names in
    pydantic's protected namespace, and non-ASCII names (Python NFKC-normalises identifiers, so ``eﬁle`` would be
    ``efile`` and two properties could become one attribute)."""
    if not prop.isascii():
        attribute = ascii_identifier(prop)
        return (
            f"field_{attribute}" if attribute.startswith(("model_", "_")) or keyword.iskeyword(attribute) else attribute
        )
    attribute = re.sub(r"\W", "_", prop.lower())
    return f"field_{attribute}" if attribute.startswith(PROTECTED_PREFIXES) else None


def protected_field_names(schemas: dict[str, Any]) -> dict[str, str]:
    """``{wire name: attribute name}`` for properties whose default attribute would not work (``_attribute_for``):
    ``model_dump`` → ``field_model_dump``, ``eﬁle`` → ``efile``; the wire name stays the alias. Attribute names are
    unique across the document: numbered when two wire names (``model_dump``, ``Model-Dump``) would share one,
    the plainer wire name first."""
    wire: set[str] = set()
    for root in schemas.values():
        for schema in schema_objects(root):
            properties = schema.get("properties")
            wire.update(p for p in (properties if isinstance(properties, dict) else {}) if isinstance(p, str))
    names: dict[str, str] = {}
    taken = set(wire)
    for prop in sorted(wire, key=lambda p: (not p.isascii(), re.sub(r"\W", "_", p) != p, p)):
        base = _attribute_for(prop)
        if base is None:
            continue
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate)
        names[prop] = candidate
    return names


_STEM = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def module_of(class_name: str) -> str:
    """The module the engine writes a class into: its name in snake case."""
    return _STEM.sub("_", class_name).lower()


def _needs_suffix(class_name: str) -> bool:
    """Whether a class name or its module would be a keyword, shadow a name or module the generated code imports,
    or be a file name Windows reserves."""
    module = module_of(class_name)
    return (
        keyword.iskeyword(class_name)
        or keyword.iskeyword(module)
        or class_name in _RESERVED_CLASS_NAMES
        or module in SHADOWED_MODULES
        or module in WINDOWS_RESERVED
    )


def _claim(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` numbered from 2 up, whichever is first free (compared by module name, since two
    classes whose modules differ only in case would be one file on a case-insensitive file system)."""
    candidate, number = base, 2
    while module_of(candidate) in taken:
        candidate, number = f"{base}{number}", number + 1
    taken.add(module_of(candidate))
    return candidate


def check_package_name(name: str) -> None:
    """Refuse a package name that is not a plain ASCII identifier, is a keyword (``class``, ``None``), would shadow
    a module the generated code imports (``typing``, ``pydantic``) or is a file name Windows reserves."""
    problem = (
        "is not a valid Python package name"
        if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name)
        else "would shadow a module the generated code imports"
        if name in SHADOWED_MODULES or name in sys.stdlib_module_names
        else "is a file name Windows reserves"
        if name.lower() in WINDOWS_RESERVED
        else None
    )
    if problem:
        raise CodegenError("--package", f"{name!r} {problem}")


_URL = re.compile(r"^https?://[^\s\"'\\<>]+$")
PROJECT_URLS_KEY = "x-python-project-urls"


def package_name_for(spec: dict[str, Any]) -> str:
    """The default package name: the words of ``info.title`` in snake case (``Nexthink Workflows`` →
    ``nexthink_workflows``), ``models`` when there are none; suffixed ``_models`` where the name would be refused."""
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = re.sub("['\u2019]", "", str(info.get("title") or ""))  # GitHub's → githubs, not github_s
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title)).encode("ascii", "ignore").decode()
    words = [w.lower() for w in re.split(r"[^0-9A-Za-z]+", folded) if w]
    name = "_".join(words) or "models"
    name = f"models_{name}" if name[0].isdigit() else name
    try:
        check_package_name(name)
    except CodegenError:
        name = f"{name}_models"
    return name


def project_urls(spec: dict[str, Any], file: str | Path) -> dict[str, str]:
    """The distribution's project URLs (label → URL): ``info.x-python-project-urls`` when the spec (or its
    overlay) gives them, else ``externalDocs.url`` as ``Documentation``, else none. Only http(s) URLs."""
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    given = info.get(PROJECT_URLS_KEY)
    if given is not None:
        where = f"/info/{PROJECT_URLS_KEY}"
        if not isinstance(given, dict) or not all(isinstance(k, str) and k.isprintable() for k in given):
            raise CodegenError(file, "project URLs must map a label to a URL", where)
        for label, url in given.items():
            if not isinstance(url, str) or not _URL.match(url):
                raise CodegenError(file, "a project URL must be an http(s) URL", f"{where}/{escape_pointer(label)}")
        return dict(given)
    docs = spec.get("externalDocs")
    url = docs.get("url") if isinstance(docs, dict) else None
    return {"Documentation": url} if isinstance(url, str) and _URL.match(url) else {}


def name_classes(
    spec: dict[str, Any], file: str | Path, lock: dict[str, str] | None = None, origins: Origins | None = None
) -> dict[str, str]:
    """Rename component schemas to their class names and rewrite every ``$ref`` to match; return the derived names
    (``{origin pointer: class name}`` of every component whose class name is not its own name).

    Names given by ``x-python-class-name`` are claimed first, and two equal given names are an error. Then the
    names of ``lock`` (the previous generation's derived names, by origin pointer) for the components that still
    come from those pointers, when valid and free, so that a schema added later never takes a name an existing
    class had. Derived names that collide (``InputMessage`` and ``input.Message``, ``M`` and ``m``) are numbered
    from 2: the schema whose name already is its class name keeps it, the others follow in the order of their
    names in the spec."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    renamed: dict[str, str] = {}
    wanted: dict[str, str] = {}
    owner: dict[str, str] = {}
    taken: set[str] = set()
    pointers = unique_origins(schemas, origins)
    for name, schema in schemas.items():
        pointer = f"/components/schemas/{escape_pointer(name)}"
        given = schema.get("x-python-class-name") if isinstance(schema, dict) else None
        if given is None:
            class_name = pascal_case(name)
            wanted[name] = f"{class_name}Model" if _needs_suffix(class_name) else class_name
            continue
        if not isinstance(given, str) or not _CLASS.match(given) or keyword.iskeyword(given):
            raise CodegenError(file, f"x-python-class-name {given!r} is not a valid Python class name", pointer)
        given = f"{given}Model" if _needs_suffix(given) else given
        if module_of(given) in owner:
            raise CodegenError(
                file, f"schemas {owner[module_of(given)]!r} and {name!r} both become class {given!r}", pointer
            )
        owner[module_of(given)] = name
        taken.add(module_of(given))
        renamed[name] = given
    for name in wanted:
        locked = (lock or {}).get(pointers.get(name, ""))
        if locked is not None and _valid_class_name(locked) and module_of(locked) not in taken:
            taken.add(module_of(locked))
            renamed[name] = locked
    for name in sorted((n for n in wanted if n not in renamed), key=lambda n: (n != wanted[n], n)):
        renamed[name] = _claim(wanted[name], taken)
    spec["components"]["schemas"] = {renamed[n]: s for n, s in schemas.items()}
    old_to_new = {f"#/components/schemas/{escape_pointer(o)}": f"#/components/schemas/{n}" for o, n in renamed.items()}
    # Every mapping holding a ``$ref`` (what ``iter_refs`` finds, without the pointers it builds), all found before
    # any is rewritten.
    holders: list[tuple[dict[str, Any], str]] = []
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in old_to_new:
                holders.append((node, ref))
            for value in node.values():
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, (dict, list)):
                    stack.append(value)
    for holder, ref in holders:
        holder["$ref"] = old_to_new[ref]
    return {pointers[n]: renamed[n] for n in wanted if n in pointers and renamed[n] != n}


_DERIVED_CLASS = re.compile(r"^[A-Z][A-Za-z0-9]*$")
"""The shape of every derived class name (words joined in PascalCase, maybe numbered): never an underscore."""
_DERIVED_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*_PATTERN(_[0-9A-F]{8})?$")
"""The shape of every derived regex constant: ``<PLACE>_PATTERN``, maybe with a digest of its regex."""


def _valid_class_name(name: str) -> bool:
    """Whether a recorded class name may be used as it is: a derived class name's shape, and no suffix needed."""
    return name.isascii() and bool(_DERIVED_CLASS.match(name)) and not _needs_suffix(name)


def engine_named_classes(schemas: dict[str, Any], origins: Origins | None) -> dict[str, str]:
    """``{origin pointer: class name}`` the engine will give the inline object and enum properties it names itself
    (its parent-scoped naming: the parent's class name and the property's words, ``Job`` + ``status`` →
    ``JobStatus``), for properties reached from a component through ``properties`` only. A name predicted twice, or
    equal to a component's class name, is left out; the pipeline keeps only those the package really defines."""
    found: dict[str, str] = {}
    for name, root in schemas.items():
        for schema, place in schema_places(root, f"/components/schemas/{escape_pointer(name)}"):
            if not is_inline_class(schema):
                continue  # tested first: the pointer is built only for the schemas it may name
            tokens = pointer_of(place).split("/")[4:]
            if tokens[-1:] == ["additionalProperties"]:  # the values of a map property: named after the property
                tokens = tokens[:-1]
            if not tokens or len(tokens) % 2 or any(t != "properties" for t in tokens[::2]):
                continue
            pointer = origin_of(schema, origins)
            if pointer is not None:
                found[pointer] = name + "".join(pascal_case(unescape(t)) for t in tokens[1::2])
    counts: dict[str, int] = {}
    for class_name in found.values():
        counts[class_name] = counts.get(class_name, 0) + 1
    return {p: n for p, n in found.items() if counts[n] == 1 and n not in schemas and _valid_class_name(n)}


def _derived_pattern_name(pointer: str) -> str:
    """``<SCHEMA>_<PROPERTY>..._PATTERN``: the class and the properties on the way to the schema holding the regex."""
    tokens = [unescape(t) for t in pointer.split("/")[3:]]
    words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
    snake = "_".join(_STEM.sub("_", ascii_identifier(word)) for word in words)
    name = "_".join(w for w in re.split(r"[^0-9A-Za-z]+", snake) if w).upper() or "VALUE"
    return f"{'P_' if name[0].isdigit() else ''}{name}_PATTERN"


def name_patterns(
    schemas: dict[str, Any], file: str | Path, lock: dict[str, str] | None = None, origins: Origins | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Give every regex a constant name (``x-codegen-pattern``); return ``{name: regex}`` sorted by name, and the
    derived names (``{origin pointer: name}``).

    A regex named by ``x-python-pattern-name`` uses that name wherever it occurs. Any other occurrence gets the name
    ``lock`` (the previous generation's derived names) gives its origin pointer, when valid and still free; else a
    name from its own place (class and property path: ``MACHINE_PARENT_ID_PATTERN``), so adding schemas or
    properties never renames an existing constant. Two different regexes that want one name (rare: only names that
    meet after sanitising) are both suffixed with a digest of their regex, which does not depend on their order."""
    by_regex: dict[str, str] = {}
    by_name: dict[str, str] = {}
    pending: list[tuple[dict[str, Any], str]] = []
    for name, root in schemas.items():
        if not any(isinstance(schema.get("pattern"), str) for schema in schema_objects(root)):
            continue  # no regex: the walk below, with a pointer for every schema, would find none
        for schema, where in walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            regex = schema.get("pattern")
            if not isinstance(regex, str):
                continue
            _check_regex_engine(regex, f"{where}/pattern", file)
            given = schema.get("x-python-pattern-name")
            if given is None:
                pending.append((schema, where))
                continue
            if not isinstance(given, str) or not _CONSTANT.match(given) or keyword.iskeyword(given):
                raise CodegenError(file, f"x-python-pattern-name {given!r} is not an UPPER_CASE identifier", where)
            if by_name.get(given, regex) != regex or by_regex.get(regex, given) != given:
                raise CodegenError(file, f"pattern name {given!r} is given to two different regexes", where)
            by_name[given], by_regex[regex] = regex, given
            schema[PATTERN_KEY] = given
    derived: dict[str, str] = {}
    claimed: set[int] = set()
    for schema, _ in pending:
        pointer = origin_of(schema, origins)
        locked = (lock or {}).get(pointer or "")
        regex = schema["pattern"]
        if pointer is None or locked is None or regex in by_regex or not _DERIVED_PATTERN.match(locked):
            continue
        if by_name.get(locked, regex) != regex:
            continue
        by_name[locked] = regex
        schema[PATTERN_KEY] = derived[pointer] = locked
        claimed.add(id(schema))
    wanted: dict[str, set[str]] = {}
    for schema, where in pending:
        if schema["pattern"] not in by_regex and id(schema) not in claimed:
            wanted.setdefault(_derived_pattern_name(where), set()).add(schema["pattern"])
    for schema, where in pending:
        regex = schema["pattern"]
        if regex in by_regex:
            schema[PATTERN_KEY] = by_regex[regex]
            continue
        if id(schema) in claimed:
            continue
        name = _derived_pattern_name(where)
        if len(wanted[name]) > 1 or by_name.get(name, regex) != regex:
            name = f"{name}_{hashlib.sha256(regex.encode()).hexdigest()[:8].upper()}"
        by_name[name] = regex
        schema[PATTERN_KEY] = name
        pointer = origin_of(schema, origins)
        if pointer is not None:
            derived[pointer] = name
    return dict(sorted(by_name.items())), derived


def _check_regex_engine(regex: str, where: str, file: str | Path) -> None:
    """Warn about a regex that needs Python's backtracking engine (a `CodegenWarning`, an error under
    `--strict-regex`); refuse one the Rust engine rejects for which the engine would not select Python's."""
    verdict, reason = classify_regex(regex)
    if verdict == "invalid":
        raise CodegenError(file, f"invalid regex {regex!r}: {reason}", where)
    if verdict != "python":
        return
    from datamodel_code_generator._regex_syntax import needs_python_engine  # the pinned engine's own decision

    if not needs_python_engine(regex, row="model"):
        raise CodegenError(file, f"regex {regex!r} is refused by pydantic's Rust engine: {reason}", where)
    message = (
        f"regex {regex!r} needs Python's backtracking engine (Rust's: {reason}); "
        "validation time can grow exponentially with the input"
    )
    warnings.warn(CodegenWarning(file, message, where), stacklevel=2)


_STR_ATTRIBUTES = frozenset(name for name in dir(str) if not name.startswith("_"))
"""Methods of ``str``: a member of a ``(str, Enum)`` named ``upper`` would shadow one (mypy refuses it)."""


def name_enum_members(schema: dict[str, Any]) -> None:
    """Give an enum with non-ASCII values ASCII member names (``x-enum-varnames``): Python NFKC-normalises
    identifiers, so members ``K`` (Kelvin sign) and ``K`` would be one name defined twice. Values that are names of
    ``str`` methods (``upper``, ``count``) get a ``_`` suffix. Values stay exact."""
    values = schema.get("enum")
    if not isinstance(values, list) or "x-enum-varnames" in schema:
        return
    if not any(isinstance(v, str) and (not v.isascii() or v in _STR_ATTRIBUTES) for v in values):
        return
    members: dict[int, str] = {}
    # ASCII values first, so that they keep the plain names whatever non-ASCII values join them.
    for index in sorted(range(len(values)), key=lambda i: (not str(values[i]).isascii(), i)):
        base = ascii_identifier(str(values[index]))
        base = f"{base}_" if keyword.iskeyword(base) or base in _STR_ATTRIBUTES else base
        candidate, number = base, 2
        while candidate in members.values():
            candidate, number = f"{base}_{number}", number + 1
        members[index] = candidate
    schema["x-enum-varnames"] = [members[i] for i in range(len(values))]
