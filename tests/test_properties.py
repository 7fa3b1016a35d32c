"""Property tests: hostile or broken text never escapes the readers as anything
but WarraqError, Markdown never yields ill-formed HTML or a script URL, the
normaliser is idempotent and a slug is always a safe path segment.

The inputs mix arbitrary Unicode with what breaks parsers: bidi controls,
NUL, lone surrogates (raw, and as YAML escapes), long runs and deep nesting.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.errors import WarraqError
from generator.readers import markdown_convert, read_source
from generator.readers.frontmatter import MAX_DEPTH, parse_front_matter
from generator.readers.yaml_front import load as _load
from generator.readers.markdown_reader import _heading, read_markdown
from generator.readers.markers import separated
from generator.readers.wire import read_wire_text
from generator.text import make_slug, normalise

SOME = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters, including lone surrogates (which st.characters leaves out)
# and the ones that matter here more often than chance would pick them.
CHARS = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                  st.sampled_from(list(BIDI + "\x00\x01\x1b\t\r\n \u00a0ـًّأإآىة«»،؟")))
TEXT = st.text(CHARS, max_size=60)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def long_runs(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A piece repeated hundreds of times: runs that make parsers backtrack."""
    return st.tuples(pieces, st.integers(100, 3000)).map(lambda p: p[0] * p[1])


def mixed(pieces: list[str]) -> st.SearchStrategy[str]:
    fragment = st.one_of(st.sampled_from(pieces), TEXT, long_runs(st.sampled_from(pieces)))
    return st.lists(fragment, max_size=25).map("".join)


def as_decoded(text: str) -> str:
    """``text`` as a reader gets it from ``decode_bytes``: no NUL, no lone surrogate."""
    return re.sub("[\x00\ud800-\udfff]", "\ufffd", text)


def only_warraq_errors(call, *args, **kwargs):
    """The result of the call, or None when it raised WarraqError (anything
    else fails the test), whose every problem is one short line."""
    try:
        return call(*args, **kwargs)
    except WarraqError as exc:
        for problem in exc.problems:
            assert "\n" not in problem.message and len(problem.message) < 300, problem
            str(problem).encode("utf-8")  # printable: no lone surrogate
        return None


# --- wire copy ---------------------------------------------------------------

WIRE_PIECES = ["\n", "\n\n", "اقرأ أيضاً: ", "Read also:", "المصدر", "المصدر: رويترز", " ", "*",
               "_", ":", "-", "\u00a0", "\t", "<script>alert(1)</script>", "عنوان فرعي"]


@SOME
@given(mixed(WIRE_PIECES))
def test_wire_reader_only_raises_warraq_errors(text):
    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-16", "surrogatepass")):
        doc = only_warraq_errors(read_source, "content/x.txt", data)
        if doc:
            assert all(b.kind in ("p", "h2", "read_also") for b in doc.blocks)
            refs = [b.ref for b in doc.blocks if b.kind == "read_also"]
            assert refs == list(range(len(doc.refs)))
            assert "\x00" not in doc.title + "".join(b.text for b in doc.blocks)
    only_warraq_errors(read_wire_text, "content/x.txt", as_decoded(text))


OLD_SEPARATED = re.compile(r"^[\s*_>]*(?P<marker>[^:\-–—\u00a0]{2,30}?)\s*"
                           r"(?:[:\-–—]|\u00a0)[\s*_]*(?P<rest>.*?)[\s*_]*$")


@settings(SOME, max_examples=600)
@given(st.lists(st.sampled_from(list(" \t\u00a0\u2003*_>:-–—ab") + ["اقرأ أيضاً", "x" * 29]),
                max_size=20).map("".join))
def test_marker_split_agrees_with_the_old_pattern(line):
    """The linear-time split finds what the backtracking pattern found,
    except where that pattern put leading "*", "_" or ">" into the marker."""
    old, new = OLD_SEPARATED.match(line), separated(line)
    if new is not None or old is None:
        assert new == (old and (old["marker"], old["rest"]))
    else:
        assert old["marker"][:1] in "*_> \t\u2003"


# --- YAML front matter -------------------------------------------------------

YAML_PIECES = ["title: ", "date: ", "topics: ", "colour: ", "\n", "\n  - ", "[", "]", "{", "}",
               ", ", ": ", "- ", "&a ", "*a", "!!int ", "!!python/name:os.system", '"\\ud800"',
               '"\\0"', '"\\x01"', '"\\u202e"', '"\\udc00\\ud800"', "'", '"', "? ", "#", "0b_",
               "    ", "2016-12-06", "9" * 50, "|\n  ", ">\n  "]


@SOME
@given(mixed(YAML_PIECES))
def test_front_matter_only_raises_warraq_errors(yaml_text):
    result = only_warraq_errors(parse_front_matter, "content/a.md", yaml_text)
    if result:
        for value in result[0].values():
            for text in value if isinstance(value, tuple) else (value,):
                assert not re.search("[\x00-\x08\x0b-\x1f\ud800-\udfff]", str(text))


def nested(depth: int, style: str) -> str:
    """A value ``depth`` sequences deep, in flow or block style."""
    if style == "flow":
        return "[" * depth + "x" + "]" * depth
    return "\n" + "".join("  " * i + "-\n" for i in range(depth - 1)) + "  " * (depth - 1) + "- x"


@SOME
@given(st.integers(1, 200), st.sampled_from(["flow", "block"]))  # 200 deep fits in 64 KiB
def test_deep_front_matter_is_one_error_line(depth, style):
    with pytest.raises(WarraqError) as caught:
        parse_front_matter("content/a.md", f"title: {nested(depth, style)}\n")
    messages = [p.message for p in caught.value.problems]
    if depth + 1 <= MAX_DEPTH:  # the document's mapping is a level: this one loads
        assert len(messages) == 1 and messages[0].startswith("title: expected text, got [")
    else:
        assert messages == [f"front matter: nested deeper than {MAX_DEPTH} levels"]


def depth_of(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


TREES = st.recursive(st.sampled_from(["x", "نص", 1]),
                     lambda inner: st.lists(inner, min_size=1, max_size=3)
                     | st.dictionaries(st.sampled_from(["a", "b"]), inner, min_size=1),
                     max_leaves=30)


def staircase(kinds: list[str], brackets: int) -> str:
    """Mappings and sequences nested as tightly as block style allows: a
    sequence at its key's column, a mapping one column further in."""
    kinds, column, lines = ["map", *kinds], 0, []
    for index, kind in enumerate(kinds):
        last = index == len(kinds) - 1
        value = " " + "[" * brackets + "x" + "]" * brackets if last else ""
        lines.append(" " * column + ("k:" if kind == "map" else "-") + value)
        if not last:
            column += 0 if kind == "map" and kinds[index + 1] == "seq" else 1
    return "\n".join(lines) + "\n"


NESTED_YAML = st.one_of(
    st.tuples(TREES, st.sampled_from([False, None, True]), st.integers(2, 4)).map(
        lambda t: yaml.safe_dump({"title": t[0]}, default_flow_style=t[1], indent=t[2],
                                 allow_unicode=True)),
    st.tuples(st.lists(st.sampled_from([("seq", "map")] * 3 + [("map",), ("seq",)]),
                       max_size=20), st.integers(0, 8)).map(
        lambda t: staircase([kind for pair in t[0] for kind in pair], t[1])))


@settings(SOME, max_examples=400)
@given(NESTED_YAML)
@example(staircase(["seq", "map"] * 6, 8))  # 21 deep: 13 blocks in 7 columns, 8 brackets
@example(staircase(["seq", "map"] * 7, 6))  # 21 deep: a line starts with 7 spaces
def test_front_matter_parsed_without_the_slow_check_is_never_too_deep(text):
    """The fast path hands text to libyaml unchecked when it lacks what deep
    nesting needs: that text, whatever it holds, is never too deep."""
    checked = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.readers.yaml_front._check_structure",
                      lambda *args: checked.append(args))
        data, _ = _load("content/a.md", text)
    assert checked or depth_of(data) <= MAX_DEPTH


# --- Markdown ----------------------------------------------------------------

MD_PIECES = ["[", "]", "(", ")", "![", "](", "<", ">", "*", "**", "_", "`", "```", "~~~", "# ",
             "## ", "- ", "1. ", "> ", "    ", "\t", "\n", "\n\n", "|", "---", "[^1]", "[^1]: ",
             "&#x61;", "&colon;", "&Tab;", "&#0;", "&#xD800;", "&amp;", "javascript:",
             "JaVaScRiPt:", "vbscript:", "data:text/html,", "java\tscript:", "jav&#x61;script:",
             "javascript&colon;",
             "[x](jav&#x61;script:alert(1))", "![i](&#x64;ata:x)", "[r]: javascript:x", "[a][r]",
             "<a href=\"javascript:x\" onclick=\"y\">", "<img src=x onerror=alert(1)>", "</a>",
             "<script>", "</script>", "<div>", "</div>", "<p>", "</p>", "<iframe src=x>",
             "<!--", "-->", "\n\nاقرأ أيضاً: خبر\n\n", "\x02", "\x03", "\\", "https://example.org"]
URL_PARTS = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


class Tags(HTMLParser):
    """Every start tag with its attributes, and whether the markup nests well."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, list]] = []
        self.well_formed = True

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.well_formed = False


def check_html(block_html: str, allowed: set[str] | None) -> None:
    parser = Tags()
    parser.feed(block_html)
    parser.close()
    assert parser.well_formed and not parser.open, block_html
    assert "\x00" not in block_html
    for tag, attrs in parser.tags:
        assert allowed is None or tag in allowed, (tag, block_html)
        for name, value in attrs:
            assert not name.startswith("on"), block_html
            if name in ("href", "src") and value:
                scheme = URL_PARTS.match(re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)))
                assert scheme is None or scheme[1].lower() in SAFE_SCHEMES, (value, block_html)


MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                 "code", "em", "strong", "a", "img", "hr", "br", "table", "thead", "tbody", "tr",
                 "th", "td", "sup", "div"}


@pytest.fixture(scope="module", autouse=True)
def quick_time_limit():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown_convert, "CONVERT_SECONDS", 0.1)
        yield


@SOME
@given(mixed(MD_PIECES), st.booleans())
def test_markdown_blocks_are_well_formed_and_run_nothing(body, raw_html):
    text = "---\ntitle: ع\n---\n" + body
    for call, source in ((read_source, text.encode("utf-8", "surrogatepass")),
                         (read_markdown, as_decoded(text))):
        doc = only_warraq_errors(call, "content/a.md", source, raw_html=raw_html)
        if doc is None:
            continue
        refs = [b.ref for b in doc.blocks if b.kind == "read_also"]
        assert refs == list(range(len(refs))) and len(refs) <= len(doc.refs)
        for block in doc.blocks:
            if block.kind == "html":
                check_html(block.text, markdown_convert._TAGS if raw_html else MARKDOWN_TAGS)


OLD_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


@settings(SOME, max_examples=500)
@given(st.lists(st.sampled_from(["#", " ", "\t", "\u00a0", "a", "ب", "x y"]), max_size=14)
       .map(lambda parts: "#" + "".join(parts)))
def test_heading_agrees_with_the_old_pattern(line):
    old = OLD_H1.match(line)
    assert _heading(line) == (old and old[1])


# --- normalisation and slugs -------------------------------------------------

@settings(SOME, max_examples=500)
@given(st.one_of(TEXT, mixed(["ـ", "ً", "أ", "ﻻ", "ﷺ", "Ⅻ", "ß", "İ", "ǅ", "\u0345", "ﬀ"])))
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@settings(SOME, max_examples=500)
@given(st.one_of(TEXT, mixed([".", "..", "/", "\\", " ", "-", "ـ", "ً", "\u0958", "ﷺ"])),
       st.sampled_from(["arabic", "latin"]), st.integers(1, 120))
def test_slug_is_a_safe_path_segment(text, style, max_length):
    check_slug(make_slug(text, style=style, max_length=max_length), max_length)


def check_slug(slug: str, max_length: int) -> None:
    assert slug and slug not in (".", "..") and len(slug) <= max_length
    assert not set(slug) & set("/\\\x00" + BIDI)
    assert all(unicodedata.category(c)[0] not in "CZ" for c in slug), slug
    assert unicodedata.normalize("NFC", slug) == slug
