"""From RawDoc to Article: dates, language and direction, slugs, topics,
summaries and salient terms. Site-wide policy lives here, not in readers.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
from collections import Counter
from operator import itemgetter
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .config import Config
from .errors import Problem, WarraqError, error, warning
from .models import Article, Block, NewsFields, Parsed, RawDoc
from .moments import aware, clock_of, iso, local_day
from .readers import decode, digest_of, read_source
from .text import direction_of, is_salient, make_slug, script_of, stem, words_of
from .topics import TopicDictionary, canonical_topic, match_topic_words

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_TAG = re.compile(r"<[^>]+>")
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SUMMARY_WORDS = 30
LANG_SAMPLE = 2000
TERMS_KEPT = 20
SURFACE_WORDS_CONSIDERED = 80


def to_article(raw: RawDoc, config: Config, topics: TopicDictionary
               ) -> tuple[Article, tuple[Block, ...], list[Problem]]:
    """Apply site policy to one parsed document: the article, its body, and warnings."""
    problems: list[Problem] = list(raw.warnings)
    date = _date_of(raw, config, problems)
    given = raw.date if raw.date else date
    body_text = plain_text(raw.blocks)
    lang = raw.lang or _detect_lang(raw.title + " " + body_text, config)
    title_words, body_words = words_of(raw.title), words_of(body_text)
    body_counts = Counter(body_words)
    article = Article(
        source=raw.source,
        slug=slug_for(raw.slug or raw.title, config),
        title=raw.title, date=date, lang=lang, dir=direction_of(lang),
        refs=raw.refs,
        topics=_topics_of(raw, title_words, body_words, body_counts, config, topics),
        summary=raw.summary or _summary(body_text),
        attribution=raw.attribution or None, author=raw.author, image=raw.image,
        title_key=" ".join(map(stem, title_words)), terms=_salient(title_words, body_counts),
        published=iso(aware(given, config.timezone)), time=clock_of(given, config.timezone),
        modified=iso(aware(raw.updated, config.timezone)) if raw.updated else None,
        words=len(body_words), aliases=alias_paths(raw.aliases, raw.source, raw.aliases_line),
        aliases_line=raw.aliases_line, **_news_of(raw, config))
    folder = folder_in_site(raw.source, config)
    blocks = _site_relative_links(raw.blocks, folder)
    return article._replace(body_images=body_images(blocks),
                            image_path=raw.image and image_path(raw.image, folder)), blocks, problems


def image_path(image: str, folder: str) -> str | None:
    """An article's ``image`` as a site path ("images/camps.jpg"), relative to
    the article's folder in the site unless it starts with "/"; None for a
    URL elsewhere. It cannot climb out of the site."""
    if "://" in image or image.startswith("//"):
        return None
    joined = image if image.startswith("/") else posixpath.join("/" + folder, image)
    path = posixpath.normpath("/" + joined.lstrip("/")).lstrip("/")  # a leading ".." stops at /
    return path or None


def alias_paths(aliases: tuple[str, ...], source: str, line: int) -> tuple[str, ...]:
    """Old addresses as site paths, percent-decoded as the site's own paths are:
    "/2016/12/06/old/" gives "2016/12/06/old/", "https://old.example/a.html"
    "a.html"; a folder gets its slash. The home page, ".." and a query (which a
    static site cannot answer) are errors."""
    found = []
    for alias in aliases:
        parts = urlsplit(alias)
        path = unquote(parts.path).strip("/")
        segments = path.split("/")
        problem = ("a query ('?…') cannot be redirected by a static site" if parts.query
                   else "it is the home page" if not path
                   else "'.', '..' and empty segments are not allowed"
                   if any(s in ("", ".", "..") for s in segments) else None)
        if problem:
            raise WarraqError([error(source, line, f"aliases: {alias!r}: {problem}")])
        found.append(path if path.endswith((".html", ".htm")) else path + "/")
    return tuple(dict.fromkeys(found))


_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="/([^"]+)"')


def body_images(blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """The site paths of the images a body shows ("images/map.jpg"), each once."""
    return tuple(dict.fromkeys(found[1] for b in blocks if b.kind == "html"
                               for found in _IMG_SRC.finditer(b.text)))


def _news_of(raw: RawDoc, config: Config) -> dict:
    """The Article fields of the newsroom's front matter: a breaking flag
    without an end runs for a day from the article's time."""
    news = raw.news or NewsFields()
    given = raw.date or config.fallback_date
    until = news.breaking_until or (given + dt.timedelta(days=1) if news.breaking and given
                                    else None)
    corrected = news.correction_date or raw.updated or given
    return {
        "featured": news.featured, "image_caption": news.image_caption,
        "image_credit": news.image_credit, "image_alt": news.image_alt,
        "image_line": news.image_line, "correction": news.correction,
        "breaking_until": iso(aware(until, config.timezone)) if news.breaking and until
        else None,
        "corrected": iso(aware(corrected, config.timezone)) if news.correction and corrected
        else None,
    }


def parse_file(rel_path: str, abs_path: str | Path, config: Config,
               dictionary: TopicDictionary) -> Parsed:
    """The Parsed of one source file; its errors go into it, not up. A file
    that cannot be read (gone since it was found, a folder, no permission)
    is one of them."""
    try:
        data = decode.read_bytes(abs_path)
        if len(data) > decode.MAX_FILE_BYTES:  # only the start of it was read
            decode.check_size(rel_path, max(len(data), os.stat(abs_path).st_size))
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return Parsed(rel_path, "", None, (error(rel_path, 1, f"cannot read: {reason}"),))
    except WarraqError as exc:
        return Parsed(rel_path, "", None, exc.problems)
    digest = digest_of(data)
    try:
        raw = read_source(rel_path, data, raw_html=config.raw_html)
        article, body, warnings = to_article(raw, config, dictionary)
    except WarraqError as exc:
        return Parsed(rel_path, digest, None, exc.problems)
    return Parsed(rel_path, digest, article, tuple(warnings), raw.draft, body)


def slug_for(name: str, config: Config) -> str:
    """The slug of an article's headline or a topic's name, in the site's slug style."""
    return make_slug(name, style=config.slug_style, max_length=config.slug_max_length)


def plain_text(blocks: tuple[Block, ...]) -> str:
    """The readable text of the body, without markup or read-also lines.
    Whitespace is left as it comes: words and the summary are split from it
    anyway, and collapsing it cost as much as all the rest."""
    return " ".join([html.unescape(_TAG.sub(" ", b.text)) if b.kind == "html" else b.text
                     for b in blocks if b.kind != "read_also"])


def folder_in_site(source: str, config: Config) -> str:
    """Where a source's neighbours land in the site: its folder under its content dir."""
    folder = posixpath.dirname(source)
    for content_dir in sorted(config.content_dirs, key=len, reverse=True):
        root = content_dir.strip("/")
        if folder == root or folder.startswith(root + "/"):
            return folder[len(root):].strip("/")
    return folder


def _site_relative_links(blocks: tuple[Block, ...], folder: str) -> tuple[Block, ...]:
    """Relative links and images in Markdown bodies, made relative to the site root
    ("/images/map.svg") so that rendering can put the base path in front."""
    def absolute(found: re.Match) -> str:
        url = found[2]
        if not url or url.startswith(("/", "#")) or urlsplit(url).scheme:
            return found[0]
        path = posixpath.normpath(posixpath.join("/" + folder, url))
        return found[1] + path + ("/" if url.endswith("/") and path != "/" else "") + found[3]

    return tuple(Block(b.kind, _URL_ATTRIBUTE.sub(absolute, b.text), b.ref)
                 if b.kind == "html" else b for b in blocks)


def _date_of(raw: RawDoc, config: Config, problems: list[Problem]) -> dt.date:
    if raw.date:
        return local_day(raw.date, config.timezone)
    prefix = _DATE_PREFIX.match(PurePosixPath(raw.source).name)
    if prefix:
        try:
            return dt.date(*map(int, prefix.groups()))
        except ValueError:
            raise WarraqError([error(raw.source, 1, "date: the file-name prefix "
                                     f"'{prefix[0][:-1]}' is not a real date")]) from None
    if config.fallback_date is None:
        raise WarraqError([error(raw.source, 1, "date: none in front matter or in a "
                                 "'YYYY-MM-DD-' file-name prefix, and no fallback_date "
                                 "is configured")])
    problems.append(warning(raw.source, 1, "date: none in front matter or in a "
                            "'YYYY-MM-DD-' file-name prefix; using fallback_date "
                            f"{config.fallback_date.isoformat()}"))
    return config.fallback_date


def _detect_lang(text: str, config: Config) -> str:
    if config.wire_lang != "auto":
        return config.wire_lang
    # Markup pasted into a headline is not the language it is written in; the
    # opening of an article shows its script as well as the whole would.
    sample = _TAG.sub(" ", text[:LANG_SAMPLE])
    return config.latin_lang if script_of(sample) == "latin" else "ar"


def _topics_of(raw: RawDoc, title_words: list[str], body_words: list[str],
               body_counts: Counter, config: Config, topics: TopicDictionary
               ) -> tuple[str, ...]:
    if raw.topics:
        names = [canonical_topic(topics, t) for t in raw.topics]
        by_slug = {slug_for(n, config): n for n in reversed(names)}  # first spelling wins
        return tuple(dict.fromkeys(by_slug[slug_for(n, config)] for n in names))
    return match_topic_words(topics, title_words, body_words, config.topic_min_score,
                             config.max_topics, body_counts)


def _summary(body_text: str) -> str:
    words = body_text.split(maxsplit=SUMMARY_WORDS)  # the rest, if any, in one piece
    return " ".join(words[:SUMMARY_WORDS]) + ("…" if len(words) > SUMMARY_WORDS else "")


def _salient(title_words: list[str], body_counts: Counter) -> tuple[str, ...]:
    """The article's most frequent meaningful stems; headline words count triple.

    Only the most frequent surface words are stemmed: the rest could not
    reach the top, and stemming every word of a long article is the
    costliest step of reading it.
    """
    counts: dict[str, int] = {}
    # most_common(), without its heap: sorted() is stable, so ties keep their order
    frequent = sorted(body_counts.items(), key=itemgetter(1), reverse=True)
    for word, times in frequent[:SURFACE_WORDS_CONSIDERED]:
        term = stem(word)
        counts[term] = counts.get(term, 0) + times
    for word in title_words:
        term = stem(word)
        counts[term] = counts.get(term, 0) + 3
    ranked = sorted([(-times, term) for term, times in counts.items() if is_salient(term)])
    # Kept in alphabetical order: an edit that shifts counts among the top terms
    # leaves them equal, and with them the article's related articles.
    return tuple(sorted(term for _, term in ranked[:TERMS_KEPT]))

