"""readers/decode.py: a file to bytes (never more than the size limit) and bytes to LF
text, or an error naming file, line and byte."""

from __future__ import annotations

import codecs
import os
import threading

import pytest

from generator.errors import WarraqError
from generator.readers import decode
from generator.readers.decode import decode_bytes, read_bytes

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


@pytest.mark.parametrize("codec, bom", [
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_utf32_with_bom_is_not_read_as_utf16(codec, bom):
    data = bom + ARABIC.replace("\n", "\r\n").encode(codec)
    assert decode_bytes(data, PATH) == ARABIC


def test_invalid_utf32_names_its_encoding():
    data = codecs.BOM_UTF32_LE + "نص\n".encode("utf-32-le") + b"\x00\x00\x11\x00"  # > U+10FFFF
    assert _error_of(data) == (
        "content/x.txt:2: undecodable byte 0x00 at offset 16: the file starts with a UTF-32 "
        "byte-order mark but is not valid UTF-32")


@pytest.mark.parametrize("codec, bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_nul_character_in_decoded_text_names_its_line(codec, bom):
    data = bom + "عنوان\r\n\r\nنص\x00 مقطوع\n".encode(codec)
    assert _error_of(data) == (
        "content/x.txt:3: NUL character (U+0000) in the text: the file is damaged or is not text")


def test_file_over_the_size_limit_is_refused():
    data = b"a" * (decode.MAX_FILE_BYTES + 1)
    assert _error_of(data) == (
        "content/x.txt:1: file too large: 2097153 bytes; the limit is 2 MiB")
    assert decode_bytes(data[:-1], PATH) == "a" * decode.MAX_FILE_BYTES


def test_read_bytes_reads_a_small_file_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5000)
    assert read_bytes(path) == b"x" * 5000


def test_read_bytes_stops_one_byte_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1000)
    assert read_bytes(path) == b"x" * 11


def test_read_bytes_reads_on_when_a_file_grew_since_its_size_was_taken(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat
    monkeypatch.setattr(decode.os, "fstat", lambda fd: os.stat_result(
        (real_fstat(fd).st_mode, 0, 0, 0, 0, 0, 3, 0, 0, 0)))  # "3 bytes"
    assert read_bytes(path) == b"x" * 10


def test_read_bytes_of_a_named_pipe_does_not_hang(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    reader = threading.Thread(target=read_bytes, args=(pipe,), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive()
