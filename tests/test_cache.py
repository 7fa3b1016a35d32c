"""The build cache: bodies by digest, records, and a damaged file renewed."""

from __future__ import annotations

from generator.build import build
from generator.cache import (CACHE_DIR, CACHE_FILE, body_row, close_cache, load_record, open_cache,
                             read_body, store_bodies)
from dataclasses import replace

from generator.models import Block, Parsed

from .test_build import md
from .test_related import article

BLOCKS = (Block("p", "فقرة أولى"), Block("read_also", ref=0), Block("h2", "عنوان"))


def parsed(digest: str, blocks=BLOCKS) -> Parsed:
    return Parsed("content/a.txt", digest, replace(article("a", 1), blocks=blocks), ())


def test_a_body_comes_back_as_it_went_in(make_site):
    cache = open_cache(make_site())
    try:
        errors = Parsed("content/b.txt", "d3", None, ())
        store_bodies(cache.path, [body_row(parsed("d1")), body_row(errors),
                                  body_row(parsed("d2", ()))])
        assert read_body(cache.path, "d1") == BLOCKS
        assert read_body(cache.path, "d2") == ()
        assert read_body(cache.path, "d3") is None
    finally:
        close_cache(cache)


def test_a_source_with_errors_has_no_body_to_store():
    assert body_row(Parsed("content/a.txt", "d1", None, ())) is None


def test_a_damaged_cache_file_is_started_afresh(make_site, tmp_path):
    config = make_site({"content/a.md": md("a", "2016-12-01", "سوريا", "نص المقال.")})
    build(config)
    path = tmp_path / CACHE_DIR / CACHE_FILE
    path.write_bytes(b"not a database, a crash half-way through a write" * 100)
    (tmp_path / CACHE_DIR / (CACHE_FILE + "-journal")).write_bytes(b"a journal left behind")
    build(config)  # rebuilds cold, from a new file in the same place
    cache = open_cache(config)
    try:
        assert not cache.temporary and cache.path == path
        assert load_record(cache.connection, "stamps") is not None
    finally:
        close_cache(cache)
