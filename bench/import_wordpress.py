"""What importing a big WordPress export costs: N synthetic Arabic posts.

Writes a WXR file of N posts (seeded, deterministic: Arabic paragraphs, a
table in one post of ten, a [caption] with a featured image in one of five,
categories and tags, one draft in twenty, plus a page and an attachment per
fifty posts) into a temporary folder, imports it with ``import_wordpress``
and prints the seconds and the process's peak memory (RSS). Everything goes
in the temporary folder, which is removed afterwards.

    .venv/bin/python bench/import_wordpress.py [--count 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import Config  # noqa: E402
from generator.wordpress import import_wordpress  # noqa: E402

WORDS = ("أعلن وزير الخارجية أن المفاوضات ستستأنف الأسبوع المقبل في جنيف بمشاركة وفود "
         "من المعارضة والحكومة وقال مسؤولون إن قوافل المساعدات وصلت إلى الأحياء المحاصرة "
         "بعد أيام من القصف وأكدت منظمات الإغاثة أن آلاف النازحين يعيشون في مخيمات مؤقتة "
         "تفتقر إلى الخدمات الأساسية وارتفعت أسعار الخبز والوقود في الأسواق").split()
CATEGORIES = ("سوريا", "سورية", "حلب", "إدلب", "اقتصاد", "اللاجئون", "ثقافة", "رياضة")
TAGS = ("إسرائيل", "اسرائيل", "الأمم المتحدة", "جنيف", "النازحون", "الليرة", "المدارس")
UPLOADS = "https://old.example.org/wp-content/uploads/"


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70))) + "."


def post(n: int, rng: random.Random) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10)))
    day = f"2016-{1 + n % 12:02d}-{1 + n % 28:02d}"
    slug = quote("-".join(title.split()[:4]) + f"-{n}").lower()
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(4, 10)))
    meta = ""
    if n % 5 == 0:
        body = (f'[caption id="attachment_{n}" width="300"]<img src="{UPLOADS}2016/01/p{n}.jpg" '
                f'alt="صورة" /> تعليق الصورة[/caption]\n\n' + body)
        meta = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{n + 10**7}" \
               "</wp:meta_value></wp:postmeta>"
    if n % 10 == 0:
        body += "\n\n<table><tr><td>المدينة</td><td>العدد</td></tr><tr><td>حلب</td><td>50</td>" \
                "</tr></table>"
    terms = "".join(f'<category domain="category" nicename="c"><![CDATA[{c}]]></category>'
                    for c in rng.sample(CATEGORIES, 2)) + "".join(
        f'<category domain="post_tag" nicename="t"><![CDATA[{t}]]></category>'
        for t in rng.sample(TAGS, 3))
    status = "draft" if n % 20 == 0 else "publish"
    return (f"<item><title><![CDATA[{title}]]></title>"
            f"<link>https://old.example.org/{day.replace('-', '/')}/{slug}/</link>"
            f"<dc:creator>laila</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[{paragraph(rng)[:120]}]]></excerpt:encoded>"
            f"<wp:post_id>{n}</wp:post_id><wp:post_date>{day} 10:{n % 60:02d}:00</wp:post_date>"
            f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
            f"<wp:post_type>post</wp:post_type>{terms}{meta}</item>\n")


def extras(n: int) -> str:
    """A page and an attachment (the featured image of post n, whose file is missing)."""
    return (f"<item><title>صفحة {n}</title><wp:post_id>{n + 2 * 10**7}</wp:post_id>"
            "<wp:post_type>page</wp:post_type><wp:status>publish</wp:status></item>\n"
            f"<item><title>صورة</title><wp:post_id>{n + 10**7}</wp:post_id>"
            f"<wp:post_type>attachment</wp:post_type><wp:post_parent>{n}</wp:post_parent>"
            f"<wp:attachment_url>{UPLOADS}2016/01/p{n}.jpg</wp:attachment_url></item>\n")


def write_export(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n'
                  "<wp:author><wp:author_login>laila</wp:author_login>"
                  "<wp:author_display_name>ليلى حداد</wp:author_display_name></wp:author>\n")
        for n in range(1, count + 1):
            out.write(post(n, rng))
            if n % 50 == 0:
                out.write(extras(n))
        out.write("</channel></rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config = Config(topics=(("سوريا", ("سورية",)), ("إسرائيل", ())))
    with tempfile.TemporaryDirectory(prefix="warraq-import-") as folder:
        export = Path(folder) / "export.xml"
        write_export(export, args.count, args.seed)
        size = export.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        report = import_wordpress(export, Path(folder) / "content", config, "content")
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(report.summary("content"))
        print(f"{args.count:,} posts, export {size / 2**20:.1f} MiB: imported in "
              f"{seconds:.1f} s; peak RSS of the process {peak / 1024:.0f} MiB "
              f"({before / 1024:.0f} MiB before the import)")


if __name__ == "__main__":
    main()
