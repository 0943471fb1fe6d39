"""The one error type of the pipeline: what went wrong, in which file, and where in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CodegenError", "CodegenWarning"]


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
        return _one_line(f"{self.file}{place}: {self.message}")


class CodegenWarning(UserWarning):
    """A problem that does not stop generation (a regex that needs a backtracking engine), reported through
    :mod:`warnings` as one line ``warning: <file> at <pointer>: ...``; a flag may turn it into an error."""

    def __init__(self, file: str | Path, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.error = CodegenError(file, message, where)

    def __reduce__(self) -> tuple[type[CodegenWarning], tuple[str | Path, str, str | None]]:
        # Rebuilt from its own three arguments (the default would call it with the message alone): a warning
        # issued in a worker process is issued again in the command's (`generator.workers.run_beside`).
        return type(self), (self.error.file, self.error.message, self.error.where)

    def __str__(self) -> str:
        return str(self.error)


def _one_line(text: str) -> str:
    """The text with every line break or other control character escaped, so an error is always one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
