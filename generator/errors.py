"""The one error type of the pipeline: what went wrong, in which file, and where in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CodegenError"]


@dataclass(frozen=True)
class CodegenError(Exception):
    """A problem with an input document, reported to the user as one line.

    ``where`` is a JSON pointer (``/components/schemas/Foo``) or ``line N`` when the problem has a place.
    ``also`` holds further problems found in the same pass (every stale overlay action, say): the command line
    prints each on its own ``error:`` line, this one first.
    """

    file: str | Path
    message: str
    where: str | None = None
    also: tuple[CodegenError, ...] = ()

    def lines(self) -> list[str]:
        """This problem and the ones in ``also``, one line each (without the ``error:`` prefix)."""
        return [str(self), *(str(other) for other in self.also)]

    def __str__(self) -> str:
        place = f" at {self.where}" if self.where else ""
        return f"{self.file}{place}: {self.message}"
