"""Run one command and measure it: wall time, CPU time and peak memory of its
whole process tree.

CPU is the change in ``getrusage(RUSAGE_CHILDREN)`` around the run, which
counts the child and every descendant reaped below it (worker pools,
helper binaries). Memory is sampled every 20 ms by walking /proc for the
child's descendants and summing their proportional set size (``Pss`` from
``smaps_rollup``; ``VmRSS`` where that file cannot be read), so pages that
forked workers share are counted once overall. The peak of those sums is
reported. Output goes to log files, never to pipes, so a chatty tool can
neither block nor pay for a reader.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.02
SETTLE_SECONDS = 2.0


def settle(seconds: float = SETTLE_SECONDS) -> None:
    """Flush what earlier runs wrote to disk and let the disk settle before timing
    the next run, so one run's write-back does not slow the next one."""
    os.sync()
    time.sleep(seconds)


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the whole tree
    peak_mib: float
    stdout: str
    stderr: str


class CommandFailed(RuntimeError):
    pass


def run_measured(argv: list[str], *, cwd: Path, log: Path,
                 env: dict[str, str] | None = None, memory: bool = True) -> Measured:
    """Run ``argv`` in ``cwd`` to completion; its output goes to ``log``.out/.err.

    Sampling memory costs CPU (the kernel walks the page tables of every
    process it reads), more for a bigger process: runs that time a tool pass
    ``memory=False``, and its peak is measured in a run of its own."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        before = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        sampler = PeakSampler(proc.pid)
        if memory:
            sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - started
        if memory:
            sampler.stop()
        cpu = _children_cpu() - before
    stdout = out_path.read_text("utf-8", "replace")
    stderr = err_path.read_text("utf-8", "replace")
    if code != 0:
        tail = "\n".join(stderr.splitlines()[-20:])
        raise CommandFailed(f"{' '.join(argv)} exited {code} in {cwd}:\n{tail}")
    return Measured(wall, cpu, sampler.peak_kib / 1024, stdout, stderr)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class PeakSampler:
    """A thread that keeps the largest memory sum seen for a process tree."""

    def __init__(self, root_pid: int):
        self.root_pid = root_pid
        self.peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _loop(self) -> None:
        while True:
            total = sum(_memory_kib(pid) for pid in tree_pids(self.root_pid))
            self.peak_kib = max(self.peak_kib, total)
            if self._done.wait(SAMPLE_SECONDS):
                return


def tree_pids(root: int) -> list[int]:
    """``root`` and all its living descendants, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            parent = _parent_pid(entry.name)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _parent_pid(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields after it
    # start at the last ")"; the state comes first, then the parent id.
    return int(text.rpartition(b")")[2].split()[1])


def _memory_kib(pid: int) -> int:
    """Pss of ``pid`` in KiB, or VmRSS where smaps_rollup is unreadable; 0 if gone."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", b"Pss:"),
                      (f"/proc/{pid}/status", b"VmRSS:")):
        try:
            with open(path, "rb") as source:
                for line in source:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0
