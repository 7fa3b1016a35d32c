"""Related articles through an inverted index, never pairwise.

Every article is indexed under its topics and its most salient terms.
Candidates come only from postings it shares, and from each posting only
the articles nearest to it in date, so the work per article is bounded
and the whole computation grows linearly with the archive.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from functools import partial

from .models import Article
from .parallel import map_in_order

TERMS_USED = 8
WINDOW = 16  # neighbours taken from each side of a posting
TOPIC_WEIGHT = 2.0


def compute_related(ordered: list[Article], count: int) -> dict[str, tuple[str, ...]]:
    """Up to ``count`` related slugs per article, best first: shared topics and
    terms, then closer in date, then newer."""
    postings, keys = _index(ordered)
    weights = {k: _weight(k, len(p), len(ordered)) for k, p in postings.items()}
    days = [a.date.toordinal() for a in ordered]
    best = map_in_order(partial(_related_of, postings=postings, keys=keys, weights=weights,
                                days=days, count=count), range(len(ordered)))
    return {article.slug: tuple(ordered[o].slug for o in found)
            for article, found in zip(ordered, best)}


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


def _index(ordered: list[Article]) -> tuple[dict[str, list[int]], list[list[str]]]:
    """Postings (positions, ascending = newest first) and each article's keys."""
    document_frequency: dict[str, int] = defaultdict(int)
    for article in ordered:
        for term in article.terms:
            document_frequency[term] += 1
    postings: dict[str, list[int]] = defaultdict(list)
    keys: list[list[str]] = []
    for position, article in enumerate(ordered):
        # rarest first; terms are in alphabetical order, and sorted() keeps it among ties
        shared = [t for t in article.terms if document_frequency[t] > 1]
        chosen = ["t:" + t for t in article.topics] + [
            "w:" + t for t in sorted(shared, key=document_frequency.__getitem__)[:TERMS_USED]]
        for key in chosen:
            postings[key].append(position)
        keys.append(chosen)
    return postings, keys


def _weight(key: str, frequency: int, total: int) -> float:
    rarity = math.log(1 + total / frequency)
    return rarity * (TOPIC_WEIGHT if key.startswith("t:") else 1.0)


def _neighbours(posting: list[int], position: int) -> list[int]:
    at = bisect.bisect_left(posting, position)
    window = posting[max(0, at - WINDOW):at] + posting[at + 1:at + 1 + WINDOW]
    return window
