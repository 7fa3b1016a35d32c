"""console: the one place the commands (build, check, serve, import) speak
to the terminal, at one of three levels.

``--quiet`` prints errors only: the exit status says the rest. The default
adds the warnings, identical ones summarised, and a closing summary.
``--verbose`` adds each phase with its count and time, every file written
or removed, and every warning as it is. Problems and progress go to
stderr; what a command made, and its summary, to stdout.

Progress: where stderr is a terminal, a phase of many items that runs long
enough gets a bar (tqdm), gone when the phase ends; elsewhere (a CI log)
such a phase gets a plain line as it starts and one as it ends, never a
carriage return. The pipeline does not import this module: ``build`` is
handed ``Console.progress``, a plain callable, and knows nothing of bars.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from typing import TYPE_CHECKING, Callable, Iterable, TextIO

from .errors import Problem
from .problems import summarise

QUIET, NORMAL, VERBOSE = 0, 1, 2
MANY = 500  # items from which a phase is worth a bar, or, off a terminal, its lines
BAR_DELAY = 0.5  # seconds a phase runs before its bar shows: a short one gets none
BAR_INTERVAL = 0.2  # seconds at least between two drawings of a bar
NOUNS = {"photos": "photograph", "discover": "source", "parse": "source",
         "plan": "output", "make": "output"}


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` and ``--verbose`` on a command's parser; ``level`` in its args."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", dest="level", action="store_const", const=QUIET,
                       default=NORMAL, help="print errors only; the exit status says the rest")
    group.add_argument("-v", "--verbose", dest="level", action="store_const", const=VERBOSE,
                       help="also print each phase and its time, each file written or "
                            "removed, and every warning unsummarised")


if TYPE_CHECKING:
    from tqdm import tqdm


@functools.cache
def _bar_class() -> type[tqdm]:
    """tqdm's bar without a monitor thread (builds fork their workers); tqdm
    is imported only when a terminal gets a bar."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar


class Console:
    """Where a command's messages go, at its level. The streams default to
    sys.stdout and sys.stderr as they are when written to."""

    def __init__(self, level: int = NORMAL, *, out: TextIO | None = None,
                 err: TextIO | None = None, clock: Callable[[], float] = time.perf_counter):
        self.level = level
        self._out, self._err, self._clock = out, err, clock
        self._bar: tqdm | None = None
        self.begin()

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout

    @property
    def err(self) -> TextIO:
        return self._err or sys.stderr

    def begin(self) -> None:
        """A new run of the pipeline: its clock starts now."""
        self._close_bar()
        self.started = self._mark = self._clock()
        self._phase: str | None = None
        self._open = False

    def close(self) -> None:
        """Take down a bar still drawn, as when a phase is cut short by an error."""
        self._close_bar()

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc_info) -> None:
        """A run of the pipeline is over, however it ended: no bar stays under
        what is said next."""
        self.close()

    def seconds(self) -> float:
        """Since ``begin``."""
        return self._clock() - self.started

    # -- lines -----------------------------------------------------------------------

    def always(self, text: str) -> None:
        """A line on stdout at every level: what the command is for (serve's address)."""
        self._print(text, self.out)

    def say(self, text: str) -> None:
        """A result line (stdout), unless quiet."""
        if self.level >= NORMAL:
            self._print(text, self.out)

    def detail(self, text: str) -> None:
        """A line for --verbose only (stdout)."""
        if self.level >= VERBOSE:
            self._print(text, self.out)

    def note(self, text: str) -> None:
        """A remark on stderr, unless quiet."""
        if self.level >= NORMAL:
            self._print(text, self.err)

    def error(self, text: str) -> None:
        """An error line on stderr, at every level."""
        self._print(text, self.err)

    def problems(self, found: Iterable[Problem]) -> None:
        """Errors at every level; warnings unless quiet, summarised unless verbose."""
        found = list(found)
        shown = found if self.level >= VERBOSE else summarised(found)
        for problem in shown:
            if problem.is_error or self.level >= NORMAL:
                self._print(str(problem), self.err)

    def _print(self, text: str, stream: TextIO) -> None:
        self._close_bar()
        print(text, file=stream, flush=True)

    # -- progress ----------------------------------------------------------------------

    def progress(self, phase: str, done: int, total: int) -> None:
        """What the pipeline tells of its phases (see parallel.Progress)."""
        if phase != self._phase:
            self._phase, self._open = phase, True
            if done < total:  # a phase told of only when over has no start to show
                self._start(phase, total)
        if not self._open:
            return
        if done < total:
            if self._bar is not None:
                self._bar.update(done - self._bar.n)
            return
        self._open = False
        self._finish(phase, total)

    def _start(self, phase: str, total: int) -> None:
        if self.level == QUIET or total < MANY:
            return
        noun = NOUNS.get(phase, "item")
        if self.err.isatty():
            known = _has_width(self.err)  # else tqdm would draw a bar 0 columns wide
            self._bar = _bar_class()(total=total, desc=f"warraq: {phase}", unit=f" {noun}s",
                             file=self.err, delay=BAR_DELAY, mininterval=BAR_INTERVAL,
                             leave=False, dynamic_ncols=known, ncols=None if known else 80,
                             nrows=None if known else 24)
        else:
            self._print(f"warraq: {phase}: {plural(total, noun)}…", self.err)

    def _finish(self, phase: str, total: int) -> None:
        now = self._clock()
        took, self._mark = now - self._mark, now
        self._close_bar()
        many_here = total >= MANY and not self.err.isatty()
        if self.level >= VERBOSE or (self.level == NORMAL and many_here):
            counted = f"{plural(total, NOUNS[phase])}, " if phase in NOUNS else ""
            self._print(f"warraq: {phase}: {counted}{took:.2f} s", self.err)

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _has_width(stream: TextIO) -> bool:
    """Whether the terminal says how wide it is (a bare pseudo-terminal does not)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, OSError, ValueError):  # not a real file: a test's stream
        return False


def summarised(problems: list[Problem]) -> list[Problem]:
    """The problems as shown by default: a warning that recurs in many files
    told once (``problems.summarise``); builds, checks and failed builds
    hand their problems over whole, so --verbose can show every one."""
    return list(summarise(problems))


def count_of(problems: Iterable[Problem]) -> tuple[int, int]:
    """(warnings, errors)."""
    found = list(problems)
    errors = sum(p.is_error for p in found)
    return len(found) - errors, errors


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def build_summary(report, problems: Iterable[Problem], output_dir: str,
                  seconds: float) -> str:
    """The closing line of a build: what the site holds, what changed, what
    went wrong, how long it took and where it is."""
    warnings, errors = count_of(problems)
    counts = report.counts
    site = f"{plural(counts[0], 'article')}, {plural(counts[1], 'topic')}, " if counts else ""
    files = report.unchanged + len(report.written)
    return (f"warraq: {site}{files:,} files ({len(report.written):,} written, "
            f"{report.unchanged:,} unchanged, {len(report.removed):,} removed), "
            f"{plural(warnings, 'warning')}, {plural(errors, 'error')}, {seconds:.1f} s "
            f"-> {output_dir}/")


def check_summary(site, problems: Iterable[Problem], seconds: float) -> str:
    """The closing line of a check, which raised had there been an error."""
    warnings, _ = count_of(problems)
    return (f"warraq: {plural(len(site.articles), 'article')}, "
            f"{plural(len(site.topics), 'topic')}, {plural(warnings, 'warning')}, no errors, "
            f"{seconds:.1f} s")
