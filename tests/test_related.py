"""compute_related: ranking by shared topics and terms, ties, determinism, bounded work."""

from __future__ import annotations

import datetime as dt

import generator.parallel as parallel
import generator.related as related
from generator.models import Article
from generator.related import compute_related

START = dt.date(2016, 1, 1)


def article(slug: str, day: int, topics=("حلب",), terms=()) -> Article:
    return Article(
        source=f"content/{slug}.md", slug=slug, title=slug, date=START + dt.timedelta(days=day),
        lang="ar", dir="rtl", refs=(), topics=tuple(topics), summary="",
        attribution=None, author=None, image=None, title_key=slug, terms=tuple(terms))


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.toordinal(), a.slug))


def test_never_itself_no_duplicates_at_most_count():
    articles = newest_first([article(f"a{i}", i, terms=("قصف", "حصار")) for i in range(10)])
    result = compute_related(articles, 3)
    assert set(result) == {a.slug for a in articles}
    for slug, others in result.items():
        assert slug not in others
        assert len(others) == len(set(others)) == 3


def test_articles_sharing_nothing_are_not_related():
    articles = newest_first([article("a", 1, ("حلب",), ("قصف",)),
                             article("b", 2, ("رياضة",), ("سباق",))])
    assert compute_related(articles, 4) == {"a": (), "b": ()}


def test_shared_topic_and_terms_rank_before_a_shared_term_only():
    articles = newest_first([
        article("target", 10, ("حلب",), ("قصف", "حصار")),
        article("both", 1, ("حلب",), ("قصف", "حصار")),  # far in date, but shares most
        article("term", 9, ("رياضة",), ("قصف",)),
        article("none", 10, ("ثقافة",), ("رواية",)),
    ])
    assert compute_related(articles, 4)["target"] == ("both", "term")


def test_ties_go_to_the_closest_date_then_the_newer():
    articles = newest_first([article("target", 5)] + [
        article(f"day{d}", d) for d in (1, 3, 6, 7)])
    assert compute_related(articles, 4)["target"] == ("day6", "day7", "day3", "day1")


def test_same_input_gives_the_same_output():
    def make():
        return newest_first([article(f"a{i}", i % 7, ("حلب", "سوريا")[: 1 + i % 2],
                                     ("قصف", "حصار", "نزوح")[i % 3:]) for i in range(30)])
    assert compute_related(make(), 4) == compute_related(make(), 4)


def test_candidates_per_article_are_bounded(monkeypatch):
    sizes: list[int] = []
    original = related._neighbours

    def counting(posting, position):
        found = original(posting, position)
        sizes.append(len(found))
        return found

    monkeypatch.setattr(related, "_neighbours", counting)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)  # counted in this process only
    articles = newest_first([article(f"a{i:04}", i % 365) for i in range(2000)])
    result = compute_related(articles, 4)
    assert all(len(others) == 4 for others in result.values())
    assert len(sizes) == 2000  # one shared key each
    assert max(sizes) <= 2 * related.WINDOW
