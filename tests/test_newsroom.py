"""The newspaper's pages: front page, breaking bar, date archives, authors, corrections."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.build import build, load_site
from generator.plan import plan_pages

DAMASCUS = dt.timezone(dt.timedelta(hours=2))  # Asia/Damascus in December 2016
CONFIG = '''fallback_date = "2016-12-06"
per_page = 2
timezone = "Asia/Damascus"
hijri = true
front_sections = ["حلب", "ثقافة", "لا موضوع كهذا"]
front_section_size = 2

[authors]
"ليلى حداد" = { name = "ليلى حداد", bio = "مراسلة في نيويورك.", url = "https://example.org/laila" }
'''


def md(slug: str, date: str, topics: str = "حلب", **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return (f'---\ntitle: "خبر {slug}"\ndate: {date}\nslug: {slug}\ntopics: [{topics}]\n'
            f'{extra}---\n\nنص الخبر {slug}.\n')


FILES = {
    "content/a.md": md("a", "2016-11-28 09:00", author='"ليلى حداد"'),
    "content/b.md": md("b", "2016-12-04 10:00", "ثقافة", featured="true"),
    "content/c.md": md("c", "2016-12-05 21:15", "حلب, ثقافة", author='"ليلى حداد"',
                       correction='"ذكرت نسخة سابقة رقماً خاطئاً."',
                       correction_date="2016-12-06 08:00"),
    "content/d.md": md("d", "2016-12-06 14:30", breaking="true",
                       breaking_until="2016-12-06 18:00", author='"عمر الشامي"'),
    "content/e.md": md("e", "2015-01-10"),
}


@pytest.fixture
def planned(make_site):
    config = make_site(FILES, CONFIG)
    loaded = load_site(config)

    def at(moment: dt.datetime) -> dict:
        return {p.output_path: p for p in plan_pages(loaded.site, config, loaded.digests,
                                                     moment)}
    return at


BEFORE_EXPIRY = dt.datetime(2016, 12, 6, 16, 0, tzinfo=DAMASCUS)
AFTER_EXPIRY = dt.datetime(2016, 12, 6, 18, 0, tzinfo=DAMASCUS)


def urls(cards) -> list[str]:
    return [card["url"] for card in cards]


def test_the_lead_is_the_newest_featured_article(planned):
    front = planned(BEFORE_EXPIRY)["index.html"].view
    assert front["lead"]["url"] == "articles/b/"
    assert "articles/b/" not in urls(front["latest"])
    assert urls(front["latest"]) == ["articles/d/", "articles/c/", "articles/a/", "articles/e/"]


def test_front_sections_follow_the_config_and_show_a_story_once(planned):
    sections = planned(BEFORE_EXPIRY)["index.html"].view["sections"]
    assert [(s["name"], s["url"]) for s in sections] == [("حلب", "topics/حلب/"),
                                                         ("ثقافة", "topics/ثقافة/")]
    assert urls(sections[0]["articles"]) == ["articles/d/", "articles/c/"]  # size 2
    assert urls(sections[1]["articles"]) == []  # b is the lead, c is in حلب


def test_without_a_featured_article_the_lead_is_the_newest_with_an_image(make_site):
    files = {"content/a.md": md("a", "2016-12-01", image="a.svg"),
             "content/b.md": md("b", "2016-12-02"), "content/a.svg": "<svg/>"}
    config = make_site(files, CONFIG)
    loaded = load_site(config)
    pages = {p.output_path: p for p in plan_pages(loaded.site, config, loaded.digests)}
    assert pages["index.html"].view["lead"]["url"] == "articles/a/"


def test_the_breaking_bar_is_on_every_html_page_until_it_expires(planned):
    before, after = planned(BEFORE_EXPIRY), planned(AFTER_EXPIRY)
    html = [path for path in before if path.endswith(".html")]
    assert len(html) > 20
    for path in html:
        assert before[path].view["breaking"] == [
            {"title": "خبر d", "url": "articles/d/", "lang": "ar", "dir": "rtl"}], path
        assert after[path].view["breaking"] == [], path


def test_a_month_archive_lists_that_month_alone_from_the_oldest(planned):
    pages = planned(BEFORE_EXPIRY)
    assert urls(pages["archive/2016/12/index.html"].view["articles"]) == [
        "articles/d/", "articles/c/", "articles/b/"]
    assert urls(pages["archive/2016/12/page/1/index.html"].view["articles"]) == [
        "articles/c/", "articles/b/"]
    assert urls(pages["archive/2016/11/index.html"].view["articles"]) == ["articles/a/"]
    assert urls(pages["archive/2015/01/index.html"].view["articles"]) == ["articles/e/"]
    year = pages["archive/2016/index.html"].view
    assert [(m["month"], m["count"]) for m in year["months"]] == [(12, 3), (11, 1)]
    years = pages["archive/index.html"].view["years"]
    assert [(y["year"], [m["month"] for m in y["months"]]) for y in years] == [
        (2016, [12, 11]), (2015, [1])]


def test_author_pages_carry_the_configured_details(planned):
    pages = planned(BEFORE_EXPIRY)
    laila = pages["authors/ليلى-حداد/index.html"].view
    assert (laila["name"], laila["bio"], laila["link"]) == (
        "ليلى حداد", "مراسلة في نيويورك.", "https://example.org/laila")
    assert urls(laila["articles"]) == ["articles/c/", "articles/a/"]
    omar = pages["authors/عمر-الشامي/index.html"].view
    assert (omar["name"], omar["bio"], omar["link"]) == ("عمر الشامي", "", "")
    article = pages["articles/c/index.html"].view
    assert article["author_url"] == "authors/ليلى-حداد/"


def test_corrections_are_listed_and_dated(planned):
    pages = planned(BEFORE_EXPIRY)
    entries = pages["corrections/index.html"].view["articles"]
    assert [(e["url"], e["correction"], e["corrected"]) for e in entries] == [
        ("articles/c/", "ذكرت نسخة سابقة رقماً خاطئاً.", "2016-12-06T08:00:00+02:00")]


def _built(make_site, monkeypatch, moment: dt.datetime, files=FILES, config=CONFIG,
           **overrides):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    site = make_site(files, 'site_url = "https://example.org/news/"\n' + config, **overrides)
    return site, build(site)


def _page(site, rel: str) -> str:
    return (site.root / site.output_dir / rel).read_text("utf-8")


def test_built_pages_show_the_bar_then_drop_it_once_expired(make_site, monkeypatch):
    site, _ = _built(make_site, monkeypatch, BEFORE_EXPIRY)
    front = _page(site, "index.html")
    assert re.search(r'<aside class="breaking"[^>]*>\s*<strong[^>]*>عاجل</strong>', front)
    assert 'href="/news/articles/d/"' in front.split('class="breaking"')[1].split("</aside>")[0]
    assert 'class="breaking"' in _page(site, "archive/2015/01/index.html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(AFTER_EXPIRY.timestamp())))
    report = build(site)  # nothing changed but the clock
    assert 'class="breaking"' not in _page(site, "index.html")
    assert 'class="breaking"' not in _page(site, "archive/2015/01/index.html")
    assert "archive/2015/01/index.html" in report.written


def test_an_article_page_shows_dateline_hijri_time_byline_and_correction(make_site,
                                                                         monkeypatch):
    site, _ = _built(make_site, monkeypatch, AFTER_EXPIRY)
    page = _page(site, "articles/c/index.html")
    assert "الاثنين 5 ديسمبر 2016 — 6 ربيع الأول 1438 هـ" in page
    assert "21:15 بتوقيت دمشق" in page
    assert '<a class="dateline" href="/news/archive/2016/12/">' in page
    assert '<a class="byline" href="/news/authors/%D9%84' in page  # percent-encoded slug
    assert 'class="correction"' in page and "ذكرت نسخة سابقة رقماً خاطئاً." in page
    data = [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    assert article["author"] == {"@type": "Person", "name": "ليلى حداد",
                                 "url": "https://example.org/news/authors/"
                                        + quote("ليلى-حداد") + "/",
                                 "sameAs": "https://example.org/laila"}
    assert article["correction"]["text"] == "ذكرت نسخة سابقة رقماً خاطئاً."


def test_each_author_has_a_feed_linked_from_the_author_page(make_site, monkeypatch):
    import feedparser

    site, _ = _built(make_site, monkeypatch, AFTER_EXPIRY)
    feed = feedparser.parse(_page(site, "authors/ليلى-حداد/feed.xml"))
    assert not feed.bozo
    assert feed.feed.title == "ليلى حداد — وراق"
    assert [e.link for e in feed.entries] == ["https://example.org/news/articles/c/",
                                              "https://example.org/news/articles/a/"]
    assert ('type="application/atom+xml"' in _page(site, "authors/ليلى-حداد/index.html"))


def _listed(site) -> dict[str, list[str]]:
    """Every listing page of the built site -> the article links it shows."""
    out = Path(site.root / site.output_dir)
    found = {}
    for path in out.rglob("index.html"):
        rel = path.relative_to(out).as_posix()
        if "/page/" in "/" + rel:
            found[rel] = re.findall(r'class="card-title"[^>]*><a href="([^"]+)"',
                                    path.read_text("utf-8"))
    return found


def test_old_page_urls_keep_their_articles_as_news_arrives(make_site, monkeypatch):
    files = {f"content/x{n:02d}.md": md(f"x{n:02d}", f"2016-12-{n:02d} 08:00")
             for n in range(1, 12)}
    site, _ = _built(make_site, monkeypatch, AFTER_EXPIRY, files, 'per_page = 3\n')
    first = _listed(site)
    assert len(first) >= 8
    for n in range(12, 20):  # eight more, a day each
        (site.root / f"content/x{n:02d}.md").write_text(md(f"x{n:02d}", f"2016-12-{n:02d} 08:00"),
                                                        "utf-8")
    build(site)
    second = _listed(site)
    for url, articles in first.items():
        assert url in second, url
        if len(articles) == 3:  # a full page: exactly as it was
            assert second[url] == articles, url
        else:  # the newest page, filling up: it keeps what it had
            assert set(articles) <= set(second[url]), url
