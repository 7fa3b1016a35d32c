"""text.py: the one Arabic normalisation, salient terms, scripts, directions, slugs."""

from __future__ import annotations

import unicodedata

import pytest

from generator.text import (direction_of, is_salient, make_slug, normalise, script_of, stem,
                            words_of)


@pytest.mark.parametrize("variant, plain", [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمن", "امن"), ("ٱلله", "الله"),
    ("مستشفى", "مستشفي"), ("مدرسة", "مدرسه"),
])
def test_letter_forms_fold(variant, plain):
    assert normalise(variant) == normalise(plain)
    assert normalise(variant) == plain


@pytest.mark.parametrize("marked, plain", [
    ("مُحَمَّد", "محمد"),      # harakat and shadda
    ("جديدٌ", "جديد"),          # tanween damm
    ("شكراً", "شكرا"),          # tanween fath
    ("عـــربي", "عربي"),         # tatweel
    ("\ufefb", "لا"),            # lam-alef presentation form (NFKC)
    ("ﺳﻮﺭﻳﺎ", "سوريا"),          # isolated and joined presentation forms
])
def test_marks_tatweel_and_presentation_forms_vanish(marked, plain):
    assert normalise(marked) == plain


def test_latin_is_casefolded_and_words_single_spaced():
    assert normalise("  HELLO\t World  ") == "hello world"
    assert normalise("Straße") == normalise("STRASSE")


@pytest.mark.parametrize("word", ["بحلب", "وحلب", "لحلب", "فحلب", "كحلب"])
def test_single_letter_proclitics_meet_the_bare_word(word):
    assert normalise(word) == normalise("حلب")


def test_article_and_fused_proclitics_meet():
    assert normalise("الولايات") == normalise("والولايات") == normalise("بالولايات")
    assert normalise("فرنسا") == normalise("وفرنسا")


def test_suffixed_word_does_not_meet_its_stem():
    assert normalise("الحلبي") != normalise("حلب")


def test_short_words_keep_their_letters():
    assert normalise("الف") == "الف"
    assert normalise("بيت") == "بيت"


def test_clitic_stripping_and_letter_folding_can_be_turned_off():
    assert normalise("وحلب", strip_clitics=False) == "وحلب"
    assert normalise("أحمد", fold_letters=False) == "أحمد"


def test_salient_terms_drop_stop_words_digits_and_short_words():
    words = words_of("قال الرئيس إن حلب في عام 2016 تحت الحصار من 12 يوم")
    assert [t for t in map(stem, words) if is_salient(t)] == ["رءيس", "حلب", "تحت", "حصار"]


@pytest.mark.parametrize("text, script", [
    ("مرحبا بكم", "arabic"), ("Hello world", "latin"),
    ("Hello مرحبا بكم جميعا", "arabic"), ("Hello world مر", "latin"),
    ("", "arabic"), ("2016", "arabic"),
])
def test_script_of_counts_letters(text, script):
    assert script_of(text) == script


@pytest.mark.parametrize("lang, direction", [
    ("ar", "rtl"), ("ar-SY", "rtl"), ("AR", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("en-GB", "ltr"),
])
def test_direction_of(lang, direction):
    assert direction_of(lang) == direction


def test_slug_keeps_arabic_and_strips_marks():
    assert make_slug("مُحَمَّدٌ في حلـــب!") == "محمد-في-حلب"


def test_slug_is_nfc():
    decomposed = unicodedata.normalize("NFD", "أحمد يكتب")
    assert decomposed != "أحمد يكتب"
    assert make_slug(decomposed) == "أحمد-يكتب"


def test_slug_respects_max_length_on_a_word_boundary():
    title = "إلغاء الاجتماع الروسي الأمريكي لمناقشة"
    slug = make_slug(title, max_length=20)
    assert slug == "إلغاء-الاجتماع"
    assert make_slug("alpha beta gamma delta", max_length=12) == "alpha-beta"


def test_latin_style_transliterates_to_ascii():
    slug = make_slug("إلغاء الاجتماع الروسي", style="latin")
    assert slug and slug.isascii()
    assert slug == "lg-ljtm-lrwsy"
    assert make_slug("Hello, World!", style="latin") == "hello-world"


@pytest.mark.parametrize("text", ["", "!!!", "\u064e\u0640"])
def test_empty_slug_becomes_article(text):
    assert make_slug(text) == "article"


@pytest.mark.parametrize("max_length, slug", [(3, "art"), (7, "article"), (80, "article")])
def test_empty_slug_fits_the_max_length(max_length, slug):
    assert make_slug("!!!", max_length=max_length) == slug


@pytest.mark.parametrize("one, other", [
    ("مسئول", "مسؤول"), ("٢٠١٦", "2016"), ("۲۰۱۶", "2016"), ("رئيس", "رؤيس"),
    ("غزه", "غزة"), ("مستشفي", "مستشفى"), ("اسرائيل", "إسرائيل"), ("الوزير", "وزير"),
    ("والحكومة", "الحكومة"), ("غَزَّة", "غزة"), ("غـــزة", "غزة")])
def test_spellings_a_reader_types_meet_the_written_word(one, other):
    assert normalise(one) == normalise(other)
