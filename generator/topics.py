"""Topic dictionary: canonical names, aliases matched on normalised words.

Aliases and text are normalised alike but for proclitics: an alias keeps
its own letters, and a text word matches it when the word is the alias
behind a run of proclitics. So "بحلب" and "وحلب" find حلب, "الحلبي" (a
family name as often as an adjective) does not unless listed, and the
alias "كيري" never meets the verb "يرى".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .text import proclitic_forms, words_of

TITLE_WEIGHT = 2


@dataclass(frozen=True)
class TopicDictionary:
    names: tuple[str, ...]
    # first alias word -> ((alias words, topic name), ...), longest alias first
    by_first_word: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    # text word -> the aliases it may start; filled as words are met
    starts: dict[str, tuple] = field(default_factory=dict, compare=False, repr=False)


def compile_topics(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> TopicDictionary:
    """Index the configured dictionary for matching."""
    grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, aliases in topics:
        for alias in (name, *aliases):
            words = tuple(_words(alias))
            if not words:
                continue
            grouped.setdefault(words[0], []).append((words, name))
    by_first = {w: tuple(sorted(set(v), key=lambda a: (-len(a[0]), a)))
                for w, v in grouped.items()}
    return TopicDictionary(tuple(n for n, _ in topics), by_first)


def _words(text: str) -> list[str]:
    return words_of(text)


def canonical_topic(dictionary: TopicDictionary, name: str) -> str:
    """The dictionary's name for ``name`` (by name or alias), else ``name`` itself."""
    words = _words(name)
    alias = _alias_at(dictionary, words, 0) if words else None
    return alias[1] if alias and len(alias[0]) == len(words) else name.strip()


def count_mentions(dictionary: TopicDictionary, words: list[str]) -> Counter:
    """How often each topic is mentioned in a list of unstripped normalised words.

    Words are counted once each (in C); only words that begin a multi-word
    alias are looked at in place, and a longer alias wins over the single
    words inside it.
    """
    counts = Counter(words)
    starts = dictionary.starts
    for word in counts.keys() - starts.keys():
        _aliases_starting(dictionary, word)
    multi = {w for w in counts if any(len(alias) > 1 for alias, _ in starts[w])}
    found: Counter = Counter()
    for word in counts.keys() - multi:
        if starts[word]:
            found[starts[word][0][1]] += counts[word]
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


def _aliases_starting(dictionary: TopicDictionary, word: str) -> tuple:
    found = dictionary.starts.get(word)
    if found is None:
        found = dictionary.starts[word] = tuple(
            alias for form in proclitic_forms(word)
            for alias in dictionary.by_first_word.get(form, ()))
    return found


def _alias_at(dictionary: TopicDictionary, words: list[str], index: int):
    for alias in _aliases_starting(dictionary, words[index]):
        following = words[index + 1:index + len(alias[0])]
        if len(following) == len(alias[0]) - 1 and all(
                a in proclitic_forms(w) for a, w in zip(alias[0][1:], following)):
            return alias
    return None


def match_topics(dictionary: TopicDictionary, title: str, body: str,
                 min_score: int, limit: int) -> tuple[str, ...]:
    """Topics whose score (title mentions count double) reaches ``min_score``."""
    return match_topic_words(dictionary, _words(title), _words(body), min_score, limit)


def match_topic_words(dictionary: TopicDictionary, title_words: list[str],
                      body_words: list[str], min_score: int, limit: int) -> tuple[str, ...]:
    """``match_topics`` on words already normalised by ``words_of``."""
    score = count_mentions(dictionary, body_words)
    for name, hits in count_mentions(dictionary, title_words).items():
        score[name] += TITLE_WEIGHT * hits
    ranked = sorted((n for n, s in score.items() if s >= min_score),
                    key=lambda n: (-score[n], n))
    return tuple(ranked[:limit])
