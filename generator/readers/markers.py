"""Line markers shared by every reader: "اقرأ أيضاً" references and "المصدر".

A marker is recognised on its normalised form, so spellings with or
without hamza, tanween, tashkeel or tatweel, and English "Read also", all
count. It must be followed by ":", "-", "–", "—" or a no-break space.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import ReadAlsoRef
from ..text import normalise

# "marker: rest" is taken apart in steps that each take linear time: as one
# pattern with runs of spaces and stars on both sides of the marker and the
# rest, it backtracked, and a line of 16,000 spaces took 109 s. The marker is
# 2 to 30 characters, no separator among them; spaces may follow it, then
# ":", "-", "–", "—" or a no-break space (which is a space too). Emphasis
# before the marker is taken whole: a marker that kept some would hold "*",
# "_" or ">", and so be none that anyone looks for.
_HEAD = re.compile(r"[\s*_>]*+(?P<head>[^:\-–—\u00a0]{0,30}+)[^\S\u00a0]*+")
_SEPARATORS = ":-–—\u00a0"
_SPACES = re.compile(r"\s*")
_EDGE = re.compile(r"[\s*_]*")
MARKER_MAX_CHARS = 64  # a whole line is a marker only when short (it is remembered)
_READ_ALSO = {"اقرا ايضا", "read also", "see also"}
_ATTRIBUTION = {"مصدر", "المصدر", "source"}
_MD_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


@lru_cache(maxsize=16_384)  # every line that has a colon early is looked at
def _marker_key(marker: str) -> str:
    return normalise(marker, strip_clitics=False)


def separated(line: str) -> tuple[str, str] | None:
    """(marker, rest) of a "marker: rest" line, emphasis and spaces trimmed
    from the rest; None when the line has no such shape."""
    head = _HEAD.match(line)
    separator, start = head.end(), head.start("head")
    if separator >= len(line) or line[separator] not in _SEPARATORS or separator - start < 2:
        return None
    # the shortest marker of two characters or more that only spaces part from it
    name = line[start:start + max(2, len(line[start:separator].rstrip()))]
    if line[separator] != "\u00a0":
        return name, _trimmed(line, separator + 1)
    spaces_end = _SPACES.match(line, separator).end()  # a no-break space is a space too:
    if spaces_end < len(line) and line[spaces_end] in ":-–—":  # a separator after spaces,
        return name, _trimmed(line, spaces_end + 1)
    return name, _trimmed(line, line.rindex("\u00a0", separator, spaces_end) + 1)  # or the last


def _trimmed(line: str, start: int) -> str:
    """``line[start:]`` without runs of spaces, "*" and "_" at either end."""
    rest = line[_EDGE.match(line, start).end():]
    if rest and (rest[-1] in "*_" or rest[-1].isspace()):
        rest = rest[:len(rest) - _EDGE.match(rest[::-1]).end()]  # read backwards: linear
    return rest


def read_also_ref(line: str, line_no: int) -> ReadAlsoRef | None:
    """The reference a read-also line makes, or None for any other line."""
    found = separated(line)
    if not found or _marker_key(found[0]) not in _READ_ALSO:
        return None
    rest = found[1].strip()
    if not rest:
        return None
    link = _MD_LINK.match(rest)
    if link:
        return ReadAlsoRef(target=link["url"], line=line_no, label=link["label"].strip())
    return ReadAlsoRef(target=rest, line=line_no, label=rest)


def attribution(line: str) -> str | None:
    """The source named by an "المصدر" line ("" when it names none), else None."""
    stripped = line.strip().strip("*_")
    if len(stripped) <= MARKER_MAX_CHARS and _marker_key(stripped) in _ATTRIBUTION:
        return ""
    found = separated(stripped)
    if found and _marker_key(found[0]) in _ATTRIBUTION:
        return found[1].strip()
    return None
