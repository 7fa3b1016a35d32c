"""Golden output: the seed's rendered article in a two-article fixture site.

To accept a deliberate change to templates or rendering, run with
WARRAQ_REGENERATE_GOLDEN=1 and review the diff of tests/golden/seed_article.html.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build
from generator.views import article_url

from .conftest import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "seed_article.html"
SEED = "seeds/000_8f41e9a5b53dfa39.txt"
TARGET = """---
title: أكثر من 50 الف نازح سوري يعيشون في مخيمات رديئة تملؤها الوحول في محافظة إدلب
date: 2016-12-03
topics: [إدلب]
---

نص قصير عن المخيمات.
"""
SEED_SLUG = "إلغاء-الاجتماع-الروسي-الأمريكي-لمناقشة-خروج-مقاتلي-المعارضة-من-حلب-والنظام-يتقدم"


def test_seed_page_matches_the_golden_file(make_site, tmp_path):
    config = make_site({SEED: (PROJECT / SEED).read_bytes(),
                        "content/2016-12-03-camps.md": TARGET},
                       config=(PROJECT / "warraq.toml").read_text("utf-8"))
    build(config)
    page = (tmp_path / "_site" / article_url(SEED_SLUG) / "index.html").read_text("utf-8")
    if os.environ.get("WARRAQ_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(page, "utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}; review its diff")
    assert page == GOLDEN.read_text("utf-8")
