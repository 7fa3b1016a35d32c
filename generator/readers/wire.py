"""Raw wire copy (``.txt``): headline, blank-line paragraphs, subheadings,
"اقرأ أيضاً" lines and a closing "المصدر" line.
"""

from __future__ import annotations

import re

from ..errors import WarraqError, error
from ..models import Block, RawDoc, ReadAlsoRef
from .markers import attribution, read_also_ref

SUBHEADING_MAX_WORDS = 8
SUBHEADING_MAX_CHARS = 70
_SENTENCE_END = re.compile(r"[.!?؟…:؛,،\"»”')]\s*$")

Chunk = tuple[int, list[str], "ReadAlsoRef | None"]  # first line number, lines, reference


def read_wire_text(rel_path: str, text: str, *, raw_html: bool = False) -> RawDoc:
    """Parse wire copy; raise WarraqError for a file with no body. Wire copy
    is plain text whatever ``raw_html`` says: its markup is shown, never run."""
    numbered = list(enumerate(text.split("\n"), 1))
    head = next((i for i, (_, line) in enumerate(numbered) if line.strip()), None)
    if head is None:
        raise WarraqError([error(rel_path, 1, "the file holds only whitespace")])
    title_no, title = numbered[head][0], numbered[head][1].strip()
    chunks = _chunks(numbered[head + 1:])
    source_name = _closing_attribution(chunks)
    if not chunks:
        raise WarraqError([error(rel_path, title_no,
                                 "no body: the file has a headline but no paragraphs")])
    blocks, refs = _blocks(chunks)
    return RawDoc(source=rel_path, title=title, blocks=tuple(blocks), refs=tuple(refs),
                  attribution=source_name)


def _chunks(numbered: list[tuple[int, str]]) -> list[Chunk]:
    """Blank-line separated groups; a read-also line always stands alone, with
    the reference it makes."""
    chunks: list[Chunk] = []
    current: list[str] = []
    start = 0
    for number, raw in numbered:
        line = raw.strip()
        ref = read_also_ref(line, number) if line else None
        if not line or ref:
            if current:
                chunks.append((start, current, None))
            current = []
            if ref:
                chunks.append((number, [line], ref))
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        chunks.append((start, current, None))
    return chunks


def _closing_attribution(chunks: list[Chunk]) -> str | None:
    """Pop a final "المصدر" line; return its value ("" means unknown), or None."""
    if not chunks:
        return None
    number, lines, ref = chunks[-1]
    value = None if ref else attribution(lines[-1])
    if value is None:
        return None
    if len(lines) == 1:
        chunks.pop()
    else:
        chunks[-1] = (number, lines[:-1], None)
    return value


def _blocks(chunks: list[Chunk]) -> tuple[list[Block], list[ReadAlsoRef]]:
    blocks: list[Block] = []
    refs: list[ReadAlsoRef] = []
    for index, (_, lines, ref) in enumerate(chunks):
        if ref:
            blocks.append(Block("read_also", ref=len(refs)))
            refs.append(ref)
        elif _is_subheading(lines, index, chunks):
            blocks.append(Block("h2", lines[0]))
        else:
            blocks.append(Block("p", " ".join(lines)))
    return blocks, refs


def _is_subheading(lines: list[str], index: int, chunks: list[Chunk]) -> bool:
    """A short lone line with no closing punctuation, with text on both sides."""
    if len(lines) != 1 or index == 0 or index == len(chunks) - 1:
        return False
    line = lines[0]
    return (len(line) <= SUBHEADING_MAX_CHARS  # first: most lines are long paragraphs
            and len(line.split()) <= SUBHEADING_MAX_WORDS
            and not _SENTENCE_END.search(line))
