"""The Markdown converter: Python-Markdown with the extensions news needs,
one per process and mode, and what Warraq adds to it.

Raw HTML is escaped unless ``raw_html`` (and then ``cleaned``); links and images whose URL has a
scheme other than http, https, mailto or tel lose it; plain paragraphs skip
the inline processor. A conversion that runs longer than
``CONVERT_SECONDS`` (16 KB of nested brackets took 35 s; see ``deadline``)
or nests too deeply for Python's stack is an error for that file, and the
converter, left in an unknown state, is made afresh. Imported only when a
Markdown body is converted: loading Python-Markdown takes longer than a
build with nothing to parse.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..errors import WarraqError, error
from .deadline import OutOfTime, within

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# What raw HTML may keep, when a site allows it.
_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
         "a", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "em", "strong",
         "b", "i", "code", "pre", "br", "hr", "sub", "sup"}
_ATTRIBUTES = {"img": {"src", "alt", "width", "height"}, "a": {"href", "title"}}
CONVERT_SECONDS = 2.0  # a long feature converts in 20 ms
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def convert(rel_path: str, body_text: str, body_line: int, raw_html: bool) -> str:
    """The body's HTML, or an error when converting takes too long or too deep."""
    try:
        return within(CONVERT_SECONDS, _converter(raw_html).reset().convert, body_text)
    except OutOfTime:
        _CONVERTERS.pop(raw_html, None)  # stopped anywhere: its state is not to be trusted
        raise WarraqError([error(rel_path, body_line, "Markdown too slow to convert: stopped "
                                 f"after {CONVERT_SECONDS:g} s (brackets, lists or quotes "
                                 "nested very deep?)")]) from None
    except RecursionError:
        _CONVERTERS.pop(raw_html, None)
        raise WarraqError([error(rel_path, body_line, "Markdown nested too deeply to convert "
                                 "(lists or quotes inside each other)")]) from None


class _DropUnsafeUrls(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is not None and not _is_safe_url(url):
                    del element.attrib[attribute]


def _is_safe_url(url: str) -> bool:
    """Relative URLs and web, mail and phone links, as a browser reads the
    attribute: entities decoded ("jav&#x61;script:", "javascript&colon;"),
    then tabs, newlines and every other control character and space dropped."""
    scheme = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)))
    return scheme is None or scheme[1].lower() in SAFE_SCHEMES


# Every inline pattern (emphasis, code, links, images, footnotes, entities,
# autolinks, escapes, line breaks) needs one of these to match.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<>&\x02\x03]|  \n")


class _SkipPlainText(Treeprocessor):
    """Mark text with no inline markup as atomic, so the inline processor (the
    slowest step of a conversion) passes it by: most news paragraphs are plain."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.text and not _INLINE_MARKUP.search(element.text):
                element.text = markdown.util.AtomicString(element.text)


class _Warraq(Extension):
    def __init__(self, raw_html: bool):
        super().__init__()
        self.raw_html = raw_html

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if not self.raw_html:  # raw HTML is then escaped, shown as text
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SkipPlainText(md), "warraq_plain_text", 21)  # before inline
        md.treeprocessors.register(_DropUnsafeUrls(md), "warraq_safe_urls", 0)


_CONVERTERS: dict[bool, markdown.Markdown] = {}


def _converter(raw_html: bool) -> markdown.Markdown:
    """One converter per process and mode, reset between documents: building one is slow."""
    md = _CONVERTERS.get(raw_html)
    if md is None:
        md = _CONVERTERS[raw_html] = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "footnotes", _Warraq(raw_html)],
            output_format="html")
    return md


def cleaned(piece: str) -> str:
    """A block of raw HTML cut down by nh3 to what news may keep."""
    return nh3.clean(piece, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=SAFE_SCHEMES,
                     clean_content_tags={"script", "style"}, link_rel=None)
