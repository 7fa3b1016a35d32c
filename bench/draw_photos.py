"""Draw the demo photographs that the seed's articles can show.

Nothing is downloaded or copied: every scene is shapes and gradients drawn
with Pillow from a seeded random generator, so two runs with the same Pillow
write the same bytes. The scenes stand in for news photographs of the kind
the seed reports on — a skyline at dusk, a camp in the rain, a market
street, a conference table, a stadium, a book fair — at the sizes a
newsroom's camera or agency feed delivers (1600×1000 and 2000×1333).

    .venv/bin/python bench/draw_photos.py [folder]     # default: content/images/
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
Color = tuple[int, int, int]
Stops = list[tuple[float, Color]]
WIDE, TALL = (1600, 1000), (2000, 1333)


# Drawing helpers ---------------------------------------------------------------------

def gradient(size: tuple[int, int], stops: Stops) -> Image.Image:
    """A vertical gradient through colour stops (position 0..1, colour), in RGBA."""
    width, height = size
    column = Image.new("RGB", (1, height))
    column.putdata([_colour_at(stops, y / max(height - 1, 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.NEAREST).convert("RGBA")


def _colour_at(stops: Stops, t: float) -> Color:
    for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
        if t <= t1:
            f = (t - t0) / ((t1 - t0) or 1)
            return tuple(round(a + (b - a) * f) for a, b in zip(c0, c1))  # type: ignore
    return stops[-1][1]


def paste_gradient(img: Image.Image, box: tuple[int, int, int, int], stops: Stops) -> None:
    x0, y0, x1, y1 = box
    img.alpha_composite(gradient((x1 - x0, y1 - y0), stops), (x0, y0))


def glow(img: Image.Image, centre: tuple[int, int], radius: int, colour: Color,
         strength: float = 1.0) -> None:
    """A soft light: a disc blurred to a halo, laid over the picture."""
    mask = Image.new("L", img.size, 0)
    x, y = centre
    ImageDraw.Draw(mask).ellipse((x - radius, y - radius, x + radius, y + radius),
                                 fill=round(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(radius * 0.6))
    img.paste(Image.new("RGBA", img.size, colour + (255,)), (0, 0), mask)


def overlay(img: Image.Image, draw_on) -> None:
    """Draw with transparency: ``draw_on(draw)`` paints a clear layer laid over ``img``."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw_on(ImageDraw.Draw(layer))
    img.alpha_composite(layer)


def person(draw: ImageDraw.ImageDraw, x: float, feet: float, height: float,
           colour: Color) -> None:
    """A standing figure seen from afar: head, coat, legs."""
    head = height * 0.075
    shoulders = feet - height * 0.84
    draw.ellipse((x - head, shoulders - 2.1 * head, x + head, shoulders - 0.1 * head),
                 fill=colour)
    half = height * 0.13
    draw.rounded_rectangle((x - half, shoulders, x + half, feet - height * 0.4),
                           radius=max(1, half * 0.5), fill=colour)
    leg = height * 0.05
    for side in (-1, 1):
        lx = x + side * half * 0.5
        draw.rectangle((lx - leg, feet - height * 0.42, lx + leg, feet), fill=colour)


def finish(img: Image.Image, blur: float = 0.7, vignette: float = 0.35) -> Image.Image:
    """The lens: a touch of softness and darker corners; RGB, as a camera writes."""
    mask = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
    mask = mask.point(lambda v: round(v * vignette))
    rgb = img.convert("RGB").filter(ImageFilter.GaussianBlur(blur))
    return Image.composite(Image.new("RGB", img.size, (0, 0, 0)), rgb, mask)


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


# The scenes --------------------------------------------------------------------------

def skyline_dusk(rng: random.Random) -> Image.Image:
    img = gradient(TALL, [(0, (24, 28, 70)), (0.4, (110, 58, 112)), (0.66, (232, 118, 72)),
                          (0.75, (252, 178, 96)), (0.76, (40, 32, 44)), (1, (18, 16, 24))])
    glow(img, (1330, 930), 170, (255, 206, 130), 0.9)
    draw = ImageDraw.Draw(img)
    _buildings(draw, rng, 1010, (150, 360), (60, 44, 74), lit=0.0)
    _buildings(draw, rng, 1010, (220, 640), (26, 20, 34), lit=0.28)
    _minaret(draw, 610, 1010, 720)
    draw.pieslice((1520, 700, 1760, 940), 180, 360, fill=(26, 20, 34))
    draw.rectangle((1520, 820, 1760, 1010), fill=(26, 20, 34))
    overlay(img, lambda d: _traffic(d, rng))
    return finish(img)


def _buildings(draw, rng: random.Random, ground: int, heights: tuple[int, int],
               colour: Color, lit: float) -> None:
    x = -20
    while x < TALL[0]:
        width, height = rng.randint(70, 170), rng.randint(*heights)
        draw.rectangle((x, ground - height, x + width, ground), fill=colour)
        if lit:
            _windows(draw, rng, (x + 10, ground - height + 16, x + width - 10, ground - 20), lit)
        x += width + rng.randint(-10, 14)


def _windows(draw, rng: random.Random, box: tuple[int, int, int, int], lit: float) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0, y1 - 12, 30):
        for x in range(x0, x1 - 10, 24):
            if rng.random() < lit:
                warm = rng.choice([(255, 212, 128), (250, 190, 100), (230, 232, 210)])
                draw.rectangle((x, y, x + 11, y + 15), fill=warm)


def _minaret(draw, x: int, ground: int, height: int) -> None:
    top = ground - height
    dark = (26, 20, 34)
    draw.rectangle((x - 22, top + 60, x + 22, ground), fill=dark)
    draw.rectangle((x - 38, top + 150, x + 38, top + 176), fill=dark)
    draw.polygon([(x - 26, top + 62), (x + 26, top + 62), (x, top)], fill=dark)
    draw.line((x, top, x, top - 40), fill=dark, width=5)


def _traffic(draw, rng: random.Random) -> None:
    for lane, colour in ((1120, (255, 70, 60, 150)), (1190, (255, 240, 210, 150))):
        for _ in range(38):
            x = rng.randint(-100, TALL[0])
            draw.line((x, lane, x + rng.randint(80, 260), lane + rng.randint(-4, 4)),
                      fill=colour, width=rng.randint(3, 7))


def camp_rain(rng: random.Random) -> Image.Image:
    img = gradient(WIDE, [(0, (128, 134, 142)), (0.42, (186, 189, 192)),
                          (0.43, (116, 100, 82)), (1, (76, 62, 48))])
    draw = ImageDraw.Draw(img)
    draw.polygon([(0, 430), (260, 360), (520, 400), (860, 340), (1200, 395), (1600, 350),
                  (1600, 432), (0, 432)], fill=(104, 112, 104))
    for row in range(9):
        y = 450 + row * row * 7 + row * 12
        _tent_row(draw, rng, y, 0.18 + row * 0.14)
    overlay(img, lambda d: _puddles(d, rng))
    overlay(img, lambda d: _rain(d, rng))
    return finish(img, blur=0.9)


def _tent_row(draw, rng: random.Random, base: int, scale: float) -> None:
    x = rng.randint(-120, 0) * scale
    while x < WIDE[0]:
        width, height = 180 * scale, 110 * scale
        cloth = rng.choice([(232, 228, 216), (214, 210, 198), (92, 128, 170), (226, 220, 200)])
        shade = tuple(round(c * 0.72) for c in cloth)
        depth = 60 * scale
        ridge, lift = x + width / 2, depth * 0.3
        draw.polygon([(ridge, base - height), (ridge + depth, base - height - lift),
                      (x + width + depth, base - lift), (x + width, base)], fill=shade)
        draw.polygon([(x, base), (x + width / 2, base - height), (x + width, base)], fill=cloth)
        draw.polygon([(x + width * 0.42, base), (x + width / 2, base - height * 0.5),
                      (x + width * 0.58, base)], fill=(40, 36, 32))
        x += width + depth + rng.uniform(20, 80) * scale


def _puddles(draw, rng: random.Random) -> None:
    for _ in range(26):
        x, y = rng.randint(0, WIDE[0]), rng.randint(520, 990)
        rx, ry = rng.randint(40, 200) * y / 1000, rng.randint(6, 24) * y / 1000
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=(170, 174, 180, 150))


def _rain(draw, rng: random.Random) -> None:
    for _ in range(1400):
        x, y = rng.randint(-100, WIDE[0]), rng.randint(-40, WIDE[1])
        length = rng.randint(18, 46)
        draw.line((x, y, x + length * 0.25, y + length), fill=(230, 234, 240, 70), width=1)


def market_street(rng: random.Random) -> Image.Image:
    img = gradient(WIDE, [(0, (150, 190, 226)), (0.4, (214, 226, 236)), (0.42, (150, 140, 128)),
                          (1, (96, 88, 80))])
    draw = ImageDraw.Draw(img)
    for side in (-1, 1):
        _facades(draw, rng, side)
    for _ in range(60):
        t = rng.random() ** 1.6
        feet = lerp(980, 500, t)
        person(draw, lerp(rng.uniform(200, 1400), 800, t), feet, lerp(300, 60, t),
               rng.choice([(60, 52, 50), (90, 60, 50), (40, 44, 60), (120, 100, 80)]))
    return finish(img)


def _wall(side: int, t: float, f: float) -> tuple[float, float]:
    """A point on a street wall: ``t`` 0 near to 1 far, ``f`` 0 top to 1 ground."""
    x = lerp(0, 670, t)
    y = lerp(lerp(-60, 250, t), lerp(1000, 500, t), f)
    return (x if side < 0 else WIDE[0] - x), y


def _facades(draw, rng: random.Random, side: int) -> None:
    steps = [1 - (1 - i / 12) ** 1.7 for i in range(13)]
    for t0, t1 in zip(steps, steps[1:]):
        stone = rng.choice([(210, 190, 160), (196, 170, 140), (224, 208, 182), (180, 160, 140)])
        draw.polygon([_wall(side, t0, 0), _wall(side, t1, 0), _wall(side, t1, 1),
                      _wall(side, t0, 1)], fill=stone)
        near, far = t0 + 0.2 * (t1 - t0), t1 - 0.2 * (t1 - t0)  # a window, inset
        draw.polygon([_wall(side, near, 0.2), _wall(side, far, 0.2), _wall(side, far, 0.42),
                      _wall(side, near, 0.42)], fill=(70, 64, 60))
        _awning(draw, rng, side, t0, t1)
        _crates(draw, rng, side, t0, t1)


def _awning(draw, rng: random.Random, side: int, t0: float, t1: float) -> None:
    colours = rng.choice([((200, 40, 40), (240, 230, 220)), ((30, 110, 70), (240, 230, 210)),
                          ((230, 150, 30), (250, 240, 220)), ((40, 80, 150), (230, 230, 230))])
    for i in range(4):
        a, b = lerp(t0, t1, i / 4), lerp(t0, t1, (i + 1) / 4)
        out = 70 * (1 - a) * -side  # the awning leans out into the street
        top_a, top_b = _wall(side, a, 0.55), _wall(side, b, 0.55)
        low_a, low_b = _wall(side, a, 0.66), _wall(side, b, 0.66)
        draw.polygon([top_a, top_b, (low_b[0] + out * (1 - b), low_b[1]),
                      (low_a[0] + out, low_a[1])], fill=colours[i % 2])


def _crates(draw, rng: random.Random, side: int, t0: float, t1: float) -> None:
    x, ground = _wall(side, (t0 + t1) / 2, 1)
    size = 90 * (1 - t0) + 8
    x += side * -size * 1.2
    draw.rectangle((x - size, ground - size * 0.8, x + size, ground), fill=(130, 90, 50))
    fruit = rng.choice([(230, 120, 30), (200, 30, 40), (110, 170, 40), (240, 200, 40)])
    for _ in range(14):
        fx = x + rng.uniform(-size, size) * 0.85
        fy = ground - size * 0.8 + rng.uniform(-size * 0.2, 0)
        r = size * 0.14
        draw.ellipse((fx - r, fy - r, fx + r, fy + r), fill=fruit)


def conference_table(rng: random.Random) -> Image.Image:
    img = gradient(TALL, [(0, (200, 192, 180)), (0.55, (176, 166, 150)), (0.56, (110, 80, 56)),
                          (1, (84, 60, 42))])
    draw = ImageDraw.Draw(img)
    draw.rectangle((620, 150, 1380, 560), fill=(28, 60, 112))
    draw.ellipse((900, 230, 1100, 430), outline=(210, 224, 240), width=10)
    for angle in range(200, 341, 20):  # a wreath of leaves under the ring
        a = math.radians(angle)
        x, y = 1000 + 130 * math.cos(a), 330 - 130 * math.sin(a)
        draw.ellipse((x - 14, y - 24, x + 14, y + 24), fill=(210, 224, 240))
    for x in (90, 260, 430, 1420, 1590, 1760):  # either side of the screen
        _flag(draw, rng, x, 160)
    _table(draw, rng)
    glow(img, (1000, 40), 260, (255, 246, 220), 0.5)
    return finish(img)


def _flag(draw, rng: random.Random, x: int, top: int) -> None:
    """An abstract flag on a pole: stripes and a disc, no country's."""
    draw.rectangle((x - 4, top, x + 4, 740), fill=(190, 160, 80))
    palette = [(200, 30, 40), (240, 240, 240), (20, 120, 70), (30, 60, 140), (250, 200, 40),
               (20, 20, 20)]
    stripes = rng.sample(palette, 3)
    for i, colour in enumerate(stripes):
        draw.polygon([(x + 4, top + 10 + i * 60), (x + 150, top + 30 + i * 60),
                      (x + 150, top + 90 + i * 60), (x + 4, top + 70 + i * 60)], fill=colour)
    if rng.random() < 0.5:
        draw.ellipse((x + 55, top + 75, x + 100, top + 120), fill=rng.choice(palette))


def _table(draw, rng: random.Random) -> None:
    near, far, y_far, y_near = (260, 1740), (760, 1240), 700, 1333
    draw.polygon([(far[0], y_far), (far[1], y_far), (near[1], y_near), (near[0], y_near)],
                 fill=(96, 58, 34))
    draw.polygon([(far[0] + 60, y_far + 8), (far[1] - 60, y_far + 8), (near[1] - 160, y_near),
                  (near[0] + 160, y_near)], fill=(118, 74, 44))
    for i in range(7):
        t = i / 6
        y, scale = lerp(y_far + 20, y_near - 80, t ** 1.3), lerp(0.35, 1.0, t ** 1.3)
        for side in (-1, 1):
            edge = lerp(far[0] if side < 0 else far[1], near[0] if side < 0 else near[1], t ** 1.3)
            _seat(draw, rng, edge - side * 110 * scale, y, scale, side)


def _seat(draw, rng: random.Random, x: float, y: float, scale: float, side: int) -> None:
    """A chair beside the table, the papers, a microphone and a desk flag before it."""
    chair = 90 * scale
    draw.rounded_rectangle((x - chair + side * chair * 1.9, y - chair * 2.2,
                            x + chair + side * chair * 1.9, y + chair * 0.4),
                           radius=chair * 0.4, fill=(30, 30, 36))
    draw.rectangle((x - 50 * scale, y - 12 * scale, x + 50 * scale, y + 30 * scale),
                   fill=(244, 242, 236))
    draw.line((x + side * 40 * scale, y - 10 * scale, x + side * 10 * scale, y - 90 * scale),
              fill=(20, 20, 20), width=max(2, round(5 * scale)))
    draw.ellipse((x + side * 10 * scale - 8 * scale, y - 100 * scale,
                  x + side * 10 * scale + 8 * scale, y - 84 * scale), fill=(20, 20, 20))
    draw.rectangle((x - 4 * scale, y - 70 * scale, x + 40 * scale, y - 44 * scale),
                   fill=rng.choice([(200, 30, 40), (30, 60, 140), (20, 120, 70), (250, 200, 40)]))


def stadium(rng: random.Random) -> Image.Image:
    img = gradient(TALL, [(0, (8, 12, 32)), (0.35, (34, 44, 84)), (1, (20, 22, 30))])
    draw = ImageDraw.Draw(img)
    draw.ellipse((-400, 230, 2400, 1700), fill=(46, 46, 56))
    overlay(img, lambda d: _crowd(d, rng))
    _pitch(img)
    white = (236, 240, 236)
    draw.polygon([(560, 660), (1440, 660), (1700, 1250), (300, 1250)], outline=white, width=5)
    draw.line((1000, 660, 1000, 1250), fill=white, width=5)
    draw.ellipse((860, 880, 1140, 1010), outline=white, width=5)
    for x in (220, 760, 1240, 1780):
        draw.rectangle((x - 6, 120, x + 6, 330), fill=(70, 70, 80))
        glow(img, (x, 120), 70, (255, 255, 236), 1.0)
    return finish(img, blur=0.8, vignette=0.45)


def _pitch(img: Image.Image) -> None:
    """Grass mown in stripes that run away from the camera, inside the oval."""
    grass = Image.new("RGBA", img.size, (40, 120, 52, 255))
    draw = ImageDraw.Draw(grass)
    for i in range(1, 12, 2):
        draw.polygon([(150 + i * 155, 560), (150 + (i + 1) * 155, 560),
                      (-300 + (i + 1) * 240, 1450), (-300 + i * 240, 1450)], fill=(50, 136, 62))
    oval = Image.new("L", img.size, 0)
    ImageDraw.Draw(oval).ellipse((150, 560, 1850, 1450), fill=255)
    img.paste(grass, (0, 0), oval)


def _crowd(draw, rng: random.Random) -> None:
    palette = [(220, 40, 40), (240, 240, 240), (30, 30, 30), (200, 180, 150), (40, 80, 180),
               (250, 210, 40)]
    for _ in range(9000):
        a = rng.uniform(math.pi, 2 * math.pi)
        r = rng.uniform(0.62, 1.0)
        x, y = 1000 + 1400 * r * math.cos(a), 965 + 735 * r * math.sin(a) * 0.9
        if y < 260:
            continue
        size = 2 + 3 * (1 - r)
        draw.ellipse((x - size, y - size, x + size, y + size), fill=rng.choice(palette) + (200,))


def book_fair(rng: random.Random) -> Image.Image:
    img = gradient(WIDE, [(0, (40, 38, 44)), (0.22, (70, 66, 70)), (0.23, (190, 178, 160)),
                          (0.7, (172, 160, 142)), (0.71, (150, 146, 142)), (1, (110, 106, 104))])
    draw = ImageDraw.Draw(img)
    for x in range(0, WIDE[0], 160):
        draw.line((x, 0, x + 80, 220), fill=(90, 88, 92), width=4)
        glow(img, (x + 80, 200), 26, (255, 244, 210), 0.9)
    for i, colour in enumerate([(150, 30, 40), (20, 90, 80), (30, 50, 110)]):
        x = 180 + i * 470
        draw.rectangle((x, 250, x + 340, 340), fill=colour)
        for j in range(3):
            draw.rounded_rectangle((x + 30 + j * 100, 280, x + 100 + j * 100, 300), radius=8,
                                   fill=(244, 236, 220))
    for x0 in (40, 560, 1080):
        _shelf(draw, rng, x0, 380, x0 + 480, 700)
    for _ in range(26):
        t = rng.random() ** 1.4
        person(draw, rng.uniform(0, WIDE[0]), lerp(990, 760, t), lerp(330, 180, t),
               rng.choice([(50, 46, 48), (80, 60, 60), (40, 50, 70), (110, 90, 70)]))
    return finish(img)


def _shelf(draw, rng: random.Random, x0: int, y0: int, x1: int, y1: int) -> None:
    draw.rectangle((x0 - 10, y0 - 10, x1 + 10, y1 + 20), fill=(110, 76, 48))
    spines = [(170, 40, 40), (30, 70, 120), (230, 200, 140), (40, 110, 80), (240, 240, 230),
              (90, 50, 100), (220, 140, 40), (30, 30, 34)]
    for top in range(y0, y1, 80):
        x = x0
        while x < x1 - 10:
            width = rng.randint(9, 24)
            height = rng.randint(50, 72)
            draw.rectangle((x, top + 76 - height, min(x + width, x1), top + 76),
                           fill=rng.choice(spines))
            x += width + 1
        draw.rectangle((x0 - 10, top + 76, x1 + 10, top + 82), fill=(90, 60, 38))


SCENES = {
    "skyline-dusk.jpg": skyline_dusk,
    "camp-rain.jpg": camp_rain,
    "market-street.jpg": market_street,
    "conference-table.jpg": conference_table,
    "stadium.jpg": stadium,
    "book-fair.jpg": book_fair,
}


def draw_photos(folder: Path) -> list[Path]:
    """Draw every scene into ``folder`` as a JPEG; the same files each run."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for seed, (name, scene) in enumerate(SCENES.items()):
        path = folder / name
        scene(random.Random(seed)).save(path, "JPEG", quality=84, optimize=True)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "content" / "images"
    for path in draw_photos(folder):
        with Image.open(path) as img:
            print(f"{path.name}: {img.width}×{img.height}, {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
