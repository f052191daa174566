"""Words shared by every export: dates, numbers, stored codes, and Markdown made safe."""

from __future__ import annotations

import re
from datetime import date

from linkworker.display import label, literal
from linkworker.models import Labelled
from linkworker.reports.content import NOT_KNOWN
from linkworker.reports.period import Period
from linkworker.validation import format_date


def uk_date(value: str | date | None) -> str:
    """23/11/2026: the form GP systems expect ('' for none)."""
    if not value:
        return ""
    return format_date(value[:10] if isinstance(value, str) else value, "numeric")


def long_date(value: str | date | None) -> str:
    """23 Nov 2026 ('' for none)."""
    if not value:
        return ""
    return format_date(value[:10] if isinstance(value, str) else value)


def period_words(period: Period) -> str:
    """1 Oct 2026 to 31 Dec 2026."""
    return f"{long_date(period.start)} to {long_date(period.end)}"


def number(value: float | None) -> str:
    """3, 17.43: whole numbers without a point, others to two places."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def signed(value: float) -> str:
    """+3, -0.55, 0."""
    if value == 0:
        return "0"
    return ("+" if value > 0 else "-") + number(abs(value))


def plural(count: int, noun: str) -> str:
    """'1 contact', '3 contacts', '0 unanswered attempts'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def words(enum: type[Labelled], code: str | None) -> str:
    """The label of a stored code; 'Not known' for a missing one."""
    if not code or code == NOT_KNOWN:
        return "Not known"
    return label(enum, code)


_MD_INLINE = re.compile(r"([\\`*_\[\]|]|<(?=[A-Za-z/!?]))")
# What makes a line a heading, quote, list item or numbered item.
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>]|[-+](?=\s))|(\d+)([.)])(?=\s|$))")


def md(value: object) -> str:
    """Stored text made safe for Markdown: one line, controls visible, markup escaped.

    Only what Markdown would act on is escaped (emphasis, code, links, table pipes, HTML
    tags, a marker at the start), so '<5', '3.80' and ordinary punctuation read as typed.
    """
    text = _MD_INLINE.sub(r"\\\1", literal(value))

    def marker(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return _MD_LINE_START.sub(marker, text)


def md_table(
    columns: list[str], rows: list[list[str]], *, align: list[str] | None = None
) -> list[str]:
    """A Markdown table from cells already made safe; ``align`` gives each column's rule
    ('---' or '---:'), plain rules by default."""
    rules = align or ["---"] * len(columns)
    out = ["| " + " | ".join(columns) + " |", "| " + " | ".join(rules) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out
