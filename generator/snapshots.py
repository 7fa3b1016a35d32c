"""The snapshot (see ``incremental``) as the cache keeps it: one record,
which the cache stores in layers (``layers``), so a build that changed a
few articles or pages stores those entries alone.

The site's articles are not stored twice: each is its source's parsed
article, under the slug the site gave it, and the record holds the site's
relations without them. Equal strings in it are stored once (a page's path
names its reads and its identity). A record that is absent, damaged, or
names an article no parse result holds loses the whole snapshot (the
build then runs as if cold).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from .incremental import Snapshot
from .models import Parsed, Site

RECORD = "snapshot"
Load = Callable[[str, type], object]  # cache.load_record, with its connection


@dataclass(frozen=True)
class Stored:
    parsed: dict[str, Parsed]  # rel_path -> parse result without body or digest
    relations: Site  # the site without its articles
    slugs: dict[str, str]
    reads: dict[str, tuple]
    identities: dict[str, tuple]


def load_snapshot(load: Load) -> Snapshot | None:
    """The snapshot, or None if its record is missing or does not hold together."""
    stored = load(RECORD, Stored)
    if stored is None:
        return None
    articles = _articles(stored)
    if articles is None:
        return None
    return Snapshot(stored.parsed, replace(stored.relations, articles=articles), stored.slugs,
                    stored.reads, stored.identities)


def _articles(stored: Stored) -> dict | None:
    """The site's articles, in its order, from the parse results."""
    source_of = {slug: source for source, slug in stored.slugs.items()}
    articles = {}
    for slug in stored.relations.order:
        found = stored.parsed.get(source_of.get(slug, ""))
        if found is None or found.article is None:
            return None
        article = found.article
        articles[slug] = article if article.slug == slug else article._replace(slug=slug)
    return articles


def snapshot_record(snapshot: Snapshot) -> Stored:
    """What the cache stores of ``snapshot``, under ``RECORD``."""
    paths = {path: path for path in snapshot.reads}
    identities = {paths.get(path, path): identity
                  for path, identity in snapshot.identities.items()}
    return Stored(snapshot.parsed, replace(snapshot.site, articles={}), snapshot.slugs,
                  snapshot.reads, identities)
