"""guard: an output folder that is not Warraq's to replace is refused with one line,
exit 2, before anything is touched; one build of a site at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.errors import WarraqError
from generator.guard import MARKER, build_lock, output_folder
from generator.theme import default_folder

from .conftest import PROJECT

GOOD = "خبر عن حلب\n\nفقرة من الخبر.\n"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under ``root``."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def site(make_site, tmp_path, monkeypatch):
    make_site({"content/2016-12-01-a.txt": GOOD, "seeds/2016-12-02-b.txt": GOOD + "ثانية\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return tmp_path


def refused(argv: list[str], root: Path, capsys) -> str:
    """Run the command, check it exits 2 having touched nothing; its one line."""
    before = tree(root)
    assert main(argv) == 2
    assert tree(root) == before
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("output, reason", [
    (".", "it is the project's own folder"),
    ("..", "it holds the project's folder"),
    ("content", "it is the content folder 'content'"),
    ("content/site", "it is inside the content folder 'content'"),
    ("seeds", "it is the content folder 'seeds'"),
    ("templates", "it is the templates folder 'templates'"),
    ("templates/partials/out", "it is inside the templates folder 'templates'"),
    ("static", "it is the static folder 'static'"),
    (".warraq-cache", "it is the build cache"),
    ("home", "it is the home folder"),
    ("home/../home/", "it is the home folder"),
])
def test_protected_folders_are_refused(site, capsys, output, reason):
    line = refused(["build", "--output", output], site, capsys)
    assert line == f"{output}: refusing to write the site here: {reason}"


@pytest.mark.parametrize("kind", ["templates", "static"])
def test_the_default_themes_folders_are_refused(site, capsys, kind):
    """Where the installed package keeps its theme, wherever that is (here: the checkout)."""
    theme = default_folder(kind)
    before = tree(theme)
    line = refused(["build", "--output", str(theme / "site")], site, capsys)
    assert line.endswith(f"it is inside the default theme's {kind} folder")
    assert tree(theme) == before


def test_a_folder_holding_a_protected_one_is_refused(site, capsys):
    (site / "www/news").mkdir(parents=True)
    (site / "www" / MARKER).write_bytes(b"")  # even one that looks like Warraq's
    line = refused(["build", "--output", "www", "--content", "www/news"], site, capsys)
    assert line.endswith("it holds the content folder 'www/news'")


def test_a_folder_warraq_did_not_write_is_refused_and_kept(site, capsys):
    (site / "public/.git").mkdir(parents=True)
    (site / "public/.git/HEAD").write_text("ref: refs/heads/main\n")
    (site / "public/.env").write_text("SECRET=1\n")
    (site / "public/photo.jpg").write_bytes(b"\xff\xd8")
    line = refused(["build", "--output", "public"], site, capsys)
    assert line == ("public: refusing to write the site here: it holds files that Warraq "
                    f"did not write (it has no {MARKER}); empty it or choose a new folder")


def test_a_file_and_a_missing_parent_are_refused(site, capsys):
    (site / "notes.txt").write_text("x")
    assert refused(["build", "--output", "notes.txt"], site, capsys).endswith(
        "it is a file, not a folder")
    assert "does not exist" in refused(["build", "--output", "a/b/site"], site, capsys)


def test_a_link_to_a_protected_folder_is_refused(site, capsys):
    (site / "out").symlink_to(site / "content")
    assert refused(["build", "--output", "out"], site, capsys).endswith(
        "it is the content folder 'content'")


@pytest.mark.parametrize("where", ["/", "~", "~/.."])
def test_the_root_and_the_home_folder_are_refused(site, where):
    """Checked on the guard alone: no build is ever pointed at these."""
    config = replace(_config(site), output_dir=os.path.expanduser(where))
    with pytest.raises(WarraqError) as caught:
        output_folder(config, site / ".warraq-cache")
    assert caught.value.exit_code == 2
    assert "refusing to write the site here" in str(caught.value)


def test_the_real_home_folder_is_refused(site, monkeypatch):
    monkeypatch.undo()  # the real HOME, the real working directory
    config = replace(_config(site), output_dir=str(Path.home()))
    with pytest.raises(WarraqError, match="home folder"):
        output_folder(config, site / ".warraq-cache")


def _config(root: Path):
    from generator.config import load_config
    return load_config(root / "warraq.toml")


def test_an_empty_folder_and_warraqs_own_are_accepted(site, capsys):
    (site / "empty").mkdir()
    assert main(["build", "--output", "empty"]) == 0
    assert (site / "empty" / MARKER).is_file()
    assert main(["build", "--output", "empty"]) == 0  # its own folder, again


def test_nothing_is_written_beside_the_output(site):
    """The next site is assembled in the cache: nothing appears next to the output."""
    (site / "out").mkdir()
    before = set(os.listdir(site))
    assert main(["build", "--output", "out/site"]) == 0
    (site / "content/2016-12-03-c.txt").write_text(GOOD + "ثالثة\n")
    assert main(["build", "--output", "out/site"]) == 0
    assert set(os.listdir(site / "out")) == {"site"}
    assert set(os.listdir(site)) == before | {".warraq-cache"}


def test_the_projects_own_checkout_survives_output_dot(tmp_path):
    """The worst mistake there is, in a copy of this repository."""
    files = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True,
                           check=True).stdout.split()
    copy = tmp_path / "copy"
    for rel in files:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_bytes((PROJECT / rel).read_bytes())
    before = tree(copy)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--output", "."],
                            cwd=copy, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert result.returncode == 2
    assert result.stderr.strip() == (".: refusing to write the site here: it is the "
                                     "project's own folder")
    assert tree(copy) == before


def test_a_second_build_waits_for_the_first(site, capsys):
    config = _config(site)
    cache_dir = site / ".warraq-cache"
    finished = []
    with build_lock(cache_dir):
        worker = threading.Thread(target=lambda: finished.append(build(config)))
        worker.start()
        time.sleep(0.5)
        assert not finished and not (site / "_site").exists()
    worker.join(30)
    assert finished and (site / "_site" / MARKER).is_file()
    assert "another build of this site is running" in capsys.readouterr().err


def test_an_unwritable_cache_folder_is_one_line(site, capsys):
    (site / ".warraq-cache").write_text("a file where the cache folder belongs")
    line = refused(["build"], site, capsys)
    assert line.startswith(".warraq-cache: cannot write the build cache: ")
