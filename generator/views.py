"""Views: the plain data each page shows, built here and only here.

A view is built from a ``Shown``, the site as views may read it: the
relations between articles (order, topics, read-also, related, backlinks)
as they are, and each article only through ``Shown.article`` and its body
only through ``Shown.body``, which record the slugs read. So the build
knows, without any list kept by hand, which outputs an edit to one
article can change: those whose views read it. Views hold plain data (no
models, no config), a body as a ``Body`` (source and digest): a view's
digest is its output's key. URLs are site-relative; templates pass them
through ``url()``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Callable, NamedTuple

from .listings import Listed
from .models import LEAD, Article, Body, Site
from .text import topic_token


class Shown:
    """The site as a view reads it; ``read`` collects the articles it read."""

    __slots__ = ("relations", "read", "_articles", "_digests")

    def __init__(self, site: Site, digests: dict[str, str]):
        self.relations = replace(site, articles={})  # articles only through article()
        self.read: set[str] = set()
        self._articles = site.articles
        self._digests = digests  # source -> digest of its bytes

    def article(self, slug: str) -> Article:
        self.read.add(slug)
        return self._articles[slug]

    @property
    def articles_seen(self) -> dict[str, Article]:
        """The articles, for telling one site from another (not for reading)."""
        return self._articles

    def body(self, slug: str) -> Body:
        source = self.article(slug).source
        return Body(source, self._digests[source])

    def related(self, slug: str) -> tuple[str, ...]:
        """The entries of the relations a page planned apart from them reads
        (``planned_apart``) come through these, recorded."""
        self.read.add(("related", slug))
        return self.relations.related[slug]

    def backlinks(self, slug: str) -> tuple[str, ...]:
        self.read.add(("backlinks", slug))
        return self.relations.backlinks.get(slug, ())

    def resolved(self, slug: str) -> tuple[str | None, ...]:
        self.read.add(("resolved", slug))
        return self.relations.resolved[slug]

    def lead(self) -> str | None:
        """The front page's lead story (``site.lead_of``)."""
        self.read.add(LEAD)
        return self.relations.lead

    def topic(self, name: str) -> tuple[str, str]:
        """(slug, display name) of the topic an article files as ``name``."""
        self.read.add(("topic", name))
        slug = self.relations.topic_slugs[name]
        return slug, self.relations.topics[slug].name


class Page(NamedTuple):
    """An output rendered from a template: where it goes, the template (any
    extension) and the function that builds its view. A named tuple: a plan
    makes one for every page of the site, every build."""

    output_path: str
    url: str
    template: str
    view: Callable[[Shown], dict]
    source: str = ""  # in messages: what the page is made from
    clocked: bool = False  # what it shows depends on the build's clock too
    # What the plan took from the relations for this page (see ``planned_apart``),
    # compared with the last build's; None: the view reads the relations as it
    # likes, so any change of them makes the page again.
    identity: tuple | None = None

    @property
    def shown_as(self) -> str:
        return self.source or f"the page /{self.url}"


def planned_apart(output_path: str, url: str, template: str, view: Callable[..., dict],
                  *args: object, source: str = "") -> Page:
    """A page whose view is ``view(*args, shown)`` and reads the site only
    through ``shown``, recorded: ``args`` are all it takes from the plan, so
    it is made again only when they differ from the last build's or it read
    an entry that changed (an old listing page, once full, never again)."""
    return Page(output_path, url, template, partial(view, *args), source, identity=args)


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def listing_view(listed: Listed, shown: Shown) -> dict:
    """A page of article cards, with its pagination; the count of the whole
    listing only on its front, which changes with every article anyway."""
    view = dict(listed.extra, articles=[card(shown, s, full=True) for s in listed.chunk],
                pagination=listed.pagination, number=listed.number)
    if listed.count is not None:
        view["count"] = listed.count
    return view


def article_view(slug: str, author: dict | None, picture: dict | None,
                 body_pictures: dict[str, dict], shown: Shown) -> dict:
    """The page of one article: its fields, its body, and the cards it links.
    ``author``: its byline's page and details (name, url, link), if it has one;
    ``picture``: its photograph (``photos.photo_view``), if it has one;
    ``body_pictures``: the photographs its body shows, by site path."""
    article = shown.article(slug)
    targets = shown.resolved(slug)
    explicit = list(dict.fromkeys(t for t in targets if t))
    related = [s for s in shown.related(slug) if s not in explicit]
    return {
        "kind": "article", "title": article.title, "lang": article.lang, "dir": article.dir,
        "date": article.date.isoformat(), "published": article.published,
        "time": article.time, "modified": article.modified, "summary": article.summary,
        "author": article.author, "attribution": article.attribution,
        "image": article.image_path or article.image,
        "topics": topic_links(shown, article.topics),
        "body": shown.body(slug),
        "labels": [ref.label or ref.target for ref in article.refs],
        "inline_cards": [card(shown, t, full=True) if t else None for t in targets],
        "read_also": [card(shown, s) for s in explicit + related],
        "backlinks": [card(shown, s) for s in shown.backlinks(slug)],
        "archive_url": f"archive/{article.date.year}/{article.date.month:02d}/",
        "author_name": author["name"] if author else None,
        "author_url": author["url"] if author else None,
        "author_link": author["link"] if author else None,
        "words": article.words, "image_alt": article.image_alt or article.image_caption,
        "image_caption": article.image_caption, "image_credit": article.image_credit,
        "picture": picture, "body_pictures": body_pictures,
        "correction": article.correction, "corrected": article.corrected,
    }


def card(shown: Shown, slug: str, *, full: bool = False) -> dict:
    """An article as other pages show it: headline, link, date; ``full`` adds
    the summary and topics."""
    article = shown.article(slug)
    if _CARDS.get("articles") is not shown.articles_seen:  # cards are made once per site
        _CARDS.clear()
        _CARDS["articles"] = shown.articles_seen
    found = _CARDS.get((slug, full))
    if found is None:
        found = {"title": article.title, "url": article_url(slug),
                 "date": article.date.isoformat(), "lang": article.lang, "dir": article.dir}
        if full:
            found["summary"] = article.summary
            found["topics"] = topic_links(shown, article.topics)
        _CARDS[(slug, full)] = found
    elif full:  # made for another page: this one reads its topics all the same
        shown.read.update(("topic", name) for name in article.topics)
    return found


_CARDS: dict = {}  # the same article's card recurs on many pages; never mutated


def topic_links(shown: Shown, names: tuple[str, ...]) -> list[dict]:
    """The topics an article is filed under, as links, each once."""
    found = dict(shown.topic(name) for name in names)  # a later name keeps the slug's place
    return [{"name": name, "url": f"topics/{slug}/"} for slug, name in found.items()]


def topics_view(shown: Shown) -> dict:
    topics = sorted(shown.relations.topics.values(), key=lambda t: (-len(t.articles), t.name))
    return {"kind": "topics", "topics": [{"name": t.name, "url": f"topics/{t.slug}/",
                                          "count": len(t.articles)} for t in topics]}


def fixed_view(view: dict, shown: Shown) -> dict:
    """A view that shows nothing of the site (the 404 page)."""
    return view


def search_view(shown: Shown) -> dict:
    """The search page: its topic filter lists every topic."""
    return {"kind": "search", "topics": [dict(topic, token=topic_token(topic["name"]))
                                         for topic in topics_view(shown)["topics"]]}
