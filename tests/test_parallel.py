"""parallel: the same results in the same order, on one core or several."""

from __future__ import annotations

import os

from generator import parallel


def _pids_and_doubles(items):
    return [(os.getpid(), item * 2) for item in items]


def test_map_in_order_keeps_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    results = parallel.map_in_order(_pids_and_doubles, list(range(11)), workers=3)
    assert [double for _, double in results] == [n * 2 for n in range(11)]
    assert len({pid for pid, _ in results}) == 3  # really spread over processes


def test_small_jobs_stay_in_this_process():
    results = parallel.map_in_order(_pids_and_doubles, [1, 2, 3], workers=4)
    assert results == [(os.getpid(), 2), (os.getpid(), 4), (os.getpid(), 6)]
