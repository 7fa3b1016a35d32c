"""snapshots: the snapshot as one record, read back whole; stored by the cache in layers."""

from __future__ import annotations

import pickle
from dataclasses import replace

from generator.build import build
from generator.incremental import snapshot_of
from generator.phases import parse_sources, relate
from generator.readers import discover
from generator import layers
from generator.cache import LAYER, load_record, open_cache, close_cache
from generator.snapshots import RECORD, load_snapshot, snapshot_record

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


def loader(value):
    """A cache holding ``value`` as the snapshot's record, pickled and read back."""
    back = pickle.loads(pickle.dumps(value))
    return lambda name, kind=object: back if name == RECORD and isinstance(back, kind) else None


def test_a_snapshot_reads_back_whole_slugs_given_by_the_site_too(make_site):
    config = make_site(FILES)
    snapshot = snapshot_for(config)
    assert any(slug.endswith("-2") for slug in snapshot.site.order)
    back = load_snapshot(loader(snapshot_record(snapshot)))
    assert back == snapshot
    assert list(back.site.articles) == list(snapshot.site.articles)  # the site's order


def test_a_pages_path_is_stored_once_for_its_reads_and_its_identity(make_site):
    config = make_site(FILES)
    snapshot = snapshot_for(config)
    back = load_snapshot(loader(snapshot_record(snapshot)))
    assert back.identities == snapshot.identities and back.identities
    paths = {path: path for path in back.reads}
    assert all(paths[path] is path for path in back.identities)


def test_a_record_naming_an_article_without_its_parse_result_loses_the_snapshot(make_site):
    config = make_site(FILES)
    stored = snapshot_record(snapshot_for(config))
    assert load_snapshot(loader(stored)) is not None
    lacking = replace(stored, parsed={k: v for k, v in stored.parsed.items()
                                      if k != "content/2016-12-03-c.txt"})
    assert load_snapshot(loader(lacking)) is None
    assert load_snapshot(lambda name, kind=object: None) is None


NEW = "content/2016-12-04-d.txt"


def stored_layer(config) -> layers.Fields:
    """The changes the cache holds of the snapshot since its base."""
    opened = open_cache(config)
    try:
        row = opened.connection.execute("SELECT data FROM record WHERE name = ?",
                                        (RECORD + LAYER,)).fetchone()
        assert load_record(opened.connection, RECORD) is not None
    finally:
        close_cache(opened)
    return pickle.loads(row[0])[1]


def test_adding_an_article_stores_its_parse_result_alone(make_site):
    config = make_site(FILES)
    build(config)
    (config.root / NEW).write_text("خبر جديد\n\nنص جديد عن حلب.\n", "utf-8")
    report = build(config)
    assert report.work["related"]
    parsed = stored_layer(config).deltas["parsed"]
    assert isinstance(parsed, layers.Entries) and set(parsed.set) == {NEW}
    assert not parsed.changed and not parsed.dropped


def test_a_body_edit_stores_its_own_parse_result_alone(make_site):
    article = "content/2016-12-01-a.txt"
    config = make_site({**FILES, article: FILES[article] + "\nفقرة ثانية عن حلب.\n"})
    build(config)
    (config.root / article).write_text(FILES[article] + "\nفقرة ثانية عن حلب!\n", "utf-8")
    report = build(config)
    assert report.work["patched"]
    parsed = stored_layer(config).deltas["parsed"]
    assert set(parsed.set) == {article} and not parsed.changed and not parsed.dropped
