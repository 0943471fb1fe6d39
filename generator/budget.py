"""A time budget for one command: past it, the work in progress is stopped and reported as a CodegenError.

The budget is a real-time interval timer (``signal.setitimer``); its ``SIGALRM`` handler raises an exception in the
main thread, wherever the work is: the pipeline, the rendering engine, or a regex match in the ``re`` module (which
checks for signals while it backtracks). Limitation: Python runs signal handlers between bytecodes, so a single
call into native code that never checks for signals (a compiled extension's long computation) is stopped only when
it returns. The exception derives from BaseException, so no ``except Exception`` in the engine can swallow it.
Outside the main thread (where signals cannot be handled) no budget applies.

Standard library only.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from generator.errors import CodegenError

__all__ = ["time_budget"]


class _BudgetExceeded(BaseException):
    """Raised by the timer's signal handler; turned into a CodegenError by `time_budget`."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _BudgetExceeded


class time_budget:
    """Run the body within ``seconds`` (0: no budget), else raise CodegenError naming ``file``.

    A class, not a generator: a CodegenError raised by the body must pass through untouched (it is frozen, and a
    generator-based context manager would try to set its traceback).
    """

    def __init__(self, seconds: float, file: str | Path, what: str = "generation") -> None:
        self.seconds, self.file, self.what = seconds, file, what
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        if self.seconds <= 0 or threading.current_thread() is not threading.main_thread():
            return
        self.previous = signal.signal(signal.SIGALRM, _expire)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not self.armed:
            return
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _BudgetExceeded:  # fired just as the body finished: the work is done, keep its result
            pass
        signal.signal(signal.SIGALRM, self.previous)
        self.armed = False
        if kind is not None and issubclass(kind, _BudgetExceeded):
            raise CodegenError(self.file, f"{self.what} exceeded the time budget of {self.seconds:g} s") from None
