"""Readers: one small function per file type, picked by suffix.

``discover_sources`` walks the content folders in sorted order;
``read_source`` decodes a file and hands its text to ``READERS[suffix]``.
A new format is one function and one entry in ``READERS``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from ..errors import WarraqError, error
from ..models import RawDoc, SourceFile
from .decode import decode_bytes
from .markdown_reader import read_markdown
from .wire import read_wire_text

READERS: dict[str, Callable[[str, str], RawDoc]] = {
    ".txt": read_wire_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
_IGNORED_NAMES = ("README", "readme")


def discover_sources(root: Path, content_dirs: tuple[str, ...]) -> list[SourceFile]:
    """Article files under each content folder, sorted by relative path."""
    found = []
    for folder in content_dirs:
        base = root / folder
        if not base.is_dir():
            continue
        for abs_path in sorted(base.rglob("*")):
            if is_article_file(abs_path) and not is_hidden(abs_path, base):
                rel_path = abs_path.relative_to(root).as_posix()
                found.append(SourceFile(abs_path, rel_path, _digest(abs_path)))
    return sorted(found, key=lambda s: s.rel_path)


def is_hidden(path: Path, base: Path) -> bool:
    """Inside a dot-folder (.git, an editor's .trash) or itself a dotfile."""
    return any(part.startswith(".") for part in path.relative_to(base).parts)


def is_article_file(path: Path) -> bool:
    return (path.is_file() and path.suffix.lower() in READERS
            and not path.name.startswith((".", "_")) and path.stem not in _IGNORED_NAMES)


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def read_source(rel_path: str, data: bytes) -> RawDoc:
    """The RawDoc of one file, or WarraqError naming the file and line."""
    if not data:
        raise WarraqError([error(rel_path, 1, "empty file")])
    text = decode_bytes(data, rel_path).lstrip("\ufeff")
    if not text.strip():
        raise WarraqError([error(rel_path, 1, "the file holds only whitespace")])
    return READERS[Path(rel_path).suffix.lower()](rel_path, text)
