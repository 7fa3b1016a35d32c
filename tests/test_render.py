"""render: the URL helper, <bdi> isolation, CLDR dates, rendered pages and template errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator.build import build
from generator.errors import WarraqError
from generator.render import isolate, url_for

ARABIC = """---
title: "1.5 مليون طفل سوري خارج المدارس"
date: 2016-12-05
slug: children
---

نص الخبر.

اقرأ أيضاً: عنوان لا وجود له في الأرشيف
"""
ENGLISH = """---
title: "Aleppo musicians play for displaced families"
date: 2016-12-06
lang: en
slug: musicians
---

Musicians from Aleppo played old songs.
"""


class Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str) -> dict:
        return next(attrs for name, attrs in self.tags if name == tag)


@pytest.fixture
def built(make_site, tmp_path):
    build(make_site({"content/a.md": ARABIC, "content/b.md": ENGLISH}))
    return lambda slug: (tmp_path / f"_site/articles/{slug}/index.html").read_text("utf-8")


@pytest.mark.parametrize("base, path, expected", [
    ("/", "articles/حلب/", "/articles/%D8%AD%D9%84%D8%A8/"),
    ("/repo/", "articles/حلب/", "/repo/articles/%D8%AD%D9%84%D8%A8/"),
    ("/repo/", "/static/style.css", "/repo/static/style.css"),
    ("/repo/", "", "/repo/"),
    ("/repo/", "https://example.org/حلب", "https://example.org/حلب"),
    ("/repo/", "http://example.org/a b", "http://example.org/a b"),
])
def test_url_for(base, path, expected):
    assert url_for(base, path) == expected


@pytest.mark.parametrize("text, expected", [
    ("1.5 مليون طفل", "<bdi>1.5</bdi> مليون طفل"),
    ("UNICEF تحذر من البرد", "<bdi>UNICEF</bdi> تحذر من البرد"),
    ("قال John Kerry.", "قال <bdi>John Kerry</bdi>."),
    ("حلب", "حلب"),
    ("<script> & AT&T", "&lt;<bdi>script</bdi>&gt; &amp; <bdi>AT&amp;T</bdi>"),
    # joiners stay inside a run, never at its end; a space joins only before a letter
    ("بنسبة 50% of it", "بنسبة <bdi>50% of it</bdi>"),
    ("e.g. x و", "<bdi>e.g. x</bdi> و"),
    ("COVID-19. ثم", "<bdi>COVID-19</bdi>. ثم"),
    ("x-- و a .b", "<bdi>x</bdi>-- و <bdi>a</bdi> .<bdi>b</bdi>"),
    ("a  b", "<bdi>a</bdi>  <bdi>b</bdi>"),
    ("Rock'n'roll’ و", "<bdi>Rock&#39;n&#39;roll</bdi>’ و"),
    # no Latin letter or digit anywhere: escaped, nothing isolated
    ("«حلب» <تقرير> & \"صور\"", "«حلب» &lt;تقرير&gt; &amp; &#34;صور&#34;"),
    ("x" + "ب" * 400, "<bdi>x</bdi>" + "ب" * 400),  # a paragraph, past the memo's length
    ("ب" * 400 + " <1>", "ب" * 400 + " &lt;<bdi>1</bdi>&gt;"),
])
def test_isolate_wraps_latin_and_digit_runs(text, expected):
    assert str(isolate(text)) == expected


@pytest.mark.parametrize("style, month", [("ar", "ديسمبر"), ("levant", "كانون الأول"),
                                          ("both", "كانون الأول/ديسمبر")])
def test_the_long_date_filter_writes_the_configured_month_names(make_site, style, month):
    config = make_site({}, f'fallback_date = "2016-12-06"\nmonth_names = "{style}"\n')
    from generator.render import make_environment
    render = make_environment(config).from_string("{{ '2016-12-06'|long_date }}").render
    assert render() == f"6 {month} 2016"


def test_page_is_rtl_and_the_headline_has_an_explicit_direction(built):
    page = built("children")
    tags = Tags(page)
    assert tags.first("html") == {"lang": "ar", "dir": "rtl"}
    assert tags.first("h1")["dir"] == "rtl"
    assert 'dir="auto"' not in page
    assert tags.first("time")["datetime"] == "2016-12-05T00:00:00+00:00"  # with its zone
    assert "<bdi>1.5</bdi> مليون" in page


def test_english_article_is_marked_ltr_inside_the_arabic_site(built):
    tags = Tags(built("musicians"))
    assert tags.first("html") == {"lang": "ar", "dir": "rtl"}
    assert {"lang": "en", "dir": "ltr"}.items() <= tags.first("article").items()
    assert tags.first("h1")["dir"] == "ltr"


def test_unresolved_read_also_is_plain_text(built):
    block = re.search(r'<p class="read-also-unresolved">(.*?)</p>', built("children"), re.S)
    assert block and "عنوان لا وجود له في الأرشيف" in block[1]
    assert "<a" not in block[1]


def build_with(make_site, template: str, text: str):
    config = make_site({"content/a.md": ARABIC, f"templates/{template}": text})
    with pytest.raises(WarraqError) as caught:
        build(config)
    return caught.value


def test_template_syntax_error_is_exit_2_with_file_and_line(make_site):
    error = build_with(make_site, "404.html", '{% extends "base.html" %}\n\n{% if %}\n')
    assert error.exit_code == 2
    assert str(error).startswith("templates/404.html:3: template: ")


def test_undefined_name_in_a_template_is_exit_2_with_file_and_line(make_site):
    error = build_with(make_site, "404.html", '{% extends "base.html" %}\n'
                       "{% block main %}\n{{ page.missing }}\n{% endblock %}\n")
    assert error.exit_code == 2
    assert str(error).startswith("templates/404.html:3: template: ")
    assert "missing" in str(error)


def test_error_in_a_partial_names_the_partial(make_site):
    card = "{{ block.missing }}\n"
    error = build_with(make_site, "partials/read_also_card.html", card)
    assert str(error).startswith("templates/partials/read_also_card.html:1: template: ")


def test_error_raised_by_a_filter_is_a_template_error(make_site):
    error = build_with(make_site, "404.html", '{% extends "base.html" %}\n'
                       '{% block main %}\n{{ "عنوان"|long_date }}\n{% endblock %}\n')
    assert error.exit_code == 2


def test_article_with_a_region_tagged_language_builds(make_site, tmp_path):
    british = ENGLISH.replace("lang: en", "lang: en-GB")
    build(make_site({"content/b.md": british}))
    page = (tmp_path / "_site/articles/musicians/index.html").read_text("utf-8")
    assert "December" in page


def test_an_article_in_a_language_cldr_lacks_is_dated_in_the_sites(make_site, tmp_path):
    build(make_site({"content/b.md": ENGLISH.replace("lang: en", "lang: xx")}))
    page = (tmp_path / "_site/articles/musicians/index.html").read_text("utf-8")
    assert ">الثلاثاء 6 ديسمبر 2016</time>" in page  # the site's own language, Arabic


def test_template_digests_follow_includes_imports_and_fragments(make_site, tmp_path):
    from generator.render import make_environment, template_digests
    config = make_site({})
    before = template_digests(make_environment(config))
    card = tmp_path / "templates/partials/article_card.html"
    card.write_text(card.read_text("utf-8") + "\n{# edited #}\n", "utf-8")
    after = template_digests(make_environment(config))
    changed = {name for name in before if before[name] != after[name]}
    assert {"index.html", "topic.html", "partials/article_card.html"} <= changed
    assert "article.html" not in changed and "404.html" not in changed
    words = tmp_path / "templates/words.toml"
    words.write_text(words.read_text("utf-8") + "\n# reworded\n", "utf-8")
    reworded = template_digests(make_environment(config))
    assert all(reworded[name] != after[name] for name in after)


def test_fragment_renders_once_per_distinct_arguments(make_site, tmp_path):
    from generator.render import make_environment
    config = make_site({})
    (tmp_path / "templates/partials/counted.html").write_text(
        "{% macro shown(card) %}{{ card.title }}#{{ tick() }}{% endmacro %}", "utf-8")
    env = make_environment(config)
    calls = []
    env.globals["tick"] = lambda: calls.append(1) or len(calls)
    fragment = env.globals["fragment"]
    card = {"title": "حلب", "topics": [{"name": "سوريا"}]}
    assert fragment("partials/counted.html", "shown", card) == "حلب#1"
    assert fragment("partials/counted.html", "shown", card) == "حلب#1"
    assert fragment("partials/counted.html", "shown", dict(card)) == "حلب#1"  # equal: same
    other = {"title": "حلب", "topics": [{"name": "لبنان"}]}
    assert fragment("partials/counted.html", "shown", other) == "حلب#2"  # differs deep down
    assert fragment("partials/counted.html", "shown", {"title": "دمشق"}) == "دمشق#3"
    assert len(calls) == 3


def test_helpers_are_called_straight_and_other_callables_as_jinja2_calls_them(make_site):
    import jinja2
    from generator.render import make_environment
    env = make_environment(make_site({}))
    env.globals["where"] = jinja2.pass_context(lambda context, key: context[key])
    env.globals["double"] = lambda text: text * 2
    template = env.from_string(
        "{% macro m() %}M{% endmacro %}{% for x in ['a'] %}{{ url('p/') }} "
        "{{ where('y') }} {{ double(x) }} {{ t('home') }} {{ m() }}{% endfor %}")
    assert template.render(y="Y") == "/p/ Y aa الرئيسية M"
