"""Spread a job over every core: forked workers each take every n-th item.

Small jobs, and platforms without fork, run in the calling process: the
result is the same either way, only the time differs. Workers inherit the
items through fork, so nothing but each worker's result is pickled.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 500  # below this, starting workers costs more than it saves
_JOB: list = []


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def map_strided(func: Callable[[Sequence[Item]], Result], items: Sequence[Item],
                *, workers: int | None = None) -> list[Result]:
    """[func(items[0::n]), func(items[1::n]), …] for n workers (n may be 1)."""
    count = workers or worker_count()
    if count < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [func(items)]
    _JOB[:] = [func, items, count]
    gc.freeze()  # a collection in a worker would touch, and so copy, every inherited page
    try:
        with multiprocessing.get_context("fork").Pool(count - 1) as pool:
            others = pool.map_async(_run_slice, range(1, count))
            mine = _run_slice(0)  # this process takes a share too: no result to ship
            return [mine, *others.get()]
    finally:
        _JOB.clear()
        gc.unfreeze()


def map_in_order(func: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                 *, workers: int | None = None) -> list[Result]:
    """``func`` maps a list to a list of the same length; the results of all
    workers, back in the order of ``items``."""
    chunks = map_strided(func, items, workers=workers)
    ordered: list = [None] * len(items)
    for index, chunk in enumerate(chunks):
        ordered[index::len(chunks)] = chunk
    return ordered


def _run_slice(index: int):
    func, items, count = _JOB
    return func(items[index::count])
