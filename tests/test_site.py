"""build_site: distinct slugs, read-also resolution, backlinks, topics and order."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from generator.config import Config
from generator.models import Article, Block, ReadAlsoRef
from generator.site import build_site
from generator.text import normalise

CONFIG = Config(topics=(("الولايات المتحدة", ("واشنطن",)), ("حلب", ("حلب",))))
CAMPS = "أكثر من 50 ألف نازح سوري يعيشون في مخيمات رديئة تملؤها الوحول في محافظة إدلب"


def article(source: str, title: str, date: str = "2016-12-01", *, slug: str | None = None,
            refs: tuple[str, ...] = (), topics: tuple[str, ...] = ()) -> Article:
    read_also = tuple(ReadAlsoRef(target=t, line=10 + i, label=t) for i, t in enumerate(refs))
    return Article(
        source=source, slug=slug or source.rsplit("/", 1)[-1].split(".")[0],
        title=title, date=dt.date.fromisoformat(date), lang="ar", dir="rtl",
        refs=read_also, topics=topics, summary="",
        attribution=None, author=None, image=None, title_key=normalise(title))


def messages(site) -> list[str]:
    return [str(p) for p in site.problems]


def resolve_one(target: str, *others: Article):
    """(resolved slug, problem texts) for one reference from a fresh article."""
    source = article("content/ref.md", "مقال يحيل إلى غيره", "2016-12-09", refs=(target,))
    site = build_site([source, *others], CONFIG)
    return site.resolved["ref"][0], messages(site)


# --- slugs -----------------------------------------------------------------

def test_slug_collisions_get_numbers_by_source_path_and_name_both_sources():
    articles = [article(f"content/{name}.md", f"عنوان {name}", slug="حلب")
                for name in ("c", "a", "b")]
    site = build_site(articles, CONFIG)
    by_source = {a.source: slug for slug, a in site.articles.items()}
    assert by_source == {"content/a.md": "حلب", "content/b.md": "حلب-2",
                         "content/c.md": "حلب-3"}
    assert messages(site) == [
        "content/b.md:1: warning: slug 'حلب' is also used by content/a.md; "
        "this article gets 'حلب-2'",
        "content/c.md:1: warning: slug 'حلب' is also used by content/a.md; "
        "this article gets 'حلب-3'",
    ]


def test_slug_numbering_does_not_depend_on_input_order():
    articles = [article(f"content/{n}.md", f"عنوان {n}", slug="x") for n in "abc"]
    first = build_site(articles, CONFIG)
    second = build_site(list(reversed(articles)), CONFIG)
    assert first.articles == second.articles and first.problems == second.problems


def test_duplicate_headline_warns_naming_the_other_file():
    site = build_site([article("content/old.md", CAMPS, "2016-12-01"),
                       article("content/new.md", CAMPS, "2016-12-03")], CONFIG)
    assert messages(site) == [
        "content/old.md:1: warning: duplicate headline: content/new.md has the same one; "
        "read-also by this headline links the newer article"]


def test_duplicate_headline_resolves_to_the_newer_article():
    older = article("content/old.md", CAMPS, "2016-12-01")
    newer = article("content/new.md", CAMPS, "2016-12-03")
    assert resolve_one(CAMPS, older, newer)[0] == "new"


# --- read-also resolution --------------------------------------------------

@pytest.mark.parametrize("target", [
    CAMPS,
    CAMPS.replace("ألف", "الف"),
    "أَكْثَرُ مِنْ 50 أَلْفَ نَازِحٍ سُورِيٍّ يعيشون في مخيمات رديئة تملؤها الوحول في محافظة إدلب",
    CAMPS.replace("إدلب", "ادلب"),
    "  " + CAMPS + "  ",
], ids=["exact", "alef-without-hamza", "tashkeel", "idlib-without-hamza", "spaces"])
def test_read_also_resolves_by_normalised_headline(target):
    camps = article("content/camps.md", CAMPS, slug="camps")
    assert resolve_one(target, camps) == ("camps", [])


@pytest.mark.parametrize("target", [
    "مخيمات-إدلب",
    "/articles/مخيمات-إدلب/",
    "https://example.org/repo/articles/" + quote("مخيمات-إدلب") + "/",
], ids=["slug", "site-url", "full-encoded-url"])
def test_read_also_resolves_by_slug_and_url(target):
    camps = article("content/camps.md", CAMPS, slug="مخيمات-إدلب")
    assert resolve_one(target, camps) == ("مخيمات-إدلب", [])


def test_read_also_resolves_a_url_ending_in_index_html():
    camps = article("content/camps.md", CAMPS, slug="مخيمات-إدلب")
    assert resolve_one("/articles/مخيمات-إدلب/index.html", camps)[0] == "مخيمات-إدلب"


def test_read_also_resolves_by_unique_prefix_of_four_words():
    camps = article("content/camps.md", CAMPS, slug="camps")
    assert resolve_one("أكثر من 50 ألف نازح", camps)[0] == "camps"


def test_short_or_ambiguous_prefix_does_not_resolve():
    camps = article("content/camps.md", CAMPS, slug="camps")
    other = article("content/other.md", "أكثر من 50 ألف نازح في تركيا", slug="other")
    assert resolve_one("أكثر من 50", camps)[0] is None
    assert resolve_one("أكثر من 50 ألف نازح", camps, other)[0] is None


def test_unresolved_read_also_is_a_warning_with_file_and_line():
    target, problems = resolve_one("عنوان لا وجود له في الأرشيف")
    assert target is None
    assert problems == ["content/ref.md:10: warning: read also: no article matches "
                        "'عنوان لا وجود له في الأرشيف'; shown as plain text"]


def test_self_reference_is_dropped_with_a_warning():
    camps = article("content/camps.md", CAMPS, slug="camps", refs=(CAMPS, "camps"))
    site = build_site([camps], CONFIG)
    assert site.resolved["camps"] == (None, None)
    assert messages(site) == [
        "content/camps.md:10: warning: read also points to this article itself; dropped",
        "content/camps.md:11: warning: read also points to this article itself; dropped"]


# --- backlinks, topics, order ----------------------------------------------

def test_backlinks_are_unique_newest_first_and_only_of_linked_articles():
    target = article("content/t.md", CAMPS, "2016-12-01", slug="t")
    older = article("content/o.md", "مقال أقدم", "2016-12-02", refs=("t", CAMPS))
    newer = article("content/n.md", "مقال أحدث", "2016-12-05", refs=("t",))
    site = build_site([older, target, newer], CONFIG)
    assert site.backlinks == {"t": ("n", "o")}


def test_topics_group_articles_newest_first_with_configured_names():
    articles = [article("content/a.md", "أ", "2016-12-01", topics=("حلب", "الولايات المتحدة")),
                article("content/b.md", "ب", "2016-12-04", topics=("حلب",)),
                article("content/c.md", "ج", "2016-12-02", topics=("حَلَب",))]
    site = build_site(articles, CONFIG)
    assert set(site.topics) == {"حلب", "الولايات-المتحدة"}
    assert site.topics["حلب"].articles == ("b", "c", "a")
    assert site.topics["حلب"].name == "حلب"  # the configured spelling, not "حَلَب"
    assert site.topics["الولايات-المتحدة"].name == "الولايات المتحدة"
    assert site.topics["الولايات-المتحدة"].articles == ("a",)


def test_topic_lists_an_article_once_when_two_names_share_a_slug():
    site = build_site([article("content/a.md", "أ", topics=("مَضايا", "مضايا"))], CONFIG)
    assert site.topics["مضايا"].articles == ("a",)


def test_order_is_newest_first_then_slug():
    articles = [article("content/1.md", "أ", "2016-12-01", slug="b"),
                article("content/2.md", "ب", "2016-12-03", slug="z"),
                article("content/3.md", "ج", "2016-12-01", slug="a")]
    assert build_site(articles, CONFIG).order == ("z", "a", "b")


def test_a_reference_to_nowhere_is_quoted_short_in_its_warning(tmp_path):
    from generator.site import _shortened
    assert _shortened("خبر " * 100) == ("خبر " * 20)[:79] + "…"
    assert _shortened("  خبر\n قصير ") == "خبر قصير"
