"""readers/markdown_reader.py: front matter plus a Markdown body that never runs HTML, never
keeps a script URL, and never takes longer than its time limit or deeper than the stack."""

from __future__ import annotations

import re
import signal
import sys
import threading
import time

import pytest

from generator.errors import WarraqError
from generator.models import Block, ReadAlsoRef
from generator.readers import deadline, markdown_convert, markdown_reader, read_source
from generator.readers.markdown_reader import _blocks, _convert

from .conftest import PROJECT

PROJECT_CONTENT = PROJECT / "content"


def read(text: str, raw_html: bool = False):
    return read_source("content/a.md", text.encode("utf-8"), raw_html=raw_html)


def body_blocks(text: str, raw_html: bool = False) -> tuple[Block, ...]:
    return _blocks(_convert("content/a.md", text, 1, raw_html), [], raw_html)[0]


def html_of(body: str, raw_html: bool = False) -> str:
    return "\n".join(b.text for b in read("---\ntitle: ع\n---\n" + body, raw_html).blocks)


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
    fast = body_blocks(text)
    monkeypatch.setattr(markdown_convert, "_INLINE_MARKUP", re.compile(""))  # every text inline
    assert body_blocks(text) == fast


@pytest.mark.parametrize("url", [
    "jav&#x61;script:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)", "java&Tab;script:alert(1)", "java&NewLine;script:alert(1)",
    "&#0000106;avascript:alert(1)", "JaVaScRiPt:alert(1)", "\x01javascript:alert(1)",
    "vbscript&#58;msgbox(1)", "&#x64;ata:text/html,x", "file:///etc/passwd", "ftp://example.org/",
])
def test_obfuscated_and_other_schemes_lose_their_url(url):
    html = html_of(f"[رابط](<{url}>) و ![صورة](<{url}>) و [آمن](https://example.org/a)\n")
    assert "<a>رابط</a>" in html and '<img alt="صورة">' in html
    assert '<a href="https://example.org/a">آمن</a>' in html


def test_reference_links_are_checked_too():
    assert html_of("[رابط][r]\n\n[r]: jav&#x61;script:alert(1)\n") == "<p><a>رابط</a></p>"


@pytest.mark.parametrize("url", ["https://example.org/?a=1&amp;b=2", "http://x.org",
                                 "mailto:desk@example.org", "tel:+963111", "/abs/path",
                                 "#section", "other/", "./a:b"])
def test_safe_urls_keep_their_target(url):
    assert 'href="' + url + '"' in html_of(f"[رابط]({url})\n")


def test_a_slow_conversion_is_an_error_at_the_body(monkeypatch):
    monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.2)
    started = time.monotonic()
    assert _error("---\ntitle: ع\n---\nفقرة.\n\n" + "[" * 16_000 + "\n") == [
        "content/a.md:4: Markdown too slow to convert: stopped after 0.2 s (brackets, lists "
        "or quotes nested very deep?)"]
    assert time.monotonic() - started < 2


SAMPLE = "فقرة *مائلة*.\n\n- بند\n- بند آخر\n\n    شيفرة\n\n> اقتباس\n\nحاشية[^1]\n\n[^1]: نص.\n"


def test_the_converter_is_made_afresh_after_a_stopped_conversion(monkeypatch):
    expected = body_blocks(SAMPLE)
    monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.3)
    stopped = markdown_convert._converter(False)
    with pytest.raises(WarraqError):  # stopped deep inside a list, its parser state set
        body_blocks("".join("    " * i + "- x\n" for i in range(1200)))
    assert markdown_convert._converter(False) is not stopped
    assert body_blocks(SAMPLE) == expected


def test_nesting_too_deep_for_the_stack_is_an_error():
    expected = body_blocks(SAMPLE)
    broken = markdown_convert._converter(False)
    assert _error("---\ntitle: ع\n---\n" + "- " * 1000 + "x\n") == [
        "content/a.md:4: Markdown nested too deeply to convert (lists or quotes inside "
        "each other)"]
    assert markdown_convert._converter(False) is not broken
    assert body_blocks(SAMPLE) == expected


def test_the_previous_alarm_handler_and_timer_are_put_back(monkeypatch):
    rang = []
    previous = signal.signal(signal.SIGALRM, lambda *_: rang.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30, 7)
        read("---\ntitle: ع\n---\nنص.\n")
        monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.1)
        with pytest.raises(WarraqError):
            read("---\ntitle: ع\n---\n" + "[" * 16_000 + "\n")
        left, interval = signal.setitimer(signal.ITIMER_REAL, 0)
        assert 25 < left <= 30 and interval == 7 and rang == []
        assert signal.getsignal(signal.SIGALRM) is not deadline._ring
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_timer_that_fell_due_meanwhile_rings_at_once(monkeypatch):
    rang = []
    previous = signal.signal(signal.SIGALRM, lambda *_: rang.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.2)
        with pytest.raises(WarraqError):
            read("---\ntitle: ع\n---\n" + "[" * 16_000 + "\n")
        time.sleep(0.01)
        assert rang == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_alarm_rings_again_while_a_conversion_runs(monkeypatch):
    seen = []

    class Spy:
        def reset(self):
            return self

        def convert(self, text):
            seen.append(signal.getitimer(signal.ITIMER_REAL))
            return "<p>x</p>"

    monkeypatch.setattr(markdown_convert, "_converter", lambda raw_html: Spy())
    read("---\ntitle: ع\n---\nنص.\n")
    assert 0 < seen[0][0] <= markdown_convert.CONVERT_SECONDS and seen[0][1] > 0


def test_the_alarm_waits_while_a_destructor_runs():
    class Dying:
        def __del__(self):
            self.frame = sys._getframe()
            frames.append(self.frame)

    frames: list = []
    Dying()
    deadline._ring(signal.SIGALRM, frames[0])  # returns: rings again later
    with pytest.raises(deadline.OutOfTime):
        deadline._ring(signal.SIGALRM, sys._getframe())


def test_outside_the_main_thread_no_timer_is_set():
    found = []
    worker = threading.Thread(target=lambda: found.append(read("---\ntitle: ع\n---\nنص.\n")))
    worker.start()
    worker.join()
    assert found[0].blocks == (Block("html", "<p>نص.</p>"),)


def test_an_alarm_handler_set_outside_python_is_left_alone(monkeypatch):
    monkeypatch.setattr(deadline._raw_signal, "getsignal", lambda signum: None)
    monkeypatch.setattr(deadline._raw_signal, "signal", None)  # not to be called
    assert read("---\ntitle: ع\n---\nنص.\n").blocks == (Block("html", "<p>نص.</p>"),)


RAW = ("<p onclick=\"x()\">فقرة <b>غامقة</b> <a href=\"javascript:alert(1)\" "
       "onmouseover=\"y()\">رابط</a> <a href=\"https://example.org\" title=\"t\">آمن</a>"
       "<img src=\"x.jpg\" alt=\"صورة\" onerror=\"alert(2)\" style=\"width:9in\"></p>\n\n"
       "<script>alert(3)</script>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n"
       "<object data=\"x.swf\"></object><form action=\"/x\"><input name=\"q\"></form>\n\n"
       "<figure><img src=\"&#x64;ata:image/svg+xml,x\" alt=\"svg\"><figcaption>شرح"
       "</figcaption></figure>\n\n<h2 style=\"color:red\">عنوان</h2>\n\n"
       "اقرأ أيضاً: خبر آخر\n\n<table><tr><td>خلية</td></tr></table>\n")


def test_raw_html_when_allowed_is_kept_but_cleaned():
    doc = read("---\ntitle: ع\n---\n" + RAW, raw_html=True)
    assert [b.kind for b in doc.blocks] == ["html", "read_also", "html"]
    assert doc.refs == (ReadAlsoRef("خبر آخر", 16, "خبر آخر"),)
    html = doc.blocks[0].text + doc.blocks[2].text
    assert ('<p>فقرة <b>غامقة</b> <a>رابط</a> <a href="https://example.org" title="t">آمن</a>'
            in html)
    assert '<img src="x.jpg" alt="صورة">' in html and "<h2>عنوان</h2>" in html
    assert "<figure><img alt=\"svg\"><figcaption>شرح</figcaption></figure>" in html
    assert "<table><tbody><tr><td>خلية</td></tr></tbody></table>" in html
    for gone in ("onclick", "onmouseover", "onerror", "style", "javascript", "alert", "<script",
                 "<iframe", "<object", "<form", "<input", "data:"):
        assert gone not in html, gone


def test_raw_html_is_shown_as_text_by_default():
    html = html_of(RAW)
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html and "<script" not in html


def test_a_forged_placeholder_is_only_text():
    doc = read("---\ntitle: ع\n---\nفقرة.\n\nWARRAQREADALSO3\n\nاقرأ أيضاً: خبر\n")
    assert doc.blocks == (Block("html", "<p>فقرة.</p>\n<p>WARRAQREADALSO3</p>"),
                          Block("read_also", ref=0))
    assert doc.refs == (ReadAlsoRef("خبر", 8, "خبر"),)


def test_a_read_also_line_that_markdown_puts_in_code_stays_there_as_text():
    doc = read("---\ntitle: ع\n---\n~~~\n```\n\nاقرأ أيضاً: خبر\n\n~~~\n")
    assert doc.blocks == (Block("html", "<pre><code>```\n\nاقرأ أيضاً: خبر\n\n</code></pre>"),)
    assert doc.refs == ()


def test_a_heading_with_a_long_run_of_spaces_is_read_in_linear_time():
    started = time.monotonic()  # the pattern it replaced took 20 s, and 3 minutes for 4,000
    doc = read("# عنوان" + " " * 2000 + "ثان #\n\nنص.\n")
    assert doc.title == "عنوان" + " " * 2000 + "ثان"
    assert time.monotonic() - started < 1
