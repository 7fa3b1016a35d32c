"""Interface words ("اقرأ أيضاً", "الرئيسية" …) by language, from ``words.toml``
in the templates folder, so a newsroom translates or rewords them without
touching a template.

A site's own ``templates/words.toml`` overrides the default theme's key by
key, per language (see ``theme``). A page in the site's language uses the
site's words; an article in another language uses its own; a language missing
from the file falls back to the site's words, then to English.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Callable

from .errors import WarraqError, error

WORDS_FILE = "words.toml"


def load_words(*folders: Path) -> dict[str, dict[str, Any]]:
    """Words by language from the ``words.toml`` of each folder, the first
    folder's winning key by key within each language's table (a site's own
    file need hold only the words it changes). No file at all, or a broken
    one, is an error."""
    tables = [table for table in map(_read_words, folders) if table is not None]
    if not tables:
        shown = f"{folders[0].name}/{WORDS_FILE}"
        raise WarraqError([error(shown, 1, "missing: the interface words live here")],
                          exit_code=2)
    merged: dict[str, dict[str, Any]] = {}
    for table in reversed(tables):
        for lang, words in table.items():
            merged[lang] = {**merged.get(lang, {}), **words}
    return merged


def _read_words(templates: Path) -> dict[str, dict[str, Any]] | None:
    path = templates / WORDS_FILE
    shown = f"{templates.name}/{WORDS_FILE}"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WarraqError([error(shown, getattr(exc, "lineno", 1) or 1, str(exc))],
                          exit_code=2) from None
    bad = [lang for lang, words in table.items() if not isinstance(words, dict)]
    if bad:
        raise WarraqError([error(shown, 1, f"'{bad[0]}' must be a table of words")],
                          exit_code=2)
    return table


def translator(table: dict[str, dict[str, str]], site_lang: str) -> Callable[..., str]:
    """t(key, lang=site language): the word for ``key`` in the best language."""
    def t(key: str, lang: str | None = None) -> str:
        lang = lang or site_lang
        for candidate in (lang, lang.split("-")[0], site_lang, "en"):
            words = table.get(candidate)
            if words is not None and key in words:
                return words[key]
        raise LookupError(f"no interface word '{key}' in {WORDS_FILE}")
    return t
