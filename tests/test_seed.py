"""Golden tests of the seed wire file: what read_source understands of real agency copy.

To accept a deliberate change, run with WARRAQ_REGENERATE_GOLDEN=1 and review the diff
of tests/golden/seed_rawdoc.json; without the flag the file is only compared.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.models import Block, RawDoc
from generator.readers import read_source

PROJECT = Path(__file__).resolve().parent.parent
SEED = "seeds/000_8f41e9a5b53dfa39.txt"
GOLDEN = Path(__file__).parent / "golden" / "seed_rawdoc.json"
READ_ALSO_TARGET = ("أكثر من 50 ألف نازح سوري يعيشون في مخيمات رديئة تملؤها الوحول "
                    "في محافظة إدلب")


@pytest.fixture(scope="module")
def seed() -> RawDoc:
    return read_source(SEED, (PROJECT / SEED).read_bytes())


def test_headline(seed):
    assert seed.title == ("إلغاء الاجتماع الروسي الأمريكي لمناقشة خروج مقاتلي المعارضة "
                          "من حلب.. والنظام يتقدم عسكرياً")


def test_paragraphs_and_the_one_subheading(seed):
    kinds = [block.kind for block in seed.blocks]
    assert kinds.count("p") == 12
    assert kinds.count("h2") == 1
    assert seed.blocks[6] == Block("h2", "تقدم عسكري للنظام")
    assert seed.blocks[0].text.startswith("أعلن وزير الخارجية الروسي، سيرغي لافروف")


def test_read_also_is_the_last_block(seed):
    assert seed.blocks[-1] == Block("read_also", ref=0)
    assert len(seed.refs) == 1
    assert seed.refs[0].target == READ_ALSO_TARGET
    assert seed.refs[0].line == 30


def test_bare_source_line_means_unknown_attribution(seed):
    assert seed.attribution == ""
    assert all("المصدر" != block.text for block in seed.blocks)


def _serialise(doc: RawDoc) -> dict:
    return {
        "title": doc.title,
        "attribution": doc.attribution,
        "blocks": [{"kind": b.kind, "text": b.text, "ref": b.ref} for b in doc.blocks],
        "refs": [{"target": r.target, "line": r.line, "label": r.label} for r in doc.refs],
    }


def test_golden_rawdoc(seed):
    actual = json.dumps(_serialise(seed), ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("WARRAQ_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}; review its diff before committing")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing; create it with WARRAQ_REGENERATE_GOLDEN=1"
    assert actual == GOLDEN.read_text(encoding="utf-8")
