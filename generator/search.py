"""Search: the Pagefind bundle of a built site, with Arabic matching keys.

Pagefind's stemming alone misses everyday news words ("الوزير" and "وزير",
"غزة" and "غزه", "مسؤول" and "مسئول"). So each article is indexed as its own
words, then ``SEPARATOR``, then its headline and the matching keys of both
(``text.normalise``) that its words do not already show. static/search.js
turns the reader's query into the same keys, and cuts excerpts only from
the text before the separator: keys are searched, never shown.

All articles share one index, in the language most of them are written
in, so that the search page finds an English article beside Arabic ones;
each result's own language and direction travel in its meta.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from pagefind.service import PagefindService

from .errors import WarraqError, error
from .render import url_for
from .text import direction_of, normalise, topic_token

BUNDLE = "pagefind"
SEPARATOR = " \u2042 "  # "⁂": static/search.js cuts the excerpt's text here
_STOP_SECONDS = 5
_READ_SIZE = 1 << 20
_BATCH = 50  # records made between two turns of the event loop
# Pagefind's own search interfaces: the search page uses its JavaScript API alone.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
           "pagefind-highlight.", "playground/")


@dataclass(frozen=True)
class SearchRecord:
    url: str  # site-relative page URL, unencoded, e.g. "articles/<slug>/"
    title: str
    date: str  # ISO date, "2016-12-06"
    lang: str  # "ar", "en", ...
    topics: tuple[str, ...]  # topic display names
    text: str  # the article's plain body text


def write_search_index(folder: Path, records: Sequence[SearchRecord], base_path: str) -> list[str]:
    """Write the Pagefind bundle into folder / "pagefind" (removed first: it
    may hold hard links shared with the live site, so nothing there is ever
    opened for writing); return the posix paths, relative to ``folder``, of
    every file written, sorted. Any failure of Pagefind is a WarraqError."""
    bundle = folder / BUNDLE
    try:
        files = _run_apart(_bundle_files(records, base_path))
        _remove(bundle)
        return sorted(_write_new(bundle, path, content) for path, content in files
                      if not path.startswith(_UNUSED))
    except (OSError, AssertionError) as exc:
        raise _failure(f"{type(exc).__name__}: {exc}") from None


def search_content(record: SearchRecord) -> str:
    """What Pagefind indexes for ``record``: its text, SEPARATOR, its headline
    and the keys its written words lack."""
    both = f"{record.title} {record.text}"
    written = set(both.lower().split())  # a key equal to one of these is indexed already
    keys = [key for key in dict.fromkeys(normalise(both).split()) if key not in written]
    tokens = [topic_token(name) for name in record.topics]
    return f"{record.text}{SEPARATOR}{record.title} {' '.join(keys + tokens)}".rstrip()


def index_language(records: Sequence[SearchRecord]) -> str:
    """The language most records are written in (ties: the first code)."""
    counts = Counter(record.lang for record in records)
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else "unknown"


def _failure(message: str) -> WarraqError:
    return WarraqError([error(BUNDLE, 0, f"search: {message}")])


def _remove(bundle: Path) -> None:
    """Unlink the old bundle, never writing into it; a link is removed, not followed."""
    if bundle.is_symlink() or bundle.is_file():
        bundle.unlink()
    elif bundle.exists():
        shutil.rmtree(bundle)


def _write_new(bundle: Path, path: str, content: bytes) -> str:
    """Create ``path`` under ``bundle`` (never an existing file); its posix path
    below the bundle's folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or ".." in rel.parts:
        raise _failure(f"pagefind named a file outside its folder: {path!r}")
    target = bundle.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as file:
        file.write(content)
    return f"{BUNDLE}/{rel.as_posix()}"


def _run_apart(coroutine):
    """asyncio.run, in a thread of its own when this one already runs a loop
    (``warraq serve`` rebuilds from inside its event loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    failed: list[BaseException] = []
    done: list = []

    def run() -> None:
        try:
            done.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed to the calling thread below
            failed.append(exc)

    thread = threading.Thread(target=run, name="pagefind")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return done[0]


async def _bundle_files(records: Sequence[SearchRecord], base_path: str) -> list[tuple[str, bytes]]:
    """The bundle's files, (path, content), as Pagefind makes them in memory.
    Not its write_files: that answers before its writes are done, and the
    files are left empty when the service ends."""
    service = await _Service().launch()
    try:
        language = index_language(records)
        index = await service.create_index({"force_language": language})
        await _add_all(index, records, base_path, language)
        return [(file["path"], file["content"]) for file in await index.get_files()]
    finally:
        await _stop(service)


async def _add_all(index, records: Sequence[SearchRecord], base_path: str, language: str) -> None:
    """Send the records as their content is made, so that Pagefind indexes
    one batch while the next is normalised (two processes, two cores)."""
    added = []
    for number, record in enumerate(records, 1):
        added.append(asyncio.ensure_future(
            index.add_custom_record(**_record_fields(record, base_path, language))))
        if number % _BATCH == 0:
            await asyncio.sleep(0)  # the batch goes out, replies come in
    await asyncio.gather(*added)


def _record_fields(record: SearchRecord, base_path: str, language: str) -> dict:
    url = url_for(base_path, record.url)
    return {
        "url": url, "content": search_content(record), "language": language,
        "meta": {"title": record.title, "date": record.date, "url": url,
                 "lang": record.lang, "dir": direction_of(record.lang)},
        "sort": {"date": record.date},
    }


class _Service(PagefindService):
    """The Pagefind service, its replies read as soon as they come and of any
    size: the stock reader sleeps 0.1 s before each one (17 minutes for
    10,000 records) and cannot take the bundle in one reply. A reply that
    cannot be read, or the service ending, fails every request still
    waiting, so a broken binary is an error and never a hang."""

    stopped: str | None = None

    async def send(self, payload):
        if self.stopped is not None:
            raise _failure(self.stopped)
        try:
            return await super().send(payload)
        except ConnectionError:  # its input closed: it ended
            raise _failure(self.stopped or "the pagefind service ended") from None

    async def _wait_for_responses(self) -> None:
        """Replies are base64 JSON, each ended by a comma."""
        stdout = self._backend.stdout
        parts: list[bytes] = []  # of the reply being read
        try:
            while chunk := await stdout.read(_READ_SIZE):
                *ends, rest = chunk.split(b",")
                for end in ends:
                    self._answer(_reply_of(b"".join([*parts, end])))
                    parts = []
                parts.append(rest)
        except ValueError as exc:
            message = f"the pagefind service said: {exc}"
        else:
            message = "the pagefind service ended"
        self._fail_waiting(message)

    def _answer(self, reply) -> None:
        if not isinstance(reply, dict):
            return
        payload = reply.get("payload") or {}
        future = self._responses.get(reply.get("message_id"))
        failed = payload.get("type") == "Error"
        if future is None:
            if failed:  # a request the service could not parse: its id is lost
                self._fail_waiting(str(payload.get("message")))
        elif not future.done():
            if failed:
                future.set_exception(_failure(str(payload.get("message"))))
            else:
                future.set_result(payload)

    def _fail_waiting(self, message: str) -> None:
        self.stopped = message
        for future in self._responses.values():
            if not future.done():
                future.set_exception(_failure(message))


def _reply_of(raw: bytes):
    """A reply decoded; anything else (a panic message: the service's errors
    come on the same pipe) is a ValueError that quotes it."""
    try:
        return json.loads(base64.b64decode(raw))
    except ValueError:
        raise ValueError(raw[:300].decode("utf-8", "replace").strip()) from None


async def _stop(service: _Service) -> None:
    """End the service: close its input and let it exit, kill it if it lingers."""
    backend = service._backend
    backend.stdin.close()
    try:
        await asyncio.wait_for(backend.wait(), _STOP_SECONDS)
    except asyncio.TimeoutError:
        backend.kill()
        await backend.wait()
    finally:
        service._poll_task.cancel()
