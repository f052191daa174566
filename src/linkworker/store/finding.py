"""Folding text for finding people as they are spoken of: "oneill" finds O'Neill-Smith.

The caseload filter and the command palette match typed words against a folded copy of a
person's names, NHS number, phone and postcode that ``person_summary`` keeps (migration
m011). The fold is written twice over one table, once as SQL (the summary's triggers run
in SQLite, which has no accent folding of its own) and once in Python (for what is typed),
so both sides always agree: ASCII lower case, accented Latin letters to their base letter,
and spaces, apostrophes, hyphens, full stops, brackets and plus signs left out.
"""

from __future__ import annotations

import unicodedata

#: What the fold leaves out: the marks a name or number is written with but not spoken by.
SEPARATORS = " '’‘`-‐‑–.()+"

#: Letters with no decomposition to a base letter, as English speakers say them.
_SPOKEN = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ı": "i",
    "ħ": "h",
    "Ħ": "h",
}


def _letter_folds() -> tuple[tuple[str, str], ...]:
    # Latin-1 Supplement and Latin Extended-A: the accented letters of European names.
    folds: list[tuple[str, str]] = []
    for point in range(0xC0, 0x180):
        letter = chr(point)
        if letter in _SPOKEN:
            folds.append((letter, _SPOKEN[letter]))
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
        )
        if base.isascii() and base.isalpha():
            folds.append((letter, base.lower()))
    return tuple(folds)


#: (character, what it folds to): the separators (to nothing), then the accented letters.
FOLDS: tuple[tuple[str, str], ...] = tuple((c, "") for c in SEPARATORS) + _letter_folds()


def fold(text: str | None) -> str:
    """Text as the finder compares it: what :func:`sql_fold_steps` do in SQLite, in Python."""
    # SQLite's lower() changes ASCII letters only; the table covers the accented ones.
    folded = "".join(c.lower() if c.isascii() else c for c in text or "")
    for character, replacement in FOLDS:
        folded = folded.replace(character, replacement)
    return folded


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


#: Replacements nested in one SQL expression: the SQLite of Python 3.11 refuses to read a
#: schema nesting 30 (its parser's stack is small), and every reader must open the store.
_NESTED = 20


def sql_fold_steps(column: str) -> list[tuple[str, str]]:
    """(assignment, condition) steps that, run in order, fold ``column`` as :func:`fold` does.

    The table is too long to nest in one expression, so it is applied in steps; the steps
    for accented letters only touch text that has a character beyond ASCII.
    """
    steps = []
    for start in range(0, len(FOLDS), _NESTED):
        sql = f"lower({column})" if start == 0 else column
        for character, replacement in FOLDS[start : start + _NESTED]:
            sql = f"replace({sql}, {_sql_string(character)}, {_sql_string(replacement)})"
        beyond_ascii = "1" if start == 0 else f"{column} GLOB '*[^ -~]*'"
        steps.append((f"{column} = {sql}", beyond_ascii))
    return steps


def like_pattern(word: str) -> str:
    """A LIKE pattern finding ``word`` anywhere (its own % and _ matched literally)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class FindingSummary:
    """The caseload summary's SQL with what finding people needs (migration m011).

    ``find_text`` holds the names, NHS number, phone and postcode between bars, folded by
    :data:`FOLDS` in steps after the insert; ``sort_name`` puts the family name first.
    """

    def __init__(self, summary_select: str) -> None:
        self.select = summary_select.replace(
            "person_id, full_name, search_text,",
            "person_id, full_name, search_text, find_text, sort_name,",
        ).replace(
            "|| ' ' || coalesce(p.nhs_number, '')),",
            "|| ' ' || coalesce(p.nhs_number, '')),\n"
            "    '|' || p.given_name || ' ' || p.family_name"
            " || '|' || coalesce(p.preferred_name, '')"
            " || '|' || coalesce(p.nhs_number, '') || '|' || coalesce(p.phone, '')"
            " || '|' || coalesce(p.postcode, '') || '|',\n"
            "    p.family_name || ' ' || p.given_name,",
        )
        if "find_text" not in self.select or "p.phone" not in self.select:
            raise ValueError("the caseload summary's SQL is not the shape m011 extends")
        self.steps = sql_fold_steps("find_text")

    def refresh(self, pid: str) -> str:
        """A trigger's statements making person ``pid``'s caseload row again."""
        folds = "".join(
            f"\n  UPDATE person_summary SET {assign} WHERE person_id = {pid} AND {condition};"
            for assign, condition in self.steps
        )
        return (
            f"\n  DELETE FROM person_summary WHERE person_id = {pid};"
            + self.select.replace("{where}", f"p.id = {pid}")
            + folds
        )

    def fill(self) -> list[str]:
        """The statements making everyone's caseload row again."""
        return [
            "DELETE FROM person_summary",
            self.select.replace("{where}", "1").strip().rstrip(";"),
            *(f"UPDATE person_summary SET {assign} WHERE {cond}" for assign, cond in self.steps),
        ]
