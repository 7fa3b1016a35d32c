"""The build cache: bodies by digest, records, every read verified, a damaged
file renewed whichever process meets the damage, and a cache that cannot be
written one line."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from generator import cache, parallel
from generator.build import build
from generator.cache import (CACHE_DIR, CACHE_FILE, CacheConnection, body_row, close_cache,
                             load_record, open_cache, read_body, store_bodies)
from generator.config import load_config
from generator.errors import WarraqError
from generator.models import Block, Parsed

from .conftest import PROJECT, write_files
from .test_build import FILES, md
from .test_incremental import tree
from .test_related import article

BLOCKS = (Block("p", "فقرة أولى"), Block("read_also", ref=0), Block("h2", "عنوان"))
VOTE = "content/2016-12-05-vote.md"
SITE = dict(FILES, **{VOTE: md("vote", "2016-12-05", "مجلس الأمن",
                               "أرجأ مجلس الأمن التصويت على مشروع القرار.\n\n"
                               "وقال دبلوماسيون إن التصويت قد يجري غداً.")})
MALFORMED = "database disk image is malformed"
READ_ONLY = "cannot write the build cache: attempt to write a readonly database"
FULL = "cannot write the build cache: database or disk is full"


def parsed(digest: str, blocks=BLOCKS) -> Parsed:
    return Parsed("content/a.txt", digest, article("a", 1), (), body=blocks)


def rows(path: Path, sql: str, *args) -> list[tuple]:
    """The rows of a query on the cache file (which must exist: none is made)."""
    with closing(sqlite3.connect(path.as_uri() + "?mode=rw", uri=True)) as connection, \
            connection:
        return connection.execute(sql, args).fetchall()


def cached(make_site, *digests: str):
    """An open cache holding BLOCKS under each digest."""
    opened = open_cache(make_site())
    store_bodies(opened.path, [body_row(parsed(digest)) for digest in digests])
    return opened


def edit_template(root: Path) -> None:
    """Every article page's key changes; their bodies are still in the cache."""
    path = root / "templates/article.html"
    text = path.read_text("utf-8")
    path.write_text(text.replace("{% block main %}", "{% block main %}<!-- edited -->", 1),
                    "utf-8")


def cold_tree(root: Path, scratch: Path) -> dict[str, bytes]:
    """The output of a build of a copy of ``root`` without output or cache."""
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("_site*", CACHE_DIR))
    build(load_config(scratch / "warraq.toml"))
    return tree(scratch / "_site")


def aged(config):
    """``config`` with every file of its site an hour old: a build trusts their
    stamps (a file changed in the last seconds is always read again)."""
    past = time.time() - 3600
    for path in config.root.rglob("*"):
        os.utime(path, (past, past))
    return config


def cache_file(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def tag_file(root: Path) -> None:
    """A record only the test writes: gone once the file is started afresh."""
    rows(cache_file(root), "INSERT INTO record VALUES ('tag', x'00', x'00')")


def still_tagged(root: Path) -> bool:
    path = cache_file(root)
    return path.exists() and bool(rows(path, "SELECT 1 FROM record WHERE name = 'tag'"))


def left_word(root: Path) -> bool:
    """Whether a build left word beside the file that it is damaged."""
    return cache_file(root).with_name(CACHE_FILE + cache.DAMAGED).exists()


def sqlite_error(code: int, message: str, kind=sqlite3.DatabaseError) -> sqlite3.Error:
    """An error as SQLite raises it, its code included."""
    exc = kind(message)
    exc.sqlite_errorcode = code
    return exc


def fail_sql(monkeypatch, fragment: str, exc: sqlite3.Error, when=lambda args: True) -> list:
    """Make every statement of the cache containing ``fragment`` raise ``exc``
    (in this process and the workers it forks) when ``when(its parameters)``;
    the list returned gets one entry per failure in this process."""
    failures: list = []

    def wrap(method):
        def run(self, sql, *args):
            if fragment in sql and when(args):
                failures.append(sql)
                raise exc
            return method(self, sql, *args)
        return run

    monkeypatch.setattr(CacheConnection, "execute", wrap(sqlite3.Connection.execute))
    monkeypatch.setattr(CacheConnection, "executemany", wrap(sqlite3.Connection.executemany))
    return failures


def corrupt_root_page(path: Path, table: str) -> None:
    """Make nonsense of the kind of the table's root page, as a torn write would."""
    root = rows(path, "SELECT rootpage FROM sqlite_master WHERE name = ?", table)[0][0]
    size = rows(path, "PRAGMA page_size")[0][0]
    with open(path, "r+b") as file:
        file.seek((root - 1) * size)
        file.write(b"\x00")


@pytest.fixture
def workers(monkeypatch) -> int:
    """Builds spread parsing and rendering over forked workers, however small;
    the pid of this process."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "MIN_RUN", 1)
    monkeypatch.setattr(parallel, "worker_count", lambda: 3)
    return os.getpid()


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> dict[str, bytes]:
    """The output of a cold build of SITE with the article template edited
    (made once: where a site is built does not change its output)."""
    root = tmp_path_factory.mktemp("cold")
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    write_files(root, SITE)
    (root / "warraq.toml").write_text('fallback_date = "2016-12-06"\n', "utf-8")
    edit_template(root)
    build(load_config(root / "warraq.toml"))
    return tree(root / "_site")


@pytest.fixture
def site(make_site, tmp_path, cold):
    """A built site, its root, and the output of a cold build of it once the
    article template is edited."""
    config = aged(make_site(SITE))
    build(config)
    return config, tmp_path, cold


def rebuilds_cold(config, root: Path, cold: dict[str, bytes]) -> None:
    """The damaged file is gone, and the next build is cold and right, the one after quick."""
    assert not cache_file(root).exists() and not left_word(root)
    build(config)
    assert tree(root / "_site") == cold
    assert build(config).written == ()
    opened = open_cache(config)
    try:
        assert load_record(opened.connection, "stamps") is not None
    finally:
        close_cache(opened)


# --- what goes in comes out, and nothing else ---

def test_a_body_comes_back_as_it_went_in(make_site):
    opened = open_cache(make_site())
    try:
        errors = Parsed("content/b.txt", "d3", None, ())
        store_bodies(opened.path, [body_row(parsed("d1")), body_row(errors),
                                   body_row(parsed("d2", ()))])
        assert read_body(opened.path, "d1") == BLOCKS
        assert read_body(opened.path, "d2") == ()
        assert read_body(opened.path, "d3") is None
    finally:
        close_cache(opened)


def test_a_source_with_errors_has_no_body_to_store():
    assert body_row(Parsed("content/a.txt", "d1", None, ())) is None


def test_a_body_whose_bytes_changed_is_absent_even_if_it_unpickles(make_site):
    opened = cached(make_site, "d1")
    try:
        altered = pickle.dumps((Block("p", "اٌتصويت"),))  # a flipped bit that still unpickles
        rows(opened.path, "UPDATE bodies SET data = ? WHERE digest = 'd1'", altered)
        assert read_body(opened.path, "d1") is None
    finally:
        close_cache(opened)


@pytest.mark.parametrize("checksum", [None, b"", "text", 7], ids=repr)
def test_a_body_without_its_digest_is_absent(make_site, checksum):
    opened = cached(make_site, "d1")
    try:
        rows(opened.path, "UPDATE bodies SET checksum = ? WHERE digest = 'd1'", checksum)
        assert read_body(opened.path, "d1") is None
    finally:
        close_cache(opened)


@pytest.mark.parametrize("data", ["فقرة", 7, None], ids=repr)
def test_a_body_stored_as_something_else_than_bytes_is_absent(make_site, data):
    opened = cached(make_site, "d1")
    try:
        checksum = cache._checksum("d1", str(data).encode("utf-8"))
        rows(opened.path, "UPDATE bodies SET data = ?, checksum = ? WHERE digest = 'd1'",
             data, checksum)
        assert read_body(opened.path, "d1") is None
    finally:
        close_cache(opened)


def test_a_body_found_under_another_name_is_absent(make_site):
    """A damaged index can lead a lookup to another row: the digest names its own key."""
    opened = cached(make_site, "d1")
    try:
        rows(opened.path, "UPDATE bodies SET digest = 'd2' WHERE digest = 'd1'")
        assert read_body(opened.path, "d2") is None
    finally:
        close_cache(opened)


@pytest.mark.parametrize("value", [b"\x80\x05not a pickle", pickle.dumps("a string")[:-1]],
                         ids=["garbage", "cut short"])
def test_a_blob_that_does_not_unpickle_is_absent(make_site, value):
    opened = cached(make_site, "d1")
    try:
        rows(opened.path, "UPDATE bodies SET data = ?, checksum = ? WHERE digest = 'd1'",
             value, cache._checksum("d1", value))
        rows(opened.path, "INSERT INTO record VALUES ('stamps', ?, ?)",
             value, cache._checksum("stamps", value))
        assert read_body(opened.path, "d1") is None
        assert load_record(opened.connection, "stamps") is None
    finally:
        close_cache(opened)


@pytest.mark.parametrize("value", ["text", ["a list"], ("a", "tuple of text")], ids=repr)
def test_a_value_of_another_type_is_absent(make_site, value):
    opened = cached(make_site, "d1")
    try:
        data = pickle.dumps(value)
        rows(opened.path, "UPDATE bodies SET data = ?, checksum = ? WHERE digest = 'd1'",
             data, cache._checksum("d1", data))
        rows(opened.path, "INSERT INTO record VALUES ('stamps', ?, ?)",
             data, cache._checksum("stamps", data))
        assert read_body(opened.path, "d1") is None
        assert load_record(opened.connection, "stamps", dict) is None
        assert load_record(opened.connection, "stamps") == value  # any type, when asked so
    finally:
        close_cache(opened)


def test_a_record_whose_bytes_changed_is_absent(make_site, tmp_path):
    config = aged(make_site(SITE))
    build(config)
    rows(cache_file(tmp_path), "UPDATE record SET data = ? WHERE name = 'stamps'",
         pickle.dumps({}))
    opened = open_cache(config)
    try:
        assert load_record(opened.connection, "stamps") is None
        assert load_record(opened.connection, "snapshot") is not None
    finally:
        close_cache(opened)


def test_an_altered_body_in_the_cache_never_reaches_the_page(site):
    """The bug: a body whose bytes changed but still unpickled was rendered."""
    config, root, cold = site
    for digest, data in rows(cache_file(root), "SELECT digest, data FROM bodies"):
        blocks = tuple(replace(b, text=b.text.replace("التصويت", "اٌتصويت")) if b.text else b
                       for b in pickle.loads(data))
        rows(cache_file(root), "UPDATE bodies SET data = ? WHERE digest = ?",
             pickle.dumps(blocks), digest)
    edit_template(root)
    build(config)
    assert tree(root / "_site") == cold
    assert "التصويت" in (root / "_site/articles/vote/index.html").read_text("utf-8")
    assert build(config).written == () and tree(root / "_site") == cold


# --- a damaged file is started afresh, whoever meets the damage ---

def test_a_damaged_cache_file_is_started_afresh_and_nothing_else_goes(make_site, tmp_path):
    config = make_site(SITE)
    build(config)
    folder = tmp_path / CACHE_DIR
    (folder / "other").mkdir()
    (folder / "other/page.html").write_text("kept", "utf-8")
    (folder / (CACHE_FILE + "-copy")).write_text("kept", "utf-8")
    (folder / CACHE_FILE).write_bytes(b"not a database, a crash half-way through a write" * 100)
    for suffix in cache.COMPANIONS:
        (folder / (CACHE_FILE + suffix)).write_bytes(b"left behind")
    edit_template(tmp_path)
    build(config)  # cold, from a new file in the same place
    assert (folder / "other/page.html").read_text("utf-8") == "kept"
    assert (folder / (CACHE_FILE + "-copy")).read_text("utf-8") == "kept"
    assert not [s for s in cache.COMPANIONS if (folder / (CACHE_FILE + s)).exists()]
    opened = open_cache(config)
    try:
        assert opened.path == folder / CACHE_FILE
        assert load_record(opened.connection, "stamps") is not None
    finally:
        close_cache(opened)


def test_word_of_damage_left_by_a_build_that_stopped_drops_the_file(site):
    config, root, _ = site
    tag_file(root)
    cache_file(root).with_name(CACHE_FILE + cache.DAMAGED).touch()
    build(config)
    assert not still_tagged(root) and not left_word(root)
    assert build(config).written == ()


@pytest.mark.parametrize("change", [
    "DROP TABLE bodies",
    "DROP TABLE record",
    "ALTER TABLE bodies DROP COLUMN checksum",
    "CREATE TABLE other (x)",
], ids=["no bodies", "no record", "other columns", "another table"])
def test_tables_that_are_not_this_versions_are_renewed(make_site, tmp_path, change):
    config = make_site(SITE)
    build(config)
    rows(cache_file(tmp_path), change)
    opened = open_cache(config)
    try:
        assert rows(cache_file(tmp_path), cache._TABLES) == cache._expected_tables()
        assert load_record(opened.connection, "key") == cache.cache_key(config)
    finally:
        close_cache(opened)


def test_a_previous_versions_file_is_renewed(make_site, tmp_path):
    path = cache_file(tmp_path)
    path.parent.mkdir()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE bodies (digest TEXT PRIMARY KEY, data BLOB)")
        connection.execute("CREATE TABLE record (name TEXT PRIMARY KEY, data BLOB)")
    config = make_site(SITE)
    build(config)
    assert rows(path, cache._TABLES) == cache._expected_tables()
    assert build(config).written == ()


def test_damage_met_reading_a_record(site, monkeypatch):
    config, root, cold = site
    failures = fail_sql(monkeypatch, "FROM record WHERE", sqlite_error(
        sqlite3.SQLITE_CORRUPT, MALFORMED), when=lambda args: args == (("stamps",),))
    edit_template(root)
    build(config)
    assert failures and tree(root / "_site") == cold
    monkeypatch.undo()
    rebuilds_cold(config, root, cold)


def test_damage_met_by_workers_reading_bodies(site, workers):
    """Every reader in every process meets the damaged table: the pages are
    made from the sources."""
    config, root, cold = site
    corrupt_root_page(cache_file(root), "bodies")
    edit_template(root)
    build(config)
    assert tree(root / "_site") == cold
    rebuilds_cold(config, root, cold)


def test_damage_only_a_worker_meets(site, workers, monkeypatch):
    """Damage met in a forked worker alone (injected there; this process reads
    slowly, so that the workers render pages too)."""
    config, root, cold = site

    def in_a_worker(args):
        if os.getpid() == workers:
            time.sleep(0.1)
        return os.getpid() != workers
    fail_sql(monkeypatch, "FROM bodies WHERE", sqlite_error(sqlite3.SQLITE_CORRUPT, MALFORMED),
             when=in_a_worker)
    edit_template(root)
    build(config)
    assert tree(root / "_site") == cold
    monkeypatch.undo()
    rebuilds_cold(config, root, cold)


def test_damage_met_by_workers_storing_bodies(site, workers, tmp_path_factory):
    config, root, _ = site
    corrupt_root_page(cache_file(root), "bodies")
    sources = sorted((root / "content").glob("*.md"))
    for path in sources:  # every source parsed, and stored, again
        path.write_text(path.read_text("utf-8").replace("\n\n", "\n\nجديد: ", 1), "utf-8")
    edit_template(root)
    build(config)
    cold = cold_tree(root, tmp_path_factory.mktemp("cold") / "site")
    assert tree(root / "_site") == cold
    rebuilds_cold(config, root, cold)
    assert rows(cache_file(root), "SELECT count(*) FROM bodies") == [(len(sources),)]


def test_damage_met_by_save(site, monkeypatch):
    config, root, cold = site
    failures = fail_sql(monkeypatch, "INSERT OR REPLACE INTO record",
                        sqlite_error(sqlite3.SQLITE_CORRUPT, MALFORMED))
    edit_template(root)
    build(config)
    assert failures and tree(root / "_site") == cold
    monkeypatch.undo()
    rebuilds_cold(config, root, cold)


def test_a_locked_cache_is_waited_for_not_dropped(site):
    config, root, _ = site
    tag_file(root)
    holder = sqlite3.connect(cache_file(root), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.5, holder.rollback).start()
    started = time.monotonic()
    build(config)
    assert time.monotonic() - started >= 0.4
    holder.close()
    assert still_tagged(root) and not left_word(root)


def test_a_lock_held_too_long_is_one_line_and_nothing_is_dropped(site, monkeypatch):
    config, root, _ = site
    tag_file(root)
    monkeypatch.setattr(cache, "BUSY_SECONDS", 0.1)
    with closing(sqlite3.connect(cache_file(root), isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(WarraqError) as caught:
            build(config)
        holder.rollback()
    assert one_line(caught.value) == "cannot write the build cache: database is locked"
    assert still_tagged(root) and not left_word(root)


# --- a cache that cannot be written is one line ---

def one_line(exc: WarraqError) -> str:
    """The message of the single problem a cache that cannot be written gives (exit 2)."""
    assert exc.exit_code == 2 and len(exc.problems) == 1 and "\n" not in str(exc)
    assert exc.problems[0].path == ".warraq-cache/build.sqlite"
    return exc.problems[0].message


@pytest.fixture
def read_only(monkeypatch):
    """Call it, and the cache's connections open the file read-only, as SQLite
    does where it may not write (a read-only file system)."""
    def connect(path):
        connection = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, isolation_level=None,
                                     factory=CacheConnection)
        connection.path = path
        return connection
    return lambda: monkeypatch.setattr(cache, "_connect", connect)


@pytest.fixture
def full(monkeypatch):
    """Call it, and the cache file may not grow, as on a full disk."""
    real = cache._connect

    def connect(path):
        connection = real(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return connection
    return lambda: monkeypatch.setattr(cache, "_connect", connect)


def test_a_read_only_cache_of_a_new_site_is_one_line(make_site, tmp_path, read_only):
    read_only()
    with pytest.raises(WarraqError) as caught:
        build(make_site(SITE))
    assert one_line(caught.value) == "cannot write the build cache: unable to open database file"
    assert not (tmp_path / "_site").exists()


def test_a_read_only_cache_left_by_another_configuration_is_one_line(site, read_only):
    config, root, _ = site
    read_only()
    with pytest.raises(WarraqError) as caught:
        build(replace(config, title="عنوان آخر"))  # the cache must be emptied first
    assert one_line(caught.value) == READ_ONLY


def test_a_read_only_cache_met_storing_bodies_is_one_line(site, read_only, workers):
    config, root, _ = site
    path = root / "content/2016-12-01-aleppo.md"
    path.write_text(path.read_text("utf-8").replace("عنيف", "عنيف جداً"), "utf-8")
    edit_template(root)  # not a body edit: parsed and stored in the pool of workers
    read_only()
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert one_line(caught.value) == READ_ONLY


def test_a_read_only_cache_met_saving_is_one_line(site, read_only):
    config, root, _ = site
    tag_file(root)
    edit_template(root)  # no body to store: the first write is the records'
    read_only()
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert one_line(caught.value) == READ_ONLY
    assert still_tagged(root) and not left_word(root)


def test_a_full_disk_met_storing_bodies_is_one_line(site, full):
    config, root, _ = site
    path = root / "content/2016-12-01-aleppo.md"
    path.write_text(path.read_text("utf-8").replace("عنيف", "عنيف " * 3000), "utf-8")
    full()
    with pytest.raises(WarraqError) as caught:
        build(config)  # a body edit: stored by this process
    assert one_line(caught.value) == FULL


def test_a_full_disk_met_saving_is_one_line(site, monkeypatch):
    config, root, _ = site
    tag_file(root)
    fail_sql(monkeypatch, "INSERT OR REPLACE INTO record", sqlite_error(
        sqlite3.SQLITE_FULL, "database or disk is full", sqlite3.OperationalError))
    edit_template(root)
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert one_line(caught.value) == FULL
    assert still_tagged(root) and not left_word(root)  # full is not damaged


def test_a_cache_folder_that_cannot_be_made_is_one_line(make_site, tmp_path):
    config = make_site(SITE)
    (tmp_path / CACHE_DIR).write_text("a file where the folder goes", "utf-8")
    with pytest.raises(WarraqError) as caught:
        open_cache(config)
    assert one_line(caught.value) == "cannot write the build cache: File exists"


# --- records stored in layers ----------------------------------------------------

BIG = {f"page/{n}/index.html": f"key-{n}" for n in range(1000)}


def saved_then_read(make_site, value, record="stamps"):
    """The cache of a new site holding ``value`` under ``record``, opened again
    and the record read (so that the next save may store its changes alone)."""
    config = make_site()
    opened = open_cache(config)
    cache.save(opened.connection, {record: value}, None)
    close_cache(opened)
    opened = open_cache(config)
    assert load_record(opened.connection, record) == value
    return opened


def record_rows(opened) -> dict[str, bytes]:
    return dict(rows(opened.path, "SELECT name, data FROM record WHERE name LIKE 'stamps%'"))


def test_a_record_read_and_changed_a_little_is_stored_as_its_changes(make_site):
    opened = saved_then_read(make_site, BIG)
    base = record_rows(opened)["stamps"]
    changed = {**BIG, "page/7/index.html": "edited", "new.html": "k"}
    cache.save(opened.connection, {"stamps": changed}, None)
    stored = record_rows(opened)
    assert stored["stamps"] == base and len(stored["stamps+"]) < len(base) / 20
    close_cache(opened)
    opened = open_cache(make_site())
    try:
        found = load_record(opened.connection, "stamps", dict)
        assert found == changed and list(found) == list(changed)
    finally:
        close_cache(opened)


def test_changed_a_lot_or_not_read_a_record_is_stored_whole(make_site):
    opened = saved_then_read(make_site, BIG)
    cache.save(opened.connection, {"stamps": {k: "other" for k in BIG}}, None)
    assert set(record_rows(opened)) == {"stamps"}  # its layer, if any, dropped
    close_cache(opened)
    opened = open_cache(make_site())
    try:
        cache.save(opened.connection, {"stamps": {**BIG, "x": "y"}}, None)  # not read first
        assert set(record_rows(opened)) == {"stamps"}
    finally:
        close_cache(opened)


@pytest.mark.parametrize("spoil", ["damaged", "of another base"])
def test_a_record_whose_layer_is_spoilt_is_absent_not_its_base(make_site, spoil):
    opened = saved_then_read(make_site, BIG)
    cache.save(opened.connection, {"stamps": {**BIG, "new.html": "k"}}, None)
    if spoil == "damaged":
        rows(opened.path, "UPDATE record SET data = ? WHERE name = 'stamps+'", b"\x80junk")
    else:
        rows(opened.path, "UPDATE record SET data = ?, checksum = ? WHERE name = 'stamps'",
             *cache._record_row("stamps", {**BIG, "z": "z"})[1:])
    close_cache(opened)
    opened = open_cache(make_site())
    try:
        assert load_record(opened.connection, "stamps") is None
    finally:
        close_cache(opened)
