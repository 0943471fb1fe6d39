"""Workers: independent pieces of one command's work run side by side, one per core, in forked processes.

A forked child starts with everything this process holds (the spec, the engine's imports) without copying it, runs
one piece and sends its result back through a pipe. The first piece runs in this process meanwhile. A child that
fails in any way (raises, is killed, cannot send its result) fails the whole call, and the caller does the work in
one piece, so a result never depends on how it was split. Children never outlive the call: they are stopped when
it ends or is interrupted (a time budget expiring, say), and stop themselves when the time budget this process
had left runs out.

Forking is used on Linux only, where it is the platform's way; elsewhere everything runs in this process.
Standard library only.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

__all__ = ["can_fork", "run_side_by_side", "usable_cores"]

T = TypeVar("T")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether pieces can run in forked children here."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _child(task: Callable[[], Any], sender: Connection, seconds_left: float) -> None:
    """A child's whole life: run ``task`` and send ``(True, result)``, or ``(False, None)`` when it fails."""
    if seconds_left > 0:  # the budget's timer is not inherited; its handler is: it raises when this one fires
        signal.setitimer(signal.ITIMER_REAL, seconds_left)
    try:
        sender.send((True, task()))
    except BaseException:  # noqa: BLE001 - any failure is reported as one; the parent does the work itself
        try:
            sender.send((False, None))
        except BaseException:  # noqa: BLE001 - the parent reads the closed pipe as a failure
            pass


def run_side_by_side(tasks: Sequence[Callable[[], T]]) -> list[T] | None:
    """Every task's result, in order: the first task runs in this process, each other one in a forked child
    (all in this process where forking is not available). None when a child fails; an exception of the first
    task propagates, after the children are stopped."""
    if len(tasks) < 2 or not can_fork():
        return [task() for task in tasks]
    context = multiprocessing.get_context("fork")
    seconds_left = signal.getitimer(signal.ITIMER_REAL)[0]
    children: list[tuple[Any, Connection]] = []
    try:
        # Objects alive now are left alone by the children's cycle collector, which would otherwise touch (and so
        # copy) every page of the spec the children share with this process.
        gc.freeze()
        try:
            for task in tasks[1:]:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(task, sender, seconds_left), daemon=True)
                process.start()
                sender.close()
                children.append((process, receiver))
        finally:
            gc.unfreeze()
        results = [tasks[0]()]
        for _, receiver in children:
            try:
                done, value = receiver.recv()
            except (EOFError, OSError):
                return None
            if not done:
                return None
            results.append(value)
        return results
    finally:
        for process, receiver in children:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
