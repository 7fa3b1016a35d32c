"""Warraq as a user gets it: a wheel built from this checkout, installed into a
fresh virtual environment, `warraq init`, `warraq build`, every link of the
built site going to a written file, and a template of the site's own winning.

Installing the dependencies from the network would be slow, so the fresh
environment is given this one's site-packages by a .pth file, written only
after the wheel is in: `generator` itself must come from the wheel, and the
test proves it by where the imported module lives.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import PROJECT
from .test_links import check_links

SOURCES = ("pyproject.toml", "README.md", "generator", "templates", "static")
BASE = "/news/"
MASTHEAD = '<header class="masthead">'
RESTYLED = '<header class="masthead restyled">'


def run(args: list, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed: its bin folder."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # a copy, so that building writes nothing in the checkout
    source.mkdir()
    for name in SOURCES:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(PROJECT / name, source / name)
    pip = [sys.executable, "-m", "pip"]
    run([*pip, "wheel", "-q", "--no-cache-dir", "--no-deps", "--no-build-isolation",
         "-w", root / "dist", source], root)
    wheel = next((root / "dist").glob("warraq-*.whl"))
    env = root / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    run([*pip, "--python", python, "install", "-q", "--no-cache-dir", "--no-deps", "--no-index",
         wheel], root)
    packages = run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                   root).stdout.strip()
    (Path(packages) / "test-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", "utf-8")
    return env / "bin"


def test_generator_comes_from_the_wheel_with_its_theme(installed):
    found = run([installed / "python", "-c", "import generator.theme as t; "
                 "print(t.__file__); print(t.default_folder('templates'))"],
                installed).stdout.split()
    env = installed.parent.resolve()
    assert Path(found[0]).resolve().is_relative_to(env)
    assert Path(found[1]) == Path(found[0]).parent / "default_theme/templates"
    assert (Path(found[1]) / "partials/article_card.html").is_file()


def test_outside_a_site_warraq_says_so_and_writes_nothing(installed, tmp_path):
    done = run([installed / "warraq", "build"], tmp_path, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "warraq: no warraq.toml here, so this is not a site's folder; start one with warraq "
        "init DIR, or name the file with --config FILE"]
    assert os.listdir(tmp_path) == []


def test_init_build_every_link_resolves_and_an_override_wins(installed, tmp_path):
    warraq = installed / "warraq"
    run([warraq, "init", "news"], tmp_path)
    site = tmp_path / "news"
    assert not (site / "templates").exists()  # the theme is the package's
    run([warraq, "build", "--base-url", "https://example.org" + BASE], site)
    out = site / "_site"
    pages, checked = check_links(out, BASE)
    assert pages > 10 and checked > 100
    assert (out / "static/style.css").is_file()
    theme = Path(run([installed / "python", "-c", "from generator.theme import default_folder;"
                      "print(default_folder('templates'))"], site).stdout.strip())
    base = (theme / "base.html").read_text("utf-8")
    assert MASTHEAD in base and RESTYLED not in (out / "index.html").read_text("utf-8")
    (site / "templates").mkdir()
    (site / "templates/base.html").write_text(base.replace(MASTHEAD, RESTYLED), "utf-8")
    built = run([warraq, "build", "-v", "--base-url", "https://example.org" + BASE], site)
    assert "written: index.html" in built.stdout.splitlines()
    assert RESTYLED in (out / "index.html").read_text("utf-8")
    assert (out / "static/search.js").is_file()  # the rest still from the package
