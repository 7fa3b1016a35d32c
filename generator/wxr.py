"""Reading a WordPress export (WXR: RSS 2.0 with WordPress's own elements).

The file is read twice, as a stream, so that ten thousand posts never sit in
memory at once: ``read_catalogue`` gathers the authors and the attachments
(an attachment may come after the post that shows it), ``read_items`` then
yields the items one by one. WXR versions 1.0 to 1.2 differ only in the
namespace URI, so elements are named by their namespace's role ("wp:",
"content:", "excerpt:", "dc:"), not by the URI. Python's XML parser fetches
no external entity, and its expat refuses exponential entity expansion.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import WarraqError, error

_ROLES = (("wordpress.org/export/", "excerpt", "excerpt:"), ("wordpress.org/export/", "", "wp:"),
          ("purl.org/rss/1.0/modules/content", "", "content:"),
          ("purl.org/dc/elements", "", "dc:"))


@dataclass(frozen=True)
class Attachment:
    post_id: str
    url: str  # wp:attachment_url
    parent: str  # the post it was uploaded to, "0" for none
    title: str = ""
    alt: str = ""  # the _wp_attachment_image_alt postmeta
    caption: str = ""  # the attachment's excerpt


@dataclass(frozen=True)
class Catalogue:
    """What the posts refer to: display names by login, attachments by id."""

    authors: dict[str, str]
    attachments: dict[str, Attachment]
    items: int = 0  # how many <item>s the export holds, of every type


@dataclass(frozen=True)
class Item:
    """One ``<item>`` of the export, as text."""

    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    date: str  # wp:post_date, local time: "2016-12-06 14:30:00"
    modified: str
    creator: str
    content: str
    excerpt: str
    post_name: str
    terms: tuple[tuple[str, str], ...] = ()  # (domain, name): ("category", "سوريا")
    meta: dict[str, str] = field(default_factory=dict)


def _role(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    for part, also, prefix in _ROLES:
        if part in uri and also in uri:
            return prefix + local
    return local


def _events(path: Path) -> Iterator[etree.Element]:
    """Every complete ``<item>`` and channel-level ``wp:author``, then cleared."""
    shown = path.name
    try:
        parser = etree.iterparse(path, events=("end",))
        for _, element in parser:
            name = _role(element.tag)
            if name in ("item", "wp:author"):
                yield element
                element.clear()
    except etree.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise WarraqError([error(shown, line, f"not a readable WordPress export: {exc}")],
                          exit_code=2) from None
    except OSError as exc:
        raise WarraqError([error(shown, 0, f"cannot read: {exc.strerror or exc}")],
                          exit_code=2) from None


def _children(element: etree.Element) -> dict[str, str]:
    return {_role(child.tag): (child.text or "") for child in element}


def read_catalogue(path: Path) -> Catalogue:
    """Authors and attachments of the whole export (its first reading)."""
    authors: dict[str, str] = {}
    attachments: dict[str, Attachment] = {}
    items = 0
    for element in _events(path):
        fields = _children(element)
        if _role(element.tag) == "wp:author":
            login = fields.get("wp:author_login", "").strip()
            authors[login] = fields.get("wp:author_display_name", "").strip() or login
            continue
        items += 1
        if fields.get("wp:post_type") == "attachment":
            meta = _meta(element)
            attachments[fields.get("wp:post_id", "")] = Attachment(
                fields.get("wp:post_id", ""), fields.get("wp:attachment_url", "").strip(),
                fields.get("wp:post_parent", "0"), _text(fields.get("title", "")),
                meta.get("_wp_attachment_image_alt", "").strip(),
                _text(fields.get("excerpt:encoded", "")))
    if not items and not authors:
        raise WarraqError([error(path.name, 1, "not a WordPress export: no <item> and no "
                                 "<wp:author> in it")], exit_code=2)
    return Catalogue(authors, attachments, items)


def read_items(path: Path) -> Iterator[Item]:
    """Every item of the export, in its order (the second reading)."""
    for element in _events(path):
        if _role(element.tag) != "item":
            continue
        fields = _children(element)
        terms = tuple((child.get("domain", ""), _text(child.text or ""))
                      for child in element if _role(child.tag) == "category"
                      and child.get("nicename") != "uncategorized")  # WordPress's default
        yield Item(
            post_id=fields.get("wp:post_id", ""), post_type=fields.get("wp:post_type", ""),
            status=fields.get("wp:status", ""), title=_text(fields.get("title", "")),
            link=fields.get("link", "").strip(), date=fields.get("wp:post_date", "").strip(),
            modified=fields.get("wp:post_modified", "").strip(),
            creator=fields.get("dc:creator", "").strip(),
            content=fields.get("content:encoded", ""),
            excerpt=fields.get("excerpt:encoded", ""),
            post_name=fields.get("wp:post_name", "").strip(),
            terms=tuple((d, n) for d, n in terms if n), meta=_meta(element))


def _meta(element: etree.Element) -> dict[str, str]:
    found = {}
    for child in element:
        if _role(child.tag) == "wp:postmeta":
            fields = _children(child)
            found[fields.get("wp:meta_key", "")] = fields.get("wp:meta_value", "")
    return found


def _text(value: str) -> str:
    """A title or a term as WordPress writes it: entities escaped once more."""
    return " ".join(html.unescape(value).split())
