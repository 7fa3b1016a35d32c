"""The files of a site as jobs, run where the work is spread over the cores.

A job names its output path and what it is made from. Running it computes
the key of its inputs; only when that key differs from the one the output
was last made from does it render (or copy) and stage the bytes. An
article job keys its page without the body — the source digest stands for
it — and reads the body from the parse cache only to render, so no process
ever holds the bodies of the whole archive.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .articles import parse_file
from .cache import read_body
from .config import Config
from .errors import WarraqError, error
from .models import Article, Block, PageSpec, Site, Stamp
from .render import render_page
from .topics import compile_topics
from .views import PagePlan, article_page_inputs, plan_article
from .writer import Staging, stage


@dataclass(frozen=True)
class Job:
    output_path: str
    source: str  # for messages: the page or file it comes from
    kind: str  # "article" (arg: slug), "page" (arg: planner), "file" (arg: path), "empty"
    arg: object
    key: str | None = None  # known before running, for files


@dataclass(frozen=True)
class Context:
    """What every job may need; workers inherit it when they start."""

    config: Config
    env: object  # the Jinja2 environment
    site: Site  # articles may lack their bodies
    digests: dict[str, str]  # article slug -> digest of its source
    bodies: dict[str, Article]  # slug -> article with its body, where one is at hand
    templates: dict[str, str]  # template name -> digest
    old_keys: dict[str, str]  # output path -> key it was last made from
    cache_path: Path
    staging: Staging


def page_job(plan: PagePlan, site: Site) -> Job:
    """The job of a planned page; an article's page is keyed without its body."""
    if plan.article:
        return Job(plan.output_path, site.articles[plan.article].source, "article",
                   plan.article)
    shown = f"the page /{plan.output_path.removesuffix('index.html')}"
    return Job(plan.output_path, shown, "page", plan.plan)


def empty_job(output_path: str) -> Job:
    return Job(output_path, "warraq", "empty", None, "empty")


def file_job(output_path: str, abs_path: str, stamp: Stamp, shown: str) -> Job:
    return Job(output_path, shown, "file", abs_path, f"file {stamp[0]} {stamp[1]}")


Result = tuple[str, str, bool, "Stamp | None"]


def run_jobs(jobs: list[Job], context: Context) -> list[Result]:
    """(output path, key, staged, stamp) of each job. A job whose key is
    unchanged is skipped (its stamp is None: the output is as it was), and
    staging skips bytes already on disk."""
    keys, todo = [], []
    for job in jobs:
        key, produce = _key_and_producer(job, context)
        keys.append(key)
        if context.old_keys.get(job.output_path) != key:
            todo.append((job.output_path, produce))
    stamps: dict[str, Stamp] = {}
    staged = set(stage(context.staging, ((path, produce()) for path, produce in todo), stamps))
    return [(job.output_path, key, job.output_path in staged, stamps.get(job.output_path))
            for job, key in zip(jobs, keys)]


def _key_and_producer(job: Job, context: Context):
    if job.kind == "empty":
        return job.key, bytes
    if job.kind == "file":
        return job.key, partial(_read_file, job)
    if job.kind == "page":
        page = job.arg()
        return _key(context, page.template, page.view), lambda: _render(context, page)
    slug = job.arg
    inputs = article_page_inputs(context.site, slug, context.config)
    key = _key(context, "article.html", inputs, context.digests[slug])
    return key, lambda: _render(context, plan_article(
        context.site, slug, context.config, _blocks(context, slug), inputs))


def _read_file(job: Job) -> bytes:
    """A static file or one beside the content; gone or unreadable: an error naming it."""
    try:
        return Path(job.arg).read_bytes()
    except OSError as exc:
        raise WarraqError([error(job.source, 0, f"cannot read: {exc.strerror}")]) from None


def _key(context: Context, template: str, view: dict, extra: str = "") -> str:
    data = pickle.dumps((context.templates.get(template), view, extra), protocol=4)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _render(context: Context, page: PageSpec) -> bytes:
    return render_page(context.env, page).encode("utf-8")


def _blocks(context: Context, slug: str) -> tuple[Block, ...]:
    """The article's body: at hand, from the cache, or (should the cache have
    lost it) read again."""
    if slug in context.bodies:
        return context.bodies[slug].blocks
    blocks = read_body(context.cache_path, context.digests[slug])
    return _read_again(context, slug).blocks if blocks is None else blocks


def _read_again(context: Context, slug: str) -> Article:
    source = context.site.articles[slug].source
    parsed = parse_file(source, context.config.root / source, context.config,
                        compile_topics(context.config.topics))
    if parsed.article is None:
        raise WarraqError(parsed.problems)
    return parsed.article
