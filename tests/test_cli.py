"""The warraq command: exit codes, problems on stderr, check, new, --version,
python -m generator."""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest

from generator import cli
from generator.cli import main
from generator.readers import read_source
from tests.conftest import PROJECT

GOOD = '---\ntitle: "خبر عن حلب"\ndate: 2016-12-01\n---\n\nنص الخبر.\n'
BAD_DATE = "---\ntitle: خبر\ndate: 12/06/2016\n---\n\nنص.\n"
NO_TITLE = "---\ndate: 2016-12-02\n---\n\nنص.\n"
PROBLEMS = ["content/bad.md:3: date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got '12/06/2016'",
            "content/untitled.md:1: title: missing; every article needs a headline"]


@pytest.fixture
def site(make_site, tmp_path, monkeypatch):
    def _make(files: dict[str, str]):
        make_site(files)
        monkeypatch.chdir(tmp_path)
        return tmp_path
    return _make


def test_build_exits_0(site, capsys):
    root = site({"content/good.md": GOOD})
    assert main(["build"]) == 0
    assert (root / "_site/articles/خبر-عن-حلب/index.html").is_file()
    assert "written" in capsys.readouterr().out


@pytest.mark.parametrize("exits", [True, False])
def test_a_build_whose_process_ends_never_collects_garbage_after_it(site, exits):
    site({"content/good.md": GOOD})
    try:
        assert main(["build"], exits=exits) == 0
        assert gc.isenabled() is not exits  # else as it was: on
    finally:
        gc.enable()


def test_content_errors_exit_1_all_listed_nothing_written(site, capsys):
    root = site({"content/good.md": GOOD, "content/bad.md": BAD_DATE,
                 "content/untitled.md": NO_TITLE})
    assert main(["build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == PROBLEMS
    assert "nothing was written" in err[2]
    assert not (root / "_site").exists()


def test_keep_going_publishes_good_articles_lists_the_bad_and_exits_0(site, capsys):
    """Exit 0: a deploy step after ``warraq build --keep-going`` must run."""
    root = site({"content/good.md": GOOD, "content/bad.md": BAD_DATE,
                 "content/untitled.md": NO_TITLE})
    assert main(["build", "--keep-going"]) == 0
    err = capsys.readouterr().err
    assert all(problem in err for problem in PROBLEMS)
    assert "skipped 2 file(s) with errors: content/bad.md, content/untitled.md" in err
    assert (root / "_site/articles/خبر-عن-حلب/index.html").is_file()


def test_unknown_config_key_exits_2(site, capsys):
    root = site({"content/good.md": GOOD})
    (root / "warraq.toml").write_text('title = "وراق"\ncolour = "red"\n', "utf-8")
    assert main(["build"]) == 2
    assert capsys.readouterr().err.startswith("warraq.toml:2: unknown key 'colour'")
    assert not (root / "_site").exists()


def test_missing_config_file_exits_2(site, capsys):
    root = site({"content/good.md": GOOD})
    assert main(["--config", str(root / "nowhere.toml"), "build"]) == 2
    assert "config file not found" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["bild"], ["build", "--no-such-flag"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: warraq" in capsys.readouterr().err


def test_check_writes_nothing(site, capsys):
    root = site({"content/good.md": GOOD})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert main(["check"]) == 0
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert capsys.readouterr().out.startswith(
        "warraq: 1 article, 0 topics, 0 warnings, no errors, ")


def test_check_reports_content_errors(site, capsys):
    site({"content/bad.md": BAD_DATE})
    assert main(["check"]) == 1
    assert capsys.readouterr().err.startswith(PROBLEMS[0])


def test_new_creates_a_dated_draft_that_reads_back(site, monkeypatch, capsys):
    root = site({"content/good.md": GOOD})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1481068800")  # 2016-12-07 UTC
    assert main(["new", "عنوان تجريبي", "--topic", "حلب"]) == 0
    rel_path = "content/2016-12-07-عنوان-تجريبي.md"
    assert capsys.readouterr().out.splitlines() == [
        rel_path, "warraq: written as a draft (draft: true), left out of the site until you "
        "change it to draft: false"]
    text = (root / rel_path).read_text("utf-8")
    assert "\ndraft: true\n" in text.split("---")[1]
    raw = read_source(rel_path, text.encode("utf-8"))
    assert (raw.title, raw.date, raw.topics, raw.draft) == (
        "عنوان تجريبي", dt.date(2016, 12, 7), ("حلب",), True)
    assert main(["build"]) == 0
    assert (root / "_site/articles/خبر-عن-حلب/index.html").is_file()
    assert not (root / "_site/articles/عنوان-تجريبي").exists()
    (root / rel_path).write_text(text.replace("draft: true", "draft: false"), "utf-8")
    assert main(["build"]) == 0
    assert (root / "_site/articles/عنوان-تجريبي/index.html").is_file()


def test_check_lists_the_drafts_it_found(site, monkeypatch, capsys):
    site({"content/good.md": GOOD, "content/later.md": GOOD.replace(
        "date:", "draft: true\ndate:").replace("خبر عن حلب", "خبر لاحق")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1481068800")
    assert main(["new", "عنوان تجريبي"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["content/2016-12-07-عنوان-تجريبي.md: draft, not published",
                       "content/later.md: draft, not published"]
    assert len(out) == 3 and out[2].startswith("warraq: 1 article, ")


def test_check_without_drafts_lists_none(site, capsys):
    site({"content/good.md": GOOD})
    assert main(["check"]) == 0
    assert "draft" not in capsys.readouterr().out


def _pyproject_version() -> str:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def test_version_is_the_installed_packages(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"warraq {metadata.version('warraq')}\n"


def test_version_falls_back_to_pyproject_where_not_installed(monkeypatch, capsys):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert cli.version() == _pyproject_version()
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"warraq {_pyproject_version()}\n"


def test_python_m_generator_version():
    result = subprocess.run([sys.executable, "-m", "generator", "--version"], cwd=PROJECT,
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, f"warraq {metadata.version('warraq')}\n", "")


def test_new_twice_exits_2(site, monkeypatch, capsys):
    root = site({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1481068800")
    assert main(["new", "عنوان تجريبي"]) == 0
    first = (root / "content/2016-12-07-عنوان-تجريبي.md").read_bytes()
    assert main(["new", "عنوان تجريبي"]) == 2
    assert "content/2016-12-07-عنوان-تجريبي.md:1: already exists" in capsys.readouterr().err
    assert (root / "content/2016-12-07-عنوان-تجريبي.md").read_bytes() == first


def test_python_m_generator_help():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=PROJECT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "usage: warraq" in result.stdout and "build" in result.stdout


@pytest.mark.parametrize("files, code, out, err", [
    ({"content/good.md": GOOD}, 0, "written, 0 unchanged, 0 removed), 1 warning, 0 errors, ",
     ""),
    ({"content/good.md": GOOD, "content/bad.md": BAD_DATE}, 1, "",
     PROBLEMS[0] + "\nwarraq: 1 error(s); nothing was written"),
])
def test_the_command_exits_with_its_code_and_all_its_output(site, files, code, out, err):
    """The console command ends without tearing its heap down: what it printed
    must still arrive, and its exit code must still be main()'s."""
    root = site(files)
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root,
                            env={"PYTHONPATH": str(PROJECT), "PATH": ""},
                            capture_output=True, text=True, check=False)
    assert result.returncode == code
    assert out in result.stdout and err in result.stderr


def test_a_missing_content_folder_is_one_line_and_writes_nothing(site, capsys):
    root = site({"content/good.md": GOOD})
    assert main(["build", "--content", "nowhere"]) == 2
    assert capsys.readouterr().err == "nowhere: content folder not found\n"
    assert sorted(p.name for p in root.iterdir()) == ["content", "static", "templates",
                                                      "warraq.toml"]


def test_the_default_folders_need_only_one_of_them(site, capsys):
    root = site({"content/good.md": GOOD})
    assert main(["build"]) == 0  # no seeds/: fine
    (root / "content/good.md").unlink()
    (root / "content").rmdir()
    assert main(["check"]) == 2
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "content: content folder not found", "seeds: content folder not found"]


def test_check_fails_where_build_fails_on_a_file_colliding_with_a_page(site, capsys):
    site({"content/good.md": GOOD, "content/topics/index.html": "<p>mine</p>"})
    assert main(["check"]) == 1
    line = "content/topics/index.html:1: 'topics/index.html' in the site is also produced by"
    assert line in capsys.readouterr().err
    assert main(["build"]) == 1
    assert line in capsys.readouterr().err


def test_an_unexpected_failure_is_one_line_and_debug_shows_the_traceback(site, capsys,
                                                                         monkeypatch):
    site({"content/good.md": GOOD})

    def broken(*args, **kwargs):
        raise RuntimeError("something\nunforeseen")

    monkeypatch.setattr("generator.cli.build", broken)
    assert main(["build"]) == 2
    assert capsys.readouterr().err == ("warraq: unexpected failure: RuntimeError: something "
                                       "unforeseen (run with --debug for the traceback)\n")
    with pytest.raises(RuntimeError):
        main(["build", "--debug"])
    with pytest.raises(RuntimeError):
        main(["--debug", "build"])


def test_a_bad_source_date_epoch_is_one_line(site, monkeypatch, capsys):
    site({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    assert main(["new", "عنوان"]) == 2
    assert capsys.readouterr().err == (
        "SOURCE_DATE_EPOCH: expected seconds since 1970-01-01, got 'tomorrow'\n")
