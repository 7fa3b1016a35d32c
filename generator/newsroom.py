"""What makes the site a newspaper: the front page, the breaking-news bar,
date archives, author pages and the corrections page — the groups they
list, found from the site, and their views.

Groups (a month's articles, an author's) are found by ``plan`` from the
articles as they are; each view reads only the articles it shows, through
``Shown``, so its key changes exactly when they do. The breaking bar
depends on the build's clock: ``breaking_slugs`` gives the flags still
running at ``now`` and ``breaking_until`` when that set next changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Site
from .text import make_slug
from .views import Shown, card

LATEST_ON_FRONT = 8


@dataclass(frozen=True)
class Group:
    """Articles under one URL folder: a month, a year, an author."""

    base: str  # "archive/2016/12/", "authors/<slug>/"
    name: str
    slugs: tuple[str, ...]  # newest first


def month_groups(site: Site) -> list[Group]:
    """A group per month that has articles, newest month first."""
    months: dict[tuple[int, int], list[str]] = {}
    for slug in site.order:
        date = site.articles[slug].date
        months.setdefault((date.year, date.month), []).append(slug)
    return [Group(month_url(year, month), f"{year}-{month:02d}", tuple(slugs))
            for (year, month), slugs in months.items()]


def month_url(year: int, month: int) -> str:
    return f"archive/{year}/{month:02d}/"


def author_slug(byline: str) -> str:
    """The author page's slug: Arabic kept, as article slugs keep it."""
    return make_slug(byline, style="arabic", max_length=60) or "author"


def author_groups(site: Site) -> list[Group]:
    """A group per byline, in the order of their newest article."""
    authors: dict[str, list[str]] = {}
    for slug in site.order:
        byline = site.articles[slug].author
        if byline:
            authors.setdefault(byline, []).append(slug)
    return [Group(f"authors/{author_slug(byline)}/", byline, tuple(slugs))
            for byline, slugs in authors.items()]


def corrected_slugs(site: Site) -> tuple[str, ...]:
    """Articles with a correction, the latest correction first."""
    corrected = [s for s in site.order if site.articles[s].correction]
    return tuple(sorted(corrected, key=lambda s: site.articles[s].corrected or "",
                        reverse=True))


def breaking_slugs(site: Site, now: dt.datetime) -> tuple[str, ...]:
    """The articles whose breaking flag still runs at ``now`` (and that are
    published by then), newest first; an expired flag is simply not shown."""
    return tuple(s for s in site.flagged if _breaking(site, s, now))


def _breaking(site: Site, slug: str, now: dt.datetime) -> bool:
    article = site.articles[slug]
    return bool(article.breaking_until) and (
        dt.datetime.fromisoformat(article.published) <= now
        < dt.datetime.fromisoformat(article.breaking_until))


def breaking_until(site: Site, now: dt.datetime) -> float:
    """The moment (POSIX time) the set of running flags next changes."""
    moments = []
    for article in map(site.articles.__getitem__, site.flagged):
        if article.breaking_until:
            start = dt.datetime.fromisoformat(article.published).timestamp()
            end = dt.datetime.fromisoformat(article.breaking_until).timestamp()
            moments += [m for m in (start, end) if m > now.timestamp()]
    return min(moments, default=float("inf"))


def bar_view(site: Site, now: dt.datetime) -> list[dict]:
    """What the bar on every page shows: headline and link of each running flag."""
    return [{"title": site.articles[s].title, "url": f"articles/{s}/",
             "lang": site.articles[s].lang, "dir": site.articles[s].dir}
            for s in breaking_slugs(site, now)]


def front_view(sections: tuple[tuple[str, str], ...], size: int, older_url: str | None,
               pictures: dict[str, dict], shown: Shown) -> dict:
    """The front page: the lead story, the latest headlines, and a section
    per topic of ``sections`` ((slug, name) pairs) with its newest articles."""
    lead = shown.lead()
    latest = [s for s in shown.relations.order if s != lead][:LATEST_ON_FRONT]
    return {
        "kind": "front", "number": 0,
        "lead": lead_card(shown, lead, pictures.get(lead)) if lead else None,
        "latest": [card(shown, s, full=True) for s in latest],
        "sections": _sections(shown, sections, size, {lead}),
        "older_url": older_url, "count": len(shown.relations.order),
    }


def _sections(shown: Shown, sections: tuple[tuple[str, str], ...], size: int,
              shown_above: set) -> list[dict]:
    """Each topic's newest articles that the lead and the sections before it
    do not show already: a story appears once on the front page."""
    topics, seen, found = shown.relations.topics, set(shown_above), []
    for slug, name in sections:
        if slug not in topics:
            continue
        chosen = [s for s in topics[slug].articles if s not in seen][:size]
        seen.update(chosen)
        found.append({"name": name, "url": f"topics/{slug}/",
                      "articles": [card(shown, s, full=True) for s in chosen]})
    return found


def lead_card(shown: Shown, slug: str, picture: dict | None) -> dict:
    """A card with the article's photograph, for the lead story."""
    article = shown.article(slug)
    return dict(card(shown, slug, full=True), image=article.image_path or article.image,
                picture=picture,
                image_alt=article.image_alt or article.image_caption)


def years_view(groups: list[Group], shown: Shown) -> dict:
    """The archive index: each year and its months, with counts."""
    years: dict[int, list[dict]] = {}
    for group in groups:
        year, month = map(int, group.name.split("-"))
        years.setdefault(year, []).append({"year": year, "month": month, "url": group.base,
                                           "count": len(group.slugs)})
    return {"kind": "archive", "years": [{"year": y, "url": f"archive/{y}/", "months": m}
                                         for y, m in years.items()]}


def year_view(year: int, groups: list[Group], shown: Shown) -> dict:
    """One year of the archive: its months, with counts and their newest headlines."""
    months = [g for g in groups if g.name.startswith(f"{year}-")]
    return {"kind": "year", "year": year, "months": [
        {"month": int(g.name[5:]), "url": g.base, "count": len(g.slugs),
         "articles": [card(shown, s) for s in g.slugs[:3]]} for g in months]}


def corrections_view(slugs: tuple[str, ...], shown: Shown) -> dict:
    """Every article with a correction, with the note and its date."""
    entries = []
    for slug in slugs:
        article = shown.article(slug)
        entries.append(dict(card(shown, slug), correction=article.correction,
                            corrected=article.corrected))
    return {"kind": "corrections", "articles": entries}
