"""Listings numbered from the oldest: a full page never changes as news arrives."""

from __future__ import annotations

import pytest

from generator.listings import (FRONT, front_chunk, last_page, listing_pages, numbered_chunk,
                                page_url, pagination)


def newest_first(count: int) -> tuple[str, ...]:
    """Slugs a1 (oldest) … a<count> (newest), newest first, as listings hold them."""
    return tuple(f"a{n}" for n in range(count, 0, -1))


def pages_of(count: int, per_page: int) -> dict[int, tuple[str, ...]]:
    return {page.number: page.chunk() for page in listing_pages("", newest_first(count), per_page)}


def test_page_one_holds_the_oldest_and_the_last_the_newest():
    pages = pages_of(25, 10)
    assert set(pages) == {FRONT, 1, 2, 3}
    assert pages[1] == tuple(f"a{n}" for n in range(10, 0, -1))
    assert pages[2] == tuple(f"a{n}" for n in range(20, 10, -1))
    assert pages[3] == ("a25", "a24", "a23", "a22", "a21")


@pytest.mark.parametrize("per_page", [1, 3, 10, 20])
def test_a_full_page_keeps_its_articles_however_many_are_added(per_page):
    before = pages_of(47, per_page)
    for added in (1, per_page - 1, per_page, 5 * per_page + 3):
        after = pages_of(47 + added, per_page)
        full = [n for n in before if n != FRONT and len(before[n]) == per_page]
        assert full, "no full page to compare"
        assert all(after[n] == before[n] for n in full)


def test_the_front_shows_at_least_a_page_and_never_two():
    for count in range(0, 64):
        shown = front_chunk(newest_first(count), 10)
        assert len(shown) == min(count, max(10, len(shown)))
        assert len(shown) < 20
        assert shown == newest_first(count)[:len(shown)]  # the newest, in order


def test_the_front_links_the_first_page_it_does_not_show():
    slugs = newest_first(25)  # pages 1 (a1-a10), 2 (a11-a20), 3 (a21-a25)
    front = listing_pages("topics/x/", slugs, 10)[0]
    assert front.chunk() == newest_first(25)[:15]  # page 3 and page 2
    links = pagination(front)
    assert links["next_url"] == "topics/x/page/1/"
    assert links["prev_url"] is None


def test_a_full_newest_page_is_the_front_alone():
    front = listing_pages("", newest_first(30), 10)[0]
    assert front.chunk() == newest_first(30)[:10]
    assert pagination(front)["next_url"] == "page/2/"


def test_pagination_of_a_numbered_page_never_names_the_last_page():
    """Page 3's links must not change when page 9 appears."""
    def links(count):
        page = next(p for p in listing_pages("", newest_first(count), 10) if p.number == 3)
        return pagination(page)

    assert links(80) == links(90) == links(200)
    assert links(80)["prev_url"] == "page/4/" and links(80)["next_url"] == "page/2/"
    assert [p and p["number"] for p in links(80)["pages"]] == [5, 4, 3, 2, 1]


def test_the_newest_numbered_page_leads_back_to_the_front():
    last = listing_pages("topics/x/", newest_first(25), 10)[-1]
    assert last.number == 3
    assert pagination(last)["prev_url"] == "topics/x/"
    assert pagination(last)["next_url"] == "topics/x/page/2/"
    first = listing_pages("topics/x/", newest_first(25), 10)[1]
    assert pagination(first)["next_url"] is None


def test_a_gap_in_the_window_is_marked():
    page = next(p for p in listing_pages("", newest_first(200), 10) if p.number == 9)
    numbers = [p and p["number"] for p in pagination(page)["pages"]]
    assert numbers == [11, 10, 9, 8, 7, None, 1]


def test_an_empty_listing_has_a_front_and_one_empty_page():
    pages = pages_of(0, 10)
    assert pages == {FRONT: (), 1: ()}
    assert last_page(0, 10) == 1


def test_urls():
    assert page_url("topics/x/", FRONT) == "topics/x/"
    assert page_url("topics/x/", 1) == "topics/x/page/1/"
    assert numbered_chunk(newest_first(5), 10, 2) == ()
