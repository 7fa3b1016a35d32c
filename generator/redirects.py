"""Redirect pages: an article's old addresses (``aliases``) keep working.

Each alias is a small page at the old path, planned like any other output
(``plan``), that sends the reader on to the article: a meta refresh, a
canonical link and a visible link, and ``noindex`` so that search engines
keep the article's own URL. Aliases are not in the sitemaps. An alias that
wants the place of another page, or of another alias, is an error naming both.
"""

from __future__ import annotations

from .errors import WarraqError, error
from .models import Site
from .views import Page, Shown, article_url, planned_apart

TEMPLATE = "redirect.html"


def redirect_pages(site: Site, planned: list[Page]) -> list[Page]:
    """A redirect page for every alias of every article, in the site's order;
    WarraqError when one collides with a page of ``planned`` or another alias."""
    aliased = [slug for slug in site.order if site.articles[slug].aliases]
    if not aliased:  # most sites: no page to plan, nothing to compare
        return []
    taken = {page.output_path: page.shown_as for page in planned}
    pages, problems = [], []
    for slug in aliased:
        article = site.articles[slug]
        for alias in article.aliases:
            path = alias + "index.html" if alias.endswith("/") else alias
            if path in taken:
                problems.append(error(article.source, article.aliases_line,
                                      f"aliases: '/{alias}' is taken by {taken[path]}"))
                continue
            taken[path] = f"an alias in {article.source}:{article.aliases_line}"
            pages.append(planned_apart(path, alias, TEMPLATE, redirect_view, slug,
                                       source=article.source))
    if problems:
        raise WarraqError(problems)
    return pages


def redirect_view(slug: str, shown: Shown) -> dict:
    """Where the old address leads: the article's URL and headline."""
    article = shown.article(slug)
    return {"kind": "redirect", "target": article_url(slug), "title": article.title,
            "lang": article.lang, "dir": article.dir}
