"""Write: put a rendered package on disk all at once, or compare it with what is there.

One run at a time writes a given output folder: a run takes an advisory lock (``fcntl.flock`` on
``.<name>.lock`` beside the folder) before it touches anything, and another run waits for it (up to
``LOCK_WAIT_SECONDS``, then gives up with an error). Under the lock the package is rendered into a staging folder
beside the output folder (same parent, so same file system; named after the run's pid plus a random part) and then
swapped in with one atomic ``renameat2(RENAME_EXCHANGE)`` where the platform has it, so a reader (or a crash) sees
the old tree or the new one, never a mixture. Holding the lock proves that no other run is live, so leftovers of a
killed run (its staging folder, or the old tree of a half-done swap) are cleaned up or recovered by the next run,
and a live run's staging folder is never touched by another.

Every error names the output folder as the user gave it, never a staging or lock path.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from generator.errors import CodegenError
from generator.litter import is_tool_litter
from generator.manifest import MANIFEST, remember

__all__ = ["LOCK_WAIT_SECONDS", "check_target", "compare_tree", "stale_paths", "write_tree"]

LOCK_WAIT_SECONDS = 120.0
"""How long a run waits for another run writing the same output folder before it gives up."""
_LOCK_POLL_SECONDS = 0.05
FSYNC_THREADS = 8
"""How many files are flushed to disk at once when a tree is written."""
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
    """Name prefix of the scratch folders of ``target`` (in its parent): ``.<name>.new-`` or ``.<name>.old-``."""
    return f".{target.name}.{kind}-"


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def check_target(target: Path) -> None:
    """Refuse an output folder that `write_tree` must not replace, before anything is generated or written.

    A symbolic link is refused (replacing it would either move the link or write through it to a folder the
    user did not name), and so is a file or a folder holding files nexthink-codegen did not write.
    """
    if os.path.islink(target):
        raise CodegenError(
            target, "is a symbolic link; give --out the real folder (generate replaces --out whole, not a link)"
        )
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MANIFEST).is_file())):
        raise CodegenError(
            target,
            f"holds files nexthink-codegen did not write (no {MANIFEST}); "
            "give --out an empty folder or one that generate wrote",
        )


@contextmanager
def _locked(target: Path, shown: Path) -> Iterator[None]:
    """Hold the advisory lock of ``target`` (waiting up to LOCK_WAIT_SECONDS for another run to release it)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(_lock_path(target), flags, 0o644)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise CodegenError(
                    shown,
                    f"another nexthink-codegen run has been writing this folder for more than "
                    f"{LOCK_WAIT_SECONDS:.0f} s; try again when it has finished",
                )
            time.sleep(_LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _recover(target: Path) -> None:
    """Finish or undo what a killed run left behind. Only called under the lock: no other run is live."""
    parent = target.parent
    for old in sorted(parent.glob(f"{_scratch(target, 'old')}*")):
        if os.path.lexists(target):
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)  # killed between moving the old tree away and moving the new one in
    for new in parent.glob(f"{_scratch(target, 'new')}*"):
        shutil.rmtree(new, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_files(staging: Path, files: dict[str, str]) -> None:
    """Write every file, then flush them all to disk before returning; the flushes run in a few threads (fsync
    releases the GIL, and the file system commits concurrent flushes together), which on a thousand files takes
    a fraction of flushing one after the other."""
    paths = []
    for relative, text in sorted(files.items()):
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        paths.append(path)
    with ThreadPoolExecutor(max_workers=FSYNC_THREADS) as pool:
        for _ in pool.map(_fsync_file, paths):
            pass
    staging.chmod(0o755)


def _swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the output folder; afterwards no scratch folder of this run is left."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the old tree
        return
    old = Path(tempfile.mkdtemp(prefix=f"{_scratch(target, 'old')}{os.getpid()}-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old)


def write_tree(target: Path, files: dict[str, str]) -> None:
    """Make ``target`` hold exactly ``files`` (relative path → text), replacing it in one step.

    The new tree is written beside the output folder (in ``target``'s parent), never inside it, so a run killed
    at any moment leaves the output folder exactly as it was or fully updated. Runs on one folder take turns.
    """
    shown = target
    check_target(shown)
    target = target.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target, shown):
            _recover(target)
            check_target(shown)  # again under the lock: another run may have changed the folder meanwhile
            staging = Path(tempfile.mkdtemp(prefix=f"{_scratch(target, 'new')}{os.getpid()}-", dir=target.parent))
            try:
                _write_files(staging, files)
                _swap_in(staging, target)
                _fsync_dir(target.parent)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as exc:
        raise CodegenError(shown, f"cannot write: {exc.strerror or exc}") from None
    if MANIFEST in files:
        remember(files[MANIFEST])


def _differences(target: Path, files: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    """``(relative path, expected, actual)`` for every file under ``target`` that differs from ``files``, is missing
    or was not generated (tool litter aside), in path order; ``None`` where a side has no such file."""
    on_disk = {
        relative
        for p in (target.rglob("*") if target.is_dir() else [])
        if p.is_file() and not is_tool_litter(relative := p.relative_to(target).as_posix())
    }
    found = []
    for relative in sorted(on_disk | set(files)):
        expected = files.get(relative)
        actual = (target / relative).read_text(encoding="utf-8", errors="replace") if relative in on_disk else None
        if expected != actual:
            found.append((relative, expected, actual))
    return found


def stale_paths(target: Path, files: dict[str, str]) -> list[str]:
    """The paths under ``target`` that differ from ``files``, are missing or were not generated."""
    return [(target / relative).as_posix() for relative, _, _ in _differences(target, files)]


def compare_tree(target: Path, files: dict[str, str], *, context: int = 3) -> list[str]:
    """Unified diffs (one string per differing file) between ``target`` on disk and ``files``; [] when equal."""
    diffs = []
    for relative, expected, actual in _differences(target, files):
        label = (target / relative).as_posix()
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
