"""warraq init: a new site from the package's skeleton, never over the user's
files; and every other command refusing a folder that is not a site's."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from generator.cli import main
from generator.config import load_config
from generator.init import SKELETON, skeleton_files

FILES = [".github/workflows/pages.yml", ".gitignore",
         "content/2026-01-05-municipal-council-meeting.txt",
         "content/2026-01-06-heavy-rain-expected.md", "warraq.toml"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def skeleton(rel: str) -> bytes:
    return dict((r, s) for s, r in skeleton_files())[rel].read_bytes()


def test_the_skeleton_is_package_data_with_dotfiles_named_plainly():
    assert [rel for _, rel in skeleton_files()] == FILES
    assert (SKELETON / "gitignore").is_file() and (SKELETON / "github").is_dir()


def test_init_writes_a_new_site_and_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "news"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "warraq: a new site in news (5 files); next: cd news && warraq build"]
    assert tree(tmp_path / "news") == {rel: skeleton(rel) for rel in FILES}
    assert (tmp_path / "news/.gitignore").read_text("utf-8").split()[-2:] == [
        "_site/", ".warraq-cache/"]


def test_the_new_site_builds_its_two_articles_linked_without_a_warning(tmp_path, monkeypatch,
                                                                       capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0  # DIR is the current folder unless given
    assert capsys.readouterr().out.splitlines() == [
        "warraq: a new site in . (5 files); next: warraq build"]
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "warraq: 2 articles, 2 topics" in captured.out
    rain = (tmp_path / "_site/articles/أمطار-غزيرة-متوقعة-على-المدينة-نهاية-الأسبوع/index.html")
    council = "المجلس-البلدي-يقر-خطة-لصيانة-شبكة-الطرقات-قبل-موسم-الأمطار"
    assert f'href="/articles/{council}/"' in unquote(rain.read_text("utf-8"))  # read also


def test_a_folder_with_files_is_refused_and_left_alone(tmp_path, monkeypatch, capsys):
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "."]) == 2
    assert capsys.readouterr().err.splitlines() == [
        ".: is not empty; use --force to add only the missing files of a new site (nothing "
        "there is overwritten)"]
    assert tree(tmp_path) == {"notes.txt": b"mine"}


def test_force_adds_only_the_missing_files_and_overwrites_nothing(tmp_path, monkeypatch,
                                                                 capsys):
    root = tmp_path / "site"
    (root / ".github").mkdir(parents=True)
    (root / "warraq.toml").write_text('title = "لي"\n', "utf-8")
    (root / ".github/workflows").write_text("a file where a folder goes", "utf-8")
    (root / ".gitignore").symlink_to(tmp_path / "elsewhere")  # dangling: not written through
    monkeypatch.chdir(tmp_path)
    assert main(["init", "site", "--force"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "warraq: a new site in site (2 files); kept as they were: .github/workflows/pages.yml, "
        ".gitignore, warraq.toml; next: cd site && warraq build"]
    assert not (tmp_path / "elsewhere").exists()
    assert (root / "warraq.toml").read_text("utf-8") == 'title = "لي"\n'
    assert (root / ".github/workflows").read_text("utf-8") == "a file where a folder goes"
    assert sorted(os.listdir(root / "content")) == [FILES[2].split("/")[1],
                                                    FILES[3].split("/")[1]]
    assert main(["init", "site", "--force"]) == 0
    assert "nothing was written" in capsys.readouterr().out


def test_a_file_is_not_a_folder_for_a_site(tmp_path, monkeypatch, capsys):
    (tmp_path / "news").write_text("x", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "news", "--force"]) == 2
    assert capsys.readouterr().err == "news: is not a folder\n"


@pytest.mark.parametrize("argv", [["build"], ["check"], ["serve"], ["new", "خبر"],
                                  ["import", "wordpress", "export.xml"]])
def test_outside_a_site_every_command_says_so_in_one_line_and_writes_nothing(
        tmp_path, monkeypatch, capsys, argv):
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        "warraq: no warraq.toml here, so this is not a site's folder; start one with warraq "
        "init DIR, or name the file with --config FILE"]
    assert tree(tmp_path) == {} and os.listdir(tmp_path) == ["content"]


def test_config_still_names_the_file_from_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "news"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["--config", str(tmp_path / "news/warraq.toml"), "check"]) == 0
    assert os.listdir(elsewhere) == []


def test_the_new_sites_workflow_installs_warraq_with_pip_and_builds(tmp_path):
    workflow = yaml.safe_load(skeleton(".github/workflows/pages.yml"))
    assert workflow[True]["schedule"][0]["cron"].split()[1] == "*"  # "on": hourly builds
    steps = workflow["jobs"]["build"]["steps"]
    run = next(step for step in steps if step.get("name") == "Build")["run"].splitlines()
    assert run[0] == "python -m pip install warraq"
    assert run[1].startswith("warraq build --base-url ")
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert set(cache["with"]["path"].split()) == {".warraq-cache", "_site"}
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@")
               for step in steps)


def test_the_new_sites_config_is_commented_and_loads(tmp_path):
    text = skeleton("warraq.toml").decode("utf-8")
    lines = text.splitlines()
    for key in ("title", "lang", "site_url", "timezone", "[topics]"):
        at = next(i for i, line in enumerate(lines) if line.startswith(key))
        assert "#" in lines[at] or lines[at - 1].startswith("#"), key  # each one explained
    (tmp_path / "warraq.toml").write_text(text, "utf-8")
    config = load_config(tmp_path / "warraq.toml")
    assert (config.lang, config.timezone, config.site_url) == (
        "ar", "Asia/Damascus", "https://example.org/")
    assert [name for name, _ in config.topics] == ["المدينة", "الطقس"]
