"""page_plans and plan_pages: every page of the site, as a PageSpec with a plain view dict.

Views are built here and only here. They hold plain data (no models, no
config object), including the headlines and URLs of the articles a page
shows, so a page's view changes exactly when what it shows changes.
URLs in views are site-relative; templates pass them through ``url()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from .config import Config
from .models import Article, Block, PageSpec, Site
from .articles import slug_for


@dataclass(frozen=True)
class PagePlan:
    """A page of the site before its view is built: ``plan()`` builds it, where
    the page is rendered. ``article`` is the slug when it is an article's page."""

    output_path: str
    plan: Callable[[], PageSpec]
    article: str | None = None


def page_plans(site: Site, config: Config) -> list[PagePlan]:
    """Every page of the site: home pages, articles, topic pages, topics index, 404."""
    plans = _listing_plans(site, site.order, config, _HOME)
    plans += [article_plan(site, slug, config) for slug in site.order]
    for topic in site.topics.values():
        plans += _listing_plans(site, topic.articles, config, _topic_listing(topic))
    plans += [PagePlan(page.output_path, partial(_ready, page)) for page in _other_pages(site)]
    return plans


def plan_pages(site: Site, config: Config) -> list[PageSpec]:
    return [plan.plan() for plan in page_plans(site, config)]


def article_plan(site: Site, slug: str, config: Config) -> PagePlan:
    return PagePlan(article_url(slug) + "index.html", partial(plan_article, site, slug, config),
                    slug)


def plan_listings_showing(site: Site, slug: str, config: Config) -> list[PagePlan]:
    """The home and topic pages whose cards include the article ``slug``:
    what must change, beside its own page, when only its summary does."""
    listings = [(site.order, _HOME)] + [(t.articles, _topic_listing(t))
                                        for t in site.topics.values() if slug in t.articles]
    return [_listing_plan(site, slugs, config, extra, slugs.index(slug))
            for slugs, extra in listings]


_HOME = ("", "index.html", {"kind": "home"})


def _topic_listing(topic) -> tuple[str, str, dict]:
    return f"topics/{topic.slug}/", "topic.html", {"kind": "topic", "name": topic.name}


def _listing_plans(site: Site, slugs: tuple[str, ...], config: Config,
                   extra: tuple[str, str, dict]) -> list[PagePlan]:
    """Paginated pages of article cards: base, base/page/2/, …"""
    return [_listing_plan(site, slugs, config, extra, at)
            for at in range(0, max(1, len(slugs)), config.per_page)]


def _listing_plan(site: Site, slugs: tuple[str, ...], config: Config,
                  extra: tuple[str, str, dict], position: int) -> PagePlan:
    base = extra[0]
    return PagePlan(_page_url(base, position // config.per_page + 1) + "index.html",
                    partial(_listing_page, site, slugs, config, *extra, position))


def _other_pages(site: Site) -> list[PageSpec]:
    """The topics index and the 404 page."""
    return [PageSpec("topics/index.html", "topics/", "topics.html",
                     {"kind": "topics", "topics": _topic_index(site)}),
            PageSpec("404.html", "404.html", "404.html", {"kind": "404"})]


def _ready(page: PageSpec) -> PageSpec:
    return page


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def _card(site: Site, slug: str, config: Config, *, full: bool = False) -> dict:
    """An article as other pages show it. The same article is shown on many
    pages of one build, so its cards are made once per site (never mutated)."""
    if _CARDS.get("site") is not site or _CARDS.get("config") is not config:
        _CARDS.clear()
        _CARDS.update(site=site, config=config)
    key = (slug, full)
    card = _CARDS.get(key)
    if card is None:
        card = _CARDS[key] = _new_card(site, slug, config, full)
    return card


_CARDS: dict = {}


def _new_card(site: Site, slug: str, config: Config, full: bool) -> dict:
    article = site.articles[slug]
    card = {"title": article.title, "url": article_url(slug), "date": article.date.isoformat(),
            "lang": article.lang, "dir": article.dir}
    if full:
        card["summary"] = article.summary
        card["topics"] = _topic_links(site, article, config)
    return card


def _topic_links(site: Site, article: Article, config: Config) -> list[dict]:
    slugs = dict.fromkeys(slug_for(name, config) for name in article.topics)
    return [{"name": site.topics[slug].name, "url": f"topics/{slug}/"} for slug in slugs]


def article_page_inputs(site: Site, slug: str, config: Config) -> dict:
    """All that an article page shows besides its own body: its page without
    blocks, and the cards its read-also lines link. Keyed with the source's
    digest, it tells whether the page must be rendered again."""
    article = site.articles[slug]
    view = _article_view(site, article, config)
    view["inline_cards"] = [_card(site, t, config, full=True) if t else None
                            for t in site.resolved[slug]]
    return view


def plan_article(site: Site, slug: str, config: Config, blocks: tuple[Block, ...] | None = None,
                 inputs: dict | None = None) -> PageSpec:
    """The page of the article ``slug``. ``blocks`` stands for its body (which
    the site's copy may lack) and ``inputs`` for ``article_page_inputs``, when
    the caller has them."""
    article = site.articles[slug]
    view = dict(inputs or article_page_inputs(site, slug, config))
    cards = view.pop("inline_cards")
    view["blocks"] = [{"kind": b.kind, "text": b.text} if b.kind != "read_also" else {
        "kind": "read_also", "label": article.refs[b.ref].label or article.refs[b.ref].target,
        "card": cards[b.ref]} for b in (article.blocks if blocks is None else blocks)]
    url = article_url(slug)
    return PageSpec(url + "index.html", url, "article.html", view)


def _article_view(site: Site, article: Article, config: Config) -> dict:
    targets = site.resolved[article.slug]
    explicit = list(dict.fromkeys(t for t in targets if t))
    related = [s for s in site.related[article.slug] if s not in explicit]
    return {
        "kind": "article", "title": article.title, "lang": article.lang, "dir": article.dir,
        "date": article.date.isoformat(), "summary": article.summary,
        "author": article.author, "attribution": article.attribution,
        "image": article.image, "topics": _topic_links(site, article, config),
        "read_also": [_card(site, s, config) for s in explicit + related],
        "backlinks": [_card(site, s, config) for s in site.backlinks[article.slug]],
    }


def _listing_page(site: Site, slugs: tuple[str, ...], config: Config, base: str,
                  template: str, extra: dict, position: int) -> PageSpec:
    """The page of a listing that shows the article at ``position``."""
    per_page = config.per_page
    total = max(1, -(-len(slugs) // per_page))
    number = position // per_page + 1
    chunk = slugs[(number - 1) * per_page:number * per_page]
    url = _page_url(base, number)
    view = dict(extra, articles=[_card(site, s, config, full=True) for s in chunk],
                pagination=_pagination(base, total, number), count=len(slugs))
    return PageSpec(url + "index.html", url, template, view)


def _page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


PAGE_LINKS_AROUND = 2


def _pagination(base: str, total: int, number: int) -> dict:
    """Prev, next, and a short window of page numbers (first, last, current ± 2);
    None in ``pages`` marks a gap, so a 500-page archive is not 500 links."""
    shown = sorted({1, total, *range(max(1, number - PAGE_LINKS_AROUND),
                                     min(total, number + PAGE_LINKS_AROUND) + 1)})
    pages: list[dict | None] = []
    for page in shown:
        if pages and page - pages[-1]["number"] > 1:
            pages.append(None)
        pages.append({"number": page, "url": _page_url(base, page)})
    return {"current": number, "total": total,
            "prev_url": _page_url(base, number - 1) if number > 1 else None,
            "next_url": _page_url(base, number + 1) if number < total else None,
            "pages": pages}


def _topic_index(site: Site) -> list[dict]:
    topics = sorted(site.topics.values(), key=lambda t: (-len(t.articles), t.name))
    return [{"name": t.name, "url": f"topics/{t.slug}/", "count": len(t.articles)}
            for t in topics]
