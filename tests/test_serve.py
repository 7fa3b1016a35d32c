"""warraq serve: one rebuild per burst of edits, the last good site kept with
the error shown, and a real browser that reloads by itself after a save."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.serve import RebuildWatcher, site_app

from .browser import chromium, require_chromium

ARTICLE = "content/2016-12-01-a.txt"
ARTICLE_TEXT = "خبر أول عن حلب\n\nفقرة أولى من الخبر.\n\nالمصدر: وراق\n"


def _call(app, path: str) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path.encode("utf-8").decode("latin-1")}, start_response))
    return seen["status"], seen["headers"], body


def test_app_serves_arabic_paths_folders_and_404(tmp_path):
    (tmp_path / "articles" / "حلب").mkdir(parents=True)
    (tmp_path / "articles" / "حلب" / "index.html").write_text("<body>حلب</body>", "utf-8")
    (tmp_path / "404.html").write_text("<body>missing</body>", "utf-8")
    app = site_app(tmp_path, {"problems": ""})
    status, headers, body = _call(app, "/articles/حلب/")
    assert status == "200 OK" and "حلب" in body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert _call(app, "/articles/حلب")[0].startswith("301")
    assert _call(app, "/nothing/")[0] == "404 Not Found"
    assert b"missing" in _call(app, "/../etc/passwd")[2]


def test_app_shows_the_build_error_above_the_last_good_page(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><p>old</p></body></html>", "utf-8")
    app = site_app(tmp_path, {"problems": "content/x.md:3: date: expected <b>"})
    body = _call(app, "/")[2].decode()
    assert body.index('id="warraq-build-error"') < body.index("<p>old</p>")
    assert "content/x.md:3: date: expected &lt;b&gt;" in body


def test_a_burst_of_edits_makes_one_rebuild(tmp_path):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text("x", "utf-8")
    rebuilds = []
    watcher = RebuildWatcher([tmp_path], rebuilds.append)
    assert watcher.examine() == (None, None)
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text("changed", "utf-8")
    watcher.examine()
    assert len(rebuilds) == 1
    assert [Path(p).name for p in rebuilds[0]] == ["a.md", "b.md", "c.md"]
    assert watcher.examine() == (None, None)
    assert len(rebuilds) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(process.stdout.read())
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("warraq serve did not start")


@pytest.fixture
def served(make_site, tmp_path):
    require_chromium()
    make_site({ARTICLE: ARTICLE_TEXT})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def _reload_after(page, edit) -> None:
    page.evaluate("window.__beforeEdit = true")
    edit()
    page.wait_for_function("window.__beforeEdit === undefined", timeout=20000)


def test_browser_reloads_after_a_save_and_keeps_the_last_good_site(served):
    base, root = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/" + quote("articles/خبر-أول-عن-حلب/"))
        page.wait_for_function("document.querySelector('script[src*=livereload]') !== null")
        assert page.locator("h1").inner_text() == "خبر أول عن حلب"

        _reload_after(page, lambda: (root / ARTICLE).write_text(
            ARTICLE_TEXT.replace("فقرة أولى", "فقرة معدلة"), "utf-8"))
        assert "فقرة معدلة" in page.locator(".article-body").inner_text()

        _reload_after(page, lambda: (root / "content/2016-12-02-b.txt").write_text(
            "عنوان بلا نص\n", "utf-8"))
        banner = page.locator("#warraq-build-error").inner_text()
        assert "content/2016-12-02-b.txt:1: no body" in banner
        assert "فقرة معدلة" in page.locator(".article-body").inner_text()
