"""Photographs: what an article's image becomes on the site.

An image is inspected (``inspect_image``: header, size, orientation, and one
cheap decode to prove the data whole) into an ``ImageSet``, the plan of its
derived files; ``derive_image`` makes them, into a cache keyed by the
source's digest; ``img_attributes`` gives a template the attributes of its
``<picture>``. Derived files are content-addressed — ``images/<first 16 hex
of the digest>/800.webp`` — so a changed photograph gets new URLs and no
cache anywhere can serve its old bytes.

Each planned width (480, 800, 1200, never wider than the source) is written
twice: WebP, which every current browser shows, and a progressive JPEG for
the rest; plus ``og.jpg``, the 1200×630 card that link previews show.
Outputs carry no metadata at all (no EXIF, GPS, XMP or ICC profile — a
newsroom must not leak where a photographer stood), are sRGB, upright, and
flattened on white. The same source and Pillow give byte-identical files.

Why WebP and not AVIF: measured on the six photographs of
``bench/draw_photos.py`` (Pillow 13.0, libwebp 1.6.0, libavif 1.4.2, two
cores), per photograph at 480/800/1200 pixels wide, best of three:

    JPEG q82 progressive   4 /   9 /  18 ms    21 / 42 / 71 KB    36.0 / 38.3 / 40.6 dB
    WebP q80 method 4     16 /  40 /  85 ms    12 / 21 / 32 KB    36.9 / 38.7 / 40.7 dB
    AVIF q60 speed 6     191 / 453 / 967 ms    10 / 17 / 27 KB    37.1 / 39.4 / 41.2 dB
    AVIF q60 speed 8      81 / 159 / 250 ms    10 / 19 / 31 KB    36.6 / 38.8 / 40.6 dB

(dB: PSNR against the resized source). AVIF at its default speed is 12
times slower than WebP for files 15% smaller; at speed 8 it is three times
slower for the same size and quality. A cold build of a photo archive pays
that on every image, so WebP it is (0.14 s a photograph, against 1.6 s).
Switching is one constant: ``MODERN_MIME``.
"""

from __future__ import annotations

import math
import os
import re
import struct
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterator

from .errors import WarraqError, error

if TYPE_CHECKING:
    from PIL import Image

WIDTHS = (480, 800, 1200)
OG_SIZE = (1200, 630)
MAX_PIXELS = 40_000_000
JPEG, WEBP, AVIF = "image/jpeg", "image/webp", "image/avif"
MODERN_MIME = WEBP


SUPPORTED = ("JPEG", "MPO", "PNG", "WEBP", "AVIF", "GIF")  # MPO: a camera's JPEG with extras
KINDS = "JPEG, PNG, WebP, AVIF or GIF"
_ENCODERS = {  # mime -> (extension, Pillow format, options)
    JPEG: ("jpg", "JPEG", {"quality": 82, "progressive": True, "optimize": True}),
    WEBP: ("webp", "WEBP", {"quality": 80, "method": 4}),
    AVIF: ("avif", "AVIF", {"quality": 60, "speed": 6}),
}
_SWAPPED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter
_DIGEST = re.compile(r"[0-9a-f]{16,128}")
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, struct.error)  # what Pillow raises


@dataclass(frozen=True)
class Variant:
    """One derived file: its name in the image's folder, its size and type."""

    name: str  # "800.webp", "800.jpg", "og.jpg"
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class ImageSet:
    """A source photograph and the files planned from it."""

    source: str  # the OS path it was read from; in messages, never in URLs
    digest: str  # hex digest of its bytes, as the caller computed it
    width: int  # upright, as shown (EXIF orientation applied)
    height: int
    variants: tuple[Variant, ...]  # narrowest first; the modern type, then JPEG
    og: Variant

    @property
    def folder(self) -> str:
        """Where the derived files go, site-relative: ``images/<16 hex>/``."""
        return f"images/{self.digest[:16]}/"

    def href(self, variant: Variant) -> str:
        """The site-relative URL of a derived file."""
        return self.folder + variant.name

    def srcset(self, mime: str, url: Callable[[str], str] = str) -> str:
        """``images/…/480.webp 480w, images/…/800.webp 800w``; ``url`` maps each path."""
        return ", ".join(f"{url(self.href(v))} {v.width}w"
                         for v in self.variants if v.mime == mime)

    @property
    def fallback(self) -> Variant:
        """The largest JPEG: the ``src`` for browsers that read no srcset."""
        return max((v for v in self.variants if v.mime == JPEG), key=lambda v: v.width)

    @property
    def modern_mime(self) -> str:
        return MODERN_MIME


_OG = Variant("og.jpg", *OG_SIZE, JPEG)
Fail = Callable[[str], WarraqError]  # a message, "{name}" standing for the file -> the error


def inspect_image(abs_path: str, shown: str, line: int, digest: str) -> ImageSet:
    """The plan for the photograph at ``abs_path``, named by line ``line`` of
    ``shown``. Its size comes from the header, so a decompression bomb is
    refused before a pixel is decoded; then the data is decoded once (a JPEG
    at an eighth of its size, which still reads every byte) so that a
    damaged or truncated file is reported here, at the article that names it."""
    name = Path(abs_path).name

    def fail(message: str) -> WarraqError:
        return WarraqError([error(shown, line, f"image: {message.format(name=repr(name))}")])

    with _reading(abs_path, fail) as img:
        width, height = _upright_size(img, fail)
        if img.format in ("JPEG", "MPO"):
            img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
        img.load()
    return plan_image(abs_path, digest, width, height)


def plan_image(source: str, digest: str, width: int, height: int) -> ImageSet:
    """The variants of an upright ``width``×``height`` source: each of WIDTHS
    that is no wider (never upscaled), or the source's own width when it is
    narrower than them all; heights keep the aspect ratio, rounded."""
    if not _DIGEST.fullmatch(digest):  # it names a folder: nothing else may get in
        raise ValueError(f"not a hex digest: {digest!r}")
    widths = tuple(w for w in WIDTHS if w <= width) or (width,)
    variants = tuple(Variant(f"{w}.{_ENCODERS[mime][0]}", w, _scaled(height, w, width), mime)
                     for w in widths for mime in (MODERN_MIME, JPEG))
    return ImageSet(source, digest, width, height, variants, _OG)


def _scaled(height: int, new_width: int, width: int) -> int:
    """``height * new_width / width`` rounded half up, in integers."""
    return max(1, (2 * height * new_width + width) // (2 * width))


@contextmanager
def _reading(abs_path: str, fail: Fail) -> Iterator[Image.Image]:
    """The image, opened (header only); any way reading it fails, in the
    ``with`` block too, becomes ``fail``'s error."""
    Image = pillow()
    try:
        with warnings.catch_warnings():
            # Between our limit and twice it Pillow only warns; _upright_size refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(abs_path) as img:
                yield img
    except FileNotFoundError:
        raise fail("{name} not found") from None
    except Image.UnidentifiedImageError:
        raise fail(f"{{name}} is not an image (expected {KINDS})") from None
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise fail(_too_big(int(found[1]) if found else 2 * MAX_PIXELS + 1)) from None
    except OSError as exc:
        if exc.errno is None:  # Pillow's decoders raise without one
            raise fail("{name} is damaged or cut short: its image data cannot be read") from None
        raise fail(f"cannot read {{name}}: {exc.strerror}") from None
    except _DAMAGED:
        raise fail("{name} is damaged or cut short: its image data cannot be read") from None


def _upright_size(img: Image.Image, fail: Fail) -> tuple[int, int]:
    if img.format not in SUPPORTED:
        raise fail(f"{{name}} is a {img.format} image; use {KINDS}")
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise fail(_too_big(width * height, f" ({width}×{height})"))
    if _orientation(img) in _SWAPPED:
        return height, width
    return width, height


def _orientation(img: Image.Image) -> int:
    from PIL import ExifTags
    return img.getexif().get(ExifTags.Base.Orientation, 1)


@cache
def pillow() -> ModuleType:
    """PIL.Image, imported when a photograph is first read (a build that reads
    none never loads Pillow), with Pillow's own guard at our limit: it warns
    above it and refuses above twice it, at open, before any pixel is decoded;
    both are turned into our message."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


@cache
def _pixels() -> ModuleType:
    from . import images_pixels
    return images_pixels


def _too_big(pixels: int, size: str = "") -> str:
    return (f"{{name}} has {pixels / 1e6:.1f} megapixels{size}; "
            f"the limit is {MAX_PIXELS / 1e6:g} megapixels")


def derive_image(abs_path: str, image: ImageSet, cache_dir: Path) -> dict[str, Path]:
    """Every variant and the og card of ``image``, as ``{name: cached file}``
    under ``cache_dir / digest``. Files already there are kept as they are
    and the source is not even opened when all are; new ones appear whole
    (written beside, then renamed). The og card covers 1200×630 from the
    centre, and is the one file scaled up when the source is smaller."""
    folder = cache_dir / image.digest
    planned = (*image.variants, image.og)
    paths = {v.name: folder / v.name for v in planned}
    missing = [v for v in planned if not _cached(paths[v.name])]
    if not missing:
        return paths

    def fail(message: str) -> WarraqError:
        name = repr(Path(abs_path).name)
        return WarraqError([error(image.source, 0, f"image: {message.format(name=name)}")])

    with _reading(abs_path, fail) as img:
        picture = _prepared(img, image)
    for variant in missing:
        _store(paths[variant.name], _encode(_sized(picture, variant), variant.mime))
    return paths


def _cached(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _prepared(img: Image.Image, image: ImageSet) -> Image.Image:
    """The source decoded upright, sRGB, opaque and without metadata; a large
    JPEG is decoded straight at a fraction of its size where that still
    leaves every planned file at least as many pixels."""
    if img.format in ("JPEG", "MPO"):
        scale = max(image.fallback.width / image.width,
                    OG_SIZE[0] / image.width, OG_SIZE[1] / image.height)
        wide, high = math.ceil(image.width * scale), math.ceil(image.height * scale)
        img.draft("RGB", (high, wide) if _orientation(img) in _SWAPPED else (wide, high))
    img.load()
    return _pixels().upright_srgb(img)


def _sized(picture: Image.Image, variant: Variant) -> Image.Image:
    size = (variant.width, variant.height)
    if variant.name == _OG.name:
        return _pixels().covering(picture, size)
    return _pixels().resized(picture, size)


def _encode(img: Image.Image, mime: str) -> bytes:  # one place, so tests can count calls
    _, kind, options = _ENCODERS[mime]
    return _pixels().encoded(img, kind, options)


def _store(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all: a killed build leaves at most
    a stray temporary file beside it, never half an image."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise WarraqError([error(str(path), 0, f"cannot write the image cache: "
                                 f"{exc.strerror}")], exit_code=2) from None


def img_attributes(image: ImageSet, url: Callable[[str], str], *, lead: bool,
                   sizes: str) -> dict[str, dict[str, str]]:
    """The attributes of a ``<picture>``, as two dicts of plain strings::

        <picture><source{{ pic.source|xmlattr }}><img{{ pic.img|xmlattr }} alt="…"></picture>

    ``source`` has type, srcset and sizes for the modern type; ``img`` has the
    JPEG src, srcset and sizes, and the largest variant's width and height so
    the browser keeps the box before the bytes come (the stylesheet gives
    ``height: auto``). A lead photograph is fetched first
    (``fetchpriority="high"``); the others load lazily and decode aside.
    ``url`` turns a site-relative path into the page's URL; alt is the caller's."""
    fallback = image.fallback
    source = {"type": image.modern_mime, "srcset": image.srcset(image.modern_mime, url),
              "sizes": sizes}
    img = {"src": url(image.href(fallback)), "srcset": image.srcset(JPEG, url), "sizes": sizes,
           "width": str(fallback.width), "height": str(fallback.height)}
    img.update({"fetchpriority": "high"} if lead else {"loading": "lazy", "decoding": "async"})
    return {"source": source, "img": img}
