"""The theme: a site's own templates/, static/ and words.toml over the defaults
that ship with Warraq, file by file (words key by key), kept right by rebuilds
and watched by serve."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import serve as serve_module
from generator.build import build
from generator.config import load_config
from generator.errors import WarraqError
from generator.theme import default_folder, layered_files, theme_of
from generator.words import load_words
from tests.conftest import PROJECT, write_files

ARTICLE = {"content/2016-12-01-a.md": "---\ntitle: خبر عن حلب\ndate: 2016-12-01\n---\n\nنص.\n"}
MASTHEAD = '<header class="masthead">'
RESTYLED = '<header class="masthead restyled">'


@pytest.fixture
def bare(tmp_path: Path):
    """A site with content and warraq.toml only: every template from the defaults."""
    write_files(tmp_path, {**ARTICLE, "warraq.toml": 'fallback_date = "2016-12-06"\n'})
    return tmp_path


def config_of(root: Path):
    return load_config(root / "warraq.toml")


def home(root: Path) -> str:
    return (root / "_site/index.html").read_text("utf-8")


def override_base(root: Path) -> None:
    text = (PROJECT / "templates/base.html").read_text("utf-8")
    assert MASTHEAD in text
    write_files(root, {"templates/base.html": text.replace(MASTHEAD, RESTYLED)})


def test_this_repository_is_one_layer_its_own_defaults(project_config):
    assert default_folder("templates") == PROJECT / "templates"  # a checkout, no wheel
    theme = theme_of(project_config)
    assert theme.templates == (PROJECT / "templates",)
    assert theme.static == (PROJECT / "static",)


def test_a_site_without_templates_or_static_builds_from_the_defaults(bare):
    theme = theme_of(config_of(bare))
    assert theme.templates == (bare / "templates", PROJECT / "templates")
    build(config_of(bare))
    assert MASTHEAD in home(bare)
    for name in ("style.css", "search.js", "favicon.svg"):
        assert (bare / "_site/static" / name).read_bytes() == \
            (PROJECT / "static" / name).read_bytes()


def test_an_overridden_template_wins_and_the_others_still_come_from_the_defaults(bare):
    override_base(bare)
    build(config_of(bare))
    assert RESTYLED in home(bare)
    article = (bare / "_site/articles/خبر-عن-حلب/index.html").read_text("utf-8")
    assert RESTYLED in article and 'class="article' in article  # article.html: the default's


def test_adding_editing_and_removing_an_override_rekeys_the_pages(bare):
    build(config_of(bare))
    cold = home(bare)
    override_base(bare)
    assert "index.html" in build(config_of(bare)).written
    assert RESTYLED in home(bare)
    base = bare / "templates/base.html"
    base.write_text(base.read_text("utf-8").replace("restyled", "restyled again"), "utf-8")
    assert "index.html" in build(config_of(bare)).written
    assert 'class="masthead restyled again"' in home(bare)
    base.unlink()
    assert "index.html" in build(config_of(bare)).written
    assert home(bare) == cold
    assert build(config_of(bare)).written == ()


def test_an_overridden_static_file_wins_file_by_file(bare):
    write_files(bare, {"static/style.css": ".masthead { color: teal; }\n",
                       "static/extra.css": "p {}\n"})
    build(config_of(bare))
    assert (bare / "_site/static/style.css").read_text("utf-8") == ".masthead { color: teal; }\n"
    assert (bare / "_site/static/extra.css").is_file()
    assert (bare / "_site/static/search.js").read_bytes() == \
        (PROJECT / "static/search.js").read_bytes()


def test_layered_files_take_each_path_from_the_first_folder_that_has_it(tmp_path):
    write_files(tmp_path, {"own/a.css": "own", "defaults/a.css": "default",
                           "defaults/b/c.js": "default"})
    found = layered_files((tmp_path / "own", tmp_path / "defaults"))
    assert [(Path(abs_path).read_text(), rel) for abs_path, rel, _ in found] == [
        ("own", "a.css"), ("default", "b/c.js")]


def test_words_merge_key_by_key_per_language(tmp_path):
    write_files(tmp_path, {"templates/words.toml": '[ar]\nhome = "الصفحة الأولى"\n'
                           '[fr]\nhome = "Accueil"\n'})
    words = load_words(tmp_path / "templates", PROJECT / "templates")
    assert words["ar"]["home"] == "الصفحة الأولى"
    assert words["ar"]["read_also"] == "اقرأ أيضاً"  # not overridden: the default's
    assert words["fr"] == {"home": "Accueil"}
    assert words["en"]["home"] == load_words(PROJECT / "templates")["en"]["home"]


def test_an_edited_words_override_rebuilds_the_pages_that_show_the_word(bare):
    build(config_of(bare))
    write_files(bare, {"templates/words.toml": '[ar]\nhome = "الصفحة الأولى"\n'})
    assert "index.html" in build(config_of(bare)).written
    assert ">الصفحة الأولى</a>" in home(bare) and ">المواضيع</a>" in home(bare)


def test_a_broken_words_override_names_its_file(bare):
    write_files(bare, {"templates/words.toml": "[ar\n"})
    with pytest.raises(WarraqError) as caught:
        build(config_of(bare))
    assert str(caught.value.problems[0]).startswith("templates/words.toml:1: ")


def test_serve_watches_the_sites_own_folders_and_sees_a_first_override(bare):
    config = config_of(bare)
    paths = serve_module.watched_paths(config)
    assert bare / "templates" in paths and bare / "static" in paths
    before = serve_module.snapshot(paths)
    override_base(bare)
    after = serve_module.snapshot(paths)
    assert set(after) - set(before) == {str(bare / "templates/base.html")}


def test_serve_watches_this_repositorys_folders_once(project_config):
    paths = serve_module.watched_paths(project_config)
    assert len(paths) == len(set(paths))
    assert paths.count(PROJECT / "templates") == 1
