"""The photographs phase: every raster image beside the content becomes its
derived files (``images``), and articles find theirs by site path.

It works from the files discovery found, not from the articles, so a build
that reads no article (nothing changed) still knows every derived file to
keep. The originals are not published: they may carry a camera's EXIF and
GPS, and the derived files replace them. What an image is (its digest and
size) is remembered by file stamp in ``images/index.json`` under the build
cache, so an unchanged image is neither read nor decoded again; its derived
files are cached by digest and never re-encoded.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import Problem, WarraqError, warning
from .images import derive_image, inspect_image, plan_image
from .outputs import Copy
from .parallel import Progress, map_in_order, tracked, unheard
from .photos import Photos
from .readers import file_stamp

RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
INDEX = "index.json"
PARALLEL_PHOTOS = 8  # new photographs worth forking workers for (each takes ~0.5 s)


def process_photos(files: list, cache_dir: Path, progress: Progress = unheard
                   ) -> tuple[list, Photos, list[Problem]]:
    """The files to copy (the raster originals left out), the photographs,
    and the problems of images that cannot be read; ``progress`` is told of
    the phase "photos"."""
    rasters = [f for f in files if isinstance(f, Copy)
               and f.output_path.lower().endswith(RASTER)]
    if not rasters:
        return files, Photos(), []
    folder = cache_dir / "images"
    known = _read_index(folder)
    jobs = [(f.abs_path, f.shown_as, f.stamp, known.get(f.abs_path), str(folder))
            for f in rasters]
    least = PARALLEL_PHOTOS if len(rasters) > len(known) else None
    results = tracked(progress, "photos", len(rasters), lambda done: map_in_order(
        _photos_of, jobs, min_items=least, done=done))
    sets, broken, outputs, problems, index = {}, {}, [], [], {}
    for copy, (image, entry, derived, problem) in zip(rasters, results):
        if image is None:
            broken[copy.output_path] = problem.message
            problems.append(problem)
            continue
        sets[copy.output_path], index[copy.abs_path] = image, entry
        outputs += [Copy(image.folder + name, str(path), file_stamp(path), copy.shown_as)
                    for name, path in sorted(derived.items())]
    if index != known:
        _write_index(folder, index)
    originals = {f.output_path for f in rasters}
    kept = [f for f in files if f.output_path not in originals]
    return kept, Photos(sets, tuple(outputs), broken), problems


def _photos_of(jobs: list[tuple]) -> list[tuple]:
    return [_photo_of(*job) for job in jobs]


def _photo_of(abs_path: str, shown: str, stamp, entry, folder: str) -> tuple:
    """(image set, index entry, derived files, problem) of one image; a
    problem is a warning: the image is not published, and an article that
    shows it is the error."""
    try:
        if entry and tuple(entry[:2]) == tuple(stamp):
            image = plan_image(abs_path, entry[2], entry[3], entry[4])
        else:
            digest = hashlib.sha256(Path(abs_path).read_bytes()).hexdigest()
            image = inspect_image(abs_path, shown, 0, digest)
        derived = derive_image(abs_path, image, Path(folder))
    except WarraqError as exc:
        return None, None, {}, warning(shown, 0, exc.problems[0].message)
    except OSError as exc:
        return None, None, {}, warning(shown, 0, f"image: cannot read: {exc.strerror or exc}")
    return image, [*stamp, image.digest, image.width, image.height], derived, None


def _read_index(folder: Path) -> dict[str, list]:
    try:
        data = json.loads((folder / INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_index(folder: Path, index: dict[str, list]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{INDEX}.{os.getpid()}"
    temporary.write_text(json.dumps(index, sort_keys=True), "utf-8")
    os.replace(temporary, folder / INDEX)
