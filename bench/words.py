"""Real words for the benchmark archive: the phrases statements about the bases are made of, in
Arabic and English, and the names generated speakers get. Data only; bench/archive.py assembles it."""

# (stance, bases) → how a speaker says it. A quote is subject + predicate (+ a place, + a time).
SUBJECTS_AR = [
    "القوات الروسية",
    "موسكو",
    "الجانب الروسي",
    "القيادة العسكرية الروسية",
    "الحكومة السورية",
    "دمشق",
    "السلطات الجديدة في سوريا",
    "وزارة الدفاع",
]
SUBJECTS_EN = [
    "Russian forces",
    "Moscow",
    "the Russian side",
    "the Russian military command",
    "the Syrian government",
    "Damascus",
    "the new authorities in Syria",
    "the defence ministry",
]
PREDICATES_AR = {
    "stay": [
        "باقية في {place} ولا نية لسحبها",
        "لن تغادر {place} في المدى المنظور",
        "تحافظ على وجودها العسكري في {place}",
        "تعزز مواقعها في {place}",
    ],
    "leave": [
        "بدأت سحب معداتها من {place}",
        "قلصت عدد جنودها في {place}",
        "مستعدة للانسحاب من {place} إذا طلب منها ذلك",
        "أخلت جزءا من مستودعاتها في {place}",
    ],
    "conditional": [
        "يمكن أن تبقى في {place} إذا خدم ذلك مصالح الشعب السوري",
        "تقبل ببقاء {place} بشرط احترام السيادة الوطنية",
        "ترحب باستمرار {place} مقابل دعم إعادة الإعمار",
    ],
    "negotiating": [
        "لم تتخذ بعد قرارا نهائيا بشأن {place}",
        "تواصل المشاورات حول مستقبل {place}",
        "تعتبر الحديث عن مصير {place} سابقا لأوانه",
    ],
    "review": [
        "ستعيد النظر في الاتفاقيات الخاصة ب{place}",
        "تدرس تعليق العمل باتفاقية {place}",
        "تطالب بمراجعة شروط استئجار {place}",
    ],
    "unclear": [
        "تتخذ إجراءات احترازية لحماية الجنود في {place}",
        "تتابع الوضع الأمني حول {place} عن كثب",
        "لم تعلق على ما يجري في {place}",
    ],
}
PREDICATES_EN = {
    "stay": [
        "will remain at {place} with no plan to withdraw",
        "are not leaving {place} in the foreseeable future",
        "keep their military presence at {place}",
        "are reinforcing their positions at {place}",
    ],
    "leave": [
        "have begun moving equipment out of {place}",
        "have cut the number of troops at {place}",
        "are ready to withdraw from {place} if asked to",
        "have emptied some of the depots at {place}",
    ],
    "conditional": [
        "may stay at {place} if that serves the Syrian people",
        "accept {place} on condition that sovereignty is respected",
        "welcome {place} in exchange for reconstruction support",
    ],
    "negotiating": [
        "have not yet decided the future of {place}",
        "are still consulting on the future of {place}",
        "say it is too early to talk about the fate of {place}",
    ],
    "review": [
        "will reconsider the agreements on {place}",
        "are studying a suspension of the agreement on {place}",
        "want the lease terms of {place} renegotiated",
    ],
    "unclear": [
        "are taking precautions to protect the troops at {place}",
        "are following the security situation around {place} closely",
        "did not comment on what is happening at {place}",
    ],
}
# bases → the place phrase, Arabic and English.
PLACES = {
    ("hmeimim",): ("قاعدة حميميم الجوية", "the Hmeimim air base"),
    ("tartus",): ("القاعدة البحرية في طرطوس", "the Tartus naval facility"),
    ("hmeimim", "tartus"): ("قاعدتي حميميم وطرطوس", "the Hmeimim and Tartus bases"),
    (): ("الساحل السوري", "the Syrian coast"),
}
TIMES_AR = ["", "", "", " خلال الأشهر المقبلة", " بعد سقوط النظام السابق", " حتى نهاية العام"]
TIMES_EN = [
    "",
    "",
    "",
    " in the coming months",
    " after the fall of the former regime",
    " until the end of the year",
]
# Words few statements use: the rare combinations a search or a filter may look for.
RARE_AR = ["اللاذقية", "جبلة", "القامشلي", "بانياس", "الفرقاطات", "الغواصات", "كاسحات الألغام"]
RARE_EN = ["Latakia", "Jableh", "Qamishli", "Baniyas", "frigates", "submarines", "minesweepers"]

VERBS_AR = ["قال", "أكد", "أوضح", "أشار", "صرح", "شدد", "أعلن"]
VERBS_EN = ["said", "stressed", "explained", "noted", "told reporters", "insisted", "announced"]
SUMMARIES_EN = {
    "stay": "{who} says Russia keeps its forces at {place}.",
    "leave": "{who} says Russia is reducing or ending its presence at {place}.",
    "conditional": "{who} accepts Russia at {place} only on conditions.",
    "negotiating": "{who} says the future of {place} is still under discussion.",
    "review": "{who} wants the agreements on {place} reviewed.",
    "unclear": "{who} speaks of {place} without taking a position.",
}
FILLER_AR = [
    "وجاءت هذه التصريحات في وقت تشهد فيه العلاقات بين البلدين مرحلة جديدة بعد التغيير السياسي في دمشق.",
    "ويأتي ذلك وسط نقاشات حول مستقبل التعاون الاقتصادي والعسكري وملفات الطاقة والقمح وإعادة الإعمار.",
    "ولم يصدر أي تعليق رسمي من الجانب الآخر حتى لحظة إعداد هذا التقرير.",
    "وكانت وسائل إعلام قد نشرت صورا بالأقمار الصناعية تظهر حركة سفن وطائرات شحن في المنطقة.",
    "ويرى مراقبون أن الملف سيبقى مطروحا على طاولة المفاوضات خلال الفترة المقبلة.",
    "وتعد القاعدتان الموقعين العسكريين الوحيدين لروسيا على البحر الأبيض المتوسط.",
]
FILLER_EN = [
    "The remarks come as relations between the two countries enter a new phase after the change of power in Damascus.",
    "They come amid talks on economic and military cooperation, energy, wheat and reconstruction.",
    "There was no official comment from the other side at the time of writing.",
    "Satellite images published by several outlets showed ships and cargo planes moving in the area.",
    "Observers expect the issue to stay on the negotiating table in the months ahead.",
    "The two bases are Russia's only military sites on the Mediterranean.",
]
TITLES_AR = [
    "{name} يتحدث عن مستقبل القواعد الروسية في سوريا",
    "تصريحات جديدة حول حميميم وطرطوس",
    "{name}: ملف القواعد الروسية قيد البحث",
    "ماذا قال {name} عن الوجود العسكري الروسي؟",
]
TITLES_EN = [
    "{name} on the future of Russia's bases in Syria",
    "New remarks on Hmeimim and Tartus",
    "{name}: the Russian bases are under discussion",
    "What {name} said about Russia's military presence",
]

OUTLETS_AR = [
    "المنبر الحر",
    "عنب بلدي",
    "الشرق الأوسط",
    "روسيا اليوم",
    "سبوتنيك عربي",
    "الجزيرة نت",
    "العربية",
    "تلفزيون سوريا",
    "الوطن السورية",
    "سانا",
    "العربي الجديد",
    "القدس العربي",
    "النهار",
    "الأخبار",
    "المدن",
    "إندبندنت عربية",
    "سكاي نيوز عربية",
    "بي بي سي عربي",
]
OUTLETS_EN = [
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "The Moscow Times",
    "Al-Monitor",
    "Middle East Eye",
    "The National",
    "Kyiv Independent",
    "Meduza",
    "Syria Direct",
    "Enab Baladi English",
    "The New Arab",
    "Asharq Al-Awsat English",
    "TASS English",
]
AGENCIES = ["TASS", "RIA Novosti", "Interfax", "Sputnik", "SANA", "Reuters", "AFP", "Izvestia"]
TAGS = [
    "agreement",
    "withdrawal",
    "naval",
    "air-base",
    "lease",
    "sovereignty",
    "reconstruction",
    "security",
    "negotiations",
    "un",
    "turkey",
    "israel",
    "us",
    "eu",
    "energy",
    "wheat",
    "satellite-images",
    "troops",
    "equipment",
    "coast",
    "latakia",
    "diplomacy",
    "visit",
    "phone-call",
    "interview",
    "press-conference",
    "statement",
    "parliament",
    "sanctions",
    "humanitarian",
    "investment",
    "ports",
    "air-defence",
    "drills",
    "fleet",
    "transition",
]

# Generated speakers: Arabic and Latin forms of one name.
GIVEN = [
    ("أحمد", "Ahmad"),
    ("محمد", "Mohammad"),
    ("خالد", "Khaled"),
    ("عمر", "Omar"),
    ("يوسف", "Youssef"),
    ("سامر", "Samer"),
    ("فراس", "Firas"),
    ("ليلى", "Layla"),
    ("رنا", "Rana"),
    ("هالة", "Hala"),
    ("أندريه", "Andrei"),
    ("إيغور", "Igor"),
    ("نيكولاي", "Nikolai"),
    ("أولغا", "Olga"),
    ("يلينا", "Yelena"),
    ("جون", "John"),
    ("سارة", "Sarah"),
    ("محمود", "Mahmoud"),
    ("باسل", "Basel"),
    ("طارق", "Tariq"),
]
FAMILY = [
    ("الحسن", "al-Hassan"),
    ("العلي", "al-Ali"),
    ("الخطيب", "al-Khatib"),
    ("حداد", "Haddad"),
    ("النجار", "al-Najjar"),
    ("السعيد", "al-Saeed"),
    ("الأحمد", "al-Ahmad"),
    ("إيفانوف", "Ivanov"),
    ("بتروف", "Petrov"),
    ("سميرنوف", "Smirnov"),
    ("كوزلوف", "Kozlov"),
    ("سميث", "Smith"),
    ("ميلر", "Miller"),
    ("أوغلو", "Oglu"),
    ("يلماز", "Yilmaz"),
    ("الرفاعي", "al-Rifai"),
]
ROLES = [
    ("RU", "Russian diplomat"),
    ("RU", "Russian lawmaker"),
    ("RU", "Russian military analyst"),
    ("SY", "Syrian official"),
    ("SY", "Syrian lawmaker"),
    ("SY", "Syrian military commander"),
    ("TR", "Turkish official"),
    ("US", "US official"),
    ("IL", "Israeli official"),
    ("QA", "Qatari diplomat"),
    ("UN", "UN official"),
    ("EU", "EU official"),
]
