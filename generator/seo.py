"""What a page tells search engines about itself: JSON-LD objects and Open Graph locales.

The objects are built here, from a page's view and the site's fields, as plain
dicts; templates write them with the ``json_ld`` filter, which escapes them so
that no headline can close the <script> element they sit in. ``absolute`` is
the template helper that makes a site-relative path a link (absolute when the
site's URL is known).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from markupsafe import Markup

Absolute = Callable[[str], str]
SCHEMA = "https://schema.org"
# Outside strings JSON has none of these; inside them, the escapes mean the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_ld(data) -> Markup:
    """``data`` as JSON that can stand inside <script> or anywhere in a page:
    keys sorted, so two builds write the same bytes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.translate(_SCRIPT_SAFE))


@lru_cache(maxsize=64)
def og_locale(lang: str) -> str:
    """Open Graph's language_TERRITORY for a language tag: "en-GB" -> "en_GB",
    "en" -> "en_US" (its likeliest territory in CLDR), "ar" -> "ar_AR", the
    form Facebook gives Arabic without a country."""
    language, *rest = lang.replace("_", "-").split("-")
    language = language.lower()
    region = next((part.upper() for part in rest if len(part) == 2 and part.isalpha()), None)
    if region is None and language == "ar":
        region = "AR"
    if region is None:
        try:
            region = Locale.parse(get_global("likely_subtags").get(language, "")).territory
        except (ValueError, UnknownLocaleError):
            region = None
    return f"{language}_{region}" if region else language


def publisher_ld(site: dict, absolute: Absolute) -> dict:
    return {"@type": "NewsMediaOrganization", "name": site["title"], "url": absolute(""),
            "logo": {"@type": "ImageObject", "url": absolute(site["logo"])}}


def website_ld(site: dict, absolute: Absolute, *, context: bool = True) -> dict:
    """The site itself; with its search page as a SearchAction when it has one."""
    data = {"@type": "WebSite", "name": site["title"], "url": absolute(""),
            "inLanguage": site["lang"]}
    if site["description"]:
        data["description"] = site["description"]
    if site.get("search"):
        data["potentialAction"] = {
            "@type": "SearchAction", "target": absolute("search/") + "?q={search_term_string}",
            "query-input": "required name=search_term_string"}
    return {"@context": SCHEMA, **data} if context else data


def collection_page_ld(name: str, page_url: str, site: dict, absolute: Absolute) -> dict:
    """A page that lists articles (a topic, the topics index)."""
    return {"@context": SCHEMA, "@type": "CollectionPage", "name": name,
            "url": absolute(page_url), "inLanguage": site["lang"],
            "isPartOf": website_ld(site, absolute, context=False)}


def news_article_ld(page: dict, site: dict, page_url: str, absolute: Absolute) -> dict:
    """An article page as a NewsArticle. Without a byline the newsroom is the
    author; a never-modified article was last modified when it was published."""
    published = page.get("published") or page["date"]
    publisher = publisher_ld(site, absolute)
    author = _author_ld(page, absolute) if page.get("author") else publisher
    data = {"@context": SCHEMA, "@type": "NewsArticle", "headline": page["title"],
            "datePublished": published, "dateModified": page.get("modified") or published,
            "author": author, "publisher": publisher, "inLanguage": page["lang"],
            "url": absolute(page_url),
            "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(page_url)}}
    if page.get("summary"):
        data["description"] = page["summary"]
    if page.get("image"):
        data["image"] = _image_ld(page, absolute)
    if page["topics"]:
        data["articleSection"] = page["topics"][0]["name"]
        data["keywords"] = [topic["name"] for topic in page["topics"]]
    if page.get("correction"):
        data["correction"] = {"@type": "CorrectionComment", "text": page["correction"],
                              "datePublished": page.get("corrected") or published}
    return data


def _author_ld(page: dict, absolute: Absolute) -> dict:
    """The byline as a Person: its page on the site, and its own URL beside it."""
    person = {"@type": "Person", "name": page.get("author_name") or page["author"]}
    if page.get("author_url"):
        person["url"] = absolute(page["author_url"])
    if page.get("author_link"):
        person["sameAs"] = page["author_link"]
    return person


def profile_page_ld(page: dict, page_url: str, site: dict, absolute: Absolute) -> dict:
    """An author's page: a ProfilePage about the Person."""
    person = {"@type": "Person", "name": page["name"], "url": absolute(page_url)}
    if page.get("bio"):
        person["description"] = page["bio"]
    if page.get("link"):
        person["sameAs"] = page["link"]
    return {"@context": SCHEMA, "@type": "ProfilePage", "url": absolute(page_url),
            "inLanguage": site["lang"], "mainEntity": person,
            "isPartOf": website_ld(site, absolute, context=False)}


def _image_ld(page: dict, absolute: Absolute) -> dict | list:
    """The photograph: with its derived files, the social card and the
    largest width, each with its size; else the image as given."""
    picture = page.get("picture")
    if not picture:
        return {"@type": "ImageObject", "url": absolute(page["image"])}
    found = [{"@type": "ImageObject", "url": absolute(picture["og"]),
              "width": picture["og_width"], "height": picture["og_height"]},
             {"@type": "ImageObject", "url": absolute(picture["fallback"]),
              "width": picture["width"], "height": picture["height"]}]
    if page.get("image_caption"):
        for image in found:
            image["caption"] = page["image_caption"]
    return found


def breadcrumbs_ld(page: dict, site: dict, page_url: str, absolute: Absolute) -> dict:
    """Home, then the article's first topic when it has one, then the article."""
    trail = [(site["title"], "")]
    if page["topics"]:
        trail.append((page["topics"][0]["name"], page["topics"][0]["url"]))
    trail.append((page["title"], page_url))
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": number, "name": name, "item": absolute(url)}
        for number, (name, url) in enumerate(trail, 1)]}
