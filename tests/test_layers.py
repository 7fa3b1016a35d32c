"""layers: a value as a base and the changes since, applied back equal and in order."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.layers import SAME, Entries, Spliced, Whole, applied, changes, weight


@dataclass(frozen=True)
class Record:
    entries: dict = field(default_factory=dict)
    order: tuple = ()
    members: frozenset = frozenset()
    note: object = None


KEYS = st.sampled_from([f"k{n}" for n in range(12)])  # few: edits meet the same keys
LEAVES = st.one_of(st.integers(-3, 3), st.booleans(), st.text("ab", max_size=3), st.none())
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.tuples(inner, inner), st.lists(inner, max_size=4).map(tuple),
    st.dictionaries(KEYS, inner, max_size=4)), max_leaves=8)
RECORDS = st.builds(Record, st.dictionaries(KEYS, VALUES, max_size=8),
                    st.lists(LEAVES, max_size=8).map(tuple),
                    st.frozensets(st.integers(0, 9), max_size=6), VALUES)


def same(a, b) -> bool:
    """Equal; a dict's keys in the same order and its values of the same types,
    in records and dicts all the way down (inside a tuple, equal is enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return a == b
    if isinstance(a, Record):
        return all(same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return a == b


@given(RECORDS, RECORDS)
@settings(max_examples=400, deadline=None, database=None)
def test_any_value_is_its_base_with_its_changes_applied(base, value):
    delta = changes(base, value)
    assert same(applied(base, delta), value)
    assert same(applied(base, pickle.loads(pickle.dumps(delta))), value)  # as stored
    assert (delta is SAME) == same(base, value) or base == value


def test_an_unchanged_value_has_no_changes():
    base = Record({"a": (1, 2)}, ("x", "y"), frozenset({1}))
    assert changes(base, Record({"a": (1, 2)}, ("x", "y"), frozenset({1}))) is SAME
    assert weight(SAME) == 0


def test_a_new_key_at_the_front_is_inserted_there():
    base = {f"s{n}": n for n in range(100)}
    value = {"new": -1, **base}
    delta = changes(base, value)
    assert isinstance(delta, Entries) and delta.inserted == ((0, "new"),)
    assert list(applied(base, delta)) == list(value)
    assert weight(delta) == 1


def test_keys_kept_in_another_order_are_the_whole_dict():
    base = {"a": 1, "b": 2}
    assert changes(base, {"b": 2, "a": 1}) == Whole({"b": 2, "a": 1})


def test_a_long_tuple_grown_at_the_front_stores_the_new_items_alone():
    base = tuple(f"slug-{n}" for n in range(10_000))
    delta = changes(base, ("newest",) + base)
    assert delta == Spliced(0, 10_000, ("newest",)) and weight(delta) == 2


def test_an_edited_entry_is_stored_as_its_own_changes():
    base = {"topic": Record(order=tuple(range(1000)))}
    value = {"topic": Record(order=(-1,) + tuple(range(1000)))}
    delta = changes(base, value)
    assert isinstance(delta, Entries) and not delta.set and weight(delta) == 2
    assert applied(base, delta) == value


def test_one_is_not_true_though_they_are_equal():
    assert applied({"a": 1}, changes({"a": 1}, {"a": True}))["a"] is True
    assert applied((1, 0), changes((1, 0), (True, 0)))[0] is True


def test_new_keys_at_the_end_stand_in_their_order():
    base = {"a": 1}
    value = {"a": 1, **{f"n{n}": n for n in range(50)}}
    assert list(applied(base, changes(base, value))) == list(value)


def test_many_keys_added_and_dropped_keep_their_order():
    base = {f"old{n}": n for n in range(300)}
    value = {**{f"new{n}": n for n in range(100)}, **{k: v for k, v in base.items() if v % 3},
             **{f"last{n}": n for n in range(100)}}
    delta = changes(base, value)
    assert list(applied(base, delta)) == list(value) and applied(base, delta) == value
