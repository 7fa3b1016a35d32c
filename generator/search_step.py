"""The search index: a step that runs on the staged site, before the swap.

Its key is the digest of what the index holds — each article's URL,
headline, date, language, topics and the digest of its body — so a build
in which no article's text or headline changed keeps the last index, and
the body texts are read (through ``bodies.text_of``, as pages read them)
only when the index is written again.
"""

from __future__ import annotations

from pathlib import Path

from .digests import digest_of
from .bodies import BodyStore, text_of
from .models import Body, Site
from .views import article_url


def search_key(site: Site, digests: dict[str, str], base_path: str) -> str:
    """What the index would hold, as a digest."""
    rows = [_fields(site, slug) + (digests[site.articles[slug].source],) for slug in site.order]
    return digest_of((base_path, rows))


def write_index(folder: Path, site: Site, digests: dict[str, str], store: BodyStore,
                base_path: str) -> list[str]:
    """Index every article into ``folder``; the files written, relative to it."""
    from .search import SearchRecord, write_search_index  # Pagefind: only when indexing
    records = []
    for slug in site.order:
        source = site.articles[slug].source
        url, title, date, lang, topics = _fields(site, slug)
        records.append(SearchRecord(url, title, date, lang, topics,
                                    text_of(store, Body(source, digests[source]))))
    return write_search_index(folder, records, base_path)


def _fields(site: Site, slug: str) -> tuple:
    article = site.articles[slug]
    topics = tuple(dict.fromkeys(site.topics[site.topic_slugs[name]].name
                                 for name in article.topics))
    return article_url(slug), article.title, article.date.isoformat(), article.lang, topics
