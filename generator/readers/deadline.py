"""A time limit on one call, by the interval timer and its SIGALRM.

Used where a library may take unbounded time on hostile input (Python-
Markdown on nested brackets). A signal can be had only in the main thread:
elsewhere, or where SIGALRM has a handler set outside Python (which could
not be put back), the call runs without a limit. The handler and any timer
that were set before are put back afterwards.
"""

from __future__ import annotations

import gc
import signal
import threading
import time
from typing import Callable, TypeVar

try:  # the C functions: signal.signal wraps them in enums, at 9 µs a call
    import _signal as _raw_signal
except ImportError:  # pragma: no cover - not CPython
    _raw_signal = signal

Result = TypeVar("Result")
_TIMED = hasattr(signal, "setitimer")
_ALARM = int(getattr(signal, "SIGALRM", 0))
RING_AGAIN = 0.05  # seconds between rings once the time is up


class OutOfTime(Exception):
    """Raised into a call that ran past its limit; for the caller to report."""


def within(seconds: float, call: Callable[..., Result], *args) -> Result:
    """``call(*args)``, or OutOfTime once it has run ``seconds``."""
    if (not _TIMED or threading.current_thread() is not threading.main_thread()
            or _raw_signal.getsignal(_ALARM) is None):
        return call(*args)
    previous = _raw_signal.signal(_ALARM, _ring)
    theirs, started = (0.0, 0.0), 0.0
    try:  # from here on, whatever rings, the handler and the timer are put back
        # It rings again and again: an exception raised while a destructor or a
        # garbage-collector callback runs is lost, and the call goes on.
        theirs = signal.setitimer(signal.ITIMER_REAL, seconds, RING_AGAIN)
        started = time.monotonic() if theirs[0] else 0.0
        return call(*args)
    finally:
        _restore(previous, theirs, started)


def _ring(_signum, frame) -> None:
    # Raised in a destructor or a garbage-collector callback, it would be
    # printed and lost: there it waits for the next ring, which comes soon.
    if frame is not None and (frame.f_code.co_name == "__del__" or any(
            getattr(callback, "__code__", None) is frame.f_code for callback in gc.callbacks)):
        return
    raise OutOfTime


def _restore(previous, theirs: tuple[float, float], started: float) -> None:
    """Stop the timer; put back the handler, and any timer set before ours
    with what was left of it (at once, if it fell due meanwhile)."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _raw_signal.signal(_ALARM, previous)
            if theirs[0]:
                left = theirs[0] - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), theirs[1])
            return
        except OutOfTime:  # it rang just as the call ended, which is over: go on
            continue
