"""Search: the Pagefind bundle, the Arabic matching keys, and what a reader
sees on search/ in headless Chromium: the right article for each spelling
of a word, excerpts in the article's own words, the topic filter, the site
under /repo/, an English result left to right, and the JavaScript port of
``normalise`` equal to Python's."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from generator.build import build
from generator.config import load_config
from generator import search as search_module
from generator.errors import WarraqError
from generator.search import (SEPARATOR, SearchRecord, index_language, search_content,
                              write_search_index)
from generator.text import normalise, topic_token, words_of
from generator.views import article_url

from .browser import chromium, require_chromium, static_server
from .conftest import PROJECT

FIXTURE = Path(__file__).parent / "sites" / "search"
PHONE_WIDTH = 390
TITLES = {  # the one word each fixture article holds -> its headline
    "إسرائيل": "محادثات جديدة في العاصمة",
    "الوزير": "جولة تفقدية في الميناء",
    "وزير": "تعيين جديد في ديوان المالية",
    "الحكومة": "قرارات لدعم المزارعين",
    "غزة": "انقطاع الكهرباء يطول",
    "مستشفى": "افتتاح قسم للأطفال",
    "مسؤول": "تصريحات حول الموازنة",
    "2016": "حصاد موسم طويل",
    "قطار": "خط سكك يعود إلى العمل",
    "مطار": "رحلات إضافية في العطلة",
    "harbour": "Fishermen return to the old harbour",
}


def searchable_site(root: Path, output: Path, base_url: str = "/") -> Path:
    """The fixture site built into ``output``: its pages, search page and bundle."""
    shutil.copytree(FIXTURE, root)
    for folder in ("templates", "static"):
        shutil.copytree(PROJECT / folder, root / folder)
    build(load_config(root / "warraq.toml", base_url=base_url, output_dir=str(output)))
    return output


def fixture_texts() -> dict[str, str]:
    """Headline -> the article's text with its whitespace collapsed."""
    texts = {}
    for path in sorted((FIXTURE / "content").glob("*.md")):
        source = path.read_text(encoding="utf-8")
        title = re.search(r'^title: "(.*)"$', source, re.M)[1]
        texts[title] = " ".join(source.split("---", 2)[2].split())
    return texts


# ---- the bundle, without a browser ---------------------------------------------

RECORDS = [
    SearchRecord("articles/وزير/", "الوزير في غزة", "2016-12-06", "ar", ("سياسة",),
                 "قال الوزير إن الحكومة تدرس الطلب."),
    SearchRecord("articles/harbour/", "The harbour", "2016-12-05", "en", (), "Boats came back."),
]


def test_content_is_the_text_then_the_keys_it_lacks():
    content = search_content(RECORDS[0])
    text, keys = content.split(SEPARATOR)
    assert text == RECORDS[0].text
    assert keys.startswith(RECORDS[0].title + " ")
    added = [key for key in keys[len(RECORDS[0].title) + 1:].split()
             if key not in {topic_token(name) for name in RECORDS[0].topics}]
    both = RECORDS[0].title + " " + RECORDS[0].text
    assert added == sorted(set(added), key=added.index)  # each key once
    assert set(added) == set(normalise(both).split()) - set(both.lower().split())
    assert {"زير", "حكومه", "غزه", "ان", "طلب"} <= set(added)
    assert "قال" not in added and "في" not in added  # written as they are: no key needed
    assert search_content(RECORDS[1]) == "Boats came back." + SEPARATOR + "The harbour back"


def test_one_index_in_the_language_of_most_records():
    assert index_language(RECORDS + [RECORDS[0]]) == "ar"
    assert index_language([RECORDS[1]]) == "en"
    assert index_language([RECORDS[0], RECORDS[1]]) == "ar"  # a tie: the first code


def test_stale_bundle_is_removed_not_written_into(tmp_path):
    folder = tmp_path / "site"
    (folder / "pagefind" / "fragment").mkdir(parents=True)
    (folder / "pagefind" / "fragment" / "stale.pf_fragment").write_bytes(b"old")
    live = tmp_path / "live.js"
    live.write_text("the live site's copy", encoding="utf-8")
    os.link(live, folder / "pagefind" / "pagefind.js")  # shared with the live site
    written = write_search_index(folder, RECORDS, "/")
    on_disk = sorted(p.relative_to(folder).as_posix()
                     for p in (folder / "pagefind").rglob("*") if p.is_file())
    assert written == on_disk
    assert all((folder / path).stat().st_size > 0 for path in written)
    assert "pagefind/pagefind.js" in written and "pagefind/pagefind-entry.json" in written
    assert "pagefind/fragment/stale.pf_fragment" not in written
    assert not any("-ui." in path for path in written)  # Pagefind's own interfaces: unused
    assert sum(p.startswith("pagefind/fragment/") for p in written) == len(RECORDS)
    assert live.read_text(encoding="utf-8") == "the live site's copy"
    assert (folder / "pagefind" / "pagefind.js").stat().st_ino != live.stat().st_ino


def test_bundle_is_the_same_bytes_every_time(tmp_path):
    def files(folder):
        write_search_index(folder, RECORDS, "/repo/")
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_a_symlinked_bundle_is_replaced_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "pagefind").symlink_to(elsewhere)
    write_search_index(tmp_path / "site", RECORDS, "/")
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "site" / "pagefind").is_symlink()


def test_works_inside_a_running_event_loop(tmp_path):
    async def rebuild():  # as warraq serve rebuilds, from inside its loop
        return write_search_index(tmp_path, RECORDS, "/")

    assert "pagefind/pagefind.js" in asyncio.run(rebuild())


BROKEN = {  # a Pagefind binary that is not there, ends at once, or panics
    "missing": (None, "FileNotFoundError"),
    "exits": ("exit 3", "the pagefind service ended"),
    "panics": ("echo \"thread 'main' panicked at index.rs:1:1, oops\"; exec sleep 30",
               "the pagefind service said: thread 'main' panicked at index.rs:1:1"),
}


@pytest.mark.parametrize("binary", sorted(BROKEN))
def test_a_broken_pagefind_is_one_problem(tmp_path, monkeypatch, binary):
    script, said = BROKEN[binary]
    fake = tmp_path / "pagefind"
    if script:
        fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
        fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    monkeypatch.setattr(search_module, "_STOP_SECONDS", 0.2)  # then it is killed
    (tmp_path / "site" / "pagefind").mkdir(parents=True)
    (tmp_path / "site" / "pagefind" / "pagefind.js").write_text("the last good one")
    with pytest.raises(WarraqError) as raised:
        write_search_index(tmp_path / "site", RECORDS, "/")
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == ("pagefind", 0)
    assert str(problem).startswith("pagefind: search: ") and said in problem.message
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").read_text() == "the last good one"


# ---- in the browser --------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site at / and under /repo/, and a phone-sized page."""
    require_chromium()
    work = tmp_path_factory.mktemp("search")
    searchable_site(work / "src", work / "out")
    (work / "www").mkdir()
    searchable_site(work / "src-repo", work / "www" / "repo", base_url="/repo/")
    shutil.copytree(work / "out", work / "many")  # the same pages, a bundle of MANY records
    write_search_index(work / "many", [
        SearchRecord(f"articles/{n}/", f"نشرة رقم {n}", f"2016-01-{n:02}", "ar", (),
                     f"نشرة الطقس اليومية رقم {n}.") for n in range(1, MANY + 1)], "/")
    with static_server(work / "out") as root, static_server(work / "www") as parent, \
            static_server(work / "many") as many, chromium() as browser:
        page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield {"root": root, "repo": parent + "/repo", "many": many, "page": page, "errors": errors,
               "browser": browser, "work": work}


MANY = 23
RESULT_FIELDS = """els => els.map(e => ({
    title: e.querySelector("h2 a").textContent,
    href: e.querySelector("h2 a").getAttribute("href"),
    excerpt: e.querySelector(".search-excerpt").textContent,
    marks: Array.from(e.querySelectorAll("mark"), m => m.textContent),
    date: e.querySelector("time").getAttribute("datetime"),
    lang: e.lang, dir: getComputedStyle(e).direction,
    titleDir: getComputedStyle(e.querySelector("h2")).direction,
    align: getComputedStyle(e.querySelector(".search-excerpt")).textAlign}))"""


def search(served, query: str, topic: str = "", base: str = "root") -> list[dict]:
    page = served["page"]
    params = {"q": query, **({"topic": topic} if topic else {})}
    response = page.goto(served[base] + "/search/?" + urlencode(params, quote_via=quote))
    assert response is not None and response.status == 200
    page.wait_for_selector(".search-status:not([hidden])")
    errors = served["errors"][:]
    served["errors"].clear()
    assert errors == []
    return page.eval_on_selector_all(".search-result", RESULT_FIELDS)


QUERIES = [
    ("اسرائيل", "إسرائيل"), ("الوزير", "وزير"), ("وزير", "الوزير"), ("والحكومة", "الحكومة"),
    ("غزه", "غزة"), ("مستشفي", "مستشفى"), ("مسئول", "مسؤول"), ("٢٠١٦", "2016"),
    ("۲۰۱۶", "2016"), ("قِطَارٌ", "قطار"), ("مطـــار", "مطار"), ("Harbour", "harbour"),
]


@pytest.mark.parametrize(("query", "written"), QUERIES, ids=[q for q, _ in QUERIES])
def test_each_spelling_finds_its_article(served, query, written):
    titles = [r["title"] for r in search(served, query)]
    assert TITLES[written] in titles
    others = {TITLES["الوزير"], TITLES["وزير"]} if written in ("الوزير", "وزير") else set()
    assert set(titles) <= {TITLES[written]} | others, titles


def test_the_box_holds_the_query_and_the_page_says_how_many(served):
    search(served, "والحكومة")
    page = served["page"]
    assert page.input_value("#search-q") == "والحكومة"
    assert page.inner_text(".search-status") == "عدد النتائج: 1"  # digits as Babel writes dates


def test_no_result_says_so(served):
    assert search(served, "بطريق") == []
    assert served["page"].inner_text(".search-status") == "لا مقالات تطابق هذا البحث."


@pytest.mark.parametrize(("query", "written"), QUERIES, ids=[q for q, _ in QUERIES])
def test_excerpts_are_the_articles_own_words(served, query, written):
    texts = fixture_texts()
    for result in search(served, query):
        excerpt = result["excerpt"].removeprefix("… ").removesuffix(" …")
        assert excerpt and excerpt in texts[result["title"]], result
        assert result["marks"], result  # the matched word is marked
        for mark in result["marks"]:
            assert re.search(rf"(?<!\w){re.escape(mark)}(?!\w)", texts[result["title"]])
    [mine] = [r for r in search(served, query) if r["title"] == TITLES[written]]
    assert mine["marks"] == [written]


def test_topic_filter_narrows_the_results(served):
    assert len(search(served, "وزير")) == 2
    [politics] = search(served, "وزير", topic="سياسة")
    assert politics["title"] == TITLES["الوزير"]
    [economy] = search(served, "وزير", topic="اقتصاد")
    assert economy["title"] == TITLES["وزير"]
    assert served["page"].input_value("#search-topic") == "اقتصاد"


def test_a_topic_alone_lists_its_articles_newest_first(served):
    dates = [r["date"] for r in search(served, "", topic="صحة")]
    assert dates == ["2015-03-06", "2015-03-05"]


def test_results_read_right_to_left_and_start_on_the_right(served):
    [result] = search(served, "غزه")
    assert (result["lang"], result["dir"], result["titleDir"]) == ("ar", "rtl", "rtl")
    assert result["align"] in ("start", "right")
    page = served["page"]
    box = page.locator(".search-result").first.bounding_box()
    title = page.locator(".search-result h2 a").first.bounding_box()
    assert abs((box["x"] + box["width"]) - (title["x"] + title["width"])) < 2


def test_english_result_reads_left_to_right(served):
    [result] = search(served, "harbour")
    assert (result["lang"], result["dir"], result["titleDir"]) == ("en", "ltr", "ltr")
    assert result["marks"] == ["harbour"]


def test_result_links_open_the_article(served):
    [result] = search(served, "مستشفي")
    assert result["href"] == "/" + quote(article_url("افتتاح-قسم-للأطفال"))
    served["page"].click(".search-result h2 a")
    served["page"].wait_for_load_state()
    assert served["page"].inner_text("h1") == TITLES["مستشفى"]


def test_search_under_a_base_path(served):
    [result] = search(served, "والحكومة", base="repo")
    assert result["title"] == TITLES["الحكومة"]
    assert result["href"].startswith("/repo/articles/")
    served["page"].click(".search-result h2 a")
    served["page"].wait_for_load_state()
    assert served["page"].inner_text("h1") == TITLES["الحكومة"]


def test_masthead_form_reaches_the_search_page(served):
    page = served["page"]
    page.goto(served["repo"] + "/")
    page.fill("#site-search-q", "غزة")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".search-status:not([hidden])")
    assert page.url.startswith(served["repo"] + "/search/?q=")
    assert [r["title"] for r in page.eval_on_selector_all(".search-result", RESULT_FIELDS)] == [
        TITLES["غزة"]]


def test_without_javascript_the_page_points_to_the_topics(served):
    context = served["browser"].new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served["repo"] + "/")
        assert page.get_attribute("form.site-search", "action") == "/repo/search/"
        page.goto(served["repo"] + "/search/?q=x")
        assert page.locator(".search-no-script").is_visible()
        links = page.eval_on_selector_all(".search-no-script a", "els => els.map(a => a.pathname)")
        assert links and all(link.startswith("/repo/topics/") for link in links)
    finally:
        context.close()


def test_more_results_come_ten_at_a_time(served):
    assert len(search(served, "نشره", base="many")) == 10
    page = served["page"]
    assert page.inner_text(".search-status") == f"عدد النتائج: {MANY}"
    for shown in (20, MANY):
        page.click(".search-more")
        page.locator(".search-result").nth(shown - 1).wait_for()
    assert page.locator(".search-more").is_hidden()
    titles = page.eval_on_selector_all(".search-result h2", "els => els.map(e => e.textContent)")
    assert len(set(titles)) == MANY


def test_search_works_without_a_web_worker(served):
    """Pagefind falls back to the page itself, where the Content-Security-Policy
    applies to its WebAssembly: 'wasm-unsafe-eval' lets it compile."""
    context = served["browser"].new_context()
    try:
        page = context.new_page()
        page.add_init_script("delete window.Worker;")
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(served["root"] + "/search/?q=" + quote("غزه"))
        page.wait_for_selector(".search-status:not([hidden])")
        assert page.evaluate("typeof Worker") == "undefined"
        assert page.inner_text(".search-result h2") == TITLES["غزة"]
        assert errors == []
    finally:
        context.close()


def test_no_sideways_scroll_on_a_phone(served):
    search(served, "وزير")
    page = served["page"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


# ---- the JavaScript normalise is Python's ------------------------------------------

def demo_words() -> list[str]:
    """Every distinct whitespace-separated word of the demo content and the seed,
    punctuation and all, and a few spellings the demo does not use."""
    words = set()
    for folder in ("content", "seeds"):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.suffix in (".md", ".txt"):
                words.update(path.read_text(encoding="utf-8").split())
    words.update(["قِطَارٌ", "مطـــار", "٢٠١٦", "۲۰۱۶", "مسئول", "مسؤول", "ﻻجئ", "وللاجئين",
                  "Straße", "ΟΔΟΣ", "İstanbul", "UNICEF", "ٱلله", "فالكتاب", "بالمدرسة"])
    return sorted(words)


def test_javascript_normalise_is_pythons_for_every_demo_word(served):
    words = demo_words()
    assert len(words) >= 300
    page = served["page"]
    page.goto(served["root"] + "/search/")
    got = page.evaluate("ws => ws.map(w => warraqSearch.normalise(w))", words)
    wrong = [(w, normalise(w), js) for w, js in zip(words, got) if normalise(w) != js]
    assert wrong == []


def test_javascript_words_are_pythons_for_every_character(served):
    """Each character Python's Unicode database knows, alone and inside a word."""
    known = [chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")]
    samples = known + ["ب" + c + "ب" for c in known if ord(c) < 0x3000]
    page = served["page"]
    page.goto(served["root"] + "/search/")
    got = page.evaluate("ws => ws.map(w => warraqSearch.wordsOf(w).join(' '))", samples)
    wrong = [(f"{ord(s[-2 if len(s) == 3 else 0]):04X}", " ".join(words_of(s)), js)
             for s, js in zip(samples, got) if " ".join(words_of(s)) != js]
    assert wrong == []
