"""plan_pages: output paths, pagination and the article view's read-also and backlinks."""

from __future__ import annotations

import pytest

from generator.bodies import BodyStore
from generator.build import load_site
from generator.models import Body
from generator.outputs import with_bodies
from generator.plan import plan_pages

CONFIG = 'fallback_date = "2016-12-06"\nper_page = 2\nrelated_count = 4\n'


def md(slug: str, date: str, read_also: tuple[str, ...] = (), body: str = "نص الخبر.") -> str:
    refs = "".join(f'\n  - "{r}"' for r in read_also) or " []"
    return (f'---\ntitle: "خبر {slug} عن حلب"\ndate: {date}\nslug: {slug}\n'
            f'topics: ["حلب"]\nread_also:{refs}\n---\n\n{body}\n')


FILES = {
    "content/a.md": md("a", "2016-12-05", ("خبر c عن حلب", "b", "articles/c/"),
                       "فقرة أولى.\n\nاقرأ أيضاً: عنوان لا وجود له\n\nاقرأ أيضاً: خبر d عن حلب\n"),
    "content/b.md": md("b", "2016-12-04"),
    "content/c.md": md("c", "2016-12-01", ("a",)),
    "content/d.md": md("d", "2016-12-06", ("a", "a")),
    "content/e.md": md("e", "2016-12-02"),
}


@pytest.fixture
def planned(make_site):
    config = make_site(FILES, CONFIG)
    loaded = load_site(config)
    pages = plan_pages(loaded.site, config, loaded.digests)
    store = BodyStore(None, config)  # bodies are read again, as without a cache
    return loaded.site, {page.output_path: page for page in pages}, pages, store


def test_output_paths(planned):
    _, by_path, _, _ = planned
    assert set(by_path) == {
        "index.html", "page/1/index.html", "page/2/index.html", "page/3/index.html",
        *(f"articles/{s}/index.html" for s in "abcde"),
        "topics/حلب/index.html", "topics/حلب/page/1/index.html",
        "topics/حلب/page/2/index.html", "topics/حلب/page/3/index.html",
        "topics/index.html", "404.html", "manifest.webmanifest", "search/index.html",
        "archive/index.html", "archive/2016/index.html", "archive/2016/12/index.html",
        *(f"archive/2016/12/page/{n}/index.html" for n in (1, 2, 3))}


def test_no_two_pages_share_an_output_path(planned):
    _, by_path, pages, _ = planned
    assert len(by_path) == len(pages)


def test_listing_pages_count_from_the_oldest(planned):
    """d a b e c, newest first, two to a page: page 1 holds the oldest (e c)."""
    _, by_path, _, _ = planned

    def urls(path):
        return [c["url"] for c in by_path[path].view["articles"]]

    assert urls("page/1/index.html") == ["articles/e/", "articles/c/"]
    assert urls("page/2/index.html") == ["articles/a/", "articles/b/"]
    assert urls("page/3/index.html") == ["articles/d/"]
    assert urls("topics/حلب/index.html") == ["articles/d/", "articles/a/", "articles/b/"]
    pagination = [by_path[p].view["pagination"]
                  for p in ("page/1/index.html", "page/2/index.html", "page/3/index.html")]
    assert [(p["prev_url"], p["next_url"]) for p in pagination] == [
        ("page/2/", None), ("page/3/", "page/1/"), ("", "page/2/")]
    topic_front = by_path["topics/حلب/index.html"].view
    assert topic_front["pagination"]["next_url"] == "topics/حلب/page/1/"
    assert topic_front["count"] == 5
    assert "count" not in by_path["topics/حلب/page/2/index.html"].view  # it would change


def test_read_also_is_explicit_then_related(planned):
    site, by_path, _, _ = planned
    urls = [card["url"] for card in by_path["articles/a/index.html"].view["read_also"]]
    # body lines first, then front matter; the repeated c is shown once
    explicit = ["articles/d/", "articles/c/", "articles/b/"]
    related = [f"articles/{s}/" for s in site.related["a"]]
    assert urls == explicit + [u for u in related if u not in explicit]
    assert urls == explicit + ["articles/e/"]


def test_backlinks_are_in_the_view(planned):
    _, by_path, _, _ = planned
    backlinks = by_path["articles/a/index.html"].view["backlinks"]
    assert [card["url"] for card in backlinks] == ["articles/d/", "articles/c/"]
    assert backlinks[0]["title"] == "خبر d عن حلب"


def test_inline_read_also_blocks_keep_position_label_and_card(planned):
    _, by_path, _, store = planned
    view = by_path["articles/a/index.html"].view
    assert isinstance(view["body"], Body)  # in the view: the body's source and digest
    blocks = with_bodies(view, store)["body"]
    assert [b["kind"] for b in blocks] == ["html", "read_also", "read_also"]
    unresolved, resolved = blocks[1], blocks[2]
    assert view["labels"][unresolved["ref"]] == "عنوان لا وجود له"
    assert view["inline_cards"][unresolved["ref"]] is None
    assert view["labels"][resolved["ref"]] == "خبر d عن حلب"
    card = view["inline_cards"][resolved["ref"]]
    assert card["url"] == "articles/d/"
    assert card["topics"] == [{"name": "حلب", "url": "topics/حلب/"}]
