"""Edited Markdown (``.md``) with YAML front matter.

Raw HTML in the body is shown as text, never run, and links with script
URLs are dropped. A paragraph that is only an "اقرأ أيضاً: …" line becomes
a read-also block at that position, as in wire copy.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..errors import WarraqError, error
from ..models import Block, RawDoc, ReadAlsoRef
from .frontmatter import parse_front_matter, split_front_matter
from .markers import read_also_ref

_PLACEHOLDER = "WARRAQREADALSO{}"
_PLACEHOLDER_P = re.compile(r"<p>WARRAQREADALSO(\d+)</p>")
_FENCE = re.compile(r"^\s*(```|~~~)")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def read_markdown(rel_path: str, text: str) -> RawDoc:
    """Parse front matter and body; raise WarraqError listing every bad field."""
    yaml_text, body, body_line = split_front_matter(rel_path, text)
    fields, lines, warnings = (parse_front_matter(rel_path, yaml_text) if yaml_text
                               else ({}, {}, []))
    if "title" not in fields:
        body, body_line, fields["title"] = _title_from_heading(rel_path, body, body_line)
    body_text, refs = _extract_read_also(body, body_line)
    field_line = lines.get("read_also", 1)
    refs += [ReadAlsoRef(target=t, line=field_line, label=t) for t in fields.get("read_also", ())]
    if not body_text.strip() and not refs:
        raise WarraqError([error(rel_path, 1, "no body: the file has a headline but no text")])
    return RawDoc(
        source=rel_path, title=fields["title"], blocks=_blocks(body_text), refs=tuple(refs),
        date=fields.get("date"), lang=fields.get("lang"), slug=fields.get("slug"),
        topics=fields.get("topics", ()), summary=fields.get("summary", ""),
        attribution=fields.get("source"), author=fields.get("author"),
        image=fields.get("image"), draft=fields.get("draft", False),
        warnings=tuple(warnings))


def _title_from_heading(rel_path: str, body: str, body_line: int) -> tuple[str, int, str]:
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _H1.match(line)
        if heading:
            return "\n".join(lines[index + 1:]), body_line + index + 1, heading[1]
        break
    raise WarraqError([error(rel_path, 1, "title: missing; start the file with front "
                             "matter ('title: …') or a '# headline' line")])


def _extract_read_also(body: str, first_line: int) -> tuple[str, list[ReadAlsoRef]]:
    """Swap each stand-alone read-also paragraph for a placeholder paragraph."""
    lines = body.split("\n")
    refs: list[ReadAlsoRef] = []
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        alone = (index == 0 or not lines[index - 1].strip()) and (
            index == len(lines) - 1 or not lines[index + 1].strip())
        indented_code = line.startswith(("    ", "\t"))
        ref = (None if in_fence or indented_code or not alone
               else read_also_ref(line, first_line + index))
        if ref:
            lines[index] = _PLACEHOLDER.format(len(refs))
            refs.append(ref)
    return "\n".join(lines), refs


def _blocks(body_text: str) -> tuple[Block, ...]:
    html = _converter().reset().convert(body_text)
    blocks: list[Block] = []
    position = 0
    for found in _PLACEHOLDER_P.finditer(html):
        if html[position:found.start()].strip():
            blocks.append(Block("html", html[position:found.start()].strip()))
        blocks.append(Block("read_also", ref=int(found[1])))
        position = found.end()
    if html[position:].strip():
        blocks.append(Block("html", html[position:].strip()))
    return tuple(blocks)


class _DropUnsafeUrls(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is not None and not _is_safe_url(url):
                    del element.attrib[attribute]


def _is_safe_url(url: str) -> bool:
    """Relative URLs and web, mail and phone links; never javascript: or data:."""
    scheme = urlsplit(_INVISIBLE.sub("", url)).scheme.lower()
    return scheme in _SAFE_SCHEMES


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


class _NoRawHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SkipPlainText(md), "warraq_plain_text", 21)  # before inline
        md.treeprocessors.register(_DropUnsafeUrls(md), "warraq_safe_urls", 0)


_MD: list[markdown.Markdown] = []


def _converter() -> markdown.Markdown:
    """One converter per process, reset between documents: building one is slow."""
    if not _MD:
        _MD.append(markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "footnotes", _NoRawHtml()],
            output_format="html"))
    return _MD[0]
