"""Spread a job over every core: forked workers and this process take runs
of items in turn, each run smaller than the last, so no core waits long for
another to finish.

Small jobs, and platforms without fork, run in the calling process: the
result is the same either way, only the time differs. Workers inherit the
items through fork, so nothing but each worker's results is pickled. A caller
that shows progress is told, as each run comes back, how many items all the
processes have done (a shared count); a long job done here goes in runs.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
from functools import partial
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 500  # below this, starting workers costs more than it saves
MIN_RUN = 32  # the last runs: a few milliseconds of work each
_JOB: list = []
Done = Callable[[int], None]  # told the number of items done so far
# A pipeline's progress: ``progress(phase, done, total)``, told once or more per
# phase; ``done == total`` when the phase is over (total 0: a phase without a count).
Progress = Callable[[str, int, int], None]


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def map_in_order(func: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                 *, workers: int | None = None, min_items: int | None = None,
                 done: Done | None = None) -> list[Result]:
    """``func`` maps a list to a list of the same length; its results for
    all of ``items``, in their order, from as many processes as ``workers``;
    fewer than ``min_items`` are done here (heavy items deserve a lower one).
    ``done``, if given, is told how many items are done each time a run is."""
    count = workers or worker_count()
    least = MIN_ITEMS if min_items is None else min_items
    if count < 2 or len(items) < least or "fork" not in multiprocessing.get_all_start_methods():
        return _map_here(func, items, done if len(items) >= least else None)
    context = multiprocessing.get_context("fork")
    _JOB[:] = [func, items, count, context.Value("q", 0), context.Value("q", 0)]
    gc.freeze()  # a collection in a worker would touch, and so copy, every inherited page
    try:
        with stop_signals_held():
            pool = context.Pool(count - 1, initializer=_quiet_worker)
        with pool:
            # one task per run there will be: a worker ships each run's results as soon
            # as it has them, and gets None once the runs are all taken
            shipped = pool.imap_unordered(_take_run, range(_run_count(len(items), count)))
            runs = _told(iter(partial(_take_run, 0), None), done)  # this process's: not shipped
            runs += _told((run for run in shipped if run), done)
    finally:
        _JOB.clear()
        gc.unfreeze()
    ordered: list = [None] * len(items)
    for start, results in runs:
        ordered[start:start + len(results)] = results
    return ordered


STOPS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def stop_signals_held():
    """Ctrl-C or SIGTERM held back while the workers are forked: a stop raised
    inside ``fork``'s own locking is swallowed there, and the build would go
    on. It arrives the moment the pool stands."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _quiet_worker() -> None:
    """Ctrl-C reaches every process of the terminal: the workers leave it to
    this process, which stops them, and SIGTERM simply ends them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # forked while they were held


def _run_size(remaining: int, count: int) -> int:
    return max(MIN_RUN, remaining // (2 * count))


def _run_count(total: int, count: int) -> int:
    runs = start = 0
    while start < total:
        start += _run_size(total - start, count)
        runs += 1
    return runs


def _take_run(_task: int) -> tuple[int, list] | None:
    """(start, results) of the next run of items, or None when none is left."""
    func, items, count, taken, finished = _JOB
    with taken.get_lock():
        start = taken.value
        size = _run_size(len(items) - start, count)
        taken.value = start + size
    if start >= len(items):
        return None
    results = func(items[start:start + size])
    with finished.get_lock():
        finished.value += len(results)
    return start, results


def unheard(phase: str, done: int, total: int) -> None:
    """The progress of a pipeline nobody watches."""


def tracked(progress: Progress, phase: str, total: int, work: Callable[[Done], Result]
            ) -> Result:
    """``work(done)``, with ``progress`` told of ``phase`` as it starts, each
    time ``done`` is told how many of its ``total`` items are done, and as it ends."""
    progress(phase, 0, total)
    result = work(lambda done: progress(phase, done, total))
    progress(phase, total, total)
    return result


def _told(runs, done: Done | None) -> list:
    """The runs, ``done`` told after each how many items every process has done."""
    found = []
    for run in runs:
        found.append(run)
        if done:
            done(_JOB[4].value)
    return found


def _map_here(func, items: Sequence, done: Done | None) -> list:
    """``func`` over ``items`` in this process: at once, or with ``done`` to
    tell, in a few runs."""
    if done is None:
        return func(items)
    results: list = []
    step = max(MIN_RUN, len(items) // 20)
    for start in range(0, len(items), step):
        results += func(items[start:start + step])
        done(len(results))
    return results
