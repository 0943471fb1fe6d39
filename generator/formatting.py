"""Format: the generated package's Python modules → the same modules as ``ruff format`` writes them.

The generated distribution declares its code style in its ``pyproject.toml`` (``[tool.ruff]``: 88 columns, single
quotes, Python 3.11 from ``requires-python``), so that its users' formatter leaves the generated files as they are.
The generator formats with that formatter itself: ruff, pinned exactly (it decides the bytes), run once over every
module of the package (one process for all files, not one per module), with exactly those settings and no
configuration file of the machine or the working directory.
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
_PYTHON_SUFFIX = ".py"


def ruff_settings() -> str:
    """The ruff configuration the generated code is formatted with, as a ``ruff.toml``."""
    lines = [f"line-length = {LINE_LENGTH}", f'target-version = "{TARGET_VERSION}"', "", "[format]"]
    return "\n".join([*lines, f'quote-style = "{QUOTE_STYLE}"', ""])


def _ruff_binary() -> str:
    from ruff import find_ruff_bin  # type: ignore[import-untyped]  # the pinned ruff's own locator

    return str(find_ruff_bin())


def format_modules(files: dict[str, str], file: str | Path) -> dict[str, str]:
    """``files`` (``{relative path: text}``) with every ``.py`` file as ``ruff format`` writes it; other files as
    they are. ``file`` names the spec in errors.

    The modules are written to a private temporary folder, formatted there by one ruff process and read back.
    """
    modules = sorted(name for name in files if name.endswith(_PYTHON_SUFFIX))
    if not modules:
        return files
    # Nothing of the environment chooses how ruff formats: no RUFF_* variables, an explicit configuration file.
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUFF_")}
    with tempfile.TemporaryDirectory(prefix="nexthink-codegen-format-") as temporary:
        folder = Path(temporary)
        config = folder / "ruff.toml"
        config.write_text(ruff_settings(), encoding="utf-8")
        package = folder / "package"
        package.mkdir()
        for name in modules:
            target = package / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name].encode("utf-8"))
        command = [_ruff_binary(), "format", "--no-cache", "--config", str(config), *modules]
        try:
            ran = subprocess.run(
                command, cwd=package, env=env, capture_output=True, check=False, timeout=RUFF_TIMEOUT_SECONDS
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CodegenError(file, f"cannot format the generated modules with ruff: {exc}") from None
        if ran.returncode != 0:
            message = " ".join(ran.stderr.decode("utf-8", "replace").split()) or f"exit status {ran.returncode}"
            raise CodegenError(file, f"cannot format the generated modules with ruff: {message}")
        formatted = {name: (package / name).read_bytes().decode("utf-8") for name in modules}
    return {name: formatted.get(name, text) for name, text in files.items()}
