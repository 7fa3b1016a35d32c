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

from .models import Article
from .parallel import map_in_order

TERMS_USED = 8
WINDOW = 16  # neighbours taken from each side of a posting
TOPIC_WEIGHT = 2.0
BANDS_PER_DOUBLING = 4
RARITY_SCALE = 10_000  # a key used by one article in this many weighs log(2)

Index = tuple[dict[str, list[int]], list[list[str]]]  # postings, each article's keys


def compute_related(ordered: list[Article], count: int,
                    before: tuple[list[Article], dict[str, tuple[str, ...]]] | None = None
                    ) -> dict[str, tuple[str, ...]]:
    """Up to ``count`` related slugs per article, best first: shared topics and
    terms, then closer in date, then newer. ``before``: an earlier site's
    articles (newest first) and its related lists, ranked with the same count."""
    ranks = _ranks(ordered)
    postings, keys = _index(ordered, ranks)
    weights = {k: _weight(k, len(p)) for k, p in postings.items()}
    days = [a.date.toordinal() for a in ordered]
    todo = (range(len(ordered)) if before is None
            else sorted(_moved(ordered, (postings, keys), ranks, before[0])))
    best = map_in_order(partial(_related_of, postings=postings, keys=keys, weights=weights,
                                days=days, count=count), todo)
    ranked = {position: tuple(ordered[o].slug for o in found)
              for position, found in zip(todo, best)}
    return {article.slug: ranked[position] if position in ranked else before[1][article.slug]
            for position, article in enumerate(ordered)}


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


def _index(ordered: list[Article], ranks: dict[str, int]) -> Index:
    """Postings (positions, ascending = newest first) and each article's keys."""
    postings: dict[str, list[int]] = defaultdict(list)
    keys: list[list[str]] = []
    for position, article in enumerate(ordered):
        chosen = _keys_of(article, ranks)
        for key in chosen:
            postings[key].append(position)
        keys.append(chosen)
    return postings, keys


def _ranks(ordered: list[Article]) -> dict[str, int]:
    """The band of each term more than one article uses."""
    frequency = Counter(chain.from_iterable(article.terms for article in ordered))
    return {term: _band(count) for term, count in frequency.items() if count > 1}


def _keys_of(article: Article, ranks: dict[str, int]) -> list[str]:
    """Its topics, then its terms that another article uses, rarest band first
    (terms are in alphabetical order, and sorted() keeps it in a band)."""
    shared = [t for t in article.terms if t in ranks]
    return ["t:" + t for t in article.topics] + [
        "w:" + t for t in sorted(shared, key=ranks.__getitem__)[:TERMS_USED]]


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

def _moved(ordered: list[Article], index: Index, ranks: dict[str, int],
           earlier: list[Article]) -> set[int]:
    """The positions whose ranking may differ from ``earlier``'s: articles
    added, edited in what ranking reads, or whose keys changed; and those
    with such an article among their neighbours, or a key whose band moved.
    Every other article keeps its keys, weights and neighbours, in order."""
    postings, keys = index
    was = {article.slug: at for at, article in enumerate(earlier)}
    now = {article.slug: position for position, article in enumerate(ordered)}
    touched = {p for p, article in enumerate(ordered) if article.slug not in was
               or _ranked_by(article) != _ranked_by(earlier[was[article.slug]])}
    ranked = _ranks(earlier)
    then = {at: _keys_of(article, ranked) for at, article in enumerate(earlier)
            if article.slug not in now or now[article.slug] in touched}
    _rekeyed(ordered, keys, ranks, (earlier, ranked), touched, then, was)
    moved = set(touched)
    for key in {k for p in touched for k in keys[p]} | {k for ks in then.values() for k in ks}:
        posting = postings.get(key)
        if not posting:
            continue  # no article has it now
        before = sorted([was[ordered[p].slug] for p in posting if p not in touched]
                        + [at for at, ks in then.items() if key in ks])
        if not before or _band(len(before)) != _band(len(posting)):
            moved.update(posting)
        else:
            moved.update(_window_changes(posting, [ordered[p].slug for p in posting],
                                         [earlier[at].slug for at in before]))
    for position in touched:  # whoever may have it among its neighbours
        for key in keys[position]:
            posting = postings[key]
            at = bisect.bisect_left(posting, position)
            moved.update(posting[max(0, at - WINDOW):at + 1 + WINDOW])
    return moved


def _rekeyed(ordered: list[Article], keys: list[list[str]], ranks: dict[str, int],
             before: tuple[list[Article], dict[str, int]], touched: set[int],
             then: dict[int, list[str]], was: dict[str, int]) -> None:
    """Add to ``touched`` (positions now) and ``then`` (positions before, with
    the keys they had) the articles whose keys changed though they did not:
    a term of theirs crossed into another band, or from one article to two."""
    earlier, ranked = before
    terms = {t for p in touched for t in ordered[p].terms} | {
        t for at in then for t in earlier[at].terms}
    crossed = {t for t in terms if ranks.get(t) != ranked.get(t)}
    if not crossed:
        return
    for position, article in enumerate(ordered):
        if position not in touched and not crossed.isdisjoint(article.terms):
            at = was[article.slug]
            old = _keys_of(earlier[at], ranked)
            if old != keys[position]:
                touched.add(position)
                then[at] = old


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
