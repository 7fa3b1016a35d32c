"""warraq serve: build, serve the output on 127.0.0.1 with live reload.

Edits to content, templates, static files or the config trigger the same
``build()`` as the command line. A burst of file events (an editor saving
several files, a git checkout) settles into one rebuild. A broken edit
keeps the last good site on screen and shows the problems above it.
"""

from __future__ import annotations

import html
import mimetypes
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .build import build
from .config import CONFIG_NAME, Config
from .errors import WarraqError
from .models import Stamp
from .readers import file_stamp, walk_files

POLL_MS = 200
SETTLE_SECONDS = 0.1
HOST = "127.0.0.1"

Snapshot = dict[str, Stamp]


def serve(config: Config, *, port: int = 8000, keep_going: bool = False) -> int:
    config = replace(config, base_url="/")  # the preview lives at the server's root
    status = {"problems": ""}

    def rebuild(changed: list[str]) -> None:
        status["problems"] = _rebuild(config, keep_going, changed)

    rebuild([])
    watcher = RebuildWatcher(watched_paths(config), rebuild)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # our watcher already merges bursts
    server = Server(app=site_app(config.abs(config.output_dir), status), watcher=watcher)
    print(f"warraq: serving http://{HOST}:{port}/ (Ctrl-C to stop)", flush=True)
    server.serve(port=port, host=HOST, debug=False, restart_delay=0)
    return 0


def _rebuild(config: Config, keep_going: bool, changed: list[str]) -> str:
    started = time.perf_counter()
    try:
        report = build(config, keep_going=keep_going)
    except WarraqError as exc:
        text = "\n".join(str(p) for p in exc.problems)
        print(f"warraq: build failed, still serving the last good site\n{text}",
              file=sys.stderr, flush=True)
        return text
    for problem in report.problems:
        print(problem, file=sys.stderr)
    took = time.perf_counter() - started
    print(f"warraq: rebuilt in {took:.2f}s ({len(report.written)} written)"
          + (f" after {', '.join(changed[:3])}" if changed else ""), flush=True)
    return "\n".join(str(p) for p in report.problems if p.is_error)


def watched_paths(config: Config) -> list[Path]:
    paths = [config.abs(d) for d in config.content_dirs]
    paths += [config.abs(config.templates_dir), config.abs(config.static_dir),
              config.root / CONFIG_NAME]
    return paths


def snapshot(paths: list[Path]) -> Snapshot:
    """(size, mtime_ns) of every file under ``paths``, skipping dot-folders and
    dotfiles as the build does; taken every poll, so one scandir walk."""
    state: Snapshot = {}
    for base in paths:
        if base.is_file():
            state[str(base)] = file_stamp(base)
        for abs_path, _, stamp in walk_files(base):
            state[abs_path] = stamp
    return state


class RebuildWatcher(Watcher):
    """Polls the site's inputs and runs one rebuild per settled burst of changes."""

    def __init__(self, paths: list[Path], rebuild: Callable[[list[str]], None]):
        super().__init__()
        self._paths = paths
        self._rebuild = rebuild
        self._seen = snapshot(paths)

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True

    def examine(self):
        if self._changes:
            return self._changes.pop()
        current = snapshot(self._paths)
        if current == self._seen:
            return None, None
        while True:  # let the burst finish
            time.sleep(SETTLE_SECONDS)
            later = snapshot(self._paths)
            if later == current:
                break
            current = later
        changed = sorted(k for k in current.keys() | self._seen.keys()
                         if current.get(k) != self._seen.get(k))
        self._seen = current
        self._rebuild(changed)
        self.filepath = changed[0]
        return self.filepath, None


def site_app(output: Path, status: dict[str, str]):
    """A WSGI app serving ``output``, with the last build's errors shown on top."""

    def app(environ, start_response):
        raw = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        target, code = _resolve(output, raw)
        if code == "301":
            start_response("301 Moved Permanently", [("Location", raw + "/")])
            return [b""]
        body = target.read_bytes() if target else b"<!doctype html><title>404</title>"
        kind = mimetypes.guess_type(target.name if target else "x.html")[0] or "text/plain"
        if kind == "text/html" and status["problems"]:
            body = _with_banner(body, status["problems"])
        headers = [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/")
                    else kind), ("Cache-Control", "no-store")]
        start_response("200 OK" if code == "200" else "404 Not Found", headers)
        return [body]

    return app


def _resolve(output: Path, url_path: str) -> tuple[Path | None, str]:
    root = output.resolve()
    candidate = (root / url_path.lstrip("/")).resolve()
    if root != candidate and root not in candidate.parents:
        return _not_found(root)
    if candidate.is_dir():
        if not url_path.endswith("/"):
            return None, "301"
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate, "200"
    return _not_found(root)


def _not_found(root: Path) -> tuple[Path | None, str]:
    page = root / "404.html"
    return (page if page.is_file() else None), "404"


def _with_banner(body: bytes, problems: str) -> bytes:
    banner = ('<div role="alert" id="warraq-build-error" dir="ltr" style="position:sticky;'
              'inset-block-start:0;z-index:9;background:#8b0000;color:#fff;padding:1rem;'
              'font:14px/1.5 monospace;white-space:pre-wrap">'
              "warraq: the last edit did not build; showing the last good site.\n"
              f"{html.escape(problems)}</div>")
    text = body.decode("utf-8", "replace")
    at = text.find(">", text.find("<body")) + 1 if "<body" in text else 0
    return (text[:at] + banner + text[at:]).encode("utf-8")
