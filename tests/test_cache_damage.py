"""A damaged cache never changes what a build writes, nor stops it or a later
build: bits flipped at random anywhere in the file, the file cut short,
overwritten or replaced by a folder, a damaged journal beside it. And a disk
that really fills is one line."""

from __future__ import annotations

import collections
import errno
import multiprocessing
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import cache, parallel
from generator.build import build
from generator.cache import CACHE_DIR, CACHE_FILE
from generator.config import Config, load_config
from generator.errors import WarraqError
from generator.models import Block

from .conftest import PROJECT, write_files
from .test_build import md
from .test_cache import aged, cache_file, edit_template
from .test_incremental import tree

ARTICLES = 30
TRIALS = 100
SEED = 20261201
WORDS = ("أرجأ مجلس الأمن التصويت على مشروع القرار بعد مشاورات طويلة بين الأعضاء وقال "
         "دبلوماسيون إن الهدنة في حلب قد تبدأ غدا وسط قصف عنيف على الأحياء الشرقية").split()
TOPICS = ("حلب", "مجلس الأمن", "اللاجئون")
_MET: list[set[str]] = [set()]  # what the cache met in the build under way (inherited by fork)


def article_files(count: int, seed: int) -> dict[str, str]:
    """``count`` articles of a few paragraphs each, every one with «التصويت» in it."""
    rng = random.Random(seed)
    files = {}
    for n in range(count):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 70))) + "."
                      for _ in range(rng.randint(3, 6))]
        paragraphs[0] = "التصويت " + paragraphs[0]
        date = f"2016-{11 + n // 28:02d}-{n % 28 + 1:02d}"
        files[f"content/{date}-story-{n}.md"] = md(f"story-{n}", date, TOPICS[n % 3],
                                                   "\n\n".join(paragraphs))
    return files


def copy_site(root: Path, to: Path) -> Config:
    """A copy of the site at ``root`` without its output or cache."""
    shutil.copytree(root, to, ignore=shutil.ignore_patterns("_site*", CACHE_DIR))
    return aged(load_config(to / "warraq.toml"))


@dataclass(frozen=True)
class Damaged:
    """A built site with the article template edited since, the cache of that
    good build, and the output of a cold build of the site as it is now."""

    config: Config
    good_cache: bytes
    cold: dict[str, bytes]

    def restore(self) -> None:
        """The cache of the good build. (The output is left as the last build
        made it: equal to the cold one, and not what the cache's stamps say.)"""
        cache._remove(cache_file(self.config.root))
        cache_file(self.config.root).write_bytes(self.good_cache)

    def builds_as_cold(self, what: str) -> None:
        """Two builds in a row succeed, each with the output of a cold build."""
        for attempt in ("the build", "the build after it"):
            build(self.config)
            assert tree(self.config.root / "_site") == self.cold, f"{what}: {attempt}"


def built(config: Config, cold: dict[str, bytes]) -> Damaged:
    build(config)
    assert not [p for p in cache_file(config.root).parent.iterdir()
                if p.name.startswith(CACHE_FILE + "-")]  # nothing beside it to keep
    edit_template(config.root)  # every article page is made again, from the cached bodies
    return Damaged(config, cache_file(config.root).read_bytes(), cold)


def in_copies(pristine: Path, first: Damaged, tmp_path_factory, work, count: int) -> list:
    """``work(site, shares)`` for ``range(count)`` shared between two copies of
    the site, in forked processes (one per core, two at most, so the shares
    and results are the same on any machine); their results, sorted."""
    sites = [first, built(copy_site(pristine, tmp_path_factory.mktemp("copy") / "site"),
                          first.cold)]
    jobs = [(work, site, list(range(n, count, len(sites)))) for n, site in enumerate(sites)]
    with multiprocessing.get_context("fork").Pool(min(2, parallel.worker_count())) as pool:
        return sorted(result for done in pool.map(_run, jobs) for result in done)


def _run(job):
    work, site, shares = job
    return work(site, shares)


@pytest.fixture
def pristine(make_site, tmp_path, tmp_path_factory) -> Path:
    """A copy of the fixture site as made, never built (the site is tmp_path)."""
    aged(make_site(article_files(ARTICLES, SEED)))
    copy = tmp_path_factory.mktemp("pristine") / "site"
    shutil.copytree(tmp_path, copy)
    return copy


@pytest.fixture
def cold(pristine, tmp_path_factory) -> dict[str, bytes]:
    config = copy_site(pristine, tmp_path_factory.mktemp("cold") / "site")
    edit_template(config.root)
    build(config)
    return tree(config.root / "_site")


@pytest.fixture
def damaged(pristine, cold, tmp_path) -> Damaged:
    return built(aged(load_config(tmp_path / "warraq.toml")), cold)


# --- bits flipped at random ---

def flip_bits(data: bytes, rng: random.Random) -> tuple[bytes, list[int]]:
    flipped = bytearray(data)
    bits = sorted(rng.randrange(len(data) * 8) for _ in range(rng.randint(1, 3)))
    for bit in bits:
        flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped), bits


def spy_on_the_cache(monkeypatch) -> None:
    """Note in ``_MET[-1]`` what the cache meets: digests that fail, the
    DatabaseErrors of SQLite, and blobs that failed their digest but would
    still have unpickled to a body (served as content before digests)."""
    damaged, intact = cache._damaged, cache._intact

    def spy_damaged(exc):
        _MET[-1].add("DatabaseError")
        return damaged(exc)

    def spy_intact(name, row):
        ok = intact(name, row)
        if not ok:
            _MET[-1].add("digest mismatch")
            if would_have_served(row[0]):
                _MET[-1].add("altered but unpickles")
        return ok

    monkeypatch.setattr(cache, "_damaged", spy_damaged)
    monkeypatch.setattr(cache, "_intact", spy_intact)


def would_have_served(data) -> bool:
    try:
        value = pickle.loads(data)
    except Exception:  # whatever damaged bytes raise: here it only means "no"
        return False
    return isinstance(value, tuple) and all(isinstance(b, Block) for b in value)


def path_of(seen: set[str]) -> str:
    if "DatabaseError" in seen:
        return "DatabaseError"
    return "digest mismatch" if "digest mismatch" in seen else "harmless"


def run_trials(damaged: Damaged, trials: list[int]) -> list[tuple[int, set[str]]]:
    """Each trial: the good cache with 1-3 bits flipped, then a build and the
    next one, both as cold; what the first of them met."""
    results = []
    for trial in trials:
        damaged.restore()
        data, bits = flip_bits(damaged.good_cache, random.Random(SEED + trial))
        cache_file(damaged.config.root).write_bytes(data)
        for attempt in ("the build", "the build after it"):
            _MET[:] = [set()]
            build(damaged.config)
            assert tree(damaged.config.root / "_site") == damaged.cold, \
                f"trial {trial}, bits {bits}: {attempt}"
            if attempt == "the build":
                results.append((trial, _MET[0]))
    return results


def test_flipped_bits_never_change_the_output_nor_break_a_build(
        damaged, pristine, monkeypatch, tmp_path_factory):
    spy_on_the_cache(monkeypatch)
    results = in_copies(pristine, damaged, tmp_path_factory, run_trials, TRIALS)
    assert [trial for trial, _ in results] == list(range(TRIALS))
    tally = collections.Counter(path_of(seen) for _, seen in results)
    served = sum("altered but unpickles" in seen for _, seen in results)
    print(f"\n{TRIALS} trials of 1-3 bits flipped in {len(damaged.good_cache)} bytes: "
          f"{dict(tally)}; {served} of them with a blob that failed its digest but "
          "would have been served")
    assert tally["digest mismatch"] and served  # the trials did reach the bug


# --- files cut short, overwritten, replaced, with journals beside them ---

def journal_of_an_interrupted_write(path: Path) -> None:
    """Leave the journal of a write stopped half-way (the process killed):
    some pages of the file already new, the journal holding the old ones."""
    pid = os.fork()
    if pid == 0:  # the child: killed, in effect, in the middle of its write
        try:
            connection = sqlite3.connect(path, isolation_level=None)
            connection.execute("PRAGMA cache_size = 1")  # pages spill into the file early
            connection.execute("BEGIN")
            connection.execute("UPDATE bodies SET data = data || x'00'")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert path.with_name(CACHE_FILE + "-journal").exists()


def written(data: bytes):
    return lambda path: path.write_bytes(data)


def beside(*companions: tuple[str, bytes]):
    return lambda path: [path.with_name(CACHE_FILE + suffix).write_bytes(data)
                         for suffix, data in companions]


def folder(*files: tuple[str, bytes]):
    return lambda path: (path.unlink(), path.mkdir(),
                         [(path / name).write_bytes(data) for name, data in files])


def damaged_journal(rng: random.Random):
    def damage(path: Path) -> None:
        journal_of_an_interrupted_write(path)
        journal = path.with_name(CACHE_FILE + "-journal")
        data = bytearray(journal.read_bytes())
        for at in rng.sample(range(len(data)), 40):
            data[at] ^= 0xFF
        journal.write_bytes(bytes(data))
    return damage


def fuzz_cases(good: bytes, rng: random.Random) -> dict[str, object]:
    """What each case does to the cache file at a path (the good file is there)."""
    size = len(good)
    return {
        "zero-length file": written(b""),
        "cut to 100 bytes": written(good[:100]),
        "cut to one page": written(good[:4096]),
        "cut in half": written(good[:size // 2]),
        "one byte short": written(good[:-1]),
        "garbage": written(rng.randbytes(5000)),
        "garbage of the same size": written(rng.randbytes(size)),
        "garbage after a good header": written(good[:100] + rng.randbytes(size - 100)),
        "a page of zeros": written(good[:8192] + bytes(4096) + good[12288:]),
        "an empty folder in its place": folder(),
        "a folder in its place": folder(("x", good)),
        "garbage journal beside it": beside(("-journal", rng.randbytes(3000))),
        "journal header then garbage": beside(("-journal", bytes.fromhex("d9d505f920a163d7")
                                               + rng.randbytes(4000))),
        "garbage -wal and -shm": beside(("-wal", rng.randbytes(5000)),
                                        ("-shm", rng.randbytes(32768))),
        "the journal of an interrupted write": journal_of_an_interrupted_write,
        "that journal damaged": damaged_journal(rng),
    }


def run_cases(damaged: Damaged, shares: list[int]) -> list[str]:
    cases = list(fuzz_cases(damaged.good_cache, random.Random(SEED)).items())
    for name, damage in [cases[n] for n in shares]:
        damaged.restore()
        damage(cache_file(damaged.config.root))
        damaged.builds_as_cold(name)
    return [cases[n][0] for n in shares]


def test_a_fuzzed_cache_never_changes_the_output_nor_breaks_a_build(
        damaged, pristine, tmp_path_factory):
    count = len(fuzz_cases(damaged.good_cache, random.Random(SEED)))
    done = in_copies(pristine, damaged, tmp_path_factory, run_cases, count)
    assert len(done) == count


# --- a disk that really fills ---

FULL = ".warraq-cache/build.sqlite: cannot write the build cache: database or disk is full"


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs mounted under tmp_path (skipped where mounting is not permitted)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command here")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "warraq-test", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        if subprocess.run(["umount", str(disk)]).returncode:
            subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Write a file until the disk has no room left; the file."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as file:
        for chunk in (1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while file.write(bytes(chunk)):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def site_on(disk: Path) -> Config:
    root = disk / "site"
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    write_files(root, article_files(5, SEED))
    (root / "warraq.toml").write_text('fallback_date = "2016-12-06"\n', "utf-8")
    return aged(load_config(root / "warraq.toml"))


def test_a_really_full_disk_before_the_first_build_is_one_line(small_disk):
    config = site_on(small_disk)
    filler = fill(small_disk)
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert caught.value.exit_code == 2 and str(caught.value) == FULL
    filler.unlink()
    build(config)


def test_a_disk_that_fills_between_builds_is_one_line(small_disk, tmp_path_factory):
    config = site_on(small_disk)
    build(config)
    story = sorted((config.root / "content").glob("*.md"))[2]
    story.write_text(story.read_text("utf-8").replace("التصويت", "التصويت " * 400, 1), "utf-8")
    filler = fill(small_disk)
    with pytest.raises(WarraqError) as caught:
        build(config)  # a body edit: its body is the first thing written
    assert caught.value.exit_code == 2 and str(caught.value) == FULL
    filler.unlink()
    build(config)
    cold = copy_site(config.root, tmp_path_factory.mktemp("cold") / "site")
    build(cold)
    assert tree(config.root / "_site") == tree(cold.root / "_site")
