"""readers/markers.py: every spelling of "اقرأ أيضاً", and the closing "المصدر" line."""

from __future__ import annotations

import pytest

from generator.models import ReadAlsoRef
from generator.readers.markers import attribution, read_also_ref

TITLE = "أكثر من 50 ألف نازح سوري"


@pytest.mark.parametrize("line", [
    f"اقرأ أيضاً: {TITLE}",
    f"اقرا أيضاً:\u00a0{TITLE}",          # as in the seed: no hamza, NBSP after the colon
    f"إقرأ أيضا - {TITLE}",
    f"اقرأ أيضًا – {TITLE}",              # tanween on the yeh, en dash
    f"اقرأ أيضاً — {TITLE}",              # em dash
    f"اقرأ أيضاً\u00a0{TITLE}",           # NBSP, no colon
    f"اقـــرأ أَيْضـاً: {TITLE}",          # tatweel and tashkeel
    f"اقرأ أيضاً : {TITLE}",
    f"**اقرأ أيضاً:** {TITLE}",           # Markdown bold
    f"> اقرأ أيضاً: {TITLE}",             # Markdown quote
])
def test_read_also_spellings(line):
    assert read_also_ref(line, 7) == ReadAlsoRef(target=TITLE, line=7, label=TITLE)


@pytest.mark.parametrize("line, target", [
    ("Read also: Aleppo talks cancelled", "Aleppo talks cancelled"),
    ("READ ALSO — Aleppo", "Aleppo"),
    ("See also: Idlib camps", "Idlib camps"),
])
def test_english_markers(line, target):
    assert read_also_ref(line, 1).target == target


def test_markdown_link_gives_url_target_and_label():
    ref = read_also_ref(f"اقرأ أيضاً: [{TITLE}](/articles/x/)", 12)
    assert ref == ReadAlsoRef(target="/articles/x/", line=12, label=TITLE)


@pytest.mark.parametrize("line", [
    "وتابع لافروف: الولايات المتحدة سحبت مقترحاتها",
    "اقرأ أيضاً عنوان",          # plain space, no separator
    "اقرأ أيضاً:",                # nothing to point at
    "واقرأ أيضاً: عنوان",        # a different word, not the marker
    "",
])
def test_non_markers(line):
    assert read_also_ref(line, 1) is None


@pytest.mark.parametrize("line, value", [
    ("المصدر", ""),
    ("  المصدر  ", ""),
    ("**المصدر**", ""),
    ("المصدر:", ""),
    ("المصدر: وكالة", "وكالة"),
    ("مصدر - رويترز", "رويترز"),
    ("Source: AFP", "AFP"),
    ("المصدر: وكالة الأناضول: أنقرة", "وكالة الأناضول: أنقرة"),
])
def test_attribution(line, value):
    assert attribution(line) == value


@pytest.mark.parametrize("line", ["المصدر الأول للخبر", "قال مصدر مطلع: لا", "نص عادي"])
def test_not_attribution(line):
    assert attribution(line) is None
