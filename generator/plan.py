"""plan_outputs: every page of the site, declared in this one place.

Each output is a ``Page``: its path, its template (any extension) and the
function that builds its view. Nothing else decides what a page shows or
when it is made again: its key follows from its template and its view.
The set of pages follows from the site's relations alone (its articles,
their order and topics), so a build whose relations did not change plans
the same pages.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from .config import Config
from .models import PageSpec, Site
from .plan_feeds import feed_pages, news_page, robots_page, sitemap_pages
from .views import (Page, Shown, article_url, article_view, fixed_view, listing_pages,
                    listing_view, page_url, search_view, topics_view)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def plan_outputs(site: Site, config: Config, now: dt.datetime = EPOCH) -> list[Page]:
    """Home pages, articles, topic pages, the topics index, 404, the manifest,
    the search page; with the site's URL known, feeds, sitemaps, the news
    sitemap (of the articles of the 48 hours before ``now``) and robots.txt."""
    pages = _pages(site, config)
    if config.search:
        pages.append(Page("search/index.html", "search/", "search.html", search_view))
    if config.address:
        settings = {"title": config.title, "lang": config.lang, "url": config.address,
                    "entries": config.feed_entries}
        pages += feed_pages(site, settings) + sitemap_pages(site, settings)
        pages += [news_page(settings, now), robots_page(settings)]
    return pages


def _pages(site: Site, config: Config) -> list[Page]:
    per_page = config.per_page
    pages = _listings(listing_pages("", site.order, per_page, kind="home"), "index.html")
    pages += [_article_page(site, slug) for slug in site.order]
    for topic in site.topics.values():
        pages += _listings(listing_pages(f"topics/{topic.slug}/", topic.articles, per_page,
                                         kind="topic", name=topic.name,
                                         feed=f"topics/{topic.slug}/feed.xml"), "topic.html")
    pages.append(Page("topics/index.html", "topics/", "topics.html", topics_view))
    pages.append(Page("404.html", "404.html", "404.html", partial(fixed_view, {"kind": "404"})))
    pages.append(Page("manifest.webmanifest", "manifest.webmanifest", "manifest.webmanifest",
                      partial(fixed_view, {"kind": "manifest"})))
    return pages


def _article_page(site: Site, slug: str) -> Page:
    url = article_url(slug)
    return Page(url + "index.html", url, "article.html", partial(article_view, slug),
                site.articles[slug].source)


def _listings(listings, template: str) -> list[Page]:
    return [Page(page_url(listing.base, listing.number) + "index.html",
                 page_url(listing.base, listing.number), template,
                 partial(listing_view, listing)) for listing in listings]


def plan_pages(site: Site, config: Config, digests: dict[str, str],
               now: dt.datetime = EPOCH) -> list[PageSpec]:
    """Every page with its view built (bodies as ``Body``): what tests look at."""
    return [PageSpec(page.output_path, page.url, page.template, page.view(Shown(site, digests)))
            for page in plan_outputs(site, config, now)]
