"""The bad-input corpus: every bad file of tests/sites/bad/, links out and loops, an
unreadable file and one deleted mid-build, beside good articles, in one site.
`warraq build --keep-going` publishes every good article, lists every bad file once as
`path:line: message`, exits 0 and prints no traceback."""

from __future__ import annotations

import os

import pytest

from generator import build as build_module
from generator.cli import main
from generator.readers import decode, markdown_convert

from .test_bad_inputs import CASES, expected_lines, files_of

GOOD = {f"content/good/2016-11-{day:02d}-g.txt": f"خبر سليم رقم {day} عن حلب\n\nنص سليم {day}.\n"
        for day in range(1, 6)}
UNREADABLE = "content/extra/2016-12-07-locked.txt"
GHOST = "content/extra/2016-12-07-ghost.txt"


def corpus() -> tuple[dict[str, bytes], set[str]]:
    """Every case's files under content/<case>/, and the error lines expected."""
    files: dict[str, bytes] = {}
    errors: set[str] = set()
    for case in CASES:
        for rel, data in files_of(case).items():
            files[rel.replace("content/", f"content/{case}/", 1)] = data
        errors |= {line.replace("content/", f"content/{case}/", 1)
                   for line in expected_lines(case) if ": warning: " not in line}
    return files, errors


@pytest.fixture
def site(make_site, tmp_path, monkeypatch):
    files, errors = corpus()
    make_site({**files, **GOOD, UNREADABLE: "محجوب\n\nنص.\n", GHOST: "شبح\n\nنص.\n"})
    (tmp_path / "content/extra/passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "content/extra/loop").symlink_to(".")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.5)
    real_read = decode.read_bytes

    def read_bytes(path):
        if str(path).endswith("locked.txt"):  # as root, permissions stop nobody
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(decode, "read_bytes", read_bytes)
    real_parse = build_module.parse_sources

    def parse_sources(sources, *args):
        (tmp_path / GHOST).unlink(missing_ok=True)  # gone between discovery and parsing
        return real_parse(sources, *args)

    monkeypatch.setattr(build_module, "parse_sources", parse_sources)
    return tmp_path, errors | {f"{UNREADABLE}:1: cannot read: Permission denied",
                               f"{GHOST}:1: cannot read: No such file or directory"}


def test_keep_going_publishes_the_good_lists_each_bad_once_and_exits_0(site, capsys):
    root, errors = site
    assert main(["build", "--keep-going"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    reported = {line for line in lines if ": warning: " not in line
                and not line.startswith("warraq: ")}
    assert reported == errors
    assert len(lines) == len(set(lines))  # each problem once
    skipped = lines[-1].removeprefix("warraq: skipped ").split(": ", 1)[1].split(", ")
    assert sorted(skipped) == sorted({line.split(":", 1)[0] for line in errors})
    assert "content/extra/passwd.txt: warning: symbolic link skipped: it leads outside" in err
    assert "content/extra/loop: warning: symbolic link skipped" in err
    sources = {p.relative_to(root).as_posix() for p in (root / "content").rglob("*")
               if p.suffix in (".txt", ".md") and not p.is_symlink()} | {GHOST}
    good = sources - set(skipped)
    assert len(good) > 20
    assert len(list((root / "_site/articles").iterdir())) == len(good)  # each one published
    pages = "".join(p.read_text("utf-8") for p in (root / "_site/articles").rglob("*.html"))
    for day in range(1, 6):
        assert f"خبر سليم رقم <bdi>{day}</bdi> عن حلب" in pages
    published = b"".join(p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file())
    assert b"root:x:0:0" not in published


def test_without_keep_going_nothing_is_written_and_every_error_is_listed(site, capsys):
    root, errors = site
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert errors <= set(err.splitlines())
    assert not (root / "_site").exists()
    assert sorted(os.listdir(root)) == [".warraq-cache", "content", "static", "templates",
                                        "warraq.toml"]
