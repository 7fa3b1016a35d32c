"""The real demo site: every internal link resolves, at the root and under /repo/."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.build import build, load_site
from generator.cli import main
from tests.conftest import PROJECT

CAMPS = "أكثر من 50 الف نازح سوري يعيشون في مخيمات رديئة تملؤها الوحول في محافظة إدلب"


class Page(HTMLParser):
    """Links, the h1 text, article languages, topic links and read-also cards of a page."""

    def __init__(self, path: Path):
        super().__init__()
        self.links: list[str] = []
        self.langs: list[str] = []
        self.topics: list[str] = []
        self.cards: list[str] = []
        self.h1 = ""
        self._open: list[str] = []
        self.feed(path.read_text("utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[k] for k in ("href", "src") if k in attrs]
        classes = (attrs.get("class") or "").split()
        if tag == "article" and "article" in classes:
            self.langs.append(attrs["lang"])
        if tag == "aside" and "read-also-card" in classes:
            self._open.append("card")
        elif tag == "a" and "card" in self._open and attrs.get("href"):
            self.cards.append(attrs["href"])
        if tag == "a" and "topic" in classes:
            self._open.append("topic")
        if tag == "h1":
            self._open.append("h1")

    def handle_endtag(self, tag):
        if self._open and tag == {"card": "aside", "topic": "a", "h1": "h1"}[self._open[-1]]:
            self._open.pop()

    def handle_data(self, data):
        if "h1" in self._open:
            self.h1 += data
        elif self._open[-1:] == ["topic"]:
            self.topics.append(data.strip())


def target(out: Path, base: str, page_url: str, link: str) -> Path | None:
    """The output file an internal link points at; None for external links."""
    if link.startswith(("http:", "https:", "mailto:", "tel:", "#")):
        return None
    path = urlsplit(urljoin(page_url, link)).path
    assert path.startswith(base), f"{link} on {page_url} is outside {base}"
    rel = unquote(path[len(base):])
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


@pytest.fixture(params=["/", "/repo/"])
def demo(request, project_config, tmp_path):
    base = request.param
    out = tmp_path / "site"
    config = replace(project_config, output_dir=str(out), base_url=base)
    build(config)
    return config, out, base


def check_links(out: Path, base: str) -> tuple[int, int]:
    """Every internal link of every page under ``out`` keeps to ``base`` and
    leads to a written file: (pages, links checked)."""
    pages = sorted(out.rglob("*.html"))
    checked = 0
    for page in pages:
        page_url = base + page.relative_to(out).as_posix()
        for link in Page(page).links:
            found = target(out, base, page_url, link)
            if found is not None:
                assert link.startswith(base), f"{link} on {page_url} skips the base path"
                assert found.is_file(), f"{link} on {page_url} goes nowhere"
                checked += 1
    return len(pages), checked


def test_every_internal_link_resolves(demo):
    _, out, base = demo
    pages, checked = check_links(out, base)
    assert pages > 20 and checked > 200


def test_demo_has_arabic_and_english_articles(demo):
    _, out, _ = demo
    langs = [lang for page in out.glob("articles/*/index.html") for lang in Page(page).langs]
    assert langs.count("ar") >= 12 and langs.count("en") >= 1
    assert (out / "404.html").is_file() and (out / "topics/index.html").is_file()


def test_seed_article_is_tagged_and_links_to_the_camps_article(demo):
    config, out, base = demo
    site = load_site(config).site
    slug = next(s for s, a in site.articles.items() if a.source.startswith("seeds/"))
    page = Page(out / "articles" / slug / "index.html")
    assert {"حلب", "روسيا", "الولايات المتحدة", "سوريا"} <= set(page.topics)
    assert len(page.cards) == 1
    card_url = base + f"articles/{slug}/"
    linked = Page(target(out, base, card_url, page.cards[0]))
    assert linked.h1 == CAMPS


def test_check_on_the_demo_reports_no_errors(capsys):
    assert main(["--config", str(PROJECT / "warraq.toml"), "check"]) == 0
    out, err = capsys.readouterr()
    assert "no errors" in out
    assert all(": warning: " in line for line in err.splitlines())
