"""warraq serve: build, serve the output on 127.0.0.1 with live reload.

Edits to content, templates, static files or the config trigger the same
``build()`` as the command line. A burst of file events (an editor saving
several files, a git checkout) settles into one rebuild. A broken edit
keeps the last good site on screen and shows the problems above it.

Each rebuild reads the config file again, so an edit to it takes effect as
any other edit does, and a broken config is shown as a broken article is.
The folders serve checked, watches and serves (content, output, templates,
static) stay those it started with: it says that a change to them needs a
restart, which checks the new folders as every start does.

Any page the user opens can make the browser send requests here, so the
server answers only this machine and only its own pages: it listens on
127.0.0.1, refuses a ``Host`` that is not this server (DNS rebinding) and a
live-reload socket opened from another origin, and serves no file outside
the output folder. The live-reload script is a same-origin ``<script src>``
and the error banner is styled by static/style.css, so both work under the
pages' Content-Security-Policy. SIGINT and SIGTERM end ``serve()`` with
128 + the signal's number, never a traceback.
"""

from __future__ import annotations

import asyncio
import errno
import html
import mimetypes
import os
import signal
import socket
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, NoReturn
from urllib.parse import quote, unquote_to_bytes

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web
from tornado.httpserver import HTTPServer
from tornado.websocket import WebSocketClosedError

from .build import address_warning, build
from .cache import CACHE_DIR
from .guard import content_folders, output_folder
from .config import CONFIG_NAME, Config
from .console import Console
from .errors import Problem, WarraqError, warning
from .models import Stamp
from .readers import file_stamp, walk_files
from .serve_index import IndexChild
from .theme import theme_of

POLL_MS = 200
SETTLE_SECONDS = 0.1
RELOAD_GRACE_SECONDS = 0.5  # the reloaded page is fetched before the index is made
HOST = "127.0.0.1"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# what serve checked, watches and serves since it started: changed only by a restart
RESTART_FIELDS = ("content_dirs", "output_dir", "templates_dir", "static_dir")
MISSING = b"<!doctype html><html><head><title>404</title></head><body>404</body></html>"

Snapshot = dict[str, Stamp]


def serve(config: Config, *, port: int = 8000, keep_going: bool = False,
          reload: Callable[[], Config] | None = None, config_file: Path | None = None,
          console: Console | None = None) -> int:
    """Serve until SIGINT or SIGTERM, then return 128 + its number (130, 143).

    ``reload`` gives the configuration afresh (raising WarraqError when it is
    bad) and runs before every rebuild after the first; ``config_file`` is
    the file to watch for it (default: ``warraq.toml`` in the site's root).

    Raises WarraqError (exit code 2) if ``port`` cannot be listened on, or
    the output or content folders are refused, before anything is built,
    watched or served. What it says goes through ``console``."""
    console = console or Console()
    content_folders(config)
    output_folder(config, config.root / CACHE_DIR)  # never serve a folder a build refuses
    listener = bind_port(port)
    config = replace(config, base_url="/")  # the preview lives at the server's root
    status = {"problems": ""}
    stop = _Stop()
    stop.previous = {sig: signal.signal(sig, partial(_on_signal, stop)) for sig in STOP_SIGNALS}

    shown_file = config_file.name if config_file else CONFIG_NAME
    indexer = IndexChild()

    def rebuild(changed: list[str]) -> None:
        nonlocal config
        indexer.stop()  # the page first; this rebuild owes the index again
        stop.busy = True
        try:
            if reload is not None and changed:
                config = reloaded(config, reload(), shown_file, console)
            status["problems"], status["index_owed"] = _rebuild(config, keep_going, changed,
                                                                console)
        except WarraqError as exc:  # from reload: keep the last good config and site
            status["problems"] = _failed("\n".join(str(p) for p in exc.problems), console)
        finally:
            stop.busy = False

    def make_index() -> None:
        if status.get("index_owed"):
            indexer.start(config, keep_going)

    def owes_index() -> bool:
        """Whether an index is owed and no child is making it."""
        if indexer.ended() is not None:  # made, or failed and said why: owed no more
            status["index_owed"] = False
        return bool(status.get("index_owed")) and not indexer.running()

    try:
        rebuild([])
        console.problems(filter(None, [address_warning(config)]))  # once, as build says it
        app = make_app(config.abs(config.output_dir), status, port)
        console.always(f"warraq: serving http://{HOST}:{port}/ (Ctrl-C to stop)")
        asyncio.run(_serve_until_stopped(listener, app, RebuildWatcher(
            watched_paths(config, config_file), rebuild, make_index, owes_index), stop))
    except KeyboardInterrupt:  # raised by _on_signal: a build was running
        pass
    finally:
        indexer.stop()
        for sig, handler in stop.previous.items():
            signal.signal(sig, handler)
        listener.close()
    signum = stop.signum or signal.SIGINT
    console.note(f"warraq: stopped by {signal.Signals(signum).name}")
    return 128 + signum


def bind_port(port: int) -> socket.socket:
    """The listening socket on 127.0.0.1 only, or a one-line usage error."""
    if not 1 <= port <= 65535:  # 0 would pick a port the pages could not name
        _refuse(f"port {port} is out of range; choose one from 1 to 65535 with --port")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # a restart may reuse the port while the last run's connections linger
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
        sock.setblocking(False)
        return sock
    except OSError as exc:
        sock.close()
        why = "is in use" if exc.errno == errno.EADDRINUSE else f"failed: {exc.strerror}"
        _refuse(f"port {port} {why}; choose another with --port")


def _refuse(message: str) -> NoReturn:
    raise WarraqError([Problem("warraq", 0, message)], exit_code=2) from None


@dataclass
class _Stop:
    """What a stop signal does now: abandon a running build, or end the loop."""

    previous: dict = field(default_factory=dict)
    busy: bool = False
    signum: int = 0
    wake: Callable[[], None] | None = None


def _on_signal(stop: _Stop, signum: int, _frame) -> None:
    # build workers forked by serve set their own handlers (parallel._quiet_worker)
    stop.signum = stop.signum or signum
    if stop.busy or stop.wake is None:
        raise KeyboardInterrupt  # as Ctrl-C does to `warraq build`; the output swap is atomic
    stop.wake()  # let the request being answered finish, then stop


async def _serve_until_stopped(listener: socket.socket, app: web.Application,
                               watcher: RebuildWatcher, stop: _Stop) -> None:
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    stop.wake = partial(loop.call_soon_threadsafe, _settle, stopped)
    server = HTTPServer(app)
    server.add_sockets([listener])
    watcher.start(partial(_poll, watcher))
    try:
        await stopped
    finally:
        stop.wake = None
        server.stop()


def _settle(future: asyncio.Future) -> None:
    if not future.done():  # a second Ctrl-C
        future.set_result(None)


def _rebuild(config: Config, keep_going: bool, changed: list[str],
             console: Console | None = None) -> tuple[str, bool]:
    """Build, leaving the search index for later: the problems to show above
    the pages ("" when there are none), and whether the index is owed."""
    console = console or Console()
    console.begin()
    try:  # the page first
        report = build(config, keep_going=keep_going, index=False, progress=console.progress)
    except WarraqError as exc:
        return _failed("\n".join(str(p) for p in exc.problems), console), False
    except Exception as exc:
        # a bug in the build: one line, as the command prints it, and the banner;
        # the last good site stays up
        return _failed(f"warraq: unexpected failure: {type(exc).__name__}: "
                       + " ".join(str(exc).split()), console), False
    console.problems(report.problems)
    console.say(f"warraq: rebuilt in {console.seconds():.2f}s ({len(report.written)} written)"
                + (f" after {', '.join(changed[:3])}" if changed else ""))
    return ("\n".join(str(p) for p in report.problems if p.is_error),
            bool(report.work.get("index_owed")))


def _failed(text: str, console: Console | None = None) -> str:
    (console or Console()).error(f"warraq: build failed, still serving the last good site\n"
                                 f"{text}")
    return text


def reloaded(serving: Config, loaded: Config, config_name: str = CONFIG_NAME,
             console: Console | None = None) -> Config:
    """``loaded`` as the preview uses it: at the server's root, and with the
    folders of ``serving``, saying on stderr which of them need a restart."""
    kept = {name: getattr(serving, name) for name in RESTART_FIELDS}
    (console or Console()).problems(
        warning(config_name, 0, f"{name} changed; restart warraq serve for that to take "
                f"effect (it still uses {_shown(value)})")
        for name, value in kept.items() if getattr(loaded, name) != value)
    return replace(loaded, base_url="/", **kept)


def _shown(value: str | tuple[str, ...]) -> str:
    return ", ".join(value) if isinstance(value, tuple) else value


def watched_paths(config: Config, config_file: Path | None = None) -> list[Path]:
    """The content folders, the site's templates and static folders (watched
    while missing too, so a first override is seen) and the defaults behind
    them, and the config file."""
    theme = theme_of(config)
    paths = [config.abs(d) for d in config.content_dirs]
    paths += [*theme.templates, *theme.static, config_file or config.root / CONFIG_NAME]
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

    index_due = False  # the owed search index is scheduled

    def make_index(self) -> None:
        try:
            self._make_index()
        finally:
            self.index_due = False

    def __init__(self, paths: list[Path], rebuild: Callable[[list[str]], None],
                 make_index: Callable[[], None] = lambda: None,
                 owes_index: Callable[[], bool] = lambda: False):
        super().__init__()
        self._paths = paths
        self._rebuild = rebuild
        self._make_index = make_index
        self.owes_index = owes_index
        self._seen = snapshot(paths)

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True

    def examine(self):
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


def _poll(watcher: RebuildWatcher) -> None:
    path, _ = watcher.examine()
    if watcher.owes_index() and not watcher.index_due:  # after any reload, while the page is fetched
        watcher.index_due = True
        asyncio.get_running_loop().call_later(RELOAD_GRACE_SECONDS, watcher.make_index)
    if not path:
        return
    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            sent = waiter.write_message(message)
        except WebSocketClosedError:  # the tab went away while we rebuilt
            LiveReloadHandler.waiters.discard(waiter)
        else:  # or goes away as we write: asyncio would print the failed send
            sent.add_done_callback(_ignore_failure)


def _ignore_failure(sent: asyncio.Future) -> None:
    if not sent.cancelled():
        sent.exception()  # retrieved: the tab is gone, and on_close forgets it


def make_app(output: Path, status: dict[str, str], port: int) -> web.Application:
    """The site under ``output`` and the live-reload script and socket; no other
    route (livereload's /forcereload would let any page reload every tab)."""
    hosts = frozenset((f"127.0.0.1:{port}", f"localhost:{port}"))
    return web.Application(
        [(r"/livereload", ReloadSocket), (r"/livereload\.js", ReloadScript),
         (r".*", SitePage)],
        warraq_output=output, warraq_status=status, warraq_port=port, warraq_hosts=hosts,
        warraq_origins=frozenset("http://" + host for host in hosts),
        log_function=lambda handler: None)  # the terminal is for rebuilds and errors


class _LocalOnly:
    """Refuses a request whose Host is not this server: a page on another site
    whose name was made to point at 127.0.0.1 (DNS rebinding) reads nothing."""

    def prepare(self) -> None:
        host = self.request.headers.get("Host", "").lower()
        if host not in self.settings["warraq_hosts"]:
            raise web.HTTPError(403)


class ReloadScript(_LocalOnly, LiveReloadJSHandler):
    """livereload.js, from this origin so that ``script-src 'self'`` allows it."""


class ReloadSocket(_LocalOnly, LiveReloadHandler):
    """livereload's socket, opened only by this server's own pages."""

    def prepare(self) -> None:
        super().prepare()
        # livereload's check_origin accepts every origin, and tornado skips the
        # check when there is no Origin; browsers always send one, so require it
        if self.request.headers.get("Origin") not in self.settings["warraq_origins"]:
            raise web.HTTPError(403)

    def on_message(self, message) -> None:
        try:
            super().on_message(message)
        except (ValueError, TypeError, AttributeError):  # not livereload's protocol
            self.close(1003)


class SitePage(_LocalOnly, web.RequestHandler):
    """A file of the output folder, with the reload script and any build error."""

    def get(self) -> None:
        found = resolve(self.settings["warraq_output"], self.request.path)
        if found.code == 400:
            raise web.HTTPError(400)
        if found.code == 301:
            self.redirect(found.location, permanent=True)
            return
        code, body, kind = _content(found)
        if kind == "text/html":
            body = page_bytes(body, self.settings["warraq_status"]["problems"],
                              self.settings["warraq_port"])
        self.set_status(code)
        self.set_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/")
                        else kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    head = get


@dataclass(frozen=True)
class Resolved:
    """200 and a file; 301 and the location; 400 (no such path can exist); 404
    and the site's 404 page, if there is one."""

    code: int
    file: Path | None = None
    location: str = ""


def resolve(output: Path, url_path: str) -> Resolved:
    """What a request path names inside ``output``, and nothing outside it."""
    parts = url_parts(url_path)
    if parts is None:
        return Resolved(400)
    root = os.path.realpath(output)
    target = _inside(root, parts)
    if target and os.path.isdir(target):
        if not url_path.endswith("/"):
            return Resolved(301, location="/" + "/".join(quote(p) for p in parts) + "/")
        target = _inside(root, parts + ["index.html"])
    if target and os.path.isfile(target):  # not a folder, a pipe or a device
        return Resolved(200, Path(target))
    page = _inside(root, ["404.html"])
    return Resolved(404, Path(page) if page and os.path.isfile(page) else None)


def url_parts(url_path: str) -> list[str] | None:
    """The decoded segments of a request path, or None for one that could
    name a place outside the folder: an absolute URL, ``..``, ``.``, an empty
    segment (``//etc``), a backslash, a NUL or other control character, or
    bytes that are not UTF-8. Decoded once: ``%252e`` stays the name ``%2e``."""
    if not url_path.startswith("/"):
        return None
    try:  # tornado hands the request line over as latin-1
        text = unquote_to_bytes(url_path.encode("latin-1")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if "\\" in text or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    parts = text[1:].split("/")
    if parts[-1] == "":  # a folder's trailing slash
        parts.pop()
    if any(p in ("", ".", "..") for p in parts):
        return None
    return parts


def _inside(root: str, parts: list[str]) -> str | None:
    """The real path of ``parts`` under ``root``, or None if a symlink leads out."""
    target = os.path.realpath(os.path.join(root, *parts))
    return target if target == root or target.startswith(root + os.sep) else None


def _content(found: Resolved) -> tuple[int, bytes, str]:
    code, body, name = found.code, MISSING, "404.html"
    if found.file:
        try:
            body, name = found.file.read_bytes(), found.file.name
        except OSError:  # removed or swapped by a build since it was resolved
            code = 404
    return code, body, mimetypes.guess_type(name)[0] or "text/plain"


def page_bytes(body: bytes, problems: str, port: int) -> bytes:
    """``body`` with the live-reload script in its head and any build error on top."""
    text = body.decode("utf-8", "replace")
    script = f'<script src="/livereload.js?port={port}" defer></script>'
    at = text.find("</head>")
    text = text[:at] + script + text[at:] if at >= 0 else text
    if problems:
        text = _with_banner(text, problems)
    return text.encode("utf-8")


def _with_banner(text: str, problems: str) -> str:
    # styled by static/style.css: a style attribute would break under style-src 'self'
    banner = ('<div role="alert" id="warraq-build-error" dir="ltr">'
              "warraq: the last edit did not build; showing the last good site.\n"
              f"{html.escape(problems)}</div>")
    at = text.find(">", text.find("<body")) + 1 if "<body" in text else 0
    return text[:at] + banner + text[at:]
