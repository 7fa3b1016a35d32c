"""Making outputs, where the work is spread over the cores.

Three kinds of output: a ``Page`` (a template and its view, see ``views``),
a ``Copy`` of a file and an ``Empty`` file. Making one computes its key —
for a page, the digest of its template closure and of its view, in which a
body stands as its source's digest — and renders (or reads) and stages its
bytes only when that key differs from the one the output was last made
from. The articles a page's view read come back with it, so the next build
knows which pages an edit to an article can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bodies import BodyStore, body_of
from .digests import digest_of
from .errors import WarraqError, error
from .models import Body, PageSpec, Site, Stamp
from .render import render_page
from .views import Page, Shown
from .writer import Staging, stage


@dataclass(frozen=True)
class Copy:
    """A static file, or one that sits beside the content."""

    output_path: str
    abs_path: str
    stamp: Stamp
    shown_as: str  # in messages

    @property
    def key(self) -> str:
        return f"file {self.stamp[0]} {self.stamp[1]}"


@dataclass(frozen=True)
class Empty:
    output_path: str
    shown_as: str = "warraq"
    key: str = "empty"


Output = Page | Copy | Empty


@dataclass(frozen=True)
class Made:
    """What making an output found: its key, the articles its view read (None
    for a file), whether new bytes were staged, and their stamp."""

    output_path: str
    key: str
    reads: frozenset[str] | None
    staged: bool
    stamp: Stamp | None


@dataclass(frozen=True)
class Maker:
    """What making outputs needs; forked workers inherit it."""

    env: object  # the Jinja2 environment
    site: Site  # without bodies
    digests: dict[str, str]  # source -> digest of its bytes
    templates: dict[str, str]  # template name -> digest of its closure
    old_keys: dict[str, str]  # output path -> key it was last made from
    bodies: BodyStore
    staging: Staging


def make_outputs(outputs: list[Output], maker: Maker) -> list[Made]:
    """Each output's ``Made``; only those whose key changed are produced, and
    staging skips bytes already on disk."""
    found, todo = [], []
    for output in outputs:
        key, reads, produce = _keyed(output, maker)
        found.append((output.output_path, key, reads))
        if maker.old_keys.get(output.output_path) != key:
            todo.append((output.output_path, produce))
    stamps: dict[str, Stamp] = {}
    staged = set(stage(maker.staging, ((path, produce()) for path, produce in todo), stamps))
    return [Made(path, key, reads, path in staged, stamps.get(path))
            for path, key, reads in found]


def _keyed(output: Output, maker: Maker):
    if isinstance(output, Empty):
        return output.key, None, bytes
    if isinstance(output, Copy):
        return output.key, None, lambda: _read_file(output)
    shown = Shown(maker.site, maker.digests)
    view = output.view(shown)
    key = digest_of((maker.templates.get(output.template), view))
    return key, frozenset(shown.read), lambda: _render(maker, output, view)


def _render(maker: Maker, page: Page, view: dict) -> bytes:
    spec = PageSpec(page.output_path, page.url, page.template, with_bodies(view, maker.bodies))
    return render_page(maker.env, spec).encode("utf-8")


def with_bodies(value, store: BodyStore):
    """``value`` with every ``Body`` in it replaced by its blocks, as templates see them."""
    if isinstance(value, Body):
        return [{"kind": b.kind, "text": b.text, "ref": b.ref} for b in body_of(store, value)]
    if isinstance(value, dict):
        found = {k: with_bodies(v, store) for k, v in value.items()}
        return value if all(found[k] is v for k, v in value.items()) else found
    if isinstance(value, list):
        found = [with_bodies(v, store) for v in value]
        return value if all(a is b for a, b in zip(found, value)) else found
    return value  # the same object where nothing changed: cards stay shared


def _read_file(output: Copy) -> bytes:
    """A static file or one beside the content; gone or unreadable: an error naming it."""
    try:
        return Path(output.abs_path).read_bytes()
    except OSError as exc:
        raise WarraqError([error(output.shown_as, 0, f"cannot read: {exc.strerror}")]) from None
