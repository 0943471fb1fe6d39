"""Bundle: a spec whose ``$ref``s point into other files → one self-contained document.

What is trusted: files in the spec's own folder (and below it). A reference to a file outside that folder is
refused unless the caller allows it (``--allow-external-refs``); a reference to a URL (``http:``, ``https:``, any
scheme) is always refused — generation never touches the network. A referenced schema (a ``$ref`` in a
schema's place, or a discriminator ``mapping`` value) is copied into ``components/schemas`` under the last token of
its pointer (or the file's stem) and the reference rewritten to it; any other referenced object (a path item, a
parameter, a response) replaces its ``$ref`` in place.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer, iter_refs, read_document, resolve_pointer
from generator.errors import CodegenError

__all__ = ["bundle"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAX_FILES = 200
_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def _set(document: Any, pointer: str, value: Any) -> None:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        node[int(tokens[-1])] = value
    else:
        node[tokens[-1]] = value


def _in_schema(where: str) -> bool:
    """Whether a ``$ref`` at ``where`` (a pointer in the spec) stands in a schema's place."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in where.lstrip("/").split("/")]
    return "schema" in tokens or tokens[:2] == ["components", "schemas"]


def _mapping_refs(node: Any) -> list[tuple[dict[str, Any], str, str, str]]:
    """``(mapping, key, reference, pointer)`` for each discriminator mapping value that is a reference (it holds a
    ``#`` or a file name) rather than a schema name."""
    found: list[tuple[dict[str, Any], str, str, str]] = []
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, where = stack.pop()
        if isinstance(current, list):
            stack += [(value, f"{where}/{index}") for index, value in enumerate(current)]
        elif isinstance(current, dict):
            discriminator = current.get("discriminator")
            found_mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
            mapping: dict[str, Any] = found_mapping if isinstance(found_mapping, dict) else {}
            for key, value in mapping.items():
                if isinstance(value, str) and ("#" in value or "/" in value or value.endswith(_FILE_SUFFIXES)):
                    found.append((mapping, key, value, f"{where}/discriminator/mapping/{escape_pointer(key)}"))
            stack += [(value, f"{where}/{escape_pointer(k)}") for k, value in current.items()]
    return found


def _all_local(node: Any) -> bool:
    """Whether every ``$ref`` (``iter_refs``) and every reference in a discriminator mapping (``_mapping_refs``)
    under ``node`` is local (starts with ``#``): the same look as theirs, without the pointers they build."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                return False
            discriminator = current.get("discriminator")
            mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
            for value in mapping.values() if isinstance(mapping, dict) else ():
                if (
                    isinstance(value, str)
                    and ("#" in value or "/" in value or value.endswith(_FILE_SUFFIXES))
                    and not value.startswith("#")
                ):
                    return False
            for value in current.values():
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(current, list):
            for value in current:
                if isinstance(value, (dict, list)):
                    stack.append(value)
    return True


class _Bundler:
    def __init__(self, spec_path: Path, allow_external: bool) -> None:
        self.root = spec_path.resolve().parent
        self.spec_path = spec_path
        self.allow_external = allow_external
        self.files: dict[Path, dict[str, Any]] = {}
        self.names: dict[tuple[Path, str], str] = {}
        self.schemas: dict[str, Any] = {}
        self.inlining: set[tuple[Path, str]] = set()

    def _load(self, path: Path, file: str | Path, where: str) -> dict[str, Any]:
        resolved = path.resolve()
        if not self.allow_external and not resolved.is_relative_to(self.root):
            raise CodegenError(
                file, f"$ref to {path} outside the spec's folder (allow with --allow-external-refs)", where
            )
        if resolved not in self.files:
            if len(self.files) >= _MAX_FILES:
                raise CodegenError(file, f"more than {_MAX_FILES} referenced files", where)
            try:
                self.files[resolved] = read_document(resolved)
            except CodegenError as error:
                raise CodegenError(file, f"referenced file {error}", where) from None
        return self.files[resolved]

    def rewrite(self, node: Any, source: Path, file: str | Path, in_schema: bool = False) -> None:
        """Rewrite every non-local ``$ref`` inside ``node`` (which came from ``source``) and every reference in a
        discriminator ``mapping``: a reference in a schema's place becomes a bundled component schema; any other
        (a path item, a parameter, a response) is replaced by the object it points to."""
        for where, ref in list(iter_refs(node)):
            if ref.startswith("#") and source == self.spec_path:
                continue
            path, pointer = self._target(ref, source, file, where)
            if in_schema or _in_schema(where):
                local = self.component(path, pointer, file, where)
                _set(node, where, f"#/components/schemas/{escape_pointer(local)}")
            else:
                _set(node, where.rpartition("/")[0], self.inline(path, pointer, file, where))
        for mapping, key, ref, where in _mapping_refs(node):
            if ref.startswith("#") and source == self.spec_path:
                continue
            path, pointer = self._target(ref, source, file, where)
            mapping[key] = f"#/components/schemas/{escape_pointer(self.component(path, pointer, file, where))}"

    def _target(self, ref: str, source: Path, file: str | Path, where: str) -> tuple[Path, str]:
        if _SCHEME.match(ref):
            raise CodegenError(file, f"$ref {ref!r} is a URL; generation never fetches from the network", where)
        target_file, _, pointer = ref.partition("#")
        return (source.parent / target_file) if target_file else source, pointer

    def inline(self, path: Path, pointer: str, file: str | Path, where: str) -> Any:
        """A copy of the non-schema object at ``path#pointer``, its own references rewritten."""
        key = (path.resolve(), pointer)
        if key in self.inlining:
            raise CodegenError(file, f"$ref {path.name}#{pointer} refers to itself", where)
        document = self._load(path, file, where)
        try:
            value = copy.deepcopy(resolve_pointer(document, pointer))
        except KeyError:
            raise CodegenError(file, f"$ref {path.name}#{pointer} points to nothing", where) from None
        self.inlining.add(key)
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            value = self.inline(*self._target(value["$ref"], path, path, "/$ref"), path, "/$ref")
        else:
            self.rewrite(value, path, path)
        self.inlining.discard(key)
        return value

    def component(self, path: Path, pointer: str, file: str | Path, where: str) -> str:
        key = (path.resolve(), pointer)
        if key in self.names:
            return self.names[key]
        tokens = pointer.lstrip("/").split("/")
        if path.resolve() == self.spec_path.resolve() and len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
            return tokens[2].replace("~1", "/").replace("~0", "~")  # the spec's own component, already there
        document = self._load(path, file, where)
        try:
            value = copy.deepcopy(resolve_pointer(document, pointer))
        except KeyError:
            raise CodegenError(file, f"$ref {path.name}#{pointer} points to nothing", where) from None
        name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if pointer else path.stem
        base, suffix = name, 2
        while name in self.schemas:
            name, suffix = f"{base}{suffix}", suffix + 1
        self.names[key] = name
        self.schemas[name] = value
        self.rewrite(value, path, path, in_schema=True)
        return name


def bundle(
    spec: dict[str, Any], spec_path: Path, *, allow_external: bool = False, loaded: list[Path] | None = None
) -> dict[str, Any]:
    """Return ``spec`` with every reference to another file bundled: schemas as components, others in place.

    The files read are appended to ``loaded`` when it is given.
    """
    if _all_local(spec):
        return spec
    result = copy.deepcopy(spec)
    bundler = _Bundler(spec_path, allow_external)
    components = result.setdefault("components", {})
    if not isinstance(components, dict):
        raise CodegenError(spec_path, "must be a mapping", "/components")
    existing = components.setdefault("schemas", {})
    if not isinstance(existing, dict):
        raise CodegenError(spec_path, "must be a mapping", "/components/schemas")
    bundler.schemas.update({name: None for name in existing})
    bundler.rewrite(result, spec_path, spec_path)
    if loaded is not None:
        loaded.extend(bundler.files)
    added = {n: s for n, s in bundler.schemas.items() if n not in existing}
    existing.update(added)
    return result
