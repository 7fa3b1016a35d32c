"""YAML front matter parsed, bounded first (see ``frontmatter``): a size
limit, no anchors or aliases, a nesting limit checked before libyaml or
PyYAML (both of which compose recursively) see the text; dates left as
text, so that a bad one is reported, not raised. Imported by the first
front matter a build reads: a build of wire copy never loads PyYAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import WarraqError, error
from .frontmatter import ECHO_CHARS, MAX_DEPTH, NUMBER_MAX_CHARS, check_size, cut_short, quoted


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
# Text without these cannot nest deeper than MAX_DEPTH: flow collections nest
# at most once per bracket, and block collections at most twice per column of
# indentation (a sequence may sit at its key's column), which on a line is
# after spaces and the indicators "-", "?" and ":". 7 columns and 6 brackets
# make at most 2 * 7 + 6 = 20 levels. Anchors and aliases start with & and *.
_DEEP_LINE = re.compile(r"^[ \t?:-]{7}", re.MULTILINE)
_FAST_BRACKETS = 6
# PyYAML lets these out of its constructors, for "0b_", "!!int abc" or "!!int"
_UNCONSTRUCTIBLE = (ValueError, LookupError, TypeError, OverflowError)


def load(rel_path: str, yaml_text: str) -> tuple[dict, dict[str, int]]:
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
                None, None, f"cannot read {quoted(bad.value)} as {bad.tag.rsplit(':', 1)[-1]} "
                f"({cut_short(str(exc), ECHO_CHARS)})", bad.start_mark) from None
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
                              + cut_short(reason, 2 * ECHO_CHARS))])
