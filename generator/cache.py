"""The build cache: what earlier builds read, so the next one redoes only
what changed.

One SQLite file, ``.warraq-cache/build.sqlite`` beside the config. It holds
the body of every parsed source keyed by the digest of its bytes — written
and read by the worker processes themselves, so the bodies of a whole
archive never pass through one process — and named records of the last
successful build (see ``incremental``), which keep everything else parsed.

Nothing read from it is trusted. Each blob is stored beside a digest of its
name and bytes, checked on every read: a blob that fails the check, does not
unpickle or is not of the type asked for counts as absent — the caller
parses the source again or builds cold, with the same result, only slower.
Each row stands alone, so one that fails spoils no other. The file is keyed
by the code and the configuration: anything from another version or
configuration is emptied.

A large record that a build read and changed a little is stored as its
changes to the base it was read from (``layers``), under its name and
``LAYER``; one whose changes grew past a share of its size is stored whole
again. A layer that fails its check, or was made for another base, loses
the record: the base alone is never taken for it.

A file SQLite finds damaged (not a database, malformed, an I/O error), or
whose tables are not this version's, is deleted with SQLite's files beside
it and started afresh. Only the build's own process deletes it, and only
when nothing else has it open: on opening, or at the end of the build. A
query that meets such damage later, in any process, counts as absent and
leaves word beside the file (``DAMAGED``); the build then saves no records
but drops the file, and the next build runs cold. For the same reason
writes are not flushed to the disk one by one: a crash that damages the file
costs one cold build.

A cache that cannot be written — a read-only folder, a full disk, a lock
held for longer than ``BUSY_SECONDS`` — stops the build with one
WarraqError (exit 2); a build never goes on with a cache elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import layers
from .config import Config
from .errors import WarraqError, error
from .models import Block, Parsed

CACHE_DIR = ".warraq-cache"
CACHE_FILE = "build.sqlite"
COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's files beside it, dropped with it
DAMAGED = "-damaged"  # beside it: damage was met, drop the file at the end of the build
_SHOWN = f"{CACHE_DIR}/{CACHE_FILE}"  # in messages: relative to the site's root
BUSY_SECONDS = 120  # parse workers take turns to write
LAYER = "+"  # a record's changes since its base are stored under its name and this
LAYER_MIN, LAYER_SHARE = 64, 16  # stored as changes while they are at most the larger
# of LAYER_MIN entries and 1/LAYER_SHARE of the record's
_SCHEMA = ("CREATE TABLE bodies (digest TEXT PRIMARY KEY, data BLOB, checksum BLOB)",
           "CREATE TABLE record (name TEXT PRIMARY KEY, data BLOB, checksum BLOB)")
_TABLES = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
_SELECT = {"bodies": "SELECT data, checksum FROM bodies WHERE digest = ?",
           "record": "SELECT data, checksum FROM record WHERE name = ?"}
# SQLite's errors that say the file cannot be written now, not that it is damaged
_UNWRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_BUSY,
               sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_PERM}
# what pickle.loads raises for bytes it did not write, should such bytes pass the check
_UNPICKLING = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
               KeyError, TypeError, ValueError, MemoryError, RecursionError, OverflowError)


def cache_key(config: Config) -> str:
    """Digest of the code and the configuration: what parsing and rendering depend on."""
    code = Path(__file__).parent
    digest = hashlib.blake2b(repr(config).encode("utf-8"), digest_size=16)
    for path in sorted(code.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class CacheConnection(sqlite3.Connection):
    """A connection that knows the file it opened (``path``) and the base of
    each record it read in layers (``bases``: name -> (value, checksum))."""

    path: Path

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bases: dict[str, tuple[object, bytes]] = {}


class _Foreign(sqlite3.DatabaseError):
    """Tables that are not the ones this version makes: another's, or damaged."""


@dataclass(frozen=True)
class Cache:
    path: Path
    connection: CacheConnection


def open_cache(config: Config) -> Cache:
    """The cache for this code and configuration, emptied if it was another's
    and started afresh if damaged; WarraqError (exit 2) if it cannot be written."""
    path = config.root / CACHE_DIR / CACHE_FILE
    key = cache_key(config)
    try:
        path.parent.mkdir(exist_ok=True)
        if _marked(path):  # an earlier build met damage and ended before dropping it
            _remove(path)
        try:
            return Cache(path, _open(path, key))
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise
        _remove(path)
        return Cache(path, _open(path, key))
    except (OSError, sqlite3.DatabaseError) as exc:
        raise _unwritable(exc) from None


def _open(path: Path, key: str) -> CacheConnection:
    """A connection to the file at ``path``, its tables checked (or made if it
    has none) and emptied unless they hold the cache of this key."""
    connection = _connect(path)
    try:
        with connection:
            connection.execute("BEGIN IMMEDIATE")  # no other build writes meanwhile
            _check_tables(connection)
            if _verified(connection, "record", "key") != key:
                _reset(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def _connect(path: Path) -> CacheConnection:
    """A connection that waits its turn to write and does not flush each
    transaction to the disk (see the module's docstring)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS,
                                 factory=CacheConnection)
    connection.path = path
    connection.execute("PRAGMA synchronous = OFF")  # reads the header: may raise damage
    return connection


def _check_tables(connection: CacheConnection) -> None:
    """Make the tables in a new file; refuse any others."""
    found = connection.execute(_TABLES).fetchall()
    if not found:
        for statement in _SCHEMA:
            connection.execute(statement)
    elif found != _expected_tables():
        raise _Foreign("the cache's tables are not the ones this version makes")


@functools.cache
def _expected_tables() -> list[tuple]:
    memory = sqlite3.connect(":memory:")
    try:
        for statement in _SCHEMA:
            memory.execute(statement)
        return memory.execute(_TABLES).fetchall()
    finally:
        memory.close()


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether the error says the file is damaged (``_Foreign`` tables;
    SQLite's not a database, malformed, I/O error …), not that it cannot be
    written now."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _UNWRITABLE


def _unwritable(exc: OSError | sqlite3.Error) -> WarraqError:
    """The one line a build stops with when the cache cannot be written."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return WarraqError([error(_SHOWN, 0, f"cannot write the build cache: {reason}")],
                       exit_code=2)


def _met(path: Path, exc: sqlite3.DatabaseError) -> None:
    """After a query failed: leave word that the file is damaged (what it
    could not give counts as absent), or raise the one line of a cache that
    cannot be written."""
    if not _damaged(exc):
        raise _unwritable(exc) from None
    try:
        path.with_name(path.name + DAMAGED).touch()
    except OSError as os_exc:
        raise _unwritable(os_exc) from None


def _marked(path: Path) -> bool:
    return path.with_name(path.name + DAMAGED).exists()


def _remove(path: Path) -> None:
    """Delete the cache file, or a folder in its place, SQLite's files beside
    it, and last the word that it was damaged; nothing else in the folder."""
    for suffix in ("", *COMPANIONS, DAMAGED):
        target = path.with_name(path.name + suffix)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


def close_cache(cache: Cache) -> None:
    cache.connection.close()


def _checksum(name: str, data: bytes) -> bytes:
    """The digest stored beside a blob: of the name it is under and of its
    bytes, so a damaged index that points a name at another row is caught.
    SHA-256, not BLAKE2: with the processor's SHA instructions it is two to
    three times as fast, and every body read pays for it."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\0")
    digest.update(data)
    return digest.digest()


def _intact(name: str, row: tuple) -> bool:
    """Whether a row holds bytes and the digest of its name and bytes."""
    return isinstance(row[0], bytes) and row[1] == _checksum(name, row[0])


def _verified(connection: CacheConnection, table: str, name: str):
    """The value stored under ``name`` in ``table``; None when it is absent,
    not as it was stored, or does not unpickle (raises sqlite3.DatabaseError
    for what SQLite finds wrong)."""
    return _unpickled(name, connection.execute(_SELECT[table], (name,)).fetchone())


def _unpickled(name: str, row: tuple | None):
    if row is None or not _intact(name, row):
        return None
    try:
        return pickle.loads(row[0])
    except _UNPICKLING:
        return None


def body_row(parsed: Parsed) -> tuple[str, bytes] | None:
    """An article's body as ``store_bodies`` takes it (None for a source with
    errors): made as soon as it is parsed, so a worker holds its share of
    the archive's bodies as bytes, not objects. The blocks alone pickle in
    half the time of the whole parse result."""
    if parsed.article is None:
        return None
    return parsed.digest, pickle.dumps(parsed.body, protocol=pickle.HIGHEST_PROTOCOL)


def store_bodies(path: Path, rows: list[tuple[str, bytes] | None]) -> None:
    """Add bodies (``body_row``s; None, a source with errors, adds nothing)
    from any process, in one transaction. Into a damaged file they are not
    stored: later reads find them absent."""
    checked = [(digest, data, _checksum(digest, data)) for digest, data in filter(None, rows)]
    try:
        connection = _connect(path)
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", checked)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        _met(path, exc)


_READERS: dict[tuple[Path, int], CacheConnection] = {}


def read_body(path: Path, digest: str) -> tuple[Block, ...] | None:
    """The body of the source with this digest, from any process (each opens
    its own connection); None when the cache does not hold it as stored."""
    key = (path, os.getpid())
    try:
        if key not in _READERS:
            _READERS[key] = _connect(path)
        blocks = _verified(_READERS[key], "bodies", digest)
    except sqlite3.DatabaseError as exc:
        _met(path, exc)
        return None
    if isinstance(blocks, tuple) and all(isinstance(block, Block) for block in blocks):
        return blocks
    return None


def close_readers() -> None:
    while _READERS:
        _READERS.popitem()[1].close()


def _record_row(name: str, value: object) -> tuple[str, bytes, bytes]:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return name, data, _checksum(name, data)


def _reset(connection: CacheConnection, key: str) -> None:
    connection.execute("DELETE FROM bodies")
    connection.execute("DELETE FROM record")
    connection.execute("INSERT INTO record VALUES (?, ?, ?)", _record_row("key", key))


def load_record(connection: CacheConnection, name: str, kind: type = object):
    """A named record, or None if absent, damaged or not a ``kind``; its
    base with the changes stored since (see ``save``), when there are some."""
    try:
        value = _layered(connection, name)
    except sqlite3.DatabaseError as exc:
        _met(connection.path, exc)
        return None
    return value if isinstance(value, kind) else None


def _layered(connection: CacheConnection, name: str):
    """The base under ``name`` and the delta under ``name + LAYER``, applied;
    None if either is damaged or the delta is another base's."""
    select = _SELECT["record"]
    base_row = connection.execute(select, (name,)).fetchone()
    base = _unpickled(name, base_row)
    if base is None:
        return None
    connection.bases[name] = (base, base_row[1])
    delta_row = connection.execute(select, (name + LAYER,)).fetchone()
    if delta_row is None:
        return base
    layer = _unpickled(name + LAYER, delta_row)
    if not isinstance(layer, tuple) or len(layer) != 2 or layer[0] != base_row[1]:
        return None
    return layers.applied(base, layer[1])


def save(connection: CacheConnection, records: dict[str, object],
         keep: set[str] | None) -> None:
    """Store records in one transaction; with ``keep``, forget the bodies of
    digests no longer in it. A record read this build whose changes are few
    beside its size is stored as those changes to the base it was read from
    (``layers``); any other record whole, as a new base. A file found
    damaged during the build (this process's readers are closed by now, the
    workers gone) is dropped instead: the records would speak for bodies it
    may have lost."""
    rows, stale = [], []  # stale: the layers of records stored whole
    for name, value in records.items():
        row = _layer_row(connection, name, value)
        rows.append(row or _record_row(name, value))
        stale += [] if row else [(name + LAYER,)]
    try:
        if not _marked(connection.path):
            _store_records(connection, rows, stale, keep)
            return
    except sqlite3.DatabaseError as exc:
        if not _damaged(exc):
            raise _unwritable(exc) from None
    try:
        _remove(connection.path)  # the next build starts cold, in a new file
    except OSError as exc:
        raise _unwritable(exc) from None


def _layer_row(connection: CacheConnection, name: str, value: object):
    """The row of ``value``'s changes to the base this build read, if they
    are few beside its size; None: store it whole."""
    if name not in connection.bases:
        return None
    base, checksum = connection.bases[name]
    delta = layers.changes(base, value)
    if isinstance(delta, layers.Whole) or layers.weight(delta) > max(
            LAYER_MIN, layers.size(value) // LAYER_SHARE):
        return None
    return _record_row(name + LAYER, (checksum, delta))


def _store_records(connection: CacheConnection, rows: list[tuple[str, bytes, bytes]],
                   stale: list[tuple[str]], keep: set[str] | None) -> None:
    with connection:
        connection.execute("BEGIN IMMEDIATE")
        if keep is not None:
            stale = [(d,) for (d,) in connection.execute("SELECT digest FROM bodies")
                     if d not in keep]
            connection.executemany("DELETE FROM bodies WHERE digest = ?", stale)
        connection.executemany("INSERT OR REPLACE INTO record VALUES (?, ?, ?)", rows)
        connection.executemany("DELETE FROM record WHERE name = ?", stale)
