"""Site configuration: one frozen dataclass, loaded once from ``warraq.toml``.

Unknown keys and wrong types are errors, and every problem in the file is
reported at once. Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import Problem, WarraqError, error
from .moments import zone

CONFIG_NAME = "warraq.toml"
SLUG_STYLES = ("arabic", "latin")
# A base URL goes into every link of every page: a path of plain segments, or
# an http(s) URL with a host and such a path. Quotes, angle brackets, spaces,
# backslashes, "?" and "#" are refused, so it can never leave an attribute.
_SEGMENTS = r"(?:/[\w\-.~%!$&()*+,;=:@]*)*/?"
_BASE_URL = re.compile(rf"(?:https?://[\w\-.]+(?::\d{{1,5}})?)?{_SEGMENTS}", re.I)


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know that is not content."""

    root: Path = Path(".")
    title: str = "وراق"
    description: str = ""
    lang: str = "ar"
    base_url: str = "/"
    fallback_date: dt.date | None = None
    per_page: int = 10
    related_count: int = 4
    slug_style: str = "arabic"
    slug_max_length: int = 80
    wire_lang: str = "auto"
    latin_lang: str = "en"
    topic_min_score: int = 2
    max_topics: int = 5
    content_dirs: tuple[str, ...] = ("content", "seeds")
    output_dir: str = "_site"
    templates_dir: str = "templates"
    static_dir: str = "static"
    raw_html: bool = False  # Markdown raw HTML: shown as text, or (true) sanitised with nh3
    site_url: str = ""  # the site's full URL, https://example.org/news/: feeds, sitemaps, cards
    timezone: str = "UTC"  # IANA name: where a date's time of day is
    search: bool = True  # a Pagefind index and the search page
    feed_entries: int = 50
    theme_color: str = "#8a1c1c"
    favicon: str = "static/favicon.svg"  # site-relative
    logo: str = ""  # the publisher's logo, site-relative; default the favicon
    hijri: bool = False  # the Umm al-Qura date beside the Gregorian one
    hijri_adjust: int = 0  # -1, 0 or 1 day, for newsrooms that follow local sighting
    month_names: str = "ar"  # Gregorian months: "ar" (ديسمبر), "levant" (كانون الأول), "both"
    digits: str = "latn"  # "latn" (2016) or "arab" (٢٠١٦) in dates, counts, page numbers
    front_sections: tuple[str, ...] = ()  # topics shown as sections of the front page
    front_section_size: int = 4
    topics: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    authors: tuple[AuthorInfo, ...] = field(default=())

    @property
    def address(self) -> str:
        """The site's absolute URL with a slash at the end, or "" when unknown:
        ``site_url``, else a ``base_url`` given as a full URL."""
        url = self.site_url or (self.base_url if "://" in self.base_url else "")
        return url if not url or url.endswith("/") else url + "/"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always with slashes both ends:
        ``base_url``'s, or when that is "/", the path of ``site_url``."""
        path = self.site_url if self.base_url == "/" and self.site_url else self.base_url
        if "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        path = "/" + path.strip("/")
        return path if path == "/" else path + "/"

    def abs(self, rel: str) -> Path:
        return self.root / rel


@dataclass(frozen=True)
class AuthorInfo:
    """An ``[authors]`` entry: the byline as articles give it, and what its page shows."""

    byline: str
    name: str
    bio: str = ""
    url: str = ""


_TABLES = ("root", "topics", "authors")
_SCALARS: dict[str, type] = {f.name: f.type for f in fields(Config) if f.name not in _TABLES}
_LISTS = ("content_dirs", "front_sections")


def load_config(path: Path | None, **overrides: Any) -> Config:
    """Read ``path`` (or use defaults when it is None) and apply overrides."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    root = Path.cwd() if path is None else path.parent
    lines = _key_lines(path) if path is not None else {}
    if path is not None:
        raw = _read_toml(path)
        rel = path.name
        for key, value in raw.items():
            where = (rel, lines.get(key, 1))
            if key == "topics":
                values["topics"] = _check_topics(where, value, problems)
            elif key == "authors":
                values["authors"] = _check_authors(where, value, problems)
            elif key in _SCALARS:
                values[key] = _check_scalar(where, key, value, problems)
            else:
                known = ", ".join(sorted([*_SCALARS, *_TABLES[1:]]))
                problems.append(error(*where, f"unknown key '{key}' (known: {known})"))
    if problems:
        raise WarraqError(problems)
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = replace(Config(root=root), **values)
    _check_values(config, path, lines, given={k for k, v in overrides.items() if v is not None})
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _lineno_from_message(str(exc))
        raise WarraqError([error(path.name, line, f"invalid TOML: {exc}")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise WarraqError([error(path.name, 1, f"cannot read: {exc}")]) from exc


def _lineno_from_message(message: str) -> int:
    marker = "(at line "
    if marker in message:
        return int(message.split(marker, 1)[1].split(",", 1)[0])
    return 1


def _key_lines(path: Path) -> dict[str, int]:
    """The line where each key or table is first named, read once."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}  # _read_toml reports it
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            lines.setdefault(stripped[1:-1], number)
        lines.setdefault(stripped.split("=", 1)[0].strip().strip('"'), number)
    return lines


def _check_scalar(where: tuple[str, int], key: str, value: Any, problems: list[Problem]) -> Any:
    expected = _SCALARS[key]
    if key in _LISTS:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        what = "folder names" if key == "content_dirs" else "topic names"
        problems.append(error(*where, f"{key}: expected a list of {what}"))
        return None
    if key == "fallback_date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            pass
        problems.append(error(*where, f"{key}: expected a date YYYY-MM-DD, got {value!r}"))
        return None
    wanted = bool if "bool" in str(expected) else int if "int" in str(expected) else str
    if wanted is bool:
        if isinstance(value, bool):
            return value
        problems.append(error(*where, f"{key}: expected true or false, got {value!r}"))
        return None
    if isinstance(value, wanted) and not isinstance(value, bool):
        return value
    problems.append(error(*where, f"{key}: expected {wanted.__name__}, got {value!r}"))
    return None


def _check_topics(where: tuple[str, int], value: Any, problems: list[Problem]):
    if not isinstance(value, dict):
        problems.append(error(*where, "topics: expected a table of name = [aliases]"))
        return ()
    topics = []
    for name, aliases in value.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(error(*where, f"topics: '{name}' expects a list of aliases"))
            continue
        topics.append((name, tuple(aliases)))
    return tuple(topics)


_AUTHOR_FIELDS = ("name", "bio", "url")


def _check_authors(where: tuple[str, int], value: Any, problems: list[Problem]):
    """``[authors]``: byline = { name = "…", bio = "…", url = "https://…" }."""
    if not isinstance(value, dict):
        problems.append(error(*where, "authors: expected a table of byline = { name, bio, url }"))
        return ()
    authors = []
    for byline, entry in value.items():
        if isinstance(entry, str):
            entry = {"name": entry}
        unknown = sorted(set(entry) - set(_AUTHOR_FIELDS)) if isinstance(entry, dict) else []
        if not isinstance(entry, dict) or unknown or not all(
                isinstance(v, str) for v in entry.values()):
            extra = f" (unknown: {', '.join(unknown)})" if unknown else ""
            problems.append(error(*where, f"authors: '{byline}' expects name, bio and url "
                                  f"as text{extra}"))
            continue
        url = entry.get("url", "")
        if url and not url.startswith(("https://", "http://")):
            problems.append(error(*where, f"authors: '{byline}': url must start with https://"))
            continue
        authors.append(AuthorInfo(byline, entry.get("name") or byline, entry.get("bio", ""), url))
    return tuple(authors)


def _valid_base_url(url: str) -> bool:
    path = url.split("://", 1)[-1]
    return url.startswith(("/", "http://", "https://")) and bool(
        _BASE_URL.fullmatch(url)) and ".." not in path.split("/") and "//" not in path


def _check_values(config: Config, path: Path | None, lines: dict[str, int],
                  given: set[str] = frozenset()) -> None:
    rel = path.name if path else CONFIG_NAME

    def line(key: str) -> int:
        return lines.get(key, 1)

    problems = []
    if config.slug_style not in SLUG_STYLES:
        problems.append(error(rel, line("slug_style"), f"slug_style: expected one of "
                              f"{SLUG_STYLES}, got '{config.slug_style}'"))
    for key in ("per_page", "slug_max_length"):
        if getattr(config, key) < 1:
            problems.append(error(rel, line(key), f"{key}: must be at least 1"))
    if config.related_count < 0:
        problems.append(error(rel, line("related_count"), "related_count: must not be negative"))
    problems += _checked_additions(config, rel, line)
    if not _valid_base_url(config.base_url):
        shown = config.base_url if len(config.base_url) <= 60 else config.base_url[:59] + "…"
        where = ("--base-url", 0) if "base_url" in given else (rel, line("base_url"))
        problems.append(error(*where, "base_url: expected a path such as "
                              "/news/ or a URL such as https://example.org/news/, got "
                              f"{shown!r}"))
    if problems:
        raise WarraqError(problems)


_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def _checked_additions(config: Config, rel: str, line) -> list[Problem]:
    """site_url, timezone, feed_entries and theme_color."""
    problems = []
    if config.site_url and config.site_url != config.base_url and not (  # else said once
            config.site_url.startswith(("http://", "https://"))
            and _valid_base_url(config.site_url)):
        problems.append(error(rel, line("site_url"), "site_url: expected a URL such as "
                              f"https://example.org/news/, got {config.site_url[:60]!r}"))
    if zone(config.timezone) is None:
        problems.append(error(rel, line("timezone"), "timezone: expected an IANA name such "
                              f"as 'Asia/Damascus', got {config.timezone[:60]!r}"))
    if config.feed_entries < 1:
        problems.append(error(rel, line("feed_entries"), "feed_entries: must be at least 1"))
    problems += _checked_dates(config, rel, line)
    if not _COLOUR.fullmatch(config.theme_color):
        problems.append(error(rel, line("theme_color"), "theme_color: expected #rgb or "
                              f"#rrggbb, got {config.theme_color[:20]!r}"))
    return problems


MONTH_STYLES = ("ar", "levant", "both")
DIGIT_STYLES = ("latn", "arab")


def _checked_dates(config: Config, rel: str, line) -> list[Problem]:
    """hijri_adjust, month_names, digits and front_section_size."""
    problems = []
    if config.hijri_adjust not in (-1, 0, 1):
        problems.append(error(rel, line("hijri_adjust"), "hijri_adjust: expected -1, 0 or 1, "
                              f"got {config.hijri_adjust}"))
    for key, allowed in (("month_names", MONTH_STYLES), ("digits", DIGIT_STYLES)):
        if getattr(config, key) not in allowed:
            problems.append(error(rel, line(key), f"{key}: expected one of "
                                  f"{', '.join(allowed)}, got {getattr(config, key)[:20]!r}"))
    if config.front_section_size < 1:
        problems.append(error(rel, line("front_section_size"),
                              "front_section_size: must be at least 1"))
    return problems
