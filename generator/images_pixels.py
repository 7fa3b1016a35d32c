"""Pixel work for ``images``: decoded pictures made upright, sRGB and
opaque, resized, cropped and encoded. Plain Pillow, no plans, no files, no
messages — ``images`` decides what to make and reports what goes wrong.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_WHITE = (255, 255, 255)
_GREY_16 = ("I;16", "I;16B", "I;16L", "I", "F")
_ALPHA = ("RGBA", "LA", "PA", "La", "RGBa")


def upright_srgb(img: Image.Image) -> Image.Image:
    """A loaded ``img`` turned as its EXIF orientation says, in sRGB RGB, with
    nothing in its ``info``: resized copies inherit it, and some encoders
    (AVIF) write the EXIF and ICC profile they find there."""
    picture = as_srgb(ImageOps.exif_transpose(img))
    picture.info = {}
    return picture


def as_srgb(img: Image.Image) -> Image.Image:
    """RGB in sRGB: through the embedded ICC profile when there is one that
    fits the pixels, else by Pillow's plain conversion (CMYK and palettes
    included); transparency laid on white, as the page behind a JPEG is."""
    icc = img.info.get("icc_profile")
    if img.mode in _GREY_16:  # 16-bit grey: keep the top byte
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    if img.mode in _ALPHA or "transparency" in img.info:
        rgba = img.convert("RGBA")
        img = Image.new("RGBA", img.size, _WHITE)
        img.alpha_composite(rgba)
        img = img.convert("RGB")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(img, profile, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):  # a broken profile, or one for another
            pass  # colour space than the pixels': the plain conversion is the best left
    return img.convert("RGB")


def resized(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    if picture.size == size:
        return picture
    return picture.resize(size, Image.Resampling.LANCZOS)


def covering(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The centre of ``picture`` that has the shape of ``size``, scaled to it
    (up, too, when the picture is smaller)."""
    width, height = picture.size
    if width * size[1] > height * size[0]:  # wider than the shape: cut the sides
        cut = (width - height * size[0] / size[1]) / 2
        box = (cut, 0.0, width - cut, float(height))
    else:
        cut = (height - width * size[1] / size[0]) / 2
        box = (0.0, cut, float(width), height - cut)
    return picture.resize(size, Image.Resampling.LANCZOS, box=box)


def encoded(img: Image.Image, kind: str, options: dict) -> bytes:
    """``img`` as a file of Pillow format ``kind``; only what ``options`` ask
    for goes into it, no metadata."""
    buffer = io.BytesIO()
    img.save(buffer, kind, **options)
    return buffer.getvalue()
