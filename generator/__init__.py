"""Warraq: a static news-site generator for Arabic newsrooms.

The package is a pipeline of plain functions (see ``build.build``):
sources are discovered, read into articles, related into a site, planned
into pages, rendered with Jinja2 and written atomically.
"""

__version__ = "0.1.0"
