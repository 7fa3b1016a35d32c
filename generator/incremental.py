"""What the last build left behind, and what each phase of the next can skip.

Two kinds of record in the cache. ``Stamps`` is small and every build
reads it: each source's stamp and digest, each template's digest and
references (see ``compiled``, whose code is a record of its own), the key every
output was made from and its stamp as written (so an output deleted or
edited by hand is made again), the pages planned, and what the steps on
the written site last did. ``Snapshot`` is read only when something
changed: every parse result and the site, without bodies, the articles
each page's view read and each page's ``Page.identity`` (see
``snapshots``). The identities are compared only when the relations
changed: an edit that leaves them alone cannot change what the plan hands
a page (a photograph that changed reaches the pages that show it through
their reads).

Each phase asks for itself: a source whose stamp is unchanged is not
parsed; sources whose edits leave everything ``build_site`` reads as it
was (a body, a summary, an author) do not relate the site again — the
last site is patched, and only those articles count as changed; and a
page is keyed again when its template changed, when its view read a
changed article or entry of the relations, when what the plan handed it
(``Page.identity``: an old listing page's articles, a feed's entries)
differs from the last build's, or, for a page whose view reads the
relations as it likes (the front page, the topics index), when they changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Problem
from .models import LEAD, Article, Parsed, Site, Stamp
from .readers import file_stamp


@dataclass(frozen=True)
class Stamps:
    sources: dict[str, tuple[Stamp, str]]  # rel_path -> (stamp, digest)
    templates: dict[str, str]  # template name -> digest of it and what it uses
    keys: dict[str, str]  # output path -> key of what it was made from
    outputs: dict[str, Stamp]  # output path -> stamp after the build
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...]  # sources left out for their errors (keep_going)
    found: tuple[Problem, ...] = ()  # what walking the folders reported (links skipped …)
    pages: frozenset[str] = frozenset()  # the planned pages' output paths
    # each step on the written site (the search index): (key, files it wrote)
    steps: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    clock_until: float = float("inf")  # when a page shown by the clock next changes
    bar: str = ""  # digest of the breaking-news bar every page shows
    photos: dict[str, str] = field(default_factory=dict)  # site path -> digest
    counts: tuple[int, int] = (0, 0)  # articles and topics, for the closing summary
    uses: dict = field(default_factory=dict)  # each template's references (see compiled)


@dataclass(frozen=True)
class Snapshot:
    parsed: dict[str, Parsed]  # rel_path -> parse result without body or digest
    site: Site  # articles without bodies
    slugs: dict[str, str]  # rel_path -> slug in the site
    reads: dict[str, tuple]  # page output path -> the entries its view read, in order
    # each page's Page.identity, of those planned apart, by output path
    identities: dict[str, tuple] = field(default_factory=dict)


EVERYTHING = None  # "changed": the relations changed, every page is made again
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


def kept(parsed: Parsed) -> Parsed:
    """A parse result as the snapshot keeps it: no body, no digest (``Stamps``
    has it), so a body edit that changes nothing else leaves it equal. One
    kept already is itself (the cache then tells it unchanged at a glance)."""
    if not parsed.digest and not parsed.body:
        return parsed
    return parsed._replace(digest="", body=())


RELATED_BY = ("source", "slug", "title", "date", "time", "topics", "refs", "title_key",
              "terms", "featured", "image", "breaking_until", "published")


def related_by(article: Article | None) -> tuple | None:
    """What ``build_site`` reads of an article (``tests/test_site.py`` holds
    that it reads nothing else): equal for two articles, the site is too."""
    return article and tuple(getattr(article, name) for name in RELATED_BY)


def patched_site(snapshot: Snapshot, fresh: dict[str, Parsed]) -> tuple[Site, set[str]] | None:
    """The last site with the articles of ``fresh`` (re-parsed sources) put in,
    and the slugs whose article changed; None when an edit reaches what
    ``build_site`` reads (the site is then related afresh)."""
    articles, changed = {}, set()
    for source, parsed in fresh.items():
        before = snapshot.parsed.get(source)
        if (before is None or parsed.draft != before.draft
                or related_by(parsed.article) != related_by(before.article)):
            return None
        if parsed.article is None or parsed.draft:
            continue  # still an error, or a draft, as before: not in the site
        slug = snapshot.slugs[source]
        articles[slug] = parsed.article._replace(slug=slug)
        changed.add(slug)
    site = snapshot.site
    if any(site.articles[slug] != article for slug, article in articles.items()):
        site = replace(site, articles={**site.articles, **articles})
    return site, changed


def snapshot_of(parsed: list[Parsed], site: Site, reads: dict[str, tuple],
                identities: dict[str, tuple]) -> Snapshot:
    return Snapshot({p.source: kept(p) for p in parsed}, site,
                    {a.source: slug for slug, a in site.articles.items()}, reads,
                    identities=identities)


def relations_changed(before: Site, after: Site) -> set:
    """What an addition, a removal or an edit changed between two sites, as
    views read it (``views.Shown``): the slugs whose article changed, came or
    went, and ("related" | "backlinks" | "resolved", slug), ("topic", name) and
    ``LEAD`` for each entry of the relations that differs."""
    changed = _differing(before.articles, after.articles)
    for kind in ("related", "backlinks", "resolved"):
        changed.update((kind, slug) for slug in _differing(getattr(before, kind),
                                                           getattr(after, kind)))
    if before.lead != after.lead:
        changed.add(LEAD)
    for name in before.topic_slugs.keys() | after.topic_slugs.keys():
        if _topic_of(before, name) != _topic_of(after, name):
            changed.add(("topic", name))
    return changed


def _differing(before: dict, after: dict) -> set:
    """The keys whose entry differs between two dicts, or is in one alone."""
    missing = object()
    found = {key for key, value in after.items()
             if (old := before.get(key, missing)) is not value and old != value}
    return found | (before.keys() - after.keys())


def _topic_of(site: Site, name: str) -> tuple[str, str] | None:
    slug = site.topic_slugs.get(name)
    return (slug, site.topics[slug].name) if slug in site.topics else None
