"""A deterministic synthetic news archive for benchmarks.

N Arabic articles of 350–900 words, 1–3 topics each from a pool of 60 with a
Zipf-like skew, subheadings, and "اقرأ أيضاً" lines naming earlier articles'
headlines. The same articles are written as wire copy (.txt), as Markdown
with front matter (.md), and as Hugo and Pelican sources.

    python3 bench/corpus.py N OUT_DIR [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path

TOPICS = (
    "حلب", "دمشق", "إدلب", "حمص", "درعا", "الرقة", "دير الزور", "اللاذقية", "بيروت", "عمان",
    "بغداد", "الموصل", "البصرة", "القاهرة", "الإسكندرية", "الخرطوم", "طرابلس", "تونس",
    "الجزائر", "الرباط", "صنعاء", "عدن", "الرياض", "جدة", "الدوحة", "أبوظبي", "دبي", "الكويت",
    "مسقط", "المنامة", "القدس", "غزة", "رام الله", "أنقرة", "إسطنبول", "طهران", "موسكو",
    "واشنطن", "باريس", "برلين", "لندن", "جنيف", "فيينا", "بروكسل", "الاقتصاد", "النفط",
    "التعليم", "الصحة", "اللاجئون", "الانتخابات", "البرلمان", "الرياضة", "كرة القدم",
    "الثقافة", "السينما", "الزراعة", "المياه", "المناخ", "التكنولوجيا", "حقوق الإنسان")
COMMON = (
    "في من على إلى عن مع أن قال وقال أعلن أكد أشار أضاف ذكر خلال بعد قبل حول بين اليوم "
    "الحكومة الوزير وزير رئيس الرئيس المسؤولين المسؤول مصادر مصدر المحلية الدولية العالمية "
    "الأمن القوات قوات المدينة مدينة المنطقة منطقة البلاد الشعب المواطنين السكان الأهالي "
    "الاجتماع اجتماع المؤتمر مؤتمر القرار قرار الاتفاق اتفاق المفاوضات الأزمة أزمة الوضع "
    "الأوضاع التقرير تقرير الأسبوع الشهر العام الماضي المقبل الجاري الأخيرة الجديدة جديدة "
    "مليون ألف نحو أكثر أقل عدد كبير كبيرة واسعة المساعدات الإنسانية الدعم التنمية المشروع "
    "مشروع الخطة خطة الموازنة الأسعار الأسواق الشركات العمال الطلاب المدارس المستشفيات "
    "الطرق الكهرباء الوقود الشتاء الصيف الأمطار السيول الجفاف المحاصيل الإنتاج التصدير "
    "الاستيراد البنك العملة الدولار التضخم النمو البطالة الشباب النساء الأطفال العائلات").split()
SYLLABLES = ("ب", "ت", "ج", "ح", "د", "ر", "س", "ش", "ص", "ع", "ف", "ق", "ك", "ل", "م", "ن",
             "ه", "و", "ي", "ا", "ط", "ز", "خ", "غ", "ض", "ظ", "ث", "ذ", "ة", "ى", "أ", "إ")


@dataclass(frozen=True)
class Piece:
    index: int
    date: dt.date
    title: str
    topics: tuple[str, ...]
    blocks: tuple[tuple[str, str], ...]  # ("p" | "h2" | "read_also", text)


def make_corpus(count: int, seed: int = 7) -> list[Piece]:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, 20_000)
    zipf_words = _zipf_weights(len(vocabulary), 1.05)
    zipf_topics = _zipf_weights(len(TOPICS), 1.1)
    start = dt.date(2016, 1, 1)
    pieces: list[Piece] = []
    titles: set[str] = set()
    for index in range(count):
        topics = tuple(dict.fromkeys(rng.choices(TOPICS, cum_weights=zipf_topics, k=rng.randint(1, 3))))
        title = _headline(rng, vocabulary, zipf_words, topics, titles)
        date = start + dt.timedelta(days=index * 3650 // max(count, 1))
        blocks = _body(rng, vocabulary, zipf_words, topics, pieces)
        pieces.append(Piece(index, date, title, topics, blocks))
    return pieces


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choices(SYLLABLES[:-4], k=rng.randint(3, 7)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _zipf_weights(size: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights (random.choices is fast with cum_weights)."""
    return list(itertools.accumulate(1 / (rank ** exponent) for rank in range(1, size + 1)))


def _headline(rng, vocabulary, weights, topics, titles) -> str:
    while True:
        words = rng.choices(vocabulary[60:], cum_weights=weights[:-60], k=rng.randint(5, 10))
        words.insert(rng.randint(0, len(words)), topics[0])
        if rng.random() < 0.05:
            words.insert(0, str(rng.randint(2, 900)))
        title = " ".join(words)
        if title not in titles:
            titles.add(title)
            return title


def _sentence(rng, vocabulary, weights, topics) -> str:
    words = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(10, 22))
    if rng.random() < 0.4:
        words.insert(rng.randint(0, len(words)), rng.choice(topics))
    return " ".join(words) + "."


def _body(rng, vocabulary, weights, topics, earlier: list[Piece]):
    target_words = rng.randint(350, 900)
    blocks: list[tuple[str, str]] = []
    written = 0
    while written < target_words:
        paragraph = " ".join(_sentence(rng, vocabulary, weights, topics)
                             for _ in range(rng.randint(2, 4)))
        blocks.append(("p", paragraph))
        written += len(paragraph.split())
        if len(blocks) % 4 == 2 and written < target_words - 100:
            blocks.append(("h2", " ".join(rng.choices(vocabulary[60:], k=3))))
    for _ in range(rng.choice((0, 1, 1, 2)) if earlier else 0):
        other = earlier[rng.randrange(len(earlier))]
        blocks.insert(rng.randint(1, len(blocks)), ("read_also", other.title))
    return tuple(blocks)


def wire_text(piece: Piece) -> str:
    lines = [piece.title, ""]
    for kind, text in piece.blocks:
        lines += [f"اقرأ أيضاً: {text}" if kind == "read_also" else text, ""]
    lines.append("المصدر: وكالة الأنباء التجريبية")
    return "\n".join(lines) + "\n"


def markdown_body(piece: Piece, read_also: str = "اقرأ أيضاً: ") -> str:
    parts = []
    for kind, text in piece.blocks:
        parts.append({"p": text, "h2": f"## {text}", "read_also": read_also + text}[kind])
    return "\n\n".join(parts) + "\n"


def front_matter(piece: Piece, topics_key: str = "topics") -> str:
    return (f"---\ntitle: {json.dumps(piece.title, ensure_ascii=False)}\n"
            f"date: {piece.date.isoformat()}\n"
            f"{topics_key}: {json.dumps(list(piece.topics), ensure_ascii=False)}\n---\n\n")


def write_corpus(pieces: list[Piece], out: Path) -> None:
    """out/wire/content/*.txt, out/md/content/*.md, out/hugo/content/posts/*.md,
    out/pelican/content/*.md, each with its site configuration."""
    for piece in pieces:
        name = f"{piece.date.isoformat()}-{piece.index:06d}"
        _write(out / "wire/content" / f"{name}.txt", wire_text(piece))
        _write(out / "md/content" / f"{name}.md", front_matter(piece) + markdown_body(piece))
        _write(out / "hugo/content/posts" / f"{name}.md",
               front_matter(piece) + markdown_body(piece))
        _write(out / "pelican/content" / f"{name}.md", _pelican(piece))
    topics = "\n".join(f'"{t}" = ["{t}"]' for t in TOPICS)
    config = (f'title = "أرشيف"\nfallback_date = "2016-01-01"\ncontent_dirs = ["content"]\n'
              f"per_page = 20\n\n[topics]\n{topics}\n")
    for flavour in ("wire", "md"):
        _write(out / flavour / "warraq.toml", config)


def _pelican(piece: Piece) -> str:
    return (f"Title: {piece.title}\nDate: {piece.date.isoformat()}\n"
            f"Tags: {', '.join(piece.topics)}\nSlug: a{piece.index:06d}\n\n"
            + markdown_body(piece))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(make_corpus(args.count, args.seed), args.out)


if __name__ == "__main__":
    main()
