"""The <head> of every kind of page: canonical links, robots, icons, Open Graph and
Twitter cards, JSON-LD (NewsArticle, BreadcrumbList, WebSite, CollectionPage) that no
headline can break out of, the web manifest, and the CSP rule that JSON-LD escapes."""

from __future__ import annotations

import json
from urllib.parse import quote
from html.parser import HTMLParser

import jinja2
import pytest

from generator.build import build
from generator.config import Config
from generator.errors import WarraqError
from generator.listings import FRONT, listing_pages, pagination
from generator.models import PageSpec
from generator.render import (absolute_url, content_security_policy, make_environment,
                              render_page, url_for)
from generator.seo import json_ld, og_locale

from .conftest import PROJECT

SITE_URL = "https://example.org/news/"
SITE = {"url": SITE_URL, "og_locale": "ar_AR", "theme_color": "#8a1c1c",
        "favicon": "static/favicon.svg", "logo": "static/logo.svg", "search": True}
HEADLINE = 'لافروف: «لا اتفاق» على "خروج" المقاتلين </script><script>alert(1)</script> & حلب'
TOPICS = [{"name": "حلب", "url": "topics/حلب/"}, {"name": "روسيا", "url": "topics/روسيا/"}]
ARTICLE = {
    "kind": "article", "title": HEADLINE, "summary": "ملخص الخبر: <b>مهم</b> & عاجل",
    "lang": "ar", "dir": "rtl", "date": "2016-12-06", "published": "2016-12-06T14:30:00+02:00",
    "modified": "2016-12-07T09:05:00+02:00", "author": "سارة الحلبي", "attribution": "",
    "image": "images/حلب.jpg", "topics": TOPICS, "time": "14:30",
    "read_also": [], "backlinks": [], "body": [{"kind": "p", "text": "نص الخبر.", "ref": -1}],
    "labels": [], "inline_cards": [], "archive_url": "archive/2016/12/",
    "author_name": "سارة الحلبي", "author_url": "authors/سارة-الحلبي/", "author_link": "",
    "words": 300, "image_alt": "حلب", "image_caption": "حلب", "image_credit": "",
    "picture": {"modern_mime": "image/webp", "modern_srcset": [("images/ab/1200.webp", 1200)],
                "jpeg_srcset": [("images/ab/1200.jpg", 1200)], "fallback": "images/ab/1200.jpg",
                "width": 1200, "height": 675, "og": "images/ab/og.jpg", "og_width": 1200,
                "og_height": 630},
    "body_pictures": {}, "correction": "", "corrected": None,
}
ENGLISH = dict(ARTICLE, title="Aleppo musicians play for displaced families", summary="",
               lang="en", dir="ltr", published="2016-12-05T08:00:00+00:00", modified=None,
               author=None, author_name=None, author_url=None, image=None, picture=None,
               topics=[], time=None)
CARD = {"title": "خبر", "url": "articles/خبر/", "date": "2016-12-06", "summary": "ملخص",
        "lang": "ar", "dir": "rtl", "topics": TOPICS[:1]}


def listing(kind: str, base: str, number: int = FRONT, total: int = 1, **extra) -> dict:
    """A listing page's view as ``listing_view`` shapes it: ``total`` pages of one."""
    page = listing_pages(base, tuple(f"s{n}" for n in range(total)), 1)[number]
    view = {"kind": kind, "articles": [CARD], "pagination": pagination(page),
            "number": number, **extra}
    return dict(view, count=total) if number == FRONT else view


FRONT_PAGE = {"kind": "front", "number": 0, "lead": None, "latest": [CARD], "sections": [],
              "older_url": "page/3/", "count": 3}


PAGES = {  # name -> (page_url, template, view)
    "article": ("articles/لافروف/", "article.html", ARTICLE),
    "english": ("articles/musicians/", "article.html", ENGLISH),
    "home": ("", "front.html", FRONT_PAGE),
    "home 2": ("page/2/", "index.html", listing("home", "", 2, 3)),
    "topic": ("topics/حلب/", "topic.html", listing("topic", "topics/حلب/", name="حلب")),
    "topics": ("topics/", "topics.html",
               {"kind": "topics", "topics": [{"name": "حلب", "url": "topics/حلب/", "count": 1}]}),
    "404": ("404.html", "404.html", {"kind": "404"}),
}


def render(name: str, base_url: str = "/news/", **site) -> str:
    page_url, template, view = PAGES[name]
    return render_with(template, page_url, view, base_url, **site)


def render_with(template: str, page_url: str, view: dict, base_url: str = "/news/",
                **site) -> str:
    env = make_environment(Config(root=PROJECT, base_url=base_url))
    env.globals["site"] = {**env.globals["site"], **SITE, **site}
    return render_page(env, PageSpec("index.html", page_url, template, view))


class Head(HTMLParser):
    """Meta tags by name or property, links by rel, and every script's type and text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[dict]] = {}
        self.scripts: list[tuple[str | None, str]] = []
        self.urls: list[str] = []
        self._script: list | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs)
        elif tag == "script" and "src" not in attrs:  # inline: the JSON-LD blocks
            self._script = [attrs.get("type"), ""]
        self.urls += [attrs[k] for k in ("href", "src") if attrs.get(k)]

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None

    def one(self, key: str) -> str:
        assert len(self.meta.get(key, [])) == 1, (key, self.meta.get(key))
        return self.meta[key][0]

    def href(self, rel: str) -> str:
        assert len(self.links.get(rel, [])) == 1, (rel, self.links.get(rel))
        return self.links[rel][0]["href"]

    def json_ld(self) -> dict[str, dict]:
        """Every script is JSON-LD and parses; by @type."""
        assert self.scripts and all(kind == "application/ld+json" for kind, _ in self.scripts)
        blocks = [json.loads(text) for _, text in self.scripts]
        assert len({block["@type"] for block in blocks}) == len(blocks)
        return {block["@type"]: block for block in blocks}


def test_every_page_has_icon_manifest_theme_colour_and_site_name():
    for name in PAGES:
        head = Head(render(name))
        assert head.links["icon"] == [{"rel": "icon", "type": "image/svg+xml",
                                       "href": "/news/static/favicon.svg"}], name
        assert head.href("manifest") == "/news/manifest.webmanifest", name
        assert head.one("theme-color") == "#8a1c1c", name
        assert head.one("og:site_name") == "وراق", name
        assert head.one("og:locale") == ("en_US" if name == "english" else "ar_AR"), name


def test_article_card_tags():
    head = Head(render("article"))
    assert head.href("canonical") == absolute_url(SITE_URL, "/news/", "articles/لافروف/")
    assert head.href("canonical") == SITE_URL + "articles/%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81/"
    assert head.one("og:url") == head.href("canonical")
    assert head.one("robots") == "max-image-preview:large"
    assert head.one("og:type") == "article"
    assert head.one("og:title") == head.one("twitter:title") == HEADLINE
    assert head.one("og:description") == head.one("twitter:description") == ARTICLE["summary"]
    assert head.one("article:published_time") == "2016-12-06T14:30:00+02:00"
    assert head.one("article:modified_time") == "2016-12-07T09:05:00+02:00"
    assert head.one("article:section") == "حلب"
    assert head.meta["article:tag"] == ["حلب", "روسيا"]
    image = SITE_URL + "images/ab/og.jpg"  # the 1200 x 630 card derived from the photograph
    assert head.one("og:image") == head.one("twitter:image") == image
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == "حلب"
    assert head.one("twitter:card") == "summary_large_image"
    assert "prev" not in head.links and "next" not in head.links


def test_news_article_json_ld():
    ld = Head(render("article")).json_ld()
    assert set(ld) == {"NewsArticle", "BreadcrumbList"}
    article = ld["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == HEADLINE
    assert article["description"] == ARTICLE["summary"]
    assert article["datePublished"] == "2016-12-06T14:30:00+02:00"
    assert article["dateModified"] == "2016-12-07T09:05:00+02:00"
    assert article["author"] == {"@type": "Person", "name": "سارة الحلبي",
                                 "url": SITE_URL + "authors/" + quote("سارة-الحلبي") + "/"}
    assert article["publisher"] == {
        "@type": "NewsMediaOrganization", "name": "وراق", "url": SITE_URL,
        "logo": {"@type": "ImageObject", "url": SITE_URL + "static/logo.svg"}}
    assert article["image"] == [
        {"@type": "ImageObject", "url": SITE_URL + "images/ab/og.jpg", "width": 1200,
         "height": 630, "caption": "حلب"},
        {"@type": "ImageObject", "url": SITE_URL + "images/ab/1200.jpg", "width": 1200,
         "height": 675, "caption": "حلب"}]
    assert article["inLanguage"] == "ar"
    assert article["articleSection"] == "حلب"
    assert article["keywords"] == ["حلب", "روسيا"]
    canonical = SITE_URL + "articles/%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81/"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}


def test_breadcrumbs_go_home_topic_article():
    crumbs = Head(render("article")).json_ld()["BreadcrumbList"]["itemListElement"]
    assert [(c["@type"], c["position"], c["name"]) for c in crumbs] == [
        ("ListItem", 1, "وراق"), ("ListItem", 2, "حلب"), ("ListItem", 3, HEADLINE)]
    assert [c["item"] for c in crumbs] == [
        SITE_URL, SITE_URL + "topics/%D8%AD%D9%84%D8%A8/",
        SITE_URL + "articles/%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81/"]


def test_a_headline_cannot_close_the_json_ld_block():
    page = render("article")
    head = Head(page)
    assert [kind for kind, _ in head.scripts] == ["application/ld+json"] * 2
    assert page.count("</script>") == page.count("<script") == 2
    assert "<script>alert(1)" not in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in head.scripts[0][1]


def test_an_english_article_without_byline_image_or_update():
    head = Head(render("english"))
    assert head.one("og:locale") == "en_US"
    assert head.one("og:title") == ENGLISH["title"]
    assert "og:description" not in head.meta  # no summary, and the site has no description
    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta and "twitter:image" not in head.meta
    assert "article:modified_time" not in head.meta and "article:section" not in head.meta
    article = head.json_ld()["NewsArticle"]
    assert article["dateModified"] == article["datePublished"] == "2016-12-05T08:00:00+00:00"
    assert article["author"] == article["publisher"]
    assert article["author"]["@type"] == "NewsMediaOrganization"
    assert article["inLanguage"] == "en"
    assert "image" not in article and "articleSection" not in article
    crumbs = head.json_ld()["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2]


def test_the_article_shows_when_it_was_updated():
    page = render("article")
    assert '· آخر تحديث <time datetime="2016-12-07T09:05:00+02:00">' in page
    assert ">7 ديسمبر 2016</time></p>" in page  # digits = "latn" by default
    english = render("english")
    assert "Updated" not in english and "آخر تحديث" not in english


def test_home_page_is_the_website_with_its_search():
    head = Head(render("home"))
    assert head.href("canonical") == SITE_URL
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "وراق"
    assert "prev" not in head.links and "next" not in head.links  # its own kind of page
    website = head.json_ld()["WebSite"]
    assert website["name"] == "وراق" and website["url"] == SITE_URL
    assert website["potentialAction"] == {
        "@type": "SearchAction", "target": SITE_URL + "search/?q={search_term_string}",
        "query-input": "required name=search_term_string"}
    without_search = Head(render("home", search=False)).json_ld()["WebSite"]
    assert "potentialAction" not in without_search


def test_a_later_page_is_its_own_canonical_between_prev_and_next():
    head = Head(render("home 2"))
    assert head.href("canonical") == head.one("og:url") == SITE_URL + "page/2/"
    assert head.href("prev") == SITE_URL + "page/3/"  # newer: numbered from the oldest
    assert head.href("next") == SITE_URL + "page/1/"
    assert head.scripts == []  # the WebSite is described once, on the home page


def test_topic_pages_are_collection_pages_of_the_website():
    head = Head(render("topic"))
    topic_url = SITE_URL + "topics/%D8%AD%D9%84%D8%A8/"
    assert head.href("canonical") == topic_url
    assert head.one("og:title") == "حلب"
    page = head.json_ld()["CollectionPage"]
    assert (page["name"], page["url"]) == ("حلب", topic_url)
    assert page["isPartOf"]["@type"] == "WebSite" and page["isPartOf"]["url"] == SITE_URL
    index = Head(render("topics")).json_ld()["CollectionPage"]
    assert (index["name"], index["url"]) == ("المواضيع", SITE_URL + "topics/")


def test_the_404_page_is_not_indexed_and_names_no_canonical():
    head = Head(render("404"))
    assert head.one("robots") == "noindex"
    assert "canonical" not in head.links and "og:url" not in head.meta
    assert head.scripts == []


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("name", sorted(PAGES))
def test_without_a_site_url_every_link_is_root_relative(name):
    page = render(name, url="")
    head = Head(page)
    assert "example.org" not in page and "og:url" not in head.meta
    assert all(url.startswith(("/news/", "#")) for url in head.urls), head.urls
    if name != "404":
        assert head.href("canonical") == url_for("/news/", PAGES[name][0])
    for key in ("og:image", "twitter:image"):
        assert all(value.startswith("/news/") for value in head.meta.get(key, []))
    for block in map(json.loads, (text for _, text in head.scripts)):
        assert not [s for s in _strings(block) if "://" in s]
    if name == "article":
        article = head.json_ld()["NewsArticle"]
        assert article["publisher"]["logo"]["url"] == "/news/static/logo.svg"
        assert article["mainEntityOfPage"]["@id"] == head.href("canonical")


def test_the_manifest_is_json_under_the_base_path():
    env = make_environment(Config(root=PROJECT, base_url="/أخبار/"))
    env.globals["site"] = {**env.globals["site"], **SITE,
                           "title": 'وراق "الجديد" </script> & <b>', "description": "موقع"}
    text = render_page(env, PageSpec("manifest.webmanifest", "manifest.webmanifest",
                                     "manifest.webmanifest", {"kind": "manifest"}))
    manifest = json.loads(text)
    assert manifest["name"] == manifest["short_name"] == 'وراق "الجديد" </script> & <b>'
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert manifest["start_url"] == manifest["scope"] == "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/"
    assert manifest["display"] in ("browser", "minimal-ui")
    assert manifest["theme_color"] == "#8a1c1c"
    assert manifest["icons"] == [{"src": "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/static/favicon.svg",
                                  "sizes": "any", "type": "image/svg+xml"}]
    assert "&#" not in text and "&amp;" not in text


def test_the_default_favicon_is_an_svg_in_the_theme_colour():
    svg = (PROJECT / "static/favicon.svg").read_text("utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "#8a1c1c" in svg


def test_json_ld_escapes_what_could_end_a_script_and_sorts_keys():
    text = str(json_ld({"b": "</script> & <!-- \u2028", "a": "حلب"}))
    assert text == ('{"a": "حلب", "b": "\\u003c/script\\u003e \\u0026 \\u003c!-- '
                    '\\u2028"}')
    assert json.loads(text) == {"b": "</script> & <!-- \u2028", "a": "حلب"}


@pytest.mark.parametrize("lang, expected", [("ar", "ar_AR"), ("en", "en_US"), ("en-GB", "en_GB"),
                                            ("fr", "fr_FR"), ("ar-SY", "ar_SY"), ("tr", "tr_TR")])
def test_og_locale(lang, expected):
    assert og_locale(lang) == expected


@pytest.mark.parametrize("site_url, path, expected", [
    ("https://example.org/news/", "articles/حلب/",
     "https://example.org/news/articles/%D8%AD%D9%84%D8%A8/"),
    ("https://example.org/", "", "https://example.org/"),
    ("https://example.org/news/", "https://cdn.example.net/a.jpg", "https://cdn.example.net/a.jpg"),
    ("https://example.org/news/", "javascript:alert(1)",
     "https://example.org/news/javascript%3Aalert%281%29"),
    ("", "articles/حلب/", "/news/articles/%D8%AD%D9%84%D8%A8/"),
])
def test_absolute_url(site_url, path, expected):
    assert absolute_url(site_url, "/news/", path) == expected


def policy_of(template: str) -> str:
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": template}))
    return str(content_security_policy(env))


def test_a_templated_json_ld_block_passes_the_policy_check_without_a_hash():
    policy = policy_of('<script type="application/ld+json">{{ data|json_ld }}</script>')
    assert "script-src 'self';" in policy


@pytest.mark.parametrize("tag", [
    "<script>", '<script type="module">', '<script type="application/json">',
    '<script type="text/javascript" data-type="application/ld+json">',
    '<script data-type="application/ld+json">', '<script type="application/ld+jsonp">',
    "<script type='application/ld+json' onload=\"x()\">",
    '<script type="application/ld+json"{{ more }}>',
])
def test_a_templated_script_that_is_not_a_json_ld_block_is_still_refused(tag):
    with pytest.raises(WarraqError) as caught:
        policy_of('<p>ok</p>\n<script type="application/ld+json">{{ a }}</script>\n'
                  f"{tag}var x = '{{{{ a }}}}';</script>")
    assert str(caught.value).startswith("templates/page.html:3: template: an inline <script>")


def test_every_page_of_a_real_build_has_its_head(make_site, tmp_path):
    build(make_site({"content/a.md": f"---\ntitle: '{HEADLINE}'\ndate: 2016-12-05\n"
                                     "topics: [حلب]\n---\n\nنص.\n"}))
    pages = {p.relative_to(tmp_path / "_site").as_posix(): p.read_text("utf-8")
             for p in (tmp_path / "_site").rglob("*.html")}
    assert len(pages) >= 4
    for name, page in pages.items():
        head = Head(page)
        assert len(head.links["icon"]) == 1 and head.one("og:title"), name
        if name == "404.html":
            assert "canonical" not in head.links
        else:
            assert head.href("canonical").startswith("/"), name
        if head.scripts:
            head.json_ld()
    article = Head(next(p for n, p in pages.items() if n.startswith("articles/")))
    assert article.json_ld()["NewsArticle"]["headline"] == HEADLINE
