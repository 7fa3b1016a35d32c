"""topics.py: aliases matched on normalised whole words, scores, canonical names."""

from __future__ import annotations

import pytest

from generator.text import words_of
from generator.topics import TITLE_WEIGHT, canonical_topic, compile_topics, match_topic_words

DICTIONARY = compile_topics((
    ("حلب", ("حلب",)),
    ("الولايات المتحدة", ("الولايات المتحدة", "واشنطن", "كيري")),
    ("روسيا", ("روسيا", "موسكو", "لافروف")),
    ("إدلب", ("إدلب", "معرة النعمان")),
))


def match_topics(dictionary, title: str, body: str, min_score: int, limit: int):
    return match_topic_words(dictionary, words_of(title), words_of(body), min_score, limit)


def match(body: str, title: str = "", min_score: int = 1, limit: int = 5):
    return match_topics(DICTIONARY, title, body, min_score, limit)


@pytest.mark.parametrize("word", ["حلب", "بحلب", "وحلب", "لحلب", "حَلَب"])
def test_alias_matches_with_proclitics_and_marks(word):
    assert match(f"قصف عنيف على {word} اليوم") == ("حلب",)


def test_alias_does_not_match_a_longer_word():
    assert match("قال الحلبي إن الوضع صعب") == ()


def test_a_listed_longer_word_matches():
    dictionary = compile_topics((("حلب", ("حلب", "الحلبي")),))
    assert match_topics(dictionary, "", "قال الحلبي", 1, 5) == ("حلب",)


@pytest.mark.parametrize("body", ["وصل وفد الولايات المتحدة", "قال مسؤول بالولايات المتحدة",
                                  "والولايات المتحدة ترفض", "الولايات  المتّحدة"])
def test_multi_word_alias(body):
    assert match(body) == ("الولايات المتحدة",)


def test_half_of_a_multi_word_alias_is_no_match():
    assert match("الولايات الجنوبية") == ()
    assert match("معرة وحدها") == ()


def test_title_mentions_count_double():
    assert TITLE_WEIGHT == 2
    assert match("نص بلا ذكر", title="موسكو ترد", min_score=2) == ("روسيا",)
    assert match("موسكو ترد", min_score=2) == ()


def test_min_score_and_limit():
    body = "حلب حلب حلب موسكو موسكو إدلب واشنطن"
    assert match(body, min_score=2) == ("حلب", "روسيا")
    assert match(body, min_score=1, limit=2) == ("حلب", "روسيا")


def test_ties_are_ordered_by_name():
    assert match("واشنطن موسكو إدلب حلب") == ("إدلب", "الولايات المتحدة", "حلب", "روسيا")


@pytest.mark.parametrize("given, name", [
    ("واشنطن", "الولايات المتحدة"), ("بالولايات المتحدة", "الولايات المتحدة"),
    ("حَلَب", "حلب"), ("ادلب", "إدلب"), ("  موضوع جديد ", "موضوع جديد"),
])
def test_canonical_topic(given, name):
    assert canonical_topic(DICTIONARY, given) == name


def test_common_verb_is_not_a_mention_of_kerry():
    assert match("يرى المحللون أن الحرب طويلة، ويرى آخرون غير ذلك", min_score=2) == ()
