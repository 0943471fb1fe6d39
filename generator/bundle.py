"""Bundle: a spec whose ``$ref``s point into other files → one self-contained document.

What is trusted: files in the spec's own folder (and below it). A reference to a file outside that folder is
refused unless the caller allows it (``--allow-external-refs``); a reference to a URL (``http:``, ``https:``, any
scheme) is always refused — generation never touches the network. A referenced schema is copied into
``components/schemas`` under the last token of its pointer (or the file's stem) and the reference rewritten to it.
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


def _set(document: Any, pointer: str, value: Any) -> None:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    node[tokens[-1]] = value


class _Bundler:
    def __init__(self, spec_path: Path, allow_external: bool) -> None:
        self.root = spec_path.resolve().parent
        self.spec_path = spec_path
        self.allow_external = allow_external
        self.files: dict[Path, dict[str, Any]] = {}
        self.names: dict[tuple[Path, str], str] = {}
        self.schemas: dict[str, Any] = {}

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

    def rewrite(self, node: Any, source: Path, file: str | Path) -> None:
        """Rewrite every non-local ``$ref`` inside ``node`` (which came from ``source``) to a bundled component."""
        for where, ref in list(iter_refs(node)):
            if ref.startswith("#") and source == self.spec_path:
                continue
            if _SCHEME.match(ref):
                raise CodegenError(file, f"$ref {ref!r} is a URL; generation never fetches from the network", where)
            target_file, _, pointer = ref.partition("#")
            path = (source.parent / target_file) if target_file else source
            local = self.component(path, pointer, file, where)
            _set(node, where, f"#/components/schemas/{escape_pointer(local)}")

    def component(self, path: Path, pointer: str, file: str | Path, where: str) -> str:
        key = (path.resolve(), pointer)
        if key in self.names:
            return self.names[key]
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
        self.rewrite(value, path, path)
        return name


def bundle(
    spec: dict[str, Any], spec_path: Path, *, allow_external: bool = False, loaded: list[Path] | None = None
) -> dict[str, Any]:
    """Return ``spec`` with every reference to another file inlined as a component schema.

    The files read are appended to ``loaded`` when it is given.
    """
    if all(ref.startswith("#") for _, ref in iter_refs(spec)):
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
