"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256.

Arabic newsrooms still emit Windows-1256. Any byte string decodes in that
code page, so it is accepted only when the result reads as Arabic text.
"""

from __future__ import annotations

import codecs

from ..errors import WarraqError, error

_ARABIC_BLOCK = range(0x0600, 0x0700)
_ALSO_PLAUSIBLE = set("\u00a0«»–—…‘’“”\u200c\u200d\u200e\u200f×÷é")


def decode_bytes(data: bytes, rel_path: str) -> str:
    """Text of a source file with newlines made LF, or an error naming the file."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8):], "utf-8", rel_path)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", rel_path)
    elif b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise WarraqError([error(rel_path, line, "binary file (it contains NUL bytes); "
                                 "expected UTF-8 or Windows-1256 text")])
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _windows_1256(data, rel_path, exc)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strict(data: bytes, encoding: str, rel_path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, rel_path, exc) from exc


def _windows_1256(data: bytes, rel_path: str, utf8_error: UnicodeDecodeError) -> str:
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise _undecodable(data, rel_path, utf8_error) from None
    foreign = [c for c in text if ord(c) > 0x7F]
    arabic = sum(1 for c in foreign if ord(c) in _ARABIC_BLOCK or c in _ALSO_PLAUSIBLE)
    if arabic < 0.9 * len(foreign):
        raise _undecodable(data, rel_path, utf8_error)
    return text


def _undecodable(data: bytes, rel_path: str, exc: UnicodeDecodeError) -> WarraqError:
    line = data[:exc.start].count(b"\n") + 1
    return WarraqError([error(
        rel_path, line,
        f"undecodable byte 0x{data[exc.start]:02x} at offset {exc.start}: "
        "the file is neither UTF-8 nor Windows-1256 Arabic text")])  # nor valid UTF-16
