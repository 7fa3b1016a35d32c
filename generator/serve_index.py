"""The search index a ``warraq serve`` rebuild owes, made in a child process.

A rebuild makes the pages first and leaves the index for later, so that the
browser reloads at once. The index then runs in a child of its own process
group: the preview goes on answering while Pagefind works (tens of seconds
at 10,000 articles), and a save that comes first stops the whole group, so
that its rebuild reloads the page without waiting for the index; that
rebuild owes the index again. Stopping is safe at any moment: the build
swaps the output in one rename and releases its lock as it dies.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from typing import Callable

from .build import build
from .config import Config
from .errors import WarraqError
from .parallel import STOPS, stop_signals_held

STOP_WAIT_SECONDS = 5.0  # then the group is killed


class IndexChild:
    """At most one child making the owed index; the parent asks it by polling."""

    def __init__(self, make: Callable[[Config, bool], bool] | None = None) -> None:
        self._make = make or make_index
        self._process: multiprocessing.Process | None = None

    def start(self, config: Config, keep_going: bool) -> None:
        """Start making the index, unless a child is making it already."""
        if self.running():
            return
        context = multiprocessing.get_context("fork")
        with stop_signals_held():  # a stop during the fork reaches the parent, after it
            self._process = context.Process(target=_child, args=(self._make, config, keep_going),
                                            name="warraq-index", daemon=True)
            self._process.start()
        try:  # the child does the same: whichever runs first, the group exists
            os.setpgid(self._process.pid, self._process.pid)
        except OSError:  # the child has done it, or has ended
            pass

    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def ended(self) -> bool | None:
        """None while no child has ended since the last answer; else whether
        the one that ended made the index."""
        if self._process is None or self._process.is_alive():
            return None
        process, self._process = self._process, None
        process.join()
        return process.exitcode == 0

    def stop(self) -> None:
        """End the child and its own children (Pagefind, build workers), if any."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.is_alive():
            _signal_group(process.pid, signal.SIGTERM)
            process.join(STOP_WAIT_SECONDS)
            if process.is_alive():
                _signal_group(process.pid, signal.SIGKILL)
        process.join()


def make_index(config: Config, keep_going: bool) -> bool:
    """Build with the index (the pages are up to date already); a failure is
    shown as any build's. Whether it succeeded."""
    started = time.perf_counter()
    try:
        build(config, keep_going=keep_going)
    except WarraqError as exc:
        print("warraq: the search index could not be made\n"
              + "\n".join(str(p) for p in exc.problems), file=sys.stderr, flush=True)
        return False
    print(f"warraq: search index updated in {time.perf_counter() - started:.2f}s", flush=True)
    return True


def _child(make: Callable[[Config, bool], bool], config: Config, keep_going: bool) -> None:
    """A group of its own, so that Ctrl-C in the terminal reaches only serve,
    which stops it, and a stop reaches everything it started."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    code = 0 if make(config, keep_going) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # not the parent's exit handlers: they belong to the server


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:  # it has ended
        pass
