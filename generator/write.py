"""Write: put a rendered package on disk all at once, or compare it with what is there.

The package is rendered into a temporary folder beside the output folder and then swapped in with one atomic
``renameat2(RENAME_EXCHANGE)`` where the platform has it, so a reader (or a crash) sees the old tree or the new
one, never a mixture. A leftover from an interrupted swap is recovered on the next run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import os
import shutil
import tempfile
from pathlib import Path

from generator.errors import CodegenError
from generator.litter import is_tool_litter
from generator.manifest import MANIFEST

__all__ = ["compare_tree", "write_tree"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False when the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _scratch(target: Path, kind: str) -> str:
    """Name prefix of the scratch folders for ``target``: beside its parent, so a crash never leaves one inside."""
    return f".{target.parent.name}-{target.name}.{kind}-"


def _recover(target: Path) -> None:
    """Finish or undo a swap that a killed run left half-done (only possible without renameat2)."""
    scratch_root = target.parent.parent
    for old in scratch_root.glob(f"{_scratch(target, 'old')}*"):
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)
    for tmp in scratch_root.glob(f"{_scratch(target, 'new')}*"):
        shutil.rmtree(tmp, ignore_errors=True)


def write_tree(target: Path, files: dict[str, str]) -> None:
    """Make ``target`` hold exactly ``files`` (relative path → text), replacing it in one step.

    The new tree is written beside the output folder (``target``'s parent), never inside it, so a run killed at
    any moment leaves the output folder exactly as it was or fully updated.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MANIFEST).is_file())):
        raise CodegenError(
            target,
            f"holds files nexthink-codegen did not write (no {MANIFEST}); "
            "give --out an empty folder or one that generate wrote",
        )
    staging = Path(tempfile.mkdtemp(prefix=_scratch(target, "new"), dir=target.parent.parent))
    try:
        for relative, text in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        staging.chmod(0o755)
        if not target.exists():
            staging.rename(target)
            return
        if _exchange(staging, target):
            shutil.rmtree(staging)
            return
        old = target.parent.parent / f"{_scratch(target, 'old')}{os.getpid()}"
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def compare_tree(target: Path, files: dict[str, str], *, context: int = 3) -> list[str]:
    """Unified diffs (one string per differing file) between ``target`` on disk and ``files``; [] when equal."""
    on_disk = {
        p.relative_to(target).as_posix()
        for p in (target.rglob("*") if target.is_dir() else [])
        if p.is_file() and not is_tool_litter(p.relative_to(target).as_posix())
    }
    diffs = []
    for relative in sorted(on_disk | set(files)):
        label = (target / relative).as_posix()
        expected = files.get(relative)
        actual = (target / relative).read_text(encoding="utf-8", errors="replace") if relative in on_disk else None
        if expected == actual:
            continue
        if expected is None:
            diffs.append(f"{label}: not generated (extra file on disk)\n")
        elif actual is None:
            diffs.append(f"{label}: missing on disk\n")
        else:
            lines = difflib.unified_diff(
                actual.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                fromfile=f"{label} (on disk)",
                tofile=f"{label} (generated)",
                n=context,
            )
            diffs.append("".join(lines))
    return diffs
