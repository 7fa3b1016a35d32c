"""plan_pages: every page of the site as a PageSpec with a plain view dict.

Views are built here and only here. They hold plain data (no models, no
config object), including the headlines and URLs of the articles a page
shows, so a page's view changes exactly when what it shows changes.
URLs in views are site-relative; templates pass them through ``url()``.
"""

from __future__ import annotations

from .config import Config
from .models import Article, PageSpec, Site
from .articles import topic_slug


def plan_pages(site: Site, config: Config) -> list[PageSpec]:
    pages = _listing(site, site.order, config, "", "index.html", {"kind": "home"})
    for slug in site.order:
        pages.append(_article_page(site, site.articles[slug], config))
    for topic in site.topics.values():
        pages += _listing(site, topic.articles, config, f"topics/{topic.slug}/",
                          "topic.html", {"kind": "topic", "name": topic.name})
    pages.append(PageSpec("topics/index.html", "topics/", "topics.html",
                          {"kind": "topics", "topics": _topic_index(site)}))
    pages.append(PageSpec("404.html", "404.html", "404.html", {"kind": "404"}))
    return pages


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def _card(site: Site, slug: str, config: Config, *, full: bool = False) -> dict:
    article = site.articles[slug]
    card = {"title": article.title, "url": article_url(slug), "date": article.date.isoformat(),
            "lang": article.lang, "dir": article.dir}
    if full:
        card["summary"] = article.summary
        card["topics"] = _topic_links(site, article, config)
    return card


def _topic_links(site: Site, article: Article, config: Config) -> list[dict]:
    slugs = dict.fromkeys(topic_slug(name, config) for name in article.topics)
    return [{"name": site.topics[slug].name, "url": f"topics/{slug}/"} for slug in slugs]


def _article_page(site: Site, article: Article, config: Config) -> PageSpec:
    targets = site.resolved[article.slug]
    explicit = list(dict.fromkeys(t for t in targets if t))
    related = [s for s in site.related[article.slug] if s not in explicit]
    view = {
        "kind": "article", "title": article.title, "lang": article.lang, "dir": article.dir,
        "date": article.date.isoformat(), "summary": article.summary,
        "author": article.author, "attribution": article.attribution,
        "image": article.image, "topics": _topic_links(site, article, config),
        "blocks": [_block_view(site, article, b, targets, config) for b in article.blocks],
        "read_also": [_card(site, s, config) for s in explicit + related],
        "backlinks": [_card(site, s, config) for s in site.backlinks[article.slug]],
    }
    url = article_url(article.slug)
    return PageSpec(url + "index.html", url, "article.html", view)


def _block_view(site: Site, article: Article, block, targets, config: Config) -> dict:
    if block.kind != "read_also":
        return {"kind": block.kind, "text": block.text}
    ref = article.refs[block.ref]
    target = targets[block.ref]
    card = _card(site, target, config, full=True) if target else None
    return {"kind": "read_also", "label": ref.label or ref.target, "card": card}


def _listing(site: Site, slugs: tuple[str, ...], config: Config, base: str,
             template: str, extra: dict) -> list[PageSpec]:
    """Paginated pages of article cards: base, base/page/2/, …"""
    per_page = config.per_page
    total = max(1, -(-len(slugs) // per_page))
    urls = [base] + [f"{base}page/{n}/" for n in range(2, total + 1)]
    pages = []
    for number in range(1, total + 1):
        chunk = slugs[(number - 1) * per_page:number * per_page]
        view = dict(extra, articles=[_card(site, s, config, full=True) for s in chunk],
                    pagination=_pagination(urls, number), count=len(slugs))
        pages.append(PageSpec(urls[number - 1] + "index.html", urls[number - 1], template, view))
    return pages


PAGE_LINKS_AROUND = 2


def _pagination(urls: list[str], number: int) -> dict:
    """Prev, next, and a short window of page numbers (first, last, current ± 2);
    None in ``pages`` marks a gap, so a 500-page archive is not 500 links."""
    shown = sorted({1, len(urls), *range(max(1, number - PAGE_LINKS_AROUND),
                                         min(len(urls), number + PAGE_LINKS_AROUND) + 1)})
    pages: list[dict | None] = []
    for page in shown:
        if pages and page - pages[-1]["number"] > 1:
            pages.append(None)
        pages.append({"number": page, "url": urls[page - 1]})
    return {"current": number, "total": len(urls),
            "prev_url": urls[number - 2] if number > 1 else None,
            "next_url": urls[number] if number < len(urls) else None,
            "pages": pages}


def _topic_index(site: Site) -> list[dict]:
    topics = sorted(site.topics.values(), key=lambda t: (-len(t.articles), t.name))
    return [{"name": t.name, "url": f"topics/{t.slug}/", "count": len(t.articles)}
            for t in topics]
