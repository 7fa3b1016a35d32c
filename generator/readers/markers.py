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

_SEPARATED = re.compile(r"^[\s*_>]*(?P<marker>[^:\-–—\u00a0]{2,30}?)\s*"
                        r"(?:[:\-–—]|\u00a0)[\s*_]*(?P<rest>.*?)[\s*_]*$")
_READ_ALSO = {"اقرا ايضا", "read also", "see also"}
_ATTRIBUTION = {"مصدر", "المصدر", "source"}
_MD_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


@lru_cache(maxsize=16_384)  # every line that has a colon early is looked at
def _marker_key(marker: str) -> str:
    return normalise(marker, strip_clitics=False)


def read_also_ref(line: str, line_no: int) -> ReadAlsoRef | None:
    """The reference a read-also line makes, or None for any other line."""
    found = _SEPARATED.match(line)
    if not found or _marker_key(found["marker"]) not in _READ_ALSO:
        return None
    rest = found["rest"].strip()
    if not rest:
        return None
    link = _MD_LINK.match(rest)
    if link:
        return ReadAlsoRef(target=link["url"], line=line_no, label=link["label"].strip())
    return ReadAlsoRef(target=rest, line=line_no, label=rest)


def attribution(line: str) -> str | None:
    """The source named by an "المصدر" line ("" when it names none), else None."""
    stripped = line.strip().strip("*_")
    if _marker_key(stripped) in _ATTRIBUTION:
        return ""
    found = _SEPARATED.match(stripped)
    if found and _marker_key(found["marker"]) in _ATTRIBUTION:
        return found["rest"].strip()
    return None
