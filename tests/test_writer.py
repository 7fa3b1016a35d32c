"""writer: stage what changed, skip same bytes, commit, prune stale files, touch
nothing of the output before the commit."""

from __future__ import annotations

import pytest

from generator.writer import commit, discard, open_staging, stage

FILES = {"index.html": b"<p>home</p>", "articles/a/index.html": "<p>أ</p>".encode(),
         "articles/b/index.html": b"<p>b</p>"}


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(site, files: dict[str, bytes], stale: list[str] | None = None):
    """(written, unchanged count, removed), the way a build writes."""
    staging = open_staging(site)
    changed = stage(site, staging, files.items())
    return commit(site, staging, set(files), changed, stale)


def test_writes_new_files(tmp_path):
    written, unchanged, removed = write(tmp_path / "site", FILES)
    assert (written, unchanged, removed) == (sorted(FILES), 0, [])
    assert {k: v for k, (v, _) in snapshot(tmp_path / "site").items()} == FILES


def test_second_write_of_the_same_bytes_writes_nothing(tmp_path):
    write(tmp_path / "site", FILES)
    before = snapshot(tmp_path / "site")
    assert write(tmp_path / "site", FILES) == ([], 3, [])
    assert snapshot(tmp_path / "site") == before


def test_only_changed_files_are_written(tmp_path):
    write(tmp_path / "site", FILES)
    changed = dict(FILES, **{"index.html": b"<p>new</p>"})
    assert write(tmp_path / "site", changed) == (["index.html"], 2, [])
    assert (tmp_path / "site/index.html").read_bytes() == b"<p>new</p>"


def test_stale_files_and_empty_folders_are_pruned(tmp_path):
    site = tmp_path / "site"
    write(site, FILES)
    (site / "articles/b/extra/old.css").parent.mkdir()
    (site / "articles/b/extra/old.css").write_bytes(b"x")
    written, unchanged, removed = write(site, {"index.html": FILES["index.html"]})
    assert removed == ["articles/a/index.html", "articles/b/extra/old.css",
                       "articles/b/index.html"]
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_known_stale_files_are_removed_with_the_folders_they_empty(tmp_path):
    site = tmp_path / "site"
    write(site, FILES)
    kept = {"index.html": FILES["index.html"], "articles/a/index.html": FILES[
        "articles/a/index.html"]}
    assert write(site, kept, stale=["articles/b/index.html"]) == ([], 2, [
        "articles/b/index.html"])
    assert sorted(p.name for p in (site / "articles").iterdir()) == ["a"]


def test_a_failure_while_staging_leaves_the_previous_output_untouched(tmp_path):
    site = tmp_path / "site"
    write(site, FILES)
    before = snapshot(site)

    def failing():
        yield "index.html", b"<p>changed</p>"
        yield "articles/new/index.html", b"<p>new</p>"
        raise RuntimeError("template blew up")

    staging = open_staging(site)
    with pytest.raises(RuntimeError):
        stage(site, staging, failing())
    discard(staging)
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_stage_records_the_stamps_files_will_have(tmp_path):
    site = tmp_path / "site"
    write(site, FILES)
    staging = open_staging(site)
    stamps: dict = {}
    changed = stage(site, staging, dict(FILES, **{"index.html": b"<p>x</p>"}).items(), stamps)
    commit(site, staging, set(FILES), changed)
    for rel_path in FILES:
        info = (site / rel_path).stat()
        assert stamps[rel_path] == (info.st_size, info.st_mtime_ns)
