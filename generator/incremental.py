"""What the last build left behind, and what a new build can skip because of it.

Two records in the cache. ``Stamps`` is small and is all a no-change
rebuild reads: each source's stamp and digest, each template's digest, the
key every output was made from, and each output's stamp as written (so an
output deleted or edited by hand is made again). ``Snapshot`` is the site
without article bodies.

Pages are never reasoned about by hand: a page is rendered again when its
key (template digest and view) differs from the one it was made from. The
one shortcut is the body edit: when the changed articles differ from what
the snapshot holds only in their bodies and summaries, ``build_site`` would
return the same site but for those articles — it reads neither field — so
the snapshot is patched instead of rebuilt, and only the pages that show a
body or a summary are planned: the articles' own, the listings that show
their cards, and the articles whose read-also cards show their summaries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Config
from .errors import Problem
from .models import Article, Parsed, Site, Stamp
from .readers import file_stamp
from .views import PagePlan, plan_listings_showing


@dataclass(frozen=True)
class Stamps:
    sources: dict[str, tuple[Stamp, str]]  # rel_path -> (stamp, digest)
    templates: dict[str, str]  # template name -> digest of it and what it uses
    keys: dict[str, str]  # output path -> key of what it was made from
    outputs: dict[str, Stamp]  # output path -> stamp after the build
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...]  # sources left out for their errors (keep_going)
    found: tuple[Problem, ...] = ()  # what walking the folders reported (links skipped …)


@dataclass(frozen=True)
class Snapshot:
    parsed: dict[str, Parsed]  # rel_path -> parse result without body or digest
    site: Site  # articles without blocks
    slugs: dict[str, str]  # rel_path -> slug in the site


RACY_NS = 2_000_000_000


def settled(stamp: Stamp, now_ns: int) -> Stamp:
    """``stamp``, or one that matches no later stamp when the file changed so
    recently that a second change could leave its size and time the same."""
    return stamp if stamp[1] < now_ns - RACY_NS else (stamp[0], -now_ns)


def damaged_outputs(output: Path, stamps: Stamps) -> set[str]:
    """Outputs that are gone or no longer what the last build wrote."""
    damaged = set()
    folder = str(output) + os.sep
    for rel_path, stamp in stamps.outputs.items():
        try:
            if file_stamp(folder + rel_path) != stamp:
                damaged.add(rel_path)
        except OSError:
            damaged.add(rel_path)
    return damaged


def without_body(parsed: Parsed) -> Parsed:
    """The parse result with its article ``bodiless`` (itself when nothing changes)."""
    article = parsed.article and bodiless(parsed.article)
    return parsed if article is parsed.article else replace(parsed, article=article)


def bodiless(article: Article) -> Article:
    """The article without its blocks (itself when it has none)."""
    return replace(article, blocks=()) if article.blocks else article


def _kept(parsed: Parsed) -> Parsed:
    """A parse result as the snapshot keeps it: no body, no digest (``Stamps``
    has it), so a body edit that changes nothing else leaves it equal."""
    return replace(without_body(parsed), digest="")


def snapshot_of(parsed: list[Parsed], site: Site) -> Snapshot:
    kept = {p.source: _kept(p) for p in parsed}
    articles = {slug: _shared(a, kept[a.source].article) for slug, a in site.articles.items()}
    return Snapshot(kept, replace(site, articles=articles),
                    {a.source: slug for slug, a in site.articles.items()})


def _shared(article: Article, parsed: Article) -> Article:
    """The site's article without its body, as the very object the snapshot
    keeps for its source when they are equal, so the record holds it once."""
    kept = bodiless(article)
    return parsed if kept == parsed else kept


def plan_body_edits(snapshot: Snapshot, edited: list[Parsed], config: Config
                    ) -> tuple[Site, list[str], list[PagePlan]] | None:
    """The patched site, the articles whose pages to render again and the
    listing pages to plan again; or None when an edit reaches further than
    bodies and summaries (the build then relates everything afresh)."""
    articles: dict[str, Article] = {}
    shown: dict[str, None] = {}  # other articles whose read-also cards show a summary
    summaries = []
    for parsed in edited:
        before = snapshot.parsed.get(parsed.source)
        if parsed.article is None or before is None or before.article is None or (
                parsed.draft != before.draft):
            return None
        article = bodiless(parsed.article)
        if replace(article, summary=before.article.summary) != before.article:
            return None
        slug = snapshot.slugs[parsed.source]
        if article.summary != before.article.summary:
            summaries.append(slug)
            shown.update(dict.fromkeys(snapshot.site.backlinks[slug]))
        articles[slug] = replace(parsed.article, slug=slug)
    site = replace(snapshot.site, articles={**snapshot.site.articles, **articles})
    pages = []
    for slug in summaries:
        pages += plan_listings_showing(site, slug, config)
    return site, list(dict.fromkeys([*articles, *shown])), pages


def patched_snapshot(snapshot: Snapshot, edited: list[Parsed], site: Site) -> Snapshot:
    """The snapshot after body edits: the same object when they changed nothing it holds."""
    kept = {p.source: _kept(p) for p in edited}
    if all(snapshot.parsed.get(source) == p for source, p in kept.items()):
        return snapshot
    parsed = {**snapshot.parsed, **kept}
    articles = dict(site.articles)
    for p in edited:
        slug = snapshot.slugs[p.source]
        articles[slug] = bodiless(articles[slug])
    return Snapshot(parsed, replace(site, articles=articles), snapshot.slugs)
