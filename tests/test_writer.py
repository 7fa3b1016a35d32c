"""writer: stage into the spare what changed, swap it in whole, keep the spare level
with the live site, and leave the live site untouched by anything that fails."""

from __future__ import annotations

import os

import pytest

from generator import writer
from generator.guard import MARKER
from generator.writer import abandon, mirror, open_staging, publish, stage

FILES = {"index.html": b"<p>home</p>", "articles/a/index.html": "<p>أ</p>".encode(),
         "articles/b/index.html": b"<p>b</p>"}


@pytest.fixture
def places(tmp_path):
    (tmp_path / "cache").mkdir()
    return tmp_path / "site", tmp_path / "cache" / "spare"


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MARKER}


def contents(folder) -> dict[str, bytes]:
    return {path: data for path, (data, _) in snapshot(folder).items()}


def write(places, files: dict[str, bytes], stale: list[str] | None = None):
    """(written, unchanged count, removed), the way a build writes."""
    staging = open_staging(*places)
    changed = stage(staging, files.items())
    return publish(staging, set(files), changed, stale)


def inodes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def test_writes_new_files_and_marks_the_folder(places):
    site, spare = places
    assert write(places, FILES) == (sorted(FILES), 0, [])
    assert contents(site) == FILES
    assert (site / MARKER).is_file()
    assert not spare.exists()  # the spare became the site


def test_second_write_of_the_same_bytes_writes_nothing(places):
    site, _ = places
    write(places, FILES)
    before = snapshot(site)
    folder = site.stat().st_ino
    assert write(places, FILES) == ([], 3, [])
    assert snapshot(site) == before
    assert site.stat().st_ino == folder  # nothing changed: no swap


def test_only_changed_files_are_written_and_swapped_in_whole(places):
    site, spare = places
    write(places, FILES)
    folder = site.stat().st_ino
    changed = dict(FILES, **{"index.html": b"<p>new</p>"})
    assert write(places, changed) == (["index.html"], 2, [])
    assert contents(site) == changed
    assert site.stat().st_ino != folder  # one exchange of folders, not file by file


def test_staging_never_writes_through_to_the_live_site(places):
    site, _ = places
    write(places, FILES)
    write(places, FILES)  # the spare now exists, linked to the live files
    before = snapshot(site)
    staging = open_staging(*places)
    stage(staging, [("index.html", b"<p>next</p>"), ("articles/a/index.html", b"x")])
    assert snapshot(site) == before


def test_after_a_swap_the_spare_is_level_with_the_site(places, monkeypatch):
    site, spare = places
    write(places, FILES)
    write(places, dict(FILES, **{"index.html": b"<p>2</p>"}))
    write(places, dict(FILES, **{"index.html": b"<p>3</p>"}))
    assert inodes(spare) == inodes(site)  # hard links, marker included

    def no_mirror(*args):
        raise AssertionError("a level spare needs no mirroring")

    monkeypatch.setattr(writer, "mirror", no_mirror)
    assert write(places, dict(FILES, **{"index.html": b"<p>4</p>"})) == (["index.html"], 2, [])
    assert inodes(spare) == inodes(site)


def test_a_spare_out_of_step_is_mirrored_first(places):
    site, spare = places
    write(places, FILES)
    write(places, dict(FILES, **{"index.html": b"<p>2</p>"}))
    (spare / MARKER).unlink()  # as a build stopped while staging leaves it
    (spare / "articles/a/index.html").unlink()
    (spare / "junk.html").write_bytes(b"left by a stopped build")
    write(places, dict(FILES, **{"index.html": b"<p>3</p>"}))
    assert contents(site) == dict(FILES, **{"index.html": b"<p>3</p>"})
    assert inodes(spare) == inodes(site)


def test_stale_files_and_empty_folders_are_pruned(places):
    site, _ = places
    write(places, FILES)
    (site / "articles/b/extra").mkdir()
    (site / "articles/b/extra/old.css").write_bytes(b"x")
    written, unchanged, removed = write(places, {"index.html": FILES["index.html"]})
    assert removed == ["articles/a/index.html", "articles/b/extra/old.css",
                       "articles/b/index.html"]
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "index.html"]


def test_known_stale_files_are_removed_with_the_folders_they_empty(places):
    site, spare = places
    write(places, FILES)
    kept = {"index.html": FILES["index.html"],
            "articles/a/index.html": FILES["articles/a/index.html"]}
    assert write(places, kept, stale=["articles/b/index.html"]) == (
        [], 2, ["articles/b/index.html"])
    assert sorted(p.name for p in (site / "articles").iterdir()) == ["a"]
    assert inodes(spare) == inodes(site)


def test_a_failure_while_staging_leaves_the_site_and_a_level_spare(places, tmp_path):
    site, spare = places
    write(places, FILES)
    write(places, FILES | {"index.html": b"<p>2</p>"})
    before = snapshot(site)

    def failing():
        yield "index.html", b"<p>changed</p>"
        yield "articles/new/index.html", b"<p>new</p>"
        raise RuntimeError("template blew up")

    staging = open_staging(*places)
    with pytest.raises(RuntimeError):
        stage(staging, failing())
    abandon(staging)
    assert snapshot(site) == before
    assert inodes(spare) == inodes(site)  # nothing of the failed build left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]


def test_a_failure_in_a_first_build_leaves_nothing(places, tmp_path):
    staging = open_staging(*places)
    stage(staging, FILES.items())
    abandon(staging)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
    assert not any((tmp_path / "cache").iterdir())


@pytest.mark.parametrize("step", ["_prune", "_remove", "_write_new", "exchange", "_catch_up"])
def test_stopped_at_any_step_of_the_swap_the_site_is_old_or_new(places, monkeypatch, step):
    site, spare = places
    old = FILES | {"articles/c/index.html": b"<p>c</p>"}
    new = FILES | {"index.html": b"<p>new</p>", "articles/d/index.html": b"<p>d</p>"}
    write(places, old)
    write(places, old)
    real = getattr(writer, step)

    def stopped(*args, **kwargs):
        if step == "_catch_up":  # stopped half-way through catching up
            real(*args, **kwargs)
        raise Stopped

    staging = open_staging(*places)
    changed = stage(staging, new.items())
    monkeypatch.setattr(writer, step, stopped)
    with pytest.raises(Stopped):
        publish(staging, set(new), changed,
                stale=None if step == "_prune" else ["articles/c/index.html"])
    abandon(staging)
    monkeypatch.undo()
    assert contents(site) in (old, new)
    still_to_write = [] if contents(site) == new else ["articles/d/index.html", "index.html"]
    assert write(places, new)[0] == still_to_write
    assert contents(site) == new
    assert inodes(spare) == inodes(site)


class Stopped(BaseException):
    """What a signal handler raises in the middle of a build."""


def test_without_renameat2_three_renames_swap_the_folders(places, monkeypatch):
    site, spare = places
    monkeypatch.setattr(writer, "_renameat2", lambda: None)
    write(places, FILES)
    write(places, FILES)
    assert write(places, FILES | {"index.html": b"<p>2</p>"}) == (["index.html"], 2, [])
    assert contents(site) == FILES | {"index.html": b"<p>2</p>"}
    assert sorted(p.name for p in spare.parent.iterdir()) == ["spare"]


def test_mirror_links_what_differs_and_removes_the_rest(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    (source / "x/y").mkdir(parents=True)
    (source / "x/y/f.html").write_bytes(b"f")
    (source / MARKER).write_bytes(b"m")
    (target / "x").mkdir(parents=True)
    (target / "x/y").write_bytes(b"a file where a folder belongs")
    (target / "gone").mkdir()
    (target / "gone/old.html").write_bytes(b"old")
    mirror(source, target)
    assert inodes(target) == inodes(source)
    assert sorted(os.listdir(target)) == [MARKER, "x"]


def test_stage_records_the_stamps_files_will_have(places):
    site, _ = places
    write(places, FILES)
    write(places, FILES)
    staging = open_staging(*places)
    stamps: dict = {}
    changed = stage(staging, (FILES | {"index.html": b"<p>x</p>"}).items(), stamps)
    publish(staging, set(FILES), changed)
    for rel_path in FILES:
        info = (site / rel_path).stat()
        assert stamps[rel_path] == (info.st_size, info.st_mtime_ns)
