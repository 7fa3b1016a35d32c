"""articles.py: to_article applies site policy — dates, language, slugs, topics, summaries;
parse_file turns every file it cannot read or parse into problems, and the rest loads."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.articles import SUMMARY_WORDS, parse_file, plain_text, to_article
from generator.build import build, load_site
from generator.config import Config
from generator.errors import WarraqError
from generator.models import Block
from generator.readers import decode, markdown_convert, read_source
from generator.topics import compile_topics

from .test_bad_inputs import expected_lines, files_of
from .test_properties import SAFE_SCHEMES, Tags

TOPICS = (("حلب", ("حلب",)), ("روسيا", ("روسيا", "موسكو")))
CONFIG = Config(fallback_date=dt.date(2016, 12, 6), topics=TOPICS)
WIRE = "عنوان الخبر في حلب\n\nقصف على حلب وموسكو ترد.\n"


def article(rel_path: str, text: str, config: Config = CONFIG):
    raw = read_source(rel_path, text.encode("utf-8"))
    found, _body, warnings = to_article(raw, config, compile_topics(config.topics))
    return found, warnings


def error_of(rel_path: str, text: str, config: Config = CONFIG) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        article(rel_path, text, config)
    return [str(p) for p in caught.value.problems]


def test_date_from_front_matter_wins_over_the_file_name():
    text = "---\ntitle: ع\ndate: 2016-12-03\n---\nنص\n"
    art, warnings = article("content/2016-11-01-x.md", text)
    assert art.date == dt.date(2016, 12, 3)
    assert warnings == []


def test_date_from_the_file_name_prefix():
    art, warnings = article("content/sub/2016-11-27-runner.txt", WIRE)
    assert art.date == dt.date(2016, 11, 27)
    assert warnings == []


def test_fallback_date_with_a_warning():
    art, warnings = article("content/x.txt", WIRE)
    assert art.date == dt.date(2016, 12, 6)
    assert [str(w) for w in warnings] == [
        "content/x.txt:1: warning: date: none in front matter or in a 'YYYY-MM-DD-' "
        "file-name prefix; using fallback_date 2016-12-06"]


def test_impossible_prefix_date_is_an_error():
    assert error_of("content/2016-13-45-x.txt", WIRE) == [
        "content/2016-13-45-x.txt:1: date: the file-name prefix '2016-13-45' is not a real date"]


def test_no_date_and_no_fallback_is_an_error():
    assert error_of("content/x.txt", WIRE, Config()) == [
        "content/x.txt:1: date: none in front matter or in a 'YYYY-MM-DD-' file-name "
        "prefix, and no fallback_date is configured"]


@pytest.mark.parametrize("text, config, lang, direction", [
    (WIRE, CONFIG, "ar", "rtl"),
    ("Talks on Aleppo cancelled\n\nThe meeting in Geneva will not take place.\n", CONFIG,
     "en", "ltr"),
    ("Talks cancelled\n\nThe meeting will not take place.\n",
     Config(fallback_date=dt.date(2016, 1, 1), latin_lang="fr"), "fr", "ltr"),
    ("Talks cancelled\n\nThe meeting will not take place.\n",
     Config(fallback_date=dt.date(2016, 1, 1), wire_lang="ar"), "ar", "rtl"),
])
def test_language_and_direction(text, config, lang, direction):
    art, _ = article("content/x.txt", text, config)
    assert (art.lang, art.dir) == (lang, direction)


def test_front_matter_lang_is_kept():
    art, _ = article("content/x.md", "---\ntitle: Title\nlang: ar-SY\n---\nEnglish words.\n")
    assert (art.lang, art.dir) == ("ar-SY", "rtl")


def test_slug_from_headline_and_from_front_matter():
    assert article("content/x.txt", "عنوانُ الخبرِ!\n\nنص.\n")[0].slug == "عنوان-الخبر"
    art, _ = article("content/x.md", "---\ntitle: عنوان\nslug: Aleppo Talks\n---\nنص\n")
    assert art.slug == "aleppo-talks"


def test_latin_slug_style():
    config = Config(fallback_date=dt.date(2016, 1, 1), slug_style="latin")
    assert article("content/x.txt", WIRE, config)[0].slug.isascii()


def test_topics_from_front_matter_are_canonicalised_and_deduplicated():
    art, _ = article("content/x.md", "---\ntitle: ع\ntopics: [موسكو, حَلَب, روسيا, جديد]\n"
                                     "---\nنص عن إدلب\n")
    assert art.topics == ("روسيا", "حلب", "جديد")


def test_topics_from_the_dictionary():
    art, _ = article("content/x.txt", WIRE)  # حلب: 2 (title) + 1, روسيا: 1
    assert art.topics == ("حلب",)
    lenient = Config(fallback_date=dt.date(2016, 1, 1), topics=TOPICS, topic_min_score=1)
    assert article("content/x.txt", WIRE, lenient)[0].topics == ("حلب", "روسيا")
    assert art.title_key == "عنوان خبر في حلب"


def test_summary_is_the_first_words_with_an_ellipsis():
    words = [f"كلمة{i}" for i in range(SUMMARY_WORDS + 5)]
    art, _ = article("content/x.txt", "عنوان\n\n" + " ".join(words) + "\n")
    assert art.summary == " ".join(words[:SUMMARY_WORDS]) + "…"
    short, _ = article("content/x.txt", "عنوان\n\nنص قصير.\n")
    assert short.summary == "نص قصير."


def test_front_matter_summary_wins():
    art, _ = article("content/x.md", "---\ntitle: ع\nsummary: ملخص المحرر\n---\nنص طويل\n")
    assert art.summary == "ملخص المحرر"


def test_plain_text_skips_read_also_and_markup():
    blocks = (Block("p", "فقرة."), Block("read_also", "لا تظهر", ref=0),
              Block("html", "<p>نص &amp; <b>غامق</b></p>"), Block("h2", "عنوان  فرعي"))
    assert plain_text(blocks).split() == "فقرة. نص & غامق عنوان فرعي".split()


def test_read_also_title_stays_out_of_summary_and_terms():
    art, _ = article("content/x.txt", "عنوان\n\nفقرة.\n\nاقرأ أيضاً: موسكو تهدد\n\nختام.\n")
    assert art.summary == "فقرة. ختام."
    assert "موسكو" not in art.terms and art.topics == ()


def test_unknown_attribution_becomes_none():
    assert article("content/x.txt", WIRE + "\nالمصدر\n")[0].attribution is None
    assert article("content/x.txt", WIRE + "\nالمصدر: رويترز\n")[0].attribution == "رويترز"


def parse(tmp_path, rel_path: str, data: bytes | None, config: Config = CONFIG):
    path = tmp_path / rel_path
    if data is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return parse_file(rel_path, path, config, compile_topics(config.topics))


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"),
                                   OSError(5, "Input/output error"), OSError("odd")])
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path, monkeypatch, error):
    def refuse(abs_path):
        raise error
    monkeypatch.setattr(decode, "read_bytes", refuse)
    parsed = parse(tmp_path, "content/x.txt", WIRE.encode())
    assert (parsed.article, [str(p) for p in parsed.problems]) == (
        None, [f"content/x.txt:1: cannot read: {error.strerror or 'odd'}"])


def test_a_file_gone_since_it_was_found_or_a_folder_is_one_problem(tmp_path):
    assert [str(p) for p in parse(tmp_path, "content/gone.txt", None).problems] == [
        "content/gone.txt:1: cannot read: No such file or directory"]
    (tmp_path / "content" / "folder.txt").mkdir(parents=True)
    assert [str(p) for p in parse(tmp_path, "content/folder.txt", None).problems] == [
        "content/folder.txt:1: cannot read: Is a directory"]


def test_a_file_too_large_is_refused_with_its_size_having_read_only_the_limit(
        tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_FILE_BYTES", 1000)
    real_read_bytes, read = decode.read_bytes, []

    def read_and_keep(abs_path):
        read.append(real_read_bytes(abs_path))
        return read[-1]

    monkeypatch.setattr(decode, "read_bytes", read_and_keep)
    parsed = parse(tmp_path, "content/x.txt", WIRE.encode() + b"x" * 5000)
    assert [str(p) for p in parsed.problems] == [
        f"content/x.txt:1: file too large: {len(WIRE.encode()) + 5000} bytes; the limit is "
        "0.000953674 MiB"]
    assert len(read[0]) == 1001


@pytest.mark.parametrize("raw_html, html", [(False, "<p>&lt;b&gt;نص&lt;/b&gt;</p>"),
                                            (True, "<p><b>نص</b></p>")])
def test_parse_file_passes_the_raw_html_setting(tmp_path, raw_html, html):
    config = Config(fallback_date=dt.date(2016, 12, 6), raw_html=raw_html)
    parsed = parse(tmp_path, "content/x.md", "# عنوان\n\n<b>نص</b>\n".encode(), config)
    assert parsed.body[0].text == html


NEW_CASES = ["billion_laughs", "deep_yaml", "lone_surrogate", "nul_in_yaml", "utf32_bom",
             "nul_in_text", "too_large", "nested_brackets", "deep_list", "script_links",
             "raw_html"]


@pytest.mark.parametrize("case", NEW_CASES)
def test_beside_a_hostile_file_the_good_ones_load(case, make_site, monkeypatch):
    monkeypatch.setattr(markdown_convert, "CONVERT_SECONDS", 0.5)
    files = files_of(case)
    loaded = load_site(make_site(files=files))
    errors = {p.path for p in loaded.problems if p.is_error}
    assert set(loaded.skipped) == errors
    assert {a.source for a in loaded.site.articles.values()} == set(files) - errors
    assert len(errors) == len([line for line in expected_lines(case) if ": warning: " not in line])


def test_utf32_articles_are_published_without_nuls(make_site):
    loaded = load_site(make_site(files=files_of("utf32_bom")))
    titles = sorted(a.title for a in loaded.site.articles.values())
    assert titles == ["مقال بترميز BE", "مقال بترميز LE", "مقال سليم إلى جانب الملف المعطوب"]
    assert all("\x00" not in a.summary for a in loaded.site.articles.values())


RUNNABLE = {"script", "iframe", "object", "embed", "form", "input", "style", "link", "meta"}


def runnable(markup: str) -> list:
    """The tags, attributes and URLs in ``markup`` that could run or load something."""
    parser = Tags()
    parser.feed(markup)
    found = []
    for tag, attrs in parser.tags:
        found += [tag] if tag in RUNNABLE else []
        for name, value in attrs:
            scheme = re.match(r"([a-z][a-z0-9+.\-]*):",
                              re.sub(r"[\x00-\x20]+", "", (value or "").lower()))
            if name.startswith("on") or name == "style" or (
                    name in ("href", "src") and scheme and scheme[1] not in SAFE_SCHEMES):
                found.append((tag, name, value))
    return found


@pytest.mark.parametrize("case, raw_html", [("script_links", False), ("raw_html", False),
                                            ("raw_html", True)])
def test_nothing_that_could_run_reaches_a_built_page(case, raw_html, make_site, tmp_path):
    config = make_site(files=files_of(case), config='fallback_date = "2016-12-06"\n'
                       f"raw_html = {str(raw_html).lower()}\n")
    build(config)
    pages = [p.read_text(encoding="utf-8")
             for p in (tmp_path / config.output_dir / "articles").rglob("index.html")]
    assert len(pages) == 2
    bodies = "".join(page.split('class="article-body"', 1)[1].split("</article>", 1)[0]
                     for page in pages)
    assert runnable(bodies) == []
    assert "alert(" not in bodies or not raw_html
    if case == "raw_html":
        kept = "<b>غامقة</b>" if raw_html else "&lt;b&gt;غامقة&lt;/b&gt;"
        assert kept in bodies and 'class="read-also-card"' in bodies
