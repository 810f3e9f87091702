from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.queries.search import highlight, matching_words

TEXTS = ["قال إن القوات الروسية باقية في قاعدة حميميم", "Moscow will not withdraw from Hmeimim"]


def test_matching_words_asks_the_database_once_per_search_and_word(session: Session) -> None:
    asked: list[str] = []

    def record(*args: Any) -> None:
        asked.append(args[2])

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", record)
    try:
        first = matching_words(session, TEXTS, "حميميم withdrawal")
        assert first == {"حميميم", "Hmeimim", "withdraw"}
        assert matching_words(session, TEXTS, "حميميم withdrawal") == first
        assert matching_words(session, [*TEXTS, "Tartus"], "حميميم withdrawal") == first
        assert sum("unnest" in sql for sql in asked) == 2  # the first page, then the new word
        assert matching_words(session, TEXTS, "طرطوس") == set()
    finally:
        event.remove(bind, "before_cursor_execute", record)


def test_highlight_marks_whole_written_words_only() -> None:
    text = "قاعدةٌ والقاعدة، قاعدة_x withdraw withdrawal (withdraw) Rewithdraw ـقاعدة قاعدة"
    pieces = highlight(text, frozenset({"قاعدة", "withdraw", "القاعدة"}))
    assert "".join(piece for piece, _ in pieces) == text
    # A word carrying a diacritic or tatweel, or joined by "_", is another written word.
    assert [piece for piece, marked in pieces if marked] == ["withdraw", "withdraw", "قاعدة"]
    assert highlight(text, frozenset()) == ((text, False),)
