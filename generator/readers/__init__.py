"""Readers: one small function per file type, picked by suffix.

``discover`` walks the content folders once, in sorted order, and sorts
what it finds into articles and files published beside them;
``read_source`` decodes a file and hands its text to ``READERS[suffix]``.
A new format is one function and one entry in ``READERS``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

from ..errors import Problem, WarraqError, error, warning
from ..models import RawDoc, SourceFile, Stamp
from .decode import decode_bytes
from .markdown_reader import read_markdown
from .wire import read_wire_text

# Each takes (rel_path, decoded text, *, raw_html=False) and gives a RawDoc.
READERS: dict[str, Callable[..., RawDoc]] = {
    ".txt": read_wire_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
_IGNORED_NAMES = ("README", "readme")


class Discovered(NamedTuple):
    articles: list[SourceFile]  # sorted by rel_path
    assets: list[SourceFile]  # published beside the articles
    problems: list[Problem]  # links skipped, folders that could not be read


def discover_sources(root: Path, content_dirs: tuple[str, ...]) -> list[SourceFile]:
    """Article files under each content folder, sorted by relative path."""
    return discover(root, content_dirs).articles


def discover(root: Path, content_dirs: tuple[str, ...]) -> Discovered:
    """Articles and other files under the content folders, in one walk.

    The other files (images, PDFs) are published beside the articles; their
    ``rel_path`` is their place in the site, relative to their content folder.
    """
    articles, assets, problems = [], [], []
    for folder in content_dirs:
        base = root / folder
        prefix = _posix_prefix(folder)
        for abs_path, rel_in_base, stamp in walk_files(base, problems, prefix):
            if is_article_file(rel_in_base):
                articles.append(SourceFile(abs_path, prefix + rel_in_base, stamp))
            elif _suffix(rel_in_base) not in READERS:
                assets.append(SourceFile(abs_path, rel_in_base, stamp))
    return Discovered(sorted(articles, key=lambda s: s.rel_path), assets, sorted(problems))


def _posix_prefix(folder: str) -> str:
    """'content', './content' and 'content/' all give 'content/'; '.' gives ''."""
    folder = os.path.normpath(folder).replace(os.sep, "/")
    return "" if folder == "." else folder + "/"


def file_stamp(path: str | Path) -> Stamp:
    """The (size, mtime_ns) of a file; OSError if it is gone."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def walk_files(base: Path, problems: list[Problem] | None = None,
               shown: str = "") -> list[tuple[str, str, Stamp]]:
    """(path, posix path under ``base``, (size, mtime_ns)) of every file not
    hidden in a dot-folder or dotfile, sorted; nothing if ``base`` is missing.

    A symbolic link is followed only where it leads inside ``base``, so nothing
    outside is ever published. Every folder is read once, by its real path:
    folders behind links come after all the others, so a link to a folder
    that is read anyway (or a loop) is skipped. What is skipped, and folders
    that cannot be read, go into ``problems`` as ``shown`` + the path.
    """
    real_base = os.path.realpath(base)
    report = problems.append if problems is not None else (lambda problem: None)
    walk = _Walk(real_base, {real_base}, [], [(str(base), "", real_base)], [])
    while walk.pending or walk.links:
        if walk.pending:
            folder, prefix, real = walk.pending.pop()
        else:
            folder, prefix, real = walk.links.pop(0)
            if real in walk.seen:
                report(warning(shown + prefix.rstrip("/"), 0, "symbolic link skipped: it "
                               "leads to a folder that is read anyway (or to a loop)"))
                continue
            walk.seen.add(real)
        for entry in _listing(folder, shown + prefix, report):
            if not entry.name.startswith("."):
                _walk_entry(walk, entry, prefix + entry.name, real, shown, report)
    return sorted(walk.found, key=lambda f: f[1])


@dataclass
class _Walk:
    real_base: str
    seen: set[str]
    found: list[tuple[str, str, Stamp]]
    pending: list[tuple[str, str, str]]  # (folder, its path under base, its real path)
    links: list[tuple[str, str, str]]  # the same, for folders behind links


def _listing(folder: str, shown: str, report) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        report(error(shown.rstrip("/") or ".", 0, f"cannot read this folder: {exc.strerror}"))
        return []


def _walk_entry(walk: _Walk, entry: os.DirEntry, rel: str, real: str, shown: str,
                report) -> None:
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            refusal = _link_refusal(target, walk.real_base)
            if refusal:
                report(warning(shown + rel, 0, f"symbolic link skipped: {refusal}"))
            elif entry.is_dir():
                walk.links.append((entry.path, rel + "/", target))
            elif entry.is_file():
                walk.found.append((entry.path, rel, file_stamp(entry.path)))
        elif entry.is_dir(follow_symlinks=False):
            walk.seen.add(real + os.sep + entry.name)
            walk.pending.append((entry.path, rel + "/", real + os.sep + entry.name))
        elif entry.is_file(follow_symlinks=False):
            info = entry.stat(follow_symlinks=False)
            walk.found.append((entry.path, rel, (info.st_size, info.st_mtime_ns)))
    except OSError:  # gone since its folder was listed
        return


def _link_refusal(target: str, real_base: str) -> str | None:
    """Why a link whose real path is ``target`` is not followed, or None."""
    if not os.path.exists(target):
        return "it leads nowhere (its target is missing, or it is a loop)"
    if target != real_base and not target.startswith(real_base + os.sep):
        return "it leads outside the content folder"
    return None


def is_article_file(rel_path: str) -> bool:
    name = rel_path.rsplit("/", 1)[-1]
    return (_suffix(name) in READERS and not name.startswith((".", "_"))
            and name.rsplit(".", 1)[0] not in _IGNORED_NAMES)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_source(rel_path: str, data: bytes, *, raw_html: bool = False) -> RawDoc:
    """The RawDoc of one file, or WarraqError naming the file and line.
    ``raw_html``: keep raw HTML in Markdown, sanitised, instead of showing it as text."""
    if not data:
        raise WarraqError([error(rel_path, 1, "empty file")])
    text = decode_bytes(data, rel_path).lstrip("\ufeff")
    if not text.strip():
        raise WarraqError([error(rel_path, 1, "the file holds only whitespace")])
    return READERS[_suffix(rel_path)](rel_path, text, raw_html=raw_html)
