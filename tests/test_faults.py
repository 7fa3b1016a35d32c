"""Faults: a build killed at any moment, stopped by a signal, out of disk space, on a
read-only or foreign file system leaves the previous site or the new one, whole, says
so in one line, leaves nothing behind, and the next build equals a cold one."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import writer
from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.guard import MARKER

from .conftest import PROJECT

ARTICLES = 2000  # about 2,200 pages: a swap of a few thousand files


def wire(number: int, words: int = 60) -> str:
    body = " ".join(f"كلمة{(number * 7 + i) % 97} نص" for i in range(words))
    return f"خبر رقم {number} عن المدينة\n\n{body}.\n\nفقرة ثانية للخبر {number}.\n"


def make_project(root: Path, count: int, words: int = 60) -> Path:
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    (root / "content").mkdir(parents=True)
    for number in range(count):
        day = 1 + number % 28
        (root / f"content/2016-11-{day:02d}-n{number}.txt").write_text(
            wire(number, words), "utf-8")
    (root / "warraq.toml").write_text('fallback_date = "2016-12-06"\nper_page = 20\n'
                                      'site_url = "https://example.org/"\n', "utf-8")
    return root


def variant(root: Path, name: str) -> None:
    """Every page changes between variants: a comment in base.html."""
    base = root / "templates/base.html"
    text = base.read_text("utf-8").split("<!-- variant")[0].rstrip("\n") + "\n"
    base.write_text(text + f"<!-- variant {name} -->\n", "utf-8")


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def run_build(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", *args], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def finished(process: subprocess.Popen) -> int:
    process.communicate(timeout=300)
    return process.returncode


def cold(root: Path, place: Path, name: str | None = None) -> dict[str, str]:
    """The site of ``root`` (in variant ``name``), built from nothing in a copy."""
    shutil.copytree(root, place, ignore=shutil.ignore_patterns("_site", ".warraq-cache"))
    if name:
        variant(place, name)
    assert build(load_config(place / "warraq.toml")).written
    return digests(place / "_site")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A project of ARTICLES articles built in variant A, both variants built cold,
    and how long a rebuild from one variant to the other takes."""
    root = make_project(tmp_path_factory.mktemp("big") / "site", ARTICLES)
    variant(root, "A")
    assert finished(run_build(root)) == 0
    variant(root, "B")
    started = time.perf_counter()
    assert finished(run_build(root)) == 0
    duration = time.perf_counter() - started
    variant(root, "A")
    assert finished(run_build(root)) == 0
    references = {name: cold(root, tmp_path_factory.mktemp(f"cold-{name}") / "site", name)
                  for name in "AB"}
    return root, references, duration


def test_killed_at_any_moment_the_site_is_old_or_new_and_the_next_build_is_cold_equal(big):
    root, references, duration = big
    assert len(references["A"]) > 2000
    current, outcomes = "A", []
    for trial, fraction in enumerate((0.15, 0.35, 0.55, 0.75, 0.9, 1.0)):
        target = "B" if current == "A" else "A"
        variant(root, target)
        process = run_build(root)
        time.sleep(duration * fraction)
        process.kill()
        finished(process)
        left = digests(root / "_site")
        assert left in (references[current], references[target]), f"mixed site, {trial}"
        outcomes.append("new" if left == references[target] else "old")
        assert finished(run_build(root)) == 0
        assert digests(root / "_site") == references[target]
        current = target
    assert "old" in outcomes  # some kills landed before the swap


@pytest.mark.parametrize("sent, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_build_cleanly(big, sent, code):
    root, references, duration = big
    current = "A" if digests(root / "_site") == references["A"] else "B"
    target = "B" if current == "A" else "A"
    variant(root, target)
    process = run_build(root, start_new_session=True)
    time.sleep(duration * 0.3)
    os.killpg(process.pid, sent)  # as a terminal's Ctrl-C reaches the whole group
    out, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert process.returncode == code
    *progress, last = err.strip().splitlines()
    assert last == "warraq: stopped; the site is the previous one or the new one, whole"
    # off a terminal, the phases of many items are said in plain lines, no bar
    assert all(re.fullmatch(r"warraq: \w+: [\d,]+ \w+(…|, [\d.]+ s)", line)
               for line in progress), progress
    assert digests(root / "_site") in (references[current], references[target])
    assert finished(run_build(root)) == 0
    assert digests(root / "_site") == references[target]


# Faults injected where the operating system reports them: no privileges needed.

@pytest.fixture
def small(make_site, tmp_path, monkeypatch):
    files = {f"content/2016-12-{day:02d}-a.txt": wire(day) for day in range(1, 9)}
    config = make_site(files)
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    (tmp_path / "content/2016-12-01-a.txt").write_text(wire(99), "utf-8")  # to be rebuilt
    return tmp_path, config


def assert_unharmed(root: Path, before: dict[str, str]) -> None:
    assert digests(root / "_site") == before
    spare = root / ".warraq-cache/spare"
    assert not spare.exists() or digests(spare) == before
    assert sorted(os.listdir(root)) == [".warraq-cache", "_site", "content", "static",
                                        "templates", "warraq.toml"]


@pytest.mark.parametrize("where, code, reason", [
    ("_write_new", errno.ENOSPC, "No space left on device"),
    ("exchange", errno.EROFS, "Read-only file system"),
    ("exchange", errno.EXDEV, "Invalid cross-device link"),
    ("exchange", errno.EPERM, "Operation not permitted"),
])
def test_a_failing_file_system_is_one_line_and_leaves_the_site(small, monkeypatch, capsys,
                                                              where, code, reason):
    root, _ = small
    before = digests(root / "_site")
    real = getattr(writer, where)
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) > 2 or where == "exchange":
            raise OSError(code, os.strerror(code))
        return real(*args)

    monkeypatch.setattr(writer, where, failing)
    assert main(["build"]) == 2
    assert capsys.readouterr().err == (f"_site: cannot write the site ({reason}); the "
                                       "previous site is left as it was\n")
    assert_unharmed(root, before)
    monkeypatch.undo()
    monkeypatch.chdir(root)
    assert main(["build"]) == 0
    assert "خبر رقم <bdi>99</bdi>" in (root / "_site/index.html").read_text("utf-8")


# The same faults for real, where this machine lets the tests mount a tmpfs (as root).

@pytest.fixture
def mounted(tmp_path):
    point = tmp_path / "mnt"
    point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        yield point
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(point)], capture_output=True)
        subprocess.run(["umount", "-l", str(point)], check=True)


def command(root: Path, *args: str) -> tuple[int, str]:
    process = run_build(root, *args)
    out, err = process.communicate(timeout=120)
    return process.returncode, err


def test_a_full_disk_is_one_line_and_the_next_build_is_cold_equal(mounted, tmp_path):
    root = make_project(mounted / "site", 5)
    assert command(root) == (0, "")
    before = digests(root / "_site")
    for number in range(5, 80):
        (root / f"content/2016-12-01-m{number}.txt").write_text(wire(number, 400), "utf-8")
    free = os.statvfs(mounted)
    (mounted / "filler").write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - 150_000))
    code, err = command(root)
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "No space left on device" in err or "disk is full" in err
    assert digests(root / "_site") == before
    spare = root / ".warraq-cache/spare"
    assert not spare.exists() or digests(spare) == before  # nothing of the failed build
    (mounted / "filler").unlink()
    assert command(root)[0] == 0
    assert digests(root / "_site") == cold(root, tmp_path / "cold")


def test_a_read_only_file_system_is_one_line(mounted):
    root = make_project(mounted / "site", 5)
    assert command(root)[0] == 0
    before = digests(root / "_site")
    (root / "content/2016-12-01-n0.txt").write_text(wire(77), "utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    code, err = command(root)
    assert code == 2 and len(err.splitlines()) == 1 and "Read-only file system" in err
    assert digests(root / "_site") == before
    subprocess.run(["mount", "-o", "remount,rw", str(mounted)], check=True)
    assert command(root)[0] == 0


def test_an_output_on_a_mount_point_or_another_file_system_is_refused(mounted, tmp_path):
    root = make_project(tmp_path / "site", 3)
    code, err = command(root, "--output", str(mounted / "site"))
    assert code == 2 and err.strip().endswith(
        "it is on another file system than the build cache (.warraq-cache), so the site "
        "could not be replaced in one step")
    (root / "_site").mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(root / "_site")],
                   check=True)
    try:
        code, err = command(root)
        assert code == 2 and err.strip().endswith(
            "it is a mount point, which cannot be replaced in one step")
    finally:
        subprocess.run(["umount", "-l", str(root / "_site")], check=True)


def test_an_output_that_cannot_be_replaced_is_one_line(small, capsys):
    """chattr +i: even root cannot rename the folder."""
    root, _ = small
    before = digests(root / "_site")
    if subprocess.run(["chattr", "+i", str(root / "_site")], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        assert main(["build"]) == 2
    finally:
        subprocess.run(["chattr", "-i", str(root / "_site")], check=True)
    assert capsys.readouterr().err == ("_site: cannot write the site (Operation not "
                                       "permitted); the previous site is left as it was\n")
    assert_unharmed(root, before)
    assert (root / "_site" / MARKER).is_file()
