"""aliases: an article's old addresses get redirect pages; collisions are errors."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from generator.build import build, check
from generator.errors import WarraqError
from generator.problems import summarise

OLD_ARABIC = "/2016/12/06/إجلاء-حلب/"
CONFIG = 'fallback_date = "2016-12-06"\nsite_url = "https://example.org/news/"\n'


def md(slug: str, aliases: str, extra: str = "lang: ar\n") -> str:
    return (f"---\ntitle: خبر {slug}\ndate: 2016-12-06\nslug: {slug}\n{extra}"
            f"aliases: {aliases}\n---\n\nنص الخبر {slug}.\n")


FILES = {
    "content/a.md": md("aleppo", f'["/2016/12/06/old-slug/", "{quote(OLD_ARABIC)}", '
                                 '"https://old.example.org/archives/12.html"]'),
    "content/b.md": md("siege", f'["{OLD_ARABIC.replace("حلب", "الحصار")}"]', "lang: en\n"),
}


def redirect_of(html: str) -> dict[str, str]:
    """What a redirect page says: where it sends the reader, and how."""
    found = {
        "refresh": re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)[1],
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)">', html)[1],
        "link": re.search(r'<body>\n<p>[^<]*<a href="([^"]+)">', html)[1],
        "robots": re.search(r'<meta name="robots" content="([^"]+)">', html)[1],
        "html": re.search(r"<html [^>]+>", html)[0],
    }
    return found


def test_every_alias_redirects_to_its_article(make_site, tmp_path):
    build(make_site(FILES, config=CONFIG))
    site = tmp_path / "_site"
    aleppo = "/news/articles/aleppo/"
    expected = {"refresh": aleppo, "canonical": "https://example.org" + aleppo,
                "link": aleppo, "robots": "noindex", "html": '<html lang="ar" dir="rtl">'}
    for path in ("2016/12/06/old-slug/index.html", "2016/12/06/إجلاء-حلب/index.html",
                 "archives/12.html"):
        assert redirect_of((site / path).read_text("utf-8")) == expected, path
    siege = redirect_of((site / "2016/12/06/إجلاء-الحصار/index.html").read_text("utf-8"))
    assert (siege["refresh"], siege["html"]) == ("/news/articles/siege/",
                                                 '<html lang="en" dir="ltr">')
    assert (site / "articles/aleppo/index.html").is_file()


def test_redirect_pages_are_minimal_and_not_in_the_sitemaps(make_site, tmp_path):
    build(make_site(FILES, config=CONFIG))
    site = tmp_path / "_site"
    page = (site / "2016/12/06/old-slug/index.html").read_text("utf-8")
    assert "breaking" not in page and "masthead" not in page
    assert "خبر <bdi>aleppo</bdi></a>" in page
    maps = "".join(p.read_text("utf-8") for p in site.rglob("*.xml"))
    assert "articles/aleppo/" in maps
    assert "old-slug" not in maps and "archives/12" not in maps
    assert quote("إجلاء").lower() not in maps.lower()


def test_an_alias_on_a_real_page_is_an_error_naming_both(make_site):
    files = {"content/a.md": md("aleppo", "[/topics/]"),
             "content/b.md": md("siege", "[/articles/aleppo/]")}
    with pytest.raises(WarraqError) as caught:
        check(make_site(files))
    assert [str(p) for p in caught.value.problems] == [
        "content/a.md:6: aliases: '/topics/' is taken by the page /topics/",
        "content/b.md:6: aliases: '/articles/aleppo/' is taken by content/a.md"]


def test_two_articles_with_one_alias_is_an_error_naming_both(make_site):
    files = {"content/a.md": md("aleppo", "[/old/]"),
             "content/b.md": md("siege", "['/old']", "author: ع\n")}
    with pytest.raises(WarraqError) as caught:
        build(make_site(files))
    assert [str(p) for p in caught.value.problems] == [
        "content/b.md:6: aliases: '/old/' is taken by an alias in content/a.md:6"]


@pytest.mark.parametrize("alias, message", [
    ("/", "aliases: '/': it is the home page"),
    ("/?p=12", "aliases: '/?p=12': a query ('?…') cannot be redirected by a static site"),
    ("/a/../b/", "aliases: '/a/../b/': '.', '..' and empty segments are not allowed"),
    ("/a//b/", "aliases: '/a//b/': '.', '..' and empty segments are not allowed"),
])
def test_an_alias_that_cannot_be_a_page_is_an_error_at_its_line(make_site, alias, message):
    with pytest.raises(WarraqError) as caught:
        check(make_site({"content/a.md": md("aleppo", f"['{alias}']")}))
    assert [str(p) for p in caught.value.problems] == [f"content/a.md:6: {message}"]


def test_a_removed_alias_removes_its_page_and_an_added_one_is_made(make_site, tmp_path):
    config = make_site(FILES, config=CONFIG)
    build(config)
    (tmp_path / "content/a.md").write_text(md("aleppo", "[/new-old/]"), "utf-8")
    report = build(config)
    site = tmp_path / "_site"
    assert not (site / "2016/12/06/old-slug/index.html").exists()
    assert "2016/12/06/old-slug/index.html" in report.removed
    assert redirect_of((site / "new-old/index.html").read_text("utf-8"))["refresh"] == \
        "/news/articles/aleppo/"


def test_hugo_front_matter_builds_topics_summary_and_update(make_site, tmp_path):
    files = {f"content/{n}.md": ("---\ntitle: خبر رقم " + str(n) + "\ndate: 2016-12-0" + str(n)
                                 + "\nlastmod: 2016-12-09 10:00\ndescription: وصف الخبر\n"
                                 "tags: [حلب]\ncategories: [سوريا]\nkeywords: [x]\nweight: 3\n"
                                 "---\n\nنص الخبر.\n") for n in range(1, 6)}
    report = build(make_site(files))
    site = tmp_path / "_site"
    assert (site / "topics/حلب/index.html").is_file()
    assert (site / "topics/سوريا/index.html").is_file()
    page = (site / "articles/خبر-رقم-1/index.html").read_text("utf-8")
    assert "وصف الخبر" in page and "2016-12-09T10:00" in page
    assert sum(not p.is_error for p in report.problems) == 10  # the report holds them all
    warnings = [str(p) for p in summarise(report.problems) if not p.is_error]  # as shown
    assert [w.split(" (known:")[0] for w in warnings] == [
        "content/1.md:8: warning: unknown field 'keywords' ignored",
        "content/1.md:9: warning: unknown field 'weight' ignored"]
    assert all(w.endswith("(in 5 files, first: content/1.md:8)") for w in warnings[:1])
