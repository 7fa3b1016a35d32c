"""Dates, counts and times of day as an Arabic news site writes them.

Gregorian month names come from CLDR through Babel, in the style a newsroom
chooses: "ar" (ديسمبر, CLDR's ``ar``), "levant" (كانون الأول, CLDR's
``ar_SY``, which ``ar_LB``, ``ar_JO``, ``ar_IQ`` and ``ar_PS`` share) or
"both" (كانون الأول/ديسمبر). Hijri dates are Umm al-Qura, through
``hijridate``. Plurals follow CLDR's six Arabic categories, and every digit
an Arabic page shows passes through ``with_digits``, so "arab" (٠-٩) is a
setting in one place. Pages in other languages get Babel's own long dates
and keep 0-9.

Everything here is pure: the same arguments give the same text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, get_timezone, get_timezone_gmt, get_timezone_location
from hijridate import Gregorian

DIGIT_STYLES = ("latn", "arab")
MONTH_STYLES = ("ar", "levant", "both")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
HIJRI_ADJUSTMENTS = (-1, 0, 1)

# Babel has no table of digits by numbering system, so Arabic-Indic is spelt out.
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_LEVANT_LOCALE = "ar_SY"  # CLDR gives ar_LB, ar_JO, ar_IQ and ar_PS the same names

# CLDR's Arabic names for the islamic-umalqura months. Babel imports only
# CLDR's Gregorian calendar, so they cannot come from it; hijridate has its
# own, but writes ربيع الثاني where CLDR and the Umm al-Qura calendar itself
# write ربيع الآخر.
HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
HIJRI_ERA = "هـ"  # CLDR's abbreviated era of the islamic calendars in Arabic

# Words per minute, from IReST (Trauzettel-Klosinski & Dietz, IOVS 2012), the
# same passage in 17 languages: Arabic was the slowest, 138 ± 20, English
# 228 ± 30. An Arabic written word often carries what English spells as two
# or three (و + ب + ال + noun), so fewer words a minute is not slower reading.
# Silent reading is faster than IReST's aloud in both, about in proportion.
WORDS_PER_MINUTE = {"ar": 140, "en": 230}
DEFAULT_WORDS_PER_MINUTE = WORDS_PER_MINUTE["en"]


# Digits and languages

def with_digits(text: str, digits: str) -> str:
    """``text`` with 0-9 as ``digits`` says: "latn" keeps them, "arab" writes ٠-٩."""
    if digits == "latn":
        return text
    if digits == "arab":
        return text.translate(_ARABIC_INDIC)
    raise ValueError(f"digits: expected one of {', '.join(DIGIT_STYLES)}, got {digits!r}")


def base_language(lang: str) -> str:
    """"ar" of "ar-SY" or "ar_SY"."""
    return lang.replace("_", "-").split("-")[0].lower()


def is_arabic(lang: str) -> bool:
    """Whether the language tag ("ar", "ar-SY") is Arabic."""
    return base_language(lang) == "ar"


@lru_cache(maxsize=64)
def cldr_locale(lang: str) -> Locale:
    """The CLDR locale of a language tag ('ar-SY' -> ar_SY), else of its base language."""
    for candidate in (lang.replace("-", "_"), base_language(lang)):
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    raise ValueError(f"no CLDR locale for language {lang!r}")


def _page_digits(lang: str, digits: str) -> str:
    """The digits a page in ``lang`` shows: the setting for Arabic, 0-9 for the rest."""
    with_digits("", digits)  # a bad setting is an error whatever the language
    return digits if is_arabic(lang) else "latn"


# Hijri

def hijri_parts(date: dt.date, adjust: int = 0) -> tuple[int, int, int] | None:
    """(year, month, day) of ``date`` in the Umm al-Qura calendar.

    ``adjust`` (-1, 0 or +1) shifts the Gregorian day first, for a newsroom
    whose month begins with a local sighting of the moon a day before or
    after Umm al-Qura's. None when the day is outside what ``hijridate``
    covers (1924-08-01 to 2077-11-16, that is 1 Muharram 1343 to the end of
    1500), rather than an error: a Hijri date is an extra, the page still
    has its Gregorian one.
    """
    if adjust not in HIJRI_ADJUSTMENTS:
        raise ValueError(f"hijri adjust: expected -1, 0 or 1, got {adjust!r}")
    try:
        day = date + dt.timedelta(days=adjust)
        return Gregorian(day.year, day.month, day.day).to_hijri().datetuple()
    except OverflowError:  # outside hijridate's table, or outside datetime's years
        return None


def hijri_text(date: dt.date, *, adjust: int = 0, digits: str = "latn") -> str | None:
    """«7 ربيع الأول 1438 هـ», or None outside the covered years (see ``hijri_parts``)."""
    parts = hijri_parts(date, adjust)
    if parts is None:
        return None
    year, month, day = parts
    return with_digits(f"{day} {HIJRI_MONTHS[month - 1]} {year} {HIJRI_ERA}", digits)


# Gregorian

def month_name(month: int, *, style: str = "ar") -> str:
    """The Arabic name of a Gregorian month (1-12) in a ``MONTH_STYLES`` style."""
    if not 1 <= month <= 12:
        raise ValueError(f"month: expected 1-12, got {month!r}")
    if style == "ar":
        return _cldr_month(month, "ar")
    if style == "levant":
        return _cldr_month(month, _LEVANT_LOCALE)
    if style == "both":
        return f"{_cldr_month(month, _LEVANT_LOCALE)}/{_cldr_month(month, 'ar')}"
    raise ValueError(f"month names: expected one of {', '.join(MONTH_STYLES)}, got {style!r}")


def _cldr_month(month: int, locale: str) -> str:
    return cldr_locale(locale).months["format"]["wide"][month]


def gregorian_text(date: dt.date, *, lang: str = "ar", style: str = "ar",
                   digits: str = "latn", weekday: bool = True) -> str:
    """«الثلاثاء 6 ديسمبر 2016» on an Arabic page; on another, Babel's long
    date in that language ("Tuesday, December 6, 2016"), where ``style`` has
    no say and the digits stay 0-9."""
    digits = _page_digits(lang, digits)
    if not is_arabic(lang):
        return format_date(date, format="full" if weekday else "long", locale=cldr_locale(lang))
    text = f"{date.day} {month_name(date.month, style=style)} {date.year}"
    if weekday:
        text = f"{cldr_locale('ar').days['format']['wide'][date.weekday()]} {text}"
    return with_digits(text, digits)


def dated_text(date: dt.date, *, lang: str, style: str, digits: str, hijri: bool,
               adjust: int) -> str:
    """The Gregorian date, and on an Arabic page the Hijri one after a dash:
    «الثلاثاء 6 ديسمبر 2016 — 7 ربيع الأول 1438 هـ». A day outside the Hijri
    table shows its Gregorian date alone."""
    text = gregorian_text(date, lang=lang, style=style, digits=digits)
    if not (hijri and is_arabic(lang)):
        return text
    hijri_date = hijri_text(date, adjust=adjust, digits=digits)
    return f"{text} — {hijri_date}" if hijri_date else text


# Counts

def plural_category(n: int, lang: str) -> str:
    """CLDR's plural category of ``n`` in ``lang``: zero, one, two, few, many or other."""
    return cldr_locale(lang).plural_form(n)


def count_text(n: int, forms: Mapping[str, str], *, lang: str, digits: str = "latn") -> str:
    """The phrase of ``forms`` for ``n``'s plural category, ``{n}`` replaced by
    the number: «دقيقتان», «3 دقائق», «11 دقيقة». A category ``forms`` lacks
    reads as "other", so "other" must be there, whatever ``n`` is: a table
    that breaks on a rare number should break on every number."""
    category = plural_category(n, lang)
    if "other" not in forms:
        shown = ", ".join(sorted(forms)) or "none"
        raise ValueError(f"plural forms: missing 'other', which every missing category "
                         f"falls back to (have: {shown}; {n} is '{category}')")
    phrase = forms.get(category, forms["other"])
    return with_digits(phrase.replace("{n}", str(n)), _page_digits(lang, digits))


def word_count(text: str) -> int:
    """Words of plain text: runs between spaces with a letter or digit in
    them, so a lone dash is none and a word with tashkeel is one."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def reading_minutes(word_count: int, lang: str) -> int:
    """Minutes to read ``word_count`` words in ``lang``, to the nearest, at least 1."""
    per_minute = WORDS_PER_MINUTE.get(base_language(lang), DEFAULT_WORDS_PER_MINUTE)
    return max(1, (word_count + per_minute // 2) // per_minute)


def reading_text(word_count: int, words: Mapping[str, Any], *, lang: str,
                 digits: str = "latn") -> str:
    """«3 دقائق للقراءة»: the words' ``minutes`` forms in their ``reading_time`` pattern."""
    minutes = count_text(reading_minutes(word_count, lang), _word(words, "minutes", lang),
                         lang=lang, digits=digits)
    return _word(words, "reading_time", lang).replace("{minutes}", minutes)


def _word(words: Mapping[str, Any], key: str, lang: str) -> Any:
    if key not in words:
        raise LookupError(f"no interface word '{key}' for '{lang}' in words.toml")
    return words[key]


# Times of day

def clock_text(time: str, zone: str, *, lang: str = "ar", digits: str = "latn",
               words: Mapping[str, Any]) -> str:
    """«14:30 بتوقيت دمشق»: a time of day ("HH:MM") where ``zone`` (an IANA
    name) is, in the ``time_in`` pattern of ``words`` (the interface words of
    ``lang``, with ``{time}`` and ``{city}``)."""
    pattern = _word(words, "time_in", lang)
    text = pattern.replace("{time}", time).replace("{city}", zone_city(zone, lang))
    return with_digits(text, _page_digits(lang, digits))


def zone_city(zone: str, lang: str) -> str:
    """The place a time is told by: CLDR's exemplar city of ``zone`` in
    ``lang`` (دمشق); for the Etc zones (UTC, GMT, fixed offsets), which have
    no city, CLDR's GMT label (غرينتش, GMT, غرينتش+03:00)."""
    locale = cldr_locale(lang)
    try:
        tz = get_timezone(zone)
    except (LookupError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
    if get_global("zone_aliases").get(zone, zone).startswith("Etc/"):
        return _gmt_label(tz, locale)
    return get_timezone_location(tz, locale=locale, return_city=True)


def _gmt_label(tz: dt.tzinfo, locale: Locale) -> str:
    moment = dt.datetime(2000, 1, 1, tzinfo=tz)  # Etc zones never change offset
    if not moment.utcoffset():
        return (locale.zone_formats["gmt"] % "").strip()  # CLDR's zero format: no "+00:00"
    return get_timezone_gmt(moment, width="long", locale=locale)
