"""discover: links that lead outside the content folder, links that loop and
folders that cannot be read are skipped and reported; nothing outside is published."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build import build
from generator.readers import discover, walk_files

WIRE = "خبر عن حلب\n\nفقرة من الخبر.\n"


def found(tmp_path: Path) -> tuple[list[str], list[str], list[str]]:
    articles, assets, problems = discover(tmp_path, ("content",))
    return ([s.rel_path for s in articles], [s.rel_path for s in assets],
            [str(p) for p in problems])


def test_links_leading_outside_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret/notes.txt").write_text("سر\n\nنص سري.\n")
    (tmp_path / "content/2016-12-01-a.txt").write_text(WIRE)
    (tmp_path / "content/passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "content/photo.jpg").symlink_to("/etc/hostname")
    (tmp_path / "content/outside").symlink_to(tmp_path / "secret")
    assert found(tmp_path) == (["content/2016-12-01-a.txt"], [], [
        "content/outside: warning: symbolic link skipped: it leads outside the content folder",
        "content/passwd.txt: warning: symbolic link skipped: it leads outside the content "
        "folder",
        "content/photo.jpg: warning: symbolic link skipped: it leads outside the content "
        "folder"])


def test_loops_and_broken_links_end_with_a_warning(tmp_path):
    (tmp_path / "content/a/b").mkdir(parents=True)
    (tmp_path / "content/a/b/2016-12-01-x.txt").write_text(WIRE)
    (tmp_path / "content/a/b/up").symlink_to("../..")  # back to content: a loop
    (tmp_path / "content/a/again").symlink_to("b")  # a folder read anyway
    (tmp_path / "content/self").symlink_to("self")
    (tmp_path / "content/gone.md").symlink_to("nowhere.md")
    articles, assets, problems = found(tmp_path)
    assert articles == ["content/a/b/2016-12-01-x.txt"]
    assert problems == [
        "content/a/again: warning: symbolic link skipped: it leads to a folder that is read "
        "anyway (or to a loop)",
        "content/a/b/up: warning: symbolic link skipped: it leads to a folder that is read "
        "anyway (or to a loop)",
        "content/gone.md: warning: symbolic link skipped: it leads nowhere (its target is "
        "missing, or it is a loop)",
        "content/self: warning: symbolic link skipped: it leads nowhere (its target is "
        "missing, or it is a loop)"]


def test_links_inside_the_content_folder_are_followed(tmp_path):
    (tmp_path / "content/.shared").mkdir(parents=True)  # hidden: read only through the link
    (tmp_path / "content/.shared/map.svg").write_text("<svg/>")
    (tmp_path / "content/images").symlink_to(".shared")
    (tmp_path / "content/logo.svg").symlink_to(".shared/map.svg")
    assert found(tmp_path) == ([], ["images/map.svg", "logo.svg"], [])


def test_an_unreadable_folder_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "content/locked").mkdir(parents=True)
    (tmp_path / "content/2016-12-01-a.txt").write_text(WIRE)
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert found(tmp_path)[2] == ["content/locked: cannot read this folder: Permission denied"]


def test_a_missing_folder_gives_nothing(tmp_path):
    assert walk_files(tmp_path / "nowhere", []) == []


def test_nothing_outside_is_published(make_site, tmp_path):
    config = make_site({"content/2016-12-01-a.txt": WIRE})
    (tmp_path / "content/passwd").symlink_to("/etc/passwd")
    (tmp_path / "content/etc").symlink_to("/etc")
    report = build(config)
    site = tmp_path / "_site"
    assert not (site / "passwd").exists() and not (site / "etc").exists()
    assert [str(p) for p in report.problems] == [
        "content/etc: warning: symbolic link skipped: it leads outside the content folder",
        "content/passwd: warning: symbolic link skipped: it leads outside the content folder"]
    published = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    assert b"root:x:0:0" not in published


def test_a_link_added_later_is_reported_by_the_next_build(make_site, tmp_path):
    """What the walk reports is part of what a no-change build compares."""
    config = make_site({"content/2016-12-01-a.txt": WIRE})
    assert build(config).problems == ()
    (tmp_path / "content/passwd").symlink_to("/etc/passwd")
    assert [p.path for p in build(config).problems] == ["content/passwd"]
    (tmp_path / "content/passwd").unlink()
    assert build(config).problems == ()
