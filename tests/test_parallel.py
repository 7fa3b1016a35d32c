"""parallel: the same results in the same order, on one core or several."""

from __future__ import annotations

import multiprocessing
import os
import time

from generator import parallel

_MET: list = []  # the barrier the three processes meet at, inherited through fork


def _pids_and_doubles(items):
    return [(os.getpid(), item * 2) for item in items]


def _meeting_first(items):
    """Waits, the first time in each process, until three processes have come."""
    if _MET and _MET[-1] != os.getpid():
        _MET[0].wait()
        _MET.append(os.getpid())
    return _pids_and_doubles(items)


def _slow_doubles(items):
    time.sleep(0.002 * len(items))
    return _pids_and_doubles(items)


def test_map_in_order_keeps_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "MIN_RUN", 1)
    _MET[:] = [multiprocessing.get_context("fork").Barrier(3, timeout=60), None]
    try:
        results = parallel.map_in_order(_meeting_first, list(range(11)), workers=3)
    finally:
        _MET.clear()
    assert [double for _, double in results] == [n * 2 for n in range(11)]
    assert len({pid for pid, _ in results}) == 3  # really spread over processes


def test_every_item_is_mapped_once_however_the_runs_fall(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    for count, min_run in ((2, 1), (2, 7), (3, 32), (4, 5)):
        monkeypatch.setattr(parallel, "MIN_RUN", min_run)
        items = list(range(500))
        results = parallel.map_in_order(_slow_doubles, items, workers=count)
        assert [double for _, double in results] == [n * 2 for n in items]


def test_small_jobs_stay_in_this_process():
    results = parallel.map_in_order(_pids_and_doubles, [1, 2, 3], workers=4)
    assert results == [(os.getpid(), 2), (os.getpid(), 4), (os.getpid(), 6)]
