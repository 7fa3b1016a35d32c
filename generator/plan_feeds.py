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
from .syndication import (NEWS_SITEMAP, SITEMAP_INDEX, feed_view, index_view,
                          news_sitemap_view, robots_view, sitemap_parts, urlset_view)
from .views import Page, Shown, article_url, card, fixed_view, planned_apart

NEWS_HOURS = 48
NEWS_LIMIT = 1000
MAX_URLS = 50_000


def feed_pages(site: Site, settings: dict, groups=(), photos=None) -> list[Page]:
    """The site's feed, one per topic, and one per group (an author's) of
    ``groups``; ``photos``: by slug, {original: derived JPEG} of its body."""
    photos = photos or {}
    feeds = [("", settings["title"], site.order)]
    feeds += [(f"topics/{topic.slug}/", f"{topic.name} — {settings['title']}", topic.articles)
              for topic in site.topics.values()]
    feeds += [(group.base, f"{group.name} — {settings['title']}", group.slugs)
              for group in groups]
    pages = []
    for base, title, slugs in feeds:
        entries = slugs[:settings["entries"]]
        shown_photos = {slug: photos[slug] for slug in entries if slug in photos}
        pages.append(planned_apart(base + "feed.xml", base + "feed.xml", "feed.xml", _feed,
                                   base, title, entries, settings, shown_photos))
    return pages


def _feed(base: str, title: str, entries: tuple[str, ...], settings: dict, photos: dict,
          shown: Shown) -> dict:
    found = [dict(feed_entry(shown, slug), photos=photos.get(slug, {})) for slug in entries]
    return feed_view(title=title, lang=settings["lang"], site_url=settings["url"],
                     feed_url=base + "feed.xml", page_url=base, entries=found)


def feed_entry(shown: Shown, slug: str) -> dict:
    """An article as a feed, a sitemap or the news sitemap need it."""
    article = shown.article(slug)
    return {"title": article.title, "url": f"articles/{slug}/", "slug": slug,
            "published": article.published, "updated": article.modified,
            "date": article.date.isoformat(), "summary": article.summary,
            "lang": article.lang, "author": article.author,
            "topics": list(dict.fromkeys(shown.topic(n)[1] for n in article.topics)),
            "body": shown.body(slug),
            "labels": [ref.label or ref.target for ref in article.refs],
            "inline_cards": [card(shown, t) if t else None
                             for t in shown.resolved(slug)]}


def sitemap_pages(site: Site, settings: dict) -> list[Page]:
    """The sitemap index and its parts (``syndication.sitemap_parts``, from the
    relations alone); each part's view reads only its own articles, so an edit
    re-keys its month and the index, not every part."""
    listings = [("", site.order[:1]), *((f"topics/{t.slug}/", t.articles[:1])
                                        for t in site.topics.values()), ("topics/", site.order[:1])]
    pages = [{"url": url, "slug": newest[0] if newest else ""} for url, newest in listings]
    articles = [{"url": article_url(slug), "slug": slug, "date": a.date.isoformat(),
                 "published": a.published} for slug, a in site.articles.items()]
    parts = sitemap_parts(pages, articles, MAX_URLS)
    return [Page(SITEMAP_INDEX, SITEMAP_INDEX, "sitemap_index.xml",
                 partial(_sitemap_index, parts, settings))] + [
        planned_apart(path, path, "sitemap.xml", _sitemap_part, _entries(items), settings)
        for path, items in parts]


def _entries(items: list[dict]) -> tuple:
    """A part's items as little as they can be said (its identity): an
    article by its slug (its URL follows from it), a listing by its URL and
    the slug of its newest article."""
    return tuple(item["slug"] if "date" in item else (item["url"], item["slug"])
                 for item in items)


def _sitemap_part(entries: tuple, settings: dict, shown: Shown) -> dict:
    items = [{"url": article_url(entry), "slug": entry} if isinstance(entry, str)
             else {"url": entry[0], "slug": entry[1]} for entry in entries]
    return urlset_view(settings["url"], _with_lastmod(items, shown))


def _sitemap_index(parts: list, settings: dict, shown: Shown) -> dict:
    return index_view(settings["url"], [(path, _with_lastmod(items, shown))
                                        for path, items in parts])


def _with_lastmod(items: list[dict], shown: Shown) -> list[dict]:
    """The items with the lastmod of the article each stands for, read through ``shown``."""
    found = []
    for item in items:
        article = shown.article(item["slug"]) if item["slug"] else None
        found.append({"url": item["url"],
                      "lastmod": article and (article.modified or article.published)})
    return found


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
    return Page("robots.txt", "robots.txt", "robots.txt", partial(fixed_view, view))


def _fixed(view: dict, shown: Shown) -> dict:
    return view

