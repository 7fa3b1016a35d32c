"""build: the pipeline from content folders to a written site, top to bottom.

discover_sources -> read_source -> to_article -> build_site -> plan_pages
-> render_page -> write_outputs. Every file is read and every problem is
collected before anything is written; without keep_going any error stops
the build with the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .articles import to_article
from .config import Config
from .errors import Problem, WarraqError
from .models import Article, BuildReport, PageSpec, Site
from .readers import discover_sources, is_article_file, read_source
from .render import make_environment, render_page
from .site import build_site
from .topics import compile_topics
from .views import plan_pages
from .writer import write_outputs


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: tuple[Problem, ...]  # errors and warnings, sorted
    skipped: tuple[str, ...]  # sources left out because of errors
    drafts: tuple[str, ...]


def load_site(config: Config) -> Loaded:
    """Read every source and relate them; collects problems, raises nothing."""
    dictionary = compile_topics(config.topics)
    articles: list[Article] = []
    problems: list[Problem] = []
    skipped, drafts = [], []
    for source in discover_sources(config.root, config.content_dirs):
        try:
            raw = read_source(source.rel_path, source.abs_path.read_bytes())
            article, warnings = to_article(raw, config, dictionary)
        except WarraqError as exc:
            problems += exc.problems
            skipped.append(source.rel_path)
            continue
        problems += warnings
        if raw.draft:
            drafts.append(source.rel_path)
        else:
            articles.append(article)
    site = build_site(articles, config)
    problems += site.problems
    return Loaded(site, tuple(sorted(problems)), tuple(skipped), tuple(drafts))


def check(config: Config) -> Loaded:
    """Parse and resolve everything, write nothing; raise on any error."""
    loaded = load_site(config)
    if any(p.is_error for p in loaded.problems):
        raise WarraqError(loaded.problems)
    return loaded


def build(config: Config, *, keep_going: bool = False) -> BuildReport:
    """Build the site into the output folder; raise WarraqError on errors
    unless ``keep_going``, in which case bad files are skipped and reported."""
    loaded = load_site(config) if keep_going else check(config)
    env = make_environment(config)
    pages = plan_pages(loaded.site, config)
    written, unchanged, removed = write_outputs(
        config.abs(config.output_dir), _outputs(env, pages, config))
    return BuildReport(tuple(written), unchanged, tuple(removed), loaded.problems,
                       loaded.skipped)


def _outputs(env, pages: list[PageSpec], config: Config) -> Iterator[tuple[str, bytes]]:
    for page in pages:
        yield page.output_path, render_page(env, page).encode("utf-8")
    yield ".nojekyll", b""
    yield from _copied_files(config.abs(config.static_dir), "static/")
    for folder in config.content_dirs:
        yield from _copied_files(config.abs(folder), "", skip_articles=True)


def _copied_files(base: Path, prefix: str, *, skip_articles: bool = False):
    """Static assets, and images or files that sit beside the content."""
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        if skip_articles and (is_article_file(path) or path.suffix.lower() in (".txt", ".md")):
            continue
        yield prefix + path.relative_to(base).as_posix(), path.read_bytes()
