"""YAML front matter of Markdown articles: split, parse, check every field
(TOML front matter, read by ``toml_front``, is checked here too).

Each problem names the line of the field it is about; all are reported
together. Unknown fields are kept out of the article with a warning whose
text is the same in every file (so a build can count them as one).

Hugo's and Jekyll's fields are understood too: ``tags`` and ``categories``
file the article under topics as ``topics`` does, ``description`` is the
summary, ``lastmod`` the time of the last update, ``aliases`` (or Jekyll's
``redirect_from``) the old addresses that redirect to the article.

Front matter may be hostile, so what PyYAML is given is bounded first
(``yaml_front``, imported by the first front matter a build parses): a
size limit, no anchors or aliases (366 bytes of them once took 141 s and
11 GB), and a nesting limit checked before libyaml or PyYAML (both of which
compose recursively) see the text. A value holding a control character or
half a surrogate pair cannot be published, and is an error. Values quoted in
messages are cut short, so that every message stays one short line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import Problem, WarraqError, error, warning

FIELDS = ("title", "date", "updated", "topics", "slug", "lang", "summary", "source",
          "read_also", "draft", "author", "image", "image_caption", "image_credit",
          "image_alt", "featured", "breaking", "breaking_until", "correction",
          "correction_date", "aliases", "tags", "categories", "description", "lastmod",
          "redirect_from")
# Another generator's name for a field, read as Warraq's when Warraq's is absent.
SYNONYMS = {"description": "summary", "lastmod": "updated", "redirect_from": "aliases"}
_DATES = ("date", "updated", "breaking_until", "correction_date", "lastmod")
_LISTS = ("topics", "read_also", "aliases", "tags", "categories", "redirect_from")
_FLAGS = ("draft", "featured", "breaking")
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 20  # collections inside collections; the document's mapping is level 1
ECHO_CHARS = 60  # of a value quoted in a message
NUMBER_MAX_CHARS = 40  # Python will not even print an int of 4,300 digits


_OPENING = re.compile(r"---[ \t]*\n")
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_UNPUBLISHABLE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")


def split_front_matter(rel_path: str, text: str) -> tuple[str, str, int]:
    """(yaml, body, body's first line number); no front matter gives ("", text, 1)."""
    return split_fenced(rel_path, text, _OPENING, _FENCE, "---") or ("", text, 1)


def split_fenced(rel_path: str, text: str, opening: re.Pattern, closing: re.Pattern,
                 fence: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line number) of a text that starts
    with ``opening``, up to the next line ``closing`` matches; None if it does not."""
    if not opening.match(text):
        return None
    end = closing.search(text, text.index("\n") + 1)
    if end is None:
        raise WarraqError([error(rel_path, 1, f"front matter: no closing '{fence}' line")])
    body_line = text.count("\n", 0, end.end()) + 2
    return text[text.index("\n") + 1:end.start()], text[end.end() + 1:], body_line


def parse_front_matter(rel_path: str, yaml_text: str
                       ) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Checked fields, the line of each field, and warnings; or WarraqError
    listing every bad field."""
    from .yaml_front import load  # PyYAML is loaded by the first front matter
    return check_fields(rel_path, *load(rel_path, yaml_text))


def check_fields(rel_path: str, data: dict[str, Any], lines: dict[str, int]
                 ) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The fields of front matter read by any syntax, checked as
    ``parse_front_matter`` checks them."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(key, 1)
        if key not in FIELDS:
            problems.append(warning(rel_path, line, f"unknown field {quoted(key)} ignored "
                                    f"(known: {', '.join(FIELDS)})"))
            continue
        unpublishable = _unpublishable(value)
        checked = _Bad(unpublishable) if unpublishable else _check(key, value)
        if isinstance(checked, _Bad):
            problems.append(error(rel_path, line, f"{key}: {checked.message}"))
        elif checked is not None:
            fields[key] = checked
    if "title" not in data:
        problems.append(error(rel_path, 1, "title: missing; every article needs a headline"))
    errors = [p for p in problems if p.is_error]
    if errors:
        raise WarraqError(errors)
    return fields, lines, problems


def check_size(rel_path: str, yaml_text: str) -> None:
    if len(yaml_text) * 4 <= MAX_FRONT_MATTER_BYTES:  # no UTF-8 character takes more
        return
    size = len(yaml_text.encode("utf-8", "surrogatepass"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise WarraqError([error(rel_path, 1, f"front matter too large: {size} bytes; the "
                                 f"limit is {MAX_FRONT_MATTER_BYTES / 1024:g} KiB")])


def _unpublishable(value: Any) -> str | None:
    """What is wrong with a value holding a control character (other than tab
    and newline) or a lone surrogate, which cannot be written; else None."""
    if isinstance(value, str):
        found = _UNPUBLISHABLE.search(value)
        if not found:
            return None
        code = ord(found[0])
        return (f"contains the control character U+{code:04X}, which cannot be published"
                if code < 0xD800 else f"contains U+{code:04X}, half of a UTF-16 surrogate "
                "pair (an escape such as \"\\ud800\" without its other half), which cannot "
                "be published")
    if isinstance(value, dict):
        value = [*value, *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return next(filter(None, map(_unpublishable, value)), None)
    return None


def cut_short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(value: Any) -> str:
    """A value as a message quotes it: repr (which escapes controls, bidi
    controls and surrogates), cut short."""
    return cut_short(repr(value), ECHO_CHARS)


class _Bad:
    def __init__(self, message: str):
        self.message = message


def _check(key: str, value: Any) -> Any:
    if key in _DATES:
        return _check_date(value)
    if key in _LISTS:
        return _check_list(value)
    if key in _FLAGS:
        return value if isinstance(value, bool) else _Bad(
            f"expected true or false, got {quoted(value)}")
    if value is None:
        return None if key != "title" else _Bad("empty; every article needs a headline")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return _Bad(f"expected text, got {quoted(value)}")
    text = str(value).strip()
    if key == "title" and not text:
        return _Bad("empty; every article needs a headline")
    if key == "lang" and not _LANG.match(text):
        return _Bad(f"expected a language code such as 'ar' or 'en', got {quoted(text)}")
    return text


_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?)"
                     r" ?(Z|[+-]\d{2}:?\d{2})?)?")  # Jekyll: "2016-12-06 14:30:00 +0300"


def _check_date(value: Any) -> Any:
    """A date (2016-12-06) or a date and time of day (2016-12-06 14:30, with
    seconds, "T", or an offset as one likes): a ``date`` or a ``datetime``,
    naive unless an offset was given (then the site's time zone applies)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip()
    found = _MOMENT.fullmatch(text)
    try:
        if found and not found[2]:
            return dt.date.fromisoformat(found[1])
        if found:
            clock = found[2] if found[2].count(":") == 2 else found[2] + ":00"
            zone = (found[3] or "").replace("Z", "+00:00")
            return dt.datetime.fromisoformat(f"{found[1]}T{clock.zfill(8)}{zone}")
    except ValueError:
        pass
    return _Bad(f"expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got {quoted(str(value))}")


def _check_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split("[,،]", value) if v.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return _Bad(f"expected a list of text, got {quoted(value)}")
