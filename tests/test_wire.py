"""readers/wire.py: headline, paragraphs, subheadings, read-also and "المصدر" in wire copy."""

from __future__ import annotations

import time

import pytest

from generator.errors import WarraqError
from generator.models import Block, ReadAlsoRef
from generator.readers import markers, read_source
from generator.readers.markers import read_also_ref
from generator.readers.wire import read_wire_text


def read(text: str):
    return read_source("content/x.txt", text.encode("utf-8"))


def test_headline_is_the_first_non_empty_line_and_paragraphs_split_on_blank_lines():
    doc = read("\n\n  العنوان هنا  \n\nفقرة أولى.\nتكملتها.\n\n\n\nفقرة ثانية.\n")
    assert doc.title == "العنوان هنا"
    assert doc.blocks == (Block("p", "فقرة أولى. تكملتها."), Block("p", "فقرة ثانية."))
    assert doc.refs == ()
    assert doc.attribution is None


def test_short_lone_line_between_paragraphs_is_a_subheading():
    doc = read("العنوان\n\nفقرة.\n\nتقدم عسكري للنظام\n\nفقرة أخرى.\n")
    assert doc.blocks[1] == Block("h2", "تقدم عسكري للنظام")


@pytest.mark.parametrize("body", [
    "عنوان فرعي\n\nفقرة.\n",                         # first block
    "فقرة.\n\nعنوان فرعي\n",                         # last block
    "فقرة.\n\nعنوان فرعي:\n\nفقرة.\n",               # ends with punctuation
    "فقرة.\n\nهل هذا عنوان فرعي؟\n\nفقرة.\n",
    "فقرة.\n\n" + " ".join(["كلمة"] * 9) + "\n\nفقرة.\n",   # more than 8 words
    "فقرة.\n\n" + "ب" * 71 + "\n\nفقرة.\n",                 # more than 70 characters
    "فقرة.\n\nسطر أول\nسطر ثان\n\nفقرة.\n",                 # two lines
])
def test_not_a_subheading(body):
    doc = read("العنوان\n\n" + body)
    assert all(block.kind == "p" for block in doc.blocks)


def test_read_also_line_becomes_a_block_in_place_with_its_line():
    doc = read("العنوان\n\nفقرة.\nاقرأ أيضاً: خبر آخر\nتكملة.\n\nاقرأ أيضاً: خبر ثالث\n\nختام.\n")
    assert doc.blocks == (Block("p", "فقرة."), Block("read_also", ref=0), Block("p", "تكملة."),
                          Block("read_also", ref=1), Block("p", "ختام."))
    assert doc.refs == (ReadAlsoRef("خبر آخر", 4, "خبر آخر"),
                        ReadAlsoRef("خبر ثالث", 7, "خبر ثالث"))


def test_closing_source_line_without_a_value_means_unknown():
    doc = read("العنوان\n\nفقرة.\n\n\nالمصدر\n\n")
    assert doc.attribution == ""
    assert doc.blocks == (Block("p", "فقرة."),)


def test_closing_source_line_with_a_value_even_inside_the_last_paragraph():
    doc = read("العنوان\n\nفقرة.\nالمصدر: الأناضول\n")
    assert doc.attribution == "الأناضول"
    assert doc.blocks == (Block("p", "فقرة."),)


def test_source_line_in_the_middle_is_just_text():
    doc = read("العنوان\n\nالمصدر: الأناضول\n\nفقرة أخيرة.\n")
    assert doc.attribution is None
    assert doc.blocks[0] == Block("p", "المصدر: الأناضول")


@pytest.mark.parametrize("text, line", [
    ("\n\nعنوان وحيد\n\n\n", 3),
    ("عنوان\n\nالمصدر\n", 1),
])
def test_headline_without_body_is_an_error_at_the_headline(text, line):
    with pytest.raises(WarraqError) as caught:
        read(text)
    assert [str(p) for p in caught.value.problems] == [
        f"content/x.txt:{line}: no body: the file has a headline but no paragraphs"]


def test_html_stays_plain_text_in_the_model():
    doc = read("<script>alert(1)</script> عنوان\n\n<b>نص</b> & <i>مائل</i>\n")
    assert doc.title == "<script>alert(1)</script> عنوان"
    assert doc.blocks == (Block("p", "<b>نص</b> & <i>مائل</i>"),)


@pytest.mark.parametrize("line, target", [
    ("اقرأ أيضاً:" + " " * 20_000 + "خبر", "خبر"),
    ("اقرأ أيضاً: خبر" + " *" * 10_000, "خبر"),
    ("اقرأ أيضاً: خبر" + "*" * 20_000 + "x", "خبر" + "*" * 20_000 + "x"),
    (" " * 20_000 + "عنوان", None),
    ("ab" + " " * 20_000 + "x", None),
    ("اقرأ أيضاً" + "\u00a0 " * 10_000 + "خبر", "خبر"),
])
def test_marker_lines_with_long_runs_are_read_in_linear_time(line, target):
    started = time.monotonic()
    ref = read_also_ref(line, 3)
    assert (ref and ref.target) == target
    assert time.monotonic() - started < 0.5


def test_a_long_closing_line_is_not_remembered_as_a_marker():
    markers._marker_key.cache_clear()
    assert markers.attribution("ب" * 10_000) is None
    assert markers._marker_key.cache_info().currsize == 0


def test_text_of_only_whitespace_is_an_error_not_a_crash():
    with pytest.raises(WarraqError) as caught:
        read_wire_text("content/x.txt", " \n\t\n")
    assert str(caught.value) == "content/x.txt:1: the file holds only whitespace"
