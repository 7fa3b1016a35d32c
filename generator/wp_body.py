"""A WordPress post's body as Markdown: shortcodes, paragraphs, tables, files.

WordPress stores a classic post with blank lines for paragraphs (its
``wpautop`` adds the ``<p>`` when it shows the post) and with shortcodes in
square brackets. Here the shortcodes WordPress itself defines are turned
into HTML first ([caption] into an image with its caption, [gallery] into
its images, [embed], [audio] and [video] into links), paragraphs are made
as WordPress makes them, and markdownify writes the Markdown. Tables are
kept as pipe tables (markdownify's first row becomes the header, a "|" in a
cell is escaped), which Warraq's Markdown reader shows as tables. Nothing
is dropped without a word: an unknown shortcode keeps its text, and it, an
embedded frame or a script are told in the notes. Every file URL goes
through ``place``, which gives the URL to write (the copied file's path).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from markdownify import MarkdownConverter

from .wxr import Attachment

_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_MEDIA = re.compile(r"\[(audio|video)\b([^\]]*)\](?:.*?\[/\1\])?", re.S | re.I)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
# Anything else in brackets that looks like a shortcode: a lowercase name with
# attributes, or closed by [/name]; "[1]" and "[رويترز]" are text.
_OTHER = re.compile(r"\[([a-z][a-z0-9_-]*)((?:\s+[^\]]*?)?)\s*/?\](?:(.*?)\[/\1\])?", re.S)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_IMG_TAG = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.I)
_BLOCK = re.compile(r"\s*<(?:table|thead|tbody|tr|ul|ol|li|h[1-6]|blockquote|div|figure|pre|p"
                    r"|hr|dl|section|!--)\b", re.I)
_REMOVED = {"script": "a <script> was removed", "style": "a <style> was removed",
            "form": "a <form> was removed (its text kept)",
            "object": "an <object> was removed", "embed": "an <embed> was removed"}


@dataclass(frozen=True)
class Converted:
    markdown: str
    notes: tuple[str, ...]  # what could not be kept as it was, for the import's report


def convert_body(content: str, post_id: str, attachments: dict[str, Attachment],
                 place: Callable[[str], str]) -> Converted:
    """The Markdown of one post's HTML, and notes of what changed on the way."""
    notes: list[str] = []
    text = _shortcodes(content, post_id, attachments, notes)
    for tag, note in _REMOVED.items():
        if re.search(rf"<{tag}\b", text, re.I):
            notes.append(note)
    converter = _Converter(place, notes, heading_style="ATX", bullets="-",
                           table_infer_header=True, strip=["form"])
    markdown = converter.convert(_paragraphs(text))
    return Converted(re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n",
                     tuple(dict.fromkeys(notes)))


def _attributes(text: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "")
            for m in _ATTRIBUTE.finditer(text)}


def _shortcodes(text: str, post_id: str, attachments: dict[str, Attachment],
                notes: list[str]) -> str:
    text = _CAPTION.sub(_caption, text)
    text = _EMBED.sub(lambda m: _link_paragraph(m[1].strip()), text)
    text = _MEDIA.sub(lambda m: _media(m, notes), text)
    text = _GALLERY.sub(lambda m: _gallery(_attributes(m[1]), post_id, attachments, notes), text)

    def other(found: re.Match) -> str:
        notes.append(f"shortcode [{found[1]}] removed, its text kept")
        return found[3] or ""
    return _OTHER.sub(other, text)


def _caption(found: re.Match) -> str:
    """[caption]<img …> the caption[/caption]: the image and its caption,
    which older exports give as the caption="…" attribute instead."""
    inner = found[3]
    image = _IMG_TAG.search(inner)
    caption = _attributes(found[2]).get("caption") or (
        _IMG_TAG.sub("", inner).strip() if image else inner.strip())
    picture = image[0] if image else ""
    return f"\n\n<figure>{picture}<figcaption>{caption}</figcaption></figure>\n\n"


def _link_paragraph(url: str) -> str:
    url = html.escape(html.unescape(url))
    return f"\n\n<p><a href=\"{url}\">{url}</a></p>\n\n" if url else ""


def _media(found: re.Match, notes: list[str]) -> str:
    attributes = _attributes(found[2])
    url = next((v for k, v in attributes.items() if k in ("src", "mp3", "mp4", "ogg", "webm",
                                                          "m4a", "wav", "ogv")), "")
    if not url:
        notes.append(f"shortcode [{found[1].lower()}] without a file removed")
    return _link_paragraph(url)


def _gallery(attributes: dict[str, str], post_id: str, attachments: dict[str, Attachment],
             notes: list[str]) -> str:
    """The gallery's images: those of ``ids``, else every image uploaded to the post."""
    if "ids" in attributes:
        ids = [i.strip() for i in attributes["ids"].split(",") if i.strip()]
        missing = [i for i in ids if i not in attachments]
        if missing:
            notes.append(f"[gallery]: attachment {', '.join(missing)} not in the export")
        shown = [attachments[i] for i in ids if i in attachments]
    else:
        shown = [a for a in attachments.values() if a.parent == post_id
                 and a.url.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))]
    images = "".join(f'<p><img src="{html.escape(a.url)}" '
                     f'alt="{html.escape(a.alt or a.title)}"></p>' for a in shown)
    return f"\n\n{images}\n\n"


def _paragraphs(text: str) -> str:
    """Paragraphs as WordPress makes them when it shows a classic post: a
    blank line between paragraphs, a line break within one."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    made = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        made.append(chunk if _BLOCK.match(chunk) else
                    "<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(made)


class _Converter(MarkdownConverter):
    """markdownify, with the file URLs placed, frames kept as links and table
    cells that keep their row."""

    def __init__(self, place: Callable[[str], str], notes: list[str], **options):
        super().__init__(**options)
        self.place = place
        self.notes = notes

    def convert_img(self, el, text, parent_tags):
        if el.get("src"):
            el["src"] = self.place(el["src"])
        return super().convert_img(el, text, parent_tags - {"_inline"})

    def convert_a(self, el, text, parent_tags):
        images = el.find_all("img")
        if images and not el.get_text(strip=True):  # a thumbnail linking to its file
            return text
        if el.get("href"):
            el["href"] = self.place(el["href"])
        return super().convert_a(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags):
        src = el.get("src", "")
        self.notes.append("an embedded frame (<iframe>) kept as a link")
        return f"\n\n<{src}>\n\n" if src.startswith(("http://", "https://")) else ""

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n*{text.strip()}*\n\n" if text.strip() else ""

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)
