"""Topic dictionary: canonical names, aliases matched on normalised words.

An alias matches whole normalised words only, so "بحلب" and "وحلب" find
حلب while "الحلبي" (a family name as often as an adjective) does not,
unless the dictionary lists it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .text import normalise, terms

TITLE_WEIGHT = 2


@dataclass(frozen=True)
class TopicDictionary:
    names: tuple[str, ...]
    # first alias word -> ((alias words, topic name), ...), longest alias first
    by_first_word: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    canonical: dict[str, str]  # normalised name or alias -> topic name


def compile_topics(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> TopicDictionary:
    """Index the configured dictionary for matching."""
    grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    canonical: dict[str, str] = {}
    for name, aliases in topics:
        for alias in (name, *aliases):
            words = tuple(terms(alias))
            if not words:
                continue
            grouped.setdefault(words[0], []).append((words, name))
            canonical.setdefault(" ".join(words), name)
    by_first = {w: tuple(sorted(set(v), key=lambda a: (-len(a[0]), a)))
                for w, v in grouped.items()}
    return TopicDictionary(tuple(n for n, _ in topics), by_first, canonical)


def canonical_topic(dictionary: TopicDictionary, name: str) -> str:
    """The dictionary's name for ``name`` (by name or alias), else ``name`` itself."""
    return dictionary.canonical.get(normalise(name), name.strip())


def count_mentions(dictionary: TopicDictionary, words: list[str]) -> Counter:
    """How often each topic is mentioned in a list of normalised words."""
    found: Counter = Counter()
    index = 0
    while index < len(words):
        step = 1
        for alias, name in dictionary.by_first_word.get(words[index], ()):
            if tuple(words[index:index + len(alias)]) == alias:
                found[name] += 1
                step = len(alias)
                break
        index += step
    return found


def match_topics(dictionary: TopicDictionary, title: str, body: str,
                 min_score: int, limit: int) -> tuple[str, ...]:
    """Topics whose score (title mentions count double) reaches ``min_score``."""
    score = count_mentions(dictionary, terms(body))
    for name, hits in count_mentions(dictionary, terms(title)).items():
        score[name] += TITLE_WEIGHT * hits
    ranked = sorted((n for n, s in score.items() if s >= min_score),
                    key=lambda n: (-score[n], n))
    return tuple(ranked[:limit])
