"""Deterministic annotated articles for benchmarks: real Arabic words, realistic shapes.

python -m bench.generate --articles 2000 --claims 10 --out var/bench/articles
"""

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OUTLETS = ["المنبر الحر", "عنب بلدي", "الشرق الأوسط", "روسيا اليوم", "سبوتنيك عربي", "الجزيرة نت"]
SPEAKERS = [
    ("فلاديمير بوتين", "Vladimir Putin", "person", "President of Russia", "RU"),
    ("ديمتري بيسكوف", "Dmitry Peskov", "person", "Kremlin spokesman", "RU"),
    ("سيرغي لافروف", "Sergey Lavrov", "person", "Russian Foreign Minister", "RU"),
    ("ميخائيل بوغدانوف", "Mikhail Bogdanov", "person", "Russian Deputy Foreign Minister", "RU"),
    ("ماريا زاخاروفا", "Maria Zakharova", "person", "Russian Foreign Ministry spokeswoman", "RU"),
    ("أحمد الشرع", "Ahmed al-Sharaa", "person", "President of Syria", "SY"),
    ("أسعد الشيباني", "Asaad al-Shaibani", "person", "Syrian Foreign Minister", "SY"),
    ("مرهف أبو قصرة", "Murhaf Abu Qasra", "person", "Syrian Defence Minister", "SY"),
    ("مصدر دبلوماسي", "Diplomatic source (unnamed)", "anonymous", None, None),
    ("هاكان فيدان", "Hakan Fidan", "person", "Turkish Foreign Minister", "TR"),
]
OPENINGS = ["أكد", "قال", "أوضح", "أشار", "صرح", "شدد"]
CLAUSES = [
    ("القوات الروسية باقية في قاعدتي حميميم وطرطوس", ["hmeimim", "tartus"], "stay"),
    ("موسكو لا تخطط لسحب قواتها من سوريا", [], "stay"),
    ("الاتفاقيات المتعلقة بالقاعدة البحرية في طرطوس تحتاج إلى مراجعة", ["tartus"], "review"),
    ("مستقبل قاعدة حميميم الجوية ما زال قيد النقاش بين الجانبين", ["hmeimim"], "negotiating"),
    (
        "دمشق منفتحة على بقاء القاعدتين طالما تخدمان مصالح سوريا",
        ["hmeimim", "tartus"],
        "conditional",
    ),
    ("روسيا بدأت تقليص وجودها العسكري في الساحل السوري", [], "leave"),
    ("الحديث عن مصير القواعد الروسية سابق لأوانه", ["hmeimim", "tartus"], "negotiating"),
]
FILLER = (
    "وجاءت هذه التصريحات في وقت تشهد فيه العلاقات بين البلدين مرحلة جديدة بعد التغيير السياسي، "
    "وسط نقاشات حول مستقبل التعاون الاقتصادي والعسكري وملفات الطاقة والقمح وإعادة الإعمار."
)


def generate_articles(
    count: int, claims_per_article: int, seed: int = 7
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    for n in range(count):
        published = start + timedelta(days=rng.randrange(700))
        parts: list[str] = []
        claims: list[dict[str, Any]] = []
        offset = 0
        for _ in range(claims_per_article):
            name, name_en, kind, role, side = rng.choice(SPEAKERS)
            clause, bases, stance = rng.choice(CLAUSES)
            lead = f"{rng.choice(OPENINGS)} {name} أن "
            sentence = f"{lead}{clause}. {FILLER}"
            claims.append(
                {
                    "speaker": {
                        "name": name,
                        "name_en": name_en,
                        "kind": kind,
                        "role": role,
                        "affiliation": side,
                    },
                    "via": [],
                    "quote": clause,
                    "start": offset + len(lead),
                    "end": offset + len(lead) + len(clause),
                    "direct": False,
                    "stated_on": published.isoformat(),
                    "stated_on_precision": "day",
                    "bases": bases,
                    "stance": stance,
                    "summary_en": f"{name_en} on Russia's military presence in Syria ({stance}).",
                }
            )
            parts.append(sentence)
            offset += len(sentence) + 2
        yield {
            "format": "annotated-article/1",
            "article": {
                "key": f"bench-{seed}-{n:07d}",
                "url": f"https://example.org/bench/{n}",
                "outlet": rng.choice(OUTLETS),
                "title": f"تصريحات حول القواعد الروسية في سوريا {n}",
                "language": "ar",
                "published_on": published.isoformat(),
                "text": "\n\n".join(parts),
            },
            "claims": claims,
        }


def write_articles(out: Path, count: int, claims_per_article: int, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in generate_articles(count, claims_per_article, seed):
        path = out / f"{doc['article']['key']}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("var/bench/articles"))
    args = parser.parse_args()
    paths = write_articles(args.out, args.articles, args.claims, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
