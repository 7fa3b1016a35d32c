"""readers/decode.py: bytes to LF text, or an error naming file, line and byte."""

from __future__ import annotations

import codecs

import pytest

from generator.errors import WarraqError
from generator.readers.decode import decode_bytes

ARABIC = "مرحبا بكم في حلب\nسطر ثانٍ «مقتبس» – انتهى"
PATH = "content/x.txt"


def _error_of(data: bytes) -> str:
    with pytest.raises(WarraqError) as caught:
        decode_bytes(data, PATH)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_utf8():
    assert decode_bytes(ARABIC.encode("utf-8"), PATH) == ARABIC


def test_utf8_bom_is_dropped():
    assert decode_bytes(codecs.BOM_UTF8 + ARABIC.encode("utf-8"), PATH) == ARABIC


def test_crlf_and_lone_cr_become_lf():
    assert decode_bytes("أ\r\nب\rج\n".encode("utf-8"), PATH) == "أ\nب\nج\n"


@pytest.mark.parametrize("codec, bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_utf16_with_bom(codec, bom):
    data = bom + ARABIC.replace("\n", "\r\n").encode(codec)
    assert decode_bytes(data, PATH) == ARABIC


def test_windows_1256_arabic():
    data = ARABIC.replace("\n", "\r\n").encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data, PATH) == ARABIC


def test_nul_bytes_mean_binary_with_the_line():
    assert _error_of(b"headline\n\nbody\x00\x01\x02") == (
        "content/x.txt:3: binary file (it contains NUL bytes); "
        "expected UTF-8 or Windows-1256 text")


def test_utf16_without_bom_is_binary():
    assert _error_of("Title\nنص".encode("utf-16-le")).startswith("content/x.txt:1: binary file")


def test_control_bytes_are_not_plausible_arabic():
    assert _error_of(bytes(range(0x80, 0xa0)) * 3) == (
        "content/x.txt:1: undecodable byte 0x80 at offset 0: "
        "the file is neither UTF-8 nor Windows-1256 Arabic text")


def test_latin1_french_is_rejected_at_its_line_and_offset():
    data = "Titre\n\ncafé crème\n".encode("latin-1")
    assert _error_of(data) == (
        "content/x.txt:3: undecodable byte 0xe9 at offset 10: "
        "the file is neither UTF-8 nor Windows-1256 Arabic text")


def test_bad_utf8_after_a_bom_is_not_guessed_as_1256():
    data = codecs.BOM_UTF8 + "سطر\n".encode("utf-8") + "حلب".encode("cp1256")
    assert _error_of(data) == (
        "content/x.txt:2: undecodable byte 0xcd at offset 7: "
        "the file is neither UTF-8 nor Windows-1256 Arabic text")


def test_truncated_utf16_is_reported_not_raised():
    assert "content/x.txt:1:" in _error_of(codecs.BOM_UTF16_LE + "نص".encode("utf-16-le") + b"a")
