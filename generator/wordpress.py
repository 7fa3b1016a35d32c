"""``warraq import wordpress``: a WordPress export becomes Markdown articles.

Each post becomes ``<into>/YYYY-MM-DD-<slug>.md``: headline, date and time,
author (its display name), categories and tags as topics (a name the site's
topic dictionary knows by name or alias becomes that topic; names that
normalise alike are one), the slug from ``post_name``, the excerpt as
summary, the featured image, drafts as drafts, and the post's old address as
an alias, so that the build writes a redirect there. Files the post shows
are looked for in an ``uploads/`` folder beside the export, at their path
after ``wp-content/uploads/``, and copied into ``<into>/uploads/``. Only
posts become articles; pages, attachments and menu items are counted and
skipped. Nothing in ``into`` is ever overwritten: a file already there is
reported and left as it is. Every problem is a warning: the import goes on.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from .articles import slug_for
from .config import Config
from .console import plural
from .errors import Problem, warning
from .parallel import Progress, unheard
from .text import normalise
from .topics import TopicDictionary, canonical_topic, compile_topics
from .wp_body import convert_body
from .wxr import Catalogue, Item, read_catalogue, read_items

UPLOADS = "uploads"
_UPLOADS_IN_URL = "/wp-content/uploads/"
_WP_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2})?")
_SIZED = re.compile(r"-\d+x\d+(\.\w+)$")  # "photo-300x200.jpg": a size WordPress made
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"</?(?:p|br|div|li|h[1-6])\b[^>]*>", re.I)  # a space where text breaks
_PUBLISHED = ("publish", "future")  # any other status (draft, pending, private) is a draft
_SKIPPED_STATUS = {"trash": "in the trash", "auto-draft": "never-written auto-drafts",
                   "inherit": "revisions"}


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)  # article files, as shown
    drafts: int = 0
    skipped: Counter = field(default_factory=Counter)  # why -> how many items
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # uploads copied

    def summary(self, into: str) -> str:
        why = ", ".join(f"{reason}: {n:,}" for reason, n in sorted(self.skipped.items()))
        return (f"warraq: {plural(len(self.written), 'article')} written to {into}/ "
                f"({plural(self.drafts, 'draft')}, {plural(self.files, 'file')} copied), "
                f"{plural(sum(self.skipped.values()), 'item')} skipped"
                f"{f' ({why})' if why else ''}, {plural(len(self.problems), 'problem')}")


def import_wordpress(export: Path, into: Path, config: Config, shown_into: str,
                     progress: Progress = unheard) -> ImportReport:
    """Write the export's posts into ``into``; ``shown_into`` names it in
    messages; ``progress`` is told of the items taken (phase "import")."""
    catalogue = read_catalogue(export)
    report = ImportReport()
    job = _Job(export, into, shown_into, config, compile_topics(config.topics), catalogue,
               report)
    progress("import", 0, catalogue.items)
    for done, item in enumerate(read_items(export), start=1):
        job.take(item)
        progress("import", done, catalogue.items)
    report.problems.sort()
    return report


@dataclass
class _Job:
    export: Path
    into: Path
    shown_into: str
    config: Config
    dictionary: TopicDictionary
    catalogue: Catalogue
    report: ImportReport
    names: set[str] = field(default_factory=set)  # article files this run wrote
    placed: dict[str, str | None] = field(default_factory=dict)  # upload -> its new path

    def note(self, item: Item, message: str) -> None:
        title = f" «{item.title}»" if item.title else ""
        self.report.problems.append(warning(self.export.name, 0,
                                            f"post {item.post_id}{title}: {message}"))

    def take(self, item: Item) -> None:
        if item.post_type != "post":
            self.report.skipped[_plural(item.post_type or "untyped item")] += 1
            return
        if item.status in _SKIPPED_STATUS:
            self.report.skipped[_SKIPPED_STATUS[item.status]] += 1
            return
        date = _date(item.date) or _date(item.modified)
        if date is None:
            self.note(item, "no date; not imported")
            self.report.skipped["posts with problems"] += 1
            return
        converted = convert_body(item.content, item.post_id, self.catalogue.attachments,
                                 lambda url: self.place(item, url))
        for message in converted.notes:
            self.note(item, message)
        if not converted.markdown.strip() or not item.title:
            self.note(item, "no headline" if not item.title else "no text; not imported")
            self.report.skipped["posts with problems"] += 1
            return
        self.write(item, _front_matter(self, item, date), converted.markdown)

    def write(self, item: Item, fields: dict, body: str) -> None:
        name = f"{fields['date'][:10]}-{slug_for(fields.get('slug') or item.title, self.config)}"
        if name in self.names:  # two posts of one day with one slug
            name = f"{name}-{item.post_id}"
        self.names.add(name)
        path = self.into / f"{name}.md"
        shown = f"{self.shown_into}/{name}.md"
        text = "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False,
                                        width=1 << 16) + "---\n\n" + body
        self.into.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            self.report.problems.append(warning(shown, 0, f"already exists; not overwritten "
                                                f"(post {item.post_id} not imported)"))
            self.report.skipped[f"already in {self.shown_into}/"] += 1
            return
        self.report.written.append(shown)
        self.report.drafts += bool(fields.get("draft"))

    def place(self, item: Item, url: str) -> str:
        """The URL to write for a file of the old site: its copy's path under
        ``into`` when it is found beside the export, else the URL as it was."""
        upload = _upload_path(url)
        if upload is None:
            return url
        if upload not in self.placed:
            self.placed[upload] = self.copy(item, upload)
        placed = self.placed[upload]
        # as the site names files (decoded), but for what would end a Markdown link
        return placed.replace(" ", "%20").replace("(", "%28").replace(")", "%29") \
            if placed else url

    def copy(self, item: Item, upload: str) -> str | None:
        folder = self.export.parent / UPLOADS
        candidates = [upload] + ([_SIZED.sub(r"\1", upload)] if _SIZED.search(upload) else [])
        found = next((c for c in candidates if _inside(folder, folder / c)), None)
        if found is None:
            self.note(item, f"{UPLOADS}/{upload} not found beside the export; the old URL "
                      "is kept")
            return None
        target = self.into / UPLOADS / found
        if target.exists():
            if target.read_bytes() != (folder / found).read_bytes():
                self.report.problems.append(warning(
                    f"{self.shown_into}/{UPLOADS}/{found}", 0,
                    "already exists and differs from the export's; not overwritten"))
            return f"{UPLOADS}/{found}"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(folder / found, "rb") as source, open(target, "xb") as copied:
            shutil.copyfileobj(source, copied)
        self.report.files += 1
        return f"{UPLOADS}/{found}"


def _front_matter(job: _Job, item: Item, date: str) -> dict:
    fields: dict = {"title": item.title, "date": date}
    author = job.catalogue.authors.get(item.creator, item.creator)
    if author:
        fields["author"] = author
    topics = _topics(item, job.dictionary)
    if topics:
        fields["topics"] = topics
    if item.post_name:
        fields["slug"] = unquote(item.post_name)
    summary = " ".join(html.unescape(_TAG.sub("", _BREAK.sub(" ", item.excerpt))).split())
    if summary:
        fields["summary"] = summary
    fields.update(_featured(job, item))
    if item.status not in _PUBLISHED:
        fields["draft"] = True
    else:
        fields.update(_aliases(job, item))
    return fields


def _featured(job: _Job, item: Item) -> dict:
    """image, image_alt and image_caption from the post's featured image."""
    number = item.meta.get("_thumbnail_id", "").strip()
    if not number:
        return {}
    attachment = job.catalogue.attachments.get(number)
    if attachment is None or not attachment.url:
        job.note(item, f"featured image: attachment {number} is not in the export")
        return {}
    placed = job.place(item, attachment.url)
    fields = {"image": unquote(placed) if placed != attachment.url else attachment.url}
    if attachment.alt:
        fields["image_alt"] = attachment.alt
    if attachment.caption:
        fields["image_caption"] = attachment.caption
    return fields


def _aliases(job: _Job, item: Item) -> dict:
    """The post's old address, path only, for its redirect page."""
    parts = urlsplit(item.link)
    if parts.query:
        job.note(item, f"old address '{item.link}' has a query, which a static site cannot "
                 "redirect; no alias")
        return {}
    return {"aliases": [parts.path]} if parts.path.strip("/") else {}


def _topics(item: Item, dictionary: TopicDictionary) -> list[str]:
    """Categories, then tags, as the site's topics; names that normalise alike are one."""
    names: dict[str, str] = {}
    for domain, name in item.terms:
        if domain in ("category", "post_tag"):
            topic = canonical_topic(dictionary, name)
            key = normalise(topic)
            if key:
                names.setdefault(key, topic)
    return list(names.values())


def _date(value: str) -> str | None:
    """"2016-12-06 14:30:00" as front matter gives it; None for WordPress's zero date."""
    found = _WP_DATE.fullmatch(value.strip())
    if not found or found[1].startswith("0000"):
        return None
    seconds = found[3] if found[3] and found[3] != ":00" else ""
    return f"{found[1]} {found[2]}{seconds}"


def _upload_path(url: str) -> str | None:
    """The path after wp-content/uploads/ of a URL, decoded; None for any other
    URL or one that would climb out of the folder."""
    path = urlsplit(html.unescape(url)).path
    if _UPLOADS_IN_URL not in path:
        return None
    rel = unquote(path.split(_UPLOADS_IN_URL, 1)[1])
    parts = PurePosixPath(rel).parts
    if not parts or any(p in ("..", ".") or "\\" in p for p in parts) or rel.startswith("/"):
        return None
    return "/".join(parts)


def _inside(folder: Path, path: Path) -> bool:
    """A file that is really in ``folder``: a link leading out of it is not
    followed, so nothing outside the uploads is copied into the site."""
    return path.is_file() and path.resolve().is_relative_to(folder.resolve())


def _plural(kind: str) -> str:
    return {"page": "pages", "attachment": "attachments", "nav_menu_item": "menu items",
            "revision": "revisions"}.get(kind, f"items of type '{kind}'")
