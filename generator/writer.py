"""Writing the site: stage what changed, then swap it in; prune what is stale.

``stage`` skips a file whose bytes are already on disk and writes the others
to a staging folder beside the output; ``commit`` moves them into place once
every page has rendered, so a build that fails half-way (and ``discard``s
the staging folder) leaves the previous site exactly as it was. Staging can
be shared by several processes, each writing its own files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterable

from .models import Stamp
from .readers import file_stamp

STAGING_SUFFIX = ".warraq-staging"


def open_staging(output: Path) -> Path:
    staging = output.with_name(output.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def stage(output: Path, staging: Path, files: Iterable[tuple[str, bytes]],
          stamps: dict[str, Stamp] | None = None) -> list[str]:
    """Write to ``staging`` each file whose bytes differ from ``output``'s copy.
    With ``stamps``, record there the (size, mtime_ns) each file will have in
    the output (a move into place keeps them)."""
    fresh = not output.exists()
    out_root, staging_root = str(output) + os.sep, str(staging) + os.sep
    folders: set[str] = set()
    changed = []
    for rel_path, data in files:
        if not fresh and _same_bytes(out_root + rel_path, data):
            if stamps is not None:
                stamps[rel_path] = file_stamp(out_root + rel_path)
            continue
        target = staging_root + rel_path
        folder = os.path.dirname(target)
        if folder not in folders:
            _make_folder(folder)
            folders.add(folder)
        _write_new(target, data)
        changed.append(rel_path)
        if stamps is not None:
            stamps[rel_path] = file_stamp(target)
    return changed


def _make_folder(folder: str) -> None:
    """os.makedirs(exist_ok=True) in one system call where the parent exists,
    as it does for all but the first page of a folder's siblings."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def _write_new(path: str, data: bytes) -> None:
    """Write a file with plain system calls: a site has thousands of them."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def commit(output: Path, staging: Path, expected: set[str], changed: list[str],
           stale: list[str] | None = None) -> tuple[list[str], int, list[str]]:
    """Move staged files into place and delete what no page produces any more:
    ``stale`` when the caller knows it, else whatever ``expected`` lacks."""
    if not output.exists():  # nothing to keep: the staging folder becomes the output
        staging.mkdir(parents=True, exist_ok=True)
        os.replace(staging, output)
        return sorted(changed), len(expected) - len(changed), []
    for rel_path in changed:
        target = output / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel_path, target)
    discard(staging)
    removed = _prune(output, expected) if stale is None else _remove(output, stale)
    return sorted(changed), len(expected) - len(changed), removed


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _remove(output: Path, stale: list[str]) -> list[str]:
    """Delete the listed files, then the folders they leave empty."""
    removed = []
    for rel_path in stale:
        path = output / rel_path
        if path.is_file():
            path.unlink()
            removed.append(rel_path)
        for folder in path.parents:
            if folder == output or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
    return sorted(removed)


def _prune(output: Path, expected: set[str]) -> list[str]:
    """Delete files no page produced any more, then the folders they leave empty."""
    removed = []
    for path in sorted(output.rglob("*"), reverse=True):
        rel_path = path.relative_to(output).as_posix()
        if path.is_file() and rel_path not in expected:
            path.unlink()
            removed.append(rel_path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(removed)
