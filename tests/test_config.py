"""config.py: load_config — defaults, typed keys, every problem at once, base_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.errors import WarraqError


def load(tmp_path: Path, text: str, **overrides) -> Config:
    path = tmp_path / "warraq.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, **overrides)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(WarraqError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_defaults(tmp_path):
    config = load(tmp_path, "")
    assert config == Config(root=tmp_path)
    assert (config.lang, config.per_page, config.slug_style, config.fallback_date) == (
        "ar", 10, "arabic", None)
    assert config.content_dirs == ("content", "seeds")
    assert config.abs("content") == tmp_path / "content"


def test_no_file_means_defaults_rooted_at_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None) == Config(root=tmp_path)


def test_values_and_topics(tmp_path):
    config = load(tmp_path, 'title = "أخبار"\nper_page = 5\ncontent_dirs = ["news"]\n'
                            '[topics]\n"حلب" = ["حلب", "الحلبي"]\n"سوريا" = "دمشق"\n')
    assert (config.title, config.per_page, config.content_dirs) == ("أخبار", 5, ("news",))
    assert config.topics == (("حلب", ("حلب", "الحلبي")), ("سوريا", ("دمشق",)))


def test_unknown_key_names_the_key_and_its_line(tmp_path):
    [message] = problems(tmp_path, 'title = "x"\n\ncolour = "red"\n')
    assert message.startswith("warraq.toml:3: unknown key 'colour' (known: authors, base_url, ")
    assert "topics" in message


@pytest.mark.parametrize("text, message", [
    ('per_page = "ten"\n', "warraq.toml:1: per_page: expected int, got 'ten'"),
    ("per_page = true\n", "warraq.toml:1: per_page: expected int, got True"),
    ("title = 3\n", "warraq.toml:1: title: expected str, got 3"),
    ('content_dirs = "content"\n', "warraq.toml:1: content_dirs: expected a list of folder names"),
    ('slug_style = "klingon"\n',
     "warraq.toml:1: slug_style: expected one of ('arabic', 'latin'), got 'klingon'"),
    ("related_count = -1\n", "warraq.toml:1: related_count: must not be negative"),
])
def test_wrong_type_or_value(tmp_path, text, message):
    assert problems(tmp_path, text) == [message]


def test_invalid_toml_names_its_line(tmp_path):
    [message] = problems(tmp_path, 'title = "x"\nper_page = \n')
    assert message.startswith("warraq.toml:2: invalid TOML: ")


def test_several_problems_reported_at_once(tmp_path):
    found = problems(tmp_path, 'bogus = 1\nper_page = "ten"\nfallback_date = "yesterday"\n')
    assert found[1:] == [
        "warraq.toml:2: per_page: expected int, got 'ten'",
        "warraq.toml:3: fallback_date: expected a date YYYY-MM-DD, got 'yesterday'",
    ]
    assert found[0].startswith("warraq.toml:1: unknown key 'bogus'")
    assert len(found) == 3


@pytest.mark.parametrize("value", ["2016-12-06", '"2016-12-06"'])
def test_fallback_date_as_toml_date_or_string(tmp_path, value):
    assert load(tmp_path, f"fallback_date = {value}\n").fallback_date == dt.date(2016, 12, 6)


def test_fallback_date_must_not_be_a_datetime(tmp_path):
    [message] = problems(tmp_path, "fallback_date = 2016-12-06T10:00:00\n")
    assert message.startswith("warraq.toml:1: fallback_date: expected a date YYYY-MM-DD")


@pytest.mark.parametrize("base_url, base_path", [
    ("/", "/"), ("", "/"), ("/repo", "/repo/"), ("repo/", "/repo/"), ("/a/b/", "/a/b/"),
    ("https://x.github.io/repo/", "/repo/"), ("https://x.github.io/repo", "/repo/"),
    ("https://example.com", "/"), ("https://example.com/", "/"),
])
def test_base_path(base_url, base_path):
    assert Config(base_url=base_url).base_path == base_path


def test_overrides_win_and_none_is_ignored(tmp_path):
    config = load(tmp_path, 'base_url = "/"\noutput_dir = "out"\n',
                  base_url="https://x.github.io/repo/", output_dir=None)
    assert (config.base_path, config.output_dir) == ("/repo/", "out")


def test_per_page_zero_is_reported(tmp_path):
    [message] = problems(tmp_path, "per_page = 0\n")
    assert "per_page: must be at least 1" in message


def test_topics_error_names_the_table_line(tmp_path):
    [message] = problems(tmp_path, 'title = "x"\n\n[topics]\n"حلب" = ["حلب", 3]\n')
    assert message.startswith("warraq.toml:3: ") or message.startswith("warraq.toml:4: ")
