"""Writing the site: assemble the next one beside the live one, then swap them.

The live output folder is never changed file by file. Its twin, the spare (a
folder in the build cache, on the same file system), mirrors it with hard
links. A build ``stage``s into the spare only the files whose bytes change
(unlinking the shared link first, so the live file is untouched), removes
what is stale, and ``publish`` exchanges the two folders in one system call.
A build stopped at any moment leaves the old site or the new one, whole.

After the swap the spare holds the old site; linking just what changed
brings it level with the new one, so a rebuild costs what it changes. The
marker file links the two: the spare is level with the output exactly when
both names lead to the same marker. A spare found out of step (a build was
stopped, or it mirrors another output) is mirrored afresh first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .guard import MARKER, MARKER_TEXT
from .models import Stamp
from .readers import file_stamp


@dataclass(frozen=True)
class Staging:
    output: Path  # the live site
    spare: Path  # where the next one is assembled
    fresh: bool  # there is no live site yet: the spare becomes it


def open_staging(output: Path, spare: Path) -> Staging:
    """A spare level with ``output`` (empty when there is none yet), marked as
    being written, so a build stopped while staging leaves it out of step."""
    fresh = not output.exists()
    try:
        if fresh:
            shutil.rmtree(spare, ignore_errors=True)
            spare.mkdir()
        elif not _level(output, spare):
            mirror(output, spare)
        _unlink(spare / MARKER)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)  # half a mirror is no use to anyone
        raise
    return Staging(output, spare, fresh)


def stage(staging: Staging, files: Iterable[tuple[str, bytes]],
          stamps: dict[str, Stamp] | None = None) -> list[str]:
    """Write into the spare each file whose bytes differ from the live copy.
    With ``stamps``, record there the (size, mtime_ns) each file will have in
    the output (the swap keeps them). Several processes may stage at once,
    each its own files."""
    out_root, spare_root = str(staging.output) + os.sep, str(staging.spare) + os.sep
    folders: set[str] = set()
    changed = []
    for rel_path, data in files:
        if not staging.fresh and _same_bytes(out_root + rel_path, data):
            if stamps is not None:
                stamps[rel_path] = file_stamp(out_root + rel_path)
            continue
        target = spare_root + rel_path
        folder = os.path.dirname(target)
        if folder not in folders:
            _make_folder(folder)
            folders.add(folder)
        if not staging.fresh:
            _unlink(target)  # a link to the live file: never write through it
        _write_new(target, data)
        changed.append(rel_path)
        if stamps is not None:
            stamps[rel_path] = file_stamp(target)
    return changed


def publish(staging: Staging, expected: set[str], changed: list[str],
            stale: list[str] | None = None) -> tuple[list[str], int, list[str]]:
    """Remove from the spare what no page produces any more (``stale`` when the
    caller knows it, else whatever ``expected`` lacks), and swap it in.
    (written, unchanged count, removed)."""
    spare, output = staging.spare, staging.output
    removed = _prune(spare, expected) if stale is None else _remove(spare, stale)
    counts = sorted(changed), len(expected) - len(changed), removed
    if not (changed or removed or staging.fresh):  # the live site stays as it is
        os.link(output / MARKER, spare / MARKER)
        return counts
    _write_new(str(spare / MARKER), MARKER_TEXT)
    if staging.fresh:
        os.rename(spare, output)
        return counts
    exchange(spare, output)
    _catch_up(staging, changed, removed)
    return counts


def abandon(staging: Staging) -> None:
    """After a failure: the spare level with the live site again (nothing of the
    failed build left in it), or gone if that fails too."""
    try:
        if staging.output.is_dir():
            mirror(staging.output, staging.spare)
        else:
            shutil.rmtree(staging.spare)
    except OSError:
        shutil.rmtree(staging.spare, ignore_errors=True)


def mirror(source: Path, target: Path) -> None:
    """Make ``target`` hold what ``source`` holds, as hard links: entries that
    already share their file are left alone, others are linked or removed."""
    target.mkdir(exist_ok=True)
    pending = [""]
    while pending:
        rel = pending.pop()
        have = {entry.name: entry for entry in os.scandir(target / rel)}
        for entry in os.scandir(source / rel):
            old = have.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                if old is not None and not old.is_dir(follow_symlinks=False):
                    os.unlink(old.path)
                    old = None
                if old is None:
                    os.mkdir(target / rel / entry.name)
                pending.append(f"{rel}{entry.name}/")
            elif old is None or old.is_dir(follow_symlinks=False) or (
                    old.inode() != entry.inode()):
                _remove_entry(old)
                os.link(entry.path, target / rel / entry.name, follow_symlinks=False)
        for old in have.values():
            _remove_entry(old)
    os.chmod(target, os.stat(source).st_mode & 0o7777)


def _remove_entry(entry: os.DirEntry | None) -> None:
    if entry is None:
        return
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _level(output: Path, spare: Path) -> bool:
    """Whether the spare mirrors ``output``: both names lead to one marker."""
    try:
        ours, theirs = os.stat(output / MARKER), os.stat(spare / MARKER)
    except OSError:
        return False
    return (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino)


def _catch_up(staging: Staging, changed: list[str], removed: list[str]) -> None:
    """After the swap the spare holds the previous site: link into it what
    changed, remove what went. Should this fail, the spare stays out of step
    (its marker is the old one) and the next build mirrors it afresh."""
    spare, output = staging.spare, staging.output
    try:
        _remove(spare, removed)
        for rel_path in changed:
            target = spare / rel_path
            _unlink(target)
            _make_folder(str(target.parent))
            os.link(output / rel_path, target)
        _unlink(spare / MARKER)
        os.link(output / MARKER, spare / MARKER)
    except OSError:
        _unlink(spare / MARKER)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> None:
    """Swap two folders in one step (Linux's renameat2 RENAME_EXCHANGE). Where
    the system lacks it, three renames, so either name may be briefly missing
    but neither folder is ever mixed."""
    renameat2 = _renameat2()
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                     _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL):
            raise OSError(code, os.strerror(code), str(second))
    aside = first.with_name(first.name + "-previous")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    return function


def _make_folder(folder: str) -> None:
    """os.makedirs(exist_ok=True) in one system call where the parent exists,
    as it does for all but the first page of a folder's siblings."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _write_new(path: str, data: bytes) -> None:
    """Write a new file with plain system calls: a site has thousands of them."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _remove(folder: Path, stale: list[str]) -> list[str]:
    """Delete the listed files, then the folders they leave empty."""
    removed = []
    for rel_path in stale:
        path = folder / rel_path
        if path.is_file():
            path.unlink()
        removed.append(rel_path)  # gone already (a step rewrote its folder): gone all the same
        for parent in path.parents:
            if parent == folder or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()
    return sorted(removed)


def _prune(folder: Path, expected: set[str]) -> list[str]:
    """Delete files no page produced any more, then the folders they leave empty."""
    removed = []
    for path in sorted(folder.rglob("*"), reverse=True):
        rel_path = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_dir():
            if rel_path not in expected and rel_path != MARKER:
                path.unlink()
                removed.append(rel_path)
        elif not any(path.iterdir()):
            path.rmdir()
    return sorted(removed)
