"""readers/toml_front.py: Hugo's TOML front matter (``+++``), split, read and
checked as YAML front matter is, each problem at its line."""

from __future__ import annotations

import pytest

from generator.build import build
from generator.errors import WarraqError
from generator.readers.markdown_reader import read_markdown
from generator.readers.toml_front import load_toml_front_matter, split_toml_front_matter

PATH = "content/h.md"
HUGO = ('+++\ntitle = "أمطار غزيرة في حلب"\ndate = 2016-12-06T14:30:00+03:00\n'
        'lastmod = 2016-12-07T09:00:00Z\ndraft = false\ntags = ["حلب"]\n'
        'categories = ["طقس"]\ndescription = "توقعات الأرصاد"\naliases = ["/old/rain/"]\n'
        'weight = 3\n\n[params]\nsubtitle = "x"\n+++\n\nنص الخبر.\n')


def problems_of(text: str) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        read_markdown(PATH, text)
    return [str(p) for p in caught.value.problems]


def test_hugo_toml_fields_become_the_articles():
    doc = read_markdown(PATH, HUGO)
    assert doc.title == "أمطار غزيرة في حلب"
    assert doc.date.isoformat() == "2016-12-06T14:30:00+03:00"
    assert doc.updated.isoformat() == "2016-12-07T09:00:00+00:00"
    assert doc.topics == ("طقس", "حلب") and doc.summary == "توقعات الأرصاد"
    assert doc.aliases == ("/old/rain/",) and doc.aliases_line == 9 and not doc.draft
    assert [str(w).split(" (known")[0] for w in doc.warnings] == [
        "content/h.md:10: warning: unknown field 'weight' ignored",
        "content/h.md:12: warning: unknown field 'params' ignored"]


def test_split_gives_toml_body_and_body_line():
    assert split_toml_front_matter(PATH, '+++\ntitle = "ع"\n+++\nنص\n') == (
        'title = "ع"\n', "نص\n", 4)
    assert split_toml_front_matter(PATH, "---\ntitle: ع\n---\nنص\n") is None


def test_lines_of_quoted_and_dotted_keys_and_tables():
    _, lines = load_toml_front_matter(PATH, 'title = "ع"\n"date" = 2016-12-06\n'
                                      'author.name = "x"\n[[menu]]\nname = "y"\n')
    assert lines == {"title": 2, "date": 3, "author": 4, "menu": 5}


@pytest.mark.parametrize("text, expected", [
    ('+++\ntitle = "ع"\n', ["content/h.md:1: front matter: no closing '+++' line"]),
    ('+++\ntitle = "ع"\ndate = 2016-13-45\n+++\nنص\n',
     ["content/h.md:3: front matter: "]),  # then what tomllib says
    ('+++\ntitle = "ع"\ndraft = "yes"\n+++\nنص\n',
     ["content/h.md:3: draft: expected true or false, got 'yes'"]),
    ('+++\ndate = 2016-12-06\n+++\nنص\n',
     ["content/h.md:1: title: missing; every article needs a headline"]),
    ("+++\nx = " + "[" * 3000 + "]" * 3000 + "\n+++\nنص\n",
     ["content/h.md:1: front matter: nested too deeply"]),
])
def test_bad_toml_is_one_message_at_its_line(text, expected):
    found = problems_of(text)
    assert len(found) == len(expected)
    assert all(problem.startswith(start) for problem, start in zip(found, expected))
    assert "(at line" not in found[0]  # the line is the file's, in front


def test_empty_toml_front_matter_takes_the_title_from_the_heading():
    assert read_markdown(PATH, "+++\n+++\n# عنوان من النص\n\nنص.\n").title == "عنوان من النص"


def test_a_hugo_site_in_toml_builds(make_site, tmp_path):
    build(make_site({"content/rain.md": HUGO}))
    page = (tmp_path / "_site/articles/أمطار-غزيرة-في-حلب/index.html").read_text("utf-8")
    assert "توقعات الأرصاد" in page and "2016-12-07T09:00:00" in page
    assert (tmp_path / "_site/topics/طقس/index.html").is_file()
    assert (tmp_path / "_site/old/rain/index.html").is_file()
