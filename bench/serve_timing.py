"""``warraq serve``: time from a saved article edit to the reload signal.

bench/run starts ``python3 -m generator serve --port P`` on the wire corpus in
its own process group, connects to ``ws://127.0.0.1:P/livereload`` like the
browser's livereload.js does (the LiveReload protocol: ``hello``, then
``info`` with the page's URL, which is what puts a client on the server's
reload list), saves an edit to one article and measures until the server's
``{"command": "reload"}`` message arrives. The edit is undone, and its own
reload awaited, before the next run. The server is killed with its group at
the end.

The WebSocket client is the few lines of RFC 6455 a client needs: the HTTP
upgrade, masked text frames out, unmasked frames in, pings answered.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from incremental import edit_body

HOST = "127.0.0.1"
START_TIMEOUT = 1800.0  # the first build of a large corpus is a cold build
RELOAD_TIMEOUT = 300.0
QUIET_SECONDS = 1.0  # drain messages the server sends at start before timing
MARKER_OFFSET = 100  # serve's edits differ from the incremental scenarios'
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
REBUILT = re.compile(r"warraq: rebuilt in [\d.]+s \((\d+) written\)")


def time_reload(site: Path, env: dict[str, str], output: Path, logs: Path,
                runs: int) -> dict:
    """Median seconds from a saved edit to the reload message, and every run."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "serve.log"
    shutil.rmtree(output, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)  # Warraq makes only the output
    print(f"bench: serve on port {port}", flush=True)
    server = start_server(site, env, output, port, log)
    try:
        wait_for_line(log, "warraq: serving", server)
        client = connect(port)
        client.drain(QUIET_SECONDS)
        seconds = [time_one_reload(site, client, run, log) for run in range(1, runs + 1)]
        client.close()
    finally:
        stop_server(server)
    rebuilt = REBUILT.findall(log.read_text("utf-8", "replace"))
    written = [int(n) for n in rebuilt[1::2]]  # each timed edit, not its undoing
    return {"wall_s": statistics.median(seconds), "runs_s": seconds,
            "written": statistics.median(written) if written else None,
            "method": "websocket"}


def time_one_reload(site: Path, client: "LiveReloadClient", run: int, log: Path) -> float:
    print(f"bench: serve: edit {run}", flush=True)
    restore = edit_body(site, MARKER_OFFSET + run)
    started = time.perf_counter()
    try:
        client.wait_for_reload(RELOAD_TIMEOUT)
        took = time.perf_counter() - started
    finally:
        restore()
    client.wait_for_reload(RELOAD_TIMEOUT)
    return took


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(site: Path, env: dict[str, str], output: Path, port: int,
                 log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(port),
             "--output", str(output)],
            cwd=site, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)


def wait_for_line(log: Path, text: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while text not in log.read_text("utf-8", "replace"):
        if server.poll() is not None:
            sys.exit(f"bench: warraq serve exited {server.returncode}; see {log}")
        if time.monotonic() > deadline:
            sys.exit(f"bench: warraq serve did not start; see {log}")
        time.sleep(0.1)


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server's whole process group, which it leads."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(grace)
            break
        except subprocess.TimeoutExpired:
            continue


def connect(port: int) -> "LiveReloadClient":
    """The server prints its address just before it listens: retry briefly."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return LiveReloadClient(HOST, port)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class LiveReloadClient:
    """A LiveReload client on a minimal WebSocket connection."""

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.buffer = bytearray()  # bytes received and not yet read
        self._upgrade(host, port)
        self.send({"command": "hello",
                   "protocols": ["http://livereload.com/protocols/official-7"]})
        reply = self.receive(30)
        if reply.get("command") != "hello":
            raise ConnectionError(f"livereload answered {reply!r} to hello")
        self.send({"command": "info", "url": f"http://{host}:{port}/", "plugins": {}})

    def _upgrade(self, host: str, port: int) -> None:
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        self.sock.sendall(
            (f"GET /livereload HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://{host}:{port}\r\n"
             "Upgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             "Sec-WebSocket-Version: 13\r\n\r\n").encode("ascii"))
        while b"\r\n\r\n" not in self.buffer:
            self._receive_some()
        head, _, rest = bytes(self.buffer).partition(b"\r\n\r\n")
        self.buffer = bytearray(rest)
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if " 101 " not in status or headers.get("sec-websocket-accept") != accept:
            raise ConnectionError(f"no WebSocket upgrade: {status!r}")

    def send(self, message: dict) -> None:
        self._send_frame(0x1, json.dumps(message).encode("utf-8"))

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            head = bytes([0x80 | opcode, 0x80 | size])
        elif size < 1 << 16:
            head = bytes([0x80 | opcode, 0x80 | 126]) + size.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 0x80 | 127]) + size.to_bytes(8, "big")
        mask = os.urandom(4)  # a client must mask what it sends
        self.sock.sendall(head + mask + _masked(payload, mask))

    def receive(self, timeout: float) -> dict:
        """The next text message, as JSON; pings are answered on the way."""
        self.sock.settimeout(timeout)
        parts: list[bytes] = []
        while True:
            final, opcode, payload = self._read_frame()
            if opcode == 0x9:
                self._send_frame(0xA, payload)
            elif opcode == 0x8:
                raise ConnectionError("livereload closed the connection")
            elif opcode in (0x0, 0x1):
                parts.append(payload)
                if final:
                    return json.loads(b"".join(parts))

    def _read_frame(self) -> tuple[bool, int, bytes]:
        while (frame := self._parse_frame()) is None:
            self._receive_some()
        return frame

    def _parse_frame(self) -> tuple[bool, int, bytes] | None:
        """The first whole frame in the buffer, taken out of it; None if incomplete,
        so a timeout while a frame is half-received loses nothing."""
        buffer = self.buffer
        if len(buffer) < 2:
            return None
        size, at = buffer[1] & 0x7F, 2
        if size >= 126:
            width = 2 if size == 126 else 8
            if len(buffer) < at + width:
                return None
            size, at = int.from_bytes(buffer[at:at + width], "big"), at + width
        mask_size = 4 if buffer[1] & 0x80 else 0
        if len(buffer) < at + mask_size + size:
            return None
        mask = bytes(buffer[at:at + mask_size])
        payload = bytes(buffer[at + mask_size:at + mask_size + size])
        first = buffer[0]
        del buffer[:at + mask_size + size]
        return bool(first & 0x80), first & 0x0F, _masked(payload, mask) if mask else payload

    def _receive_some(self) -> None:
        """Add what the socket has to the buffer; a timeout leaves the buffer whole."""
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("livereload closed the connection")
        self.buffer += data

    def wait_for_reload(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(deadline - time.monotonic(), 0.001))
            if message.get("command") == "reload":
                return message

    def drain(self, seconds: float) -> None:
        """Read and drop whatever arrives within ``seconds`` (a start-up reload)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.receive(left)
            except TimeoutError:
                return

    def close(self) -> None:
        try:
            self._send_frame(0x8, b"")
        finally:
            self.sock.close()


def _masked(payload: bytes, mask: bytes) -> bytes:
    repeated = (mask * (len(payload) // 4 + 1))[:len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
        len(payload), "big")
