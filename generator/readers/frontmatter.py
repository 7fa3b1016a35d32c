"""YAML front matter of Markdown articles: split, parse, check every field.

Each problem names the line of the field it is about; all are reported
together. Unknown fields are kept out of the article with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from ..errors import Problem, WarraqError, error, warning

FIELDS = ("title", "date", "topics", "slug", "lang", "summary", "source",
          "read_also", "draft", "author", "image")


class _Loader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad one is reported, not raised."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # libyaml, where PyYAML has it
    """The same, parsing in C; errors are worded by ``_Loader`` so they read alike."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def split_front_matter(rel_path: str, text: str) -> tuple[str, str, int]:
    """(yaml, body, body's first line number); no front matter gives ("", text, 1)."""
    if not re.match(r"---[ \t]*\n", text):
        return "", text, 1
    closing = _FENCE.search(text, text.index("\n") + 1)
    if closing is None:
        raise WarraqError([error(rel_path, 1, "front matter: no closing '---' line")])
    yaml_text = text[text.index("\n") + 1:closing.start()]
    body_line = text.count("\n", 0, closing.end()) + 2
    return yaml_text, text[closing.end() + 1:], body_line


def parse_front_matter(rel_path: str, yaml_text: str
                       ) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Checked fields, the line of each field, and warnings; or WarraqError
    listing every bad field."""
    data, lines = _load(rel_path, yaml_text)
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(key, 1)
        if key not in FIELDS:
            problems.append(warning(rel_path, line, f"unknown field '{key}' ignored "
                                    f"(known: {', '.join(FIELDS)})"))
            continue
        checked = _check(key, value)
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


def _load(rel_path: str, yaml_text: str) -> tuple[dict, dict[str, int]]:
    try:
        node, data = _compose(yaml_text, _FastLoader)
    except yaml.YAMLError:
        try:
            node, data = _compose(yaml_text, _Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            reason = getattr(exc, "problem", None) or str(exc)
            raise WarraqError([error(rel_path, line, f"front matter: invalid YAML: {reason}")]
                              ) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise WarraqError([error(rel_path, 2, "front matter: expected 'field: value' lines")])
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines


def _compose(yaml_text: str, loader_class) -> tuple[Any, Any]:
    """The document's node (for line numbers) and its value, parsed once."""
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


class _Bad:
    def __init__(self, message: str):
        self.message = message


def _check(key: str, value: Any) -> Any:
    if key == "date":
        return _check_date(value)
    if key in ("topics", "read_also"):
        return _check_list(value)
    if key == "draft":
        return value if isinstance(value, bool) else _Bad(f"expected true or false, got {value!r}")
    if value is None:
        return None if key != "title" else _Bad("empty; every article needs a headline")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return _Bad(f"expected text, got {value!r}")
    text = str(value).strip()
    if key == "title" and not text:
        return _Bad("empty; every article needs a headline")
    if key == "lang" and not _LANG.match(text):
        return _Bad(f"expected a language code such as 'ar' or 'en', got {text!r}")
    return text


def _check_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else \
            dt.datetime.fromisoformat(text).date()
    except ValueError:
        return _Bad(f"expected YYYY-MM-DD, got '{value}'")


def _check_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split("[,،]", value) if v.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return _Bad(f"expected a list of text, got {value!r}")
