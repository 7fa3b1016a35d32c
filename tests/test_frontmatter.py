"""readers/frontmatter.py: split the YAML block off, check every field, name its line."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import WarraqError
from generator.readers.frontmatter import parse_front_matter, split_front_matter

PATH = "content/a.md"


def parse(text: str):
    yaml_text, _, _ = split_front_matter(PATH, text)
    fields, _lines, warnings = parse_front_matter(PATH, yaml_text)
    return fields, warnings


def test_each_field_comes_with_its_line():
    _, lines, _ = parse_front_matter(PATH, "title: ع\n\nread_also: [خبر]\n")
    assert lines == {"title": 2, "read_also": 4}


def messages(text: str) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        parse(text)
    return [str(p) for p in caught.value.problems]


def test_split_gives_yaml_body_and_body_line():
    assert split_front_matter(PATH, "---\ntitle: ع\n---\nنص\n") == ("title: ع\n", "نص\n", 4)
    assert split_front_matter(PATH, "# عنوان\n\nنص\n") == ("", "# عنوان\n\nنص\n", 1)


def test_split_accepts_dots_as_the_closing_line():
    assert split_front_matter(PATH, "---\ntitle: ع\n...\nنص") == ("title: ع\n", "نص", 4)


def test_missing_closing_line():
    with pytest.raises(WarraqError) as caught:
        split_front_matter(PATH, "---\ntitle: عنوان\n\nنص\n")
    assert str(caught.value) == "content/a.md:1: front matter: no closing '---' line"


def test_every_field():
    fields, warnings = parse(
        "---\ntitle: عنوان\ndate: 2016-12-06\ntopics: [حلب, سوريا]\nslug: my-slug\n"
        "lang: ar-SY\nsummary: ملخص\nsource: الأناضول\nread_also: [خبر أول]\n"
        "draft: true\nauthor: فلان\nimage: img/a.jpg\n---\n")
    assert fields == {
        "title": "عنوان", "date": dt.date(2016, 12, 6), "topics": ("حلب", "سوريا"),
        "slug": "my-slug", "lang": "ar-SY", "summary": "ملخص", "source": "الأناضول",
        "read_also": ("خبر أول",), "draft": True, "author": "فلان", "image": "img/a.jpg"}
    assert warnings == []


@pytest.mark.parametrize("topics", ["حلب، سوريا, تركيا", "[حلب, سوريا, تركيا]",
                                    "\n  - حلب\n  - سوريا\n  - تركيا"])
def test_topics_as_list_or_comma_string(topics):
    fields, _ = parse(f"---\ntitle: ع\ntopics: {topics}\n---\n")
    assert fields["topics"] == ("حلب", "سوريا", "تركيا")


@pytest.mark.parametrize("date", ["2016-12-06", '"2016-12-06"', "2016-12-06 10:30:00"])
def test_date_as_yaml_date_string_or_datetime(date):
    fields, _ = parse(f"---\ntitle: ع\ndate: {date}\n---\n")
    assert fields["date"] == dt.date(2016, 12, 6)


def test_bad_date_names_the_line_of_the_field():
    assert messages("---\ntitle: عنوان\ndate: 12/06/2016\n---\n") == [
        "content/a.md:3: date: expected YYYY-MM-DD, got '12/06/2016'"]


def test_impossible_yaml_date_is_a_problem_not_a_crash():
    assert messages("---\ntitle: عنوان\ndate: 2016-02-30\n---\n")[0].startswith(
        "content/a.md:3: date:")


@pytest.mark.parametrize("text, message", [
    ("---\ntitle: عنوان\ntopics: حلب: سوريا\n---\n",  # broken YAML names its line
     "content/a.md:3: front matter: invalid YAML: mapping values are not allowed here"),
    ("---\n- حلب\n- سوريا\n---\n",  # not a mapping
     "content/a.md:2: front matter: expected 'field: value' lines"),
    ("---\ndate: 2016-12-06\n---\n",  # no title
     "content/a.md:1: title: missing; every article needs a headline"),
    ("---\ndate: 2016-12-06\ntitle:\n---\n",  # empty title names its line
     "content/a.md:3: title: empty; every article needs a headline"),
])
def test_front_matter_problems_have_exact_messages(text, message):
    assert messages(text) == [message]


def test_unknown_field_is_a_warning_not_an_error():
    fields, warnings = parse("---\ntitle: ع\ncolour: أحمر\n---\n")
    assert "colour" not in fields
    assert len(warnings) == 1
    assert warnings[0].is_error is False
    assert (warnings[0].line, warnings[0].message.split(" (")[0]) == (
        3, "unknown field 'colour' ignored")


def test_several_bad_fields_are_reported_together():
    assert messages("---\ntitle: ع\ndate: 12/06/2016\ndraft: yes please\nlang: Arabic\n"
                    "topics: {a: 1}\n---\n") == [
        "content/a.md:3: date: expected YYYY-MM-DD, got '12/06/2016'",
        "content/a.md:4: draft: expected true or false, got 'yes please'",
        "content/a.md:5: lang: expected a language code such as 'ar' or 'en', got 'Arabic'",
        "content/a.md:6: topics: expected a list of text, got {'a': 1}",
    ]
