"""Every kind of page the demo site has is valid HTML to the Nu Html Checker (vnu).

One page of each kind is checked: an article of each language and source
format, the first and a later page of each listing, the topics index, 404,
and any other HTML page a build writes: kinds are told apart by the shape
of their paths, not listed here, so a kind of page added later (say
``search/index.html``) is checked without editing this file. All of them,
and a page broken on purpose to show the check can fail, go to one
validator run, because the JVM is slow to start.

The checker is the ``vnu-jar`` npm package that .ci/run installs into
``.venv/vnu`` (or the jar named by ``VNU_JAR``), run by ``java``. Without
them the tests that validate skip, but fail under CI, where they must be
installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import pytest

from generator.build import build, load_site
from generator.config import load_config
from generator.views import article_url

from .conftest import PROJECT, copy_demo

VNU_JAR = PROJECT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# every kind the demo site must have; any other kind it writes is checked too
EXPECTED_KINDS = {"article ar .txt", "article ar .md", "article en .md", "home",
                  "home page 2+", "topics/*", "topics", "404.html",
                  "2016/*/*/*"}  # a redirect page, at an article's old address (aliases)
OUTPUT = "_site"  # the demo's output folder, as the errors name it
BROKEN = ('<!doctype html>\n<html lang="ar" dir="rtl">\n<head><meta charset="utf-8">'
          "<title>مكسورة</title></head>\n<body>\n<p>فقرة<div>كتلة</div></p>\n"
          '<span id="x"></span><span id="x"></span>\n</body>\n</html>\n')


def validator() -> list[str]:
    """The command that runs vnu; skips where it is missing, fails under CI."""
    jar = Path(os.environ.get("VNU_JAR") or VNU_JAR)
    java = shutil.which("java")
    if java and jar.is_file():
        return [java, "-jar", str(jar)]
    missing = "java" if not java else f"the Nu Html Checker ({jar.name})"
    if os.environ.get("CI"):
        pytest.fail(f"CI must install {missing} for the HTML validity tests (see .ci/run)")
    pytest.skip(f"{missing} is not installed (.ci/run installs it)")


def validate(files: list[Path]) -> dict[Path, list[str]]:
    """vnu's errors for each file, as ``line: message``; a file with none maps to []."""
    missing = [str(file) for file in files if not file.is_file()]
    assert not missing, f"no such file to check (vnu would say nothing): {missing}"
    done = subprocess.run([*validator(), "--format", "json", "--stdout", "--exit-zero-always",
                           *map(str, files)], capture_output=True, text=True, timeout=300,
                          check=False)
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu gave no report (exit {done.returncode}):\n"
                             f"{done.stdout}{done.stderr}") from None
    failed = [m for m in messages if m.get("type") == "non-document-error"]
    assert not failed, f"vnu could not check every file: {failed}"
    found: dict[Path, list[str]] = {file: [] for file in files}
    for message in messages:
        if message.get("type") == "error":
            where = Path(unquote(urlparse(message.get("url", "")).path))
            line = message.get("lastLine") or message.get("firstLine") or 0
            found.setdefault(where, []).append(f"{line}: {message.get('message', '')}")
    return found


def page_kinds(config) -> dict[str, str]:
    """One output path for each kind of HTML page a build of ``config`` wrote."""
    output = config.abs(config.output_dir)
    articles = {article_url(a.slug) + "index.html": a
                for a in load_site(config).site.articles.values()}
    kinds = {}
    for path in output.rglob("*.html"):
        rel_path = path.relative_to(output).as_posix()
        article = articles.get(rel_path)
        kinds[rel_path] = (f"article {article.lang} {PurePosixPath(article.source).suffix}"
                           if article else path_kind(rel_path))
    # of each kind the page with the most on it: the most markup to check
    chosen: dict[str, str] = {}
    for rel_path in sorted(kinds, key=lambda p: (-(output / p).stat().st_size, p)):
        chosen.setdefault(kinds[rel_path], rel_path)
    return dict(sorted(chosen.items()))


def path_kind(rel_path: str) -> str:
    """A page's kind from the shape of its path: its first folder, how deep
    below it, and whether it is a later page of a listing.

    ``index.html`` is "home", ``page/2/index.html`` "home page 2+",
    ``topics/index.html`` "topics", ``topics/x/page/3/index.html``
    "topics/* page 2+", ``404.html`` "404.html"."""
    parts = rel_path.split("/")
    if parts[-1] == "index.html":
        parts.pop()
    later = len(parts) >= 2 and parts[-2] == "page" and parts[-1].isdigit()
    if later:
        del parts[-2:]
    shape = "/".join(parts[:1] + ["*"] * (len(parts) - 1)) or "home"
    return shape + (" page 2+" if later else "")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo site, built in a scratch folder: (its config, kind -> path under _site)."""
    root = tmp_path_factory.mktemp("validity") / "site"
    copy_demo(root)
    config = load_config(root / "warraq.toml")
    assert config.output_dir == OUTPUT
    build(config)
    return config, page_kinds(config)


@pytest.fixture(scope="module")
def checked(demo):
    """(kind -> path under _site, shown path -> vnu's errors) for the demo's
    pages and the broken page, from one validator run."""
    config, kinds = demo
    output = config.abs(config.output_dir).resolve()
    broken = config.root / "broken.html"
    broken.write_text(BROKEN, "utf-8")
    errors = validate([output / path for path in kinds.values()] + [broken.resolve()])
    shown = {f"{OUTPUT}/{p.relative_to(output).as_posix()}" if output in p.parents
             else p.name: lines for p, lines in errors.items()}
    return kinds, shown


@pytest.mark.parametrize("rel_path, kind", [
    ("index.html", "home"), ("page/2/index.html", "home page 2+"), ("404.html", "404.html"),
    ("topics/index.html", "topics"), ("topics/حلب/index.html", "topics/*"),
    ("topics/حلب/page/3/index.html", "topics/* page 2+"), ("search/index.html", "search"),
    ("topics/page/index.html", "topics/*")])
def test_a_page_s_kind_is_the_shape_of_its_path(rel_path, kind):
    assert path_kind(rel_path) == kind


def test_the_demo_site_has_every_kind_of_page(demo):
    _, kinds = demo
    assert EXPECTED_KINDS <= kinds.keys(), sorted(kinds)


def test_one_page_of_every_kind_is_valid_html(checked):
    kinds, errors = checked
    pages = {f"{OUTPUT}/{path}" for path in kinds.values()}
    assert pages <= errors.keys()  # every page went to vnu
    problems = [f"{path}:{line}" for path, lines in sorted(errors.items())
                if path in pages for line in lines]
    assert problems == [], "vnu found errors:\n" + "\n".join(problems)


def test_the_check_fails_on_a_broken_page(checked):
    _, errors = checked
    lines = errors["broken.html"]
    assert any(line.startswith("5: ") and "end tag" in line for line in lines), lines
    assert any(line.startswith("6: ") and "Duplicate ID" in line for line in lines), lines
