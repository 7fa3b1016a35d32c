"""Edited Markdown (``.md``) with YAML front matter.

Raw HTML in the body is shown as text, never run; with ``raw_html`` it is
kept, and every block of the body is then cleaned by nh3 to an allow-list
fit for news (which also drops what Markdown itself adds beyond the list:
footnote anchors, classes, table alignment). Either way no link or image
keeps a URL with a scheme other than
http, https, mailto or tel, read as a browser reads it (entities decoded,
controls and spaces dropped). A paragraph that is only an "اقرأ أيضاً: …"
line becomes a read-also block at that position, as in wire copy.

Converting the body is ``markdown_convert``'s: a conversion too slow or too
deep is an error for that file.
"""

from __future__ import annotations

import html
import re

from ..errors import WarraqError, error
from ..models import Block, NewsFields, RawDoc, ReadAlsoRef
from .frontmatter import SYNONYMS, check_fields, parse_front_matter, split_front_matter
from .toml_front import load_toml_front_matter, split_toml_front_matter
from .markers import read_also_ref

# A read-also line is swapped for a NUL-delimited number, which no body can
# forge: decoded text holds no NUL (``decode_bytes`` refuses it).
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_P = re.compile("<p>\x00(\\d+)\x00</p>")
_PLACEHOLDER_ELSEWHERE = re.compile("\x00(\\d+)\x00")
_FENCE = re.compile(r"^\s*(```|~~~)")
_H1_START = re.compile(r"#\s+")
_H1_END = re.compile(r"\s*#*\s*")  # read backwards, from the end of the line


def read_markdown(rel_path: str, text: str, *, raw_html: bool = False) -> RawDoc:
    """Parse front matter and body; raise WarraqError listing every bad field.
    ``text`` is as ``decode_bytes`` gives it: no NUL, no lone surrogate."""
    fields, lines, warnings, body, body_line = _front_matter(rel_path, text)
    if "title" not in fields:
        body, body_line, fields["title"] = _title_from_heading(rel_path, body, body_line)
    body_text, found = _extract_read_also(body, body_line)
    blocks, refs = _blocks(_convert(rel_path, body_text, body_line, raw_html), found, raw_html)
    field_line = lines.get("read_also", 1)
    refs += [ReadAlsoRef(target=t, line=field_line, label=t) for t in fields.get("read_also", ())]
    if not body_text.strip() and not refs:
        raise WarraqError([error(rel_path, 1, "no body: the file has a headline but no text")])
    return RawDoc(
        source=rel_path, title=fields["title"], blocks=blocks, refs=tuple(refs),
        date=fields.get("date"), updated=_either(fields, "updated"), lang=fields.get("lang"),
        slug=fields.get("slug"),
        topics=_joined(fields, ("topics", "categories", "tags")),
        summary=_either(fields, "summary") or "",
        attribution=fields.get("source"), author=fields.get("author"),
        image=fields.get("image"), draft=fields.get("draft", False),
        warnings=tuple(warnings), news=_news_fields(fields, lines),
        aliases=_joined(fields, ("aliases", "redirect_from")),
        aliases_line=lines.get("aliases") or lines.get("redirect_from") or 1)


def _front_matter(rel_path: str, text: str):
    """(fields, their lines, warnings, body, body's first line) of YAML
    front matter between ``---`` lines or TOML between ``+++`` lines."""
    toml = split_toml_front_matter(rel_path, text)
    if toml:
        toml_text, body, body_line = toml
        if not toml_text.strip():
            return {}, {}, [], body, body_line
        return (*check_fields(rel_path, *load_toml_front_matter(rel_path, toml_text)), body,
                body_line)
    yaml_text, body, body_line = split_front_matter(rel_path, text)
    if not yaml_text:
        return {}, {}, [], body, body_line
    return (*parse_front_matter(rel_path, yaml_text), body, body_line)


def _either(fields: dict, name: str):
    """A field, else what Hugo or Jekyll call it (``SYNONYMS``)."""
    if fields.get(name) is not None:
        return fields[name]
    return next((fields.get(other) for other, ours in SYNONYMS.items() if ours == name), None)


def _joined(fields: dict, names: tuple[str, ...]) -> tuple[str, ...]:
    """The lists of several fields as one, each item once, in field order."""
    return tuple(dict.fromkeys(item for name in names for item in fields.get(name, ())))


def _news_fields(fields: dict, lines: dict[str, int]) -> NewsFields:
    return NewsFields(
        featured=fields.get("featured", False), breaking=fields.get("breaking", False),
        breaking_until=fields.get("breaking_until"),
        image_caption=fields.get("image_caption", ""), image_credit=fields.get("image_credit", ""),
        image_alt=fields.get("image_alt", ""), image_line=lines.get("image", 1),
        correction=fields.get("correction", ""), correction_date=fields.get("correction_date"))


def _title_from_heading(rel_path: str, body: str, body_line: int) -> tuple[str, int, str]:
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _heading(line)
        if heading is not None:
            return "\n".join(lines[index + 1:]), body_line + index + 1, heading
        break
    raise WarraqError([error(rel_path, 1, "title: missing; start the file with front "
                             "matter ('title: …') or a '# headline' line")])


def _heading(line: str) -> str | None:
    """The text of a "# headline" line: what ``^#\\s+(.+?)\\s*#*\\s*$`` would
    take, in linear time (that pattern backtracked over long runs of spaces)."""
    start = _H1_START.match(line)
    if not start:
        return None
    text = line[start.end():]
    if not text:  # "#" and spaces only: the pattern gives back the last space
        return line[-1] if start.end() > 2 else None
    return text[:max(1, len(text) - _H1_END.match(text[::-1]).end())]


def _extract_read_also(body: str, first_line: int) -> tuple[str, list[tuple[ReadAlsoRef, str]]]:
    """Swap each stand-alone read-also paragraph for a placeholder; each
    reference comes with the line it replaced."""
    lines = body.split("\n")
    found: list[tuple[ReadAlsoRef, str]] = []
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
            lines[index] = _PLACEHOLDER.format(len(found))
            found.append((ref, line))
    return "\n".join(lines), found


def _blocks(body_html: str, found: list[tuple[ReadAlsoRef, str]], raw_html: bool
            ) -> tuple[tuple[Block, ...], list[ReadAlsoRef]]:
    """HTML blocks split at the read-also paragraphs, and their references.

    A placeholder that Markdown put anywhere but in a paragraph of its own
    (inside a fenced block our count of fences missed, or raw HTML) was no
    stand-alone line: its line is put back as text, and it makes no block.
    """
    placed = list(_PLACEHOLDER_P.finditer(body_html)) if found else []
    restore = found if len(placed) < len(found) else None
    blocks: list[Block] = []
    refs: list[ReadAlsoRef] = []
    position = 0
    for placeholder in placed:
        _add_html(blocks, body_html[position:placeholder.start()], restore, raw_html)
        blocks.append(Block("read_also", ref=len(refs)))
        refs.append(found[int(placeholder[1])][0])
        position = placeholder.end()
    _add_html(blocks, body_html[position:], restore, raw_html)
    return tuple(blocks), refs


def _add_html(blocks: list[Block], piece: str, restore: list[tuple[ReadAlsoRef, str]] | None,
              raw_html: bool) -> None:
    if restore:
        piece = _PLACEHOLDER_ELSEWHERE.sub(
            lambda m: html.escape(restore[int(m[1])][1], quote=False), piece)
    if raw_html:  # each block on its own, so that each is whole
        from .markdown_convert import cleaned
        piece = cleaned(piece)
    piece = piece.strip()
    if piece:
        blocks.append(Block("html", piece))


def _convert(rel_path: str, body_text: str, body_line: int, raw_html: bool) -> str:
    """The body's HTML (``markdown_convert``, imported here: a build that parses
    no Markdown never loads the converter)."""
    from .markdown_convert import convert
    return convert(rel_path, body_text, body_line, raw_html)
