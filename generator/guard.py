"""guard: which folder a build may replace, and one build at a time.

A build replaces its whole output folder, so a mistyped ``--output`` must be
refused before anything is touched: the root of the file system, the home
folder, the project's folder, a content, templates, static or cache folder
(or a folder inside one, or one containing one), a file, and any existing
folder with files in it that does not carry Warraq's marker — the file
``.warraq-output`` that every build writes into its output. The new site
is assembled in the build cache and swapped in, so the output must be on the
same file system as the cache and must not be a mount point itself.

``content_folders`` refuses content folders that are missing, where a
mistyped ``--content`` would otherwise publish an empty site. ``build_lock`` holds a lock file in the cache while a build runs, so that a
second build of the same site (``warraq serve`` and a build by hand) waits
for the first instead of mixing their files.
"""

from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .config import Config
from .errors import WarraqError, error
from .theme import default_folder

MARKER = ".warraq-output"
MARKER_TEXT = b"Written by Warraq: every build replaces this whole folder.\n"
LOCK_FILE = "lock"


def output_folder(config: Config, cache_dir: Path) -> Path:
    """The output folder with its links resolved, or WarraqError (exit 2)
    naming why it may not be replaced."""
    try:
        output = config.abs(config.output_dir).resolve()
        reason = refusal(output, config, cache_dir.resolve())
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        output, reason = Path(), f"cannot look at it: {getattr(exc, 'strerror', None) or exc}"
    if reason:
        raise WarraqError([error(config.output_dir, 0, f"refusing to write the site here: "
                                 f"{reason}")], exit_code=2)
    return output


def content_folders(config: Config) -> None:
    """WarraqError (exit 2) when a content folder named in the configuration or
    on the command line is missing; with the default folders, when none is there."""
    missing = [name for name in config.content_dirs if not config.abs(name).is_dir()]
    defaults = config.content_dirs == Config.content_dirs
    if missing and (not defaults or len(missing) == len(config.content_dirs)):
        raise WarraqError([error(name, 0, "content folder not found") for name in missing],
                          exit_code=2)


def refusal(output: Path, config: Config, cache_dir: Path) -> str | None:
    """Why ``output`` (resolved) must not be replaced, or None when it may."""
    return (_place_refusal(output, config, cache_dir)
            or _content_refusal(output)
            or _device_refusal(output, cache_dir))


def _place_refusal(output: Path, config: Config, cache_dir: Path) -> str | None:
    if output == Path(output.anchor):
        return "it is the root of the file system"
    root = config.root.resolve()
    if output == root or output in root.parents:
        return ("it is the project's own folder" if output == root
                else "it holds the project's folder")
    home = Path.home().resolve()
    if output == home or output in home.parents:
        return "it is the home folder" if output == home else "it holds the home folder"
    for label, folder in _protected(config, cache_dir):
        if output == folder:
            return f"it is the {label}"
        if folder in output.parents:
            return f"it is inside the {label}"
        if output in folder.parents:
            return f"it holds the {label}"
    return None


def _protected(config: Config, cache_dir: Path) -> list[tuple[str, Path]]:
    named = [(f"content folder '{name}'", name) for name in config.content_dirs]
    named += [(f"templates folder '{config.templates_dir}'", config.templates_dir),
              (f"static folder '{config.static_dir}'", config.static_dir)]
    theme = [(f"default theme's {kind} folder", default_folder(kind).resolve())
             for kind in ("templates", "static")]  # the package's own, wherever installed
    return [(label, config.abs(name).resolve()) for label, name in named] + theme + [
        ("build cache", cache_dir)]


def _content_refusal(output: Path) -> str | None:
    if not output.exists():
        if not output.parent.is_dir():
            return f"the folder that would hold it, {output.parent}, does not exist"
        return None
    if not output.is_dir():
        return "it is a file, not a folder"
    if os.path.ismount(output):
        return "it is a mount point, which cannot be replaced in one step"
    if not (output / MARKER).is_file() and _has_entries(output):
        return (f"it holds files that Warraq did not write (it has no {MARKER}); "
                "empty it or choose a new folder")
    return None


def _has_entries(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(entries)


def _device_refusal(output: Path, cache_dir: Path) -> str | None:
    """The new site is assembled in the cache and swapped in: one file system."""
    here = output if output.exists() else output.parent
    cache = cache_dir if cache_dir.exists() else cache_dir.parent
    if os.stat(here).st_dev != os.stat(cache).st_dev:
        return (f"it is on another file system than the build cache ({cache_dir.name}), "
                "so the site could not be replaced in one step")
    return None


@contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the site's build lock; say so on stderr when another build has it."""
    try:
        cache_dir.mkdir(exist_ok=True)
        descriptor = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise WarraqError([error(cache_dir.name, 0, "cannot write the build cache: "
                                 f"{exc.strerror or exc}")], exit_code=2) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("warraq: another build of this site is running; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
