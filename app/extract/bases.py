"""Which bases a piece of text names: Hmeimim, Tartus, both (القاعدتين، Russia's bases) or none."""

from functools import lru_cache

from app.extract.types import Base
from app.extract.words import Terms, lowered

HMEIMIM = Terms.of(r"حميميم|القاعدة الجوية|قاعدة جوية", r"k?hmeimim|hmeymim|air ?base")
TARTUS = Terms.of(
    r"طرطوس|القاعدة البحرية|قاعدة بحرية|المنشأة البحرية|منشأة بحرية",
    r"tartous|tartus|naval (?:base|facility)",
)
BOTH = Terms.of(r"قاعدتين|قاعدتان|قاعدتي\w*|قواعد\w*", r"bases")
THE_BASE = Terms.of(r"القاعدة|للقاعدة|قاعدتنا|قاعدتهم", r"(?:the|our|this|that) base")
"""A base referred to without its name: which one, the sentences before say (`base_referred_to`)."""
AGREEMENTS = Terms.of(r"اتفاقيات|اتفاقات|معاهدات", r"agreements|treaties")
"""Agreements in the plural: the treaties that govern the bases (a deal under talks is singular)."""


@lru_cache(maxsize=512)
def bases_named(text: str) -> tuple[Base, ...]:
    """The bases a normalised text names: `قاعدة حميميم الجوية` → ("hmeimim",); `القاعدتين` → both."""
    text = lowered(text)
    if BOTH.search(text):
        return ("hmeimim", "tartus")
    named: list[Base] = []
    if HMEIMIM.search(text):
        named.append("hmeimim")
    if TARTUS.search(text):
        named.append("tartus")
    return tuple(named)


def bases_of_statement(text: str, *, bases_context: bool) -> tuple[Base, ...]:
    """`bases_named`, and in an article about the bases, the agreements (الاتفاقيات) mean both."""
    text = lowered(text)
    named = bases_named(text)
    if not named and bases_context and AGREEMENTS.search(text):
        return ("hmeimim", "tartus")
    return named


def base_referred_to(statement: str, before: str) -> tuple[Base, ...]:
    """The base a statement naming none calls "the base" (`القاعدة`): the one base its paragraph
    has named so far (`before`). `قاعدة حميميم …` then `«لن ننسحب من القاعدة»` → ("hmeimim",);
    nothing when the paragraph named both, or none, or the statement says no "the base"."""
    if bases_named(statement) or not THE_BASE.search(lowered(statement)):
        return ()
    named = bases_named(before)
    return named if len(named) == 1 else ()
