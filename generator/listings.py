"""Listings that stay put: paginated lists of article cards, numbered from the oldest.

Page 1 of a listing holds its oldest articles, page 2 the next ones, and the
highest-numbered page the newest, so a page, once full, never changes again:
a link to ``page/7/`` keeps showing the same articles for readers, caches
and crawlers, however much news arrives. The listing's own URL (the front
of the site, a topic's page) shows the newest articles: the newest page and,
while that one is not yet full, the page before it, so it always shows at
least a page's worth. Pagination links only to pages near the current one,
to the first, and to the listing's front, never to the last page: the last
page number changes as news arrives and would rewrite every page.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_LINKS_AROUND = 2
FRONT = 0  # the number of a listing's own page (its URL has no page/N/)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: ``slugs`` are all of the listing's, newest first;
    ``number`` is FRONT or 1 (the oldest articles) … ``last``."""

    base: str
    slugs: tuple[str, ...]
    number: int
    per_page: int
    extra: tuple[tuple[str, object], ...]  # fixed view fields: kind, name …

    @property
    def last(self) -> int:
        return last_page(len(self.slugs), self.per_page)

    @property
    def url(self) -> str:
        return page_url(self.base, self.number)

    def chunk(self) -> tuple[str, ...]:
        """The slugs this page shows, newest first."""
        if self.number == FRONT:
            return front_chunk(self.slugs, self.per_page)
        return numbered_chunk(self.slugs, self.per_page, self.number)


@dataclass(frozen=True)
class Listed:
    """All one listing page shows of its listing but its cards' contents:
    what the plan hands its view, so an old page, once full, plans equal."""

    number: int
    chunk: tuple[str, ...]  # the slugs it shows, newest first
    pagination: dict
    count: int | None  # the whole listing's, on its front only
    extra: tuple[tuple[str, object], ...]


def listed(listing: ListingPage) -> Listed:
    count = len(listing.slugs) if listing.number == FRONT else None
    return Listed(listing.number, listing.chunk(), pagination(listing), count, listing.extra)


def last_page(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def page_url(base: str, number: int) -> str:
    return base if number == FRONT else f"{base}page/{number}/"


def listing_pages(base: str, slugs: tuple[str, ...], per_page: int,
                  **extra: object) -> list[ListingPage]:
    """The front page of the listing, then its pages 1 … last."""
    last = last_page(len(slugs), per_page)
    return [ListingPage(base, slugs, number, per_page, tuple(extra.items()))
            for number in (FRONT, *range(1, last + 1))]


def numbered_chunk(slugs: tuple[str, ...], per_page: int, number: int) -> tuple[str, ...]:
    """Page ``number`` counted from the oldest: the same slugs whatever is added later."""
    end = len(slugs) - (number - 1) * per_page
    return slugs[max(0, end - per_page):max(0, end)]


def front_pages(count: int, per_page: int) -> int:
    """How many numbered pages a listing's front shows: the newest, and the
    one before it while the newest is not full."""
    last = last_page(count, per_page)
    return 2 if last > 1 and count - (last - 1) * per_page < per_page else 1


def front_chunk(slugs: tuple[str, ...], per_page: int) -> tuple[str, ...]:
    """The slugs of the front's pages, newest first."""
    last = last_page(len(slugs), per_page)
    return tuple(slug for number in range(last, last - front_pages(len(slugs), per_page), -1)
                 for slug in numbered_chunk(slugs, per_page, number))


def pagination(listing: ListingPage) -> dict:
    """Links to newer and older pages and a short window of page numbers;
    None in ``pages`` marks a gap. ``front_url`` leads back to the newest."""
    last, number = listing.last, listing.number
    if number == FRONT:
        older = last - front_pages(len(listing.slugs), listing.per_page)
        return _links(listing.base, FRONT, None, older or None,
                      range(max(1, older - 2 * PAGE_LINKS_AROUND), older + 1))
    newer = number + 1 if number < last else FRONT
    window = range(max(1, number - PAGE_LINKS_AROUND), min(last, number + PAGE_LINKS_AROUND) + 1)
    return _links(listing.base, number, newer, number - 1 or None, window)


def _links(base: str, current: int, newer: int | None, older: int | None,
           window: range) -> dict:
    shown = sorted({1, *window} if window else set())
    pages: list[dict | None] = []
    for page in shown:
        if pages and page - pages[-1]["number"] > 1:
            pages.append(None)
        pages.append({"number": page, "url": page_url(base, page)})
    return {"current": current, "front_url": base,
            "prev_url": None if newer is None else page_url(base, newer),
            "next_url": None if older is None else page_url(base, older),
            "pages": pages[::-1]}  # newest first, as the cards are
