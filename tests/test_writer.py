"""write_outputs: write what changed, skip same bytes, prune stale files, fail atomically."""

from __future__ import annotations

import pytest

from generator.writer import STAGING_SUFFIX, write_outputs

FILES = {"index.html": b"<p>home</p>", "articles/a/index.html": "<p>أ</p>".encode(),
         "articles/b/index.html": b"<p>b</p>"}


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_new_files(tmp_path):
    written, unchanged, removed = write_outputs(tmp_path / "site", FILES.items())
    assert (written, unchanged, removed) == (sorted(FILES), 0, [])
    assert {k: v for k, (v, _) in snapshot(tmp_path / "site").items()} == FILES


def test_second_write_of_the_same_bytes_writes_nothing(tmp_path):
    write_outputs(tmp_path / "site", FILES.items())
    before = snapshot(tmp_path / "site")
    assert write_outputs(tmp_path / "site", FILES.items()) == ([], 3, [])
    assert snapshot(tmp_path / "site") == before


def test_only_changed_files_are_written(tmp_path):
    write_outputs(tmp_path / "site", FILES.items())
    changed = dict(FILES, **{"index.html": b"<p>new</p>"})
    assert write_outputs(tmp_path / "site", changed.items()) == (["index.html"], 2, [])
    assert (tmp_path / "site/index.html").read_bytes() == b"<p>new</p>"


def test_stale_files_and_empty_folders_are_pruned(tmp_path):
    site = tmp_path / "site"
    write_outputs(site, FILES.items())
    (site / "articles/b/extra/old.css").parent.mkdir()
    (site / "articles/b/extra/old.css").write_bytes(b"x")
    kept = {"index.html": FILES["index.html"]}
    written, unchanged, removed = write_outputs(site, kept.items())
    assert removed == ["articles/a/index.html", "articles/b/extra/old.css",
                       "articles/b/index.html"]
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_failure_half_way_leaves_the_previous_output_untouched(tmp_path):
    site = tmp_path / "site"
    write_outputs(site, FILES.items())
    before = snapshot(site)

    def failing():
        yield "index.html", b"<p>changed</p>"
        yield "articles/new/index.html", b"<p>new</p>"
        raise RuntimeError("template blew up")

    with pytest.raises(RuntimeError):
        write_outputs(site, failing())
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert not (tmp_path / ("site" + STAGING_SUFFIX)).exists()


def test_two_outputs_for_one_path_are_refused(tmp_path):
    with pytest.raises(ValueError, match="index.html"):
        write_outputs(tmp_path / "site", [("index.html", b"a"), ("index.html", b"b")])
    assert not (tmp_path / "site").exists()
