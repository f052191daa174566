"""The caseload report's files: a CSV per table (a folder or one zip), JSON, Markdown, and a
self-contained printable HTML page with inline SVG charts. Each is made from a laid-out
:class:`~linkworker.formats.caseload_report.ReportDocument`, so every format shows the same
disclosed figures."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from linkworker import __version__
from linkworker.formats.charts import chart_points, chart_svg, text_bars
from linkworker.formats.report_document import Cell, ReportDocument, ReportTable, cell_text
from linkworker.formats.text import long_date, md, md_table, period_words
from linkworker.formats.writer import ExportError
from linkworker.reports.disclosure import DISCLOSURE_RULE, IDENTIFIABLE_NOTICE
from linkworker.validation import escape_controls_in_json

CASELOAD_FORMATS = ("csv", "json", "md", "html")
GENERATOR = f"linkworker {__version__}"


# --- Markdown ---------------------------------------------------------------------------


def caseload_markdown(doc: ReportDocument) -> str:
    """Markdown that reads on its own: headings by Information Standard group, tables, notes."""
    out = [
        f"# {doc.title}",
        "",
        f"**Period:** {period_words(doc.period)}  ",
        f"**Produced:** {long_date(doc.generated_on)} by {GENERATOR}  ",
        *_markdown_signature(doc),
        f"**{'IDENTIFIABLE' if doc.identifiable else 'Pseudonymised'}**",
        "",
    ]
    for i, notice in enumerate(doc.notices):
        out += ([">"] if i else []) + [f"> {md(notice)}"]
    out += ["", "## At a glance", ""]
    out += [f"- {name}: **{cell_text(v) or 'n/a'}**" for name, v in doc.headline]
    for number_, (group, tables) in enumerate(doc.groups(), start=1):
        out += ["", f"## {number_}. {group}"]
        for t in tables:
            out += ["", f"### {md(t.title)}", "", *_markdown_table(t)]
    if doc.footer:
        out += ["", "---", "", f"*{md(doc.footer)}*"]
    return "\n".join(out) + "\n"


def _markdown_signature(doc: ReportDocument) -> list[str]:
    """'Prepared by:' and the worker's lines, each ending in a hard line break."""
    if not doc.prepared_by:
        return []
    first, *rest = (md(line) for line in doc.prepared_by)
    return [f"**Prepared by:** {first}  ", *(f"{line}  " for line in rest)]


def _markdown_table(t: ReportTable) -> list[str]:
    align = ["---" if i == 0 else "---:" for i in range(len(t.columns))]
    rows = [[md(cell_text(v)) for v in row] for row in t.rows]
    out = md_table([md(c) for c in t.columns], rows, align=align)
    if t.chart:
        bars = text_bars(chart_points(t), 30, "" if t.chart == "months" else "%")
        out += ["", "```text", *bars, "```"]
    if t.note:
        out += ["", f"*{md(t.note)}*"]
    return out


# --- JSON -------------------------------------------------------------------------------


def caseload_data(doc: ReportDocument) -> dict[str, Any]:
    """The report as plain data (the JSON format)."""
    return {
        "report": doc.title,
        "period": {"from": doc.period.start.isoformat(), "to": doc.period.end.isoformat()},
        "generated_on": doc.generated_on.isoformat(),
        "generator": GENERATOR,
        "prepared_by": doc.prepared_by,
        "identifiable": doc.identifiable,
        "pseudonymised": not doc.identifiable,
        "disclosure_rule": None if doc.identifiable else DISCLOSURE_RULE,
        "notices": doc.notices,
        "headline": {name: v for name, v in doc.headline},
        "groups": [
            {
                "group": group,
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "columns": t.columns,
                        "rows": [dict(zip(t.columns, row, strict=True)) for row in t.rows],
                        "note": t.note,
                    }
                    for t in tables
                ],
            }
            for group, tables in doc.groups()
        ],
    }


def caseload_json(doc: ReportDocument) -> str:
    """The report as indented JSON (UTF-8 kept readable)."""
    return (
        escape_controls_in_json(json.dumps(caseload_data(doc), indent=2, ensure_ascii=False)) + "\n"
    )


# --- CSV --------------------------------------------------------------------------------


def _csv_safe(value: Cell) -> Cell:
    # A text cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_safe(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else _csv_safe(v) for v in row])
    # UTF-8 with a byte order mark: Excel then reads £, é and © correctly.
    return buffer.getvalue().encode("utf-8-sig")


#: The order that numbers the CSV files, so a file keeps its name whichever tables a
#: report has (the identifiable list of episodes comes last).
CSV_ORDER = (
    "age_bands",
    "sex",
    "ethnicity",
    "postcode_areas",
    "referrals_by_month",
    "referrals_by_source",
    "referrals_by_need",
    "referral_outcomes",
    "contacts",
    "activities_by_category",
    "outcome_change",
    "discharges_by_reason",
    "contacts_per_episode",
    "episodes",
    # Added after the list of episodes, so that every file before keeps its number.
    "involvement",
    "measures_recorded",
    "community_work",
    "workers_headline",
    "workers_support",
    "workers_outcomes",
)


def caseload_csv_files(doc: ReportDocument) -> list[tuple[str, bytes]]:
    """One CSV per table (numbered in report order) plus 00_about.csv describing the report."""
    about = [
        ["Report", doc.title],
        ["Period from", doc.period.start.isoformat()],
        ["Period to", doc.period.end.isoformat()],
        ["Produced on", doc.generated_on.isoformat()],
        ["Produced by", GENERATOR],
        *([["Prepared by", "; ".join(doc.prepared_by)]] if doc.prepared_by else []),
        ["Identifiable", "yes" if doc.identifiable else "no (pseudonymised, suppressed)"],
        *[["Notice", n] for n in doc.notices],
    ]
    files = [("00_about.csv", _csv_bytes(["Field", "Value"], about))]
    order = {key: n for n, key in enumerate(CSV_ORDER, start=1)}
    position = 0
    for group, tables in doc.groups():
        for t in tables:
            position += 1
            rows = [[group, t.title, *row] for row in t.rows]
            # Another report's tables are numbered in the order it lays them out.
            number_ = order.get(t.key, len(order) + 1) if t.key in order else position
            files.append(
                (f"{number_:02d}_{t.key}.csv", _csv_bytes(["Group", "Table", *t.columns], rows))
            )
    return sorted(files)


def caseload_zip(doc: ReportDocument) -> bytes:
    """The CSV files in one zip (fixed timestamps: the same report gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in caseload_csv_files(doc):
            info = zipfile.ZipInfo(name, date_time=(*doc.generated_on.timetuple()[:3], 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------

_HTML_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #212b32; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { color: #005eb8; margin-bottom: 0.2em; }
h2 { border-bottom: 3px solid #005eb8; padding-bottom: 0.2em; margin-top: 2em; }
h3 { margin-bottom: 0.4em; }
table { border-collapse: collapse; margin: 0.5em 0; min-width: 50%; }
th, td { border: 1px solid #aeb7bd; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #e8edee; }
tr.total td { font-weight: bold; }
.meta { color: #4c6272; }
.notice { border-left: 6px solid #005eb8; background: #f0f4f5; padding: 0.5em 1em; }
.notice.identifiable { border-color: #d5281b; background: #fde8e6; font-weight: bold; }
.note { color: #4c6272; font-size: 0.9em; }
.glance { display: flex; flex-wrap: wrap; gap: 0.8em; padding: 0; list-style: none; }
.glance li { border: 1px solid #aeb7bd; padding: 0.5em 0.8em; min-width: 9em; }
.glance b { display: block; font-size: 1.6em; color: #005eb8; }
svg.chart { max-width: 40em; display: block; margin: 0.5em 0; }
svg.chart text { fill: #212b32; font-family: Arial, Helvetica, sans-serif; }
footer { margin-top: 3em; color: #4c6272; font-size: 0.85em; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; }
  section.table { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


#: Added for a report printed a section a page (the referrer feedback).
_PAGE_PER_SECTION_STYLE = "@media print { h2.new-page { break-before: page; } }\n"


def caseload_html(doc: ReportDocument) -> str:
    """One self-contained, printable HTML page: no scripts, fonts or links to elsewhere."""
    e = html.escape
    status = "IDENTIFIABLE" if doc.identifiable else "Pseudonymised"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}: {e(period_words(doc.period))}</title>",
        f"<style>{_HTML_STYLE}{_PAGE_PER_SECTION_STYLE if doc.page_per_section else ''}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(doc.title)}</h1>",
        f'<p class="meta">Period: <b>{e(period_words(doc.period))}</b> &middot; Produced '
        f"{e(long_date(doc.generated_on))} by linkworker {e(__version__)} &middot; "
        f"<b>{status}</b></p>",
        *_html_signature(doc),
    ]
    for n in doc.notices:
        cls = "notice identifiable" if n == IDENTIFIABLE_NOTICE else "notice"
        out.append(f'<p class="{cls}">{e(n)}</p>')
    out.append('<h2>At a glance</h2><ul class="glance">')
    for name, value in doc.headline:
        out.append(f"<li><b>{e(cell_text(value) or 'n/a')}</b>{e(name)}</li>")
    out.append("</ul>")
    for number_, (group, tables) in enumerate(doc.groups(), start=1):
        page = ' class="new-page"' if doc.page_per_section and number_ > 1 else ""
        out.append(f"<h2{page}>{number_}. {e(group)}</h2>")
        for t in tables:
            out += _html_table(t)
    out += [
        *([f"<footer><p>{e(doc.footer)}</p></footer>"] if doc.footer else []),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _html_signature(doc: ReportDocument) -> list[str]:
    """'Prepared by' and the worker's lines (name in bold), under the report's dates."""
    if not doc.prepared_by:
        return []
    first, *rest = (html.escape(line) for line in doc.prepared_by)
    lines = "<br>".join([f"Prepared by: <b>{first}</b>", *rest])
    return [f'<p class="meta signature">{lines}</p>']


class _CellsAsHtml(dict[tuple[type, Cell], str]):
    """Each cell of one table as HTML text, by (type, value), escaped once: a team report's
    By worker tables repeat the same few cells (<5, suppressed, the scores' names) in
    thousands of rows. Typed, as True is not 1 nor 1.0; one a table, so nothing is kept."""

    def __missing__(self, key: tuple[type, Cell]) -> str:
        shown = self[key] = html.escape(cell_text(key[1]))
        return shown


def _html_table(t: ReportTable) -> list[str]:
    e = html.escape
    out = [f'<section class="table" id="{e(t.key)}"><h3>{e(t.title)}</h3>']
    if t.chart:
        out.append(chart_svg(t))
    out.append("<table><thead><tr>")
    out += [f'<th scope="col">{e(c)}</th>' for c in t.columns]
    out.append("</tr></thead><tbody>")
    cells = _CellsAsHtml()
    for row in t.rows:
        total = str(row[0]).startswith("All ")
        out.append('<tr class="total">' if total else "<tr>")
        # A whole number is shown as it is, with nothing to escape.
        out += [f"<td>{v if type(v) is int else cells[type(v), v]}</td>" for v in row]
        out.append("</tr>")
    out.append("</tbody></table>")
    if t.note:
        out.append(f'<p class="note">{e(t.note)}</p>')
    out.append("</section>")
    return out


# --- Which files an export writes ---------------------------------------------------------


def check_format(fmt: str, formats: Sequence[str] = CASELOAD_FORMATS) -> None:
    """Refuse a format that is not one of ``formats``, naming them."""
    if fmt not in formats:
        raise ExportError(f"format: '{fmt}' is not one of {', '.join(formats)}")


def is_csv_folder(fmt: str, output: Path) -> bool:
    """True when a CSV export goes to a folder of tables (not one .zip)."""
    return fmt == "csv" and output.suffix.lower() != ".zip"


def caseload_outputs(doc: ReportDocument, fmt: str, output: Path) -> list[tuple[Path, bytes]]:
    """The files a caseload export writes: (path, bytes) for each.

    csv: ``output`` ending in .zip gives one zip; otherwise ``output`` is a folder (made if
    missing) holding one CSV per table.
    """
    check_format(fmt)
    if is_csv_folder(fmt, output):
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; CSV needs a folder (or a name ending .zip)")
        return [(output / name, data) for name, data in caseload_csv_files(doc)]
    if fmt == "csv":
        return [(output, caseload_zip(doc))]
    writers = {"json": caseload_json, "md": caseload_markdown, "html": caseload_html}
    return [(output, writers[fmt](doc).encode("utf-8"))]
