"""Any laid-out report (:class:`~linkworker.formats.caseload_report.ReportDocument`) as
plain text: fixed-width tables that print on one sheet, for the practice meeting."""

from __future__ import annotations

import textwrap

from linkworker import __version__
from linkworker.formats.report_document import ReportDocument, ReportTable, cell_text
from linkworker.formats.text import long_date, period_words

WIDTH = 78
#: A form feed between sections that each fill a page: printers start a new sheet there.
PAGE_BREAK = "\f"


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def table_lines(table: ReportTable) -> list[str]:
    """A table in columns: the first left-aligned (wrapped when long), the rest right."""
    cells = [[cell_text(v) for v in row] for row in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(table.columns)]
    rest = sum(widths[1:]) + 2 * (len(widths) - 1)
    widths[0] = max(12, min(widths[0], WIDTH - rest))

    def line(values: list[str]) -> list[str]:
        first = textwrap.wrap(values[0], widths[0]) or [""]
        tail = "".join(f"  {v:>{w}}" for v, w in zip(values[1:], widths[1:], strict=True))
        out = [f"{first[0]:<{widths[0]}}{tail}".rstrip()]
        return out + first[1:]

    out = [table.title, *line(table.columns), "-" * min(WIDTH, widths[0] + rest)]
    for row in cells:
        out += line(row)
    if table.note:
        out += _wrapped(table.note)
    return out


def document_text(doc: ReportDocument) -> str:
    """The whole report as plain text (a form feed before each section that takes a page)."""
    out = [
        doc.title.upper(),
        f"Period: {period_words(doc.period)}",
        f"Produced: {long_date(doc.generated_on)} by linkworker {__version__}",
        *(["Prepared by: " + "; ".join(doc.prepared_by)] if doc.prepared_by else []),
        "IDENTIFIABLE" if doc.identifiable else "Pseudonymised",
        "",
    ]
    for notice in doc.notices:
        out += [*_wrapped(notice), ""]
    out += [f"{name}: {cell_text(v) or 'n/a'}" for name, v in doc.headline]
    for number_, (group, tables) in enumerate(doc.groups(), start=1):
        page = PAGE_BREAK if doc.page_per_section and number_ > 1 else ""
        out += [page, f"{number_}. {group}", ""]
        for t in tables:
            out += [*table_lines(t), ""]
    if doc.footer:
        out += _wrapped(doc.footer)
    return "\n".join(out).rstrip() + "\n"
