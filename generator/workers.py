"""Workers: independent pieces of one command's work run side by side, one per core, in forked processes.

A forked child starts with everything this process holds (the spec, the engine's imports) without copying it, runs
one piece and sends its result back through a pipe. The first piece runs in this process meanwhile
(`run_side_by_side`), or another step that does not wait for the child (`run_beside`). A child that fails in any
way (raises, is killed, cannot send its result) fails the whole call, and the caller does the work in one piece,
so a result never depends on how it was split. Children never outlive the call: they are stopped when
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
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

__all__ = ["can_fork", "run_beside", "run_side_by_side", "usable_cores"]

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


def _forked(context: Any, task: Callable[[], Any], seconds_left: float) -> tuple[Any, Connection]:
    """A child started on ``task``, and the end of the pipe its result arrives on."""
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(task, sender, seconds_left), daemon=True)
    process.start()
    sender.close()
    return process, receiver


def _start(tasks: Sequence[Callable[[], Any]]) -> list[tuple[Any, Connection]]:
    """One forked child per task. Output still buffered here is written first, so no child writes it again, and
    the objects alive now are left alone by the children's cycle collector, which would otherwise touch (and so
    copy) every page of the spec the children share with this process."""
    context = multiprocessing.get_context("fork")
    seconds_left = signal.getitimer(signal.ITIMER_REAL)[0]
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    children: list[tuple[Any, Connection]] = []
    gc.freeze()
    try:
        for task in tasks:
            children.append(_forked(context, task, seconds_left))
    except BaseException:
        _stop(children)
        raise
    finally:
        gc.unfreeze()
    return children


def _stop(children: list[tuple[Any, Connection]]) -> None:
    for process, receiver in children:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


def _received(receiver: Connection) -> tuple[bool, Any]:
    """``(True, result)`` from a child that sent one; ``(False, None)`` when it failed, died, or sent something this
    process cannot take back (an object that does not unpickle)."""
    try:
        done, value = receiver.recv()
    except Exception:  # noqa: BLE001 - a closed pipe or a result that cannot be rebuilt here is a failed child
        return False, None
    return (True, value) if done else (False, None)


def run_side_by_side(tasks: Sequence[Callable[[], T]]) -> list[T] | None:
    """Every task's result, in order: the first task runs in this process, each other one in a forked child
    (all in this process where forking is not available). None when a child fails; an exception of the first
    task propagates, after the children are stopped."""
    if len(tasks) < 2 or not can_fork():
        return [task() for task in tasks]
    children = _start(tasks[1:])
    try:
        results = [tasks[0]()]
        for _, receiver in children:
            done, value = _received(receiver)
            if not done:
                return None
            results.append(value)
        return results
    finally:
        _stop(children)


def run_beside(task: Callable[[], T], meanwhile: Callable[[], object]) -> T | None:
    """``task``'s result, computed in a forked child while ``meanwhile`` runs in this process: two steps that do
    not wait for each other, one on each core. The warnings the task issued are issued again here, in their order,
    once ``meanwhile`` is done. None when the child fails in any way (or cannot be forked): the caller then runs the
    task itself, so an error in it is reported the same way every time."""
    if not can_fork():
        return None
    (child,) = _start([_recording(task)])
    try:
        meanwhile()
        done, value = _received(child[1])
    finally:
        _stop([child])
    if not done:
        return None
    result, issued = value
    for message, category, filename, lineno in issued:
        warnings.warn_explicit(message, category, filename, lineno)
    return result  # type: ignore[no-any-return]


_Issued = list[tuple[Warning | str, type[Warning], str, int]]
"""The warnings a task issued: message, category, file and line of each, as `warnings.warn_explicit` takes them."""


def _recording(task: Callable[[], T]) -> Callable[[], tuple[T, _Issued]]:
    """``task``, returning its result with the warnings it issued (under the filters in force: one that an
    ``error`` filter turns into an exception fails the task)."""

    def run() -> tuple[T, _Issued]:
        with warnings.catch_warnings(record=True) as caught:
            result = task()
        return result, [(w.message, w.category, w.filename, w.lineno) for w in caught]

    return run
