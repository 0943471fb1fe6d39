"""Format: the generated package's Python modules → the same modules as ``ruff format`` writes them.

The generated distribution declares its code style in its ``pyproject.toml`` (``[tool.ruff]``: 88 columns, single
quotes, Python 3.11 from ``requires-python``), so that its users' formatter leaves the generated files as they are.
The generator formats with that formatter itself: ruff, pinned exactly (it decides the bytes), run over every
module of the package at once (one process for all files, not one per module; a few when the module names overflow
one command line), with exactly those settings and no configuration file of the machine or the working directory.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from generator.errors import CodegenError

__all__ = ["LINE_LENGTH", "QUOTE_STYLE", "TARGET_VERSION", "format_modules", "ruff_settings"]

LINE_LENGTH = 88
"""Columns of the generated code, as the generated ``pyproject.toml`` declares them (``[tool.ruff] line-length``)."""
QUOTE_STYLE = "single"
"""Quotes of the generated code (``[tool.ruff.format] quote-style``); docstrings keep double quotes, as PEP 257."""
TARGET_VERSION = "py311"
"""The Python the generated code targets; ruff reads the same from the generated ``requires-python = ">=3.11"``."""
RUFF_TIMEOUT_SECONDS = 300
"""How long the one ruff run may take; a package of thousands of modules formats in well under a second."""
MAX_COMMAND_BYTES = 100_000
"""The most bytes of module names one ruff command line carries: a package of tens of thousands of modules is
formatted in a few runs instead of failing on the system's limit of a command line's size (``E2BIG``)."""
_PYTHON_SUFFIX = ".py"
RAM_FOLDER = Path("/dev/shm")
"""A RAM-backed folder for the modules while ruff formats them, where the system has one (Linux)."""


def ruff_settings() -> str:
    """The ruff configuration the generated code is formatted with, as a ``ruff.toml``."""
    lines = [f"line-length = {LINE_LENGTH}", f'target-version = "{TARGET_VERSION}"', "", "[format]"]
    return "\n".join([*lines, f'quote-style = "{QUOTE_STYLE}"', ""])


def _ruff_binary() -> str:
    from ruff import find_ruff_bin  # type: ignore[import-untyped]  # the pinned ruff's own locator

    return str(find_ruff_bin())


def _scratch_parents() -> list[str | None]:
    """Where the modules wait for ruff: a RAM-backed folder where the system has one, then the system's temporary
    folder. Creating thousands of small files on a disk-backed ``/tmp`` took seconds on a busy machine (3,000
    modules: 1.7-2.2 s against 0.04 s in ``/dev/shm``)."""
    ram = RAM_FOLDER if RAM_FOLDER.is_dir() and os.access(RAM_FOLDER, os.W_OK | os.X_OK) else None
    return [str(ram), None] if ram is not None else [None]


def _stage(folder: Path, files: dict[str, str], modules: list[str]) -> Path:
    """Write the ruff configuration and the modules under ``folder``; return the folder holding the modules."""
    (folder / "ruff.toml").write_text(ruff_settings(), encoding="utf-8")
    package = folder / "package"
    for parent in sorted({(package / name).parent for name in modules}):
        parent.mkdir(parents=True, exist_ok=True)
    for name in modules:
        (package / name).write_bytes(files[name].encode("utf-8"))
    return package


def _format_in(parent: str | None, files: dict[str, str], modules: list[str], file: str | Path) -> dict[str, str]:
    """The ``modules`` of ``files`` formatted by ruff (``_batches``) in a private folder under ``parent``; an OSError
    means the folder could not hold them."""
    # Nothing of the environment chooses how ruff formats: no RUFF_* variables, an explicit configuration file.
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUFF_")}
    with tempfile.TemporaryDirectory(prefix="nexthink-codegen-format-", dir=parent) as temporary:
        package = _stage(Path(temporary), files, modules)
        command = [_ruff_binary(), "format", "--no-cache", "--config", str(Path(temporary) / "ruff.toml")]
        for batch in _batches(modules):
            try:
                ran = subprocess.run(
                    [*command, *batch],
                    cwd=package,
                    env=env,
                    capture_output=True,
                    check=False,
                    timeout=RUFF_TIMEOUT_SECONDS,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise CodegenError(file, f"cannot format the generated modules with ruff: {exc}") from None
            if ran.returncode != 0:
                message = " ".join(ran.stderr.decode("utf-8", "replace").split()) or f"exit status {ran.returncode}"
                raise CodegenError(file, f"cannot format the generated modules with ruff: {message}")
        return {name: (package / name).read_bytes().decode("utf-8") for name in modules}


def _batches(modules: list[str]) -> list[list[str]]:
    """``modules`` in as few runs of ruff as keep each command line under ``MAX_COMMAND_BYTES``."""
    batches: list[list[str]] = [[]]
    size = 0
    for name in modules:
        cost = len(name.encode("utf-8")) + 1
        if batches[-1] and size + cost > MAX_COMMAND_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(name)
        size += cost
    return batches


def format_modules(files: dict[str, str], file: str | Path) -> dict[str, str]:
    """``files`` (``{relative path: text}``) with every ``.py`` file as ``ruff format`` writes it; other files as
    they are. ``file`` names the spec in errors.

    The modules are written to a private temporary folder, formatted there by one ruff process and read back. A
    RAM-backed folder that cannot hold them (a small ``/dev/shm`` in a container) gives way to the system's
    temporary folder.
    """
    modules = sorted(name for name in files if name.endswith(_PYTHON_SUFFIX))
    if not modules:
        return files
    *preferred, last = _scratch_parents()
    formatted: dict[str, str] | None = None
    for parent in preferred:
        try:
            formatted = _format_in(parent, files, modules, file)
            break
        except OSError:
            continue
    if formatted is None:
        try:
            formatted = _format_in(last, files, modules, file)
        except OSError as exc:
            raise CodegenError(file, f"cannot format the generated modules: {exc}") from None
    return {name: formatted.get(name, text) for name, text in files.items()}
