"""dates: Umm al-Qura days, month names by region, digits, CLDR plurals,
reading time and times of day, and the words.toml tables they read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.dates import (DIGIT_STYLES, MONTH_STYLES, PLURAL_CATEGORIES, clock_text,
                             count_text, dated_text, gregorian_text, hijri_parts, hijri_text,
                             month_name, plural_category, reading_minutes, reading_text,
                             with_digits, word_count, zone_city)
from generator.words import load_words

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DAY = dt.date(2016, 12, 6)
MINUTES = {"zero": "أقل من دقيقة", "one": "دقيقة واحدة", "two": "دقيقتان",
           "few": "{n} دقائق", "many": "{n} دقيقة", "other": "{n} دقيقة"}


@pytest.fixture(scope="module")
def words():
    return load_words(TEMPLATES)


# Hijri

@pytest.mark.parametrize("day, hijri", [
    (dt.date(2016, 12, 6), (1438, 3, 7)),
    (dt.date(2024, 3, 11), (1445, 9, 1)),    # 1 Ramadan 1445
    (dt.date(2023, 3, 23), (1444, 9, 1)),    # 1 Ramadan 1444
    (dt.date(2023, 7, 19), (1445, 1, 1)),    # 1 Muharram 1445
    (dt.date(2023, 7, 18), (1444, 12, 30)),  # the day before it
    (dt.date(2024, 4, 10), (1445, 10, 1)),   # Eid al-Fitr 1445
    (dt.date(2024, 6, 16), (1445, 12, 10)),  # Eid al-Adha 1445
    (dt.date(1924, 8, 1), (1343, 1, 1)),     # the first day hijridate knows
    (dt.date(2077, 11, 16), (1500, 12, 30)),  # and the last
])
def test_umm_al_qura_days(day, hijri):
    assert hijri_parts(day) == hijri


def test_a_datetime_is_its_day():
    assert hijri_parts(dt.datetime(2016, 12, 6, 23, 59)) == (1438, 3, 7)


def test_adjust_shifts_the_day_by_one_either_way():
    assert hijri_parts(DAY, -1) == (1438, 3, 6)
    assert hijri_parts(DAY, 1) == (1438, 3, 8)
    assert hijri_parts(dt.date(2024, 3, 11), -1) == (1445, 8, 29)  # Sha'ban 1445 had 29 days
    assert hijri_parts(dt.date(2024, 3, 10), 1) == (1445, 9, 1)
    assert hijri_parts(dt.date(2023, 7, 19), -1) == (1444, 12, 30)


@pytest.mark.parametrize("adjust", [2, -2, 7])
def test_adjust_is_at_most_one_day(adjust):
    with pytest.raises(ValueError, match="adjust"):
        hijri_parts(DAY, adjust)


@pytest.mark.parametrize("day, adjust", [
    (dt.date(1924, 7, 31), 0), (dt.date(2077, 11, 17), 0), (dt.date(1900, 1, 1), 0),
    (dt.date(1924, 8, 1), -1), (dt.date(2077, 11, 16), 1),
    (dt.date.min, -1), (dt.date.max, 1), (dt.date.min, 0), (dt.date.max, 0),
])
def test_days_outside_the_table_have_no_hijri_date(day, adjust):
    assert hijri_parts(day, adjust) is None
    assert hijri_text(day, adjust=adjust) is None


def test_hijri_text():
    assert hijri_text(DAY) == "7 ربيع الأول 1438 هـ"
    assert hijri_text(DAY, digits="arab") == "٧ ربيع الأول ١٤٣٨ هـ"
    assert hijri_text(DAY, adjust=1) == "8 ربيع الأول 1438 هـ"
    assert hijri_text(dt.date(2024, 3, 11)) == "1 رمضان 1445 هـ"


@pytest.mark.parametrize("day, name", [
    ("2023-07-19", "محرم"), ("2023-08-17", "صفر"), ("2023-09-16", "ربيع الأول"),
    ("2023-10-16", "ربيع الآخر"), ("2023-11-15", "جمادى الأولى"),
    ("2023-12-14", "جمادى الآخرة"), ("2024-01-13", "رجب"), ("2024-02-11", "شعبان"),
    ("2024-03-11", "رمضان"), ("2024-04-10", "شوال"), ("2024-05-09", "ذو القعدة"),
    ("2024-06-07", "ذو الحجة"),
])
def test_every_hijri_month_name(day, name):
    assert hijri_text(dt.date.fromisoformat(day)) == f"1 {name} 1445 هـ"


# Gregorian months

AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
             "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
LEVANT_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                 "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_in_every_style(month):
    ar, levant = AR_MONTHS[month - 1], LEVANT_MONTHS[month - 1]
    assert month_name(month) == ar
    assert month_name(month, style="ar") == ar
    assert month_name(month, style="levant") == levant
    assert month_name(month, style="both") == f"{levant}/{ar}"


def test_the_styles_are_exported_for_config_validation():
    assert MONTH_STYLES == ("ar", "levant", "both")
    assert DIGIT_STYLES == ("latn", "arab")


@pytest.mark.parametrize("month, style", [(0, "ar"), (13, "ar"), (1, "maghreb"), (1, "")])
def test_bad_month_or_style(month, style):
    with pytest.raises(ValueError):
        month_name(month, style=style)


def test_gregorian_text_in_arabic():
    assert gregorian_text(DAY) == "الثلاثاء 6 ديسمبر 2016"
    assert gregorian_text(DAY, style="levant") == "الثلاثاء 6 كانون الأول 2016"
    assert gregorian_text(DAY, style="both", digits="arab") == "الثلاثاء ٦ كانون الأول/ديسمبر ٢٠١٦"
    assert gregorian_text(DAY, weekday=False) == "6 ديسمبر 2016"
    assert gregorian_text(dt.date(2024, 3, 11), lang="ar-SY", style="levant") == \
        "الاثنين 11 آذار 2024"


def test_gregorian_text_in_other_languages_is_babels():
    assert gregorian_text(DAY, lang="en") == "Tuesday, December 6, 2016"
    assert gregorian_text(DAY, lang="en", style="levant", digits="arab",
                          weekday=False) == "December 6, 2016"
    assert gregorian_text(DAY, lang="fr", weekday=False) == "6 décembre 2016"


def test_dated_text():
    assert dated_text(DAY, lang="ar", style="ar", digits="latn", hijri=True, adjust=0) == \
        "الثلاثاء 6 ديسمبر 2016 — 7 ربيع الأول 1438 هـ"
    assert dated_text(DAY, lang="ar", style="both", digits="arab", hijri=True, adjust=-1) == \
        "الثلاثاء ٦ كانون الأول/ديسمبر ٢٠١٦ — ٦ ربيع الأول ١٤٣٨ هـ"
    assert dated_text(DAY, lang="ar", style="ar", digits="latn", hijri=False, adjust=0) == \
        "الثلاثاء 6 ديسمبر 2016"


def test_dated_text_without_a_hijri_date():
    assert dated_text(DAY, lang="en", style="ar", digits="latn", hijri=True, adjust=0) == \
        "Tuesday, December 6, 2016"
    assert dated_text(dt.date(1900, 1, 1), lang="ar", style="ar", digits="latn", hijri=True,
                      adjust=0) == "الاثنين 1 يناير 1900"


# Digits

def test_with_digits():
    assert with_digits("6 ديسمبر 2016، 14:30", "latn") == "6 ديسمبر 2016، 14:30"
    assert with_digits("6 ديسمبر 2016، 14:30", "arab") == "٦ ديسمبر ٢٠١٦، ١٤:٣٠"
    assert with_digits("0123456789", "arab") == "٠١٢٣٤٥٦٧٨٩"
    assert with_digits("بلا أرقام", "arab") == "بلا أرقام"


@pytest.mark.parametrize("digits", ["arabext", "Arab", "", "hindi"])
def test_other_digit_styles_are_errors(digits):
    with pytest.raises(ValueError, match="latn, arab"):
        with_digits("2016", digits)
    with pytest.raises(ValueError):
        count_text(3, MINUTES, lang="en", digits=digits)  # even where digits stay 0-9


# Plurals

AR_CATEGORIES = {
    "zero": [0],
    "one": [1],
    "two": [2],
    "few": [3, 4, 7, 10, 103, 105, 110, 1003, 1010],
    "many": [11, 12, 50, 99, 111, 150, 199, 1011, 1099],
    "other": [100, 101, 102, 200, 1000, 1001, 1002, 1100, 1_000_000],
}


@pytest.mark.parametrize("category, numbers", AR_CATEGORIES.items())
def test_arabic_plural_categories(category, numbers):
    assert [plural_category(n, "ar") for n in numbers] == [category] * len(numbers)
    assert [plural_category(n, "ar-SY") for n in numbers] == [category] * len(numbers)


def test_english_plural_categories():
    assert [plural_category(n, "en") for n in (0, 1, 2, 3, 11, 100)] == \
        ["other", "one", "other", "other", "other", "other"]


@pytest.mark.parametrize("n, text", [
    (0, "أقل من دقيقة"), (1, "دقيقة واحدة"), (2, "دقيقتان"), (3, "3 دقائق"),
    (10, "10 دقائق"), (11, "11 دقيقة"), (99, "99 دقيقة"), (100, "100 دقيقة"),
    (102, "102 دقيقة"), (103, "103 دقائق"), (111, "111 دقيقة"), (1000, "1000 دقيقة"),
])
def test_arabic_minutes(n, text):
    assert count_text(n, MINUTES, lang="ar") == text


def test_counts_in_arabic_indic_digits():
    assert count_text(3, MINUTES, lang="ar", digits="arab") == "٣ دقائق"
    assert count_text(111, MINUTES, lang="ar", digits="arab") == "١١١ دقيقة"
    assert count_text(3, {"one": "{n} minute", "other": "{n} minutes"}, lang="en",
                      digits="arab") == "3 minutes"


def test_a_missing_category_reads_as_other():
    forms = {"one": "مقال واحد", "other": "{n} مقال"}
    assert count_text(2, forms, lang="ar") == "2 مقال"
    assert count_text(11, forms, lang="ar") == "11 مقال"
    assert count_text(1, forms, lang="ar") == "مقال واحد"


@pytest.mark.parametrize("n", [1, 3, 100])
def test_a_missing_other_is_an_error_for_every_number(n):
    with pytest.raises(ValueError, match="missing 'other'"):
        count_text(n, {"one": "دقيقة واحدة", "few": "{n} دقائق"}, lang="ar")


# Reading time

def test_word_count():
    assert word_count("") == 0
    assert word_count("كَتَبَ الصحفيُّ — تقريراً عن U.N. في 2016") == 7
    assert word_count("  سطر\nوسطر\tآخر  ") == 3


@pytest.mark.parametrize("words, lang, minutes", [
    (0, "ar", 1), (1, "ar", 1), (140, "ar", 1), (209, "ar", 1), (210, "ar", 2),
    (700, "ar", 5), (1400, "ar", 10), (700, "ar-SY", 5),
    (0, "en", 1), (230, "en", 1), (700, "en", 3), (2300, "en", 10),
    (2300, "fr", 10),  # a language without its own figure reads at English speed
])
def test_reading_minutes(words, lang, minutes):
    assert reading_minutes(words, lang) == minutes


def test_arabic_is_read_more_slowly_per_word():
    assert all(reading_minutes(n, "ar") >= reading_minutes(n, "en") for n in range(0, 5000, 37))
    assert reading_minutes(2000, "ar") > reading_minutes(2000, "en")


def test_reading_text(words):
    assert reading_text(700, words["ar"], lang="ar") == "5 دقائق للقراءة"
    assert reading_text(100, words["ar"], lang="ar") == "دقيقة واحدة للقراءة"
    assert reading_text(280, words["ar"], lang="ar") == "دقيقتان للقراءة"
    assert reading_text(1600, words["ar"], lang="ar", digits="arab") == "١١ دقيقة للقراءة"
    assert reading_text(700, words["en"], lang="en") == "Reading time: 3 minutes"
    assert reading_text(10, words["en"], lang="en") == "Reading time: 1 minute"


# Times of day

def test_clock_text_in_arabic(words):
    assert clock_text("14:30", "Asia/Damascus", words=words["ar"]) == "14:30 بتوقيت دمشق"
    assert clock_text("14:30", "Asia/Damascus", digits="arab", words=words["ar"]) == \
        "١٤:٣٠ بتوقيت دمشق"
    assert clock_text("09:05", "Asia/Beirut", lang="ar-LB", words=words["ar"]) == \
        "09:05 بتوقيت بيروت"


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Zulu"])
def test_utc_is_greenwich(words, zone):
    assert clock_text("14:30", zone, words=words["ar"]) == "14:30 بتوقيت غرينتش"
    assert clock_text("14:30", zone, lang="en", words=words["en"]) == "14:30 GMT time"


def test_a_fixed_offset_zone_is_told_by_its_offset():
    assert zone_city("Etc/GMT-3", "ar") == "غرينتش+03:00"  # POSIX signs: three hours east
    assert zone_city("Etc/GMT+5", "en") == "GMT-05:00"


def test_clock_text_on_an_english_page(words):
    assert clock_text("14:30", "Asia/Damascus", lang="en", words=words["en"]) == \
        "14:30 Damascus time"
    assert clock_text("14:30", "Asia/Damascus", lang="en", digits="arab",
                      words=words["en"]) == "14:30 Damascus time"


def test_an_old_zone_name_finds_its_city():
    assert zone_city("Asia/Calcutta", "en") == zone_city("Asia/Kolkata", "en") == "Kolkata"


@pytest.mark.parametrize("zone", ["Asia/Nowhere", "", "../etc/passwd"])
def test_an_unknown_zone_is_an_error(words, zone):
    with pytest.raises(ValueError, match="time zone"):
        clock_text("14:30", zone, words=words["ar"])


def test_a_missing_time_in_word_is_named():
    with pytest.raises(LookupError, match="time_in"):
        clock_text("14:30", "Asia/Damascus", words={})


# words.toml

def test_words_toml_has_every_arabic_category(words):
    for key in ("minutes", "articles_count"):
        assert set(words["ar"][key]) == set(PLURAL_CATEGORIES), key
        assert "other" in words["en"][key], key


def test_the_arabic_minutes_are_the_bare_forms(words):
    assert words["ar"]["minutes"] == MINUTES


def test_articles_count(words):
    got = [count_text(n, words["ar"]["articles_count"], lang="ar") for n in (0, 1, 2, 5, 20, 100)]
    assert got == ["لا مقالات", "مقال واحد", "مقالان", "5 مقالات", "20 مقالاً", "100 مقال"]
    assert count_text(1, words["en"]["articles_count"], lang="en") == "1 article"
    assert count_text(7, words["en"]["articles_count"], lang="en") == "7 articles"


SPELT = {"zero", "one", "two"}  # these may spell the number instead of writing it


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("key", ["minutes", "articles_count"])
def test_every_phrase_shows_its_number(words, lang, key):
    numbers = [n for ns in AR_CATEGORIES.values() for n in ns]
    for n in numbers:
        category = plural_category(n, lang)
        text = count_text(n, words[lang][key], lang=lang)
        if category not in SPELT:
            assert str(n) in text, (lang, key, n, text)
        assert "{" not in text and "}" not in text, (lang, key, n, text)


def test_the_time_patterns_have_both_places(words):
    for lang in ("ar", "en"):
        assert "{time}" in words[lang]["time_in"] and "{city}" in words[lang]["time_in"]
        assert "{minutes}" in words[lang]["reading_time"]


def test_the_older_words_are_still_plain_text(words):
    for lang in ("ar", "en"):
        plain = {k: v for k, v in words[lang].items() if k not in ("minutes", "articles_count")}
        assert all(isinstance(v, str) for v in plain.values()), lang
        assert plain["read_also"] in ("اقرأ أيضاً", "Read also")
