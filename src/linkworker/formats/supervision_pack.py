"""The supervision pack: a pseudonymised page per case marked for supervision, then the
caseload's figures, as Markdown, printable HTML or plain text.

A case is named only by its case reference (``SV-3F9A``): never a name, NHS number, date
of birth or postcode; flags without their notes, goals and activities by count. The
figures are the commissioner report's own tables (:func:`caseload_document`), so one
:class:`~linkworker.reports.disclosure.Disclosure` has decided every figure shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date

from linkworker.formats.report_document import ReportDocument, ReportTable, cell_text
from linkworker.formats.report_files import _HTML_STYLE, _html_table, _markdown_table
from linkworker.formats.text import long_date, md, period_words
from linkworker.reports.disclosure import DISCLOSURE_RULE

PACK_FORMATS = ("md", "html", "txt")
PACK_TITLE = "Supervision pack"
PACK_NOTICE = (
    "Pseudonymised: each case is named by its case reference only (the app shows which "
    "person it is); no names, NHS numbers, dates of birth or postcodes. The question is "
    "the link worker's own words."
)
#: The commissioner report's tables the pack repeats, in this order.
FIGURE_TABLES = ("referral_outcomes", "contacts_per_episode", "outcome_change")


@dataclass(frozen=True)
class CasePage:
    """One marked case, as the pack shows it."""

    case_ref: str
    question: str
    marked_on: date
    age_band: str
    flags: list[str]
    referral: str
    plan: str
    contacts: str
    measures: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)

    def facts(self) -> list[tuple[str, str]]:
        """(heading, words) in page order, lists joined."""
        return [
            ("Age band", self.age_band),
            ("Flags", ", ".join(self.flags) or "None raised"),
            ("Referral", self.referral),
            ("Plan", self.plan),
            ("Contacts", self.contacts),
            ("Measures", "; ".join(self.measures) or "No change to show yet"),
            ("What is stuck", "; ".join(self.stuck) or "Nothing overdue or stuck"),
        ]


@dataclass(frozen=True)
class SupervisionPack:
    """Every marked case and the caseload's figures (already disclosed)."""

    generated_on: date
    cases: list[CasePage]
    figures: ReportDocument
    last_session: str
    prepared_by: list[str] = field(default_factory=list)

    def figure_tables(self) -> list[ReportTable]:
        return [self.figures.table(key) for key in FIGURE_TABLES]


def _case_heading(case: CasePage) -> str:
    return f"Case {case.case_ref} (for supervision since {long_date(case.marked_on)})"


def pack_markdown(pack: SupervisionPack) -> str:
    """The pack as Markdown."""
    out = [f"# {PACK_TITLE}", "", f"**Produced:** {long_date(pack.generated_on)}  "]
    out += [f"**Prepared by:** {md(line)}  " for line in pack.prepared_by[:1]]
    out += [f"{md(pack.last_session)}", "", f"> {md(PACK_NOTICE)}", ""]
    if not pack.cases:
        out += ["No one is marked for supervision.", ""]
    for case in pack.cases:
        out += [f"## {md(_case_heading(case))}", "", f"**Question:** {md(case.question)}", ""]
        out += [f"- **{name}:** {md(words)}" for name, words in case.facts()]
        out.append("")
    out += [f"## The caseload: {md(period_words(pack.figures.period))}", ""]
    out += [f"- {md(name)}: **{cell_text(v) or 'n/a'}**" for name, v in pack.figures.headline]
    for t in pack.figure_tables():
        out += ["", f"### {md(t.title)}", "", *_markdown_table(t)]
    out += ["", f"*{md(DISCLOSURE_RULE)}*"]
    return "\n".join(out) + "\n"


def pack_text(pack: SupervisionPack) -> str:
    """The pack as plain text, a page per case (form feeds between them for a printer)."""
    out = [PACK_TITLE.upper(), f"Produced {long_date(pack.generated_on)}"]
    out += [f"Prepared by {line}" for line in pack.prepared_by[:1]]
    out += [pack.last_session, PACK_NOTICE, ""]
    if not pack.cases:
        out += ["No one is marked for supervision.", ""]
    for case in pack.cases:
        heading = _case_heading(case)
        out += [heading, "=" * len(heading), f"Question: {case.question}"]
        out += [f"{name}: {words}" for name, words in case.facts()]
        out += ["", "-" * 40, ""]
    title = f"The caseload: {period_words(pack.figures.period)}"
    out += [title, "=" * len(title)]
    out += [f"{name}: {cell_text(v) or 'n/a'}" for name, v in pack.figures.headline]
    for t in pack.figure_tables():
        out += ["", t.title, "-" * len(t.title)]
        for row in t.rows:
            first, *rest = (cell_text(v) for v in row)
            pairs = zip(t.columns[1:], rest, strict=True)
            out.append(f"{first}: " + " · ".join(f"{c} {v}" for c, v in pairs if v))
    out += ["", DISCLOSURE_RULE]
    return "\n".join(out) + "\n"


def pack_html(pack: SupervisionPack) -> str:
    """The pack as one self-contained printable HTML page, each case on its own page."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{PACK_TITLE}: {e(long_date(pack.generated_on))}</title>",
        f"<style>{_HTML_STYLE}section.case {{ break-after: page; }}</style>",
        "</head>",
        "<body>",
        f"<h1>{PACK_TITLE}</h1>",
        f'<p class="meta">Produced {e(long_date(pack.generated_on))}'
        + "".join(f" &middot; prepared by <b>{e(line)}</b>" for line in pack.prepared_by[:1])
        + f" &middot; {e(pack.last_session)}</p>",
        f'<p class="notice">{e(PACK_NOTICE)}</p>',
    ]
    if not pack.cases:
        out.append("<p>No one is marked for supervision.</p>")
    for case in pack.cases:
        out += [
            f'<section class="case"><h2>{e(_case_heading(case))}</h2>',
            f"<p><b>Question:</b> {e(case.question)}</p><dl>",
            *(f"<dt>{e(name)}</dt><dd>{e(words)}</dd>" for name, words in case.facts()),
            "</dl></section>",
        ]
    out.append(f"<h2>The caseload: {e(period_words(pack.figures.period))}</h2>")
    out.append('<ul class="glance">')
    out += [
        f"<li><b>{e(cell_text(v) or 'n/a')}</b>{e(name)}</li>" for name, v in pack.figures.headline
    ]
    out.append("</ul>")
    for t in pack.figure_tables():
        out += _html_table(t)
    out += [f'<p class="note">{e(DISCLOSURE_RULE)}</p>', "</body>", "</html>"]
    return "\n".join(out) + "\n"


def pack_file(pack: SupervisionPack, fmt: str) -> str:
    """The pack in ``fmt`` (md, html or txt); ValueError names the formats for another."""
    writers = {"md": pack_markdown, "html": pack_html, "txt": pack_text}
    if fmt not in writers:
        raise ValueError(f"format: '{fmt}' is not one of {', '.join(PACK_FORMATS)}")
    return writers[fmt](pack)
