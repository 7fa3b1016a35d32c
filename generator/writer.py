"""write_outputs: stage what changed, then swap it in; prune what is stale.

Pages arrive one at a time. A file whose bytes are already on disk is not
written again. Changed files go to a staging folder beside the output and
are moved into place only once every page has rendered, so a build that
fails half-way leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterable

STAGING_SUFFIX = ".warraq-staging"


def write_outputs(output: Path, files: Iterable[tuple[str, bytes]]) -> tuple[list[str], int, list[str]]:
    """(written, unchanged count, removed) for ``files`` of (posix path, bytes)."""
    staging = output.with_name(output.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)
    expected: set[str] = set()
    changed: list[str] = []
    fresh = not output.exists()
    folders: set[Path] = set()
    try:
        for rel_path, data in files:
            if rel_path in expected:
                raise ValueError(f"two outputs want the same path: {rel_path}")
            expected.add(rel_path)
            if not fresh and _same_bytes(output / rel_path, data):
                continue
            target = staging / rel_path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(data)
            changed.append(rel_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if fresh:  # nothing to keep: the staging folder becomes the output
        staging.mkdir(parents=True, exist_ok=True)
        os.replace(staging, output)
        return sorted(changed), 0, []
    _swap_in(staging, output, changed)
    removed = _prune(output, expected)
    return sorted(changed), len(expected) - len(changed), removed


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _swap_in(staging: Path, output: Path, changed: list[str]) -> None:
    for rel_path in changed:
        target = output / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel_path, target)
    shutil.rmtree(staging, ignore_errors=True)


def _prune(output: Path, expected: set[str]) -> list[str]:
    """Delete files no page produced any more, then the folders they leave empty."""
    removed = []
    if not output.is_dir():
        return removed
    for path in sorted(output.rglob("*"), reverse=True):
        rel_path = path.relative_to(output).as_posix()
        if path.is_file() and rel_path not in expected:
            path.unlink()
            removed.append(rel_path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(removed)
