"""console: progress on a terminal and off it, the three levels, the closing
summary against a real build, and identical warnings said once."""

from __future__ import annotations

import fcntl
import io
import itertools
import os
import pty
import select
import struct
import termios
from pathlib import Path

import pytest

from generator import cli, console, parallel
from generator import serve as serve_module
from generator.cli import main
from generator.console import NORMAL, QUIET, VERBOSE, Console
from generator.errors import WarraqError, error

ARTICLES = {
    "content/2016-12-01-a.md": "---\ntitle: خبر أول\ntopics: [حلب]\n---\n\nنص.\n",
    "content/2016-12-02-b.md": "---\ntitle: خبر ثان\ntopics: [حلب, إدلب]\n---\n\nنص.\n",
    "content/2016-12-03-c.md": "---\ntitle: خبر ثالث\nkeywords: x\n---\n\nنص.\n",
}
KEYWORDS = ("content/2016-12-03-c.md:3: warning: unknown field 'keywords' ignored (known: ")
NO_ADDRESS = "warraq.toml: warning: site_url is not set"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def ticking(step: float = 0.25):
    """A clock that moves ``step`` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


@pytest.fixture
def site(make_site, tmp_path, monkeypatch):
    """A small site in the current folder; the commands' consoles on a ticking clock."""
    make_site(ARTICLES)
    monkeypatch.chdir(tmp_path)
    made = []

    def console_of(args):
        made.append(Console(getattr(args, "level", NORMAL), clock=ticking(1.0)))
        return made[-1]

    monkeypatch.setattr(cli, "_console", console_of)
    return tmp_path


def site_files(root: Path) -> set[str]:
    """Every file of the built site, as the summary counts them."""
    return {p.relative_to(root / "_site").as_posix() for p in (root / "_site").rglob("*")
            if p.is_file() and p.name != ".warraq-output"}


# -- progress --------------------------------------------------------------------------

def test_off_a_terminal_a_long_phase_is_two_plain_lines_and_a_short_one_none():
    err = io.StringIO()
    shown = Console(NORMAL, out=io.StringIO(), err=err, clock=ticking(1.5))
    shown.progress("discover", 3, 3)
    shown.progress("parse", 0, 600)
    for done in (100, 300, 600):
        shown.progress("parse", done, 600)
    shown.progress("parse", 600, 600)  # told twice that it is over: said once
    shown.progress("relate", 0, 0)
    assert err.getvalue() == ("warraq: parse: 600 sources…\n"
                              "warraq: parse: 600 sources, 1.50 s\n")


def test_on_a_terminal_a_long_phase_is_a_bar_that_goes_when_it_ends(monkeypatch):
    monkeypatch.setattr(console, "BAR_DELAY", 0)
    monkeypatch.setattr(console, "BAR_INTERVAL", 0)
    err = Terminal()
    shown = Console(NORMAL, out=io.StringIO(), err=err, clock=ticking())
    shown.progress("make", 0, 800)
    shown.progress("make", 400, 800)
    drawn = err.getvalue()
    assert "\r" in drawn and "warraq: make" in drawn and "400/800" in drawn
    shown.progress("make", 800, 800)
    assert "outputs…" not in err.getvalue()  # no plain lines on a terminal
    assert err.getvalue().endswith("\r")  # the bar's line wiped, left for what follows
    shown.progress("parse", 0, 10)  # a short phase: no bar
    assert shown._bar is None


def test_quiet_shows_no_progress_even_on_a_terminal(monkeypatch):
    monkeypatch.setattr(console, "BAR_DELAY", 0)
    err = Terminal()
    shown = Console(QUIET, err=err)
    shown.progress("make", 0, 800)
    shown.progress("make", 800, 800)
    assert err.getvalue() == ""


@pytest.mark.parametrize("sized", [True, False], ids=["80 columns", "size unknown"])
def test_a_build_on_a_pseudo_terminal_draws_a_bar(site, monkeypatch, sized):
    """The build's own calls reach the bar: a real build, stderr a real tty,
    whether or not the terminal says how wide it is (``script`` in CI does not)."""
    monkeypatch.setattr(console, "MANY", 5)
    monkeypatch.setattr(console, "BAR_DELAY", 0)
    leader, follower = pty.openpty()
    if sized:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with os.fdopen(follower, "w", encoding="utf-8") as terminal:
        monkeypatch.setattr(cli, "_console", lambda args: Console(NORMAL, err=terminal))
        assert main(["build"]) == 0
        terminal.flush()
        drawn = b""
        while select.select([leader], [], [], 0.1)[0]:
            drawn += os.read(leader, 65536)
    os.close(leader)
    text = drawn.decode("utf-8", "replace")
    assert "\r" in text and "warraq: make" in text
    assert "outputs…" not in text


def test_off_a_terminal_a_real_build_says_its_long_phases_in_lines(site, monkeypatch,
                                                                   capsys):
    monkeypatch.setattr(console, "MANY", 5)
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    made = len(site_files(site)) - len([f for f in site_files(site) if "pagefind" in f])
    assert f"warraq: make: {made} outputs…\n" in err
    assert f"warraq: make: {made} outputs, 1.00 s\n" in err
    assert "\r" not in err


def test_forked_workers_report_their_runs(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "MIN_RUN", 10)
    told: list[int] = []
    results = parallel.map_in_order(_doubles, list(range(1000)), workers=2, done=told.append)
    assert results == [n * 2 for n in range(1000)]
    assert len(told) > 3 and told == sorted(told) and told[-1] == 1000


def test_one_process_reports_its_runs_too(monkeypatch):
    told: list[int] = []
    results = parallel.map_in_order(_doubles, list(range(1000)), workers=1, done=told.append)
    assert results == [n * 2 for n in range(1000)]
    assert told == [50 * n for n in range(1, 21)]
    told.clear()
    parallel.map_in_order(_doubles, [1, 2], workers=1, done=told.append)
    assert told == []  # a small job: at once, and its phase says when it is over


def _doubles(items):
    return [item * 2 for item in items]


# -- levels ----------------------------------------------------------------------------

def test_the_default_prints_the_warnings_and_a_closing_summary(site, capsys):
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    files = len(site_files(site))
    assert out == (f"warraq: 3 articles, 2 topics, {files} files ({files} written, 0 unchanged, "
                   "0 removed), 2 warnings, 0 errors, 8.0 s -> _site/\n")
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(KEYWORDS) and lines[1].startswith(NO_ADDRESS)


def test_quiet_prints_nothing_for_a_good_build_and_only_errors_for_a_bad_one(site, capsys):
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    (site / "content/2016-12-04-d.md").write_text("---\ntitle: خبر\ndate: 12/06/2016\n---\n\nنص.\n",
                                                  "utf-8")
    assert main(["build", "-q"]) == 1
    assert capsys.readouterr() == ("", (
        "content/2016-12-04-d.md:3: date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got "
        "'12/06/2016'\nwarraq: 1 error(s); nothing was written (use --keep-going to publish "
        "the good articles)\n"))
    assert main(["check", "--quiet"]) == 1
    assert "warning" not in capsys.readouterr().err


def test_verbose_prints_each_phase_each_file_and_every_warning(site, capsys):
    assert main(["build", "--verbose"]) == 0
    out, err = capsys.readouterr()
    files = site_files(site)
    planned = len(files) - len([f for f in files if f.startswith("pagefind/")])
    lines = err.splitlines()
    assert lines[:7] == ["warraq: discover: 3 sources, 1.00 s", "warraq: parse: 3 sources, 1.00 s",
                         "warraq: relate: 1.00 s", f"warraq: plan: {planned} outputs, 1.00 s",
                         f"warraq: make: {planned} outputs, 1.00 s", "warraq: index: 1.00 s",
                         "warraq: publish: 1.00 s"]
    assert lines[7].startswith(KEYWORDS) and lines[8].startswith(NO_ADDRESS) and len(lines) == 9
    assert out.splitlines() == [f"written: {path}" for path in sorted(files)] + [
        f"warraq: 3 articles, 2 topics, {len(files)} files ({len(files)} written, 0 unchanged, "
        "0 removed), 2 warnings, 0 errors, 8.0 s -> _site/"]


def test_the_options_are_on_build_check_and_serve_and_exclusive(capsys):
    for command in ("build", "check", "serve"):
        assert cli._parser().parse_args([command, "-q"]).level == QUIET
        assert cli._parser().parse_args([command, "--verbose"]).level == VERBOSE
        assert cli._parser().parse_args([command]).level == NORMAL
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["build", "-q", "-v"])
    assert "not allowed with argument" in capsys.readouterr().err


# -- the summary -------------------------------------------------------------------------

def test_the_summary_counts_what_the_build_did(site, capsys):
    assert main(["build"]) == 0
    before = site_files(site)
    capsys.readouterr()
    assert main(["build"]) == 0  # nothing changed: the counts come from the last build
    assert capsys.readouterr().out == (
        f"warraq: 3 articles, 2 topics, {len(before)} files (0 written, {len(before)} "
        "unchanged, 0 removed), 2 warnings, 0 errors, 7.0 s -> _site/\n")  # no index
    (site / "content/2016-12-01-a.md").unlink()  # حلب stays, with b
    assert main(["build"]) == 0
    after = site_files(site)
    removed = before - after
    assert removed and "articles" in "".join(removed)
    out = capsys.readouterr().out
    assert out.startswith(f"warraq: 2 articles, 2 topics, {len(after)} files (")
    assert f"removed), 2 warnings, 0 errors, " in out
    assert f" {len(removed)} removed)" in out
    written = int(out.split(" files (")[1].split(" written")[0])
    assert 0 < written < len(after)
    assert f"{written} written, {len(after) - written} unchanged" in out


def test_check_sums_up_articles_topics_and_warnings(site, capsys):
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out == "warraq: 3 articles, 2 topics, 1 warning, no errors, 2.0 s\n"
    assert err.startswith(KEYWORDS)


# -- identical warnings ----------------------------------------------------------------

def test_one_unknown_field_in_300_files_is_one_line(make_site, tmp_path, monkeypatch, capsys):
    make_site({f"content/2016-12-01-n{n:03}.md": f"---\ntitle: خبر {n}\nkeywords: x\n---\n\nنص.\n"
               for n in range(300)}, config='fallback_date = "2016-12-06"\n'
              'site_url = "https://example.org/"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines[:3]
    assert "keywords" in lines[0] and "300" in lines[0]
    assert "content/2016-12-01-n000.md" in lines[0]  # the first place
    assert main(["check"]) == 0  # check's problems are summarised by the console
    assert len([line for line in capsys.readouterr().err.splitlines() if "keywords" in line]) == 1
    assert main(["check", "--verbose"]) == 0  # and not with --verbose
    warned = [line for line in capsys.readouterr().err.splitlines() if "keywords" in line]
    assert len(warned) == 300


def test_a_build_that_fails_mid_phase_takes_its_bar_down_before_the_errors(site, monkeypatch):
    monkeypatch.setattr(console, "BAR_DELAY", 0)
    err = Terminal()
    monkeypatch.setattr(cli, "_console", lambda args: Console(NORMAL, err=err))

    def failing(config, *, keep_going, progress):
        progress("make", 0, 800)
        progress("make", 100, 800)
        raise WarraqError([error("content/x.md", 2, "cannot read")])

    monkeypatch.setattr(cli, "build", failing)
    assert main(["build"]) == 1
    drawn, message = err.getvalue().rsplit("\r", 1)
    assert "warraq: make" in drawn and drawn.split("\r")[-1].strip() == ""  # wiped
    assert message == ("content/x.md:2: cannot read\nwarraq: 1 error(s); nothing was "
                       "written (use --keep-going to publish the good articles)\n")


# -- serve ---------------------------------------------------------------------------------

def test_serve_rebuilds_quietly_or_with_every_phase(make_site, capsys):
    config = make_site(ARTICLES)
    assert serve_module._rebuild(config, False, [], Console(QUIET)) == ("", True)  # index owed
    assert capsys.readouterr() == ("", "")
    (Path(config.root) / "content/2016-12-01-a.md").write_text(
        ARTICLES["content/2016-12-01-a.md"] + "\nفقرة.\n", "utf-8")
    serve_module._rebuild(config, False, ["content/2016-12-01-a.md"], Console(VERBOSE))
    out, err = capsys.readouterr()
    assert out.startswith("warraq: rebuilt in ") and "after content/2016-12-01-a.md" in out
    phases = [line.split(":")[1].strip() for line in err.splitlines()
              if line.startswith("warraq: ")]
    assert phases == ["discover", "parse", "relate", "plan", "make", "publish"]
    assert KEYWORDS in err
