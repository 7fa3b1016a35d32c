"""Imports point one way: a module may import only the layers listed before it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
LAYERS = ("errors", "problems", "images_pixels", "images", "parallel", "moments", "dates",
          "digests", "layers", "config", "text", "models", "photos", "readers",
          "topics", "articles", "related", "site", "listings", "views", "redirects", "newsroom",
          "words", "theme",
          "seo", "render_dates", "render_photos", "compiled", "render", "syndication", "plan_feeds", "plan", "guard",
          "writer", "cache", "bodies", "incremental", "snapshots", "phases", "outputs", "photo_files", "search",
          "search_step", "build", "serve_index", "console", "serve", "wxr", "wp_body",
          "wordpress", "init", "cli")
EXEMPT = {"__init__": set(LAYERS), "__main__": {"cli"}}


def layer_of(module: str) -> str:
    """'readers.wire' -> 'readers'; 'site' -> 'site'."""
    return module.split(".", 1)[0]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" and len(rel.parts) > 1 else rel.parts
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports, anywhere in the file, as 'x.y'."""
    package = list(path.parent.relative_to(PACKAGE).parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            if node.module:
                found.add(".".join(base + node.module.split(".")))
            else:  # "from . import x"
                found.update(".".join(base + [a.name]) for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".", 1)[1] for a in node.names
                         if a.name.startswith("generator."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            found.add(node.module.split(".", 1)[1])
    return found


def wrong_imports(path: Path) -> set[str]:
    name = layer_of(module_name(path))
    allowed = EXEMPT.get(name) or set(LAYERS[:LAYERS.index(name) + 1])
    return {m for m in imported_modules(path) if layer_of(m) not in allowed}


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer():
    for path in MODULES:
        name = layer_of(module_name(path))
        assert name in LAYERS or name in EXEMPT, f"{path.name} is in no layer"


def test_relative_imports_are_resolved():
    assert imported_modules(PACKAGE / "readers/wire.py") >= {"errors", "models",
                                                             "readers.markers"}
    assert "readers" in imported_modules(PACKAGE / "build.py")


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_imports_point_one_way(path):
    assert not wrong_imports(path), f"{module_name(path)} imports later layers"


def test_the_check_catches_a_backward_import(tmp_path, monkeypatch):
    fake = PACKAGE / "text.py"
    source = fake.read_text("utf-8") + "\nfrom .build import build\n"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: source)
    assert wrong_imports(fake) == {"build"}
