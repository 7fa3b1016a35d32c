"""compute_related: ranking by shared topics and terms, ties, determinism, bounded work."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.parallel as parallel
import generator.related as related
from generator.models import Article
from generator.site import newest_first as newest_first_key

START = dt.date(2016, 1, 1)


def article(slug: str, day: int, topics=("حلب",), terms=()) -> Article:
    return Article(
        source=f"content/{slug}.md", slug=slug, title=slug, date=START + dt.timedelta(days=day),
        lang="ar", dir="rtl", refs=(), topics=tuple(topics), summary="",
        attribution=None, author=None, image=None, title_key=slug, terms=tuple(terms))


def compute_related(articles: list[Article], count: int) -> dict[str, tuple[str, ...]]:
    """The related lists alone, every article ranked."""
    return related.compute_related(articles, count)[0]


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


# --- ranking again only what an edit moved ------------------------------------------

TERMS = ("قصف", "حصار", "نزوح", "هدنة", "مساعدات", "اتفاق", "انتخابات")
TOPICS = ("حلب", "دمشق", "إدلب")
ARTICLE = st.tuples(st.integers(0, 40), st.lists(st.sampled_from(TOPICS), max_size=2),
                    st.lists(st.sampled_from(TERMS), max_size=4, unique=True).map(sorted),
                    st.sampled_from((None, "08:00", "21:30")))
EDIT = st.tuples(st.sampled_from(("add", "remove", "redate", "retopic", "reterm", "retime")),
                 st.integers(0, 10**6), ARTICLE)


def made(number: int, spec) -> Article:
    day, topics, terms, time = spec
    return article(f"s{number:03}", day, topics, terms)._replace(time=time)


def edited(articles: list[Article], edits) -> list[Article]:
    articles = list(articles)
    for number, (kind, at, spec) in enumerate(edits):
        if kind == "add" or not articles:
            articles.append(made(500 + number, spec))
            continue
        at %= len(articles)
        changed = made(0, spec)
        if kind == "remove":
            articles.pop(at)
        else:
            field = {"redate": "date", "retopic": "topics", "reterm": "terms",
                     "retime": "time"}[kind]
            articles[at] = articles[at]._replace(**{field: getattr(changed, field)})
    return articles


def by_listing(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=newest_first_key)


@pytest.fixture(scope="module")
def small_windows():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(related, "WINDOW", 2)
        patch.setattr(related, "TERMS_USED", 2)
        patch.setattr(related, "BANDS_PER_DOUBLING", 1)
        related._band.cache_clear()
        yield patch
    related._band.cache_clear()


@given(st.lists(ARTICLE, max_size=30), st.lists(EDIT, min_size=1, max_size=4))
@settings(max_examples=300, deadline=None, database=None)
def test_ranking_again_what_an_edit_moved_equals_ranking_all(small_windows, specs, edits):
    """Small windows, bands and key counts, so that edits cross them often."""
    earlier = by_listing([made(n, spec) for n, spec in enumerate(specs)])
    later = by_listing(edited(earlier, edits))
    again(earlier, later, 3)


def test_an_added_article_ranks_again_only_its_neighbourhood(monkeypatch):
    ranked: list[int] = []
    original = related._related_of

    def counting(positions, **kwargs):
        ranked.extend(positions)
        return original(positions, **kwargs)

    monkeypatch.setattr(related, "_related_of", counting)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    earlier = newest_first([article(f"a{i:04}", i % 365, (TOPICS[i % 3],),
                                    (TERMS[i % 7], TERMS[i % 5])) for i in range(3000)])
    later = newest_first([article("new", 400, ("حلب",), ("قصف", "هدنة")), *earlier])
    ranked.clear()
    again(earlier, later, 4, ranked)
    assert 0 < len(ranked) - len(later) < 200  # the last call ranked them all


def again(earlier: list[Article], later: list[Article], count: int,
          ranked: list | None = None) -> dict:
    """``later`` ranked from ``earlier``'s lists and ranking, after checking that
    ranking every article agrees, in the lists and in the ranking kept.
    ``ranked``, if given, is emptied just before the call that ranks again."""
    lists, ranking = related.compute_related(earlier, count)
    if ranked is not None:
        ranked.clear()
    found = related.compute_related(later, count, (earlier, lists, ranking))
    assert found == related.compute_related(later, count)
    return found[0]


def test_a_neighbour_redated_in_place_is_ranked_again_by_its_new_day():
    earlier = newest_first([article("target", 5), article("x", 7), article("y", 3)])
    assert compute_related(earlier, 1)["target"] == ("x",)  # both two days off: the newer
    later = newest_first([article("target", 5), article("x", 8), article("y", 3)])
    assert again(earlier, later, 1)["target"] == ("y",)


def test_a_neighbour_retimed_past_one_of_another_posting_is_ranked_again():
    def site(x_time: str) -> list[Article]:
        return by_listing([article("target", 5, ("حلب", "دمشق")),
                           article("x", 6, ("حلب",))._replace(time=x_time),
                           article("y", 6, ("دمشق",))._replace(time="12:00")])
    assert compute_related(site("08:00"), 1)["target"] == ("y",)  # the later of the day
    assert again(site("08:00"), site("23:00"), 1)["target"] == ("x",)
