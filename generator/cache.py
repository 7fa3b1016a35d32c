"""The build cache: what earlier builds read, so the next one redoes only
what changed.

One SQLite file, ``.warraq-cache/build.sqlite`` beside the config. It holds
the body of every parsed source keyed by the digest of its bytes — written
and read by the worker processes themselves, so the bodies of a whole
archive never pass through one process — and named records of the last
successful build (see ``incremental``), which keep everything else parsed.

The cache is keyed by the code and the configuration: anything from
another version or another configuration, or unreadable, is dropped and
the build starts cold, with the same result, only slower. For the same
reason writes are not flushed to the disk one by one: a crash that damages
the file costs one cold build, and the next build starts a fresh file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .models import Block, Parsed

CACHE_DIR = ".warraq-cache"
CACHE_FILE = "build.sqlite"
BUSY_SECONDS = 120  # parse workers take turns to write
_SCHEMA = ("CREATE TABLE IF NOT EXISTS bodies (digest TEXT PRIMARY KEY, data BLOB)",
           "CREATE TABLE IF NOT EXISTS record (name TEXT PRIMARY KEY, data BLOB)")


def cache_key(config: Config) -> str:
    """Digest of the code and the configuration: what parsing and rendering depend on."""
    code = Path(__file__).parent
    digest = hashlib.blake2b(repr(config).encode("utf-8"), digest_size=16)
    for path in sorted(code.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Cache:
    path: Path
    connection: sqlite3.Connection
    temporary: bool  # the site's folder could not hold it: gone after the build


def open_cache(config: Config) -> Cache:
    """The cache for this code and configuration, emptied if it was another's.
    Where the site's folder is read-only, a temporary one stands in."""
    key = cache_key(config)
    try:
        return _open_or_renew(config.root / CACHE_DIR, key)
    except (OSError, sqlite3.Error):
        return _open(Path(tempfile.mkdtemp(prefix="warraq-")), key, temporary=True)


def _open_or_renew(folder: Path, key: str) -> Cache:
    """The cache in ``folder``; a damaged file is deleted and started afresh."""
    try:
        return _open(folder, key, temporary=False)
    except sqlite3.OperationalError:  # locked, or the folder is read-only
        raise
    except sqlite3.DatabaseError:  # not a database, or a malformed one
        for name in (CACHE_FILE, CACHE_FILE + "-journal"):  # no rollback into the new file
            (folder / name).unlink(missing_ok=True)
        return _open(folder, key, temporary=False)


def _open(folder: Path, key: str, *, temporary: bool) -> Cache:
    folder.mkdir(exist_ok=True)
    path = folder / CACHE_FILE
    connection = _connect(path)
    for statement in _SCHEMA:
        connection.execute(statement)
    if load_record(connection, "key") != key:
        _reset(connection, key)
    return Cache(path, connection, temporary)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection that waits its turn to write and does not flush each
    transaction to the disk (see the module's docstring)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    connection.execute("PRAGMA synchronous = OFF")
    return connection


def close_cache(cache: Cache) -> None:
    cache.connection.close()
    if cache.temporary:
        shutil.rmtree(cache.path.parent, ignore_errors=True)


def body_row(parsed: Parsed) -> tuple[str, bytes] | None:
    """An article's body as ``store_bodies`` takes it (None for a source with
    errors): made as soon as it is parsed, so a worker holds its share of
    the archive's bodies as bytes, not objects. The blocks alone pickle in
    half the time of the whole parse result."""
    if parsed.article is None:
        return None
    return parsed.digest, pickle.dumps(parsed.article.blocks, protocol=pickle.HIGHEST_PROTOCOL)


def store_bodies(path: Path, rows: list[tuple[str, bytes] | None]) -> None:
    """Add bodies (``body_row``s; None, a source with errors, adds nothing)
    from any process, in one transaction."""
    connection = _connect(path)
    try:
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)",
                                   [row for row in rows if row])
    finally:
        connection.close()


_READERS: dict[tuple[Path, int], sqlite3.Connection] = {}


def read_body(path: Path, digest: str) -> tuple[Block, ...] | None:
    """The body of the source with this digest, from any process (each opens
    its own connection); None when the cache does not hold it."""
    key = (path, os.getpid())
    if key not in _READERS:
        _READERS[key] = _connect(path)
    row = _READERS[key].execute("SELECT data FROM bodies WHERE digest = ?", (digest,)).fetchone()
    return pickle.loads(row[0]) if row else None


def close_readers() -> None:
    while _READERS:
        _READERS.popitem()[1].close()


def _reset(connection: sqlite3.Connection, key: str) -> None:
    with connection:
        connection.execute("BEGIN")
        connection.execute("DELETE FROM bodies")
        connection.execute("DELETE FROM record")
        connection.execute("INSERT INTO record VALUES ('key', ?)", (pickle.dumps(key),))


def load_record(connection: sqlite3.Connection, name: str):
    """A named record, or None if absent or unreadable."""
    row = connection.execute("SELECT data FROM record WHERE name = ?", (name,)).fetchone()
    try:
        return pickle.loads(row[0]) if row else None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def save(connection: sqlite3.Connection, records: dict[str, object],
         keep: set[str] | None) -> None:
    """Store records in one transaction; with ``keep``, forget the bodies
    of digests no longer in it."""
    with connection:
        connection.execute("BEGIN IMMEDIATE")
        if keep is not None:
            stale = [(d,) for (d,) in connection.execute("SELECT digest FROM bodies")
                     if d not in keep]
            connection.executemany("DELETE FROM bodies WHERE digest = ?", stale)
        connection.executemany("INSERT OR REPLACE INTO record VALUES (?, ?)", [
            (name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            for name, value in records.items()])
