"""syndication: Atom feeds, sitemaps (index, monthly parts, Google News) and robots.txt,
rendered by the site's templates from the views of generator.syndication."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from urllib.parse import unquote
from urllib.robotparser import RobotFileParser

import feedparser
import lxml.html
import pytest
from lxml import etree

from generator.config import Config
from generator.errors import WarraqError
from generator.models import PageSpec
from generator.render import make_environment, render_page
from generator.syndication import (EPOCH, SITEMAP_TEMPLATES, absolute, feed_view, index_view,
                                   news_language, news_sitemap_view, robots_view, sitemap_parts,
                                   urlset_view)

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SITE = "https://example.org/news/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "n": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture(scope="module")
def env():
    return make_environment(Config(root=ROOT, title="وراق", base_url=SITE))


def render(env, template: str, view: dict) -> bytes:
    return render_page(env, PageSpec(template, template, template, view)).encode("utf-8")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def entry(slug: str, date: str = "2016-12-06", published: str = "2016-12-06T14:30:00+02:00",
          **fields) -> dict:
    """An article as the lead hands it over: the fields the feed, sitemaps and news need."""
    found = {"title": f"خبر {slug}", "url": f"articles/{slug}/", "published": published,
             "updated": published, "summary": f"ملخص {slug}", "lang": "ar", "author": None,
             "topics": ["حلب"], "slug": slug, "date": date,
             "body": [{"kind": "p", "text": f"نص الخبر {slug}."}]}
    found.update(fields)
    return found


ALEPPO = entry(
    "حلب-تحت-الحصار", title="1.5 مليون طفل في حلب بلا مدارس، بحسب UNICEF",
    published="2016-12-06T14:30:00+02:00", updated="2016-12-06T18:05:00+02:00",
    author="سلمى الحلبي", topics=["حلب", "الأمم المتحدة", "تعليم"],
    body=[{"kind": "p", "text": "قالت منظمة UNICEF إن 1.5 مليون طفل خارج المدارس."},
          {"kind": "h2", "text": "المدارس المدمرة"},
          {"kind": "html", "text": '<p>انظر <a href="/articles/إدلب/">تقرير إدلب</a> و'
                                   '<a href="https://other.example/a?b=1&amp;c=2">المصدر</a>'
                                   ' و<a href="#خريطة">الخريطة</a></p>\n'
                                   '<figure><img src="خريطة.png" alt="خريطة"></figure>'},
          {"kind": "read_also", "text": "", "ref": 0},
          {"kind": "read_also", "text": "", "ref": 1}],
    labels=["قصف إدلب", "عنوان لا وجود له"],
    inline_cards=[{"title": "Idlib under fire", "url": "articles/إدلب/", "lang": "en",
                   "dir": "ltr"}, None])
MUSICIANS = entry("aleppo-musicians", title="Aleppo musicians play for displaced families",
                  lang="en", date="2016-12-05", published="2016-12-05T09:00:00+00:00",
                  updated="2016-12-05T20:00:00+05:00", topics=["ثقافة"],
                  body=[{"kind": "p", "text": "Musicians from Aleppo played old songs."}])
ALEPPO_SLUG = "%D8%AD%D9%84%D8%A8-%D8%AA%D8%AD%D8%AA-%D8%A7%D9%84%D8%AD%D8%B5%D8%A7%D8%B1"  # encoded
GIVEN_URLS = {ALEPPO["url"], MUSICIANS["url"], "articles/إدلب/", ""}


def site_relative(link: str) -> str:
    """An absolute link back to the site-relative URL it was made from."""
    assert link.startswith(SITE), link
    assert link == link.encode("ascii").decode("ascii"), link  # percent-encoded, no raw Arabic
    return unquote(link[len(SITE):])


def aleppo_feed(**changes) -> dict:
    return feed_view(title="وراق", lang="ar", site_url=SITE, feed_url="feed.xml", page_url="",
                     entries=[dict(ALEPPO, **changes), MUSICIANS])


# Atom feeds

def test_the_feed_parses_and_every_entry_carries_id_link_dates_lang_categories(env):
    xml = render(env, "feed.xml", aleppo_feed())
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "وراق"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": SITE + "feed.xml", "alternate": SITE}
    first, second = feed.entries
    assert first.id == f"tag:example.org,2016-12-06:/news/articles/{ALEPPO_SLUG}/"
    assert second.id == "tag:example.org,2016-12-05:/news/articles/aleppo-musicians/"
    assert site_relative(first.link) == ALEPPO["url"]
    assert site_relative(second.link) == MUSICIANS["url"]
    assert calendar.timegm(first.published_parsed) == dt.datetime.fromisoformat(
        ALEPPO["published"]).timestamp()
    assert calendar.timegm(second.updated_parsed) == dt.datetime.fromisoformat(
        MUSICIANS["updated"]).timestamp()
    assert [t.term for t in first.tags] == ["حلب", "الأمم المتحدة", "تعليم"]
    assert [t.term for t in second.tags] == ["ثقافة"]
    assert first.author == "سلمى الحلبي" and second.author == "وراق"  # else the site's title
    assert first.summary == ALEPPO["summary"]
    assert first.content[0].language == "ar" and second.content[0].language == "en"
    tree = etree.fromstring(xml)
    assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert [e.get("{http://www.w3.org/XML/1998/namespace}lang")
            for e in tree.findall("a:entry", ATOM)] == ["ar", "en"]
    # the dates are written with their offsets, as given
    assert tree.xpath("a:entry/a:published/text()", namespaces=ATOM) == [
        "2016-12-06T14:30:00+02:00", "2016-12-05T09:00:00+00:00"]


def test_the_content_is_the_whole_body_with_every_link_absolute(env):
    xml = render(env, "feed.xml", aleppo_feed())
    content = etree.fromstring(xml).xpath("a:entry[1]/a:content", namespaces=ATOM)[0]
    assert content.get("type") == "html"
    body = lxml.html.fragment_fromstring(content.text, create_parent="div")
    text = body.text_content()
    for block in ALEPPO["body"]:
        if block["kind"] in ("p", "h2"):
            assert block["text"] in text
    assert "اقرأ أيضاً" in text and "Idlib under fire" in text and "عنوان لا وجود له" in text
    page = f"{SITE}articles/{ALEPPO_SLUG}/"
    targets = [el.get("href") or el.get("src") for el in body.iter("a", "img")]
    assert targets == [SITE + "articles/%D8%A5%D8%AF%D9%84%D8%A8/",
                       "https://other.example/a?b=1&c=2",
                       page + "#%D8%AE%D8%B1%D9%8A%D8%B7%D8%A9",
                       page + "%D8%AE%D8%B1%D9%8A%D8%B7%D8%A9.png",
                       SITE + "articles/%D8%A5%D8%AF%D9%84%D8%A8/"]
    for target in targets:
        if not target.startswith("https://other.example/"):
            assert site_relative(target).split("#")[0] in GIVEN_URLS | {
                ALEPPO["url"] + "خريطة.png"}
    card = body.xpath("//a[contains(., 'Idlib under fire')]")[0]
    assert (card.get("lang"), card.get("dir")) == ("en", "ltr")


def test_every_link_of_a_topic_feed_is_absolute_and_maps_back(env):
    view = feed_view(title="حلب — وراق", lang="ar", site_url=SITE, feed_url="topics/حلب/feed.xml",
                     page_url="topics/حلب/", entries=[ALEPPO])
    tree = etree.fromstring(render(env, "feed.xml", view))
    hrefs = tree.xpath("//a:link/@href", namespaces=ATOM)
    assert [site_relative(h) for h in hrefs] == ["topics/حلب/feed.xml", "topics/حلب/",
                                                 ALEPPO["url"]]
    assert tree.findtext("a:id", namespaces=ATOM) == SITE + "topics/%D8%AD%D9%84%D8%A8/feed.xml"


def test_entry_ids_stay_when_the_summary_title_or_body_change(env):
    def ids(view):
        return [e.id for e in feedparser.parse(render(env, "feed.xml", view)).entries]

    before = ids(aleppo_feed())
    assert ids(aleppo_feed(summary="ملخص جديد", title="عنوان مصحح",
                           body=[{"kind": "p", "text": "نص آخر تماماً."}],
                           updated="2016-12-07T09:00:00+02:00")) == before
    assert ids(aleppo_feed(date="2016-12-07"))[0] != before[0]  # the id names the date


def test_the_feed_updated_is_the_newest_entry_by_instant_not_by_text(env):
    late_text = entry("a", updated="2016-12-06T20:00:00+05:00")  # 15:00 UTC
    late_instant = entry("b", updated="2016-12-06T16:00:00+00:00")  # 16:00 UTC
    view = feed_view(title="وراق", lang="ar", site_url=SITE, feed_url="feed.xml", page_url="",
                     entries=[late_text, late_instant], updated="2030-01-01T00:00:00+00:00")
    assert view["updated"] == "2016-12-06T16:00:00+00:00"
    tree = etree.fromstring(render(env, "feed.xml", view))
    assert tree.findtext("a:updated", namespaces=ATOM) == "2016-12-06T16:00:00+00:00"


@pytest.mark.parametrize("updated, expected", [(None, EPOCH),
                                               ("2016-12-06T10:00:00+02:00",
                                                "2016-12-06T10:00:00+02:00")])
def test_an_empty_feed_is_valid_and_dated_without_the_clock(env, updated, expected):
    view = feed_view(title="وراق", lang="ar", site_url=SITE, feed_url="feed.xml", page_url="",
                     entries=[], updated=updated)
    feed = feedparser.parse(render(env, "feed.xml", view))
    assert not feed.bozo and feed.entries == []
    assert view["updated"] == expected


def test_special_characters_are_escaped_and_come_back_as_written(env):
    title = 'قمة "الأسد" & <بوتين> — Putin\'s "deal" & more'
    odd = entry("قمة", title=title, summary="أ < ب & ج > د", author="O'Brien & <Co>",
                topics=['حقوق & حريات "2016"'],
                body=[{"kind": "p", "text": "سطر\x0cمع فاصل صفحة & <وسم>"}])
    xml = render(env, "feed.xml", feed_view(title="وراق & شركاه", lang="ar", site_url=SITE,
                                            feed_url="feed.xml", page_url="", entries=[odd]))
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    tree = etree.fromstring(xml)  # well-formed: the form feed is gone
    assert tree.findtext("a:title", namespaces=ATOM) == "وراق & شركاه"
    found = tree.find("a:entry", ATOM)
    assert found.findtext("a:title", namespaces=ATOM) == title
    assert found.findtext("a:summary", namespaces=ATOM) == "أ < ب & ج > د"
    assert found.findtext("a:author/a:name", namespaces=ATOM) == "O'Brien & <Co>"
    assert found.find("a:category", ATOM).get("term") == 'حقوق & حريات "2016"'
    content = lxml.html.fragment_fromstring(found.findtext("a:content", namespaces=ATOM),
                                            create_parent="div")
    assert content.text_content().strip() == "سطرمع فاصل صفحة & <وسم>"
    news = news_sitemap_view(site_url=SITE, publication="وراق & شركاه", lang="ar", articles=[odd],
                             now=dt.datetime(2016, 12, 6, 15, tzinfo=dt.timezone.utc))
    tree = etree.fromstring(render(env, "news_sitemap.xml", news))
    assert tree.xpath("//n:title/text()", namespaces=SM) == [title]
    assert tree.xpath("//n:name/text()", namespaces=SM) == ["وراق & شركاه"]


def test_absolute_urls_encode_the_path_exactly_as_url_does(env):
    for path in ["", "feed.xml", ALEPPO["url"], "topics/الأمم-المتحدة/", "sitemaps/2016-12.xml"]:
        assert absolute(SITE, path) == "https://example.org" + env.globals["url"](path)
    assert absolute("https://example.org/", "articles/حلب/") == (
        "https://example.org/articles/%D8%AD%D9%84%D8%A8/")


@pytest.mark.parametrize("site_url", ["/news/", "https://example.org/news", "ftp://example.org/",
                                      "https:///news/", 'https://example.org/"x/'])
def test_a_site_url_that_is_not_absolute_is_one_problem(site_url):
    with pytest.raises(WarraqError, match="site URL: expected an absolute http"):
        robots_view(site_url=site_url, sitemaps=["sitemap.xml"])


def test_a_date_without_its_offset_is_one_problem_naming_the_article():
    with pytest.raises(WarraqError) as caught:
        aleppo_feed(published="2016-12-06T14:30:00")
    assert str(caught.value) == (
        "articles/حلب-تحت-الحصار/: published: expected a date and time with its offset, "
        "such as 2016-12-06T14:30:00+02:00, got '2016-12-06T14:30:00'")


def plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, (str, int))


def test_views_hold_only_plain_data():
    now = dt.datetime(2016, 12, 6, 15, tzinfo=dt.timezone.utc)
    views = [aleppo_feed(), robots_view(site_url=SITE, sitemaps=["sitemap.xml"]),
             news_sitemap_view(site_url=SITE, publication="وراق", lang="ar",
                               articles=[ALEPPO], now=now)]
    views += [view for _, view in sitemap_views([{"url": "", "lastmod": None}],
                                                [ALEPPO, MUSICIANS])]
    assert all(plain(view) for view in views)
    assert not plain({"when": now})  # the check can fail


# Sitemaps

PAGES = [{"url": "", "lastmod": "2016-12-06T18:05:00+02:00"},
         {"url": "topics/", "lastmod": "2016-12-06T18:05:00+02:00"},
         {"url": "topics/حلب/", "lastmod": "2016-12-06T18:05:00+02:00"},
         {"url": "topics/ثقافة/", "lastmod": None}]


def news(slug: str, published: str, **fields) -> dict:
    return entry(slug, date=published[:10], published=published, **fields)


ARCHIVE = [news("نوفمبر-1", "2016-11-03T08:00:00+02:00"),
           news("نوفمبر-2", "2016-11-30T23:30:00+02:00", updated="2016-12-01T10:00:00+02:00"),
           news("ديسمبر-1", "2016-12-01T09:00:00+02:00"), ALEPPO, MUSICIANS]


def sitemap_views(pages, articles, **kwargs) -> list[tuple[str, dict]]:
    """The index, then every part, as the planner makes them (generator/plan_feeds.py)."""
    parts = sitemap_parts(pages, articles, **kwargs)
    return [("sitemap.xml", index_view(SITE, parts))] + [
        (path, urlset_view(SITE, items)) for path, items in parts]


def rendered_sitemaps(env, articles, pages=PAGES, **kwargs) -> dict[str, bytes]:
    views = sitemap_views(pages, articles, **kwargs)
    return {path: render(env, SITEMAP_TEMPLATES[view["kind"]], view) for path, view in views}


def locs(xml: bytes) -> list[str]:
    return etree.fromstring(xml).xpath("//s:loc/text()", namespaces=SM)


def test_the_index_and_its_parts_validate_and_every_loc_maps_back(env):
    files = rendered_sitemaps(env, ARCHIVE)
    assert list(files) == ["sitemap.xml", "sitemaps/pages.xml", "sitemaps/2016-11.xml",
                           "sitemaps/2016-12.xml"]
    index, urlset = schema("siteindex.xsd"), schema("sitemap.xsd")
    index.assertValid(etree.fromstring(files["sitemap.xml"]))
    assert [site_relative(loc) for loc in locs(files["sitemap.xml"])] == list(files)[1:]
    for path in list(files)[1:]:
        urlset.assertValid(etree.fromstring(files[path]))
    listed = [site_relative(loc) for path in list(files)[1:] for loc in locs(files[path])]
    assert sorted(listed) == sorted([p["url"] for p in PAGES] + [a["url"] for a in ARCHIVE])
    assert [site_relative(loc) for loc in locs(files["sitemaps/2016-11.xml"])] == [
        "articles/نوفمبر-1/", "articles/نوفمبر-2/"]


def test_lastmod_is_updated_else_published_and_the_index_shows_each_parts_newest(env):
    files = rendered_sitemaps(env, ARCHIVE + [dict(news("بلا-تحديث", "2016-11-10T10:00:00+03:00"),
                                                   updated=None)])
    november = etree.fromstring(files["sitemaps/2016-11.xml"])
    assert november.xpath("//s:url/s:lastmod/text()", namespaces=SM) == [
        "2016-11-03T08:00:00+02:00", "2016-11-10T10:00:00+03:00", "2016-12-01T10:00:00+02:00"]
    index = etree.fromstring(files["sitemap.xml"])
    assert index.xpath("//s:sitemap/s:lastmod/text()", namespaces=SM) == [
        "2016-12-06T18:05:00+02:00",  # pages
        "2016-12-01T10:00:00+02:00",  # November: its newest, an update made in December
        "2016-12-06T18:05:00+02:00"]  # December: 16:05 UTC, later than 20:00+05:00 (15:00 UTC)
    pages = etree.fromstring(files["sitemaps/pages.xml"])
    assert len(pages.xpath("//s:url[not(s:lastmod)]", namespaces=SM)) == 1


def test_an_old_months_bytes_stay_the_same_as_news_arrives(env):
    before = rendered_sitemaps(env, ARCHIVE)
    after = rendered_sitemaps(env, ARCHIVE + [news("يناير", "2017-01-02T07:00:00+02:00")])
    assert after["sitemaps/2016-11.xml"] == before["sitemaps/2016-11.xml"]
    assert after["sitemaps/2016-12.xml"] == before["sitemaps/2016-12.xml"]
    assert after["sitemap.xml"] != before["sitemap.xml"]
    assert [site_relative(loc) for loc in locs(after["sitemaps/2017-01.xml"])] == [
        "articles/يناير/"]
    december = rendered_sitemaps(env, ARCHIVE + [news("ديسمبر-2", "2016-12-20T07:00:00+02:00")])
    assert december["sitemaps/2016-11.xml"] == before["sitemaps/2016-11.xml"]
    assert december["sitemaps/2016-12.xml"] != before["sitemaps/2016-12.xml"]


def test_a_month_past_max_urls_is_cut_in_numbered_parts(env):
    december = [news(f"ديسمبر-{day:02}", f"2016-12-{day:02}T10:00:00+02:00") for day in range(1, 6)]
    files = rendered_sitemaps(env, december + ARCHIVE[:1], pages=PAGES[:3], max_urls=2)
    assert list(files) == ["sitemap.xml", "sitemaps/pages.xml", "sitemaps/pages-2.xml",
                           "sitemaps/2016-11.xml", "sitemaps/2016-12.xml",
                           "sitemaps/2016-12-2.xml", "sitemaps/2016-12-3.xml"]
    sizes = [len(locs(files[path])) for path in list(files)[1:]]
    assert sizes == [2, 1, 1, 2, 2, 1]
    schema("siteindex.xsd").assertValid(etree.fromstring(files["sitemap.xml"]))
    assert [site_relative(loc) for loc in locs(files["sitemaps/2016-12-3.xml"])] == [
        "articles/ديسمبر-05/"]
    # chronological order: a later December article changes only the last part
    later = news("ديسمبر-09", "2016-12-09T10:00:00+02:00")
    more = rendered_sitemaps(env, december + ARCHIVE[:1] + [later], pages=PAGES[:3], max_urls=2)
    assert [more[p] == files[p] for p in list(files)[1:]] == [True] * 5 + [False]


def test_the_sitemap_schemas_can_fail(env):
    files = rendered_sitemaps(env, ARCHIVE)
    urlset, index = schema("sitemap.xsd"), schema("siteindex.xsd")
    part = files["sitemaps/2016-12.xml"].decode("utf-8")
    assert urlset.validate(etree.fromstring(part.encode()))
    broken = [part.replace(f"<loc>{SITE}", "<loc>/news/", 1),  # a relative loc
              part.replace("+02:00</lastmod>", "</lastmod>", 1),  # a time without its offset
              part.replace("<lastmod>2016-12-06", "<lastmod>2016-13-06", 1),  # no such month
              part.replace("<loc>", "<where>", 1).replace("</loc>", "</where>", 1)]
    for text in broken:
        assert text != part
        assert not urlset.validate(etree.fromstring(text.encode())), text
    whole = files["sitemap.xml"].decode("utf-8")
    assert index.validate(etree.fromstring(whole.encode()))
    assert not index.validate(etree.fromstring(part.encode()))  # a urlset is not an index
    empty = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    assert not index.validate(etree.fromstring(empty.encode()))


# Google News sitemap

NOW = dt.datetime(2016, 12, 6, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
RECENT = [news("قبل-48-ساعة", "2016-12-04T12:00:00+02:00"),  # exactly 48 h before: in
          news("قبل-48-ساعة-وثانية", "2016-12-04T11:59:59+02:00"),  # one second more: out
          news("اللحظة-ذاتها-utc", "2016-12-04T10:00:00+00:00"),  # the same instant, in UTC: in
          news("الآن", "2016-12-06T12:00:00+02:00"),  # now: in
          news("بعد-ثانية", "2016-12-06T12:00:01+02:00"),  # the future: out
          news("غداً", "2016-12-07T09:00:00+02:00"),  # the future: out
          news("english", "2016-12-05T09:15:00+03:00", lang="en-GB", title="Talks resume"),
          news("أمس", "2016-12-05T22:00:00Z")]


def test_the_news_sitemap_picks_the_last_48_hours_newest_first(env):
    view = news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                             now=NOW)
    xml = render(env, "news_sitemap.xml", view)
    tree = etree.fromstring(xml)
    schema("news.xsd").assertValid(tree)
    assert [site_relative(loc) for loc in locs(xml)] == [
        "articles/الآن/", "articles/أمس/", "articles/english/",
        "articles/اللحظة-ذاتها-utc/", "articles/قبل-48-ساعة/"]
    assert tree.xpath("//n:publication_date/text()", namespaces=SM) == [
        "2016-12-06T12:00:00+02:00", "2016-12-05T22:00:00+00:00", "2016-12-05T09:15:00+03:00",
        "2016-12-04T10:00:00+00:00", "2016-12-04T12:00:00+02:00"]
    assert tree.xpath("//n:language/text()", namespaces=SM) == ["ar", "ar", "en", "ar", "ar"]
    assert set(tree.xpath("//n:name/text()", namespaces=SM)) == {"وراق"}
    assert tree.xpath("//n:title/text()", namespaces=SM)[2] == "Talks resume"


def test_the_news_sitemap_keeps_at_most_limit_and_honours_hours():
    view = news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                             now=NOW, limit=2)
    assert [a["loc"] for a in view["articles"]] == [absolute(SITE, "articles/الآن/"),
                                                    absolute(SITE, "articles/أمس/")]
    day = news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                            now=NOW, hours=24)
    assert [a["loc"] for a in day["articles"]] == [absolute(SITE, "articles/الآن/"),
                                                   absolute(SITE, "articles/أمس/")]


def test_the_news_view_changes_only_with_the_selection():
    def view(articles, now):
        return news_sitemap_view(site_url=SITE, publication="وراق", lang="ar",
                                 articles=articles, now=now)

    quiet = [news("أمس", "2016-12-05T22:00:00Z")]
    assert view(quiet, NOW) == view(quiet, NOW + dt.timedelta(hours=5))
    assert "2016-12-06T12" not in repr(view(quiet, NOW))  # the clock is not in the view
    second_later = view(RECENT, NOW + dt.timedelta(seconds=1))
    assert absolute(SITE, "articles/بعد-ثانية/") in [a["loc"] for a in second_later["articles"]]
    assert absolute(SITE, "articles/قبل-48-ساعة/") not in [
        a["loc"] for a in second_later["articles"]]


def test_an_empty_news_sitemap_is_still_a_valid_urlset(env):
    view = news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                             now=NOW + dt.timedelta(days=30))
    tree = etree.fromstring(render(env, "news_sitemap.xml", view))
    schema("news.xsd").assertValid(tree)
    assert locs(etree.tostring(tree)) == []


def test_the_news_schema_can_fail(env):
    view = news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                             now=NOW)
    good = render(env, "news_sitemap.xml", view).decode("utf-8")
    news_schema = schema("news.xsd")
    assert news_schema.validate(etree.fromstring(good.encode()))
    broken = [good.replace("<news:language>ar<", "<news:language>Arabic<", 1),
              good.replace("+02:00</news:publication_date>", "</news:publication_date>", 1),
              good.replace("<news:title>", "<news:headline>", 1).replace(
                  "</news:title>", "</news:headline>", 1),
              good.replace("<news:name>وراق</news:name>", "<news:name></news:name>", 1),
              good.replace("<loc>", "<loc>articles/", 1)]
    for text in broken:
        assert text != good
        assert not news_schema.validate(etree.fromstring(text.encode())), text


@pytest.mark.parametrize("lang, code", [("ar", "ar"), ("ar-SY", "ar"), ("en_GB", "en"),
                                        ("EN", "en"), ("zh-TW", "zh-tw"), ("zh-Hant", "zh-tw"),
                                        ("zh", "zh-cn"), ("fas", "fas")])
def test_news_languages_are_iso_639_codes(lang, code):
    assert news_language(lang) == code


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        news_sitemap_view(site_url=SITE, publication="وراق", lang="ar", articles=RECENT,
                          now=NOW.replace(tzinfo=None))


# robots.txt

def test_robots_allows_everything_and_names_each_sitemap(env):
    view = robots_view(site_url=SITE, sitemaps=["sitemap.xml", "news-sitemap.xml"])
    text = render(env, "robots.txt", view).decode("utf-8")
    assert text == ("User-agent: *\nAllow: /\n\n"
                    f"Sitemap: {SITE}sitemap.xml\nSitemap: {SITE}news-sitemap.xml\n")
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    assert robots.can_fetch("AnyBot", SITE + "articles/%D8%AD%D9%84%D8%A8/")
    assert robots.site_maps() == [SITE + "sitemap.xml", SITE + "news-sitemap.xml"]


def test_robots_writes_urls_as_text_not_as_markup(env):
    odd = "https://example.org/a&b/"  # a base URL may hold "&"
    text = render(env, "robots.txt", robots_view(site_url=odd, sitemaps=["sitemap.xml"]))
    assert f"Sitemap: {odd}sitemap.xml\n".encode() in text
