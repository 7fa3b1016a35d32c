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
from dataclasses import replace
from functools import partial

from .config import Config
from .models import PageSpec, Site
from .photos import Photos, photo_view
from .plan_feeds import feed_pages, news_page, robots_page, sitemap_pages
from .listings import ListingPage, listed, listing_pages, page_url
from .redirects import redirect_pages
from .newsroom import (LATEST_ON_FRONT, Group, author_groups, author_slug, bar_view,
                       corrected_slugs, corrections_view, front_view, month_groups, year_view,
                       years_view)
from .views import (Page, Shown, article_url, article_view, fixed_view, listing_view,
                    planned_apart, search_view, topics_view)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
# an article without photographs: one value for them all, so the snapshot
# stores one (never changed: views only read what the plan hands them)
NO_PICTURES = (None, {})


def plan_outputs(site: Site, config: Config, now: dt.datetime = EPOCH,
                 photos: Photos = Photos()) -> list[Page]:
    """Home pages, articles, topic pages, the topics index, 404, the manifest,
    the search page; with the site's URL known, feeds, sitemaps, the news
    sitemap (of the articles of the 48 hours before ``now``) and robots.txt."""
    pictures = _pictures(site, photos)
    authors = _author_details(config)
    groups = author_groups(site)
    pages = _pages(site, config, pictures, authors, groups)
    if config.search:
        pages.append(Page("search/index.html", "search/", "search.html", search_view))
    if config.address:
        settings = {"title": config.title, "lang": config.lang, "url": config.address,
                    "entries": config.feed_entries}
        photos = {slug: {path: view["fallback"] for path, view in body.items()}
                  for slug, (_, body) in pictures.items() if body}
        named = [replace(group, name=authors(group.name)["name"]) for group in groups]
        pages += feed_pages(site, settings, named, photos) + sitemap_pages(site, settings)
        pages += [news_page(settings, now), robots_page(settings)]
    pages += redirect_pages(site, pages)  # last: an alias may take no other page's place
    bar = bar_view(site, now)
    return [_with_bar(page, bar) if page.template.endswith(".html") else page for page in pages]


def _with_bar(page: Page, bar: list[dict]) -> Page:
    """Every HTML page shows the breaking-news bar: it is in each one's view.
    (Made by hand, not by ``_replace``: a plan makes thousands.)"""
    return Page(page.output_path, page.url, page.template, partial(_barred, bar, page.view),
                page.source, page.clocked, page.identity)


def _barred(bar: list[dict], view, shown: Shown) -> dict:
    return dict(view(shown), breaking=bar)


def _pictures(site: Site, photos: Photos) -> dict[str, tuple]:
    """By slug: the article's photograph and those of its body (by site path),
    as views show them; only articles that have any."""
    found = {}
    for slug in site.order:
        article = site.articles[slug]
        path = article.image_path
        lead = photo_view(photos.sets[path]) if path in photos.sets else None
        body = {p: photo_view(photos.sets[p]) for p in article.body_images if p in photos.sets}
        if lead or body:
            found[slug] = (lead, body)
    return found


def _pages(site: Site, config: Config, pictures: dict[str, tuple], authors,
           groups: list[Group]) -> list[Page]:
    per_page = config.per_page
    home = listing_pages("", site.order, per_page, kind="home")
    pages = [_front_page(site, config, home[0], pictures)] + _listings(home[1:], "index.html")
    pages += [_article_page(site, slug, authors, pictures.get(slug, NO_PICTURES))
              for slug in site.order]
    pages += _archive_pages(site, per_page) + _author_pages(groups, authors, per_page)
    corrected = corrected_slugs(site)
    if corrected:
        pages.append(Page("corrections/index.html", "corrections/", "corrections.html",
                          partial(corrections_view, corrected)))
    for topic in site.topics.values():
        pages += _listings(listing_pages(f"topics/{topic.slug}/", topic.articles, per_page,
                                         kind="topic", name=topic.name,
                                         feed=f"topics/{topic.slug}/feed.xml"), "topic.html")
    pages.append(Page("topics/index.html", "topics/", "topics.html", topics_view))
    pages.append(Page("404.html", "404.html", "404.html", partial(fixed_view, {"kind": "404"})))
    pages.append(Page("manifest.webmanifest", "manifest.webmanifest", "manifest.webmanifest",
                      partial(fixed_view, {"kind": "manifest"})))
    return pages


def _front_page(site: Site, config: Config, front: ListingPage, pictures: dict) -> Page:
    names = {t.name: t.slug for t in site.topics.values()}
    sections = tuple((names[n], n) for n in config.front_sections if n in names)
    older = page_url("", front.last) if len(site.order) > LATEST_ON_FRONT + 1 else None
    return Page("index.html", "", "front.html",
                partial(front_view, sections, config.front_section_size, older,
                        {slug: lead for slug, (lead, _) in pictures.items() if lead}))


def _archive_pages(site: Site, per_page: int) -> list[Page]:
    """A listing per month, a page per year, and the archive's index."""
    months = month_groups(site)
    pages = [Page("archive/index.html", "archive/", "archive.html",
                  partial(years_view, months))]
    for year in dict.fromkeys(int(g.name[:4]) for g in months):
        pages.append(Page(f"archive/{year}/index.html", f"archive/{year}/", "year.html",
                          partial(year_view, year, months)))
    for group in months:
        year, month = map(int, group.name.split("-"))
        pages += _listings(listing_pages(group.base, group.slugs, per_page, kind="month",
                                         year=year, month=month), "month.html")
    return pages


def _author_pages(groups: list[Group], authors, per_page: int) -> list[Page]:
    """A listing per byline, with its details from the config's [authors]."""
    pages = []
    for group in groups:
        details = authors(group.name)
        pages += _listings(listing_pages(
            group.base, group.slugs, per_page, kind="author", name=details["name"],
            bio=details["bio"], link=details["link"], feed=group.base + "feed.xml"),
            "author.html")
    return pages


def _author_details(config: Config):
    """details(byline): the author's name, page, outside link and bio; None without a byline."""
    known = {a.byline: a for a in config.authors}

    def details(byline: str | None) -> dict | None:
        if not byline:
            return None
        info = known.get(byline)
        return {"name": info.name if info else byline, "url": f"authors/{author_slug(byline)}/",
                "link": info.url if info else "", "bio": info.bio if info else ""}
    return details


def _article_page(site: Site, slug: str, authors, pictures: tuple) -> Page:
    url = article_url(slug)
    author = authors(site.articles[slug].author)
    return planned_apart(url + "index.html", url, "article.html", article_view, slug, author,
                         *pictures, source=site.articles[slug].source)


def _listings(listings, template: str) -> list[Page]:
    return [planned_apart(listing.url + "index.html", listing.url, template, listing_view,
                          listed(listing)) for listing in listings]


def plan_pages(site: Site, config: Config, digests: dict[str, str],
               now: dt.datetime = EPOCH, photos: Photos = Photos()) -> list[PageSpec]:
    """Every page with its view built (bodies as ``Body``): what tests look at."""
    return [PageSpec(page.output_path, page.url, page.template, page.view(Shown(site, digests)))
            for page in plan_outputs(site, config, now, photos)]
