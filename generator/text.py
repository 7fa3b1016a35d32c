"""Arabic text: the one normalisation, tokens, stop words, slugs, scripts.

``normalise`` is the single function behind topic matching, read-also
resolution, related articles, slugs and search keys, so that "بحلب",
"وحلب" and "حلب" meet, and a headline typed without hamza or with
tashkeel still finds its article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache, lru_cache

from slugify import slugify

# Harakat, tanween, shadda, sukun, dagger alef and Quranic annotation marks.
TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
TATWEEL = "\u0640"
# Chained str.replace is many times faster than str.translate on long Arabic text.
_LETTER_FOLDS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"),
                 ("ؤ", "ء"), ("ئ", "ء"))  # مسئول and مسؤول meet
# Arabic-Indic and Persian digits read as the digits they are: ٢٠١٦ and ۲۰۱۶ are 2016.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_EASTERN_DIGIT = re.compile("[٠-٩۰-۹]")
_WORD = re.compile(r"\w+")
# Longest first: a conjunction or preposition fused with the article.
_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", "لل", "ال")
_SINGLE_PROCLITICS = "وفبلك"


def strip_marks(text: str) -> str:
    """Remove tashkeel and tatweel, in NFC: what a slug and a display key keep."""
    text = unicodedata.normalize("NFC", text)
    return TASHKEEL.sub("", text).replace(TATWEEL, "")


def normalise(text: str, *, fold_letters: bool = True, strip_clitics: bool = True) -> str:
    """The matching key of ``text``: words joined by single spaces.

    NFKC (so presentation forms become letters), casefold, tashkeel and
    tatweel removed, Arabic-Indic and Persian digits read as 0-9; then,
    unless turned off, hamza forms of alef folded to ا, ى to ي, ة to ه, ؤ
    and ئ to ء, and leading proclitics (و ف ب ل ك, ال, or a
    conjunction or preposition fused with ال) removed from each word.
    """
    words = words_of(text, fold_letters=fold_letters)
    return " ".join(map(stem, words) if strip_clitics else words)


def words_of(text: str, *, fold_letters: bool = True) -> list[str]:
    """The normalised words of ``text``, proclitics kept (see ``normalise``)."""
    text = unicodedata.normalize("NFKC", text)
    text = TASHKEEL.sub("", text).replace(TATWEEL, "").casefold()
    if _EASTERN_DIGIT.search(text):  # rare; translate is slow on long text
        text = text.translate(_DIGITS)
    if fold_letters:
        for letter, folded in _LETTER_FOLDS:
            text = text.replace(letter, folded)
    return _WORD.findall(text)


@cache  # news vocabulary repeats
def stem(word: str) -> str:
    """``strip_proclitic`` of a normalised word, remembered."""
    return strip_proclitic(word)


def strip_proclitic(word: str) -> str:
    """Drop leading proclitics while a stem of three letters remains.

    Stripping repeats, so a word and the same word with one more proclitic
    always meet ("فرنسا" and "وفرنسا", "التزام" and "الالتزام"); the price
    is a short stem for words that merely begin with those letters, which
    is harmless because every side of a comparison is stripped alike.
    """
    while True:
        shorter = _strip_once(word)
        if shorter == word:
            return word
        word = shorter


def _strip_once(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    if word[:1] in _SINGLE_PROCLITICS and len(word) >= 4:
        return word[1:]
    return word


_PROCLITIC_RUNS = sorted(
    {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")}
    | {"لل", "ولل", "فلل"}, key=len)


def proclitic_surfaces(word: str) -> frozenset[str]:
    """Every text word that is ``word`` behind a run of proclitics ("حلب" ->
    "بحلب", "وحلب", …; "النظام" -> "للنظام"), and ``word`` itself. An alias is
    never cut down, so "كيري" does not meet the verb "يرى"."""
    surfaces = {word}
    for run in _PROCLITIC_RUNS[1:]:
        if len(word) >= 2:
            surfaces.add(run + word)
        if run.endswith("لل") and word.startswith("ال") and len(word) >= 4:
            surfaces.add(run + word[2:])
    return frozenset(surfaces)


@cache  # news vocabulary repeats
def is_salient(stem: str) -> bool:
    """Whether a stem carries meaning: no stop word, no number, 3+ letters."""
    return len(stem) >= 3 and stem not in STOP_WORDS and not stem.isdigit()


_LATIN_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_NOT_LATIN = bytes(b for b in range(256) if b not in _LATIN_BYTES)
_NOT_ARABIC_LEAD = bytes(b for b in range(256) if not 0xD8 <= b <= 0xDB)


def script_of(text: str) -> str:
    """'arabic' or 'latin', whichever script has more letters in ``text``.

    Counted on UTF-8 bytes: an Arabic letter (U+0600–U+06FF) is one lead
    byte D8–DB, a basic Latin letter one ASCII byte; bytes.translate
    counts them at C speed.
    """
    data = text.encode("utf-8")
    arabic = len(data.translate(None, _NOT_ARABIC_LEAD))
    latin = len(data.translate(None, _NOT_LATIN))
    return "latin" if latin > arabic else "arabic"


RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})


def direction_of(lang: str) -> str:
    """'rtl' or 'ltr' for a language code such as 'ar', 'en' or 'ar-SY'."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


@lru_cache(maxsize=65_536)  # topic names are slugged again for every card that shows them
def make_slug(text: str, *, style: str = "arabic", max_length: int = 80) -> str:
    """A URL slug: Arabic kept (marks stripped, NFC) or transliterated to Latin."""
    cleaned = strip_marks(text)
    slug = slugify(cleaned, allow_unicode=(style == "arabic"),
                   max_length=max_length, word_boundary=True, save_order=True)
    return unicodedata.normalize("NFC", slug) or "article"[:max_length]


_STOP_SOURCE = """
في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين اللذين اللتين ان أن إن
كان كانت يكون تكون قد لقد لا ما لم لن ثم او أو بعد قبل حول بين حتى كل غير عند
منذ نحو قال قالت اليوم امس أمس خلال عبر ضد دون لدى لها له لهم هو هي هم هن نحن
انه أنه انها أنها وقد كما اي أي اذا إذا لكن بل اما أما ايضا أيضا اكثر أكثر اقل أقل
جدا بعض عدة عدد اخرى أخرى اخر آخر اول أول ذات وفق حيث فيه فيها منها منه عليه عليها
اليه إليه اليها إليها وهو وهي وهذا وذلك يوم عام سنة الف ألف مليون مئات آلاف الاف
the and for that with from this was were are has have had not but its their
"""
STOP_WORDS = frozenset(normalise(_STOP_SOURCE).split())


def topic_token(name: str) -> str:
    """A word that no text has, standing for a topic in the search index
    (Pagefind's own filters come out in another order on every run; a word
    does not): "wrq" and letters from a digest of the topic's key."""
    digest = hashlib.blake2b(normalise(name).encode("utf-8"), digest_size=6).hexdigest()
    return "wrq" + digest.translate(_DIGIT_LETTERS)


_DIGIT_LETTERS = str.maketrans("0123456789", "ghijklmnop")
