"""The share image of a claim (1200×630 PNG for Open Graph and Twitter cards).

Arabic is shaped and ordered by Pillow's raqm layout (HarfBuzz for joining, FriBiDi for order),
never drawn letter by letter: without raqm the letters would come out reversed and unjoined, so
this module refuses to draw at all then.
"""

import io
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from app.models.vocab import ClaimStatus
from app.queries.claims import ClaimPage, ClaimVersion
from app.queries.corrections import long_date
from app.queries.timeline import ArticleRef
from app.web.claim_meta import source_line
from app.web.i18n import isolate

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
SIZE = (1200, 630)
MARGIN = 72
QUOTE_LINES = 5
INK, QUIET, PAPER, ACCENT, WARNING = "#1d1d1f", "#5b5b66", "#fbfbfa", "#0b5cad", "#b3261e"
STANCE_COLOURS = {
    "stay": "#0072b2",
    "leave": "#d55e00",
    "conditional": "#e69f00",
    "negotiating": "#009e73",
    "review": "#cc79a7",
    "unclear": "#8a8a8a",
}


@dataclass(frozen=True)
class ShareCard:
    """Everything the image shows, as plain strings (hashable, so renders can be cached)."""

    quote: str
    speaker: str
    detail: str
    stance: str
    source: str
    direct: bool
    """A direct quotation, drawn between quotation marks; reported speech without, as on the
    page: an outlet's paraphrase is not the speaker's own words."""
    notice: str = ""
    """What the page's notice says of the claim (withdrawn, merged, unchecked), or nothing."""


def notice_of(page: ClaimPage) -> str:
    """The page's notice in a few words, as its card shows it beside the name: a preview of a
    claim withdrawn since it was first shared must not look like a live one."""
    if page.merged_into:
        return f"Merged into claim {page.merged_into.id}"
    if ClaimStatus.REJECTED in (page.shown.status, page.claim.status):
        return "Withdrawn"
    return "Not yet checked by an editor" if page.shown.status == ClaimStatus.EXTRACTED else ""


def card_of(shown: ClaimVersion, article: ArticleRef, notice: str = "") -> ShareCard:
    """In English whatever the reader's language: one image serves every share of the claim.
    The article's names are isolated, as in the citation: an override in one stays in it."""
    role = f" · {isolate(shown.role)}" if shown.role else ""
    return ShareCard(
        quote=shown.quote,
        speaker=isolate(shown.speaker.name_en) + role,
        detail=long_date(shown.stated_on, shown.stated_on_precision),
        stance=shown.stance,
        source=f"Reported by {source_line(article.outlet.name, shown.via)}",
        direct=shown.direct,
        notice=notice,
    )


def share_png(page: ClaimPage) -> bytes:
    return render_card(card_of(page.shown, page.claim.article, notice_of(page)))


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """IBM Plex Sans Arabic, complete: its Latin letters and digits serve mixed quotes too."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: Arabic cannot be shaped")
    path = FONTS / f"IBMPlexSansArabic-{'SemiBold' if bold else 'Regular'}.woff2"
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def is_rtl(text: str) -> bool:
    """The direction of the first strong character (Unicode's rule for a paragraph)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, direction: str) -> list[str]:
    """Lines in logical order, each no wider than `width` as shaped; the last ends in … if cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and face.getlength(candidate, direction=direction) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > QUOTE_LINES:  # the last line shown is the rest, cut where it fits
        lines = [*lines[: QUOTE_LINES - 1], fitted(" ".join(lines[QUOTE_LINES - 1 :]), face, width)]
    return lines


_ISOLATES = ("\u2066", "\u2067", "\u2068")  # LRI, RLI, FSI: each closed by a PDI
_PDI = "\u2069"


def fitted(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """`text` on one line no wider than `width`: cut at a word (inside a word only when one
    word is too wide), ending in …, its open isolates closed so the … stays outside them.
    Drawn as it was, a long role or source chain ran off the card's edge mid-word."""
    direction = "rtl" if is_rtl(text) else "ltr"
    if face.getlength(text, direction=direction) <= width:
        return text
    words = text.split(" ")
    while True:
        kept = " ".join(words)
        opened = sum(kept.count(mark) for mark in _ISOLATES) - kept.count(_PDI)
        line = kept + _PDI * max(opened, 0) + " …"
        if len(kept) <= 1 or face.getlength(line, direction=direction) <= width:
            return line
        words = words[:-1] if len(words) > 1 else [words[0][:-1]]


@lru_cache(maxsize=256)
def render_card(card: ShareCard) -> bytes:
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    draw.rectangle((0, 0, SIZE[0], 10), fill=STANCE_COLOURS.get(card.stance, QUIET))
    _text(draw, (MARGIN, 44), "basewatch", 30, ACCENT, bold=True)
    if card.notice:
        after_name = MARGIN + int(font(30, bold=True).getlength("basewatch")) + 24
        _text(draw, (after_name, 48), card.notice, 26, WARNING, bold=True)
    _stance(draw, card.stance)
    rtl = is_rtl(card.quote)
    direction = "rtl" if rtl else "ltr"
    quote_font = font(46)
    quote = (f"«{card.quote}»" if rtl else f"“{card.quote}”") if card.direct else card.quote
    lines = wrap(quote, quote_font, width, direction)
    y = 130
    for line in lines:
        x, anchor = (SIZE[0] - MARGIN, "ra") if rtl else (MARGIN, "la")
        draw.text((x, y), line, font=quote_font, fill=INK, anchor=anchor, direction=direction)
        y += 74
    _text(draw, (MARGIN, SIZE[1] - 150), card.speaker, 30, INK, bold=True)
    _text(draw, (MARGIN, SIZE[1] - 104), card.detail, 26, QUIET)
    _text(draw, (MARGIN, SIZE[1] - 66), card.source, 26, QUIET)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    size: int,
    fill: str,
    bold: bool = False,
) -> None:
    """One line, aligned to the start of its own direction."""
    face = font(size, bold=bold)
    text = fitted(text, face, SIZE[0] - 2 * MARGIN)
    if is_rtl(text):
        draw.text(
            (SIZE[0] - xy[0], xy[1]), text, font=face, fill=fill, anchor="ra", direction="rtl"
        )
    else:
        draw.text(xy, text, font=face, fill=fill, anchor="la", direction="ltr")


def _stance(draw: ImageDraw.ImageDraw, stance: str) -> None:
    """The stance as a word on its colour, top right, as on the page."""
    face = font(26, bold=True)
    width = face.getlength(stance)
    right, top = SIZE[0] - MARGIN, 44
    box = (right - width - 32, top - 4, right, top + 38)
    draw.rounded_rectangle(box, radius=20, fill=STANCE_COLOURS.get(stance, QUIET))
    text_colour = INK if stance in ("conditional", "review") else "#ffffff"
    draw.text((right - 16, top + 17), stance, font=face, fill=text_colour, anchor="rm")
