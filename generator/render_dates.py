"""The template helpers that write dates, times, counts and page numbers,
each through ``dates`` with the site's settings (month names, digits,
Hijri), so that every Gregorian date of the site is written one way."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Callable

from markupsafe import Markup

from . import dates
from .config import Config


def date_helpers(config: Config, words: Callable[[str, str], object]) -> dict:
    """Globals for the templates: ``published`` (a card's date in <time>, the
    ``long_date`` filter without it), ``dateline``
    (an article's full date, Hijri and time of day), ``month_label``,
    ``count`` and ``reading_time``; and the ``digits`` filter."""
    style, digits, site_lang = config.month_names, config.digits, config.lang

    @lru_cache(maxsize=256)
    def known(lang: str) -> str:
        """``lang``, or the site's language where CLDR has no data for it."""
        try:
            dates.cldr_locale(lang)
        except ValueError:
            return site_lang
        return lang

    @lru_cache(maxsize=65_536)
    def long_date(iso: str, lang: str = site_lang) -> str:
        return dates.gregorian_text(dt.date.fromisoformat(iso[:10]), lang=known(lang),
                                    style=style, digits=digits, weekday=False)

    def published(iso: str, lang: str = site_lang) -> Markup:
        return Markup('<time datetime="%s">%s</time>') % (iso, long_date(iso, lang))

    def dateline(iso: str, lang: str = site_lang, time: str | None = None,
                 stamp: str | None = None) -> Markup:
        lang = known(lang)
        text = dates.dated_text(dt.date.fromisoformat(iso[:10]), lang=lang, style=style,
                                digits=digits, hijri=config.hijri, adjust=config.hijri_adjust)
        tag = Markup('<time datetime="%s">%s</time>') % (stamp or iso, text)
        if not time:
            return tag
        clock = dates.clock_text(time, config.timezone, lang=lang, digits=digits,
                                 words=_words_of(words, lang))
        return tag + Markup(' <span class="clock">%s</span>') % clock

    def month_label(year: int, month: int, lang: str = site_lang) -> str:
        return dates.with_digits(f"{dates.month_name(month, style=style)} {year}", digits)

    def count(n: int, key: str, lang: str = site_lang) -> str:
        return dates.count_text(n, words(key, lang), lang=known(lang), digits=digits)

    def reading_time(word_count: int, lang: str = site_lang) -> str:
        return dates.reading_text(word_count, _words_of(words, lang), lang=known(lang),
                                  digits=digits)

    return {"long_date": long_date, "published": published, "dateline": dateline,
            "month_label": month_label,
            "count": count, "reading_time": reading_time,
            "digits": lambda value: dates.with_digits(str(value), digits)}


def _words_of(words: Callable[[str, str], object], lang: str) -> dict:
    """The few words ``dates`` looks up itself, in ``lang``'s best match."""
    return {key: words(key, lang) for key in ("time_in", "minutes", "reading_time")}
