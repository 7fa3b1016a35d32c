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
from .syndication import (NEWS_SITEMAP, SITEMAP_INDEX, feed_view, news_sitemap_view,
                          robots_view, sitemap_views)
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
    """The sitemap index and its parts: one view computation shared by all,
    each part keyed by its own view."""
    parts = [path for path, _ in _sitemaps(site, settings, None)]
    return [Page(path, path, "sitemap_index.xml" if path == SITEMAP_INDEX else "sitemap.xml",
                 partial(_sitemap_part, path, settings)) for path in parts]


def _sitemap_part(path: str, settings: dict, shown: Shown) -> dict:
    return dict(_sitemaps(shown.relations, settings, shown))[path]


def _sitemaps(site: Site, settings: dict, shown: Shown | None) -> list[tuple[str, dict]]:
    """Every part's view; with no ``shown`` (planning), only their paths count."""
    def article(slug: str):
        return shown.article(slug) if shown else site.articles[slug]

    newest = {"": site.order[:1], **{f"topics/{t.slug}/": t.articles[:1]
                                     for t in site.topics.values()}, "topics/": site.order[:1]}
    pages = [{"url": url, "lastmod": _lastmod(article(slugs[0])) if slugs else None}
             for url, slugs in newest.items()]
    articles = [{"url": f"articles/{slug}/", "date": a.date.isoformat(),
                 "published": a.published, "updated": a.modified}
                for slug in site.order for a in [article(slug)]]
    return sitemap_views(site_url=settings["url"], pages=pages, articles=articles,
                         max_urls=MAX_URLS)


def _lastmod(article) -> str:
    return article.modified or article.published


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

