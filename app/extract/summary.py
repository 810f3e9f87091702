"""A one-line English summary of a claim, built from its fields (marked machine-made in the output)."""

from collections.abc import Sequence

from app.extract.types import Base, Speaker, Stance

_WHAT = {
    "stay": "Russia's military presence{where} will stay",
    "leave": "Russia's military presence{where} should end or be reduced",
    "conditional": "Russia's military presence{where} is acceptable only on conditions",
    "negotiating": "the future of Russia's military presence{where} is still under discussion",
    "review": "the agreements on Russia's military presence{where} are to be reviewed",
    "unclear": "commented on Russia's military presence{where}",
}
_WHERE = {
    ("hmeimim", "tartus"): " at Hmeimim and Tartus",
    ("hmeimim",): " at Hmeimim air base",
    ("tartus",): " at the Tartus naval facility",
    (): " in Syria",
}


def summarize(speaker: Speaker, stance: Stance, bases: Sequence[Base], via: Sequence[str]) -> str:
    """`Dmitry Peskov said Russia's military presence at Hmeimim and Tartus will stay.`"""
    what = _WHAT[stance].format(where=_WHERE[tuple(bases)])
    said = "" if stance == "unclear" else "said "
    source = f" (via {', '.join(via)})" if via else ""
    return f"{speaker.name_en}{source} {said}{what}."
