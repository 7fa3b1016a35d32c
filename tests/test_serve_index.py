"""The owed search index of serve, made in a child process group and stopped by a save."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from generator.serve_index import IndexChild


def _wait(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"  # a zombie has ended; only its parent has not read it yet


def test_a_child_that_makes_the_index_is_reported_once(tmp_path):
    done = tmp_path / "done"
    child = IndexChild(lambda config, keep_going: done.write_text(str(keep_going)) > 0)
    assert child.ended() is None  # none started
    child.start(None, True)
    assert _wait(lambda: not child.running())
    assert done.read_text() == "True"
    assert child.ended() is True
    assert child.ended() is None  # said once


def test_a_failed_index_is_reported_as_failed(tmp_path):
    child = IndexChild(lambda config, keep_going: False)
    child.start(None, False)
    assert _wait(lambda: not child.running())
    assert child.ended() is False


def test_a_second_start_while_one_runs_starts_nothing(tmp_path):
    runs = tmp_path / "runs"

    def slow(config, keep_going):
        with open(runs, "a") as file:
            file.write("x")
        time.sleep(1)
        return True

    child = IndexChild(slow)
    child.start(None, False)
    assert _wait(runs.exists)
    child.start(None, False)
    assert _wait(lambda: not child.running())
    assert runs.read_text() == "x"
    assert child.ended() is True


def test_stop_ends_the_child_and_everything_it_started_at_once(tmp_path):
    """As a save does while Pagefind works: the child and its own children
    (here a long sleep, standing for Pagefind) end within a second."""
    pid_file = tmp_path / "pid"

    def index_for_a_minute(config, keep_going):
        sleeper = subprocess.Popen(["sleep", "60"])
        pid_file.write_text(str(sleeper.pid))
        sleeper.wait()
        return True

    child = IndexChild(index_for_a_minute)
    child.start(None, False)
    assert _wait(lambda: pid_file.exists() and pid_file.read_text())
    sleeper = int(pid_file.read_text())
    assert _alive(sleeper)
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 1.0
    assert not child.running()
    assert _wait(lambda: not _alive(sleeper), 2.0)
    assert child.ended() is None  # a stopped child is not reported: the rebuild owes anew


def test_a_stop_with_no_child_does_nothing():
    child = IndexChild(lambda config, keep_going: True)
    child.stop()
    assert not child.running() and child.ended() is None
