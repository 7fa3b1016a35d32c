"""The views of the Atom feeds, the sitemaps and robots.txt.

Plain data in, a view dict out: no clock, no I/O. Feed readers and crawlers
know no base, so every link in these views is absolute, the site's URL plus
the path percent-encoded exactly as ``url()`` encodes it. Every date keeps
its offset. A view holds all that its output shows, and nothing else, so its
digest says when the output must be written again.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urlsplit

from .errors import WarraqError, error
from .render import absolute_url, url_for
from .text import direction_of

EPOCH = "1970-01-01T00:00:00+00:00"  # an empty feed's <updated>: never the build's clock
SITEMAP_INDEX = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
SITEMAP_TEMPLATES = {"index": "sitemap_index.xml", "urlset": "sitemap.xml"}  # by view["kind"]
# Characters XML 1.0 cannot carry at all (a form feed from wire copy, a lone surrogate).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def absolute(site_url: str, path: str) -> str:
    """``https://example.org/news/`` and ``articles/حلب/`` -> the article's
    absolute URL, as the templates' ``absolute()`` writes it; a site URL that
    is not absolute is one problem."""
    _split(site_url)
    return absolute_url(site_url, "/", path)


def tag_uri(site_url: str, date: str, path: str) -> str:
    """An entry's permanent id (RFC 4151): host, the article's date, its URL path."""
    origin, base_path = _split(site_url)
    host = urlsplit(origin).hostname
    return f"tag:{host},{dt.date.fromisoformat(date).isoformat()}:{url_for(base_path, path)}"


@lru_cache(maxsize=8)
def _split(site_url: str) -> tuple[str, str]:
    """("https://example.org", "/news/"), or one problem for a URL that is not
    an absolute http(s) URL ending in "/"."""
    parts = urlsplit(site_url)
    if (parts.scheme not in ("http", "https") or not parts.hostname or not
            site_url.endswith("/") or parts.query or parts.fragment or
            re.search(r"[\s\"'<>\\]", site_url)):
        raise WarraqError([error("warraq.toml", 0, "site URL: expected an absolute http(s) "
                                 f"URL ending in '/', such as https://example.org/news/, "
                                 f"got {site_url!r}")], exit_code=2)
    return f"{parts.scheme}://{parts.netloc}", parts.path


def _instant(value: str, where: str, field: str) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise WarraqError([error(where, 0, f"{field}: expected a date and time with its "
                                 f"offset, such as 2016-12-06T14:30:00+02:00, got {value!r}")])
    return stamp


def _w3c(value: str, where: str, field: str) -> str:
    """The W3C / RFC 3339 form, to the second, offset kept ("+02:00")."""
    return _instant(value, where, field).isoformat(timespec="seconds")


def _xml_safe(value):
    """``value`` with the characters XML cannot hold dropped, in every string."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value


def feed_view(*, title: str, lang: str, site_url: str, feed_url: str, page_url: str,
              entries: list[dict], updated: str | None = None) -> dict:
    """An Atom 1.0 feed of ``entries`` (in the order given)."""
    items = [_entry(site_url, title, entry) for entry in entries]
    newest = max((item["updated"] for item in items), default=None,
                 key=lambda stamp: _instant(stamp, feed_url, "updated"))
    return _xml_safe({
        "title": title, "lang": lang, "author": title,
        "id": absolute(site_url, feed_url), "self": absolute(site_url, feed_url),
        "alternate": absolute(site_url, page_url),
        "updated": newest or (_w3c(updated, feed_url, "updated") if updated else EPOCH),
        "entries": items,
    })


def _entry(site_url: str, site_title: str, entry: dict) -> dict:
    where = entry["url"]
    link = absolute(site_url, where)
    published = _w3c(entry["published"], where, "published")
    return {
        "id": tag_uri(site_url, entry["date"], where), "link": link,
        "title": entry["title"], "lang": entry["lang"], "dir": direction_of(entry["lang"]),
        "published": published,
        "updated": _w3c(entry["updated"], where, "updated") if entry.get("updated") else published,
        "summary": entry.get("summary") or "", "author": entry.get("author") or site_title,
        "topics": list(entry.get("topics") or ()),
        "body": entry["body"],  # a Body until rendered: its links are made absolute then
        "photos": dict(entry.get("photos") or {}),  # site path -> the JPEG to show instead
        "labels": list(entry.get("labels") or ()),
        "inline_cards": [card and dict(card, url=absolute(site_url, card["url"]),
                                       dir=direction_of(card["lang"]))
                         for card in entry.get("inline_cards") or ()],
    }


def sitemap_parts(pages: list[dict], articles: list[dict],
                  max_urls: int = 50_000) -> list[tuple[str, list[dict]]]:
    """(path, items) of every part of the sitemap, the items as given: the
    pages, then one part per month of the articles' dates, oldest first (cut
    in -2, -3 … past ``max_urls``), so a past month's part never changes when
    news arrives. Only "url", "date" and "published" decide where an item goes."""
    parts = _chunks("sitemaps/pages", list(pages), max_urls)
    months: dict[str, list[dict]] = {}
    for article in sorted(articles, key=lambda a: (_published(a), a["url"])):
        months.setdefault(dt.date.fromisoformat(article["date"]).isoformat()[:7], []).append(
            article)
    for month, items in sorted(months.items()):
        parts += _chunks(f"sitemaps/{month}", items, max_urls)
    return parts


def urlset_view(site_url: str, items: list[dict]) -> dict:
    """One part: each item's absolute URL and lastmod (its "lastmod", else
    "updated", else "published")."""
    return _xml_safe({"kind": "urlset", "urls": [_url(site_url, item) for item in items]})


def index_view(site_url: str, parts: list[tuple[str, list[dict]]]) -> dict:
    """The sitemap index: each part with the newest lastmod of its items."""
    return _xml_safe({"kind": "index", "sitemaps": [
        {"loc": absolute(site_url, path), "lastmod": _newest_lastmod(items)}
        for path, items in parts]})


def _newest_lastmod(items: list[dict]) -> str | None:
    """The newest lastmod of a part's items, W3C: each is only compared, and
    only the newest written (the index of 10,000 articles was 0.7 s of
    quoting URLs it never showed)."""
    stamps = [(stamp, item["url"]) for item in items
              if (stamp := item.get("lastmod") or item.get("updated") or item.get("published"))]
    if not stamps:
        return None
    value, where = max(stamps, key=lambda found: _instant(found[0], found[1], "lastmod"))
    return _w3c(value, where, "lastmod")


def _published(article: dict) -> dt.datetime:
    return _instant(article["published"], article["url"], "published")


def _url(site_url: str, item: dict) -> dict:
    path = item["url"]
    lastmod = item.get("lastmod") or item.get("updated") or item.get("published")
    return {"loc": absolute(site_url, path),
            "lastmod": _w3c(lastmod, path, "lastmod") if lastmod else None}


def _chunks(stem: str, urls: list[dict], size: int) -> list[tuple[str, list[dict]]]:
    """stem.xml, stem-2.xml, … of at most ``size`` URLs each; none for no URLs."""
    if size < 1:
        raise ValueError(f"max_urls must be at least 1, got {size}")
    return [(f"{stem}{'' if start == 0 else f'-{start // size + 1}'}.xml",
             urls[start:start + size]) for start in range(0, len(urls), size)]


def news_sitemap_view(*, site_url: str, publication: str, lang: str, articles: list[dict],
                      now: dt.datetime, hours: int = 48, limit: int = 1000) -> dict:
    """The Google News sitemap: the articles published in the ``hours`` up to
    ``now`` (both ends included, none after it), newest first, at most
    ``limit``. ``now`` is not in the view: it changes only with the selection."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    since = now - dt.timedelta(hours=hours)
    recent = sorted(((_published(a), a) for a in articles),
                    key=lambda pair: (-pair[0].timestamp(), pair[1]["url"]))
    chosen = [a for stamp, a in recent if since <= stamp <= now][:limit]
    return _xml_safe({"publication": publication, "articles": [{
        "loc": absolute(site_url, a["url"]), "title": a["title"],
        "language": news_language(a.get("lang") or lang),
        "published": _w3c(a["published"], a["url"], "published")} for a in chosen]})


def news_language(lang: str) -> str:
    """A language tag as Google News names it: the ISO 639 code ("ar-SY" -> "ar"),
    but zh-cn and zh-tw for Chinese."""
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        return "zh-tw" if {"tw", "hk", "mo", "hant"} & set(parts) else "zh-cn"
    return parts[0]


def robots_view(*, site_url: str, sitemaps: list[str]) -> dict:
    """robots.txt: every crawler may fetch everything; where the sitemaps are."""
    return {"sitemaps": [absolute(site_url, path) for path in sitemaps]}
