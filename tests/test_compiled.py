"""compiled: templates compiled and read once, and again exactly when they change."""

from __future__ import annotations

import jinja2

from generator import compiled as compiled_module
from generator.build import build
from generator.compiled import Compiled

ARTICLE = ("content/a.txt", "خبر أول\n\nنص الخبر الأول في حلب.\n")


def _counted(monkeypatch) -> dict[str, int]:
    """How many templates the next builds compile and parse for references."""
    counts = {"compiled": 0, "read": 0}
    dump, references = Compiled.dump_bytecode, Compiled.references

    def counting_dump(self, bucket):
        counts["compiled"] += 1
        return dump(self, bucket)

    def counting_references(self, name, text, read):
        def counted(*args):
            counts["read"] += 1
            return read(*args)
        return references(self, name, text, counted)

    monkeypatch.setattr(Compiled, "dump_bytecode", counting_dump)
    monkeypatch.setattr(Compiled, "references", counting_references)
    return counts


def test_a_later_build_compiles_and_reads_no_unchanged_template(make_site, monkeypatch):
    config = make_site({ARTICLE[0]: ARTICLE[1]})
    counts = _counted(monkeypatch)
    build(config)
    assert counts["compiled"] > 5 and counts["read"] > 5
    first = (config.root / "_site" / "index.html").read_bytes()
    (config.root / "content" / "b.txt").write_text("خبر ثان\n\nنص الخبر الثاني.\n", "utf-8")
    counts.update(compiled=0, read=0)
    report = build(config)
    assert "index.html" in report.written and counts == {"compiled": 0, "read": 0}
    assert (config.root / "_site" / "index.html").read_bytes() != first


def test_a_changed_template_is_compiled_and_read_again(make_site, monkeypatch):
    config = make_site({ARTICLE[0]: ARTICLE[1]})
    build(config)
    counts = _counted(monkeypatch)
    card = config.root / "templates" / "partials" / "article_card.html"
    card.write_text(card.read_text("utf-8").replace("</article>", "<!--x--></article>", 1),
                    "utf-8")
    build(config)
    assert counts["read"] == 1 and counts["compiled"] >= 1
    assert "<!--x-->" in (config.root / "_site" / "page" / "1" / "index.html").read_text("utf-8")


def test_code_that_fails_jinjas_checks_is_compiled_again():
    cache = Compiled(code=lambda: {"anything": b"not code"})
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"}),
                             bytecode_cache=cache)
    key = cache.get_cache_key("t.html") + cache.get_source_checksum("{{ 1 + 1 }}")
    cache._known_code()[key] = b"damaged bytes"
    assert env.get_template("t.html").render() == "2"
    assert cache.code_added and cache.code_kept()[key] != b"damaged bytes"


def test_only_what_a_build_looked_up_is_kept():
    cache = Compiled({"old": frozenset()}, lambda: {"stale": b"x"})
    assert cache.references("t.html", "{% include 'p.html' %}", lambda n, t: {"p.html"}) \
        == frozenset({"p.html"})
    assert list(cache.uses_kept().values()) == [frozenset({"p.html"})]
    assert cache.code_kept() == {}
    assert compiled_module.RECORD == "templates"
