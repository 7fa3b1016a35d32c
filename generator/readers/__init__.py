"""Readers: one small function per file type, picked by suffix.

``discover`` walks the content folders once, in sorted order, and sorts
what it finds into articles and files published beside them;
``read_source`` decodes a file and hands its text to ``READERS[suffix]``.
A new format is one function and one entry in ``READERS``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from ..errors import WarraqError, error
from ..models import RawDoc, SourceFile, Stamp
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
    return discover(root, content_dirs)[0]


def discover(root: Path, content_dirs: tuple[str, ...]
             ) -> tuple[list[SourceFile], list[SourceFile]]:
    """(articles, other files) under the content folders, in one walk.

    The other files (images, PDFs) are published beside the articles; their
    ``rel_path`` is their place in the site, relative to their content folder.
    """
    articles, assets = [], []
    for folder in content_dirs:
        base = root / folder
        prefix = _posix_prefix(folder)
        for abs_path, rel_in_base, stamp in walk_files(base):
            if is_article_file(rel_in_base):
                articles.append(SourceFile(abs_path, prefix + rel_in_base, stamp))
            elif _suffix(rel_in_base) not in READERS:
                assets.append(SourceFile(abs_path, rel_in_base, stamp))
    return sorted(articles, key=lambda s: s.rel_path), assets


def _posix_prefix(folder: str) -> str:
    """'content', './content' and 'content/' all give 'content/'; '.' gives ''."""
    folder = os.path.normpath(folder).replace(os.sep, "/")
    return "" if folder == "." else folder + "/"


def file_stamp(path: str | Path) -> Stamp:
    """The (size, mtime_ns) of a file; OSError if it is gone."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def walk_files(base: Path) -> list[tuple[str, str, Stamp]]:
    """(path, posix path under ``base``, (size, mtime_ns)) of every file not
    hidden in a dot-folder or dotfile, sorted; nothing if ``base`` is missing."""
    found = []
    pending = [(str(base), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                pending.append((entry.path, prefix + entry.name + "/"))
            elif entry.is_file():
                info = entry.stat()
                found.append((entry.path, prefix + entry.name,
                              (info.st_size, info.st_mtime_ns)))
    return sorted(found, key=lambda f: f[1])


def is_article_file(rel_path: str) -> bool:
    name = rel_path.rsplit("/", 1)[-1]
    return (_suffix(name) in READERS and not name.startswith((".", "_"))
            and name.rsplit(".", 1)[0] not in _IGNORED_NAMES)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_source(rel_path: str, data: bytes) -> RawDoc:
    """The RawDoc of one file, or WarraqError naming the file and line."""
    if not data:
        raise WarraqError([error(rel_path, 1, "empty file")])
    text = decode_bytes(data, rel_path).lstrip("\ufeff")
    if not text.strip():
        raise WarraqError([error(rel_path, 1, "the file holds only whitespace")])
    return READERS[_suffix(rel_path)](rel_path, text)
