"""build: end to end on a small site — incremental writes, errors, drafts, assets, determinism."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urljoin

import pytest

from generator.build import build
from generator.errors import WarraqError


def md(slug: str, date: str, topic: str, body: str, extra: str = "") -> str:
    return (f'---\ntitle: "خبر {slug}"\ndate: {date}\nslug: {slug}\ntopics: ["{topic}"]\n'
            f'summary: "ملخص {slug}"\n{extra}---\n\n{body}\n')


FILES = {
    "content/2016-12-01-aleppo.md": md("aleppo", "2016-12-01", "حلب",
                                       "قصف عنيف على أحياء حلب الشرقية."),
    "content/2016-12-02-siege.md": md("siege", "2016-12-02", "حلب", "حصار خانق وقصف على حلب."),
    "content/2016-12-03-race.md": md("race", "2016-12-03", "رياضة",
                                     "عداءة تفوز بسباق فيينا الخيري."),
    "content/images/map.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}
BAD = "---\ntitle: خبر\ndate: 12/06/2016\n---\n\nنص.\n"


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(make_site, tmp_path):
    config = make_site(FILES)
    return config, tmp_path, tmp_path / "_site"


def test_second_build_writes_nothing(site):
    config, _, out = site
    first = build(config)
    assert "articles/aleppo/index.html" in first.written and first.unchanged == 0
    before = snapshot(out)
    second = build(config)
    assert second.written == () and second.removed == ()
    assert second.unchanged == len(first.written)
    assert snapshot(out) == before


def test_editing_one_body_rewrites_only_the_pages_that_show_it(site):
    config, root, _ = site
    build(config)
    path = root / "content/2016-12-01-aleppo.md"
    path.write_text(path.read_text("utf-8").replace("عنيف", "عنيف جداً"), "utf-8")
    report = build(config)
    assert "articles/aleppo/index.html" in report.written
    assert "articles/race/index.html" not in report.written
    assert [p for p in report.written if not p.startswith("pagefind/")] == [
        "articles/aleppo/index.html"]  # summaries are fixed; the search index follows the text


def test_content_error_leaves_the_previous_site_untouched(site):
    config, root, out = site
    build(config)
    before = snapshot(out)
    (root / "content/2016-12-04-bad.md").write_text(BAD, "utf-8")
    (root / "content/2016-12-01-aleppo.md").write_text(FILES["content/2016-12-01-aleppo.md"]
                                                       .replace("عنيف", "جديد"), "utf-8")
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert caught.value.exit_code == 1
    assert str(caught.value) == ("content/2016-12-04-bad.md:3: date: expected YYYY-MM-DD or "
                                 "YYYY-MM-DD HH:MM, got '12/06/2016'")
    assert snapshot(out) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("_site")) == ["_site"]


def test_template_error_half_way_leaves_the_previous_site_untouched(site):
    config, root, out = site
    build(config)
    before = snapshot(out)
    card = root / "templates/partials/article_card.html"
    card.write_text(card.read_text("utf-8").replace("</article>", "<!-- x --></article>"),
                    "utf-8")  # listing pages change and are staged before the failure
    article = root / "templates/article.html"
    article.write_text(article.read_text("utf-8").replace("{% block main %}",
                                                          "{% block main %}{{ page.nope }}"),
                       "utf-8")
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert caught.value.exit_code == 2
    line = article.read_text("utf-8").split("\n").index("{% block main %}{{ page.nope }}") + 1
    assert str(caught.value) == f"templates/article.html:{line}: template: 'dict object' " \
        "has no attribute 'nope'"
    assert snapshot(out) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("_site")) == ["_site"]


def test_keep_going_publishes_the_good_articles(site):
    config, root, out = site
    (root / "content/2016-12-04-bad.md").write_text(BAD, "utf-8")
    report = build(config, keep_going=True)
    assert report.skipped == ("content/2016-12-04-bad.md",)
    assert any(p.is_error for p in report.problems)
    assert {p.parent.name for p in out.glob("articles/*/index.html")} == {
        "aleppo", "siege", "race"}


def test_drafts_are_not_published(make_site, tmp_path):
    draft = md("secret", "2016-12-05", "حلب", "لم يحرر بعد.", extra="draft: true\n")
    build(make_site(dict(FILES, **{"content/2016-12-05-secret.md": draft})))
    out = tmp_path / "_site"
    assert not (out / "articles/secret").exists()
    assert "secret" not in (out / "index.html").read_text("utf-8")
    assert (out / "articles/aleppo/index.html").exists()


def test_assets_beside_content_and_static_files_are_copied(site):
    config, root, out = site
    build(config)
    assert (out / "images/map.svg").read_bytes() == (root / "content/images/map.svg").read_bytes()
    assert (out / "static/style.css").read_bytes() == (root / "static/style.css").read_bytes()
    assert not list(out.rglob("*.md"))


def test_same_asset_in_two_content_folders_is_a_reported_error(make_site):
    config = make_site(dict(FILES, **{"seeds/images/map.svg": "<svg/>"}))
    with pytest.raises(WarraqError) as caught:
        build(config)
    assert str(caught.value) == ("seeds/images/map.svg:1: 'images/map.svg' in the site is "
                                 "also produced by content/images/map.svg")
    assert caught.value.exit_code == 1


def test_hidden_folders_beside_content_are_not_published(make_site, tmp_path):
    build(make_site(dict(FILES, **{"content/.git/config": "secret",
                                   "content/.trash/old.txt": "خبر محذوف\n\nنص قديم.\n"})))
    published = {p.relative_to(tmp_path / "_site").as_posix()
                 for p in (tmp_path / "_site").rglob("*")}
    assert not any(".git" in p or "محذوف" in p for p in published)


def test_image_beside_content_is_reachable_from_the_markdown_body(make_site, tmp_path):
    body = "نص.\n\n![خريطة](images/map.svg)"
    files = dict(FILES, **{"content/2016-12-05-map.md": md("map", "2016-12-05", "حلب", body)})
    build(make_site(files, base_url="/repo/"))
    page = (tmp_path / "_site/articles/map/index.html").read_text("utf-8")
    src = re.search(r'<img alt="خريطة" src="([^"]+)"', page)[1]
    assert urljoin("/repo/articles/map/", src) == "/repo/images/map.svg"


def test_two_builds_are_byte_identical(site):
    config, root, out = site
    build(config)
    build(replace(config, output_dir="_other"))
    first, second = snapshot(out), snapshot(root / "_other")
    assert first.keys() == second.keys() and len(first) > 10
    assert all(first[k][0] == second[k][0] for k in first)
