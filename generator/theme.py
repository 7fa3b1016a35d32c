"""The theme: Warraq's default templates and static files, and the site's own.

The defaults ship inside the package (``generator/default_theme/`` in a
wheel; in a checkout, the repository's ``templates/`` and ``static/``). A
site's own folders come first and override them file by file; what the site
lacks comes from the defaults, so a newsroom that changed one partial keeps
getting the others from upgrades. Where the site's folder is the default
folder (this repository), it is one layer, read once.

Templates are found through ``ThemeLoader``, so a page's template digest
(``render.template_digests``) is of the files that win for it: adding,
editing or removing an override changes the key of exactly the pages that
use it. ``words.toml`` merges key by key (``words.load_words``); its source,
as the loader gives it, is every layer's file, so an edit to any counts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import Config
from .errors import Problem
from .models import Stamp
from .readers import walk_files
from .words import WORDS_FILE, load_words

_PACKAGED = Path(__file__).resolve().parent / "default_theme"
_CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Theme:
    """Folders to look in, the site's first; each holds files by the same names."""

    templates: tuple[Path, ...]
    static: tuple[Path, ...]


def default_folder(kind: str) -> Path:
    """The default ``templates`` or ``static`` folder: the wheel's, else the checkout's."""
    packaged = _PACKAGED / kind
    return packaged if packaged.is_dir() else _CHECKOUT / kind


def theme_of(config: Config) -> Theme:
    return Theme(_layers(config.abs(config.templates_dir), default_folder("templates")),
                 _layers(config.abs(config.static_dir), default_folder("static")))


def _layers(own: Path, default: Path) -> tuple[Path, ...]:
    if os.path.realpath(own) == os.path.realpath(default):
        return (own,)
    return (own, default)


def layered_files(folders: tuple[Path, ...], problems: list[Problem] | None = None,
                  shown: str = "") -> list[tuple[str, str, Stamp]]:
    """``walk_files`` over every folder, a path taken from the first that has it;
    sorted by the path under the folders."""
    found: dict[str, tuple[str, str, Stamp]] = {}
    for index, folder in enumerate(folders):
        told = problems if index == 0 else None  # the defaults are not the site's to fix
        for entry in walk_files(folder, told, shown):
            found.setdefault(entry[1], entry)
    return [found[rel] for rel in sorted(found)]


class ThemeLoader(jinja2.FileSystemLoader):
    """Templates from the theme's folders, the first that has a name winning."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__([str(folder) for folder in folders])
        self.folders = folders

    def get_source(self, environment, template):
        if template != WORDS_FILE:
            return super().get_source(environment, template)
        # what a page's words depend on: every layer's file, as it is (none: the error)
        texts = [_text_or_none(folder / WORDS_FILE) for folder in self.folders]
        if not any(text is not None for text in texts):
            load_words(*self.folders)  # raises: no words at all
        return "\0".join(text or "" for text in texts), None, lambda: True


def _text_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
