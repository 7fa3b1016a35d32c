"""Ask the operating system to read source files ahead of the parse.

A parse reads its files one at a time, and each file not in the page cache
(an archive untouched for a while, a fresh checkout) stalls the worker
for a disk round trip. A couple of short-lived forked processes ask the
kernel to read every file ahead, which it does many at a time, so the
parse finds them in memory. Nothing is read into Python; where the files
are cached already this costs a few microseconds a file.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Sequence

from ..parallel import stop_signals_held

AT_LEAST = 200  # fewer files are read soon enough without help
HELPERS = 2  # each asks for its share; the disk works on them all at once


@contextmanager
def prefetched(paths: Sequence[str]) -> Iterator[list[int]]:
    """While the block runs, helper processes (their ids are yielded) ask for
    ``paths`` to be read into the page cache; they are reaped on the way out."""
    helpers = _start(paths) if len(paths) >= AT_LEAST and _supported() else []
    try:
        yield helpers
    finally:
        for pid in helpers:
            os.waitpid(pid, 0)


def _supported() -> bool:
    return hasattr(os, "fork") and hasattr(os, "posix_fadvise")


def _start(paths: Sequence[str]) -> list[int]:
    helpers = []
    for index in range(HELPERS):
        with stop_signals_held():  # see parallel: a stop inside fork would be lost
            pid = os.fork()
        if pid == 0:  # the helper: advise, and leave without running any cleanup
            try:
                _advise(paths[index::HELPERS])
            finally:
                os._exit(0)
        helpers.append(pid)
    return helpers


def _advise(paths: Sequence[str]) -> None:
    for path in paths:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:  # gone since it was found: the parse reports it
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(descriptor)
