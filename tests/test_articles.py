"""articles.py: to_article applies site policy — dates, language, slugs, topics, summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.articles import SUMMARY_WORDS, plain_text, to_article
from generator.config import Config
from generator.errors import WarraqError
from generator.models import Block
from generator.readers import read_source
from generator.topics import compile_topics

TOPICS = (("حلب", ("حلب",)), ("روسيا", ("روسيا", "موسكو")))
CONFIG = Config(fallback_date=dt.date(2016, 12, 6), topics=TOPICS)
WIRE = "عنوان الخبر في حلب\n\nقصف على حلب وموسكو ترد.\n"


def article(rel_path: str, text: str, config: Config = CONFIG):
    raw = read_source(rel_path, text.encode("utf-8"))
    return to_article(raw, config, compile_topics(config.topics))


def error_of(rel_path: str, text: str, config: Config = CONFIG) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        article(rel_path, text, config)
    return [str(p) for p in caught.value.problems]


def test_date_from_front_matter_wins_over_the_file_name():
    text = "---\ntitle: ع\ndate: 2016-12-03\n---\nنص\n"
    art, warnings = article("content/2016-11-01-x.md", text)
    assert art.date == dt.date(2016, 12, 3)
    assert warnings == []


def test_date_from_the_file_name_prefix():
    art, warnings = article("content/sub/2016-11-27-runner.txt", WIRE)
    assert art.date == dt.date(2016, 11, 27)
    assert warnings == []


def test_fallback_date_with_a_warning():
    art, warnings = article("content/x.txt", WIRE)
    assert art.date == dt.date(2016, 12, 6)
    assert [str(w) for w in warnings] == [
        "content/x.txt:1: warning: date: none in front matter or in a 'YYYY-MM-DD-' "
        "file-name prefix; using fallback_date 2016-12-06"]


def test_impossible_prefix_date_is_an_error():
    assert error_of("content/2016-13-45-x.txt", WIRE) == [
        "content/2016-13-45-x.txt:1: date: the file-name prefix '2016-13-45' is not a real date"]


def test_no_date_and_no_fallback_is_an_error():
    assert error_of("content/x.txt", WIRE, Config()) == [
        "content/x.txt:1: date: none in front matter or in a 'YYYY-MM-DD-' file-name "
        "prefix, and no fallback_date is configured"]


@pytest.mark.parametrize("text, config, lang, direction", [
    (WIRE, CONFIG, "ar", "rtl"),
    ("Talks on Aleppo cancelled\n\nThe meeting in Geneva will not take place.\n", CONFIG,
     "en", "ltr"),
    ("Talks cancelled\n\nThe meeting will not take place.\n",
     Config(fallback_date=dt.date(2016, 1, 1), latin_lang="fr"), "fr", "ltr"),
    ("Talks cancelled\n\nThe meeting will not take place.\n",
     Config(fallback_date=dt.date(2016, 1, 1), wire_lang="ar"), "ar", "rtl"),
])
def test_language_and_direction(text, config, lang, direction):
    art, _ = article("content/x.txt", text, config)
    assert (art.lang, art.dir) == (lang, direction)


def test_front_matter_lang_is_kept():
    art, _ = article("content/x.md", "---\ntitle: Title\nlang: ar-SY\n---\nEnglish words.\n")
    assert (art.lang, art.dir) == ("ar-SY", "rtl")


def test_slug_from_headline_and_from_front_matter():
    assert article("content/x.txt", "عنوانُ الخبرِ!\n\nنص.\n")[0].slug == "عنوان-الخبر"
    art, _ = article("content/x.md", "---\ntitle: عنوان\nslug: Aleppo Talks\n---\nنص\n")
    assert art.slug == "aleppo-talks"


def test_latin_slug_style():
    config = Config(fallback_date=dt.date(2016, 1, 1), slug_style="latin")
    assert article("content/x.txt", WIRE, config)[0].slug.isascii()


def test_topics_from_front_matter_are_canonicalised_and_deduplicated():
    art, _ = article("content/x.md", "---\ntitle: ع\ntopics: [موسكو, حَلَب, روسيا, جديد]\n"
                                     "---\nنص عن إدلب\n")
    assert art.topics == ("روسيا", "حلب", "جديد")


def test_topics_from_the_dictionary():
    art, _ = article("content/x.txt", WIRE)  # حلب: 2 (title) + 1, روسيا: 1
    assert art.topics == ("حلب",)
    lenient = Config(fallback_date=dt.date(2016, 1, 1), topics=TOPICS, topic_min_score=1)
    assert article("content/x.txt", WIRE, lenient)[0].topics == ("حلب", "روسيا")
    assert art.title_key == "عنوان خبر في حلب"


def test_summary_is_the_first_words_with_an_ellipsis():
    words = [f"كلمة{i}" for i in range(SUMMARY_WORDS + 5)]
    art, _ = article("content/x.txt", "عنوان\n\n" + " ".join(words) + "\n")
    assert art.summary == " ".join(words[:SUMMARY_WORDS]) + "…"
    short, _ = article("content/x.txt", "عنوان\n\nنص قصير.\n")
    assert short.summary == "نص قصير."


def test_front_matter_summary_wins():
    art, _ = article("content/x.md", "---\ntitle: ع\nsummary: ملخص المحرر\n---\nنص طويل\n")
    assert art.summary == "ملخص المحرر"


def test_plain_text_skips_read_also_and_markup():
    blocks = (Block("p", "فقرة."), Block("read_also", "لا تظهر", ref=0),
              Block("html", "<p>نص &amp; <b>غامق</b></p>"), Block("h2", "عنوان  فرعي"))
    assert plain_text(blocks).split() == "فقرة. نص & غامق عنوان فرعي".split()


def test_read_also_title_stays_out_of_summary_and_terms():
    art, _ = article("content/x.txt", "عنوان\n\nفقرة.\n\nاقرأ أيضاً: موسكو تهدد\n\nختام.\n")
    assert art.summary == "فقرة. ختام."
    assert "موسكو" not in art.terms and art.topics == ()


def test_unknown_attribution_becomes_none():
    assert article("content/x.txt", WIRE + "\nالمصدر\n")[0].attribution is None
    assert article("content/x.txt", WIRE + "\nالمصدر: رويترز\n")[0].attribution == "رويترز"
