"""snapshots: the snapshot stored in parts, read back whole, written part by part."""

from __future__ import annotations

import pickle
from dataclasses import replace

from generator import build as build_module
from generator.build import build
from generator.incremental import snapshot_of
from generator.phases import parse_sources, relate
from generator.readers import discover
from generator.snapshots import RECORD, SHARDS, load_snapshot, shard_of, snapshot_records

FILES = {
    "content/2016-12-01-a.txt": "قصف على حلب\n\nنص الخبر الأول عن حلب.\n",
    "content/2016-12-02-b.txt": "قصف على حلب\n\nخبر آخر بالعنوان نفسه.\n",  # its slug gets -2
    "content/2016-12-03-c.txt": "هدنة في دمشق\n\nنص عن دمشق.\n\nاقرأ أيضاً: قصف على حلب\n",
}


def snapshot_for(config, reads=None):
    found = discover(config.root, config.content_dirs)
    parsed = parse_sources(found.articles, config, None)
    site = relate(config, parsed).site
    identities = {f"articles/{slug}/index.html": (slug,) for slug in site.order}
    pages = {f"articles/{slug}/index.html": frozenset([slug]) for slug in site.order}
    return snapshot_of(parsed, site, reads or {"index.html": frozenset(site.order), **pages},
                       identities)


def stored(*record_sets) -> dict:
    cache: dict = {}
    for records in record_sets:
        cache.update(records)
    return cache


def loader(cache: dict):
    return lambda name, kind=object: (cache.get(name) if isinstance(cache.get(name), kind)
                                      else None)


def test_a_snapshot_reads_back_whole_slugs_given_by_the_site_too(make_site):
    config = make_site(FILES)
    snapshot = snapshot_for(config)
    assert any(slug.endswith("-2") for slug in snapshot.site.order)
    back = load_snapshot(loader(stored(snapshot_records(snapshot, None))))
    assert replace(back, generations=()) == snapshot
    assert list(back.site.articles) == list(snapshot.site.articles)  # the site's order
    assert len(back.generations) == SHARDS


def test_a_pages_path_is_stored_once_for_its_reads_and_its_identity(make_site):
    config = make_site(FILES)
    snapshot = snapshot_for(config)
    back = load_snapshot(loader(pickled(snapshot_records(snapshot, None))))
    assert back.identities == snapshot.identities and back.identities
    paths = {path: path for path in back.reads}
    assert all(paths[path] is path for path in back.identities)


def pickled(records: dict) -> dict:
    """The records as the cache stores and reads them: each pickled alone."""
    return {name: pickle.loads(pickle.dumps(value)) for name, value in records.items()}


NEW = "content/2016-12-04-d.txt"


def stored_then_added(make_site):
    """A site's snapshot as stored and read back, and the config, after NEW is added."""
    config = make_site(FILES)
    first_records = snapshot_records(snapshot_for(config), None)
    first = load_snapshot(loader(stored(first_records)))
    (config.root / NEW).write_text("خبر جديد\n\nنص جديد عن حلب.\n", "utf-8")
    return config, first_records, first


def test_a_later_snapshot_writes_the_head_and_the_shards_that_changed(make_site):
    config, first_records, first = stored_then_added(make_site)
    new = NEW
    later = snapshot_for(config)  # every source parsed again: equal results, new objects
    records = snapshot_records(later, first)
    assert set(records) == {RECORD, f"{RECORD}.{shard_of(new)}"}
    back = load_snapshot(loader(stored(first_records, records)))
    assert replace(back, generations=()) == replace(later, generations=())


def test_a_shard_of_another_generation_loses_the_snapshot(make_site):
    config, first_records, first = stored_then_added(make_site)
    records = snapshot_records(snapshot_for(config), first)
    shard = f"{RECORD}.{shard_of(NEW)}"
    assert load_snapshot(loader(stored(first_records, records))) is not None
    assert load_snapshot(loader(stored(first_records, records, {shard: first_records[shard]}))) \
        is None  # the head names a later generation of it
    del first_records[f"{RECORD}.0"]
    assert load_snapshot(loader(stored(first_records))) is None


def test_adding_an_article_saves_one_shard_of_parse_results(make_site, monkeypatch):
    config = make_site(FILES)
    build(config)
    saved: list[set[str]] = []
    original = build_module.save
    monkeypatch.setattr(build_module, "save", lambda connection, records, keep: saved.append(
        set(records)) or original(connection, records, keep))
    new = "content/2016-12-04-d.txt"
    (config.root / new).write_text("خبر جديد\n\nنص جديد عن حلب.\n", "utf-8")
    report = build(config)
    assert report.work["related"] and any("2016-12-04" in p or p == "index.html"
                                          for p in report.written)
    shards = {name for name in saved[-1] if name.startswith(RECORD + ".")}
    assert shards == {f"{RECORD}.{shard_of(new)}"}


def test_new_reads_alone_write_the_head_alone(make_site):
    config, first_records, first = stored_then_added(make_site)
    records = snapshot_records(replace(first, reads={"index.html": frozenset()}), first)
    assert set(records) == {RECORD}
    back = load_snapshot(loader(stored(first_records, records)))
    assert back.reads == {"index.html": frozenset()} and back.parsed == first.parsed
