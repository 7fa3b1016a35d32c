"""warraq import wordpress: every field of every article from a WordPress export,
the files it shows, what is skipped and told, and the imported site built."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from PIL import Image

from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.errors import WarraqError
from generator.wordpress import import_wordpress

from .conftest import PROJECT

EXPORT = PROJECT / "tests/sites/wordpress/export.xml"
ALEPPO = "إجلاء-المدنيين-من-حلب"
TOPICS = '[topics]\n"سوريا" = ["سورية"]\n"حلب" = []\n'
UPLOADS = ("uploads/2016/12/aleppo.jpg", "uploads/2016/12/camp.jpg")

ARTICLES = {
    f"2016-12-06-{ALEPPO}.md": ({
        "title": "إجلاء آلاف المدنيين من شرق حلب", "date": "2016-12-06 14:30",
        "author": "ليلى حداد", "topics": ["سوريا", "حلب"], "slug": ALEPPO,
        "summary": "عملية إجلاء واسعة من شرق حلب.", "image": "uploads/2016/12/aleppo.jpg",
        "image_alt": "حافلات خضراء", "image_caption": "حافلات خضراء في حلب",
        "aliases": ["/2016/12/06/%d8%a5%d8%ac%d9%84%d8%a7%d8%a1-%d8%a7%d9%84%d9%85%d8%af%d9%86"
                    "%d9%8a%d9%8a%d9%86-%d9%85%d9%86-%d8%ad%d9%84%d8%a8/"]},
        "بدأت صباح اليوم عملية إجلاء آلاف المدنيين من الأحياء الشرقية لمدينة حلب.\n\n"
        "![حافلات الإجلاء](uploads/2016/12/aleppo.jpg)\n\n"   # the [caption]: image, caption
        "*حافلات خضراء تنتظر عند معبر الراموسة*\n\n"
        "وقال مسؤولون إن العملية ستستمر أياماً.  \nوأضافوا أن الطقس بارد.\n"),
    "2016-12-07-food-prices.md": ({
        "title": "أسعار المواد الغذائية في دمشق", "date": "2016-12-07 09:05",
        "author": "عمر الشامي", "topics": ["سوريا", "إسرائيل"],  # سورية; إسرائيل = اسرائيل
        "slug": "food-prices", "aliases": ["/2016/12/07/food-prices/"]},
        "ارتفعت أسعار المواد الأساسية في أسواق دمشق خلال الأسبوع الماضي.\n\n"
        "| المادة | السعر |\n| --- | --- |\n| الخبز | 50 \\| 60 ليرة |\n| السكر | 400 ليرة |\n\n"
        "ويقول التجار إن الليرة فقدت نصف قيمتها.\n"),
    "2016-12-08-مسودة-عن-المعابر.md": ({
        "title": "مسودة عن المعابر", "date": "2016-12-08 10:00", "author": "ليلى حداد",
        "topics": ["سوريا"], "draft": True},
        "نص أولي لم يكتمل عن المعابر الحدودية.\n"),
    "2016-12-09-contact-news.md": ({
        "title": "تواصل معنا", "date": "2016-12-09 13:00", "author": "ليلى حداد",
        "slug": "contact-news", "aliases": ["/2016/12/09/contact-news/"]},
        "لإرسال الأخبار استخدموا النموذج.\n\nملاحظة مهمة للقراء\n"),
    "2016-12-09-idlib-gallery.md": ({
        "title": "معرض صور من مخيمات إدلب", "date": "2016-12-09 12:00", "author": "ليلى حداد",
        "topics": ["إدلب"], "slug": "idlib-gallery", "aliases": ["/2016/12/09/idlib-gallery/"]},
        "صور من المخيمات في ريف إدلب.\n\n![خيام في الوحل](uploads/2016/12/camp.jpg)\n\n"
        "<https://www.youtube.com/watch?v=abc123>\n"),
    "2016-12-10-interview.md": ({
        "title": "مقابلة مصورة مع وزير", "date": "2016-12-10 10:00", "author": "ليلى حداد",
        "slug": "interview", "aliases": ["/2016/12/10/interview/"]},
        "شاهدوا المقابلة كاملة.\n\n<https://www.youtube.com/embed/xyz>\n"),
    "2016-12-10-missing-photo.md": ({
        "title": "صورة مفقودة من الأرشيف", "date": "2016-12-10 08:00", "author": "ليلى حداد",
        "slug": "missing-photo", "aliases": ["/2016/12/10/missing-photo/"]},
        "![صورة](https://old.example.org/wp-content/uploads/2016/12/gone.jpg)\n\n"
        "نص الخبر الذي فقدت صورته.\n"),
    "2016-12-10-pending-story.md": ({
        "title": "خبر بانتظار المراجعة", "date": "2016-12-10 09:00", "author": "ليلى حداد",
        "slug": "pending-story", "draft": True},
        "نص ينتظر موافقة المحرر.\n"),
    "2016-12-11-football.md": ({
        "title": "بطولة كرة القدم المحلية", "date": "2016-12-11 18:00", "author": "ليلى حداد",
        "topics": ["رياضة"], "slug": "football", "aliases": ["/2016/12/11/football/"]},
        "انطلقت البطولة بمشاركة عشرة فرق.\n"),  # "Uncategorized" is no topic
    "2016-12-12-return-aleppo.md": ({
        "title": "عودة بعض العائلات إلى حلب", "date": "2016-12-12 11:00", "author": "ليلى حداد",
        "topics": ["حلب"], "slug": "return-aleppo", "aliases": ["/2016/12/12/return-aleppo/"]},
        "عادت عشرات العائلات إلى منازلها.\n\nاقرأ أيضاً: إجلاء آلاف المدنيين من شرق حلب\n"),
    "2016-12-13-book-fair.md": ({
        "title": "افتتاح معرض الكتاب", "date": "2016-12-13 17:30", "author": "ليلى حداد",
        "topics": ["ثقافة"], "slug": "book-fair", "aliases": ["/2016/12/13/book-fair/"]},
        "افتتح معرض الكتاب أبوابه اليوم.\n\n## برنامج المعرض\n\n- ندوات\n- أمسيات شعرية\n"),
}
PROBLEMS = [
    "export.xml: warning: post 104 «معرض صور من مخيمات إدلب»: [gallery]: attachment 299 not "
    "in the export",
    "export.xml: warning: post 105 «تواصل معنا»: shortcode [contact-form-7] removed, its text "
    "kept",
    "export.xml: warning: post 105 «تواصل معنا»: shortcode [note] removed, its text kept",
    "export.xml: warning: post 106 «صورة مفقودة من الأرشيف»: featured image: attachment 298 "
    "is not in the export",
    "export.xml: warning: post 106 «صورة مفقودة من الأرشيف»: uploads/2016/12/gone.jpg not "
    "found beside the export; the old URL is kept",
    "export.xml: warning: post 108 «مقابلة مصورة مع وزير»: an embedded frame (<iframe>) kept "
    "as a link",
]
SUMMARY = ("warraq: 11 articles written to content/ (2 drafts, 2 files copied), 5 items "
           "skipped (attachments: 2, in the trash: 1, menu items: 1, pages: 1), 6 problems")


def jpeg(path: Path, colour: tuple[int, int, int]) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return path.read_bytes()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """The export and its uploads folder (two photographs; gone.jpg is missing)."""
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(EXPORT, folder / "export.xml")
    jpeg(folder / UPLOADS[0], (30, 120, 60))
    jpeg(folder / UPLOADS[1], (120, 30, 60))
    return folder / "export.xml"


def written(into: Path) -> dict[str, tuple[dict, str]]:
    found = {}
    for path in sorted(into.glob("*.md")):
        head, _, body = path.read_text("utf-8").removeprefix("---\n").partition("---\n\n")
        found[path.name] = (yaml.safe_load(head), body)
    return found


def run(make_site, archive: Path, tmp_path: Path):
    config = make_site(config='site_url = "https://example.org/"\n' + TOPICS)
    return config, import_wordpress(archive, tmp_path / "content", config, "content")


def test_every_field_of_every_article(make_site, archive, tmp_path):
    _, report = run(make_site, archive, tmp_path)
    assert written(tmp_path / "content") == ARTICLES
    assert [str(p) for p in report.problems] == PROBLEMS
    assert report.summary("content") == SUMMARY
    for upload in UPLOADS:  # copied, byte for byte, where the articles point
        assert (tmp_path / "content" / upload).read_bytes() == \
            (archive.parent / upload).read_bytes()
    assert sorted(p.relative_to(tmp_path / "content").as_posix()
                  for p in (tmp_path / "content").rglob("*") if p.is_file()) == sorted(
        [*ARTICLES, *UPLOADS])


def test_the_imported_site_builds_and_every_old_address_leads_to_its_article(
        make_site, archive, tmp_path):
    config, _ = run(make_site, archive, tmp_path)
    report = build(config)
    assert [p for p in report.problems if p.is_error] == []
    site = tmp_path / "_site"
    aliases = 0
    for name, (fields, _) in ARTICLES.items():
        slug = fields.get("slug")
        page = site / "articles" / str(slug) / "index.html"
        assert page.is_file() != bool(fields.get("draft")), name
        for alias in fields.get("aliases", []):
            aliases += 1
            html = (site / unquote(alias).lstrip("/") / "index.html").read_text("utf-8")
            target = quote(f"/articles/{slug}/")
            assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
            assert f'<link rel="canonical" href="https://example.org{target}">' in html
            assert f'<a href="{target}">' in html and 'content="noindex"' in html
    assert aliases == 9
    front = (site / "articles" / ALEPPO / "index.html").read_text("utf-8")
    assert "<picture>" in front and "حافلات خضراء تنتظر عند معبر الراموسة" in front
    table = (site / "articles/food-prices/index.html").read_text("utf-8")
    assert re.search(r"<td>الخبز</td>\s*<td>50 \| 60 ليرة</td>", table)
    assert (site / "topics/سوريا/index.html").is_file()
    assert not (site / "topics/سورية").exists() and not (site / "topics/اسرائيل").exists()


def test_nothing_in_the_folder_is_overwritten(make_site, archive, tmp_path):
    into = tmp_path / "content"
    into.mkdir()
    mine = into / "2016-12-07-food-prices.md"
    mine.write_text("مقالي\n", "utf-8")
    photo = jpeg(into / UPLOADS[1], (1, 2, 3))
    _, report = run(make_site, archive, tmp_path)
    assert mine.read_text("utf-8") == "مقالي\n" and (into / UPLOADS[1]).read_bytes() == photo
    assert "content/2016-12-07-food-prices.md: warning: already exists; not overwritten " \
           "(post 102 not imported)" in map(str, report.problems)
    assert "content/uploads/2016/12/camp.jpg: warning: already exists and differs from the " \
           "export's; not overwritten" in map(str, report.problems)
    assert (len(report.written), report.skipped["already in content/"]) == (10, 1)
    again = import_wordpress(archive, into, load_config(tmp_path / "warraq.toml"), "content")
    assert (again.written, again.skipped["already in content/"], again.files) == ([], 11, 0)
    assert mine.read_text("utf-8") == "مقالي\n"


def test_the_command_imports_into_the_site_with_its_dictionary(archive, tmp_path,
                                                              monkeypatch, capsys):
    site = tmp_path / "news"
    site.mkdir()
    (site / "warraq.toml").write_text(TOPICS, "utf-8")
    monkeypatch.chdir(site)
    assert main(["import", "wordpress", str(archive)]) == 0  # into the first content folder
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == SUMMARY
    assert err.strip().splitlines() == PROBLEMS
    fields, _ = written(site / "content")["2016-12-07-food-prices.md"]
    assert fields["topics"] == ["سوريا", "إسرائيل"]  # «سورية», merged by the dictionary
    assert main(["import", "wordpress", str(archive), "--into", "wire/"]) == 0
    assert len(written(site / "wire")) == len(written(site / "content"))


def test_an_export_that_is_not_one_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "warraq.toml").write_text("", "utf-8")
    (tmp_path / "export.xml").write_text("<rss><channel><item>", "utf-8")
    (tmp_path / "empty.xml").write_text("<rss><channel/></rss>", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "wordpress", "export.xml"]) == 2
    assert main(["import", "wordpress", "empty.xml"]) == 2
    assert main(["import", "wordpress", "absent.xml"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["export.xml", "empty.xml", "absent.xml"]
    assert lines[0].startswith("export.xml:1: not a readable WordPress export: no element "
                               "found")
    assert lines[1] == "empty.xml:1: not a WordPress export: no <item> and no <wp:author> in it"
    assert not (tmp_path / "content").exists()
    with pytest.raises(WarraqError):
        import_wordpress(tmp_path / "absent.xml", tmp_path / "c", load_config(None), "c")


def test_a_link_out_of_the_uploads_folder_is_not_followed(make_site, archive, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for the site")
    camp = archive.parent / UPLOADS[1]
    camp.unlink()
    camp.symlink_to(secret)
    _, report = run(make_site, archive, tmp_path)
    assert not (tmp_path / "content" / UPLOADS[1]).exists()
    assert "export.xml: warning: post 104 «معرض صور من مخيمات إدلب»: uploads/2016/12/camp.jpg " \
           "not found beside the export; the old URL is kept" in map(str, report.problems)
