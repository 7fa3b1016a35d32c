"""A large record as a base and the changes made to it since, so that a
build that changed a few entries of it stores those alone (see ``cache``).

``changes(base, value)`` says how ``value`` differs from ``base``: for two
dicts, the entries set (or changed, as such a delta of their own), the keys
dropped and where new keys stand; for two dataclass instances of one type,
the changes of each field that differs; for two tuples, the run that
differs between a common start and end (a new slug at the front of the
site's order); for two frozensets, the members added and removed; for
anything else, the new value whole. Entries kept from the base are
usually the very objects, so telling them apart costs an identity check
each. ``applied(base, delta)`` is the value again, equal and in the same
order: a dict's order can matter (the topics are listed in theirs). A
dict's values keep their types (True does not come back as 1); inside a
tuple, equal is enough.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

SAME = None  # the delta of a value that did not change
_MISSING = object()


@dataclass(frozen=True)
class Entries:
    """A dict's changes: the entries set (new keys among them), the keys
    dropped, and the places of new keys that do not come last, as
    (position, key) in the new order, ascending."""

    set: dict
    dropped: frozenset
    inserted: tuple[tuple[int, object], ...] = ()
    changed: dict = dataclasses.field(default_factory=dict)  # key -> delta of its value


@dataclass(frozen=True)
class Fields:
    """A dataclass instance's changes: the delta of each field that changed."""

    deltas: dict


@dataclass(frozen=True)
class Spliced:
    """A tuple's changes: its first ``start`` and last ``kept`` items kept,
    ``middle`` between them."""

    start: int
    kept: int
    middle: tuple


@dataclass(frozen=True)
class Members:
    """A frozenset's changes."""

    added: frozenset
    removed: frozenset


@dataclass(frozen=True)
class Whole:
    """A value that changed in some other way: the new one."""

    value: object


def changes(base, value) -> Entries | Fields | Whole | None:
    """The delta that leads from ``base`` to ``value`` (``SAME``: none)."""
    if base is value:
        return SAME
    if type(base) is dict and type(value) is dict:
        return _entries(base, value)
    if dataclasses.is_dataclass(base) and type(base) is type(value):
        deltas = {}
        for field in dataclasses.fields(base):
            delta = changes(getattr(base, field.name), getattr(value, field.name))
            if delta is not SAME:
                deltas[field.name] = delta
        return Fields(deltas) if deltas else SAME
    if type(base) is tuple and type(value) is tuple:
        return _spliced(base, value)
    if type(base) is frozenset and type(value) is frozenset:
        return Members(value - base, base - value) if base != value else SAME
    return SAME if _same(base, value) else Whole(value)


def _spliced(base: tuple, value: tuple) -> Spliced | None:
    most = min(len(base), len(value))
    start = 0
    while start < most and _same(base[start], value[start]):
        start += 1
    kept = 0
    while kept < most - start and _same(base[-1 - kept], value[-1 - kept]):
        kept += 1
    if start == len(base) == len(value):
        return SAME
    return Spliced(start, kept, value[start:len(value) - kept])


def _entries(base: dict, value: dict) -> Entries | Whole | None:
    added = value.keys() - base.keys() if len(value) != len(base) or (
        value.keys() != base.keys()) else ()
    dropped = frozenset(base.keys() - value.keys()) if added or len(value) != len(base) \
        else frozenset()
    keys, items = _without(list(value), list(value.values()), added)
    kept, olds = _without(list(base), list(base.values()), dropped)
    if keys != kept:
        return Whole(value)  # the kept keys are in another order
    # _same, written out: this runs for every entry of the largest records
    edited = [(key, old, item) for key, old, item in zip(keys, olds, items)
              if old is not item and (type(old) is not type(item) or old != item)]
    inserted = _places(value, added)
    changed, nested = {key: value[key] for _, key in inserted}, {}  # new keys in their order
    for key, old, item in edited:
        delta = changes(old, item) if type(old) is not str else Whole(item)
        if isinstance(delta, Whole):
            changed[key] = item
        else:
            nested[key] = delta
    if not changed and not dropped and not nested:
        return SAME
    if inserted and inserted[0][0] == len(value) - len(inserted):
        inserted = []  # the new keys all come last: set in order, they stand so
    return Entries(changed, dropped, tuple(inserted), nested)


def _places(value: dict, added) -> list[tuple[int, object]]:
    """(position, key) of each key of ``added`` in ``value``, in order."""
    if len(added) > 64:
        return [(at, key) for at, key in enumerate(value) if key in added]
    order = list(value)
    return sorted((order.index(key), key) for key in added)


def _without(keys: list, items: list | None, unwanted) -> tuple[list, list | None]:
    """``keys`` (and the ``items`` beside them) without the keys ``unwanted``:
    a few are found by position, in C; many, one by one."""
    if not unwanted:
        return keys, items
    if len(unwanted) > 64:
        kept = [at for at, key in enumerate(keys) if key not in unwanted]
        return [keys[at] for at in kept], items and [items[at] for at in kept]
    for at in sorted((keys.index(key) for key in unwanted), reverse=True):
        del keys[at]
        if items is not None:
            del items[at]
    return keys, items


def _same(old, new) -> bool:
    """Equal and of one type (1, 1.0 and True are equal, but not the same)."""
    return old is new or (type(old) is type(new) and old == new)


def applied(base, delta):
    """``base`` with ``delta`` made to it."""
    if delta is SAME:
        return base
    if isinstance(delta, Whole):
        return delta.value
    if isinstance(delta, Entries):
        return _with_entries(base, delta)
    if isinstance(delta, Spliced):
        return base[:delta.start] + delta.middle + base[len(base) - delta.kept:]
    if isinstance(delta, Members):
        return (base - delta.removed) | delta.added
    return dataclasses.replace(base, **{name: applied(getattr(base, name), field)
                                        for name, field in delta.deltas.items()})


def _with_entries(base: dict, delta: Entries) -> dict:
    if not delta.inserted:
        value = {k: v for k, v in base.items() if k not in delta.dropped} \
            if delta.dropped else dict(base)
        value.update(delta.set)
    else:
        keys = [key for key in base if key not in delta.dropped]
        for position, key in delta.inserted:
            keys.insert(position, key)
        found = delta.set
        value = {key: found[key] if key in found else base[key] for key in keys}
    for key, change in delta.changed.items():
        value[key] = applied(base[key], change)
    return value


def weight(delta) -> int:
    """How much a delta holds: its entries, one for a value whole."""
    if delta is SAME:
        return 0
    if isinstance(delta, Whole):
        return 1
    if isinstance(delta, Entries):
        return len(delta.set) + len(delta.dropped) + sum(map(weight, delta.changed.values()))
    if isinstance(delta, Spliced):
        return 1 + len(delta.middle)
    if isinstance(delta, Members):
        return 1 + len(delta.added) + len(delta.removed)
    return sum(weight(field) for field in delta.deltas.values())


def size(value) -> int:
    """How many entries a value's dicts hold, in its fields too (one at least)."""
    if type(value) is dict:
        return len(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(size(getattr(value, f.name)) for f in dataclasses.fields(value))
    return 1
