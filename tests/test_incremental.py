"""Incremental builds: after any sequence of edits, the output (and the
problems reported) equal a cold build's; and an edit rewrites only the pages
that show what it changed."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from generator import cache, parallel
from generator.build import build, load_site
from generator.cache import CACHE_DIR, CACHE_FILE
from generator.config import load_config
from generator.incremental import relations_changed
from generator.plan import plan_outputs
from generator.views import Page, Shown

from .conftest import PROJECT, copy_demo, write_files

ARTICLE = "content/2016-12-05-security-council-veto.md"
FUEL = "content/2016-11-26-damascus-fuel-prices.md"  # no article links to it
SCHOOLS = "content/2016-11-22-children-out-of-school.md"  # the Idlib camps story links it
LEAD_STORY = "content/2016-12-10-paris-meeting-aleppo.md"  # the demo's one featured article


def pages_of(paths) -> tuple[str, ...]:
    """The paths that are not the search index (which follows every text edit)."""
    return tuple(p for p in paths if not p.startswith("pagefind/"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo site (content, seeds, templates, static, config) in a scratch folder."""
    root = tmp_path / "site"
    copy_demo(root)
    return root


def cold_build(root: Path, scratch: Path):
    """Build a copy of ``root`` without its output or cache: the reference."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("_site*", CACHE_DIR))
    if (root / CACHE_DIR / "images").is_dir():  # the photographs, derived once: not pages
        shutil.copytree(root / CACHE_DIR / "images", scratch / CACHE_DIR / "images")
    report = build(load_config(scratch / "warraq.toml"))
    return report, tree(scratch / "_site")


def first_wire_article(root: Path) -> Path:
    return sorted((root / "content").glob("*.txt"))[0]


def body_edit(root):
    edit(root / ARTICLE, "\n\nونال", "\n\nفقرة أضافها المحرر.\n\nونال")


def summary_edit(root):
    path = first_wire_article(root)
    lines = path.read_text("utf-8").split("\n")
    lines[2] = "تصحيح في مطلع الخبر: " + lines[2]
    path.write_text("\n".join(lines), "utf-8")


def front_matter_summary_edit(root):
    edit(root / FUEL, 'summary: "', 'summary: "تحديث: ')


def linked_summary_edit(root):
    edit(root / SCHOOLS, 'summary: "', 'summary: "محدث: ')


def headline_edit(root):
    path = first_wire_article(root)
    text = path.read_text("utf-8")
    path.write_text("عاجل: " + text, "utf-8")


def add_article(root):
    (root / "content/2016-12-09-new.md").write_text(
        '---\ntitle: "خبر جديد عن حلب"\ndate: 2016-12-09\ntopics: ["حلب"]\n---\n\n'
        "نص الخبر الجديد عن حلب وريفها.\n\nاقرأ أيضاً: فيتو روسي صيني يسقط مشروع قرار "
        "لهدنة في حلب\n", "utf-8")


def feature_another_article(root):
    """The lead story no longer featured, an older one featured: the lead moves to it."""
    edit(root / LEAD_STORY, "featured: true", "featured: false")
    edit(root / FUEL, 'summary: "', 'featured: true\nsummary: "')


def delete_article(root):
    (root / ARTICLE).unlink()


def template_edit(root):
    edit(root / "templates/partials/article_card.html", "</article>", "</article>\n<!-- -->")


def static_edit(root):
    with (root / "static/style.css").open("a", encoding="utf-8") as css:
        css.write("\n/* edited */\n")


def make_draft(root):
    edit(root / "content/2016-12-09-new.md", "date: 2016-12-09", "date: 2016-12-09\ndraft: true")


def damage_outputs(root):
    (root / "_site/topics/index.html").unlink()
    (root / "_site/404.html").write_text("edited by hand", "utf-8")


def config_edit(root):
    with (root / "warraq.toml").open("a", encoding="utf-8") as config:
        config.write("\n# a comment changes nothing\n")
    edit(root / "warraq.toml", "per_page", "per_page = 2\n#per_page")


def bad_file(root):
    (root / "content/2016-12-10-bad.md").write_text("---\ntitle: [\n---\n", "utf-8")


EDITS = [body_edit, summary_edit, front_matter_summary_edit, linked_summary_edit,
         headline_edit, add_article, feature_another_article, template_edit, static_edit,
         make_draft, damage_outputs, delete_article, config_edit]


@pytest.mark.parametrize("workers", ["serial", "parallel"])
def test_any_sequence_of_edits_builds_what_a_cold_build_does(demo, tmp_path, monkeypatch,
                                                              workers):
    if workers == "parallel":
        monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
        monkeypatch.setattr(parallel, "worker_count", lambda: 2)
    build(load_config(demo / "warraq.toml"))
    for step in EDITS:
        step(demo)
        report = build(load_config(demo / "warraq.toml"))
        cold_report, cold = cold_build(demo, tmp_path / "cold")
        assert tree(demo / "_site") == cold, f"after {step.__name__}"
        assert report.problems == cold_report.problems, f"after {step.__name__}"


def test_keep_going_builds_match_cold_ones_too(demo, tmp_path):
    config = load_config(demo / "warraq.toml")
    build(config)
    bad_file(demo)
    report = build(config, keep_going=True)
    assert report.skipped == ("content/2016-12-10-bad.md",)
    again = build(config, keep_going=True)
    assert again.written == () and again.skipped == report.skipped
    body_edit(demo)
    build(config, keep_going=True)
    shutil.copytree(demo, tmp_path / "cold", ignore=shutil.ignore_patterns("_site*", CACHE_DIR))
    build(load_config(tmp_path / "cold/warraq.toml"), keep_going=True)
    assert tree(demo / "_site") == tree(tmp_path / "cold/_site")


def test_a_body_edit_rewrites_only_that_article(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    edit(demo / ARTICLE, "فيما صوتت", "فيما صوّتت")  # its words, so its related, stay
    written = pages_of(build(config).written)
    assert len(written) == 1 and written[0].startswith("articles/")
    assert "فيما صوّتت" in (demo / "_site" / written[0]).read_text("utf-8")
    assert pages_of(build(config).written) == ()


def test_a_summary_edit_rewrites_the_article_and_the_listings_that_show_it(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    before = tree(demo / "_site")
    front_matter_summary_edit(demo)
    written = set(pages_of(build(config).written))
    showing = {path for path, data in tree(demo / "_site").items()
               if "تحديث: " in data.decode("utf-8", "replace")}
    assert written == showing
    assert len([p for p in written if p.startswith("articles/")]) == 1
    assert any(p.startswith("page/") for p in written)  # the home listing page that lists it
    assert {p for p, data in before.items() if tree(demo / "_site")[p] != data} == written


def test_a_linked_articles_summary_edit_rewrites_the_cards_that_show_it(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    linked_summary_edit(demo)
    written = set(pages_of(build(config).written))
    showing = {path for path, data in tree(demo / "_site").items()
               if "محدث: " in data.decode("utf-8", "replace")}
    assert written == showing
    assert any(p.startswith("articles/1-5-") for p in written)


def test_a_headline_edit_rewrites_every_page_that_shows_the_headline(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    old_name = first_wire_article(demo).read_text("utf-8").split("\n")[0]
    headline_edit(demo)
    report = build(config)
    site = demo / "_site"
    showing = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
               if old_name in p.read_text("utf-8")}
    assert showing <= set(report.written)
    assert len(pages_of(report.removed)) == 1  # the old slug's page


def test_a_card_template_edit_rerenders_listings_not_articles(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    template_edit(demo)
    written = pages_of(build(config).written)
    assert "index.html" in written and written
    assert not [p for p in written if p.startswith("articles/")]


def test_a_cache_from_another_configuration_is_not_used(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    other = load_config(demo / "warraq.toml", base_url="/repo/")
    report = build(other)
    assert "index.html" in report.written
    assert 'href="/repo/' in (demo / "_site/index.html").read_text("utf-8")


def test_bodies_missing_from_the_cache_are_read_again(demo, tmp_path):
    import sqlite3
    config = load_config(demo / "warraq.toml")
    build(config)
    with sqlite3.connect(demo / CACHE_DIR / CACHE_FILE) as connection:
        connection.execute("DELETE FROM bodies")
    edit(demo / "templates/article.html", "<article", "<!-- edited --><article")
    report = build(config)
    assert len([p for p in report.written if p.startswith("articles/")]) == 14
    assert tree(demo / "_site") == cold_build(demo, tmp_path / "cold")[1]


def _aged(root: Path) -> None:
    """Every file of the project as if saved a minute ago: old enough for a
    build to trust its size and time (newer ones are always read again)."""
    past = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


def _first_body_line_edited(path: Path) -> None:
    """A dash put before the first paragraph (and the summary, if the front
    matter has one): the summary and body change, the relations do not."""
    lines = path.read_text("utf-8").split("\n")
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 1
    body = next(i for i in range(start, len(lines))
                if lines[i].strip() and not lines[i].startswith(("#", "اقرأ")))
    lines[body] = "— " + lines[body]  # not a word: the salient terms stay
    lines = [line.replace('summary: "', 'summary: "— ', 1) for line in lines]
    path.write_text("\n".join(lines), "utf-8")


def _visibly_edited(template: Path) -> None:
    """A comment added where the template renders it: before its last block ends
    (what a child template has outside blocks is never rendered), else a space
    at its end."""
    text = template.read_text("utf-8")
    at = text.rfind("{% endblock %}")
    template.write_text(text[:at] + "<!-- -->" + text[at:] if at >= 0 else text + " ", "utf-8")


def _kinds(root: Path) -> dict[str, Page]:
    """One page of every kind the site has (by template), from the planner itself."""
    config = load_config(root / "warraq.toml")
    kinds: dict[str, Page] = {}
    for page in plan_outputs(load_site(config).site, config):
        kinds.setdefault(page.template, page)
    return kinds


def test_every_output_kind_follows_an_edit_to_what_it_shows(demo, tmp_path):
    """For each kind of output the planner makes (none named here), edit the
    articles its view reads: it is rewritten exactly when its view changed
    (a page that shows only headlines does not change with a body); then edit
    its template, and it is. Each incremental build equals a cold one, by the
    shortcut, not by relating all."""
    kinds = _kinds(demo)
    assert {"article.html", "index.html", "topic.html", "404.html"} <= kinds.keys()
    for template, page in kinds.items():
        before = _view_now(demo, page.output_path)
        build(load_config(demo / "warraq.toml"))
        for slug in (read for read in before[1] if isinstance(read, str)):  # the articles
            _first_body_line_edited(demo / before[2].articles[slug].source)
        report = build(load_config(demo / "warraq.toml"))
        assert tree(demo / "_site") == cold_build(demo, tmp_path / "cold")[1], template
        assert not report.work["related"], f"{template}: the relations did not change"
        changed = _view_now(demo, page.output_path)[0] != before[0]
        assert (page.output_path in report.written) == changed, template
        _visibly_edited(demo / "templates" / template)
        report = build(load_config(demo / "warraq.toml"))
        assert tree(demo / "_site") == cold_build(demo, tmp_path / "cold")[1], template
        assert page.output_path in report.written, template


def _view_now(root: Path, output_path: str):
    """(view, articles it read, site) of one output, as the planner makes it now."""
    config = load_config(root / "warraq.toml")
    loaded = load_site(config)
    page = next(p for p in plan_outputs(loaded.site, config) if p.output_path == output_path)
    shown = Shown(loaded.site, loaded.digests)
    return page.view(shown), set(shown.read), loaded.site


def test_a_build_with_nothing_changed_reads_only_the_stamps(demo, monkeypatch):
    config = load_config(demo / "warraq.toml")
    build(config)
    _aged(demo)
    build(config)  # trusts the aged stamps from now on
    loaded = _records_read(monkeypatch)
    report = build(config)
    assert report.written == () and report.removed == ()
    assert report.work == {"parsed": 0, "related": False, "patched": False, "keyed": 0,
                           "indexed": False}
    assert loaded == ["stamps"]  # not the snapshot: the no-change path ran


def _records_read(monkeypatch) -> list[str]:
    """The names of the cache records the next builds read, as they read them."""
    loaded: list[str] = []
    original = cache.load_record
    monkeypatch.setattr("generator.build.load_record",
                        lambda c, name, kind=object: loaded.append(name) or original(c, name, kind))
    return loaded


def test_a_body_edit_takes_the_shortcut_and_keys_only_pages_that_read_it(demo, monkeypatch):
    config = load_config(demo / "warraq.toml")
    build(config)
    _aged(demo)
    build(config)
    edit(demo / ARTICLE, "فيما صوتت", "فيما صوّتت")
    records = _records_read(monkeypatch)
    report = build(config)
    assert report.work["parsed"] == 1 and report.work["patched"]
    assert not report.work["related"]
    # the pages' identities are not compared; the templates' code serves the pages made
    assert list(dict.fromkeys(name.partition(".")[0] for name in records)) == [
        "stamps", "snapshot", "templates"]
    loaded = load_site(config)
    slug = next(s for s, a in loaded.site.articles.items() if a.source == ARTICLE)
    reading = []
    for page in plan_outputs(loaded.site, config):
        shown = Shown(loaded.site, loaded.digests)
        page.view(shown)
        reading += [page.output_path] if slug in shown.read else []
    assert report.work["keyed"] == len(reading) < len(plan_outputs(loaded.site, config))


def test_articles_in_a_site_carry_no_body_in_tests_as_in_builds(demo):
    config = load_config(demo / "warraq.toml")
    site = load_site(config).site
    assert not any(hasattr(article, "blocks") or hasattr(article, "body")
                   for article in site.articles.values())


def test_an_edited_xml_template_remakes_its_outputs(demo):
    """Templates of any extension are digested (the manifest's, a feed's …)."""
    config = load_config(demo / "warraq.toml")
    build(config)
    edit(demo / "templates/manifest.webmanifest", "{", "{ ", )
    assert "manifest.webmanifest" in pages_of(build(config).written)


def _keyed_again(config, build_change) -> tuple[list, set, dict]:
    """Build, make ``build_change``, build again: (the pages the second build
    should key, by what each page's plan and recorded reads were before and
    what changed in the relations; the report's counts; the identities after)."""
    build(config)
    loaded = load_site(config)
    before, reads = {}, {}
    for page in plan_outputs(loaded.site, config):
        shown = Shown(loaded.site, loaded.digests)
        page.view(shown)
        before[page.output_path], reads[page.output_path] = page.identity, frozenset(shown.read)
    build_change()
    report = build(config)
    after = load_site(config).site
    changed = relations_changed(loaded.site, after)
    planned = plan_outputs(after, config)
    expected = [p for p in planned if p.identity is None or p.output_path not in before
                or before[p.output_path] != p.identity
                or not reads[p.output_path].isdisjoint(changed)]
    return expected, report, planned


def test_an_added_article_keys_only_the_pages_whose_plan_or_reads_changed(demo, tmp_path):
    """The relations change, so every page planned from them is keyed again;
    a page planned apart (an article's, a listing page, a feed, a sitemap
    part) only when what the plan gave it differs from the last build's, or
    when its view read an entry that changed."""
    edit(demo / "warraq.toml", "# site_url", "site_url")  # feeds and sitemaps too
    config = load_config(demo / "warraq.toml")
    expected, report, planned = _keyed_again(config, lambda: add_article(demo))
    apart = [p for p in planned if p.identity is not None]
    assert {p.template for p in apart} >= {"article.html", "index.html", "topic.html",
                                           "month.html", "feed.xml", "sitemap.xml"}
    assert report.work["related"] and report.work["keyed"] == len(expected)
    assert len(expected) < len(planned) - len(apart) // 2
    assert tree(demo / "_site") == cold_build(demo, tmp_path / "cold")[1]


NEWEST = "---\ntitle: \"{title}\"\ndate: {date}\ntopics: [\"حلب\"]\n---\n\n{text}\n"


def test_the_newest_article_keys_no_full_listing_page(make_site, tmp_path):
    """News arrives at the newest end: the full pages of a listing, numbered
    from the oldest, plan as they did, so they are not even keyed again."""
    def article(n: int) -> dict[str, str]:
        return {f"content/a{n}.md": NEWEST.format(title=f"خبر رقم {n} عن حلب",
                                                 date=f"2016-12-{n:02d}", text=f"نص {n}.")}
    config = make_site({k: v for n in range(1, 8) for k, v in article(n).items()},
                       'fallback_date = "2016-12-06"\nper_page = 2\n'
                       'site_url = "https://example.org/"\n')
    expected, report, planned = _keyed_again(
        config, lambda: write_files(tmp_path, article(8)))
    full = {f"{base}page/{n}/index.html" for base in ("", "topics/حلب/") for n in (1, 2)}
    assert full <= {p.output_path for p in planned}
    assert not full & {p.output_path for p in expected}
    assert not full & set(report.written)
    assert report.work["keyed"] == len(expected) < len(planned)


def test_an_owed_index_is_made_by_a_build_with_nothing_else_to_do(demo):
    """serve builds without the index (owed), then a child builds with it:
    with no source changed since, that build reads the site only for the index."""
    config = load_config(demo / "warraq.toml")
    _aged(demo)
    assert build(config, index=False).work["index_owed"]
    assert not (demo / "_site/pagefind").exists()
    report = build(config)
    assert report.work["parsed"] == 0 and report.work["keyed"] == 0 and report.work["indexed"]
    assert (demo / "_site/pagefind/pagefind.js").is_file()
    assert build(config).work == {"parsed": 0, "related": False, "patched": False,
                                  "keyed": 0, "indexed": False}


def test_featuring_another_article_moves_the_front_pages_lead(demo):
    config = load_config(demo / "warraq.toml")
    build(config)
    lead = _lead_headline(demo)
    feature_another_article(demo)
    build(config)
    assert _lead_headline(demo) not in ("", lead)


def _lead_headline(root: Path) -> str:
    page = (root / "_site/index.html").read_text("utf-8")
    found = re.search(r'class="lead-title"[^>]*><a [^>]*>(.*?)</a>', page, re.S)
    return found.group(1) if found else ""
