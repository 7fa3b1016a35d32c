"""readers/__init__.py: which files are articles, and read_source's first checks and dispatch."""

from __future__ import annotations

import hashlib

import pytest

from generator.errors import WarraqError
from generator.readers import READERS, digest_of, discover, discover_sources, read_source

WIRE = "عنوان\n\nنص.\n"


def test_discover_sources_sorted_and_filtered(tmp_path):
    for rel in ["content/b.txt", "content/a.md", "content/sub/c.MARKDOWN", "seeds/000.txt",
                "content/.hidden.md", "content/_draft.md", "content/README.md",
                "content/readme.txt", "content/photo.jpg", "content/notes.rst",
                "other/x.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(WIRE, encoding="utf-8")
    found = discover_sources(tmp_path, ("seeds", "content", "missing"))
    assert [s.rel_path for s in found] == [
        "content/a.md", "content/b.txt", "content/sub/c.MARKDOWN", "seeds/000.txt"]
    assert found[0].abs_path == str(tmp_path / "content" / "a.md")
    assert found[0].stamp[0] == len(WIRE.encode())


def test_discover_sorts_articles_from_files_published_beside_them(tmp_path):
    for rel in ["content/a.md", "content/img/map.svg", "content/.trash/x.svg",
                "content/_draft.md", "content/README.md", "./content/doc.pdf"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    articles, assets, problems = discover(tmp_path, ("./content/",))
    assert problems == []
    assert [s.rel_path for s in articles] == ["content/a.md"]
    assert [s.rel_path for s in assets] == ["doc.pdf", "img/map.svg"]


def test_stamp_changes_with_content(tmp_path):
    (tmp_path / "content").mkdir()
    path = tmp_path / "content" / "a.txt"
    path.write_text(WIRE, encoding="utf-8")
    before = discover_sources(tmp_path, ("content",))[0].stamp
    path.write_text(WIRE + "زيادة\n", encoding="utf-8")
    assert discover_sources(tmp_path, ("content",))[0].stamp != before


def test_digest_of_bytes():
    assert digest_of(WIRE.encode()) == hashlib.blake2b(WIRE.encode(), digest_size=16).hexdigest()


@pytest.mark.parametrize("data, message", [
    (b"", "content/x.txt:1: empty file"),
    (b" \n\t\n\r\n  ", "content/x.txt:1: the file holds only whitespace"),
    (b"\xef\xbb\xbf\n\n", "content/x.txt:1: the file holds only whitespace"),
])
def test_empty_and_blank_files(data, message):
    with pytest.raises(WarraqError) as caught:
        read_source("content/x.txt", data)
    assert [str(p) for p in caught.value.problems] == [message]


def test_dispatch_by_suffix():
    text = "# عنوان\n\nنص *مائل*.\n".encode()
    assert read_source("content/x.md", text).blocks[0].kind == "html"
    assert read_source("content/x.MD", text).blocks[0].kind == "html"
    wire = read_source("content/x.txt", text)
    assert (wire.title, wire.blocks[0].kind) == ("# عنوان", "p")
    assert set(READERS) == {".txt", ".md", ".markdown"}


def test_bom_does_not_reach_the_headline():
    assert read_source("content/x.txt", b"\xef\xbb\xbf" + WIRE.encode()).title == "عنوان"


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(WarraqError) as caught:
        read_source("content/x.md", b"# x\n\n" + b"a" * (2 * 1024 * 1024))
    assert str(caught.value) == (
        "content/x.md:1: file too large: 2097157 bytes; the limit is 2 MiB")


@pytest.mark.parametrize("raw_html, html", [(False, "<p>&lt;b&gt;نص&lt;/b&gt;</p>"),
                                            (True, "<p><b>نص</b></p>")])
def test_raw_html_reaches_the_markdown_reader(raw_html, html):
    data = "# عنوان\n\n<b>نص</b>\n".encode()
    assert read_source("content/x.md", data, raw_html=raw_html).blocks[0].text == html
    assert read_source("content/x.txt", data, raw_html=raw_html).blocks[0].text == "<b>نص</b>"
