"""readers/frontmatter.py: split the YAML block off, check every field, name its line;
refuse what would make PyYAML hang, eat memory or crash, and values that cannot be written."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import WarraqError
from generator.readers import frontmatter, yaml_front
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


@pytest.mark.parametrize("date", ["2016-12-06", '"2016-12-06"'])
def test_date_as_yaml_date_or_string(date):
    fields, _ = parse(f"---\ntitle: ع\ndate: {date}\n---\n")
    assert fields["date"] == dt.date(2016, 12, 6)


@pytest.mark.parametrize("date, expected", [
    ("2016-12-06 10:30", dt.datetime(2016, 12, 6, 10, 30)),
    ("2016-12-06 9:05", dt.datetime(2016, 12, 6, 9, 5)),
    ("2016-12-06T10:30:15", dt.datetime(2016, 12, 6, 10, 30, 15)),
    ("2016-12-06 10:30+03:00",
     dt.datetime(2016, 12, 6, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
    ("2016-12-06T08:30Z", dt.datetime(2016, 12, 6, 8, 30, tzinfo=dt.timezone.utc))])
def test_date_with_a_time_of_day(date, expected):
    fields, _ = parse(f"---\ntitle: ع\ndate: {date}\nupdated: {date}\n---\n")
    assert fields["date"] == expected and fields["updated"] == expected


@pytest.mark.parametrize("date", ["2016-12-06 25:00", "2016-12-06 10", "2016-12-06 10:30 pm"])
def test_a_time_of_day_that_is_none_is_a_problem(date):
    assert messages(f"---\ntitle: عنوان\ndate: {date}\n---\n")[0].startswith(
        "content/a.md:3: date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM")


def test_bad_date_names_the_line_of_the_field():
    assert messages("---\ntitle: عنوان\ndate: 12/06/2016\n---\n") == [
        "content/a.md:3: date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got '12/06/2016'"]


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
        "content/a.md:3: date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got '12/06/2016'",
        "content/a.md:4: draft: expected true or false, got 'yes please'",
        "content/a.md:5: lang: expected a language code such as 'ar' or 'en', got 'Arabic'",
        "content/a.md:6: topics: expected a list of text, got {'a': 1}",
    ]


LAUGHS = ('title: &a ["ha","ha","ha","ha","ha","ha","ha","ha","ha"]\n' + "".join(
    f"{k}: &{k} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
    for p, k in zip("abcdefgh", "bcdefghi")))


@pytest.mark.parametrize("yaml_text, line", [
    (LAUGHS, 2),                                   # a billion "ha" in 400 bytes
    ("title: ع\nsource: &s الأناضول\n", 3),        # an anchor alone
    ("title: ع\nx: [1]\nauthor: *x\n", 4),         # an alias alone
])
def test_anchors_and_aliases_are_refused_in_one_line(yaml_text, line):
    assert messages(f"---\n{yaml_text}---\n") == [
        f"content/a.md:{line}: front matter: YAML anchors and aliases (&name, *name) "
        "are not allowed"]


@pytest.mark.parametrize("value, line", [
    ("[" * 20 + "]" * 20, 3),                                  # 21 levels with the mapping
    ("[" * 10_000 + "]" * 10_000, 3),                          # past libyaml's own limit
    ("{a: " * 30 + "x" + "}" * 30, 3),
    ("\n" + "".join("  " * i + "-\n" for i in range(30)) + "  " * 30 + "- x", 23),  # blocks
])
def test_deep_nesting_is_one_error_at_its_line(value, line):
    assert messages(f"---\ntitle: ع\ntopics: {value}\n---\n") == [
        f"content/a.md:{line}: front matter: nested deeper than 20 levels"]


def test_nesting_up_to_the_limit_loads():
    assert messages(f"---\ntitle: ع\ntopics: {'[' * 19}x{']' * 19}\n---\n")[0].startswith(
        "content/a.md:3: topics: expected a list of text, got [[[[")


def test_ordinary_front_matter_skips_the_slow_check(monkeypatch):
    checked = []
    monkeypatch.setattr(yaml_front, "_check_structure", lambda *a: checked.append(a))
    parse("---\ntitle: عنوان\ndate: 2016-12-06\ntopics: [حلب, سوريا]\nread_also:\n"
          "  - خبر أول\n  - خبر ثان\n---\n")
    assert checked == []
    parse("---\ntitle: Q&A\n---\n")
    assert len(checked) == 1


@pytest.mark.parametrize("yaml_text, message", [
    ('title: "حلب \\ud800"', "content/a.md:2: title: contains U+D800, half of a UTF-16 "
     "surrogate pair (an escape such as \"\\ud800\" without its other half), which cannot "
     "be published"),
    ('title: "a\\0b"', "content/a.md:2: title: contains the control character U+0000, "
     "which cannot be published"),
    ('title: ع\ntopics: [حلب, "\\x1b[31m"]', "content/a.md:3: topics: contains the control "
     "character U+001B, which cannot be published"),
])
def test_unpublishable_characters_name_the_field(yaml_text, message):
    assert messages(f"---\n{yaml_text}\n---\n") == [message]


def test_tab_and_newline_escapes_are_text():
    fields, _ = parse('---\ntitle: "سطر\\tأول\\nثان"\n---\n')
    assert fields["title"] == "سطر\tأول\nثان"


def test_a_control_character_typed_into_yaml_is_one_line():
    assert messages("---\ntitle: ع\nsummary: a\x01b\n---\n") == [
        "content/a.md:3: front matter: invalid YAML: unacceptable character U+0001: "
        "special characters are not allowed"]


def test_values_in_messages_are_cut_short():
    [message] = messages("---\ntitle: ع\ndraft: " + "نعم" * 400 + "\n---\n")
    assert message.startswith("content/a.md:3: draft: expected true or false, got 'نعمنعم")
    assert message.endswith("…") and len(message) < 120


def test_unknown_field_names_are_escaped_in_warnings():
    _, warnings = parse("---\ntitle: ع\n\u202egnp.exe: x\n---\n")
    assert warnings[0].message.startswith("unknown field '\\u202egnp.exe' ignored")


@pytest.mark.parametrize("value", ["9" * 5000, "0x" + "f" * 5000, "1" + ":1" * 2000])
def test_numbers_too_long_to_print_are_text(value):
    fields, _ = parse(f"---\ntitle: {value}\n---\n")
    assert fields["title"] == value


@pytest.mark.parametrize("value, reason", [
    ("0b_", "cannot read '0b_' as int (invalid literal for int() with base 2: '')"),
    ("!!int", "cannot read '' as int (string index out of range)"),
    ("!!bool maybe", "cannot read 'maybe' as bool ('maybe')"),
    ("!!float x", "cannot read 'x' as float (could not convert string to float: 'x')"),
    ("!!timestamp 2016-02-30", "cannot read '2016-02-30' as timestamp (day is out of range "
     "for month)"),
])
def test_values_yaml_cannot_make_are_reported_at_their_line(value, reason):
    assert messages(f"---\ntitle: ع\nsummary: {value}\n---\n") == [
        f"content/a.md:3: front matter: invalid YAML: {reason}"]


def test_front_matter_over_the_size_limit_is_refused():
    assert messages("---\ntitle: ع\nsummary: " + "ن" * 40_000 + "\n---\n") == [
        "content/a.md:1: front matter too large: 80020 bytes; the limit is 64 KiB"]


@pytest.mark.parametrize("text, message", [
    ("---\ntitle: Q&A \x01\n---\n", "content/a.md:2: front matter: invalid YAML: unacceptable "
     "character U+0001: special characters are not allowed"),    # refused as the text is read
    ("---\ntitle: Q&A: x\n---\n", "content/a.md:2: front matter: invalid YAML: mapping values "
     "are not allowed here"),                                      # broken, on the slow path
])
def test_the_slow_check_reports_broken_yaml_in_one_line(text, message):
    assert messages(text) == [message]


def test_a_lone_surrogate_in_the_text_itself_is_refused():
    with pytest.raises(WarraqError) as caught:
        parse_front_matter(PATH, "title: \ud800\n")
    assert str(caught.value) == ("content/a.md:2: front matter: invalid YAML: unacceptable "
                                 "character U+D800: special characters are not allowed")


# Hugo's and Jekyll's fields

def read(text: str):
    from generator.readers.markdown_reader import read_markdown
    return read_markdown(PATH, text)


def test_hugo_fields_are_read_as_warraqs():
    raw = read("---\ntitle: ع\ndate: 2016-12-06T14:30:00+03:00\nlastmod: 2016-12-07\n"
               "description: ملخص الخبر\ntags: [حلب, إدلب]\ncategories: [سوريا]\n"
               "aliases: [/2016/12/06/old/]\n---\n\nنص.\n")
    assert (raw.topics, raw.summary, raw.updated, raw.aliases, raw.aliases_line) == (
        ("سوريا", "حلب", "إدلب"), "ملخص الخبر", dt.date(2016, 12, 7), ("/2016/12/06/old/",), 8)
    assert raw.date == dt.datetime(2016, 12, 6, 14, 30,
                                   tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert raw.warnings == ()


def test_jekyll_dates_and_redirect_from():
    raw = read("---\ntitle: ع\ndate: 2016-12-06 14:30:00 +0300\nredirect_from:\n"
               "  - /old.html\n---\n\nنص.\n")
    assert raw.date == dt.datetime(2016, 12, 6, 14, 30,
                                   tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert (raw.aliases, raw.aliases_line) == (("/old.html",), 4)


def test_warraqs_own_fields_win_over_the_other_names_and_topics_are_joined():
    raw = read("---\ntitle: ع\nsummary: ملخصنا\ndescription: ملخصهم\nupdated: 2016-12-08\n"
               "lastmod: 2016-12-07\ntopics: [حلب]\ntags: [حلب, رياضة]\n---\n\nنص.\n")
    assert (raw.summary, raw.updated, raw.topics) == (
        "ملخصنا", dt.date(2016, 12, 8), ("حلب", "رياضة"))


def test_other_generators_fields_are_checked_too():
    assert messages("---\ntitle: ع\nlastmod: yesterday\ntags: {a: 1}\n---\n") == [
        "content/a.md:3: lastmod: expected YYYY-MM-DD or YYYY-MM-DD HH:MM, got 'yesterday'",
        "content/a.md:4: tags: expected a list of text, got {'a': 1}"]


def test_an_unknown_field_reads_the_same_in_every_file():
    """So that a build can count a field unknown to ten thousand files as one line."""
    first = parse_front_matter("content/a.md", "title: ع\nkeywords: [x]\n")[2]
    second = parse_front_matter("content/b/c.md", "title: غ\n\n\nkeywords: y\n")[2]
    assert first[0].message == second[0].message
    assert first[0].message.startswith("unknown field 'keywords' ignored (known: ")
    assert (first[0].path, first[0].line, second[0].path, second[0].line) == (
        "content/a.md", 3, "content/b/c.md", 5)
