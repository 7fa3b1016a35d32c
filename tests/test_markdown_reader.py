"""readers/markdown_reader.py: front matter plus a Markdown body that never runs HTML."""

from __future__ import annotations

import re

import pytest

from generator.errors import WarraqError
from generator.models import Block, ReadAlsoRef
from generator.readers import markdown_reader, read_source
from generator.readers.markdown_reader import _blocks

from .conftest import PROJECT

PROJECT_CONTENT = PROJECT / "content"


def read(text: str):
    return read_source("content/a.md", text.encode("utf-8"))


def html_of(body: str) -> str:
    return "\n".join(b.text for b in read("---\ntitle: ع\n---\n" + body).blocks)


def test_fields_reach_the_raw_doc():
    doc = read("---\ntitle: عنوان\nsource: الأناضول\ndraft: true\n---\nنص **غامق**.\n")
    assert (doc.title, doc.attribution, doc.draft) == ("عنوان", "الأناضول", True)
    assert doc.blocks == (Block("html", "<p>نص <strong>غامق</strong>.</p>"),)
    assert doc.warnings == ()


def test_unknown_field_warning_travels_with_the_doc():
    doc = read("---\ntitle: عنوان\ncolour: أحمر\n---\nنص\n")
    assert [(w.line, w.is_error) for w in doc.warnings] == [(3, False)]


def test_raw_html_and_script_are_escaped():
    html = html_of("فقرة <script>alert(1)</script> و <b>x</b>\n\n"
                   "<div onclick=\"x()\">كتلة</div>\n")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=" in html
    assert "<script" not in html and "<div" not in html and "<b>" not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 " javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_script_urls_lose_their_href(url):
    html = html_of(f"[رابط](<{url}>) و [آمن](https://example.org/a)\n")
    assert "<a>رابط</a>" in html
    assert '<a href="https://example.org/a">آمن</a>' in html


def test_plain_relative_urls_keep_their_target():
    html = html_of("[مقال آخر](../other/) [هنا](other/) ![صورة](photo.jpg)\n")
    assert 'href="other/"' in html and 'src="photo.jpg"' in html


def test_stand_alone_read_also_becomes_a_block_in_place():
    doc = read("---\ntitle: ع\n---\nفقرة أولى.\n\nاقرأ أيضاً: خبر آخر\n\nفقرة ثانية.\n")
    assert doc.blocks == (Block("html", "<p>فقرة أولى.</p>"), Block("read_also", ref=0),
                          Block("html", "<p>فقرة ثانية.</p>"))
    assert doc.refs == (ReadAlsoRef("خبر آخر", 6, "خبر آخر"),)


def test_read_also_inside_a_paragraph_or_a_code_fence_is_text():
    doc = read("---\ntitle: ع\n---\nفقرة\nاقرأ أيضاً: داخل الفقرة\n\n```\n\n"
               "اقرأ أيضاً: ليس مرجعاً\n\n```\n")
    assert doc.refs == ()
    assert [b.kind for b in doc.blocks] == ["html"]
    assert "اقرأ أيضاً: ليس مرجعاً" in doc.blocks[0].text


def test_front_matter_read_also_is_appended_after_body_refs():
    doc = read("---\ntitle: ع\nread_also: خبر أ، خبر ب\n---\nنص.\n\nاقرأ أيضاً: خبر ج\n")
    assert [r.target for r in doc.refs] == ["خبر ج", "خبر أ", "خبر ب"]
    assert doc.blocks[-1] == Block("read_also", ref=0)


def test_front_matter_read_also_refs_carry_the_field_line():
    doc = read("---\ntitle: ع\nread_also: [خبر أ]\n---\nنص.\n")
    assert doc.refs[0].line == 3


def test_title_from_a_leading_heading_without_front_matter():
    doc = read("\n# عنوان من السطر #\n\nفقرة.\n\nاقرأ أيضاً: خبر\n")
    assert doc.title == "عنوان من السطر"
    assert doc.blocks[0] == Block("html", "<p>فقرة.</p>")
    assert doc.refs == (ReadAlsoRef("خبر", 6, "خبر"),)


def _error(text: str) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        read(text)
    return [str(p) for p in caught.value.problems]


def test_no_front_matter_and_no_heading():
    assert _error("فقرة بلا عنوان.\n\n# عنوان متأخر\n") == [
        "content/a.md:1: title: missing; start the file with front matter ('title: …') "
        "or a '# headline' line"]


def test_headline_without_body():
    assert _error("---\ntitle: عنوان\n---\n\n") == [
        "content/a.md:1: no body: the file has a headline but no text"]


SAMPLES = [
    "فقرة عادية بلا تنسيق.\n\n## عنوان فرعي\n\nفقرة ثانية\nبسطرين.",
    "نص **غامق** و*مائل* و`رمز` و[رابط](https://example.org) و![صورة](map.svg).",
    "سطر ينتهي بمسافتين  \nثم سطر جديد، و a_b و 3 * 4 و &copy; و <https://example.org>.",
    "- بند\n- بند آخر\n\n1. أول\n2. ثان\n\n> اقتباس\n\n    شيفرة مزاحة\n\n```\nكود\n```",
    "| أ | ب |\n|---|---|\n| خلية | *خلية* |\n\nحاشية[^1]\n\n[^1]: نص الحاشية.",
    "علامات \\*مهربة\\* و <b>وسم</b> و R&D و x > y.",
]


@pytest.mark.parametrize("text", SAMPLES + [
    p.read_text("utf-8").split("---\n", 2)[-1] for p in sorted(PROJECT_CONTENT.glob("*.md"))])
def test_skipping_plain_text_changes_no_output(text, monkeypatch):
    fast = _blocks(text)
    monkeypatch.setattr(markdown_reader, "_INLINE_MARKUP", re.compile(""))  # every text inline
    assert _blocks(text) == fast
