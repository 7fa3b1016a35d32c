"""warraq init: a new site's files, copied from the skeleton in the package.

The skeleton (``generator/skeleton/``) is package data: a commented
``warraq.toml``, two example articles, the GitHub Pages workflow and a
``.gitignore``. Package data holds no dotfiles, so ``github/`` and
``gitignore`` are written as ``.github/`` and ``.gitignore``.

Nothing the user has is ever replaced: a folder with files in it is refused,
and with ``force`` only the missing files are added, each created with
``O_EXCL`` so that not even a file that appears meanwhile (or a dangling
link) is written over, and none through a link or into a file that stands
where a folder should be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, WarraqError

SKELETON = Path(__file__).resolve().parent / "skeleton"
_DOTTED = {"gitignore": ".gitignore", "github": ".github"}


@dataclass(frozen=True)
class Started:
    """What ``init_site`` did: files written and files left as they were."""

    written: tuple[str, ...]
    kept: tuple[str, ...]


def skeleton_files() -> list[tuple[Path, str]]:
    """(file in the package, posix path in the new site), sorted."""
    found = []
    for path in sorted(SKELETON.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts = path.relative_to(SKELETON).parts
            found.append((path, "/".join([_DOTTED.get(parts[0], parts[0]), *parts[1:]])))
    return sorted(found, key=lambda pair: pair[1])


def init_site(folder: Path, shown: str, force: bool = False) -> Started:
    """Write the skeleton into ``folder`` (made if missing); refuse a folder
    with files in it unless ``force``, which only adds what is missing."""
    if folder.exists() and not folder.is_dir():
        _refuse(shown, "is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        _refuse(shown, "is not empty; use --force to add only the missing files of a new "
                "site (nothing there is overwritten)")
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for source, rel in skeleton_files():
        (written if _add(folder, rel, source.read_bytes()) else kept).append(rel)
    return Started(tuple(written), tuple(kept))


def _add(folder: Path, rel: str, data: bytes) -> bool:
    """Create ``folder/rel`` with ``data``; False where something is in the way."""
    parent = folder
    for part in rel.split("/")[:-1]:
        parent = parent / part
        if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
            return False
        parent.mkdir(exist_ok=True)
    try:
        fd = os.open(folder / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return True


def started_line(started: Started, shown: str) -> str:
    """The one line ``warraq init`` prints."""
    if not started.written:
        return f"warraq: {shown} has every file of a new site already; nothing was written"
    line = f"warraq: a new site in {shown} ({len(started.written)} files)"
    if started.kept:
        line += f"; kept as they were: {', '.join(started.kept)}"
    return line + ("; next: warraq build" if shown == "." else
                   f"; next: cd {shown} && warraq build")


def _refuse(shown: str, message: str) -> None:
    raise WarraqError([Problem(shown, 0, message)], exit_code=2)
