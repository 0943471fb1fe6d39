"""Reading and writing YAML/JSON documents safely, and the checks every OpenAPI input goes through.

Everything here is a plain function of text or data; the only I/O is `read_document` and `write_text_atomic`.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.errors import CodegenError
from generator.safeio import NotRegularFileError, TooLargeError, read_regular_bytes

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "RESERVED_PREFIX",
    "collector_on_new_objects",
    "collector_paused",
    "dump_yaml",
    "escape_pointer",
    "iter_refs",
    "parse_document",
    "read_document",
    "require_openapi",
    "resolve_pointer",
    "write_text_atomic",
]

MAX_ALIASES = 1000
"""YAML aliases allowed in one document; a billion-laughs document needs far more and is refused."""
MAX_DEPTH = 200
"""Nesting depth of mappings and sequences allowed in one document."""
MAX_BYTES = 128 * 1024 * 1024
"""Size of one input document: GitHub's dereferenced REST description is about 70 MiB."""
MAX_NODES = 10_000_000
"""Values in one document once YAML aliases are expanded (GitHub's dereferenced description holds 1.2 million);
an alias bomb expands to billions."""
MAX_NUMBER_DIGITS = 100
"""Decimal digits of one integer; int64 needs 19. Larger ones cannot be written as Python literals (over 4,300)
or mean nothing to any client."""
RESERVED_PREFIX = "x-codegen-"
"""Keys the generator attaches for its own templates; an input document may not hold any."""
_NUMBER_LIMIT = 10**MAX_NUMBER_DIGITS


class _Oversized(str):
    """The text of an integer too long for Python to convert, kept so the check can name where it is."""


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _strings_for_dates(loader: Any) -> Any:
    """A loader class that reads an unquoted ``2024-01-01`` as the string written, as YAML 1.2 (the version
    OpenAPI names) and JSON do, instead of a ``datetime.date`` that no JSON Schema value can be."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }
    return loader


_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s&]")
"""Where a YAML anchor could start (generously: also inside strings); `a && b` in a JSONPath filter is none."""


class _TextKeys:
    """Constructor mix-in: mapping keys are the exact text written.

    YAML 1.1 reads the unquoted keys ``200:``, ``on:`` and ``~:`` as an integer, a boolean and null; OpenAPI means
    the strings ``"200"``, ``"on"`` and ``"~"``, which only the source text gives back.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # type: ignore[attr-defined]
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a mapping key must be a plain value, found a {key_node.id}", key_node.start_mark
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)  # type: ignore[attr-defined]
        return mapping


class _BoundedLoader(_TextKeys, yaml.SafeLoader):
    """A safe YAML loader that refuses alias bombs and absurd nesting while composing, before any expansion."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"more than {MAX_ALIASES} YAML aliases (line {mark.line + 1})")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels (line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_int(loader: Any, node: yaml.ScalarNode) -> Any:
    """YAML's integer, or its text when it is too long for Python to convert (refused by the check, by pointer)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        return _Oversized(node.value)


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_FastLoader: Any = None
if hasattr(yaml, "CSafeLoader"):

    class _CTextKeysLoader(_TextKeys, yaml.CSafeLoader):
        """libyaml's safe loader with the same key and integer rules."""

    _CTextKeysLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _FastLoader = _CTextKeysLoader
_strings_for_dates(_BoundedLoader)
if _FastLoader is not None:
    _strings_for_dates(_FastLoader)


class collector_paused:
    """Pause Python's cycle collector for the body, then put it back as it was.

    For the stages that build or copy a whole document: each of their thousands of new mappings counts towards the
    next collection, and each full collection walks every object alive, the document included, to find cycles these
    stages never make (reference counting frees what they drop). On GitHub's REST description the collections took
    a sixth of those stages' time. Nothing else changes: no object lives or dies otherwise than it would.

    A class, not a generator: a CodegenError raised inside must pass through untouched (it is frozen, and a
    generator-based context manager would try to set its traceback)."""

    def __init__(self) -> None:
        self.was_enabled = False

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


class collector_on_new_objects:
    """Run Python's cycle collector in the body, over the objects made in it only; then put it back as it was.

    For the rendering engine, which makes reference cycles (its parser's models point at each other) that would
    otherwise hold memory until the process ends: its collections run as the raw engine's would. Every object alive
    before the body is frozen (``gc.freeze``) for it, so that none of those collections walks the spec and the
    documents made from it, which are no garbage; they are unfrozen afterwards, unless something froze objects
    before (a forked worker, whose frozen objects are pages it shares with its parent and must not touch)."""

    def __init__(self) -> None:
        self.was_enabled = False
        self.frozen_before = False

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        self.frozen_before = gc.get_freeze_count() > 0
        gc.freeze()
        gc.enable()

    def __exit__(self, *exc: object) -> None:
        if not self.was_enabled:
            gc.disable()
        if not self.frozen_before:
            gc.unfreeze()


def parse_document(text: str, file: str | Path) -> dict[str, Any]:
    """Parse YAML (and so JSON) text into a mapping, or raise a CodegenError naming the file and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise CodegenError(file, f"document larger than {MAX_BYTES} bytes")
    # Each parser refuses more than MAX_NODES values itself, after its other checks.
    with collector_paused():
        data = _parse_json(text, file) if text.lstrip()[:1] in ("{", "[") else _parse_yaml(text, file)
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise CodegenError(file, f"expected a mapping at the top level, found {kind}")
    for key in data:
        if not isinstance(key, str):
            raise CodegenError(file, f"top-level key {key!r} is not a string")
    return data


def _parse_json(text: str, file: str | Path) -> Any:
    """JSON, the format vendors publish; surrogate pairs escaped as ``\\ud83d\\ude00`` become one character."""
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise CodegenError(file, f"invalid JSON: {exc.msg}", f"line {exc.lineno}") from None
    except RecursionError:
        raise CodegenError(file, f"refused JSON: nesting deeper than {MAX_DEPTH} levels") from None
    size = _plain_json_size(data) if _surrogate_free(text) else None
    if size is None:  # something to refuse, or maybe: the full check names the first one (or finds none)
        _check_text(data, file)
        size = _expanded_size(data)
    if size > MAX_NODES:
        raise CodegenError(file, f"refused YAML: more than {MAX_NODES} values once aliases are expanded")
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD]([89abAB]|[c-fC-F])[0-9a-fA-F]{2}")
"""What may be a ``\\uD800``-``\\uDFFF`` escape of JSON text: it is one when its backslash follows an even run of
backslashes (after an odd one it is an escaped backslash and the ``u`` a letter). The group is the third hex digit:
high or low half."""


def _escaped(text: str, start: int) -> bool:
    """Whether the backslash at ``start`` is escaped: an odd run of backslashes comes right before it."""
    before = start
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (start - before) % 2 == 1


def _surrogate_free(text: str) -> bool:
    """Whether no string parsed from this JSON text can hold a surrogate: none in the text, and every escaped one
    is the high half of a pair immediately followed by its escaped low half, which the parser joins into the one
    character they encode (``\\ud83d\\ude00``: what ``json.dumps`` writes for a character beyond U+FFFF)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    high_end = -1  # where the escape of the last high half ends, while it waits for its low half
    for match in _SURROGATE_ESCAPE.finditer(text):
        start, high = match.start(), match.group(1) in "89abAB"
        if _escaped(text, start):
            continue  # the letter u after an escaped backslash
        if high_end >= 0:
            if high or start != high_end:
                return False
            high_end = -1
        elif high:
            high_end = match.end()
        else:
            return False  # a low half on its own
    return high_end < 0


def _plain_json_size(data: Any) -> int | None:
    """How many values a parsed JSON document holds when ``_check_text`` has nothing to refuse in it, else None
    (``_check_text`` then names the first fault). The same tests without the pointers an error names, and the same
    count as ``_expanded_size`` (a JSON document shares no values); its strings must hold no surrogate
    (``_surrogate_free``)."""
    limit, depth_limit = _NUMBER_LIMIT, MAX_DEPTH
    count = 1
    stack: list[tuple[Any, int]] = [(data, 0)] if type(data) in (dict, list) else []
    if not stack:
        return count if _plain_scalar(data, limit) else None
    while stack:
        node, depth = stack.pop()
        if not node:
            continue
        if depth >= depth_limit:  # its values are deeper than the limit
            return None
        count += len(node)
        if type(node) is dict:
            for key in node:
                if key.startswith(RESERVED_PREFIX):
                    return None
            values: Any = node.values()
        else:
            values = node
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append((value, depth + 1))
            elif kind is not str and not _plain_scalar(value, limit):
                return None
    return count


def _plain_scalar(value: Any, limit: int) -> bool:
    """Whether ``_check_text`` passes a scalar of a parsed JSON document (a string known to hold no surrogate)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-limit < value < limit)
    if kind is float:
        return math.isfinite(value)
    return False


def _json_int(text: str) -> int | _Oversized:
    try:
        return int(text)
    except ValueError:
        return _Oversized(text)


def _check_text(data: Any, file: str | Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH, strings that cannot be written as UTF-8 (lone surrogates), numbers that
    are huge or not finite, and the generator's reserved keys, naming the JSON pointer of the first one found."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        node, depth, pointer = stack.pop()
        if depth > MAX_DEPTH:
            raise CodegenError(file, f"refused: nesting deeper than {MAX_DEPTH} levels", pointer)
        if isinstance(node, _Oversized):
            message = f"integer of {len(node)} characters; numbers are limited to {MAX_NUMBER_DIGITS} digits"
            raise CodegenError(file, message, pointer or None)
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                message = f"string {node[:40]!r} holds a lone surrogate, not valid Unicode"
                raise CodegenError(file, message, pointer or None) from None
        elif isinstance(node, int) and not isinstance(node, bool) and not -_NUMBER_LIMIT < node < _NUMBER_LIMIT:
            message = f"integer of more than {MAX_NUMBER_DIGITS} digits (the limit)"
            raise CodegenError(file, message, pointer or None)
        elif isinstance(node, float) and not math.isfinite(node):
            raise CodegenError(file, f"number {node} has no JSON value (infinite or not a number)", pointer or None)
        elif isinstance(node, dict):
            for key, value in node.items():
                where = f"{pointer}/{escape_pointer(key)}"
                if isinstance(key, str) and key.startswith(RESERVED_PREFIX):
                    message = f"{key!r}: keys starting with {RESERVED_PREFIX!r} are reserved for the generator"
                    raise CodegenError(file, message, where)
                stack.append((key, depth, where))
                stack.append((value, depth + 1, where))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, f"{pointer}/{index}") for index, value in enumerate(node))


def _combine_surrogates(node: Any) -> Any:
    """YAML's ``\\uD83D\\uDE00`` escapes load as two surrogates; join each pair into the character it encodes."""
    if isinstance(node, str):
        try:
            node.encode("utf-8")
            return node
        except UnicodeEncodeError:
            return node.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    if isinstance(node, dict):
        return {_combine_surrogates(k): _combine_surrogates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_combine_surrogates(v) for v in node]
    return node


def _plainly_bounded(text: str) -> bool:
    """True when the text can hold no alias (no anchor) and cannot nest past MAX_DEPTH, judged generously:
    brackets and indentation are counted everywhere, strings included, so the estimate is never too low."""
    if _ANCHOR.search(text):
        return False
    depth = widest = 0
    for char in text:
        if char in "[{":
            depth += 1
            widest = max(widest, depth)
        elif char in "]}":
            depth -= 1
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return widest + indent < MAX_DEPTH


def _parse_yaml(text: str, file: str | Path) -> Any:
    # libyaml's loader when the text provably needs none of the bounded loader's checks, else the bounded one.
    loader = _FastLoader(text) if _FastLoader is not None and _plainly_bounded(text) else _BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else None
        raise CodegenError(file, f"invalid YAML: {exc.problem or exc.context}", where) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: character U+{code:04X} is not allowed ({exc.reason})"
        raise CodegenError(file, message, f"line {line}") from None
    except yaml.YAMLError as exc:
        raise CodegenError(file, f"refused YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise CodegenError(file, "refused YAML: nesting too deep") from None
    finally:
        loader.dispose()
    if _expanded_size(data) > MAX_NODES:
        raise CodegenError(file, f"refused YAML: more than {MAX_NODES} values once aliases are expanded")
    data = _combine_surrogates(data)
    _check_text(data, file)
    return data


def _expanded_size(data: Any) -> int:
    """How many values a document holds with shared (aliased) values counted each time they appear.

    Computed once per distinct container, so it costs the size of the parsed document, not of its expansion.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)) or (id(node) in sizes and not children_done):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            total = 1 + sum(sizes.get(id(c), 1) if isinstance(c, (dict, list)) else 1 for c in children)
            sizes[id(node)] = min(total, MAX_NODES + 1)
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if isinstance(c, (dict, list)) and id(c) not in sizes)
    return sizes.get(id(data), 1)


def read_document(path: Path) -> dict[str, Any]:
    """Read and parse one YAML/JSON document from disk: a regular file of at most MAX_BYTES bytes.

    Devices, FIFOs, sockets and directories are refused without blocking and without reading them; the size limit
    is applied while reading, so a file that never ends cannot grow memory.
    """
    try:
        data = read_regular_bytes(path, MAX_BYTES)
    except FileNotFoundError:
        raise CodegenError(path, "no such file") from None
    except IsADirectoryError:
        raise CodegenError(path, "is a directory, expected a file") from None
    except NotRegularFileError as exc:
        raise CodegenError(path, f"is {exc.kind}, expected a regular file") from None
    except TooLargeError:
        raise CodegenError(path, f"document larger than {MAX_BYTES} bytes") from None
    except OSError as exc:
        raise CodegenError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodegenError(path, f"not UTF-8 text (byte {exc.start})") from None
    return parse_document(text, path)


def escape_pointer(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Return the value at a local JSON pointer (``/a/b``), raising KeyError when there is none."""
    node = document
    if pointer == "":
        return node
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer of the $ref, target)`` for every ``$ref`` in a document."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield f"{where}/$ref", ref
            for key, value in reversed(list(current.items())):
                if isinstance(value, (dict, list)):
                    stack.append((value, f"{where}/{escape_pointer(key)}"))
        elif isinstance(current, list):
            for index in reversed(range(len(current))):
                if isinstance(current[index], (dict, list)):
                    stack.append((current[index], f"{where}/{index}"))


def require_openapi(document: dict[str, Any], file: str | Path) -> None:
    """Refuse what is not an OpenAPI 3.0/3.1 document, one whose objects have the wrong types (see
    ``generator.structure``), and any ``$ref`` that points nowhere or outside it."""
    version = document.get("openapi")
    if "swagger" in document:
        raise CodegenError(
            file, f"Swagger {document['swagger']} document; only OpenAPI 3.0 and 3.1 are supported", "/swagger"
        )
    if not isinstance(version, str) or not version.startswith(("3.0.", "3.1.")):
        shown = "missing" if version is None else repr(version)
        raise CodegenError(file, f"not an OpenAPI 3.0/3.1 document (openapi: {shown})", "/openapi")
    from generator.structure import check_structure  # structure builds on this module

    check_structure(document, file)
    if _local_refs_resolve(document):
        return  # nothing to refuse: the pointers below are only for the error
    for where, ref in iter_refs(document):
        if not ref.startswith("#"):
            raise CodegenError(file, f"external $ref {ref!r} is not allowed", where)
        try:
            resolve_pointer(document, ref[1:])
        except KeyError:
            raise CodegenError(file, f"$ref {ref!r} points to nothing", where) from None


def _local_refs_resolve(document: dict[str, Any]) -> bool:
    """Whether every ``$ref`` of the document (``iter_refs``) is local and points to something, each distinct
    target resolved once; False means "look again, with pointers", never "invalid"."""
    resolved: set[str] = set()
    stack: list[Any] = [document]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref not in resolved:
                if not ref.startswith("#"):
                    return False
                try:
                    resolve_pointer(document, ref[1:])
                except (KeyError, ValueError):  # ValueError: a digit int() refuses (``²``); the walk below raises it
                    return False
                resolved.add(ref)
            for value in current.values():
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(current, list):
            for value in current:
                if isinstance(value, (dict, list)):
                    stack.append(value)
    return True


class _CanonicalDumper(yaml.SafeDumper):
    """YAML dumper for committed documents: block style, no aliases, wide lines, multi-line strings as blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and _block_safe(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _block_safe(value: str) -> bool:
    """Literal blocks keep text readable, but only when they round-trip exactly (no trailing spaces, tabs...)."""
    return all(line == line.rstrip() and line.isprintable() for line in value.split("\n")) and not value.startswith(" ")


_CanonicalDumper.add_representer(str, _represent_str)


def dump_yaml(document: Any) -> str:
    """Serialise a document as the project commits it: keys in the document's own order, UTF-8, block style."""
    text: str = yaml.dump(
        document,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new one, never a part.

    The text goes to a temporary file beside ``path`` that is then renamed over it; an error names ``path``, never
    the temporary file, and leaves no temporary file behind.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise CodegenError(path, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
