"""The manifest `generate` writes into ``--out``: what the output was made from, and the hash of every file in it.

It lets `check` answer "nothing changed" without regenerating: the output is up to date when the same options were
used, every input file (spec, overlay, release history, bundled files) still has the recorded hash, the
generator's own code, its templates and the pinned library versions hash to the recorded fingerprint, and every
file under ``--out`` is exactly the recorded one (no file missing, changed or added). Anything else falls back to a
full regeneration and comparison, so a stale or hand-edited result can never pass.

Standard library only: this module is the fast path and must not import the rendering engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.litter import is_tool_litter

__all__ = ["MANIFEST", "build_manifest", "up_to_date"]

MANIFEST = ".codegen-manifest.json"
"""The file that marks a folder as written by nexthink-codegen (and so safe to replace whole)."""
_CODE = Path(__file__).resolve().parent
_TEMPLATES = _CODE.parent / "templates"
_LIBRARIES = ("datamodel-code-generator", "jinja2", "pydantic", "pydantic-core", "pyyaml", "jsonpath-rfc9535")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def toolchain_fingerprint() -> str:
    """One hash of everything besides the inputs that decides the output: code, templates, library versions."""
    digest = hashlib.sha256()
    for root in (_CODE, _TEMPLATES):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}=={version}\0".encode())
    digest.update(f"python{sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


def _relative(path: Path, out: Path) -> str:
    return Path(os.path.relpath(path.absolute(), out.absolute())).as_posix()


def build_manifest(out: Path, options: dict[str, Any], inputs: list[Path], files: dict[str, str]) -> str:
    """The manifest text for ``files`` generated from ``inputs`` with ``options`` (paths relative to ``out``)."""
    # An input that does not exist (no release history yet) is recorded as null: creating it makes the output stale.
    recorded_inputs = {_relative(p, out): _digest(p.read_bytes()) if p.is_file() else None for p in sorted(set(inputs))}
    document = {
        "generator": "nexthink-codegen",
        "options": options,
        "toolchain": toolchain_fingerprint(),
        "inputs": recorded_inputs,
        "files": {name: _digest(text.encode("utf-8")) for name, text in sorted(files.items()) if name != MANIFEST},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def up_to_date(out: Path, options: dict[str, Any]) -> bool:
    """True when the manifest in ``out`` proves the output current; False whenever anything is uncertain."""
    try:
        recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if recorded.get("options") != options or recorded.get("toolchain") != toolchain_fingerprint():
            return False
        for relative, digest in recorded["inputs"].items():
            path = out / relative
            if (digest is None and path.exists()) or (digest is not None and _digest(path.read_bytes()) != digest):
                return False
        on_disk = {
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and not is_tool_litter(p.relative_to(out).as_posix()) and p.name != MANIFEST
        }
        if on_disk != set(recorded["files"]):
            return False
        return all(_digest((out / name).read_bytes()) == digest for name, digest in recorded["files"].items())
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False
