"""Photographs as articles and views see them: an article's ``image`` as a
site path, a photograph as a template shows it, and the problems of the
images articles name. ``photo_files`` makes them from the files beside the
content."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem, error, warning
from .images import ImageSet
from .models import Site


@dataclass(frozen=True)
class Photos:
    """The photographs of the site, by site path ("images/camps.jpg")."""

    sets: dict[str, ImageSet] = field(default_factory=dict)
    outputs: tuple = ()  # the derived files, as outputs.Copy
    broken: dict[str, str] = field(default_factory=dict)  # site path -> why it cannot be used


def photo_view(image: ImageSet) -> dict:
    """What a template needs of a photograph: its sources by format, the
    fallback, the box to reserve, and the social card."""
    modern = [v for v in image.variants if v.mime == image.modern_mime]
    jpeg = [v for v in image.variants if v.mime == "image/jpeg"]
    largest = max(jpeg, key=lambda v: v.width)
    return {"modern_mime": image.modern_mime,
            "modern_srcset": [(image.href(v), v.width) for v in modern],
            "jpeg_srcset": [(image.href(v), v.width) for v in jpeg],
            "fallback": image.href(image.fallback), "width": largest.width,
            "height": largest.height, "og": image.href(image.og),
            "og_width": image.og.width, "og_height": image.og.height}


def image_problems(site: Site, photos: Photos, published: set[str]) -> list[Problem]:
    """Each article's image that is missing or broken (errors), or has no
    words for readers who cannot see it (a warning)."""
    problems = []
    for slug in site.order:
        article = site.articles[slug]
        if not article.image:
            continue
        where = (article.source, article.image_line)
        path = article.image_path
        if path is not None and path in photos.broken:
            problems.append(error(*where, f"image: {article.image!r} cannot be used: "
                                  f"{photos.broken[path].split('image: ', 1)[-1]}"))
        elif path is not None and path not in photos.sets and path not in published:
            problems.append(error(*where, f"image: {article.image!r} not found"))
        elif not (article.image_alt or article.image_caption):
            problems.append(warning(*where, "image: no image_alt or image_caption, so "
                                    "readers who cannot see the photograph learn nothing of it"))
    return problems


def photo_digests(photos: Photos) -> dict[str, str]:
    return {path: image.digest for path, image in photos.sets.items()}


def changed_photos(now: dict[str, str], before: dict[str, str]) -> set[str]:
    return {path for path in now.keys() | before.keys() if now.get(path) != before.get(path)}


def showing(site: Site, paths: set[str]) -> set[str]:
    """The articles whose photograph is one of ``paths``: their pages show it."""
    if not paths:
        return set()
    return {slug for slug, article in site.articles.items()
            if article.image_path in paths or not paths.isdisjoint(article.body_images)}
