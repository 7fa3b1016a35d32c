"""warraq serve: one rebuild per burst of edits, the last good site kept with
the error shown, and a real browser that reloads by itself after a save, under
the pages' Content-Security-Policy. And what any page on the web could try
against a preview server: files outside the output, DNS rebinding, a foreign
live-reload socket; a bad or busy port, signals, crowds and dropped clients.

Every server here is a real ``warraq serve`` on 127.0.0.1 at a free port, spoken
to over raw sockets, and stopped by the test that started it."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import fcntl
import gc
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from livereload.handlers import LiveReloadHandler
from tornado.websocket import WebSocketClosedError

from generator import serve as serve_module
from generator.cache import CACHE_DIR
from generator.errors import WarraqError
from generator.guard import LOCK_FILE
from generator.serve import (RebuildWatcher, bind_port, page_bytes, resolve, serve,
                             url_parts)

from .browser import chromium, require_chromium

ARTICLE = "content/2016-12-01-a.txt"
ARTICLE_TEXT = "خبر أول عن حلب\n\nفقرة أولى من الخبر.\n\nالمصدر: وراق\n"
ARTICLE_URL = "/" + quote("articles/خبر-أول-عن-حلب/")
SECRET = "TOP-SECRET-OUTSIDE-THE-OUTPUT"


# -- the pure parts: paths, pages, the watcher, the port ------------------------------

def test_resolve_serves_arabic_paths_folders_and_404(tmp_path):
    (tmp_path / "articles" / "حلب").mkdir(parents=True)
    (tmp_path / "articles" / "حلب" / "index.html").write_text("<body>حلب</body>", "utf-8")
    (tmp_path / "404.html").write_text("<body>missing</body>", "utf-8")
    found = resolve(tmp_path, "/" + quote("articles/حلب/"))
    assert found.code == 200 and found.file.read_text("utf-8") == "<body>حلب</body>"
    assert resolve(tmp_path, "/" + quote("articles/حلب")).location == "/" + quote(
        "articles/حلب/")
    assert resolve(tmp_path, "/nothing/") == serve_module.Resolved(404, tmp_path / "404.html")
    assert resolve(tmp_path, "/../etc/passwd").code == 400


@pytest.mark.parametrize("path", [
    "/..", "/../etc/passwd", "/..%2f..%2fetc/passwd", "/%2e%2e/x", "/./x", "/a/./b", "//etc",
    "/a//b", "/%00", "/a%00.html", "/a\\..\\b", "/%5c..%5cb", "/%0a", "/%ff",
    "http://other.example/etc/passwd", "\\etc\\passwd", "*", ""])
def test_url_parts_refuses_what_could_leave_the_folder(path):
    assert url_parts(path) is None


def test_url_parts_decodes_once():
    assert url_parts("/%252e%252e/") == ["%2e%2e"]
    assert url_parts("/" + quote("أخبار") + "/") == ["أخبار"]
    assert url_parts("/") == []


def test_resolve_does_not_follow_a_symlink_out_of_the_output(tmp_path):
    output = tmp_path / "_site"
    (output / "inner").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    (output / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (output / "up").symlink_to(tmp_path)
    (output / "inner" / "index.html").symlink_to(tmp_path / "secret.txt")
    (output / "404.html").symlink_to(tmp_path / "secret.txt")
    for path in ("/leak.txt", "/up/secret.txt", "/up/", "/inner/", "/missing"):
        assert resolve(output, path) == serve_module.Resolved(404), path


def test_a_file_that_cannot_be_read_is_a_404(tmp_path, monkeypatch):
    (tmp_path / "a.html").write_text("<p>a</p>", "utf-8")

    def unreadable(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert serve_module._content(resolve(tmp_path, "/a.html"))[0] == 404


def test_the_build_error_goes_above_the_last_good_page_without_inline_style():
    body = page_bytes(b"<html><head></head><body><p>old</p></body></html>",
                      "content/x.md:3: date: expected <b>", 8123).decode()
    assert body.index('id="warraq-build-error"') < body.index("<p>old</p>")
    assert "content/x.md:3: date: expected &lt;b&gt;" in body
    assert "style=" not in body
    assert '<script src="/livereload.js?port=8123" defer></script></head>' in body
    assert "<script>" not in body and "<script type" not in body  # nothing inline


def test_a_bug_in_the_build_is_one_line_and_the_banner(make_site, monkeypatch, capsys):
    config = make_site({ARTICLE: ARTICLE_TEXT})

    def broken(*args, **kwargs):
        raise TypeError("read_wire_text() got\nan unexpected keyword")

    monkeypatch.setattr(serve_module, "build", broken)
    shown, owed = serve_module._rebuild(config, False, [])
    assert shown == ("warraq: unexpected failure: TypeError: read_wire_text() got an "
                     "unexpected keyword")
    assert owed is False
    assert capsys.readouterr().err.splitlines() == [
        "warraq: build failed, still serving the last good site", shown]


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


def test_a_reload_message_to_a_closed_tab_is_not_reported_later(monkeypatch):
    loop = asyncio.new_event_loop()
    reported = []
    loop.set_exception_handler(lambda loop, context: reported.append(context["message"]))

    class ClosedTab:
        def write_message(self, message):
            sent = loop.create_future()
            sent.set_exception(WebSocketClosedError())
            return sent

    class Changed:
        index_due = False

        def examine(self):
            return "content/a.txt", None

        def owes_index(self):
            return False

    monkeypatch.setattr(LiveReloadHandler, "waiters", {ClosedTab()})
    serve_module._poll(Changed())
    monkeypatch.undo()
    loop.run_until_complete(asyncio.sleep(0))  # the sends' callbacks run
    gc.collect()  # a failure nobody retrieved is reported as the future is freed
    loop.close()
    assert reported == []


def test_the_port_is_bound_on_127_0_0_1_only():
    port = _free_port()
    with bind_port(port) as sock:
        assert sock.getsockname() == ("127.0.0.1", port)
        assert sock.family == socket.AF_INET


def _nothing_may_start(monkeypatch):
    def started(*args, **kwargs):
        raise AssertionError("a build or watcher started before the port was checked")

    monkeypatch.setattr(serve_module, "build", started)
    monkeypatch.setattr(serve_module, "RebuildWatcher", started)


@pytest.mark.parametrize("port", [0, -1, 65536, 70000])
def test_a_port_out_of_range_is_a_usage_error(make_site, monkeypatch, port):
    config = make_site({ARTICLE: ARTICLE_TEXT})
    _nothing_may_start(monkeypatch)
    with pytest.raises(WarraqError) as caught:
        serve(config, port=port)
    assert caught.value.exit_code == 2
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("warraq", f"port {port} is out of range; choose one from 1 to 65535 with --port")]


def test_a_port_in_use_is_a_usage_error_before_anything_starts(make_site, monkeypatch):
    config = make_site({ARTICLE: ARTICLE_TEXT})
    _nothing_may_start(monkeypatch)
    with _listening() as port, pytest.raises(WarraqError) as caught:
        serve(config, port=port)
    assert caught.value.exit_code == 2
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("warraq", f"port {port} is in use; choose another with --port")]


def test_the_command_reports_a_busy_port_in_one_line(make_site, tmp_path):
    make_site({ARTICLE: ARTICLE_TEXT})
    with _listening() as port:
        done = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", str(port)],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"warraq: port {port} is in use; choose another with --port"]
    assert not (tmp_path / "_site").exists()


# -- a real server ----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _listening():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


class Served:
    """A ``warraq serve`` subprocess and everything it printed."""

    def __init__(self, root: Path):
        self.root, self.port = root, _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(self.port)], cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_until_up(self) -> None:
        for _ in range(300):
            if self.process.poll() is not None:
                raise AssertionError(self.output)
            try:
                with urllib.request.urlopen(self.base + "/", timeout=1):
                    return
            except urllib.error.HTTPError:  # up, though the site did not build
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("warraq serve did not start:\n" + self.output)

    def stop(self, signum: int = signal.SIGINT, group: bool = False) -> int:
        """Signal the server (with ``group``, its build workers too, as a
        terminal's Ctrl-C does) and return its exit status."""
        if self.process.poll() is None:
            if group:
                os.killpg(self.process.pid, signum)
            else:
                self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(timeout=5)
        self.process.stdout.close()
        return code


@pytest.fixture
def serving(make_site, tmp_path):
    """serving(files) -> a started Served, stopped (SIGINT) after the test."""
    started = []

    def start(files: dict[str, str | bytes] | None = None) -> Served:
        make_site({ARTICLE: ARTICLE_TEXT, **(files or {})})
        started.append(Served(tmp_path))
        started[-1].wait_until_up()
        return started[-1]

    yield start
    for served in started:
        served.stop()


def _clean_stop(served: Served) -> None:
    code = served.stop()
    assert "Traceback" not in served.output, served.output
    assert code == 130, served.output


def _request(port: int, target: str, host: str | None = "",
             version: str = "HTTP/1.1") -> tuple[int, bytes]:
    """(status, whole answer) of one raw request; host None sends no Host."""
    host = f"127.0.0.1:{port}" if host == "" else host
    head = f"GET {target} {version}\r\n" + (f"Host: {host}\r\n" if host is not None else "")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall((head + "Connection: close\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def _local_addresses() -> set[str]:
    """IPv4 addresses of this machine other than 127.0.0.1 (all of 127/8 is local)."""
    try:
        named = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                           socket.AF_INET)}
    except socket.gaierror:
        named = set()
    return ({"127.0.0.2"} | named) - {"127.0.0.1"}


def _listening_on(port: int) -> list[str]:
    """Local addresses (kernel hex) of the sockets listening on ``port``."""
    return [fields[1] for name in ("/proc/net/tcp", "/proc/net/tcp6")
            for fields in (line.split() for line in Path(name).read_text().splitlines()[1:])
            if fields[3] == "0A" and fields[1].endswith(f":{port:04X}")]


def test_serve_listens_on_127_0_0_1_only(serving):
    served = serving()
    for address in sorted(_local_addresses()):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, served.port), timeout=5).close()
    if Path("/proc/net/tcp6").exists():  # Linux: what the kernel says is listening
        assert _listening_on(served.port) == [f"0100007F:{served.port:04X}"]
    _clean_stop(served)


BAD_TARGETS = [
    "/..%2f..%2f..%2f..%2fetc/passwd", "/..%2fsecret.txt", "/%2e%2e/secret.txt",
    "/%252e%252e/%252e%252e/etc/passwd", "/%252e%252e/", "/%00", "/index.html%00.txt",
    "/..\\..\\..\\..\\etc\\passwd", "\\etc\\passwd", "/%5c..%5csecret.txt",
    "http://other.example/etc/passwd", "http://127.0.0.1/../secret.txt", "//etc/passwd",
    "/../secret.txt", "/leak.txt", "/up/secret.txt", "/up/", "/loop", "/fifo", "/%ff",
    "/" + "a" * 5000]


def test_serve_serves_nothing_outside_the_output(serving):
    served = serving()
    output = served.root / "_site"
    (served.root / "secret.txt").write_text(SECRET, "utf-8")
    (output / "leak.txt").symlink_to(served.root / "secret.txt")
    (output / "up").symlink_to(served.root)
    (output / "loop").symlink_to(output / "loop")
    os.mkfifo(output / "fifo")  # reading it would hang the server
    answers = {target: _request(served.port, target) for target in BAD_TARGETS}
    for target, (status, body) in answers.items():
        assert status in (400, 404), (target, status)
        assert SECRET.encode() not in body and b"root:" not in body, target
    assert _request(served.port, ARTICLE_URL)[0] == 200
    _clean_stop(served)


def test_serve_refuses_requests_for_another_host(serving):
    served = serving()
    port = served.port
    for host in (f"evil.example:{port}", "evil.example", "127.0.0.1", "localhost",
                 f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}", "[::1]:" + str(port),
                 f"localhost:{port}.evil.example"):
        for target in ("/", ARTICLE_URL, "/livereload.js", "/nothing"):
            assert _request(port, target, host)[0] in (400, 403), (host, target)
    assert _request(port, "/", None, version="HTTP/1.0")[0] in (400, 403)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert _request(port, ARTICLE_URL, host)[0] == 200, host
        assert _request(port, "/livereload.js", host)[0] == 200, host
    _clean_stop(served)


def test_livereload_control_endpoints_are_not_served(serving):
    served = serving()
    assert _request(served.port, "/forcereload")[0] == 404
    assert _request(served.port, "/forcereload?path=x")[0] == 404
    _clean_stop(served)


def _handshake(port: int, origin: str | None, host: str = "", extra: str = ""):
    """(status, file, socket) of a WebSocket handshake on /livereload."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /livereload HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  f"Sec-WebSocket-Key: {key}\r\n" + (f"Origin: {origin}\r\n" if origin else "")
                  + extra + "\r\n").encode())
    stream = sock.makefile("rwb")
    status = int(stream.readline().split()[1])
    while stream.readline() not in (b"\r\n", b""):
        pass
    return status, stream, sock


def _send_frame(stream, text: str) -> None:
    data, mask = text.encode(), os.urandom(4)
    stream.write(bytes([0x81, 0x80 | len(data)]) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
    stream.flush()


def _read_frame(stream) -> tuple[int, bytes]:
    first, length = stream.read(2)
    if length == 126:
        length = struct.unpack("!H", stream.read(2))[0]
    return first & 0x0F, stream.read(length)


HELLO = json.dumps({"command": "hello", "protocols": [
    "http://livereload.com/protocols/official-7"]})


def test_the_live_reload_socket_refuses_other_origins(serving):
    served = serving()
    port = served.port
    for origin, extra in (("http://evil.example", ""), ("null", ""), (None, ""),
                          (f"http://127.0.0.1:{port + 1}", ""), (f"https://127.0.0.1:{port}", ""),
                          (f"http://127.0.0.1:{port}.evil.example", ""),
                          ("http://evil.example", "Sec-Fetch-Site: same-origin\r\n")):
        status, stream, sock = _handshake(port, origin, extra=extra)
        stream.close(), sock.close()
        assert status == 403, (origin, extra)
    status, stream, sock = _handshake(port, f"http://127.0.0.1:{port}",
                                      host=f"evil.example:{port}")
    stream.close(), sock.close()
    assert status == 403
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, stream, sock = _handshake(port, f"http://{host}", host=host)
        assert status == 101, host
        _send_frame(stream, HELLO)
        opcode, payload = _read_frame(stream)
        assert opcode == 1 and json.loads(payload)["command"] == "hello"
        _send_frame(stream, "this is not livereload's protocol")
        assert _read_frame(stream) == (8, struct.pack("!H", 1003))
        stream.close(), sock.close()
    assert _request(port, ARTICLE_URL)[0] == 200
    _clean_stop(served)


def test_serve_answers_200_concurrent_requests(serving):
    served = serving()
    start = threading.Barrier(200)

    def fetch(_):
        start.wait()
        with urllib.request.urlopen(served.base + ARTICLE_URL, timeout=60) as answer:
            return answer.status, "خبر أول عن حلب" in answer.read().decode()

    with concurrent.futures.ThreadPoolExecutor(200) as pool:
        answers = list(pool.map(fetch, range(200)))
    assert answers == [(200, True)] * 200
    _clean_stop(served)


def test_clients_that_drop_the_connection_do_not_break_the_server(serving):
    served = serving({"static/big.bin": os.urandom(8 << 20)})
    for number in range(30):
        sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        if number % 3:
            sock.sendall(f"GET /static/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
                         "\r\n".encode())
            assert sock.recv(1024).startswith(b"HTTP/1.1 200")
        else:  # half a request
            sock.sendall(b"GET /static/big")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # a reset, mid-response
    status, body = _request(served.port, "/static/big.bin")
    assert status == 200 and len(body) > 8 << 20
    _clean_stop(served)


def test_a_hundred_saves_in_a_second_make_few_rebuilds_and_serving_goes_on(serving):
    served = serving()
    rebuilt_before = served.output.count("warraq: rebuilt in")
    answers = []
    asker = threading.Thread(target=lambda: answers.append(_request(served.port, ARTICLE_URL)))
    started = time.monotonic()
    for number in range(100):
        (served.root / ARTICLE).write_text(ARTICLE_TEXT.replace("فقرة أولى", f"فقرة {number}"),
                                           "utf-8")
        if number == 50:
            asker.start()
        time.sleep(0.009)
    assert time.monotonic() - started < 1.5
    for _ in range(200):
        if "فقرة 99".encode() in _request(served.port, ARTICLE_URL)[1]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the last save was never built:\n" + served.output)
    asker.join(timeout=30)
    assert answers and answers[0][0] == 200
    for _ in range(50):  # the page is published a moment before its line is printed
        if served.output.count("warraq: rebuilt in") > rebuilt_before:
            break
        time.sleep(0.1)
    assert 1 <= served.output.count("warraq: rebuilt in") - rebuilt_before <= 3, served.output
    _clean_stop(served)


def test_a_tab_closed_while_a_rebuild_runs_is_forgotten_quietly(serving):
    served = serving()
    status, stream, sock = _handshake(served.port, f"http://127.0.0.1:{served.port}")
    _send_frame(stream, HELLO)
    _read_frame(stream)
    _send_frame(stream, json.dumps({"command": "info", "url": served.base + "/"}))
    time.sleep(0.3)  # a waiter now, to be told to reload
    for number in range(50):  # a burst, so the server is busy settling it ...
        (served.root / ARTICLE).write_text(ARTICLE_TEXT + "x" * number, "utf-8")
        if number == 30:  # ... when the tab goes: a reset it reads only after the rebuild
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            stream.close(), sock.close()
        time.sleep(0.01)
    _wait_for(lambda: served.output.count("warraq: rebuilt in") == 2, served)
    time.sleep(0.5)
    assert _request(served.port, ARTICLE_URL)[0] == 200
    _clean_stop(served)


# -- the config, read again by every rebuild --------------------------------------------

def test_a_reloaded_config_keeps_the_served_folders_and_says_which_need_a_restart(
        make_site, capsys):
    serving = replace(make_site({ARTICLE: ARTICLE_TEXT}), base_url="/")
    loaded = replace(serving, title="جريدة", per_page=3, base_url="/repo/",
                     output_dir="elsewhere", content_dirs=("drafts",))
    assert serve_module.reloaded(serving, loaded) == replace(serving, title="جريدة",
                                                             per_page=3)
    assert capsys.readouterr().err.splitlines() == [
        "warraq.toml: warning: content_dirs changed; restart warraq serve for that to take "
        "effect (it still uses content, seeds)",
        "warraq.toml: warning: output_dir changed; restart warraq serve for that to take "
        "effect (it still uses _site)"]
    assert serve_module.reloaded(serving, replace(serving, title="x")).title == "x"
    assert capsys.readouterr().err == ""


def test_the_config_file_named_on_the_command_line_is_watched(make_site, tmp_path):
    config = make_site({ARTICLE: ARTICLE_TEXT})
    assert tmp_path / "warraq.toml" in serve_module.watched_paths(config)
    other = tmp_path / "preview.toml"
    assert serve_module.watched_paths(config, other)[-1] == other


def test_an_edit_to_the_config_takes_effect_and_a_bad_one_keeps_the_last_good_site(serving):
    served = serving()
    config, kept = served.root / "warraq.toml", 'fallback_date = "2016-12-06"\n'

    def home() -> bytes:
        status, answer = _request(served.port, "/")
        assert status == 200
        return answer

    config.write_text(kept + 'title = "جريدة التجربة"\n', "utf-8")
    _wait_for(lambda: "جريدة التجربة".encode() in home(), served)
    config.write_text(kept + 'title = "جريدة ثانية"\ncolour = "red"\n', "utf-8")
    _wait_for(lambda: b'id="warraq-build-error"' in home(), served)
    answer = home()
    assert b"warraq.toml:3: unknown key" in answer
    assert "جريدة التجربة".encode() in answer and "جريدة ثانية".encode() not in answer
    assert "warraq: build failed, still serving the last good site" in served.output

    config.write_text(kept + 'title = "جريدة ثالثة"\noutput_dir = "elsewhere"\n', "utf-8")
    _wait_for(lambda: "جريدة ثالثة".encode() in home(), served)
    assert b'id="warraq-build-error"' not in home()
    assert ("warraq.toml: warning: output_dir changed; restart warraq serve for that to take "
            "effect (it still uses _site)") in served.output
    assert not (served.root / "elsewhere").exists()
    _clean_stop(served)


def _wait_for(condition, served: Served, seconds: float = 30, every: float = 0.1) -> None:
    for _ in range(int(seconds / every)):
        if condition():
            return
        time.sleep(every)
    raise AssertionError("waited in vain:\n" + served.output)


def _building(root: Path) -> bool:
    """Whether a build holds the site's lock (see guard.build_lock)."""
    try:
        lock = os.open(root / CACHE_DIR / LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(lock)  # and with it the shared lock, if it was ours
    return False


MANY_ARTICLES = {f"content/2016-11-{n % 28 + 1:02d}-w{n}.txt":
                 f"خبر رقم {n} عن حلب\n\nفقرة عن الخبر {n}.\n\nالمصدر: وراق\n"
                 for n in range(600)}  # enough for the build to fork workers, and take a while


def test_build_workers_forked_by_serve_end_quietly(serving):
    served = serving(MANY_ARTICLES)
    (served.root / "content/2016-11-01-w0.txt").write_text("خبر معدل\n\nفقرة.\n", "utf-8")
    _wait_for(lambda: served.output.count("warraq: rebuilt in") >= 2, served)
    assert served.output.count("warraq: rebuilt in") == 2, served.output
    _clean_stop(served)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_ends_serve_in_one_line(serving, signum, code):
    served = serving()
    status, stream, sock = _handshake(served.port, f"http://127.0.0.1:{served.port}")
    assert status == 101  # an open tab does not hold the server up
    assert served.stop(signum) == code
    stream.close(), sock.close()
    assert "Traceback" not in served.output
    assert served.lines[-1] == f"warraq: stopped by {signal.Signals(signum).name}\n"


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_during_the_first_build_ends_serve_in_one_line(make_site, tmp_path,
                                                                     signum, code):
    make_site({ARTICLE: ARTICLE_TEXT, **MANY_ARTICLES})
    served = Served(tmp_path)
    try:
        _wait_for(lambda: _building(tmp_path), served, every=0.01)
    finally:
        assert served.stop(signum) == code, served.output
    assert "warraq: serving" not in served.output  # it was stopped while building
    assert "Traceback" not in served.output
    assert served.lines[-1] == f"warraq: stopped by {signal.Signals(signum).name}\n"
    site = tmp_path / "_site"
    assert not site.exists() or (site / "index.html").is_file()  # no half a site


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_during_a_rebuild_stops_it_at_once(serving, signum, code):
    served = serving(MANY_ARTICLES)
    (served.root / ARTICLE).write_text(ARTICLE_TEXT.replace("فقرة أولى", "فقرة"), "utf-8")
    _wait_for(lambda: _building(served.root), served, every=0.01)
    # to the workers as well: waiting for a build whose workers were killed would hang
    assert served.stop(signum, group=True) == code, served.output
    assert served.output.count("warraq: rebuilt in") == 1  # the first build's, not this one's
    assert "Traceback" not in served.output
    assert served.lines[-1] == f"warraq: stopped by {signal.Signals(signum).name}\n"


# -- a real browser, under the Content-Security-Policy ----------------------------------

def _reload_after(page, edit) -> None:
    page.evaluate("window.__beforeEdit = true")
    edit()
    page.wait_for_function("() => window.__beforeEdit === undefined", timeout=20000)


def test_browser_reloads_after_a_save_and_keeps_the_last_good_site(serving):
    require_chromium()
    served = serving()
    root = served.root
    with chromium() as browser:
        page = browser.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(served.base + ARTICLE_URL)
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute(
            "content")
        assert {"script-src 'self'", "style-src 'self'", "connect-src 'self'"} <= {
            part.strip().split(" 'sha")[0] for part in policy.split(";")}
        page.wait_for_function("() => document.querySelector('script[src*=livereload]') !== null")
        assert page.locator("h1").inner_text() == "خبر أول عن حلب"

        _reload_after(page, lambda: (root / ARTICLE).write_text(
            ARTICLE_TEXT.replace("فقرة أولى", "فقرة معدلة"), "utf-8"))
        assert "فقرة معدلة" in page.locator(".article-body").inner_text()

        _reload_after(page, lambda: (root / "content/2016-12-02-b.txt").write_text(
            "عنوان بلا نص\n", "utf-8"))
        banner = page.locator("#warraq-build-error")
        assert "content/2016-12-02-b.txt:1: no body" in banner.inner_text()
        assert banner.get_attribute("style") is None
        assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(139, 0, 0)"
        assert banner.evaluate("e => getComputedStyle(e).position") == "sticky"
        assert "فقرة معدلة" in page.locator(".article-body").inner_text()
        assert refused == []
    _clean_stop(served)


def test_serve_refuses_an_output_a_build_would_refuse_before_serving_it(tmp_path, monkeypatch,
                                                                        capsys):
    """`warraq serve --output .` must not put the project's own files on a port."""
    from generator.cli import main

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / ARTICLE.split("/", 1)[1]).write_text(ARTICLE_TEXT, "utf-8")
    (tmp_path / ".env").write_text("SECRET=1\n", "utf-8")
    (tmp_path / "warraq.toml").write_text("", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("generator.serve.bind_port", lambda port: pytest.fail("bound a port"))
    assert main(["serve", "--output", "."]) == 2
    assert capsys.readouterr().err == (
        ".: refusing to write the site here: it is the project's own folder\n")


def test_the_search_index_is_made_after_the_reload_not_before(serving):
    served = serving()
    for _ in range(100):  # the first build's index, owed and then made
        if "warraq: search index updated" in served.output:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(served.output)
    before = served.output.count("warraq: search index updated")
    (served.root / ARTICLE).write_text(ARTICLE_TEXT.replace("فقرة أولى", "فقرة زعفرانية"),
                                       "utf-8")
    for _ in range(100):
        if served.output.count("warraq: search index updated") > before:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(served.output)
    tail = served.output.split("warraq: rebuilt in")[-1]
    assert "warraq: search index updated" in tail  # the page's rebuild came first
    assert "زعفرانية".encode() in _request(served.port, ARTICLE_URL)[1]
    _clean_stop(served)
