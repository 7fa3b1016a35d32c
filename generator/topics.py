"""Topic dictionary: canonical names, aliases matched on normalised words.

Aliases and text are normalised alike but for proclitics: an alias keeps
its own letters, and a text word matches it when the word is the alias
behind a run of proclitics. So "بحلب" and "وحلب" find حلب, "الحلبي" (a
family name as often as an adjective) does not unless listed, and the
alias "كيري" never meets the verb "يرى".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .text import proclitic_surfaces, words_of

TITLE_WEIGHT = 2

Alias = tuple[tuple[str, ...], str]  # (alias words, topic name)


@dataclass(frozen=True)
class TopicDictionary:
    names: tuple[str, ...]
    # text word -> the aliases it may begin, longest first
    starts: dict[str, tuple[Alias, ...]]
    # alias -> the text words each of its later words may take
    follows: dict[Alias, tuple[frozenset[str], ...]]
    multi_starts: frozenset[str]  # text words that may begin a multi-word alias


@lru_cache(maxsize=8)  # a build and every page read again share one
def compile_topics(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> TopicDictionary:
    """Index the configured dictionary by every form a text word may take.
    Nothing changes the result: it is made once per dictionary and shared."""
    starts: dict[str, set[Alias]] = {}
    follows: dict[Alias, tuple[frozenset[str], ...]] = {}
    for name, aliases in topics:
        for text in (name, *aliases):
            words = tuple(words_of(text))
            if not words:
                continue
            alias = (words, name)
            follows[alias] = tuple(proclitic_surfaces(w) for w in words[1:])
            for surface in proclitic_surfaces(words[0]):
                starts.setdefault(surface, set()).add(alias)
    ordered = {w: tuple(sorted(v, key=lambda a: (-len(a[0]), a))) for w, v in starts.items()}
    multi = frozenset(w for w, v in ordered.items() if any(len(a[0]) > 1 for a in v))
    return TopicDictionary(tuple(n for n, _ in topics), ordered, follows, multi)


def canonical_topic(dictionary: TopicDictionary, name: str) -> str:
    """The dictionary's name for ``name`` (by name or alias), else ``name`` itself."""
    words = words_of(name)
    alias = _alias_at(dictionary, words, 0) if words else None
    return alias[1] if alias and len(alias[0]) == len(words) else name.strip()


def count_mentions(dictionary: TopicDictionary, words: list[str],
                   counts: Counter | None = None) -> Counter:
    """How often each topic is mentioned in a list of unstripped normalised words
    (``counts``: ``Counter(words)``, when the caller has it already).

    Words are counted in bulk; only words that may begin a multi-word alias
    are looked at in place, where a longer alias wins over the words inside it.
    """
    counts = Counter(words) if counts is None else counts
    hits = counts.keys() & dictionary.starts.keys()
    multi = hits & dictionary.multi_starts
    found: Counter = Counter()
    for word in hits - multi:
        found[dictionary.starts[word][0][1]] += counts[word]
    if multi:
        _count_in_place(dictionary, words, multi, found)
    return +found


def _count_in_place(dictionary: TopicDictionary, words: list[str], multi: set[str],
                    found: Counter) -> None:
    """Count aliases starting at words in ``multi``; a match's inner words were
    counted on their own before, so take them back."""
    index, end = 0, len(words)
    while index < end:
        alias = _alias_at(dictionary, words, index) if words[index] in multi else None
        if alias is None:
            index += 1
            continue
        found[alias[1]] += 1
        for word in words[index + 1:index + len(alias[0])]:
            inner = dictionary.starts.get(word)
            if inner and word not in multi:
                found[inner[0][1]] -= 1
        index += len(alias[0])


def _alias_at(dictionary: TopicDictionary, words: list[str], index: int) -> Alias | None:
    for alias in dictionary.starts.get(words[index], ()):
        following = words[index + 1:index + len(alias[0])]
        if len(following) == len(alias[0]) - 1 and all(
                w in allowed for w, allowed in zip(following, dictionary.follows[alias])):
            return alias
    return None


def match_topic_words(dictionary: TopicDictionary, title_words: list[str],
                      body_words: list[str], min_score: int, limit: int,
                      body_counts: Counter | None = None) -> tuple[str, ...]:
    """Topics whose score (title mentions count double) reaches ``min_score``,
    best first, from words normalised by ``words_of``."""
    score = count_mentions(dictionary, body_words, body_counts)
    for name, hits in count_mentions(dictionary, title_words).items():
        score[name] += TITLE_WEIGHT * hits
    ranked = sorted((n for n, s in score.items() if s >= min_score),
                    key=lambda n: (-score[n], n))
    return tuple(ranked[:limit])
