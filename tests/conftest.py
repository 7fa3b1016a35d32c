"""Shared fixtures: small throw-away sites built from a dict of files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import Config, load_config

PROJECT = Path(__file__).resolve().parent.parent


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel_path, content in files.items():
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(files={...}, config="toml text", **overrides) -> Config.

    The site gets the project's real templates and static files, so what
    the tests build is what users get.
    """

    def _make(files: dict[str, str | bytes] | None = None, config: str = "",
              **overrides) -> Config:
        shutil.copytree(PROJECT / "templates", tmp_path / "templates", dirs_exist_ok=True)
        shutil.copytree(PROJECT / "static", tmp_path / "static", dirs_exist_ok=True)
        write_files(tmp_path, files or {})
        config_path = tmp_path / "warraq.toml"
        config_path.write_text(config or 'fallback_date = "2016-12-06"\n', encoding="utf-8")
        return load_config(config_path, **overrides)

    return _make


@pytest.fixture
def project_config() -> Config:
    """The repository's own configuration (demo content and the seed)."""
    return load_config(PROJECT / "warraq.toml")
