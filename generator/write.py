"""Write: put a rendered package on disk all at once, or compare it with what is there.

One run at a time writes a given output folder: a run takes an advisory lock (``fcntl.flock`` on
``.<name>.lock`` beside the folder) before it touches anything, and another run waits for it (up to
``LOCK_WAIT_SECONDS``, then gives up with an error). Under the lock the package is rendered into a staging folder
beside the output folder (same parent, so same file system; named after the run's pid plus a random part) and then
swapped in with one atomic ``renameat2(RENAME_EXCHANGE)`` where the platform has it, so a reader (or a crash) sees
the old tree or the new one, never a mixture. Holding the lock proves that no other run is live, so leftovers of a
killed run (its staging folder, or the old tree of a half-done swap) are cleaned up or recovered by the next run,
and a live run's staging folder is never touched by another.

A file whose bytes are already in the output folder is not written again: the staging folder gets a hard link to
the old file (`_OldTree.link_if_same`), after the old bytes have been read and compared (never trusting the
manifest's hashes), and its data is flushed like a new file's. Only a regular file inside the folder (no symbolic
link on the way), with no other name, the mode and owner a new file would get, is linked; anything else, or any
error, and the file is written as usual. Nothing ever writes a file in place (new files are created exclusively),
so the old tree stays intact until the swap, and once the old tree is deleted the link is the file's only name.

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
import stat
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
_FLUSH_BATCH = 32  # files per task of the flushing threads: few tasks to hand out, yet a slow flush holds up no other
MAX_OPEN_FOLDERS = 64
"""How many folders of the old tree are held open at once while its unchanged files are linked."""
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


def _refusal(target: Path) -> CodegenError | None:
    """`check_target`'s refusal of ``target`` as a value (None when it may be replaced)."""
    try:
        check_target(target)
    except CodegenError as exc:
        return exc
    return None


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


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
_NOT_NAMES = frozenset({"", ".", ".."})


def _same_inode(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# What an old file's stat or open may answer when it is gone, replaced or not ours: it is then written afresh.
_FILE_ERRORS = frozenset(
    {
        errno.ENOENT,
        errno.ENOTDIR,
        errno.ELOOP,
        errno.EACCES,
        errno.EPERM,
        errno.EISDIR,
        errno.ENXIO,
        errno.EWOULDBLOCK,
        errno.ETXTBSY,
        errno.ENAMETOOLONG,
    }
)


class _OldTree:
    """The output folder's current tree, read without following a symbolic link anywhere: each folder is opened
    relative to its parent's descriptor with ``O_NOFOLLOW``, so every file it finds is inside the folder."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._folders: dict[str, int | None] = {}
        mask = os.umask(0)
        os.umask(mask)
        self._mode = 0o666 & ~mask  # what `open` gives a new file
        self._uid = os.geteuid()

    def close(self) -> None:
        """Close every folder opened so far (a later look-up opens them again)."""
        for fd in self._folders.values():
            if fd is not None:
                os.close(fd)
        self._folders.clear()

    def _folder(self, relative: str) -> int | None:
        """A descriptor of the old tree's folder ``relative`` ("" for the root), None when it has no such folder
        or it cannot be opened (no old tree yet, a symbolic link on the way): its files are then written."""
        if relative not in self._folders:
            if len(self._folders) >= MAX_OPEN_FOLDERS:
                self.close()  # a tree of many folders never runs out of descriptors
            parent, _, name = relative.rpartition("/")
            above = self._folder(parent) if relative else None
            found = None
            try:
                if not relative:
                    found = os.open(self._root, _FOLDER_FLAGS)
                elif above is not None and name not in _NOT_NAMES:
                    found = os.open(name, _FOLDER_FLAGS, dir_fd=above)
            except OSError:
                found = None
            self._folders[relative] = found
        return self._folders[relative]

    def _linkable(self, status: os.stat_result, size: int) -> bool:
        """A regular file of ``size`` bytes with no other name, and the mode and owner a new file would get."""
        return (
            stat.S_ISREG(status.st_mode)
            and status.st_nlink == 1
            and status.st_size == size
            and stat.S_IMODE(status.st_mode) == self._mode
            and status.st_uid == self._uid
        )

    def link_if_same(self, relative: str, data: bytes, destination: Path) -> bool:
        """Hard-link the old file ``relative`` to ``destination`` when it holds exactly ``data``; True when linked.

        The bytes are read through a descriptor, and the link is then checked to name that very inode (device and
        inode number, and no third name), so a file replaced meanwhile is never kept. False (and nothing at
        ``destination``) when the old file is missing, changed, not linkable, or the link fails for any reason:
        the caller then writes the file. An error that says the system is failing rather than the file (EIO,
        ENOSPC, out of descriptors) while the old file is opened or read is raised, as a write would raise it."""
        parent, _, name = relative.rpartition("/")
        folder = self._folder(parent)
        if folder is None or name in _NOT_NAMES:
            return False
        try:
            if not self._linkable(os.stat(name, dir_fd=folder, follow_symlinks=False), len(data)):
                return False  # a symbolic link, FIFO or device is never opened
            handle = open(name, "rb", opener=lambda path, _: os.open(path, _READ_FLAGS, dir_fd=folder))
        except OSError as exc:
            if exc.errno in _FILE_ERRORS:
                return False
            raise
        with handle:
            opened = os.fstat(handle.fileno())
            if not self._linkable(opened, len(data)) or handle.read(len(data) + 1) != data:
                return False
            try:
                os.link(name, destination, src_dir_fd=folder, follow_symlinks=False)
            except OSError:  # EXDEV, EPERM, EMLINK, no hard links on this file system...
                return False
            try:
                linked = os.stat(destination, follow_symlinks=False)
                if _same_inode(linked, opened) and linked.st_nlink == 2:
                    return True
            except OSError:
                pass
            os.unlink(destination)  # if this fails, the exclusive create of the write below fails: no write in place
            return False


def _flush(paths: list[tuple[Path, bool]]) -> None:
    """Flush files to disk: ``(path, linked)``. A written file is fsynced; a linked one needs only its data
    (fdatasync: the old tree may never have been flushed, a ``git checkout`` does not), as its new name and link
    count are metadata the journal commits with the swap."""
    for path, linked in paths:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            (_fdatasync if linked else os.fsync)(fd)
        finally:
            os.close(fd)


_fdatasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


def _write_files(staging: Path, files: dict[str, str], old: Path) -> None:
    """Put every file into ``staging``: a hard link to the file of the old tree ``old`` when that holds the same
    bytes (`_OldTree`), else a new file, created exclusively (so nothing is ever written into an existing inode).
    Then flush them all to disk before returning; the flushes run in a few threads (fsync releases the GIL, and
    the file system commits concurrent flushes together), which on a thousand files takes a fraction of
    flushing one after the other."""
    placed: list[tuple[Path, bool]] = []
    folders: set[Path] = set()
    tree = _OldTree(old)
    try:
        for relative, text in sorted(files.items()):
            data = text.encode("utf-8")
            path = staging / relative
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            linked = tree.link_if_same(relative, data, path)
            if not linked:
                with open(path, "xb") as handle:
                    handle.write(data)
            placed.append((path, linked))
    finally:
        tree.close()
    with ThreadPoolExecutor(max_workers=FSYNC_THREADS) as pool:
        for _ in pool.map(
            _flush, [placed[start : start + _FLUSH_BATCH] for start in range(0, len(placed), _FLUSH_BATCH)]
        ):
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
    refused: CodegenError | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target, shown):
            _recover(target)
            # Again under the lock: another run may have changed the folder meanwhile. The refusal is raised once
            # the lock is released: a CodegenError (frozen) cannot pass through the lock's context manager, which
            # sets the __traceback__ of what passes through it.
            refused = _refusal(shown)
            if refused is None:
                staging = Path(tempfile.mkdtemp(prefix=f"{_scratch(target, 'new')}{os.getpid()}-", dir=target.parent))
                try:
                    _write_files(staging, files, target)
                    _swap_in(staging, target)
                    _fsync_dir(target.parent)
                except BaseException:
                    shutil.rmtree(staging, ignore_errors=True)
                    raise
    except OSError as exc:
        raise CodegenError(shown, f"cannot write: {exc.strerror or exc}") from None
    if refused is not None:
        raise refused
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
