"""Photographs inside Markdown bodies: each ``<img>`` of a photograph the
build derived becomes a ``<picture>`` with its widths and formats, its box
reserved and its loading left for when it is scrolled to."""

from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_SRC = re.compile(r'\ssrc="/([^"]+)"')
_ALT = re.compile(r'\salt="([^"]*)"')
BODY_SIZES = "(min-width: 48rem) 44rem, 100vw"


def with_pictures(html: str, pictures: dict[str, dict], url: Callable[[str], str]) -> str:
    """``html`` (trusted body HTML, root-relative links) with its photographs
    as pictures; ``url`` puts a site path under the base path (for srcset,
    which the base-path rewriting of src and href does not touch)."""
    return _each_photo(html, pictures, lambda tag, path: _markup(
        pictures[path], _ALT.search(tag)[1] if _ALT.search(tag) else "", url))


def with_photo_files(html: str, photos: dict[str, str]) -> str:
    """``html`` with each photograph's ``src`` the derived JPEG of ``photos``
    (original site path -> derived path): what a feed reader shows."""
    return _each_photo(html, photos, lambda tag, path: _SRC.sub(
        f' src="/{photos[path]}"', tag, count=1))


def _each_photo(html: str, known: dict, replaced: Callable[[str, str], str]) -> str:
    """``html`` with every ``<img>`` whose site path is in ``known`` replaced."""
    if not known:
        return html

    def one(found: re.Match) -> str:
        src = _SRC.search(found[0])
        return replaced(found[0], src[1]) if src and src[1] in known else found[0]

    return _IMG.sub(one, html)


def _markup(view: dict, alt: str, url: Callable[[str], str]) -> str:
    def srcset(pairs) -> str:
        return ", ".join(f"{url(path)} {width}w" for path, width in pairs)

    return str(Markup(
        '<picture><source type="%s" srcset="%s" sizes="%s">'
        '<img src="/%s" srcset="%s" sizes="%s" width="%d" height="%d" alt="%s" '
        'loading="lazy" decoding="async"></picture>') % (
        view["modern_mime"], srcset(view["modern_srcset"]), BODY_SIZES, view["fallback"],
        srcset(view["jpeg_srcset"]), BODY_SIZES, view["width"], view["height"],
        Markup(alt)))  # alt comes escaped from the body's own HTML
