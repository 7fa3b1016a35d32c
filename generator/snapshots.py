"""The snapshot (see ``incremental``) as the cache keeps it: in parts, so a
build that changed a few articles writes a few parts.

The parse results go into ``SHARDS`` records by a checksum of their
source's path; the site's relations, the slugs and the pages' reads and
identities into one head record, which names the generation each shard
was written in. Equal strings in the head are stored once (a page's path
names its reads and its identity; a slug recurs in the relations).
The site's articles are not stored twice: each is its source's parsed
article, under the slug the site gave it. A build writes the head and the
shards whose parse results changed; reading checks every shard against
the head, and a part that is absent, damaged or of another generation
loses the whole snapshot (the build then runs as if cold).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Callable

from .incremental import Snapshot
from .models import Parsed, Site

RECORD = "snapshot"  # the head; the shards are "snapshot.0" … "snapshot.63"
SHARDS = 64
Load = Callable[[str, type], object]  # cache.load_record, with its connection


@dataclass(frozen=True)
class Head:
    relations: Site  # the site without its articles
    slugs: dict[str, str]
    reads: dict[str, tuple]
    generations: tuple[int, ...]  # the generation each shard was last written in
    identities: dict[str, tuple]


def shard_of(source: str) -> int:
    return zlib.crc32(source.encode("utf-8")) % SHARDS


def load_snapshot(load: Load) -> Snapshot | None:
    """The snapshot whole, or None if any part of it is missing or is not the head's."""
    head = load(RECORD, Head)
    if head is None or len(head.generations) != SHARDS:
        return None
    parsed: dict[str, Parsed] = {}
    for number, generation in enumerate(head.generations):
        shard = load(f"{RECORD}.{number}", tuple)
        if shard is None or len(shard) != 2 or shard[0] != generation:
            return None
        parsed.update(shard[1])
    articles = _articles(head, parsed)
    if articles is None:
        return None
    return Snapshot(parsed, replace(head.relations, articles=articles), head.slugs, head.reads,
                    head.generations, head.identities)


def _articles(head: Head, parsed: dict[str, Parsed]) -> dict | None:
    """The site's articles, in its order, from the parse results."""
    source_of = {slug: source for source, slug in head.slugs.items()}
    articles = {}
    for slug in head.relations.order:
        found = parsed.get(source_of.get(slug, ""))
        if found is None or found.article is None:
            return None
        article = found.article
        articles[slug] = article if article.slug == slug else article._replace(slug=slug)
    return articles


def snapshot_records(snapshot: Snapshot, last: Snapshot | None) -> dict[str, object]:
    """The records that store ``snapshot``: the head, and each shard whose
    parse results are not the very objects of ``last`` (the snapshot the
    cache holds, as read by this build; None: write every shard)."""
    fresh = last is None or len(last.generations) != SHARDS
    generation = 0 if fresh else max(last.generations) + 1
    generations = [generation] * SHARDS if fresh else list(last.generations)
    shards = _sharded(snapshot.parsed)
    if not fresh and snapshot.parsed is not last.parsed:  # else only the head changed
        before = _sharded(last.parsed)
        for number in range(SHARDS):
            if not _same(shards[number], before[number]):
                generations[number] = generation
    records: dict[str, object] = {
        f"{RECORD}.{number}": (generation, shards[number])
        for number in range(SHARDS) if generations[number] == generation}
    paths = {path: path for path in snapshot.reads}
    identities = {paths.get(path, path): identity
                  for path, identity in snapshot.identities.items()}
    records[RECORD] = Head(replace(snapshot.site, articles={}), snapshot.slugs,
                           snapshot.reads, tuple(generations), identities)
    return records


def _sharded(parsed: dict[str, Parsed]) -> list[dict[str, Parsed]]:
    shards: list[dict[str, Parsed]] = [{} for _ in range(SHARDS)]
    for source, result in parsed.items():
        shards[shard_of(source)][source] = result
    return shards


def _same(now: dict[str, Parsed], then: dict[str, Parsed]) -> bool:
    """The same sources with equal parse results: the very objects for those
    kept from the snapshot, compared only for sources parsed again."""
    return now.keys() == then.keys() and all(now[s] is then[s] or now[s] == then[s]
                                             for s in now)
