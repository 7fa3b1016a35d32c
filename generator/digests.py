"""Digests of values: of what they hold, never of how their objects are shared.

Pickle writes an object met twice as a reference to the first, so two equal
values, one of them read back from the cache, could pickle to different
bytes. Pickled here without its memo, a value's bytes follow from its
contents alone: equal views give equal keys in every build. (The values
are plain data: no cycles, no sets, whose order would vary by process.)
"""

from __future__ import annotations

import hashlib
import io
import pickle


def digest_of(value: object) -> str:
    """A 32-digit hex digest of ``value``'s contents."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True  # no memo: every occurrence written out in full
    pickler.dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()
