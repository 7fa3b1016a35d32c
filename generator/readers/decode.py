"""Files to bytes to text: UTF-8 (with or without BOM), UTF-16 or UTF-32 with
BOM, or Windows-1256.

Arabic newsrooms still emit Windows-1256. Any byte string decodes in that
code page, so it is accepted only when the result reads as Arabic text.
A source file is read only up to a size limit, so a huge file costs no
more memory than the limit to refuse.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import WarraqError, error

MAX_FILE_BYTES = 2 * 1024 * 1024  # a long feature is 60 KB; this is a file gone wrong
_ARABIC_BLOCK = range(0x0600, 0x0700)
_ALSO_PLAUSIBLE = set("\u00a0«»–—…‘’“”\u200c\u200d\u200e\u200f×÷é")
# (mark, codec, name), UTF-32 before UTF-16: the UTF-32 LE mark begins with the
# UTF-16 LE one. The UTF-16 and UTF-32 codecs read and drop the mark themselves.
_BOMS = ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_ANY_BOM = tuple(bom for bom, _, _ in _BOMS)
# O_NONBLOCK: a named pipe put in a file's place must not hang the build
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(abs_path: str | Path) -> bytes:
    """The file's bytes, or only ``MAX_FILE_BYTES + 1`` of them when it is
    larger (enough to refuse it); OSError when it cannot be read.

    The file is asked for what its size says plus one byte, and then until
    the end: ``file.read(limit)`` would allocate the whole limit for every
    small file, which costs more than the read itself.
    """
    descriptor = os.open(abs_path, _OPEN_FLAGS)
    try:
        data = os.read(descriptor, min(os.fstat(descriptor).st_size, MAX_FILE_BYTES) + 1)
        while len(data) <= MAX_FILE_BYTES:  # it grew, or a short read: read to the end
            more = os.read(descriptor, MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(descriptor)


def check_size(rel_path: str, size: int) -> None:
    """WarraqError for a file of ``size`` bytes over the limit."""
    if size > MAX_FILE_BYTES:
        raise WarraqError([error(rel_path, 1, f"file too large: {size} bytes; the limit is "
                                 f"{MAX_FILE_BYTES / 1024 / 1024:g} MiB")])


def decode_bytes(data: bytes, rel_path: str) -> str:
    """Text of a source file with newlines made LF, or an error naming the file."""
    check_size(rel_path, len(data))
    if data.startswith(_ANY_BOM):
        text = _with_bom(data, rel_path)
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


def _with_bom(data: bytes, rel_path: str) -> str:
    """Text of a file that starts with a byte-order mark, which names its encoding."""
    encoding, name = next((codec, name) for bom, codec, name in _BOMS if data.startswith(bom))
    if encoding == "utf-8":
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, rel_path, exc, encoding, name) from None
    if "\x00" in text:  # NUL bytes are part of UTF-16 and UTF-32; a NUL character is not text
        line = text[:text.index("\x00")].replace("\r\n", "\n").replace("\r", "\n").count("\n")
        raise WarraqError([error(rel_path, line + 1, "NUL character (U+0000) in the text: "
                                 "the file is damaged or is not text")])
    return text


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


def _undecodable(data: bytes, rel_path: str, exc: UnicodeDecodeError,
                 encoding: str = "utf-8", name: str = "") -> WarraqError:
    # The line is counted on the decoded text before the bad byte: in UTF-16
    # and UTF-32 a byte 0x0A is not always a newline.
    line = data[:exc.start].decode(encoding, "replace").count("\n") + 1
    what = (f"the file starts with a {name} byte-order mark but is not valid {name}"
            if name in ("UTF-16", "UTF-32") else
            "the file is neither UTF-8 nor Windows-1256 Arabic text")
    return WarraqError([error(
        rel_path, line, f"undecodable byte 0x{data[exc.start]:02x} at offset {exc.start}: {what}")])
