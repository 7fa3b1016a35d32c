"""What a reader sees, in headless Chromium: direction, the inline read-also
card, the English article left to right, no sideways scroll on a phone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.build import build, load_site
from generator.config import load_config
from generator.listings import front_chunk
from generator.views import article_url

from .browser import chromium, require_chromium, static_server
from .conftest import PROJECT

PHONE_WIDTH = 390


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    require_chromium()
    output = tmp_path_factory.mktemp("site")
    config = replace(load_config(PROJECT / "warraq.toml"), output_dir=str(output))
    build(config)
    site = load_site(config).site
    with static_server(output) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844})
        yield base, site, page, output, browser


def _open(page, base, path):
    response = page.goto(base + "/" + quote(path))
    assert response is not None and response.status == 200, path
    return page


def _seed(site):
    return next(a for a in site.articles.values() if a.source.startswith("seeds/"))


def test_seed_page_reads_right_to_left(demo):
    base, site, page, _, _ = demo
    _open(page, base, article_url(_seed(site).slug))
    for selector in ("html", "article.article", "h1.headline", ".article-body p"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "rtl"
    assert page.get_attribute("h1.headline", "dir") == "rtl"


def test_seed_read_also_card_sits_after_the_last_paragraph(demo):
    base, site, page, _, _ = demo
    _open(page, base, article_url(_seed(site).slug))
    last = page.eval_on_selector(".article-body", "e => e.lastElementChild.className")
    assert last == "read-also-card"
    card_link = page.locator(".article-body .read-also-card a")
    assert card_link.count() == 1
    title = card_link.locator(".read-also-title").inner_text()
    assert title.startswith("أكثر من 50 الف نازح سوري")
    card_link.click()
    page.wait_for_load_state()
    assert page.locator("h1.headline").inner_text() == title


def test_english_article_reads_left_to_right_inside_the_arabic_site(demo):
    base, site, page, _, _ = demo
    english = next(a for a in site.articles.values() if a.lang == "en")
    _open(page, base, article_url(english.slug))
    assert page.eval_on_selector("html", "e => getComputedStyle(e).direction") == "rtl"
    for selector in ("article.article", "h1.headline", ".article-body p"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "ltr"


def test_headline_starting_with_a_number_starts_on_the_right(demo):
    base, site, page, _, _ = demo
    numeric = next(a for a in site.articles.values() if a.title[0].isdigit())
    _open(page, base, article_url(numeric.slug))
    h1 = page.locator("h1.headline").bounding_box()
    bdi = page.locator("h1.headline bdi").first.bounding_box()
    # Read right to left, the number is the first thing: it hugs the right edge.
    assert abs((bdi["x"] + bdi["width"]) - (h1["x"] + h1["width"])) < 2


def _is_redirect(path: Path) -> bool:
    return 'http-equiv="refresh"' in path.read_text("utf-8")


def test_an_old_address_leads_to_its_article(demo):
    """A redirect page (an article's ``aliases``) sends the browser on at once."""
    base, _, page, output, _ = demo
    redirects = [p for p in output.rglob("*.html") if _is_redirect(p)]
    assert redirects
    for path in redirects:
        url_path = path.relative_to(output).as_posix()[:-len("index.html")]
        with page.expect_navigation(url=lambda url: "/articles/" in url):
            page.goto(base + "/" + quote(url_path))
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator("h1").count() == 1


def test_no_page_scrolls_sideways_on_a_phone(demo):
    base, _, page, output, _ = demo
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html")
                   if not _is_redirect(p))  # gone before it is drawn; tested above
    assert len(pages) > 20
    wide = []
    for path in pages:
        url_path = path[:-len("index.html")] if path.endswith("index.html") else path
        _open(page, base, url_path)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide.append((path, width))
    assert wide == []


def test_pages_work_without_javascript(demo):
    base, site, _, _, browser = demo
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _open(page, base, article_url(_seed(site).slug))
    assert page.locator(".article-body .read-also-card a").count() == 1
    assert page.locator("h1.headline").is_visible()
    context.close()


def _box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


def _rtl_and_fits(page) -> None:
    assert page.eval_on_selector("main", "e => getComputedStyle(e).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_front_page_stacks_on_a_phone(demo):
    base, _, page, _, _ = demo
    _open(page, base, "")
    _rtl_and_fits(page)
    lead, latest = _box(page, ".lead-story"), _box(page, ".latest")
    assert latest["top"] >= lead["bottom"]  # one column: the lead story, then the headlines
    photo = _box(page, ".lead-story img")
    assert photo["width"] > 0.8 * PHONE_WIDTH and photo["height"] > 150  # its box reserved
    assert page.locator(".front-section").count() == 3
    assert page.get_attribute(".lead-story img", "fetchpriority") == "high"


def test_the_front_page_sets_the_headlines_beside_the_lead_on_a_laptop(demo):
    base, _, _, _, browser = demo
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _open(page, base, "")
    _rtl_and_fits(page)
    lead, latest = _box(page, ".lead-story"), _box(page, ".latest")
    assert latest["right"] <= lead["left"]  # right to left: the lead first, on the right
    assert latest["top"] < lead["bottom"]
    section = _box(page, ".front-section")
    assert section["top"] >= lead["bottom"] and section["right"] > latest["right"]
    page.close()


def test_an_author_page_and_an_archive_page_read_right_to_left(demo):
    base, site, page, _, _ = demo
    _open(page, base, "authors/ليلى-حداد/")
    _rtl_and_fits(page)
    assert page.inner_text("h1.page-title").endswith("ليلى حداد")
    assert page.locator(".bio").count() == 1 and page.locator("main .card").count() >= 1
    _open(page, base, "archive/2016/12/")
    _rtl_and_fits(page)
    assert page.inner_text("h1.page-title").startswith("ديسمبر 2016")
    december = [a for a in site.articles.values() if (a.date.year, a.date.month) == (2016, 12)]
    per_page = load_config(PROJECT / "warraq.toml").per_page
    assert page.locator("main .card").count() == len(front_chunk(tuple(december), per_page))
    _open(page, base, "archive/")
    _rtl_and_fits(page)
    assert page.locator(".month-list a").count() == 2  # November and December 2016
