"""The share image of a claim (1200×630 PNG for Open Graph and Twitter cards).

Arabic is shaped and ordered by Pillow's raqm layout (HarfBuzz for joining, FriBiDi for order),
never drawn letter by letter: without raqm the letters would come out reversed and unjoined, so
this module refuses to draw at all then. A line with letters IBM Plex Sans Arabic lacks (Russian
articles' Cyrillic) is drawn run by run, each in the face that has its letters, in the visual
order FriBiDi gives.
"""

import ctypes
import ctypes.util
import io
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from app.queries.claims import ClaimPage, ClaimVersion
from app.queries.corrections import long_date
from app.queries.timeline import ArticleRef
from app.web.claim_meta import notice_of, source_line
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
def font(size: int, *, bold: bool = False, fallback: bool = False) -> ImageFont.FreeTypeFont:
    """IBM Plex Sans Arabic, whose Latin letters and digits serve mixed quotes too; `fallback`:
    IBM Plex Sans cut to the letters that one lacks (Cyrillic, Greek, most of Latin Extended:
    static/fonts/LICENSE-basewatch-Fallback.txt)."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: Arabic cannot be shaped")
    name = "basewatchFallback" if fallback else "IBMPlexSansArabic"
    path = FONTS / f"{name}-{'SemiBold' if bold else 'Regular'}.woff2"
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


_MISSING = "\uffff"  # no character: every face draws its missing-glyph box for it
_PROBE_SIZE = 20


@cache
def has_glyph(char: str, *, bold: bool = False, fallback: bool = False) -> bool:
    """Whether the face draws `char` as something other than its missing-glyph box."""
    face = font(_PROBE_SIZE, bold=bold, fallback=fallback)
    drawn, missing = face.getmask(char), face.getmask(_MISSING)
    return (drawn.size, bytes(drawn)) != (missing.size, bytes(missing))


def in_fallback(text: str, *, bold: bool = False) -> list[bool]:
    """Whether each character is drawn with the fallback face: one IBM Plex Sans Arabic lacks
    and the fallback has, and a combining mark after one, which must sit on its letter."""
    fallback = [
        not has_glyph(c, bold=bold) and has_glyph(c, bold=bold, fallback=True) for c in text
    ]
    for i in range(1, len(text)):
        if fallback[i - 1] and unicodedata.category(text[i]).startswith("M"):
            fallback[i] = has_glyph(text[i], bold=bold, fallback=True)
    return fallback


_DIRECTIONS = ("ltr", "rtl")  # by an embedding level's parity
_PARAGRAPH = {"ltr": 0x110, "rtl": 0x111}  # FRIBIDI_PAR_LTR, FRIBIDI_PAR_RTL


@dataclass(frozen=True)
class Run:
    """Part of a line drawn with one face in one direction."""

    text: str
    fallback: bool
    direction: str


def runs(text: str, direction: str, *, bold: bool = False) -> list[Run]:
    """`text` as one line, in runs from left to right: the whole line when IBM Plex Sans
    Arabic has all of it, as raqm lays it out; else cut where the face or FriBiDi's embedding
    level changes, each run kept in logical order to be shaped in its level's direction."""
    fallback = in_fallback(text, bold=bold)
    if not any(fallback):
        return [Run(text, False, direction)]
    order, levels = _visual_order(text, direction)
    groups: list[list[int]] = []
    for i in order:
        last = groups[-1][-1] if groups else None
        if last is None or (fallback[i], levels[i]) != (fallback[last], levels[last]):
            groups.append([])
        groups[-1].append(i)
    return [
        Run(
            "".join(text[i] for i in sorted(group)),
            fallback[group[0]],
            _DIRECTIONS[levels[group[0]] % 2],
        )
        for group in groups
    ]


@cache
def _fribidi() -> ctypes.CDLL:
    """FriBiDi, which raqm orders lines with: Pillow's raqm layout needs it (libfribidi0)."""
    library = ctypes.CDLL(ctypes.util.find_library("fribidi") or "libfribidi.so.0")
    library.fribidi_log2vis.restype = ctypes.c_int8
    return library


def _visual_order(text: str, direction: str) -> tuple[list[int], list[int]]:
    """The characters' logical indexes from left to right, and each one's embedding level, by
    Unicode's bidirectional algorithm for one line in a paragraph of `direction`."""
    size = len(text)
    chars = (ctypes.c_uint32 * size)(*map(ord, text))
    paragraph = ctypes.c_uint32(_PARAGRAPH[direction])
    order, levels = (ctypes.c_int * size)(), (ctypes.c_int8 * size)()
    if not _fribidi().fribidi_log2vis(
        chars, size, ctypes.byref(paragraph), None, None, order, levels
    ):
        raise RuntimeError("FriBiDi could not order a line of the share card")
    return list(order), list(levels)


@dataclass(frozen=True)
class Lettering:
    """The card's type at one size and weight: each run of a line in the face that has it."""

    size: int
    bold: bool = False

    def face(self, run: Run) -> ImageFont.FreeTypeFont:
        return font(self.size, bold=self.bold, fallback=run.fallback)

    def getlength(self, text: str, direction: str) -> float:
        return sum(
            self.face(run).getlength(run.text, direction=run.direction)
            for run in runs(text, direction, bold=self.bold)
        )

    def draw(
        self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, fill: str, direction: str
    ) -> None:
        """One line from `xy`, its top left, or its top right when `direction` is rtl."""
        parts = runs(text, direction, bold=self.bold)
        if parts == [Run(text, False, direction)]:  # IBM Plex Sans Arabic has all of it
            anchor = "ra" if direction == "rtl" else "la"
            draw.text(
                xy, text, font=self.face(parts[0]), fill=fill, anchor=anchor, direction=direction
            )
            return
        x = xy[0] - self.getlength(text, direction) if direction == "rtl" else xy[0]
        baseline = xy[1] + font(self.size, bold=self.bold).getmetrics()[0]
        for run in parts:  # on one baseline: the faces' ascenders differ
            face = self.face(run)
            draw.text(
                (x, baseline), run.text, font=face, fill=fill, anchor="ls", direction=run.direction
            )
            x += face.getlength(run.text, direction=run.direction)


def is_rtl(text: str) -> bool:
    """The direction of the first strong character (Unicode's rule for a paragraph)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, lettering: Lettering, width: int, direction: str) -> list[str]:
    """Lines in logical order, each no wider than `width` as shaped; the last ends in … if cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and lettering.getlength(candidate, direction=direction) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > QUOTE_LINES:  # the last line shown is the rest, cut where it fits
        lines = [
            *lines[: QUOTE_LINES - 1],
            fitted(" ".join(lines[QUOTE_LINES - 1 :]), lettering, width),
        ]
    return lines


_ISOLATES = ("\u2066", "\u2067", "\u2068")  # LRI, RLI, FSI: each closed by a PDI
_PDI = "\u2069"


def fitted(text: str, lettering: Lettering, width: int) -> str:
    """`text` on one line no wider than `width`: cut at a word (inside a word only when one
    word is too wide), ending in …, its open isolates closed so the … stays outside them.
    Drawn as it was, a long role or source chain ran off the card's edge mid-word."""
    direction = "rtl" if is_rtl(text) else "ltr"
    if lettering.getlength(text, direction=direction) <= width:
        return text
    words = text.split(" ")
    while True:
        kept = " ".join(words)
        opened = sum(kept.count(mark) for mark in _ISOLATES) - kept.count(_PDI)
        line = kept + _PDI * max(opened, 0) + " …"
        if len(kept) <= 1 or lettering.getlength(line, direction=direction) <= width:
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
    quote_lettering = Lettering(46)
    quote = (f"«{card.quote}»" if rtl else f"“{card.quote}”") if card.direct else card.quote
    lines = wrap(quote, quote_lettering, width, direction)
    y = 130
    for line in lines:
        quote_lettering.draw(draw, (SIZE[0] - MARGIN if rtl else MARGIN, y), line, INK, direction)
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
    lettering = Lettering(size, bold)
    text = fitted(text, lettering, SIZE[0] - 2 * MARGIN)
    rtl = is_rtl(text)
    x = SIZE[0] - xy[0] if rtl else xy[0]
    lettering.draw(draw, (x, xy[1]), text, fill, "rtl" if rtl else "ltr")


def _stance(draw: ImageDraw.ImageDraw, stance: str) -> None:
    """The stance as a word on its colour, top right, as on the page."""
    face = font(26, bold=True)
    width = face.getlength(stance)
    right, top = SIZE[0] - MARGIN, 44
    box = (right - width - 32, top - 4, right, top + 38)
    draw.rounded_rectangle(box, radius=20, fill=STANCE_COLOURS.get(stance, QUIET))
    text_colour = INK if stance in ("conditional", "review") else "#ffffff"
    draw.text((right - 16, top + 17), stance, font=face, fill=text_colour, anchor="rm")
