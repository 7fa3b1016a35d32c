"""Shared fixtures: small throw-away sites built from a dict of files."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.cache import CACHE_DIR
from generator.config import Config, load_config
from generator.images import derive_image, inspect_image

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


_PHOTO_CACHE: list[Path] = []  # the demo's derived photographs, made once a session
DEMO = ("content", "seeds", "templates", "static")


@pytest.fixture(scope="session", autouse=True)
def demo_photo_cache(tmp_path_factory) -> Path:
    """The demo's photographs derived once, as a build caches them: a copy of
    the demo starts with them (what a build does with a photograph is tested
    in test_images and test_photos, from a cold cache)."""
    folder = tmp_path_factory.mktemp("photo-cache") / "images"
    for path in sorted((PROJECT / "content" / "images").glob("*.jpg")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        derive_image(str(path), inspect_image(str(path), path.name, 0, digest), folder)
    _PHOTO_CACHE.append(folder)
    return folder


def copy_demo(root: Path, names: tuple[str, ...] = DEMO, config: bool = True) -> Path:
    """The demo site's folders (and its warraq.toml) copied into ``root``, with
    its photographs' cache."""
    for name in names:
        shutil.copytree(PROJECT / name, root / name)
    if config:
        shutil.copy(PROJECT / "warraq.toml", root / "warraq.toml")
    if _PHOTO_CACHE and "content" in names:
        shutil.copytree(_PHOTO_CACHE[0], root / CACHE_DIR / "images", dirs_exist_ok=True)
    return root


@pytest.fixture
def project_config() -> Config:
    """The repository's own configuration (demo content and the seed)."""
    return load_config(PROJECT / "warraq.toml")
