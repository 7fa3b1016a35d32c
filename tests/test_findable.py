"""Feeds, sitemaps and heads of a real build with the site's full URL: every
link in them resolves to a file the build wrote, and the origin appears only
where a crawler or a feed reader needs it."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import feedparser
import pytest
from lxml import etree

from generator.build import build
from generator.config import load_config

from .conftest import PROJECT, copy_demo

SITE = "https://example.org/news/"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
ABSOLUTE = re.compile(r"https://example\.org/news/[^\"'<\s)]*")


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("findable") / "site"
    copy_demo(root)
    build(load_config(root / "warraq.toml", base_url=SITE, site_url=SITE))
    return root / "_site"


def written(output: Path, url: str) -> bool:
    rel = unquote(re.split("[?#]", url[len(SITE):])[0])
    return (output / rel / "index.html").is_file() if rel.endswith("/") or not rel \
        else (output / rel).is_file()


def test_every_absolute_link_of_every_output_resolves(output):
    found = 0
    for path in output.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".webmanifest"):
            text = path.read_text("utf-8")  # a feed's content is escaped HTML:
            for url in ABSOLUTE.findall(html.unescape(text) if path.suffix == ".xml" else text):
                found += 1
                assert written(output, url), f"{path.relative_to(output)}: {url}"
    assert found > 100


def test_the_feeds_parse_and_link_the_pages_they_belong_to(output):
    feeds = sorted(output.rglob("feed.xml"))
    assert len(feeds) >= 2 and (output / "feed.xml") in feeds
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.entries and all(written(output, e.link) for e in parsed.entries)
        page = (feed.parent / "index.html").read_text("utf-8")  # names its own feed
        assert f'href="{SITE}{quote(feed.relative_to(output).as_posix())}"' in page
    topic = next(f for f in feeds if f.parent != output)
    html = (topic.parent / "index.html").read_text("utf-8")
    assert html.count('type="application/atom+xml"') == 2  # the site's and its topic's


def test_the_sitemaps_validate_and_robots_names_them(output):
    index = etree.parse(str(output / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd"))).assertValid(index)
    urlset = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    parts = list((output / "sitemaps").glob("*.xml"))
    assert len(parts) >= 2
    for part in parts:
        urlset.assertValid(etree.parse(str(part)))
    news = etree.XMLSchema(etree.parse(str(SCHEMAS / "news.xsd")))
    news.assertValid(etree.parse(str(output / "news-sitemap.xml")))
    robots = (output / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {SITE}sitemap.xml" in robots and f"Sitemap: {SITE}news-sitemap.xml" in robots


def test_the_origin_is_in_heads_feeds_and_sitemaps_and_nowhere_else(output):
    for path in output.rglob("*.html"):
        html = path.read_text("utf-8")
        body = html.split("</head>", 1)[1]
        assert SITE not in body, path.relative_to(output)
        head = html.split("</head>", 1)[0]
        if path.name == "index.html" and "articles/" in path.as_posix():
            assert f'<link rel="canonical" href="{SITE}' in head
            assert f'<meta property="og:url" content="{SITE}' in head
