"""YAML front matter of Markdown articles: split, parse, check every field
(TOML front matter, read by ``toml_front``, is checked here too).

Each problem names the line of the field it is about; all are reported
together. Unknown fields are kept out of the article with a warning whose
text is the same in every file (so a build can count them as one).

Hugo's and Jekyll's fields are understood too: ``tags`` and ``categories``
file the article under topics as ``topics`` does, ``description`` is the
summary, ``lastmod`` the time of the last update, ``aliases`` (or Jekyll's
``redirect_from``) the old addresses that redirect to the article.

Front matter may be hostile, so what PyYAML is given is bounded first: a
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

import yaml

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


class _Loader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad one is reported, not raised."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # libyaml, where PyYAML has it
    """The same, parsing in C; errors are worded by ``_Loader`` so they read alike."""


def _int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """An int, or the text of one too long to be a number anyone means."""
    if len(node.value) > NUMBER_MAX_CHARS:
        return loader.construct_scalar(node)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _class in (_Loader, _FastLoader):
    _class.add_constructor("tag:yaml.org,2002:int", _int_or_text)
_OPENING = re.compile(r"---[ \t]*\n")
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Text without these cannot nest deeper than MAX_DEPTH: flow collections nest
# at most once per bracket, and block collections at most twice per column of
# indentation (a sequence may sit at its key's column), which on a line is
# after spaces and the indicators "-", "?" and ":". 7 columns and 6 brackets
# make at most 2 * 7 + 6 = 20 levels. Anchors and aliases start with & and *.
_DEEP_LINE = re.compile(r"^[ \t?:-]{7}", re.MULTILINE)
_FAST_BRACKETS = 6
# PyYAML lets these out of its constructors, for "0b_", "!!int abc" or "!!int"
_UNCONSTRUCTIBLE = (ValueError, LookupError, TypeError, OverflowError)
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
    return check_fields(rel_path, *_load(rel_path, yaml_text))


def check_fields(rel_path: str, data: dict[str, Any], lines: dict[str, int]
                 ) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The fields of front matter read by any syntax, checked as
    ``parse_front_matter`` checks them."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(key, 1)
        if key not in FIELDS:
            problems.append(warning(rel_path, line, f"unknown field {_shown(key)} ignored "
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


def _load(rel_path: str, yaml_text: str) -> tuple[dict, dict[str, int]]:
    check_size(rel_path, yaml_text)
    if ("&" in yaml_text or "*" in yaml_text or _DEEP_LINE.search(yaml_text)
            or yaml_text.count("[") + yaml_text.count("{") > _FAST_BRACKETS):
        _check_structure(rel_path, yaml_text)
    try:
        node, data = _compose(yaml_text, _FastLoader)
    except (yaml.YAMLError, UnicodeEncodeError):  # libyaml is given UTF-8: no lone surrogate
        try:
            node, data = _compose(yaml_text, _Loader)
        except yaml.YAMLError as exc:
            raise _invalid(rel_path, yaml_text, exc) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise WarraqError([error(rel_path, 2, "front matter: expected 'field: value' lines")])
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines


def check_size(rel_path: str, yaml_text: str) -> None:
    if len(yaml_text) * 4 <= MAX_FRONT_MATTER_BYTES:  # no UTF-8 character takes more
        return
    size = len(yaml_text.encode("utf-8", "surrogatepass"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise WarraqError([error(rel_path, 1, f"front matter too large: {size} bytes; the "
                                 f"limit is {MAX_FRONT_MATTER_BYTES / 1024:g} KiB")])


def _check_structure(rel_path: str, yaml_text: str) -> None:
    """Refuse anchors, aliases and deep nesting, reading the parser's events
    one by one (the pure-Python parser keeps no stack of calls)."""
    try:
        loader = _Loader(yaml_text)  # which reads the text: it may refuse a character
    except yaml.YAMLError as exc:
        raise _invalid(rel_path, yaml_text, exc) from None
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise WarraqError([error(rel_path, event.start_mark.line + 2,
                                         "front matter: YAML anchors and aliases "
                                         "(&name, *name) are not allowed")])
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise WarraqError([error(rel_path, event.start_mark.line + 2,
                                             f"front matter: nested deeper than {MAX_DEPTH} "
                                             "levels")])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _invalid(rel_path, yaml_text, exc) from None
    finally:
        loader.dispose()


def _compose(yaml_text: str, loader_class) -> tuple[Any, Any]:
    """The document's node (for line numbers) and its value, parsed once."""
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return node, loader.construct_document(node)
        except _UNCONSTRUCTIBLE as exc:
            bad = _unconstructible_node(_Loader(""), node) or node  # a fresh constructor
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_shown(bad.value)} as {bad.tag.rsplit(':', 1)[-1]} "
                f"({_cut(str(exc), ECHO_CHARS)})", bad.start_mark) from None
    finally:
        loader.dispose()


def _unconstructible_node(loader, node) -> yaml.ScalarNode | None:
    """The first scalar that cannot be made a value (the error is about it)."""
    if isinstance(node, yaml.ScalarNode):
        try:
            loader.construct_object(node)
        except _UNCONSTRUCTIBLE:
            return node
        return None
    items = node.value if isinstance(node, yaml.SequenceNode) else [
        part for pair in node.value for part in pair]
    return next(filter(None, (_unconstructible_node(loader, item) for item in items)), None)


def _invalid(rel_path: str, yaml_text: str, exc: yaml.YAMLError) -> WarraqError:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses, at an offset
        line = yaml_text.count("\n", 0, exc.position) + 2
        reason = f"unacceptable character U+{exc.character:04X}: {exc.reason}"
    else:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
    reason = "".join(c if c.isprintable() else repr(c)[1:-1] for c in reason.split("\n")[0])
    return WarraqError([error(rel_path, line, "front matter: invalid YAML: "
                              + _cut(reason, 2 * ECHO_CHARS))])


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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shown(value: Any) -> str:
    """A value as a message quotes it: repr (which escapes controls, bidi
    controls and surrogates), cut short."""
    return _cut(repr(value), ECHO_CHARS)


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
            f"expected true or false, got {_shown(value)}")
    if value is None:
        return None if key != "title" else _Bad("empty; every article needs a headline")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return _Bad(f"expected text, got {_shown(value)}")
    text = str(value).strip()
    if key == "title" and not text:
        return _Bad("empty; every article needs a headline")
    if key == "lang" and not _LANG.match(text):
        return _Bad(f"expected a language code such as 'ar' or 'en', got {_shown(text)}")
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
    return _Bad(f"expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got {_shown(str(value))}")


def _check_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split("[,،]", value) if v.strip())
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return _Bad(f"expected a list of text, got {_shown(value)}")
