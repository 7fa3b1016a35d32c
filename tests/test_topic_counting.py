"""count_mentions counts words in bulk; it must agree with a plain scan that
walks the text word by word, longest alias first."""

from __future__ import annotations

from collections import Counter

from generator.topics import _alias_at, compile_topics, count_mentions
from generator.text import _PROCLITIC_RUNS, proclitic_surfaces, words_of

from .conftest import PROJECT

TOPICS = (("الولايات المتحدة", ("الولايات المتحدة", "واشنطن")),
          ("مجلس الأمن", ("مجلس الأمن",)), ("الأمن", ("الأمن",)), ("حلب", ("حلب",)))


def scan(dictionary, words: list[str]) -> Counter:
    found: Counter = Counter()
    index = 0
    while index < len(words):
        alias = _alias_at(dictionary, words, index)
        if alias:
            found[alias[1]] += 1
        index += len(alias[0]) if alias else 1
    return +found


def test_overlapping_aliases_agree_with_a_plain_scan():
    dictionary = compile_topics(TOPICS)
    words = words_of("قال مجلس الأمن إن الأمن في حلب وبحلب هش، وفي الولايات المتحدة "
                     "وبالولايات المتحدة والولايات وحدها، ومجلس الأمن مجدداً")
    assert count_mentions(dictionary, words) == scan(dictionary, words)
    assert count_mentions(dictionary, words) == Counter(
        {"مجلس الأمن": 2, "الأمن": 1, "حلب": 2, "الولايات المتحدة": 2})


def articles(folder: str) -> list:
    """The wire copy and Markdown of a folder (not its photographs)."""
    return sorted(p for p in (PROJECT / folder).iterdir() if p.suffix in (".txt", ".md"))


def test_demo_content_agrees_with_a_plain_scan(project_config):
    dictionary = compile_topics(project_config.topics)
    for path in articles("content") + articles("seeds"):
        words = words_of(path.read_text("utf-8"))
        assert count_mentions(dictionary, words) == scan(dictionary, words), path.name


def proclitic_forms(word: str) -> tuple[str, ...]:
    """The specification of proclitic_surfaces, read the other way: ``word`` and
    what remains after each run of proclitics it may start with."""
    forms = [word]
    for run in _PROCLITIC_RUNS[1:]:
        if word.startswith(run) and len(word) - len(run) >= 2:
            rest = word[len(run):]
            forms.append(rest)
            if run.endswith("لل"):
                forms.append("ال" + rest)
    return tuple(dict.fromkeys(forms))


def test_surfaces_are_exactly_the_words_whose_forms_reach_an_alias(project_config):
    text = " ".join(path.read_text("utf-8") for path in articles("content"))
    words = set(words_of(text)) | {"للنظام", "وللاجئين", "فبالولايات", "كيري", "يري"}
    aliases = {w for _, names in project_config.topics for n in names for w in words_of(n)}
    for alias in aliases | {"النظام", "الاجئين"}:
        surfaces = proclitic_surfaces(alias)
        assert all(alias in proclitic_forms(s) for s in surfaces)
        assert {w for w in words if alias in proclitic_forms(w)} <= surfaces
