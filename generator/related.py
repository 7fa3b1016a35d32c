"""Related articles through an inverted index, never pairwise.

Every article is indexed under its topics and its most salient terms.
Candidates come only from postings it shares, and from each posting only
the articles nearest to it in date, so the work per article is bounded
and the whole computation grows linearly with the archive.

A key's weight, and the order in which an article's terms are taken, come
from how many articles use it counted in bands (a quarter of a doubling
each), not from the archive's size: an article added or edited moves few
weights, and ``compute_related`` given the last site ranks again only the
articles whose keys, weights or neighbours differ — with the same result
as ranking every article.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, defaultdict
from functools import lru_cache, partial
from itertools import chain
from sys import intern

from .models import Article, Ranking
from .parallel import map_in_order

TERMS_USED = 8
WINDOW = 16  # neighbours taken from each side of a posting
TOPIC_WEIGHT = 2.0
BANDS_PER_DOUBLING = 4
RARITY_SCALE = 10_000  # a key used by one article in this many weighs log(2)

# an earlier site's articles (newest first), its related lists and their ranking
Before = tuple[list[Article], dict[str, tuple[str, ...]], Ranking]


def compute_related(ordered: list[Article], count: int, before: Before | None = None
                    ) -> tuple[dict[str, tuple[str, ...]], Ranking]:
    """Up to ``count`` related slugs per article, best first: shared topics and
    terms, then closer in date, then newer; and the ``Ranking`` that found
    them. ``before``: an earlier site's articles (newest first), its related
    lists and its ranking, made with the same count."""
    if before is None:
        counts = _counted(ordered)
        ranks = _ranks(counts)
        keys = [_keys_of(article, ranks) for article in ordered]
        postings, todo = _postings(keys), range(len(ordered))
    else:
        counts, keys, postings, todo = _moved(ordered, before)
    weights = {k: _weight(k, len(p)) for k, p in postings.items()}
    days = [a.date.toordinal() for a in ordered]
    best = map_in_order(partial(_related_of, postings=postings, keys=keys, weights=weights,
                                days=days, count=count), todo)
    ranked = {position: tuple(ordered[o].slug for o in found)
              for position, found in zip(todo, best)}
    lists = {article.slug: ranked[position] if position in ranked else before[1][article.slug]
             for position, article in enumerate(ordered)}
    return lists, Ranking({a.slug: k for a, k in zip(ordered, keys)}, counts)


def _related_of(positions, postings, keys, weights, days, count) -> list[list[int]]:
    """For each position, the positions of its best related articles."""
    found = []
    for position in positions:
        scores: dict[int, float] = defaultdict(float)
        for key in keys[position]:
            weight = weights[key]
            for other in _neighbours(postings[key], position):
                scores[other] += weight
        found.append(_best(scores, days, position, count))
    return found


def _best(scores: dict[int, float], days: list[int], position: int, count: int) -> list[int]:
    """The ``count`` best candidates: higher score, then closer in date, then newer.
    Only candidates scoring at least the ``count``-th best score are ranked."""
    if len(scores) > count:
        cutoff = heapq.nlargest(count, scores.values())[-1]
        scores = {other: score for other, score in scores.items() if score >= cutoff}
    day = days[position]
    ranked = sorted(scores, key=lambda o: (-scores[o], abs(days[o] - day), o))
    return ranked[:count]


def _postings(keys: list[tuple[str, ...]]) -> dict[str, list[int]]:
    """Each key's articles, by position (ascending = newest first)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for position, chosen in enumerate(keys):
        for key in chosen:
            postings[key].append(position)
    return postings


def _counted(ordered: list[Article]) -> dict[str, int]:
    """How many articles use each term."""
    return dict(Counter(chain.from_iterable(article.terms for article in ordered)))


def _ranks(counts: dict[str, int]) -> dict[str, int]:
    """The band of each term more than one article uses."""
    return {term: _band(count) for term, count in counts.items() if count > 1}


def _keys_of(article: Article, ranks: dict[str, int]) -> tuple[str, ...]:
    """Its topics, then its terms that another article uses, rarest band first
    (terms are in alphabetical order, and sorted() keeps it in a band). Each
    key is one string however many articles have it: the ranking kept stores it once."""
    shared = [t for t in article.terms if t in ranks]
    return tuple([intern("t:" + t) for t in article.topics] + [
        intern("w:" + t) for t in sorted(shared, key=ranks.__getitem__)[:TERMS_USED]])


@lru_cache(maxsize=None)
def _band(frequency: int) -> int:
    return int(BANDS_PER_DOUBLING * math.log2(frequency))


def _weight(key: str, frequency: int) -> float:
    """Rarer weighs more, by the key's band: equal for every count in one band."""
    rarity = math.log(1 + RARITY_SCALE / 2 ** (_band(frequency) / BANDS_PER_DOUBLING))
    return rarity * (TOPIC_WEIGHT if key.startswith("t:") else 1.0)


def _neighbours(posting: list[int], position: int) -> list[int]:
    at = bisect.bisect_left(posting, position)
    window = posting[max(0, at - WINDOW):at] + posting[at + 1:at + 1 + WINDOW]
    return window


# --- what an edit moved ------------------------------------------------------------

def _moved(ordered: list[Article], before: Before
           ) -> tuple[dict[str, int], list[tuple[str, ...]], dict[str, list[int]], list[int]]:
    """The term counts and each article's keys, from ``before``'s ranking, and
    the positions whose ranking may differ from ``before``'s: articles added,
    edited in what ranking reads, or whose keys changed; and those with such
    an article among their neighbours, or a key whose band moved. Every other
    article keeps its keys, weights and neighbours, in order."""
    earlier, _, ranking = before
    was = {article.slug: at for at, article in enumerate(earlier)}
    touched = {p for p, article in enumerate(ordered) if article.slug not in was
               or (article is not earlier[was[article.slug]]
                   and _ranked_by(article) != _ranked_by(earlier[was[article.slug]]))}
    now = {article.slug: position for position, article in enumerate(ordered)}
    then = {at: ranking.keys[article.slug] for at, article in enumerate(earlier)
            if article.slug not in now or now[article.slug] in touched}
    counts = _recounted(ranking.counts, [earlier[at] for at in then],
                        [ordered[p] for p in touched])
    ranks = _ranks(counts)
    keys = [_keys_of(article, ranks) if p in touched else ranking.keys[article.slug]
            for p, article in enumerate(ordered)]
    _rekeyed(ordered, keys, (ranks, _ranks(ranking.counts)), (earlier, then, was), touched)
    postings = _postings(keys)
    moved = set(touched)
    for key in {k for p in touched for k in keys[p]} | {k for ks in then.values() for k in ks}:
        posting = postings.get(key)
        if not posting:
            continue  # no article has it now
        before_it = sorted([was[ordered[p].slug] for p in posting if p not in touched]
                           + [at for at, ks in then.items() if key in ks])
        if not before_it or _band(len(before_it)) != _band(len(posting)):
            moved.update(posting)
        else:
            moved.update(_window_changes(posting, [ordered[p].slug for p in posting],
                                         [earlier[at].slug for at in before_it]))
    for position in touched:  # whoever may have it among its neighbours
        for key in keys[position]:
            posting = postings[key]
            at = bisect.bisect_left(posting, position)
            moved.update(posting[max(0, at - WINDOW):at + 1 + WINDOW])
    return counts, keys, postings, sorted(moved)


def _recounted(counts: dict[str, int], gone: list[Article],
               come: list[Article]) -> dict[str, int]:
    """``counts`` without the terms of ``gone`` and with those of ``come``."""
    counts = dict(counts)
    for term in chain.from_iterable(article.terms for article in gone):
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    for term in chain.from_iterable(article.terms for article in come):
        counts[term] = counts.get(term, 0) + 1
    return counts


def _rekeyed(ordered: list[Article], keys: list[tuple[str, ...]],
             ranks: tuple[dict[str, int], dict[str, int]],
             earlier: tuple[list[Article], dict[int, tuple[str, ...]], dict[str, int]],
             touched: set[int]) -> None:
    """Give the articles whose keys changed though they did not (a term of
    theirs crossed into another band, or from one article to two) their new
    keys in ``keys``, and add them to ``touched`` (positions now) and
    ``then`` (positions before, with the keys they had)."""
    (now, was_ranked), (articles, then, was) = ranks, earlier
    terms = {t for p in touched for t in ordered[p].terms} | {
        t for at in then for t in articles[at].terms}
    crossed = {t for t in terms if now.get(t) != was_ranked.get(t)}
    if not crossed:
        return
    for position, article in enumerate(ordered):
        if position not in touched and not crossed.isdisjoint(article.terms):
            fresh = _keys_of(article, now)
            if fresh != keys[position]:
                then[was[article.slug]] = keys[position]
                keys[position] = fresh
                touched.add(position)


def _window_changes(posting: list[int], now: list[str], then: list[str]) -> list[int]:
    """The positions of ``posting`` whose window of neighbours is not as it was."""
    if now == then:
        return []
    start = 0
    while start < min(len(now), len(then)) and now[start] == then[start]:
        start += 1
    end = 0
    while end < min(len(now), len(then)) - start and now[-1 - end] == then[-1 - end]:
        end += 1
    return posting[max(0, start - WINDOW):len(now) - end + WINDOW]


def _ranked_by(article: Article) -> tuple:
    """What ranking reads of an article: its keys' sources, and its day and place."""
    return article.topics, article.terms, article.date, article.time
