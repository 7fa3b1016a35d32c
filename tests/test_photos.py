"""Photographs in a real build: derived files, pictures in pages, problems, the cache."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from generator import images
from generator.build import build
from generator.errors import WarraqError


def jpeg(width: int, height: int, colour=(180, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # must not reach the site
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def article(image: str = "images/camp.jpg", extra: str = 'image_caption: "خيام تحت المطر"\n',
            body: str = "نص الخبر.") -> str:
    return (f'---\ntitle: "خيام"\ndate: 2016-12-03\nslug: camps\nimage: {image}\n{extra}'
            f'---\n\n{body}\n')


BODY = "فقرة.\n\n![سوق مزدحم](images/market.jpg)\n\nفقرة أخرى."
FILES = {"content/a.md": article(body=BODY), "content/images/camp.jpg": jpeg(1600, 1000),
         "content/images/market.jpg": jpeg(900, 600, (40, 90, 160))}
CONFIG = 'fallback_date = "2016-12-06"\nsite_url = "https://example.org/news/"\n'


@pytest.fixture
def built(make_site):
    config = make_site(FILES, CONFIG)
    return config, build(config)


def page(config, rel: str) -> str:
    return (config.root / config.output_dir / rel).read_text("utf-8")


def test_derived_files_replace_the_originals(built):
    config, _ = built
    out = config.root / config.output_dir
    assert not (out / "images" / "camp.jpg").exists()  # its EXIF stays home
    derived = sorted(p.relative_to(out).as_posix() for p in out.glob("images/*/*"))
    assert len(derived) == 7 + 5  # widths (no wider than the source) x 2 formats, + og
    for path in out.glob("images/*/*"):
        with Image.open(path) as img:
            assert not img.getexif(), path
    with Image.open(next(out.glob("images/*/og.jpg"))) as og:
        assert og.size == (1200, 630)


def test_the_lead_photograph_is_a_picture_with_its_box_and_priority(built):
    config, _ = built
    html = page(config, "articles/camps/index.html")
    lead = re.search(r'<figure class="photo lead-photo">(.*?)</figure>', html, re.S)[1]
    assert '<source type="image/webp" srcset="/news/images/' in lead
    assert re.search(r'480\.webp 480w, [^"]+800\.webp 800w, [^"]+1200\.webp 1200w', lead)
    img = re.search(r"<img [^>]+>", lead)[0]
    assert 'width="1200" height="750"' in img and 'fetchpriority="high"' in img
    assert 'loading="lazy"' not in img
    assert 'alt="خيام تحت المطر"' in img
    assert "<figcaption>خيام تحت المطر</figcaption>" in lead


def test_a_body_photograph_is_a_lazy_picture(built):
    config, _ = built
    html = page(config, "articles/camps/index.html")
    body = html.split('class="article-body"')[1]
    img = re.search(r'<picture><source type="image/webp" srcset="/news/images/[^"]+" '
                    r'sizes="[^"]+">(<img [^>]+>)</picture>', body)[1]
    assert 'width="800" height="533"' in img  # the widest of 480 and 800: not above 900
    assert 'loading="lazy"' in img and 'alt="سوق مزدحم"' in img
    assert 'src="/news/images/' in img


def test_the_social_card_is_the_1200_by_630_crop(built):
    config, _ = built
    html = page(config, "articles/camps/index.html")
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    assert og.startswith("https://example.org/news/images/") and og.endswith("/og.jpg")
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html


def test_the_lead_story_of_the_front_page_shows_its_photograph(built):
    config, _ = built
    front = page(config, "index.html")
    assert 'class="lead-story"' in front and 'fetchpriority="high"' in front


def test_a_rebuild_never_encodes_an_unchanged_photograph(built, monkeypatch):
    config, _ = built
    encoded = []
    original = images._encode
    monkeypatch.setattr(images, "_encode", lambda *a: encoded.append(a) or original(*a))
    (config.root / "content/a.md").write_text(article(body=BODY + "\n\nفقرة ثالثة."), "utf-8")
    report = build(config)
    assert encoded == []
    assert "articles/camps/index.html" in report.written


def test_a_replaced_photograph_gets_new_urls_and_its_pages_follow(built):
    config, _ = built
    out = config.root / config.output_dir
    before = {p.parent.name for p in out.glob("images/*/og.jpg")}
    (config.root / "content/images/camp.jpg").write_bytes(jpeg(1600, 1000, (10, 120, 10)))
    report = build(config)
    after = {p.parent.name for p in out.glob("images/*/og.jpg")}
    assert len(after) == 2 and len(after - before) == 1 and len(before - after) == 1
    new = (after - before).pop()
    assert f"/news/images/{new}/1200.jpg" in page(config, "articles/camps/index.html")
    assert "articles/camps/index.html" in report.written
    assert f"/news/images/{new}/" in page(config, "index.html")  # the lead story's


def _problems(make_site, files: dict) -> list[str]:
    config = make_site(files, CONFIG)
    with pytest.raises(WarraqError) as raised:
        build(config)
    return [str(p) for p in raised.value.problems]


def test_a_missing_photograph_is_an_error_at_its_line(make_site):
    assert _problems(make_site, {"content/a.md": article("images/gone.jpg")}) == [
        "content/a.md:5: image: 'images/gone.jpg' not found"]


def test_a_damaged_photograph_is_named_where_it_is_and_where_it_is_used(make_site):
    shown = _problems(make_site, {"content/a.md": article(),
                                  "content/images/camp.jpg": jpeg(800, 600)[:600]})
    assert shown[0].startswith("content/a.md:5: image: 'images/camp.jpg' cannot be used: ")
    assert "damaged or cut short" in shown[0]
    assert shown[1].startswith("content/images/camp.jpg: warning: image: ")


def test_a_photograph_over_the_pixel_limit_is_refused(make_site, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000 * 1000)
    shown = _problems(make_site, {"content/a.md": article(),
                                  "content/images/camp.jpg": jpeg(1200, 1000)})
    assert "megapixels" in shown[0] and shown[0].startswith("content/a.md:5: image: ")


def test_with_keep_going_the_article_is_published_without_its_photograph(make_site):
    config = make_site({"content/a.md": article("images/gone.jpg")}, CONFIG)
    report = build(config, keep_going=True)
    assert "content/a.md:5: image: 'images/gone.jpg' not found" in map(str, report.problems)
    assert "<picture>" not in page(config, "articles/camps/index.html")


def test_a_photograph_without_words_for_it_is_a_warning(make_site):
    config = make_site({"content/a.md": article(extra=""),
                        "content/images/camp.jpg": jpeg(800, 500)}, CONFIG)
    report = build(config)
    assert [str(p) for p in report.problems if not p.is_error] == [
        "content/a.md:5: warning: image: no image_alt or image_caption, so readers who "
        "cannot see the photograph learn nothing of it"]
    assert 'alt=""' in page(config, "articles/camps/index.html")
