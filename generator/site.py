"""build_site: the whole site in memory, relations keyed by slug.

Distinct slugs, topics, resolved read-also references, related articles
and backlinks. Pure: no I/O. Problems found here are warnings: nothing a
reader wrote is lost.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain
from urllib.parse import unquote, urlsplit

from .config import Config
from .errors import Problem, warning
from .models import Article, ReadAlsoRef, Site, Topic
from .related import Before, compute_related
from .articles import slug_for

MIN_PREFIX_WORDS = 4


def build_site(articles: list[Article], config: Config, before: Site | None = None) -> Site:
    """The site of ``articles``; ``before``, an earlier site of the same
    configuration, only spares ranking again the related lists it holds."""
    problems: list[Problem] = []
    unique = _distinct_slugs(articles, problems)
    ordered = sorted(unique, key=newest_first)
    by_slug = {a.slug: a for a in ordered}
    _warn_duplicate_titles(unique, problems)
    titles = _title_index(ordered)
    resolved = {a.slug: _resolve_all(a, by_slug, titles, problems) for a in ordered}
    topic_slugs = {name: slug_for(name, config) for name in _topic_names(ordered)}
    related, ranking = compute_related(ordered, config.related_count, _ranked_before(before))
    return Site(
        articles=by_slug, order=tuple(by_slug),
        topics=_topics(ordered, config, topic_slugs), resolved=resolved,
        related=related, ranking=ranking,
        backlinks=_backlinks(ordered, resolved), problems=tuple(problems),
        topic_slugs=topic_slugs, lead=lead_of(ordered),
        flagged=tuple(a.slug for a in ordered if a.breaking_until))


def _ranked_before(before: Site | None) -> Before | None:
    """What ``compute_related`` takes of an earlier site, if it kept its ranking."""
    if before is None or before.ranking is None:
        return None
    return [before.articles[slug] for slug in before.order], before.related, before.ranking


def lead_of(ordered: list[Article]) -> str | None:
    """The front page's lead story: the newest featured article, else the
    newest with an image, else the newest."""
    for wanted in (lambda a: a.featured, lambda a: bool(a.image)):
        for article in ordered:
            if wanted(article):
                return article.slug
    return ordered[0].slug if ordered else None


def _topic_names(ordered: list[Article]) -> dict[str, None]:
    """Every topic name the articles file under, in the order they first do."""
    return dict.fromkeys(chain.from_iterable(a.topics for a in ordered))


def newest_first(article: Article) -> tuple:
    """The order of every listing: newest day, then latest time of day, then slug."""
    hours, _, minutes = (article.time or "00:00").partition(":")
    return -article.date.toordinal(), -(int(hours) * 60 + int(minutes)), article.slug


def _distinct_slugs(articles: list[Article], problems: list[Problem]) -> list[Article]:
    """Give colliding slugs -2, -3 … in source order, and name both sources;
    the articles in that order."""
    owner: dict[str, str] = {}
    result = []
    for article in sorted(articles, key=lambda a: a.source):
        slug, number = article.slug, 1
        while slug in owner:
            number += 1
            slug = f"{article.slug}-{number}"
        if slug != article.slug:
            problems.append(warning(article.source, 1, f"slug '{article.slug}' is also used "
                                    f"by {owner[article.slug]}; this article gets '{slug}'"))
            article = article._replace(slug=slug)
        owner[slug] = article.source
        result.append(article)
    return result


def _warn_duplicate_titles(by_source: list[Article], problems: list[Problem]) -> None:
    """A warning for each article whose headline an earlier source has
    (``by_source``: in the order of their sources, as ``_distinct_slugs`` gives)."""
    first: dict[str, Article] = {}
    for article in by_source:
        if article.title_key in first:
            other = first[article.title_key]
            problems.append(warning(article.source, 1, f"duplicate headline: {other.source} "
                                    "has the same one; read-also by this headline links "
                                    "the newer article"))
        else:
            first[article.title_key] = article


def _resolve_all(article: Article, by_slug: dict[str, Article], titles: dict[str, str],
                 problems: list[Problem]) -> tuple[str | None, ...]:
    result = []
    for ref in article.refs:
        target = _resolve(ref, by_slug, titles)
        if target == article.slug:
            problems.append(warning(article.source, ref.line,
                                    "read also points to this article itself; dropped"))
            target = None
        elif target is None:
            problems.append(warning(article.source, ref.line, f"read also: no article "
                                    f"matches '{_shortened(ref.target)}'; shown as plain text"))
        result.append(target)
    return tuple(result)


def _title_index(ordered: list[Article]) -> dict[str, str]:
    """Normalised headline -> slug of the newest article with it."""
    index: dict[str, str] = {}
    for article in ordered:
        index.setdefault(article.title_key, article.slug)
    return index


def _resolve(ref: ReadAlsoRef, by_slug: dict[str, Article],
             titles: dict[str, str]) -> str | None:
    target = ref.target.strip()
    if "/" in target or target in by_slug:
        slug = _slug_from_url(target)
        if slug in by_slug:
            return slug
    if ref.key in titles:
        return titles[ref.key]
    return _unique_prefix_match(ref.key, titles)


def _slug_from_url(target: str) -> str:
    path = unquote(urlsplit(target).path)
    path = path.removesuffix("index.html").rstrip("/")
    name = path.rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".html") else name


def _unique_prefix_match(key: str, titles: dict[str, str]) -> str | None:
    """A headline quoted short or long by a few words still finds its article."""
    if len(key.split()) < MIN_PREFIX_WORDS:
        return None
    found = {slug for title, slug in titles.items()
             if len(title.split()) >= MIN_PREFIX_WORDS
             and (title.startswith(key + " ") or key.startswith(title + " "))}
    return found.pop() if len(found) == 1 else None


def _topics(ordered: list[Article], config: Config, slugs: dict[str, str]) -> dict[str, Topic]:
    """Each topic (by slug: names that slug alike are one topic) and its articles,
    newest first; named as the config names it, else as its first article files it."""
    members: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    configured = {slug_for(n, config): n for n, _ in config.topics}
    for article in ordered:
        for name in article.topics:
            slug = slugs[name]
            listed = members[slug]
            if not listed or listed[-1] != article.slug:
                listed.append(article.slug)
    for name, slug in slugs.items():
        names.setdefault(slug, configured.get(slug, name))
    return {slug: Topic(slug, names[slug], tuple(members[slug])) for slug in sorted(members)}


def _backlinks(ordered: list[Article],
               resolved: dict[str, tuple[str | None, ...]]) -> dict[str, tuple[str, ...]]:
    """The articles that link each article, newest first; only articles linked."""
    links: dict[str, list[str]] = defaultdict(list)
    for article in ordered:
        if article.refs:
            for target in dict.fromkeys(t for t in resolved[article.slug] if t):
                links[target].append(article.slug)
    return {slug: tuple(found) for slug, found in links.items()}


def _shortened(text: str, limit: int = 80) -> str:
    """A reference as a message quotes it: one short line, however long it is."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
