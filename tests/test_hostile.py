"""Hostile input runs nothing: every page's links and attributes are checked as a
browser would read them, base_url is validated, and a Content-Security-Policy lets
only the templates' own scripts run."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.errors import WarraqError
from generator.render import url_for

from .browser import chromium, require_chromium, static_server

DANGEROUS = re.compile(r"^(?:javascript|vbscript|data|file):", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]


def unsafe_attributes(page: str) -> list[tuple[str, str, str]]:
    """on* attributes, and href/src/action values a browser would run as script."""
    parser = _Attributes()
    parser.feed(page)
    return [(tag, name, value) for tag, name, value in parser.found
            if name.startswith("on") or (name in ("href", "src", "action", "formaction")
                                         and DANGEROUS.match(INVISIBLE.sub("", value)))]


def all_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


HOSTILE_MD = '''---
title: '"><script>alert(1)</script> عنوان'
date: 2016-12-01
author: '<img src=x onerror=alert(1)>'
summary: 'javascript:alert(1)'
image: 'javascript://%0aalert(1)'
source: '" onmouseover="alert(1)'
read_also:
  - '[اضغط](javascript:alert(1))'
---

[رابط](jav&#x61;script:alert(1)) و [آخر](JaVaScRiPt&colon;alert(1))
و ![صورة](data:text/html;base64,PHNjcmlwdD4=) و [ثالث](vbscript:msgbox(1))

<a href="javascript:alert(1)" onclick="alert(1)">خام</a>
'''


def test_no_page_carries_a_script_url_or_an_event_attribute(make_site, tmp_path):
    config = make_site({"content/hostile.md": HOSTILE_MD,
                        "content/2016-12-02-b.txt": "خبر\n\nاقرأ أيضاً: javascript:alert(1)\n"})
    build(config)
    pages = all_pages(tmp_path / "_site")
    assert len([name for name in pages if name.startswith("articles/")]) == 2
    for name, page in pages.items():
        assert unsafe_attributes(page) == [], name
        assert "<script>" not in page, name


def test_the_checker_itself_finds_what_it_must(tmp_path):
    page = ('<a href="jav&#x61;script:x">a</a><img src=" data:x"><p onclick="x">'
            '<a href="https://example.org/">ok</a>')
    assert [(t, n) for t, n, _ in unsafe_attributes(page)] == [
        ("a", "href"), ("img", "src"), ("p", "onclick")]


@pytest.mark.parametrize("path", ["javascript:alert(1)", "JavaScript://%0aalert(1)",
                                  "data:text/html,x", "vbscript:x", " javascript:x"])
def test_url_for_keeps_only_web_mail_and_phone_links(path):
    url = url_for("/news/", path)
    assert url.startswith("/news/") and not DANGEROUS.match(url)


@pytest.mark.parametrize("path", ["https://example.org/x", "mailto:desk@example.org",
                                  "tel:+963111", "#top"])
def test_url_for_passes_real_links_as_they_are(path):
    assert url_for("/news/", path) == path


@pytest.mark.parametrize("value", ['/x"onmouseover="alert(1)"/', "/x'y/", "/<b>/",
                                   "javascript:alert(1)", "/a b/", "/a\\b/", "//evil.example/",
                                   "/../", "ftp://example.org/", "https://exa mple.org/",
                                   "/x?y=1", "/x#y", "https://user@example.org/"])
def test_a_hostile_base_url_is_refused_in_one_line(make_site, tmp_path, monkeypatch, capsys,
                                                   value):
    make_site({"content/2016-12-01-a.txt": "خبر\n\nنص.\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--base-url", value]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("--base-url: base_url: expected a path")
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize("value", ["/", "/repo/", "/repo", "/أخبار/", "https://example.org/",
                                   "https://example.org/news/", "http://127.0.0.1:8000/"])
def test_real_base_urls_are_accepted(make_site, value):
    assert make_site(base_url=value).base_url == value


def test_base_url_in_the_config_file_is_checked_too(make_site):
    with pytest.raises(WarraqError) as caught:
        make_site(config='base_url = "/x\\"y/"\n')
    assert str(caught.value).startswith("warraq.toml:1: base_url: expected a path")


def test_every_page_carries_the_policy(make_site, tmp_path):
    build(make_site({"content/2016-12-01-a.txt": "خبر\n\nنص.\n"}))
    for name, page in all_pages(tmp_path / "_site").items():
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                           page)
        assert policy, name
        wasm = " 'wasm-unsafe-eval'" if name.startswith("search/") else ""  # Pagefind's
        assert f"script-src 'self'{wasm};" in policy[1] and "object-src 'none'" in policy[1]
        assert "unsafe-inline" not in policy[1]


SCRIPT = "document.documentElement.dataset.ran = 'yes';"


def _with_inline_script(tmp_path: Path, script: str) -> None:
    base = tmp_path / "templates/base.html"
    base.write_text(base.read_text("utf-8").replace(
        "</body>", f"<script>{script}</script>\n</body>"), "utf-8")


def test_a_templates_own_inline_script_is_allowed_by_its_hash(make_site, tmp_path):
    config = make_site({"content/2016-12-01-a.txt": "خبر\n\nنص.\n"})
    _with_inline_script(tmp_path, SCRIPT)
    build(config)
    page = (tmp_path / "_site/index.html").read_text("utf-8")
    assert "script-src 'self' 'sha256-" in page


def test_an_inline_script_with_template_code_is_a_template_error(make_site, tmp_path):
    config = make_site({"content/2016-12-01-a.txt": "خبر\n\nنص.\n"})
    _with_inline_script(tmp_path, "var title = '{{ site.title }}';")
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert caught.value.exit_code == 2
    assert "templates/base.html:" in str(caught.value) and "inline <script>" in str(
        caught.value)


def test_in_a_browser_the_policy_runs_the_templates_script_and_blocks_others(make_site,
                                                                             tmp_path):
    require_chromium()
    config = make_site({"content/2016-12-01-a.txt": "خبر\n\nنص.\n"})
    _with_inline_script(tmp_path, SCRIPT)
    build(config)
    page = tmp_path / "_site/index.html"
    smuggled = "<script>document.documentElement.dataset.smuggled = 'yes';</script>"
    page.write_text(page.read_text("utf-8").replace("</main>", smuggled + "</main>"), "utf-8")
    with static_server(tmp_path / "_site") as base, chromium() as browser:
        tab = browser.new_page()
        violations = []
        tab.on("console", lambda message: violations.append(message.text))
        tab.goto(base + "/")
        data = tab.evaluate("() => ({...document.documentElement.dataset})")
    assert data == {"ran": "yes"}
    assert any("Content Security Policy" in text for text in violations)


def test_rebased_body_links_cannot_leave_their_attribute(make_site, tmp_path):
    config = make_site({"content/a.md": "---\ntitle: خبر\ndate: 2016-12-01\n---\n\n"
                                        "[صورة](/images/map.svg)\n"}, base_url="/a&b/")
    build(config)
    page = (tmp_path / "_site/articles/خبر/index.html").read_text("utf-8")
    assert 'href="/a&amp;b/images/map.svg"' in page
    assert html.unescape('/a&amp;b/') == "/a&b/"
