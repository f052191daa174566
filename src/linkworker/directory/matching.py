"""What a search looks for, and where it matched: the words, spans to make bold, snippets.

Words are folded the way the full-text index (FTS5, unicode61 with remove_diacritics)
folds them, so what the screens highlight is what the search found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from linkworker.directory.rows import ActivityRow, decode_list
from linkworker.display import literal


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a person typed: every word must match, as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


def fold(text: str) -> str:
    """A word as FTS5's unicode61 tokenizer with remove_diacritics sees it: café == CAFE."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_WORD = re.compile(r"[^\W_]+")


def query_words(text: str) -> list[str]:
    """The words of a search, folded the way the full-text index folds them."""
    return [fold(w) for w in fts_query(text).replace('"', " ").replace("*", " ").split()]


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every word in ``text`` that a search word matches as a prefix.

    The screens make these spans bold on the literal text, so the link worker sees why a
    row matched; nothing in ``text`` is interpreted.
    """
    if not words or not text:
        return []
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        folded = fold(match.group(0))
        if any(folded.startswith(w) for w in words):
            spans.append((match.start(), match.end()))
    return spans


@dataclass(frozen=True)
class MatchContext:
    """Where a search matched an activity outside its name: which field, and a snippet."""

    field: str
    text: str
    spans: list[tuple[int, int]]


#: Searchable fields beyond the name, in the order a link worker cares about them.
_CONTEXT_FIELDS = (
    ("description", "description"),
    ("organisation", "organisation"),
    ("categories", "categories"),
    ("venue", "venue"),
    ("town", "town"),
    ("postcode", "postcode"),
)


def match_context(row: ActivityRow, words: list[str], *, width: int = 70) -> MatchContext | None:
    """The first field (after the name) a search matched in, as a short snippet."""
    if not words:
        return None
    for column, title in _CONTEXT_FIELDS:
        value = row.get(column)
        if column == "categories":
            value = ", ".join(decode_list(row["categories"]))
        text = literal(value)
        spans = match_spans(text, words)
        if spans:
            return _snippet(title, text, spans, width)
    return None


def _snippet(title: str, text: str, spans: list[tuple[int, int]], width: int) -> MatchContext:
    start = max(0, spans[0][0] - width // 3)
    if start:
        # Begin at a word boundary, and say that the text goes on before.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    snippet = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    shifted = [
        (len(prefix) + a - start, len(prefix) + min(b, start + width) - start)
        for a, b in spans
        if start <= a < start + width
    ]
    return MatchContext(title, prefix + snippet + suffix, shifted)
