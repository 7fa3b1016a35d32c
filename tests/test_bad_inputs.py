"""Bad inputs, one folder each under tests/sites/bad/, with the exact lines the build reports.

Each folder holds a small ``content/`` tree and ``expected.txt``: one problem per line,
"path:line: message" for errors and "path:line: warning: message" for warnings, sorted.
Lines starting with "#" are notes. Binary and undecodable bytes are not committed: the
files in GENERATED are written by this test.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from generator.build import build, load_site
from generator.readers import markdown_convert

BAD = Path(__file__).parent / "sites" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
UTF32 = "مقال بترميز {}\r\n\r\nنص المقال كما كتبه المحرر.\r\n"
UTF16_NUL = "عنوان\n\nنص\x00مقطوع\n".encode("utf-16-le")
GENERATED = {
    "binary": {"content/2016-12-06-scan.txt": b"headline\n\nscanned \x00\x01\x02\xff page\n"},
    "undecodable": {
        "content/2016-12-06-latin1.txt": "Titre du jour\n\nUn café crème.\n".encode("latin-1")},
    "utf32_bom": {
        "content/2016-12-06-utf32le.txt": codecs.BOM_UTF32_LE + UTF32.format("LE").encode(
            "utf-32-le"),
        "content/2016-12-06-utf32be.txt": codecs.BOM_UTF32_BE + UTF32.format("BE").encode(
            "utf-32-be")},
    "nul_in_text": {"content/2016-12-06-nul.txt": codecs.BOM_UTF16_LE + UTF16_NUL},
    "too_large": {"content/2016-12-06-huge.txt": "عنوان\n\n".encode() + b"x" * (2 * 1024 * 1024)},
}


@pytest.fixture(autouse=True)
def quick_markdown_time_limit(monkeypatch):
    """nested_brackets would take the full limit (2 s) to fail."""
    monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.5)


def files_of(case: str) -> dict[str, bytes]:
    folder = BAD / case
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in sorted((folder / "content").rglob("*")) if p.is_file()}
    return {**files, **GENERATED.get(case, {})}


def expected_lines(case: str) -> list[str]:
    text = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_every_folder_has_content_and_expectations():
    assert len(CASES) >= 11
    for case in CASES:
        assert files_of(case), case
        assert (BAD / case / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_reported_lines(case, make_site):
    loaded = load_site(make_site(files=files_of(case)))
    reported = [str(p) if p.is_error else f"{p.path}:{p.line}: warning: {p.message}"
                for p in loaded.problems]
    assert reported == expected_lines(case)


@pytest.mark.parametrize("case", ["empty_file", "binary", "undecodable", "bad_date"])
def test_bad_file_is_skipped_and_the_rest_still_loads(case, make_site):
    loaded = load_site(make_site(files=files_of(case)))
    errors = {p.path for p in loaded.problems if p.is_error}
    assert set(loaded.skipped) == errors and errors
    good = set(files_of(case)) - errors
    assert {a.source for a in loaded.site.articles.values()} == good


def test_html_and_script_are_escaped_in_built_pages(make_site, tmp_path):
    config = make_site(files=files_of("html_script"))
    build(config)
    pages = {p: p.read_text(encoding="utf-8")
             for p in (tmp_path / config.output_dir / "articles").rglob("index.html")}
    assert len(pages) == 2
    for page in pages.values():
        assert "&lt;script&gt;alert(" in page
        assert "<script>alert" not in page
        assert "javascript:" not in page and "<img src=x" not in page
    everything = "".join(p.read_text(encoding="utf-8")
                         for p in (tmp_path / config.output_dir).rglob("*.html"))
    assert "<script>alert" not in everything
