"""Articles per second of the rule-based extractor on one core, for 500-word Arabic articles.

The articles are generated, deterministically (seeded RNG), from real Arabic news words and
sentence templates: attributions with dates, quotations, unnamed sources, participles, and
narration on the bases, trade and sanctions. Time is CPU time of this process (one core), so a
busy machine does not make the extractor look slower than it is.

It then times one long report, the articles joined into one text, as an editor pasting a whole
dossier sends it: the extractor must stay linear in the length of a text (each sentence once
scanned every cue of the text, and a 1.1 MB import took 55 s).

    .venv/bin/python bench/extract_speed.py [--articles 300] [--rounds 3] [--seed 7]
"""

import argparse
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

from app.extract.lexicon import Lexicon
from app.extract.pipeline import RuleExtractor

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_ARTICLE = 500

SPEAKERS = [
    "المتحدث باسم الكرملين دميتري بيسكوف",
    "وزير الخارجية الروسي سيرغي لافروف",
    "الناطقة باسم الخارجية الروسية ماريا زاخاروفا",
    "نائب وزير الخارجية الروسي ميخائيل بوغدانوف",
    "وزير الدفاع السوري مرهف أبو قصرة",
    "وزير الخارجية السوري أسعد الشيباني",
    "الرئيس السوري أحمد الشرع",
    "مندوب روسيا الدائم لدى الأمم المتحدة فاسيلي نيبينزيا",
    "مصدر دبلوماسي روسي",
    "مسؤول في وزارة الدفاع السورية",
]
CUES = ["قال", "أكد", "أوضح", "كشف", "صرح", "أعلن", "ذكر"]
PARTICIPLES = ["مضيفاً", "مشيراً إلى", "موضحاً", "مؤكداً", "لافتاً إلى"]
DATES = [
    "اليوم الأربعاء",
    "أمس الخميس",
    "الثلاثاء",
    "في وقت سابق",
    "الشهر الماضي",
    "خلال مؤتمر صحفي",
]
CLAUSES = [
    "روسيا لا تنوي سحب قواتها من قاعدة حميميم الجوية",
    "القاعدتين في حميميم وطرطوس ستبقيان وفق الاتفاقيات الموقعة",
    "المحادثات حول مستقبل الوجود العسكري الروسي في سوريا مستمرة",
    "دمشق تدرس مراجعة الاتفاقيات التي أبرمها النظام السابق مع موسكو",
    "بقاء القوات الروسية مرهون بتحقيق مصلحة الشعب السوري",
    "صادرات القمح الروسي إلى سوريا ستستأنف في أقرب وقت",
    "العقوبات الغربية تعرقل جهود إعادة الإعمار في البلاد",
    "العلاقات بين البلدين تاريخية وتقوم على الاحترام المتبادل",
    "السفن الحربية الروسية رست في ميناء طرطوس ضمن مهام اعتيادية",
    "الجانبين يناقشان حجم القوات التي يمكن أن تبقى في الساحل",
]
NARRATION = [
    "وتستخدم روسيا قاعدة حميميم الجوية في ريف اللاذقية منذ تدخلها العسكري في سوريا عام 2015.",
    "وتعد منشأة طرطوس البحرية المركز الوحيد لإمداد الأسطول الروسي في البحر المتوسط.",
    "ويأتي ذلك في وقت تسعى فيه الحكومة السورية الجديدة إلى إعادة صياغة علاقاتها الخارجية.",
    "وشهدت الأشهر الماضية تبادلاً مكثفاً للزيارات بين مسؤولين سوريين وروس في دمشق وموسكو.",
    "وأظهرت صور أقمار صناعية نشرت الأسبوع الماضي تحركات لطائرات نقل عسكرية في القاعدة.",
    "كما بحث الجانبان ملفات التعاون في مجالات الطاقة والنقل والتعليم والصحة.",
]
TEMPLATES = [
    "و{cue} {speaker} {date} إن {clause}، {participle} أن {clause2}.",
    "و{cue} {speaker} {date}: «{clause}».",
    "ونقلت وكالة تاس عن {speaker} قوله إن {clause}.",
    "وبحسب مصادر مطلعة، فإن {clause}.",
    "{narration}",
    "{narration} {narration2}",
]


def sentence(rng: random.Random) -> str:
    """One sentence from a template with its slots filled."""
    return rng.choice(TEMPLATES).format(
        cue=rng.choice(CUES),
        speaker=rng.choice(SPEAKERS),
        date=rng.choice(DATES),
        clause=rng.choice(CLAUSES),
        clause2=rng.choice(CLAUSES),
        participle=rng.choice(PARTICIPLES),
        narration=rng.choice(NARRATION),
        narration2=rng.choice(NARRATION),
    )


def article(rng: random.Random) -> str:
    """Paragraphs of two or three sentences until the article has 500 words."""
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < WORDS_PER_ARTICLE:
        paragraphs.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 3))))
    return "\n\n".join(paragraphs)


def cpu_seconds(texts: list[str], lexicon: Lexicon) -> float:
    """CPU time the extractor takes over the given texts."""
    extractor = RuleExtractor()
    published = dt.date(2025, 3, 14)
    start = time.process_time()
    for text in texts:
        extractor.extract(text, published=published, language="ar", lexicon=lexicon)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lexicon = Lexicon.from_registries(json.loads((ROOT / "seeds/actors.json").read_text()))
    rng = random.Random(args.seed)
    texts = [article(rng) for _ in range(args.articles)]
    words = statistics.mean(len(t.split()) for t in texts)
    apart = [cpu_seconds(texts, lexicon) for _ in range(args.rounds)]
    rates = [len(texts) / seconds for seconds in apart]
    print(f"{len(texts)} Arabic articles of {words:.0f} words on average, {args.rounds} rounds")
    print("articles/second (CPU time, one core): " + ", ".join(f"{r:.0f}" for r in rates))
    print(f"median: {statistics.median(rates):.0f} articles/second")
    report = ["\n\n".join(texts)]
    took = statistics.median(cpu_seconds(report, lexicon) for _ in range(args.rounds))
    size = len(report[0].encode()) / 1e6
    print(f"the {len(texts)} joined as one report of {size:.1f} MB: {took:.1f} s (median)")
    print(f"that is {took / statistics.median(apart):.2f}x the articles apart")


if __name__ == "__main__":
    main()
