"""TOML front matter, between ``+++`` lines, as Hugo sites often write it.

It is split and read here, then checked field by field exactly as YAML front
matter is (``frontmatter.check_fields``): the same fields, the same
messages, each at its line. TOML's dates and times become the text the
checks expect. The text is bounded as YAML's is; TOML has no anchors, and a
nesting too deep for the parser is one error.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

from ..errors import WarraqError, error
from .frontmatter import check_size, split_fenced

_OPENING = re.compile(r"\+\+\+[ \t]*\n")
_FENCE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_KEY = re.compile(r"""[ \t]*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))[ \t]*[=.]""")
_TABLE = re.compile(r"""[ \t]*\[\[?[ \t]*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))""")
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def split_toml_front_matter(rel_path: str, text: str) -> tuple[str, str, int] | None:
    """(toml, body, body's first line number), or None without ``+++`` first."""
    return split_fenced(rel_path, text, _OPENING, _FENCE, "+++")


def load_toml_front_matter(rel_path: str, toml_text: str) -> tuple[dict[str, Any],
                                                                  dict[str, int]]:
    """The top-level fields and the line of each; WarraqError for bad TOML."""
    check_size(rel_path, toml_text)
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        found = _AT_LINE.search(str(exc))
        line = int(found.group(1)) + 1 if found else 1
        message = _AT_LINE.sub("", str(exc)).strip()
        raise WarraqError([error(rel_path, line, f"front matter: {message}")]) from None
    except RecursionError:
        raise WarraqError([error(rel_path, 1, "front matter: nested too deeply")]) from None
    return {key: _as_text(value) for key, value in data.items()}, _key_lines(toml_text)


def _key_lines(toml_text: str) -> dict[str, int]:
    """Each top-level key's line (the file's: the ``+++`` line is line 1)."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(toml_text.split("\n"), start=2):
        table = _TABLE.match(line)
        if table:
            in_table = True
            lines.setdefault(next(g for g in table.groups() if g is not None), number)
            continue
        key = None if in_table else _KEY.match(line)
        if key:
            lines.setdefault(next(g for g in key.groups() if g is not None), number)
    return lines


def _as_text(value: Any) -> Any:
    """TOML's dates and times as the ISO text YAML front matter gives."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return value
