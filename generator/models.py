"""Frozen models that flow through the pipeline.

Models carry keys, not objects: an article names its topics and read-also
targets by slug or headline; the relations between articles live in
``Site``, keyed by slug.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import Problem
from .text import normalise


Stamp = tuple[int, int]  # (size, mtime_ns): what tells a later build a file may have changed


@dataclass(frozen=True)
class SourceFile:
    """A file found under a content folder, with the stamp that tells a
    later build whether it may have changed."""

    abs_path: str  # OS path
    rel_path: str  # posix, as the editor sees it: "content/2016-12-03-camps.md"
    stamp: Stamp


class _RefFields(NamedTuple):
    target: str
    line: int
    label: str = ""
    key: str = ""  # the target as headlines are matched (``text.normalise``)


class ReadAlsoRef(_RefFields):
    """An "اقرأ أيضاً" reference: a headline, a slug or a URL, and where it
    stood; its ``key`` is made once, when it is read (read back from the
    cache, it is given)."""

    __slots__ = ()

    def __new__(cls, target: str, line: int, label: str = "", key: str | None = None):
        return super().__new__(cls, target, line, label,
                               normalise(target.strip()) if key is None else key)


@dataclass(frozen=True)
class Block:
    """A piece of an article body.

    kind is "p" or "h2" (plain text from wire copy), "html" (already safe
    HTML from Markdown) or "read_also" (``ref`` indexes the article's refs).
    """

    kind: str
    text: str = ""
    ref: int = -1


@dataclass(frozen=True)
class Body:
    """A body as a view names it: the article read from ``source``, whose
    bytes have ``digest``; ``bodies.body_of`` reads it when the page is rendered."""

    source: str
    digest: str


@dataclass(frozen=True)
class NewsFields:
    """The newsroom's front-matter fields of an article, as given."""

    featured: bool = False
    breaking: bool = False
    breaking_until: dt.date | dt.datetime | None = None
    image_caption: str = ""
    image_credit: str = ""
    image_alt: str = ""
    image_line: int = 1  # where ``image`` stands, for its problems
    correction: str = ""
    correction_date: dt.date | dt.datetime | None = None


@dataclass(frozen=True)
class RawDoc:
    """What a reader understood of one file, before site-wide policy."""

    source: str
    title: str
    blocks: tuple[Block, ...]
    refs: tuple[ReadAlsoRef, ...]
    date: dt.date | dt.datetime | None = None  # a datetime: a time of day was given
    updated: dt.date | dt.datetime | None = None
    lang: str | None = None
    slug: str | None = None
    topics: tuple[str, ...] = ()
    summary: str = ""
    attribution: str | None = None
    author: str | None = None
    image: str | None = None
    draft: bool = False
    warnings: tuple[Problem, ...] = ()
    news: NewsFields | None = None  # what only front matter gives: flags, captions, corrections
    aliases: tuple[str, ...] = ()  # old addresses of the article, as given
    aliases_line: int = 1


class Article(NamedTuple):
    """One published article, without its body: the body is kept in the build
    cache and reached through ``bodies.body_of`` alone, in builds and tests.
    A named tuple, not a dataclass: a build reads 10,000 back from the cache,
    in half the time. Change one with ``_replace``."""

    source: str
    slug: str
    title: str
    date: dt.date
    lang: str
    dir: str
    refs: tuple[ReadAlsoRef, ...]
    topics: tuple[str, ...]
    summary: str
    attribution: str | None
    author: str | None
    image: str | None
    title_key: str
    terms: tuple[str, ...] = ()  # its most salient stems, in alphabetical order
    published: str = ""  # ISO 8601 with the offset of the site's time zone
    time: str | None = None  # "14:30", when a time of day was given
    modified: str | None = None  # ISO 8601 with offset, when an update was given
    words: int = 0  # in the body: its reading time
    featured: bool = False
    breaking_until: str | None = None  # ISO 8601 with offset: the breaking-news bar ends
    image_caption: str = ""
    image_credit: str = ""
    image_alt: str = ""
    image_line: int = 1
    correction: str = ""
    corrected: str | None = None  # ISO 8601 with offset, when ``correction`` is given
    body_images: tuple[str, ...] = ()  # site paths of the images its body shows
    image_path: str | None = None  # ``image`` as a site path; None for an outside URL
    # old addresses that redirect here, as site paths: "2016/12/06/old/" or "old.html"
    aliases: tuple[str, ...] = ()
    aliases_line: int = 1


class Parsed(NamedTuple):
    """One source after reading: its article (None when it has errors). The
    body travels beside it only from the reader to the cache. A named tuple,
    as ``Article`` is."""

    source: str
    digest: str  # of the file's bytes: what the body is kept under
    article: Article | None
    problems: tuple[Problem, ...]
    draft: bool = False
    body: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    articles: tuple[str, ...]  # article slugs, newest first


@dataclass(frozen=True)
class Ranking:
    """What ranking related articles found of every article, kept so that the
    next build ranks again only what an edit moved (see ``related``)."""

    keys: dict[str, tuple[str, ...]]  # slug -> the topics and terms it is indexed under
    counts: dict[str, int]  # term -> how many articles use it


LEAD = ("lead", "")  # as views read it: the entry of the relations that is the lead story


@dataclass(frozen=True)
class Site:
    """All articles and how they relate, keyed by slug."""

    articles: dict[str, Article]
    order: tuple[str, ...]  # newest first, ties by slug
    topics: dict[str, Topic]
    resolved: dict[str, tuple[str | None, ...]]  # per article, per ref: target slug
    related: dict[str, tuple[str, ...]]
    backlinks: dict[str, tuple[str, ...]]  # only articles that another links
    problems: tuple[Problem, ...] = ()
    topic_slugs: dict[str, str] = field(default_factory=dict)  # a topic as filed -> its slug
    lead: str | None = None  # the front page's lead story (``site.lead_of``)
    flagged: tuple[str, ...] = ()  # articles with a breaking-news flag, newest first
    ranking: Ranking | None = None  # how ``related`` was ranked


@dataclass(frozen=True)
class PageSpec:
    output_path: str  # posix, under the output folder
    url: str  # site-relative, unencoded
    template: str
    view: dict = field(hash=False)


@dataclass(frozen=True)
class BuildReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...] = ()
    work: dict = field(default_factory=dict, compare=False)  # phase -> items it redid
    counts: tuple[int, int] | None = None  # (articles, topics) of the site, where known
