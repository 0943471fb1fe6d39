"""Reading input files safely: regular files only, never more than a limit, never blocking on the open.

A path given by a user or named by a ``$ref`` may be a FIFO (an open would wait for a writer forever), a device
(``/dev/zero`` never ends, ``/dev/urandom`` neither) or a directory. Each is refused after an open that cannot
block (``O_NONBLOCK``), judged by ``fstat`` of the opened descriptor (so a symlink swapped in between a check and
the open cannot fool it), and a regular file is read up to its limit plus one byte, so a file that grows while it
is read cannot grow memory either.

Standard library only: the fast path of `check` uses it and must not load the rendering engine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["NotRegularFileError", "TooLargeError", "read_regular_bytes"]

_CHUNK = 1 << 20


class NotRegularFileError(OSError):
    """The path names something other than a regular file; ``kind`` says what (``a FIFO``, ``a device``...)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is {kind}, expected a regular file")
        self.kind = kind


class TooLargeError(OSError):
    """The file holds more bytes than the caller accepts."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises NotRegularFileError for anything but a regular file, TooLargeError when the file holds more than
    ``limit`` bytes, and OSError (FileNotFoundError, PermissionError...) when it cannot be opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(_kind(mode))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise TooLargeError(f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)
