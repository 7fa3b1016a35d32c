"""prefetched: helper processes started for many files, none for a few, all reaped."""

from __future__ import annotations

import os

import pytest

from generator.readers import prefetch
from generator.readers.prefetch import prefetched


def _files(folder, count: int) -> list[str]:
    paths = []
    for number in range(count):
        path = folder / f"{number}.txt"
        path.write_text("عنوان\n\nنص.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_helpers_share_the_files_and_are_reaped(tmp_path, monkeypatch):
    monkeypatch.setattr(prefetch, "AT_LEAST", 3)
    paths = _files(tmp_path, 5) + [str(tmp_path / "gone.txt"), str(tmp_path)]
    with prefetched(paths) as helpers:
        assert len(helpers) == prefetch.HELPERS
        assert all(pid != os.getpid() for pid in helpers)
    for pid in helpers:
        with pytest.raises(ChildProcessError):  # already waited for
            os.waitpid(pid, os.WNOHANG)


def test_a_few_files_are_left_to_the_parse(tmp_path):
    with prefetched(_files(tmp_path, 3)) as helpers:
        assert helpers == []


def test_helpers_are_reaped_when_the_block_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(prefetch, "AT_LEAST", 1)
    with pytest.raises(RuntimeError):
        with prefetched(_files(tmp_path, 2)) as helpers:
            raise RuntimeError("the parse failed")
    for pid in helpers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
