"""The outputs that bring readers in: Atom feeds, sitemaps, the news sitemap,
robots.txt — planned as pages like any other (see ``plan``), their views
built by ``syndication`` from what ``Shown`` gives, so their keys follow
what they show. They need the site's absolute URL: without one they are
not planned, and the build warns once.

The news sitemap depends on the build's clock. Its view holds only the
articles it selects, and ``news_until`` says until when that selection
holds, so a build with nothing else to do re-plans it only once an article
leaves or enters the window.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from .models import Site
from .syndication import (NEWS_SITEMAP, SITEMAP_INDEX, absolute, feed_view,
                          news_sitemap_view, robots_view)
from .views import Page, Shown, card

NEWS_HOURS = 48
NEWS_LIMIT = 1000
MAX_URLS = 50_000


def feed_pages(site: Site, settings: dict) -> list[Page]:
    """The site's feed, and one per topic."""
    pages = [Page("feed.xml", "feed.xml", "feed.xml",
                  partial(_feed, "", settings["title"], site.order, settings))]
    for topic in site.topics.values():
        base = f"topics/{topic.slug}/"
        pages.append(Page(base + "feed.xml", base + "feed.xml", "feed.xml", partial(
            _feed, base, f"{topic.name} — {settings['title']}", topic.articles, settings)))
    return pages


def _feed(base: str, title: str, slugs: tuple[str, ...], settings: dict, shown: Shown) -> dict:
    entries = [feed_entry(shown, slug) for slug in slugs[:settings["entries"]]]
    return feed_view(title=title, lang=settings["lang"], site_url=settings["url"],
                     feed_url=base + "feed.xml", page_url=base, entries=entries)


def feed_entry(shown: Shown, slug: str) -> dict:
    """An article as a feed, a sitemap or the news sitemap need it."""
    article = shown.article(slug)
    topics = shown.relations.topics
    slugs = shown.relations.topic_slugs
    return {"title": article.title, "url": f"articles/{slug}/", "slug": slug,
            "published": article.published, "updated": article.modified,
            "date": article.date.isoformat(), "summary": article.summary,
            "lang": article.lang, "author": article.author,
            "topics": list(dict.fromkeys(topics[slugs[n]].name for n in article.topics)),
            "body": shown.body(slug),
            "labels": [ref.label or ref.target for ref in article.refs],
            "inline_cards": [card(shown, t) if t else None
                             for t in shown.relations.resolved[slug]]}


def sitemap_pages(site: Site, settings: dict) -> list[Page]:
    """The sitemap index and its parts: the listing pages, then one part per
    month of the articles (cut past MAX_URLS), each view reading only its own
    articles, so an edit re-keys its month and the index, not every part."""
    parts = sitemap_parts(site)
    pages = [Page(SITEMAP_INDEX, SITEMAP_INDEX, "sitemap_index.xml",
                  partial(_sitemap_index, parts, settings))]
    pages += [Page(path, path, "sitemap.xml", partial(_sitemap_part, urls, settings))
              for path, urls in parts]
    return pages


def sitemap_parts(site: Site) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(path, ((url, slug whose lastmod it takes), …)) of every part, from the
    relations alone: the listings, then the articles by month, oldest first."""
    listings = [("", site.order[:1]), *((f"topics/{t.slug}/", t.articles[:1])
                                        for t in site.topics.values()), ("topics/", site.order[:1])]
    months: dict[str, list[tuple[str, str]]] = {}
    for slug in sorted(site.order, key=lambda s: (site.articles[s].published, s)):
        month = site.articles[slug].date.isoformat()[:7]
        months.setdefault(month, []).append((f"articles/{slug}/", slug))
    parts = _cut("sitemaps/pages", [(url, newest[0] if newest else "") for url, newest in listings])
    for month, urls in sorted(months.items()):
        parts += _cut(f"sitemaps/{month}", urls)
    return parts


def _cut(stem: str, urls: list[tuple[str, str]]) -> list[tuple[str, tuple]]:
    return [(f"{stem}{'' if start == 0 else f'-{start // MAX_URLS + 1}'}.xml",
             tuple(urls[start:start + MAX_URLS])) for start in range(0, len(urls), MAX_URLS)]


def _sitemap_part(urls: tuple, settings: dict, shown: Shown) -> dict:
    return {"kind": "urlset", "urls": [
        {"loc": absolute(settings["url"], url), "lastmod": _lastmod(shown, slug)}
        for url, slug in urls]}


def _sitemap_index(parts: list, settings: dict, shown: Shown) -> dict:
    return {"kind": "index", "sitemaps": [
        {"loc": absolute(settings["url"], path),
         "lastmod": max(filter(None, (_lastmod(shown, slug) for _, slug in urls)),
                        key=dt.datetime.fromisoformat, default=None)}
        for path, urls in parts]}


def _lastmod(shown: Shown, slug: str) -> str | None:
    if not slug:
        return None
    article = shown.article(slug)
    return dt.datetime.fromisoformat(article.modified or article.published).isoformat(
        timespec="seconds")


def news_page(settings: dict, now: dt.datetime) -> Page:
    return Page(NEWS_SITEMAP, NEWS_SITEMAP, "news_sitemap.xml", partial(_news, settings, now),
                clocked=True)


def _news(settings: dict, now: dt.datetime, shown: Shown) -> dict:
    start = now - dt.timedelta(hours=NEWS_HOURS)
    recent = []
    for slug in shown.relations.order:  # newest first: stop at the window's start
        moment = dt.datetime.fromisoformat(shown.article(slug).published)
        if moment < start or len(recent) == NEWS_LIMIT:
            break
        if moment <= now:
            recent.append(slug)
    return news_sitemap_view(
        site_url=settings["url"], publication=settings["title"], lang=settings["lang"],
        articles=[feed_entry(shown, slug) for slug in recent], now=now,
        hours=NEWS_HOURS, limit=NEWS_LIMIT)


def news_until(site: Site, now: dt.datetime) -> float:
    """The moment (a POSIX time) the news sitemap's selection next changes: an
    article enters the window, or one in it leaves."""
    moments = [dt.datetime.fromisoformat(a.published).timestamp()
               for a in site.articles.values()]
    start, end = now.timestamp() - NEWS_HOURS * 3600, now.timestamp()
    future = [m for m in moments if m > end]
    leaving = [m + NEWS_HOURS * 3600 for m in moments if start <= m <= end]
    return min(future + leaving, default=float("inf"))


def robots_page(settings: dict) -> Page:
    view = robots_view(site_url=settings["url"], sitemaps=[SITEMAP_INDEX, NEWS_SITEMAP])
    return Page("robots.txt", "robots.txt", "robots.txt", partial(_fixed, view))


def _fixed(view: dict, shown: Shown) -> dict:
    return view

