"""Determinism: the demo site builds byte for byte the same whatever the hash seed,
the locale, the time zone or the clock."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT, copy_demo

FAKETIME = shutil.which("faketime")


def project_copy(place: Path) -> Path:
    copy_demo(place)
    return place


def built(place: Path, env: dict[str, str], prefix: tuple[str, ...] = ()) -> dict[str, str]:
    root = project_copy(place)
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SOURCE_DATE_EPOCH", "LANG", "LC_ALL", "TZ")}
    result = subprocess.run([*prefix, sys.executable, "-m", "generator", "build"], cwd=root,
                            env={**environment, "PYTHONPATH": str(PROJECT), **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = root / "_site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_hash_seed_locale_and_time_zone_change_nothing(tmp_path):
    first = built(tmp_path / "a", {"PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    second = built(tmp_path / "b", {"PYTHONHASHSEED": "4242", "LANG": "ar_SY.UTF-8",
                                    "TZ": "Pacific/Kiritimati"})
    assert len(first) > 20
    assert first == second


def test_the_clock_changes_nothing(tmp_path):
    if not FAKETIME:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's faketime for this test")
        pytest.skip("faketime is not installed")
    today = built(tmp_path / "a", {})
    elsewhen = built(tmp_path / "b", {}, (FAKETIME, "-f", "2031-07-15 03:00:00"))
    assert today == elsewhen
