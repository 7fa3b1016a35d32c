"""Photographs: plans, messages, derived files, the cache and the attributes."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw

from generator import images, images_pixels
from generator.errors import WarraqError
from generator.images import (JPEG, MAX_PIXELS, OG_SIZE, WEBP, WIDTHS, ImageSet, Variant,
                              derive_image, img_attributes, inspect_image, plan_image)

SHOWN, LINE = "content/2016-12-03-camps.md", 4
PREFIX = f"{SHOWN}:{LINE}: image: "
DAMAGED = "is damaged or cut short: its image data cannot be read"


def digest_of(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def photo(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with something in it: a gradient, and a red block at the top left."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    ImageDraw.Draw(img).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(220, 20, 20))
    return img.convert(mode) if mode != "RGB" else img


def saved(tmp_path: Path, name: str, img: Image.Image, **options) -> Path:
    path = tmp_path / name
    img.save(path, **options)
    return path


def inspected(path: Path) -> ImageSet:
    return inspect_image(str(path), SHOWN, LINE, digest_of(path))


def message(path: Path | str) -> str:
    with pytest.raises(WarraqError) as caught:
        inspect_image(str(path), SHOWN, LINE, "0" * 32)
    return str(caught.value)


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "NewsCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N",
                                  ExifTags.GPS.GPSLatitude: (36.0, 12.0, 7.0)}
    return exif


# Plans ---------------------------------------------------------------------------------

def test_the_constants():
    assert WIDTHS == (480, 800, 1200) and OG_SIZE == (1200, 630) and MAX_PIXELS == 40_000_000
    assert images.pillow() is Image and Image.MAX_IMAGE_PIXELS == MAX_PIXELS


def test_a_large_source_gets_every_width_in_both_types():
    plan = plan_image("x.jpg", "ab" * 16, 2000, 1333)
    assert [(v.name, v.width, v.height, v.mime) for v in plan.variants] == [
        ("480.webp", 480, 320, WEBP), ("480.jpg", 480, 320, JPEG),
        ("800.webp", 800, 533, WEBP), ("800.jpg", 800, 533, JPEG),
        ("1200.webp", 1200, 800, WEBP), ("1200.jpg", 1200, 800, JPEG)]
    assert plan.og == Variant("og.jpg", 1200, 630, JPEG)
    assert plan.fallback == Variant("1200.jpg", 1200, 800, JPEG)
    assert plan.modern_mime == WEBP


@pytest.mark.parametrize("size, widths", [((1000, 500), [480, 800]), ((480, 360), [480]),
                                          ((300, 200), [300]), ((1200, 1), [480, 800, 1200])])
def test_never_wider_than_the_source(size, widths):
    plan = plan_image("x.jpg", "ab" * 16, *size)
    assert sorted({v.width for v in plan.variants}) == widths
    assert all(v.height >= 1 for v in plan.variants)


def test_heights_are_rounded_half_up():
    plan = plan_image("x.jpg", "ab" * 16, 1600, 1001)  # 1001 * 480 / 1600 = 300.3; * 800: 500.5
    assert [v.height for v in plan.variants if v.mime == JPEG] == [300, 501, 751]


def test_folder_srcset_and_href_are_content_addressed():
    plan = plan_image("x.jpg", "0123456789abcdef" + "f" * 16, 1000, 500)
    assert plan.folder == "images/0123456789abcdef/"
    assert plan.srcset(WEBP) == ("images/0123456789abcdef/480.webp 480w, "
                                 "images/0123456789abcdef/800.webp 800w")
    assert plan.srcset(JPEG, lambda p: "/news/" + p) == (
        "/news/images/0123456789abcdef/480.jpg 480w, /news/images/0123456789abcdef/800.jpg 800w")
    assert plan.href(plan.og) == "images/0123456789abcdef/og.jpg"


@pytest.mark.parametrize("digest", ["../../etc", "ABCDEF0123456789", "abc", ""])
def test_a_digest_that_is_not_hex_is_refused(digest):
    with pytest.raises(ValueError):
        plan_image("x.jpg", digest, 100, 100)


# Inspecting ----------------------------------------------------------------------------

def test_inspect_reads_the_size(tmp_path):
    path = saved(tmp_path, "wide.jpg", photo((1600, 1000)))
    plan = inspected(path)
    assert (plan.width, plan.height, plan.source, plan.digest) == (
        1600, 1000, str(path), digest_of(path))
    assert plan == plan_image(str(path), digest_of(path), 1600, 1000)


def test_exif_orientation_swaps_width_and_height(tmp_path):
    path = saved(tmp_path, "phone.jpg", photo((1600, 1200)), exif=gps_exif(6))
    plan = inspected(path)
    assert (plan.width, plan.height) == (1200, 1600)
    assert plan.fallback == Variant("1200.jpg", 1200, 1600, JPEG)


def test_other_formats_are_read(tmp_path):
    for name, img in [("a.png", photo((640, 480), "RGBA")), ("b.webp", photo((640, 480))),
                      ("c.gif", photo((640, 480), "P")), ("d.avif", photo((64, 48)))]:
        plan = inspected(saved(tmp_path, name, img))
        assert (plan.width, plan.height) == img.size


def test_a_missing_file(tmp_path):
    assert message(tmp_path / "gone.jpg") == PREFIX + "'gone.jpg' not found"


def test_a_folder(tmp_path):
    (tmp_path / "photos.jpg").mkdir()
    assert message(tmp_path / "photos.jpg") == PREFIX + "cannot read 'photos.jpg': Is a directory"


@pytest.mark.parametrize("data", [b"Breaking: this is wire copy, not a photograph.\n", b""])
def test_a_text_file_named_jpg(tmp_path, data):
    path = tmp_path / "notes.jpg"
    path.write_bytes(data)
    assert message(path) == (PREFIX + "'notes.jpg' is not an image "
                             "(expected JPEG, PNG, WebP, AVIF or GIF)")


@pytest.mark.parametrize("name, keep", [("cut.jpg", 0.5), ("cut.png", 0.5), ("cut.webp", 0.6)])
def test_a_truncated_file(tmp_path, name, keep):
    path = saved(tmp_path, name, Image.effect_noise((800, 600), 60).convert("RGB"))
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    assert message(path) == PREFIX + f"'{name}' {DAMAGED}"


def test_a_jpeg_with_a_broken_header_is_no_image(tmp_path):
    path = saved(tmp_path, "bad.jpg", Image.effect_noise((400, 300), 60).convert("RGB"))
    data = bytearray(path.read_bytes())
    data[2:6] = b"\xff\xc0\x00\x02"  # a frame header too short to hold a frame
    path.write_bytes(bytes(data))
    assert message(path) == (PREFIX + "'bad.jpg' is not an image "
                             "(expected JPEG, PNG, WebP, AVIF or GIF)")


def test_a_jpeg_damaged_in_its_data(tmp_path):
    path = saved(tmp_path, "bad.jpg", Image.effect_noise((400, 300), 60).convert("RGB"))
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    assert message(path) == PREFIX + f"'bad.jpg' {DAMAGED}"


def test_a_bomb_is_refused_from_its_header(tmp_path):
    path = saved(tmp_path, "bomb.png", Image.new("1", (9000, 6000), 1))
    assert path.stat().st_size < 100_000  # one colour: small on disk, 54 MP in memory
    assert message(path) == (PREFIX + "'bomb.png' has 54.0 megapixels (9000×6000); "
                             "the limit is 40 megapixels")


def test_pillows_own_bomb_error_is_the_same_message(tmp_path):
    path = saved(tmp_path, "huge.png", Image.new("1", (10000, 9000), 0))
    assert message(path) == PREFIX + "'huge.png' has 90.0 megapixels; the limit is 40 megapixels"


def test_an_unsupported_format(tmp_path):
    path = saved(tmp_path, "scan.tif", photo((100, 80)))
    assert message(path) == PREFIX + "'scan.tif' is a TIFF image; use JPEG, PNG, WebP, AVIF or GIF"


def test_a_message_is_one_problem_at_the_image_line(tmp_path):
    with pytest.raises(WarraqError) as caught:
        inspect_image(str(tmp_path / "gone.jpg"), SHOWN, LINE, "0" * 32)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.is_error) == (SHOWN, LINE, True)


# Deriving ------------------------------------------------------------------------------

def derived(tmp_path: Path, path: Path, cache: str = "cache") -> tuple[ImageSet, dict]:
    plan = inspected(path)
    return plan, derive_image(str(path), plan, tmp_path / cache)


def test_every_variant_is_made_at_its_size(tmp_path):
    plan, files = derived(tmp_path, saved(tmp_path, "camp.jpg", photo((2000, 1333))))
    assert sorted(files) == sorted(["480.webp", "480.jpg", "800.webp", "800.jpg",
                                    "1200.webp", "1200.jpg", "og.jpg"])
    for variant in (*plan.variants, plan.og):
        assert files[variant.name] == tmp_path / "cache" / plan.digest / variant.name
        with Image.open(files[variant.name]) as img:
            assert (img.width, img.height) == (variant.width, variant.height)
            assert img.format == {JPEG: "JPEG", WEBP: "WEBP"}[variant.mime]
            assert img.mode == "RGB"


def test_the_jpegs_are_progressive(tmp_path):
    _, files = derived(tmp_path, saved(tmp_path, "camp.jpg", photo((900, 600))))
    with Image.open(files["800.jpg"]) as img:
        assert img.info.get("progressive") or img.info.get("progression")


def test_og_is_1200_by_630_cut_from_the_centre(tmp_path):
    img = Image.new("RGB", (1600, 1600), (0, 0, 200))  # blue bands top and bottom
    ImageDraw.Draw(img).rectangle((0, 380, 1599, 1219), fill=(0, 200, 0))
    _, files = derived(tmp_path, saved(tmp_path, "square.png", img))
    with Image.open(files["og.jpg"]) as og:
        assert og.size == (1200, 630)
        for point in [(0, 0), (1199, 0), (600, 315), (0, 629), (1199, 629)]:
            red, green, blue = og.getpixel(point)
            assert green > 180 and blue < 40, point


def test_og_of_a_small_source_is_scaled_up(tmp_path):
    plan, files = derived(tmp_path, saved(tmp_path, "small.jpg", photo((300, 200))))
    assert [v.name for v in plan.variants] == ["300.webp", "300.jpg"]
    with Image.open(files["og.jpg"]) as og, Image.open(files["300.jpg"]) as small:
        assert og.size == (1200, 630) and small.size == (300, 200)


def test_outputs_carry_no_exif_gps_or_profile(tmp_path):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = saved(tmp_path, "located.jpg", photo((1300, 900)), exif=gps_exif(), icc_profile=icc)
    with Image.open(path) as source:  # the source does carry them
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo) and source.info["icc_profile"]
    _, files = derived(tmp_path, path)
    for name, file in files.items():
        data = file.read_bytes()
        assert b"Exif" not in data and b"NewsCam" not in data and b"ICC_PROFILE" not in data
        with Image.open(file) as img:
            assert not img.getexif() and "icc_profile" not in img.info, name
            assert "exif" not in img.info and "xmp" not in img.info, name


def test_exif_orientation_is_applied(tmp_path):
    # Orientation 6: shown turned a quarter clockwise, so the top left goes top right.
    path = saved(tmp_path, "phone.jpg", photo((800, 600)), exif=gps_exif(6))
    plan, files = derived(tmp_path, path)
    with Image.open(files["480.jpg"]) as img:
        assert img.size == (480, 640) == (plan.fallback.width, plan.fallback.height)
        assert _reddish(img.getpixel((470, 10))) and not _reddish(img.getpixel((10, 10)))


def _reddish(pixel: tuple[int, int, int]) -> bool:
    red, green, blue = pixel
    return red > 160 and green < 90 and blue < 90


def test_a_cmyk_jpeg_becomes_rgb(tmp_path):
    img = Image.new("CMYK", (900, 600), (255, 0, 0, 0))  # pure cyan ink
    plan, files = derived(tmp_path, saved(tmp_path, "print.jpg", img, quality=95))
    for name in ("800.jpg", "800.webp", "og.jpg"):
        with Image.open(files[name]) as out:
            assert out.mode == "RGB"
            red, green, blue = out.getpixel((400, 250))
            assert red < 40 and green > 200 and blue > 200, name


def test_transparency_is_laid_on_white(tmp_path):
    img = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((0, 0, 299, 399), fill=(0, 0, 160, 255))
    _, files = derived(tmp_path, saved(tmp_path, "logo.png", img))
    for name in ("480.jpg", "480.webp"):
        with Image.open(files[name]) as out:
            assert out.mode == "RGB"
            assert min(out.getpixel((400, 200))) > 245, name  # was clear: now white
            assert out.getpixel((100, 200))[2] > 130 > out.getpixel((100, 200))[0], name


def test_a_palette_gif_with_transparency_and_16_bit_grey(tmp_path):
    gif = Image.new("P", (500, 300), 0)
    gif.putpalette([10, 200, 10] + [0, 0, 0] * 255)
    _, files = derived(tmp_path, saved(tmp_path, "clear.gif", gif, transparency=0))
    with Image.open(files["480.jpg"]) as out:
        assert min(out.getpixel((240, 140))) > 245
    grey = Image.new("I;16", (500, 300), 40000)
    _, files = derived(tmp_path, saved(tmp_path, "deep.png", grey))
    with Image.open(files["480.jpg"]) as out:
        assert abs(out.getpixel((240, 140))[0] - 40000 // 256) <= 2


@pytest.mark.parametrize("orientation, decoded", [(1, (1200, 800)), (6, (2400, 1600))])
def test_a_large_jpeg_is_decoded_at_a_fraction_and_still_sized_right(
        tmp_path, monkeypatch, orientation, decoded):
    sizes = []
    real = images_pixels.upright_srgb
    monkeypatch.setattr(images_pixels, "upright_srgb",
                        lambda img: sizes.append(img.size) or real(img))
    path = saved(tmp_path, "camera.jpg", photo((4800, 3200)), exif=gps_exif(orientation))
    plan, files = derived(tmp_path, path)
    assert sizes == [decoded]  # as stored: upright, it must stay 1200 wide (1600 rows)
    for variant in (*plan.variants, plan.og):
        with Image.open(files[variant.name]) as img:
            assert img.size == (variant.width, variant.height)


def test_derived_files_are_byte_identical_each_time(tmp_path):
    path = saved(tmp_path, "camp.jpg", photo((1400, 900)), exif=gps_exif(6))
    _, first = derived(tmp_path, path, "one")
    _, second = derived(tmp_path, path, "two")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] != second[name]
        assert first[name].read_bytes() == second[name].read_bytes(), name


def count_encodes(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = images._encode

    def counting(img, mime):
        calls.append(mime)
        return real(img, mime)

    monkeypatch.setattr(images, "_encode", counting)
    return calls


def test_the_cache_spares_encoding(tmp_path, monkeypatch):
    calls = count_encodes(monkeypatch)
    path = saved(tmp_path, "camp.jpg", photo((1000, 700)))
    plan, files = derived(tmp_path, path)
    assert len(calls) == len(files) == 5  # 480 and 800 in two types, and og
    stamps = {name: file.stat().st_mtime_ns for name, file in files.items()}
    path.unlink()  # everything is cached: the source is not even opened
    assert derive_image(str(path), plan, tmp_path / "cache") == files
    assert len(calls) == 5
    assert {name: file.stat().st_mtime_ns for name, file in files.items()} == stamps


def test_only_a_missing_file_is_made_again(tmp_path, monkeypatch):
    calls = count_encodes(monkeypatch)
    path = saved(tmp_path, "camp.jpg", photo((1000, 700)))
    plan, files = derived(tmp_path, path)
    files["800.webp"].unlink()
    kept = files["480.jpg"].stat().st_mtime_ns
    derive_image(str(path), plan, tmp_path / "cache")
    assert calls[5:] == [WEBP] and files["800.webp"].is_file()
    assert files["480.jpg"].stat().st_mtime_ns == kept


def test_a_build_killed_while_encoding_leaves_no_half_file(tmp_path, monkeypatch):
    path = saved(tmp_path, "camp.jpg", photo((1000, 700)))
    plan = inspected(path)
    calls = []

    def dying(img, kind, options):
        calls.append(kind)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return b"x" * 10

    monkeypatch.setattr(images_pixels, "encoded", dying)
    with pytest.raises(KeyboardInterrupt):
        derive_image(str(path), plan, tmp_path / "cache")
    folder = tmp_path / "cache" / plan.digest
    assert sorted(p.name for p in folder.iterdir()) == ["480.jpg", "480.webp"]


def test_a_cache_that_cannot_be_written(tmp_path, monkeypatch):
    path = saved(tmp_path, "camp.jpg", photo((600, 400)))
    plan = inspected(path)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(images.os, "replace", refuse)
    with pytest.raises(WarraqError) as caught:
        derive_image(str(path), plan, tmp_path / "cache")
    target = tmp_path / "cache" / plan.digest / "480.webp"
    assert str(caught.value) == f"{target}: cannot write the image cache: Permission denied"
    assert caught.value.exit_code == 2
    assert list(target.parent.iterdir()) == []  # the temporary file is gone too


def test_a_source_gone_before_deriving(tmp_path):
    path = saved(tmp_path, "camp.jpg", photo((600, 400)))
    plan = inspected(path)
    path.unlink()
    with pytest.raises(WarraqError) as caught:
        derive_image(str(path), plan, tmp_path / "cache")
    assert str(caught.value) == f"{path}: image: 'camp.jpg' not found"


# Attributes ----------------------------------------------------------------------------

PLAN = plan_image("camp.jpg", "0123456789abcdef" * 2, 1600, 1000)
STEM = "/site/images/0123456789abcdef/"


def url(path: str) -> str:
    return "/site/" + path


def test_attributes_of_a_lead_photograph():
    assert img_attributes(PLAN, url, lead=True, sizes="(min-width: 60rem) 50rem, 100vw") == {
        "source": {"type": "image/webp",
                   "srcset": f"{STEM}480.webp 480w, {STEM}800.webp 800w, {STEM}1200.webp 1200w",
                   "sizes": "(min-width: 60rem) 50rem, 100vw"},
        "img": {"src": f"{STEM}1200.jpg",
                "srcset": f"{STEM}480.jpg 480w, {STEM}800.jpg 800w, {STEM}1200.jpg 1200w",
                "sizes": "(min-width: 60rem) 50rem, 100vw",
                "width": "1200", "height": "750", "fetchpriority": "high"}}


def test_attributes_of_a_photograph_further_down():
    found = img_attributes(PLAN, url, lead=False, sizes="20rem")
    assert found["img"]["loading"] == "lazy" and found["img"]["decoding"] == "async"
    assert "fetchpriority" not in found["img"] and "alt" not in found["img"]
    assert found["img"]["src"] == f"{STEM}1200.jpg" and found["source"]["sizes"] == "20rem"
    assert all(isinstance(v, str) for part in found.values() for v in part.values())


def test_attributes_of_a_narrow_photograph():
    found = img_attributes(plan_image("x.png", "ab" * 16, 300, 451), url, lead=False, sizes="1px")
    assert found["img"]["srcset"] == f"/site/images/{'ab' * 8}/300.jpg 300w"
    assert (found["img"]["width"], found["img"]["height"]) == ("300", "451")
