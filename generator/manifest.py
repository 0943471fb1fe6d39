"""The manifest `generate` writes into ``--out``: what the output was made from, and the hash of every file in it.

It lets `check` answer "nothing changed" without regenerating, but only for a tree this machine produced: the
manifest lives in the repository, where anyone can edit a generated file and recompute its hash, so on its own it
proves nothing. Each time `generate` writes a tree (or a full `check` finds one current) the hash of its manifest
text is recorded in a local cache outside the repository (`cache_dir`). The fast path answers "up to date" only
when that record exists, the same options were used, every input file (spec, overlay, release history, bundled
files) still has the recorded hash, the generator's own code, its templates and the pinned library versions hash
to the recorded fingerprint, and every file under ``--out`` is exactly the recorded one (no file missing, changed
or added). Anything else falls back to a full regeneration and comparison, so a stale or hand-edited result can
never pass; CI, which has no such record, always compares in full (`check --full` says so explicitly).

Standard library only: this module is the fast path and must not import the rendering engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import documents
from generator.litter import is_tool_litter
from generator.safeio import read_regular_bytes

__all__ = [
    "CACHE_ENV",
    "MANIFEST",
    "STATE_KINDS",
    "build_manifest",
    "cache_dir",
    "recall_render",
    "recorded_names",
    "remember",
    "remember_render",
    "same_inputs",
    "toolchain_fingerprint",
    "up_to_date",
]

MANIFEST = ".codegen-manifest.json"
"""The file that marks a folder as written by nexthink-codegen (and so safe to replace whole)."""
_CODE = Path(__file__).resolve().parent
_TEMPLATES = _CODE.parent / "templates"
CACHE_ENV = "NEXTHINK_CODEGEN_CACHE"
"""Environment variable naming the local cache folder (default: ``$XDG_CACHE_HOME/nexthink-codegen``)."""
_CACHE_NAME = "nexthink-codegen"
_MAX_RECORDS = 512
"""Records kept in the local cache; the oldest are dropped beyond this (a dropped record costs one full check)."""
_STATE_SUFFIX = ".json"
STATE_KINDS = ("render", "reference")
"""The kinds of state kept beside a manifest's record (``remember_render``)."""
_STATES_KEPT = 8
"""Render states kept in the local cache (``remember_render``); each is a few hundred kB on a large spec."""
_NAMES = "names"
"""The manifest's key for the derived names (``generator.names``)."""
_LIBRARIES = ("datamodel-code-generator", "jinja2", "pydantic", "pydantic-core", "pyyaml", "jsonpath-rfc9535", "ruff")


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


def _hash_file(path: Path) -> str:
    return _digest(read_regular_bytes(path, documents.MAX_BYTES))


def build_manifest(
    out: Path,
    options: dict[str, Any],
    inputs: list[Path],
    files: dict[str, str],
    names: Any = None,
    toolchain: str | None = None,
) -> str:
    """The manifest text for ``files`` generated from ``inputs`` with ``options`` (paths relative to ``out``), with
    ``names`` (the derived names the next generation keeps: ``generator.names``) when given; ``toolchain``: the
    `toolchain_fingerprint` when the caller has it already."""
    # An input that does not exist (no release history yet) is recorded as null: creating it makes the output stale.
    recorded_inputs = {_relative(p, out): _hash_file(p) if p.is_file() else None for p in sorted(set(inputs))}
    document = {
        "generator": "nexthink-codegen",
        "options": options,
        "toolchain": toolchain or toolchain_fingerprint(),
        "inputs": recorded_inputs,
        "files": {name: _digest(text.encode("utf-8")) for name, text in sorted(files.items()) if name != MANIFEST},
    }
    if names is not None:
        document[_NAMES] = names
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def recorded_names(out: Path) -> Any:
    """The ``names`` value of the manifest in ``out`` as JSON (unchecked: see ``generator.names``), or None when
    there is no manifest or it cannot be read or parsed: a folder without a usable record gets fresh names."""
    try:
        document = json.loads(read_regular_bytes(out / MANIFEST, documents.MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return document.get(_NAMES) if isinstance(document, dict) else None


def cache_dir() -> Path:
    """The local cache of manifests this machine generated or fully checked: outside any repository.

    ``$NEXTHINK_CODEGEN_CACHE`` when set, else ``$XDG_CACHE_HOME/nexthink-codegen``, else
    ``~/.cache/nexthink-codegen``.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / _CACHE_NAME


def _record(manifest: bytes) -> Path:
    return cache_dir() / f"{_digest(manifest)}.ok"


def remember(manifest: str) -> None:
    """Record that the tree holding ``manifest`` was written (or fully checked) on this machine.

    Best effort: when the cache cannot be written the next `check` simply compares in full.
    """
    record = _record(manifest.encode("utf-8"))
    _keep(record, "nexthink-codegen generated or fully checked a tree with this manifest\n", _MAX_RECORDS)


def _state_file(manifest: bytes, kind: str) -> Path:
    return cache_dir() / f"{_digest(manifest)}.{kind}{_STATE_SUFFIX}"


def remember_render(manifest: str, state: Any, kind: str = "render") -> None:
    """Keep ``state`` (JSON data: what the next generation into the tree holding ``manifest`` can reuse, see
    ``generator.reuse``; ``kind`` names which one: ``render`` or ``reference``, ``generator.reference_page``) in the
    local cache. Best effort: without it the next generation renders in full."""
    _keep(_state_file(manifest.encode("utf-8"), kind), json.dumps(state, separators=(",", ":")), _STATES_KEPT)


def _keep(path: Path, text: str, limit: int) -> None:
    """Write ``text`` to ``path`` in the local cache (atomically), then drop the oldest files of its kind (its
    suffix) beyond ``limit``. Best effort: a cache that cannot be written only costs time later."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keep-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
        kind = "".join(path.suffixes)
        kept = sorted(path.parent.glob(f"*{kind}"), key=lambda p: p.stat().st_mtime)
        for stale in kept[: max(0, len(kept) - limit)]:
            stale.unlink(missing_ok=True)
    except OSError:
        return


def recall_render(out: Path) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The states kept for the tree in ``out`` (unchecked JSON data, by kind: those of `STATE_KINDS` that were
    kept and can be parsed) and the hash of each file its manifest records, when this machine wrote that tree (or
    fully checked it); None otherwise."""
    try:
        manifest = read_regular_bytes(out / MANIFEST, documents.MAX_BYTES)
        if not _record(manifest).is_file():
            return None
        files = json.loads(manifest.decode("utf-8")).get("files")
    except (OSError, ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return None
    states = {}
    for kind in STATE_KINDS:
        try:
            states[kind] = json.loads(read_regular_bytes(_state_file(manifest, kind), documents.MAX_BYTES))
        except (OSError, ValueError, RecursionError):
            continue
    return states, files


_UNREADABLE = (OSError, ValueError, KeyError, AttributeError, TypeError, RecursionError)
"""What reading a manifest that is missing, not ours, or not in the shape we write can raise (JSON nested too deep
included): such a manifest proves nothing."""


def _recorded_from_these_inputs(out: Path, options: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest of ``out`` when this machine wrote (or fully checked) that tree with ``options`` from inputs
    whose bytes are still the ones it records; None otherwise. Raises what reading it may raise."""
    manifest = read_regular_bytes(out / MANIFEST, documents.MAX_BYTES)
    if not _record(manifest).is_file():
        return None
    recorded: dict[str, Any] = json.loads(manifest.decode("utf-8"))
    if recorded.get("options") != options:
        return None
    for relative, digest in recorded["inputs"].items():
        path = out / relative
        if (digest is None and os.path.lexists(path)) or (digest is not None and _hash_file(path) != digest):
            return None
    return recorded


def same_inputs(out: Path, options: dict[str, Any]) -> bool:
    """True when this machine last wrote ``out`` with ``options`` from the inputs as they are now (the tree itself
    and the toolchain unchecked): a hint that a generation into it will keep every module, never a proof."""
    try:
        return _recorded_from_these_inputs(out, options) is not None
    except _UNREADABLE:
        return False


def up_to_date(out: Path, options: dict[str, Any]) -> bool:
    """True when ``out`` provably is what this machine generated from the current inputs; False whenever anything
    is uncertain (including a manifest with no local record: a manifest edited by hand, or from another machine)."""
    try:
        recorded = _recorded_from_these_inputs(out, options)
        if recorded is None or recorded.get("toolchain") != toolchain_fingerprint():
            return False
        on_disk = {
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and not is_tool_litter(p.relative_to(out).as_posix()) and p.name != MANIFEST
        }
        if on_disk != set(recorded["files"]):
            return False
        return all(_hash_file(out / name) == digest for name, digest in recorded["files"].items())
    except _UNREADABLE:
        return False
