"""What reading the templates costs, kept from one build for the next.

Jinja compiles a template to Python code before its first page, and the
build reads every template's references (``render.template_digests``) on
every run. ``Compiled`` keeps both: each template's references by a digest
of its name and text (small: the build's ``Stamps`` carry them), and its
code through Jinja's own bytecode cache, by its name and a checksum of its
text (a record of its own, read only when a page is rendered). A template
that changed is compiled and read again, never served stale.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import jinja2

RECORD = "templates"  # in the cache: the code of the templates, as ``Compiled.code_kept``


class Compiled(jinja2.BytecodeCache):
    """Jinja's code and each template's references, from earlier builds."""

    def __init__(self, uses: dict | None = None, code: Callable[[], object] = dict):
        self._uses = dict(uses or {})
        self._load_code = code
        self._code: dict[str, bytes] | None = None
        self._used: set[str] = set()  # what this build looked up: all that is kept
        self.code_added = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = bucket.key + bucket.checksum
        self._used.add(key)
        data = self._known_code().get(key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)  # which checks it, dropping what fails

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._known_code()[bucket.key + bucket.checksum] = bucket.bytecode_to_string()
        self.code_added = True

    def _known_code(self) -> dict[str, bytes]:
        if self._code is None:
            kept = self._load_code()
            self._code = dict(kept) if isinstance(kept, dict) else {}
        return self._code

    def references(self, name: str, text: str, read) -> frozenset[str] | None:
        """``read(name, text)``'s answer, from an earlier build when the text is the same."""
        key = hashlib.blake2b(f"{name}\0{text}".encode("utf-8"), digest_size=16).hexdigest()
        self._used.add(key)
        if key not in self._uses:
            found = read(name, text)
            self._uses[key] = None if found is None else frozenset(found)
        return self._uses[key]

    def uses_kept(self) -> dict[str, frozenset[str] | None]:
        """The references this build looked up, for the next."""
        return {key: uses for key, uses in self._uses.items() if key in self._used}

    def code_kept(self) -> dict[str, bytes]:
        """The code this build used (a template only workers rendered is
        compiled again by the next build that renders it here)."""
        return {key: code for key, code in self._known_code().items() if key in self._used}
