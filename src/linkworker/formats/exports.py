"""Writers for everything linkworker exports: text, Markdown, JSON, CSV and HTML.

The figures come from :mod:`linkworker.reports`; this module only words them, lays them
out, and writes files safely:

* the message back to the GP and referrer (plain text for EMIS / SystmOne, Markdown, JSON);
* the commissioner caseload report (CSV folder or zip, JSON, Markdown, self-contained HTML
  with inline SVG charts), laid out by the four groups of the PRSB / NHS England Social
  Prescribing Information Standard, with one :class:`~linkworker.reports.Disclosure`
  applied to every figure in every format;
* the subject access export (JSON and a readable Markdown rendering).

Files are never overwritten unless asked (``force``); each is written to a temporary file
in the same folder and renamed into place, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker import __version__, measures, reports, subject_access
from linkworker.display import label, literal
from linkworker.models import (
    ActionOwner,
    AttemptOutcome,
    Barrier,
    ConnectionKind,
    ConnectionStatus,
    ContactMode,
    ContactPreference,
    DischargeReason,
    Ethnicity,
    FlagKind,
    FollowUpKind,
    FollowUpStatus,
    GoalStatus,
    Initiator,
    Labelled,
    NeedDomain,
    ReferralSource,
    ReferralStatus,
    Sex,
    Urgency,
)
from linkworker.norms import CONTACT_NORM
from linkworker.reports import (
    NOT_KNOWN,
    CaseloadReport,
    Disclosure,
    GPMessage,
    Period,
)
from linkworker.validation import format_date, format_nhs_number

Cell = int | float | str | None
Progress = Callable[[int, int, str], None]

GP_FORMATS = ("text", "md", "json")
CASELOAD_FORMATS = ("csv", "json", "md", "html")

INFORMATION_STANDARD_GROUPS = (
    "Person demographics",
    "Needs and concerns",
    "Support offered",
    "Outcomes",
)


class ExportError(ValueError):
    """An export cannot be written; the message is one line naming the file and the reason."""


# ---------------------------------------------------------------------------------------
# Safe files
# ---------------------------------------------------------------------------------------


def check_target(path: Path, force: bool) -> None:
    """Refuse, in one line, a target that exists (without force) or cannot be written."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; use --force to replace it")
    parent = path.parent
    if not parent.exists():
        raise ExportError(f"cannot write {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: no permission to write in {parent}")


def write_file(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and move it into place.

    Without ``force`` the move is a hard link, which fails if ``path`` appeared meanwhile,
    so an existing file is never replaced by accident.
    """
    check_target(path, force)
    try:
        descriptor, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise ExportError(f"{path} already exists; use --force to replace it") from None
            except OSError:
                # A file system without hard links: the check above is the guard.
                if path.exists():
                    raise ExportError(f"{path} already exists; use --force to replace it") from None
                os.replace(temporary, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return path


def write_files(
    files: Sequence[tuple[Path, bytes]],
    *,
    force: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write several files; every target is checked before the first is written."""
    for path, _ in files:
        check_target(path, force)
    written = []
    for path, data in files:
        written.append(write_file(path, data, force=force))
        if progress:
            progress(path)
    return written


def describe_written(path: Path) -> str:
    """'wrote PATH (12.3 kB)' for the one-line report of what was written."""
    size = path.stat().st_size
    shown = f"{size} bytes" if size < 1000 else f"{size / 1000:.1f} kB"
    return f"wrote {path} ({shown})"


# ---------------------------------------------------------------------------------------
# Words shared by every writer
# ---------------------------------------------------------------------------------------


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


def _score_words(kind: str, name: str) -> str:
    if kind == measures.MeasureKind.ONS4.value:
        return f"ONS4 {measures.score_label(kind, name)}"
    return measures.score_label(kind, name)


CONNECTION_WORDS = {
    "suggested": "suggested",
    "referred": "referred",
    "attended": "attended",
    "attending": "still attending",
    "stopped": "stopped going",
}


# ---------------------------------------------------------------------------------------
# Message back to GP and referrer
# ---------------------------------------------------------------------------------------

GP_TITLE = "Social prescribing: message back to GP and referrer"


def consent_notice(message: GPMessage) -> str | None:
    """The line at the top when details are withheld (None when consent was given)."""
    if message.shares_detail:
        return None
    why = (
        "Consent to share with the GP is not recorded"
        if message.consent is None
        else "The person has not consented to share details of their support with the GP"
    )
    return (
        f"{why}. This message gives only who it is about and the SNOMED CT codes to record; "
        "no other details are included."
    )


def _status_line(m: GPMessage) -> str:
    if m.discharged_on:
        return f"Discharged on {uk_date(m.discharged_on)}"
    if m.declined_on:
        reason = f" ({literal(m.decline_reason)})" if m.decline_reason else ""
        return f"Declined social prescribing on {uk_date(m.declined_on)}{reason}"
    if m.not_reached_on:
        return (
            f"Closed as not reached on {uk_date(m.not_reached_on)} after "
            f"{m.attempts} unanswered attempt{'s' if m.attempts != 1 else ''}"
        )
    if m.accepted_on:
        return f"Accepted on {uk_date(m.accepted_on)}; support is continuing"
    return f"Not yet accepted or declined ({label(ReferralStatus, m.status).lower()})"


def _referrer(m: GPMessage) -> str:
    who = ", ".join(literal(x) for x in (m.referrer_name, m.referrer_organisation) if x)
    return f"{words(ReferralSource, m.source)}" + (f" ({who})" if who else "")


def _connection_line(c: reports.ConnectionOutcome) -> str:
    how = "signposted" if c.kind == ConnectionKind.SIGNPOST.value else "referred"
    org = f" ({literal(c.organisation)})" if c.organisation else ""
    outcome = CONNECTION_WORDS.get(c.status, c.status)
    if c.status in ("attended", "attending") and c.attended_on:
        outcome += f" since {uk_date(c.attended_on)}"
    elif c.status == "stopped" and c.stopped_on:
        outcome += f" on {uk_date(c.stopped_on)}"
    return f"{literal(c.activity)}{org}, {how} {uk_date(c.suggested_on)}: {outcome}"


def _measure_lines(o: reports.MeasureOutcome) -> list[str]:
    """Lines for one measure: baseline -> follow-up per score, or what there is."""
    lines: list[str] = []
    when = uk_date(o.baseline_on) or "no baseline"
    if o.follow_up_on:
        when += f" -> {uk_date(o.follow_up_on)}"
    lines.append(f"{o.title} ({when})")
    if o.changes:
        for c in o.changes:
            lines.append(
                f"  {measures.score_label(o.kind, c.name)}: {number(c.baseline)} -> "
                f"{number(c.latest)} ({signed(c.difference)}, {c.direction})"
            )
        return lines
    for stage, result in (("baseline", o.baseline), ("last follow-up", o.follow_up)):
        if result is None:
            lines.append(f"  {stage}: not taken")
        else:
            lines.append(f"  {stage}: {literal(result.summary)}")
    return lines


def gp_message_text(m: GPMessage) -> str:
    """Plain text, ready to paste into a GP record (EMIS Web, SystmOne)."""
    out: list[str] = [GP_TITLE.upper()]
    notice = consent_notice(m)
    if notice:
        out += ["", f"NOTE: {notice}"]
    out += [
        "",
        f"Patient: {literal(m.given_name)} {literal(m.family_name)}",
        f"Date of birth: {uk_date(m.date_of_birth) or 'not recorded'}",
        f"NHS number: {format_nhs_number(m.nhs_number) or 'not recorded'}",
    ]
    if m.shares_detail:
        if m.gp_practice:
            out.append(f"GP practice: {literal(m.gp_practice)}")
        out += [
            "",
            "REFERRAL",
            f"Received: {uk_date(m.received_on)} from {_referrer(m)}",
        ]
        if m.reason:
            out.append(f"Reason: {literal(m.reason)}")
        if m.needs:
            out.append("Needs: " + ", ".join(words(NeedDomain, n) for n in m.needs))
        out.append(f"Outcome: {_status_line(m)}")
        if m.what_matters or m.strengths:
            out += ["", "WHAT MATTERED TO THEM"]
            out += [literal(x) for x in m.what_matters]
            out += [f"Strengths: {literal(x)}" for x in m.strengths]
        if m.goals:
            out += ["", "GOALS"]
            out += [
                f"- {literal(g.description)}: {words(GoalStatus, g.status).lower()}"
                for g in m.goals
            ]
        out += ["", "SUPPORT OFFERED AND ACTIVITIES CONNECTED"]
        if m.connections:
            for c in m.connections:
                out.append(f"- {_connection_line(c)}")
                if c.feedback:
                    out.append(f"  Feedback: {literal(c.feedback)}")
        else:
            out.append("No activities connected.")
        out += ["", "CONTACTS"]
        if m.contacts:
            out.append(
                f"{m.contacts} contact{'s' if m.contacts != 1 else ''} from "
                f"{uk_date(m.first_contact_on)} to {uk_date(m.last_contact_on)} "
                f"({CONTACT_NORM.words()} is usual); {m.attempts} unanswered attempt"
                f"{'s' if m.attempts != 1 else ''}"
            )
        else:
            out.append(f"No contacts; {m.attempts} unanswered attempts")
        if m.measures:
            out += ["", "OUTCOME MEASURES (baseline -> last follow-up)"]
            for o in m.measures:
                out += _measure_lines(o)
            out += [c for c in {o.copyright for o in m.measures if o.copyright}]
        if m.discharged_on:
            out += [
                "",
                "DISCHARGE",
                f"Date: {uk_date(m.discharged_on)}",
                f"Reason: {words(DischargeReason, m.discharge_reason)}",
            ]
            if m.discharge_summary:
                out.append(f"Summary: {literal(m.discharge_summary)}")
    out += ["", "SNOMED CT"]
    if m.codes:
        out += [
            f"{c.code} {c.term}" + (f", {uk_date(c.recorded_on)}" if c.recorded_on else "")
            for c in m.codes
        ]
    else:
        out.append("No code applies yet (the person has not accepted or declined).")
    out += ["", f"From the social prescribing link worker, {uk_date(m.generated_on)}."]
    return "\n".join(out) + "\n"


def gp_message_markdown(m: GPMessage) -> str:
    """The same message as Markdown (for email or a shared document)."""
    out: list[str] = [f"# {GP_TITLE}", ""]
    notice = consent_notice(m)
    if notice:
        out += [f"> **Note:** {notice}", ""]
    out += [
        f"- **Patient:** {md(m.given_name)} {md(m.family_name)}",
        f"- **Date of birth:** {uk_date(m.date_of_birth) or 'not recorded'}",
        f"- **NHS number:** {format_nhs_number(m.nhs_number) or 'not recorded'}",
    ]
    if m.shares_detail:
        if m.gp_practice:
            out.append(f"- **GP practice:** {md(m.gp_practice)}")
        out += ["", "## Referral", "", f"- **Received:** {uk_date(m.received_on)}"]
        out.append(f"- **From:** {md(_referrer(m))}")
        if m.reason:
            out.append(f"- **Reason:** {md(m.reason)}")
        if m.needs:
            out.append("- **Needs:** " + ", ".join(words(NeedDomain, n) for n in m.needs))
        out.append(f"- **Outcome:** {md(_status_line(m))}")
        if m.what_matters or m.strengths:
            out += ["", "## What mattered to them", ""]
            out += [f"- {md(x)}" for x in m.what_matters]
            out += [f"- **Strengths:** {md(x)}" for x in m.strengths]
        if m.goals:
            out += ["", "## Goals", ""]
            out += [
                f"- {md(g.description)}: {words(GoalStatus, g.status).lower()}" for g in m.goals
            ]
        out += ["", "## Support offered and activities connected", ""]
        if m.connections:
            for c in m.connections:
                out.append(f"- {md(_connection_line(c))}")
                if c.feedback:
                    out.append(f"  - Feedback: {md(c.feedback)}")
        else:
            out.append("No activities connected.")
        out += ["", "## Contacts", ""]
        out.append(
            f"{m.contacts} contact{'s' if m.contacts != 1 else ''}"
            + (
                f" from {uk_date(m.first_contact_on)} to {uk_date(m.last_contact_on)}"
                if m.contacts
                else ""
            )
            + f" ({CONTACT_NORM.words()} is usual); {m.attempts} unanswered attempt"
            + ("s" if m.attempts != 1 else "")
        )
        if m.measures:
            out += ["", "## Outcome measures (baseline to last follow-up)", ""]
            for o in m.measures:
                lines = _measure_lines(o)
                out.append(f"- **{md(lines[0])}**")
                out += [f"  - {md(x.strip())}" for x in lines[1:]]
            for line in {o.copyright for o in m.measures if o.copyright}:
                out += ["", f"*{md(line)}*"]
        if m.discharged_on:
            out += [
                "",
                "## Discharge",
                "",
                f"- **Date:** {uk_date(m.discharged_on)}",
                f"- **Reason:** {words(DischargeReason, m.discharge_reason)}",
            ]
            if m.discharge_summary:
                out.append(f"- **Summary:** {md(m.discharge_summary)}")
    out += ["", "## SNOMED CT codes", ""]
    if m.codes:
        out += ["| Code | Term | Date |", "| --- | --- | --- |"]
        out += [f"| {c.code} | {md(c.term)} | {uk_date(c.recorded_on)} |" for c in m.codes]
    else:
        out.append("No code applies yet (the person has not accepted or declined).")
    out += ["", f"*From the social prescribing link worker, {uk_date(m.generated_on)}.*"]
    return "\n".join(out) + "\n"


def _score_json(score: measures.Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"complete": score.complete, "values": score.values, "summary": score.summary}


def gp_message_data(m: GPMessage) -> dict[str, Any]:
    """The message as plain data (what the JSON format holds)."""
    data: dict[str, Any] = {
        "message": GP_TITLE,
        "generated_on": m.generated_on.isoformat(),
        "consent_to_share_with_gp": m.consent,
        "details_included": m.shares_detail,
        "notice": consent_notice(m),
        "person": {
            "id": m.person_id,
            "given_name": m.given_name,
            "family_name": m.family_name,
            "date_of_birth": m.date_of_birth,
            "nhs_number": m.nhs_number,
        },
        "referral": {"id": m.referral_id, "received_on": m.received_on, "status": m.status},
        "snomed_ct": [asdict(c) for c in m.codes],
    }
    if not m.shares_detail:
        return data
    data["person"]["gp_practice"] = m.gp_practice
    data["referral"].update(
        source=m.source,
        referrer_name=m.referrer_name,
        referrer_organisation=m.referrer_organisation,
        reason=m.reason,
        needs=m.needs,
        urgency=m.urgency,
        accepted_on=m.accepted_on,
        declined_on=m.declined_on,
        decline_reason=m.decline_reason,
        not_reached_on=m.not_reached_on,
    )
    data["what_matters"] = m.what_matters
    data["strengths"] = m.strengths
    data["goals"] = [asdict(g) for g in m.goals]
    data["activities"] = [asdict(c) for c in m.connections]
    data["contacts"] = {
        "contacts": m.contacts,
        "unanswered_attempts": m.attempts,
        "first_on": m.first_contact_on,
        "last_on": m.last_contact_on,
    }
    data["outcome_measures"] = [
        {
            "measure": o.kind,
            "baseline_on": o.baseline_on,
            "follow_up_on": o.follow_up_on,
            "baseline": _score_json(o.baseline),
            "follow_up": _score_json(o.follow_up),
            "change": [c.model_dump() for c in o.changes],
        }
        for o in m.measures
    ]
    data["discharge"] = {
        "discharged_on": m.discharged_on,
        "reason": m.discharge_reason,
        "summary": m.discharge_summary,
    }
    data["notices"] = sorted({o.copyright for o in m.measures if o.copyright})
    return data


def gp_message_json(m: GPMessage) -> str:
    return json.dumps(gp_message_data(m), indent=2, ensure_ascii=False) + "\n"


def render_gp_message(m: GPMessage, fmt: str) -> str:
    """The message in one of :data:`GP_FORMATS`."""
    writers = {"text": gp_message_text, "md": gp_message_markdown, "json": gp_message_json}
    if fmt not in writers:
        raise ExportError(f"format: '{fmt}' is not one of {', '.join(GP_FORMATS)}")
    return writers[fmt](m)


# ---------------------------------------------------------------------------------------
# The commissioner report as tables
# ---------------------------------------------------------------------------------------


@dataclass
class ReportTable:
    """One table of the caseload report, figures already disclosed (suppressed or exact)."""

    key: str
    group: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: str | None = None  # "months" or "outcomes": drawn by the HTML and terminal views


@dataclass
class ReportDocument:
    """The whole commissioner report, ready for any writer."""

    title: str
    period: Period
    generated_on: date
    identifiable: bool
    notices: list[str]
    headline: list[tuple[str, Cell]]
    tables: list[ReportTable] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[ReportTable]]]:
        """Tables under the four Information Standard groups, in order."""
        return [(g, [t for t in self.tables if t.group == g]) for g in INFORMATION_STANDARD_GROUPS]

    def table(self, key: str) -> ReportTable:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


REPORT_TITLE = "Social prescribing caseload report"


def _enum_rows(
    counts: dict[str, int], enum: type[Labelled], d: Disclosure, *, all_members: bool = True
) -> list[list[Cell]]:
    keys = [m.value for m in enum] if all_members else []
    keys += [k for k in counts if k not in keys and k != NOT_KNOWN]
    rows: list[list[Cell]] = [[words(enum, k), d.count(counts.get(k, 0))] for k in keys]
    if counts.get(NOT_KNOWN) and NOT_KNOWN not in keys:
        rows.append(["Not known", d.count(counts[NOT_KNOWN])])
    return rows


def _month_words(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")


def caseload_document(report: CaseloadReport, *, identifiable: bool = False) -> ReportDocument:
    """Lay out a caseload report as tables under the four Information Standard groups."""
    d = Disclosure(identifiable=identifiable)
    period = report.period
    notices = (
        [reports.IDENTIFIABLE_NOTICE]
        if identifiable
        else [
            "Pseudonymised: no names, NHS numbers, dates of birth or full postcodes; "
            "small numbers suppressed.",
            reports.DISCLOSURE_RULE,
        ]
    )
    notices.append(measures.SWEMWBS_COPYRIGHT)
    doc = ReportDocument(
        title=REPORT_TITLE,
        period=period,
        generated_on=report.generated_on,
        identifiable=identifiable,
        notices=notices,
        headline=[
            ("Referrals received", d.count(report.referrals_received)),
            ("Accepted social prescribing", d.count(report.accepted)),
            ("People on the active caseload at the end", d.count(report.active_at_end)),
            ("Contacts", d.count(report.contacts_total)),
            ("Discharged", d.count(report.discharges)),
            (
                "Median days from referral to first contact",
                d.stat(report.first_contact_days_median, report.first_contact_n, 1),
            ),
        ],
    )
    add = doc.tables.append
    people = d.count(report.people_referred)
    who = "People with a referral received in the period (each person once)."

    # --- Person demographics -----------------------------------------------------------
    ages: list[list[Cell]] = [
        [name, d.count(report.age_bands.get(name, 0))] for _, _, name in reports.AGE_BANDS
    ]
    if report.age_bands.get(NOT_KNOWN):
        ages.append(["Not known", d.count(report.age_bands[NOT_KNOWN])])
    group = INFORMATION_STANDARD_GROUPS[0]
    add(
        ReportTable(
            "age_bands",
            group,
            "People referred, by age band",
            ["Age band", "People"],
            [*ages, ["All people referred", people]],
            who + " Age on the day of their referral.",
        )
    )
    add(
        ReportTable(
            "sex",
            group,
            "People referred, by sex",
            ["Sex", "People"],
            [*_enum_rows(report.sex, Sex, d), ["All people referred", people]],
            who,
        )
    )
    add(
        ReportTable(
            "ethnicity",
            group,
            "People referred, by ethnic group",
            ["Ethnic group", "People"],
            [*_enum_rows(report.ethnicity, Ethnicity, d), ["All people referred", people]],
            who + " 2021 Census (England) high-level groups.",
        )
    )
    areas: list[list[Cell]] = [
        [code, d.count(n)] for code, n in report.outward_codes.items() if code != NOT_KNOWN
    ]
    if report.outward_codes.get(NOT_KNOWN):
        areas.append(["Not known", d.count(report.outward_codes[NOT_KNOWN])])
    add(
        ReportTable(
            "postcode_areas",
            group,
            "People referred, by postcode area (outward code)",
            ["Postcode area", "People"],
            [*areas, ["All people referred", people]],
            who + " Only the first half of the postcode (e.g. HV1) is used.",
        )
    )
    if identifiable and report.episodes is not None:
        add(
            ReportTable(
                "episodes",
                group,
                "Referral episodes open during the period (identifiable)",
                [
                    "Referral",
                    "Person",
                    "Name",
                    "Date of birth",
                    "NHS number",
                    "Postcode",
                    "Sex",
                    "Ethnic group",
                    "Source",
                    "Received",
                    "Status at period end",
                    "Accepted",
                    "Declined",
                    "Not reached",
                    "Discharged",
                    "Discharge reason",
                    "First contact",
                    "Contacts",
                ],
                [
                    [
                        e.referral_id,
                        e.person_id,
                        e.name,
                        e.date_of_birth,
                        format_nhs_number(e.nhs_number) or None,
                        e.postcode,
                        words(Sex, e.sex),
                        words(Ethnicity, e.ethnicity),
                        words(ReferralSource, e.source),
                        e.received_on,
                        "Awaiting a decision"
                        if e.status_at_end == "awaiting"
                        else words(ReferralStatus, e.status_at_end),
                        e.accepted_on,
                        e.declined_on,
                        e.not_reached_on,
                        e.discharged_on,
                        words(DischargeReason, e.discharge_reason) if e.discharged_on else None,
                        e.first_contact_on,
                        e.contacts,
                    ]
                    for e in report.episodes
                ],
                "Every referral received by the end of the period and not closed before it "
                "began. Contacts counted to the end of the period.",
            )
        )

    # --- Needs and concerns ------------------------------------------------------------
    group = INFORMATION_STANDARD_GROUPS[1]
    total = d.count(report.referrals_received)
    months: list[list[Cell]] = [
        [_month_words(m), d.count(n)] for m, n in report.referrals_by_month.items()
    ]
    needs: list[list[Cell]] = [
        [words(NeedDomain, k) if k != NOT_KNOWN else "No need recorded", d.count(n)]
        for k, n in {**{m.value: 0 for m in NeedDomain}, **report.referrals_by_need}.items()
    ]
    add(
        ReportTable(
            "referrals_by_month",
            group,
            "Referrals received, by month",
            ["Month", "Referrals"],
            [*months, ["All referrals", total]],
            "By the date the referral was received. The first and last months may be part months.",
            chart="months",
        )
    )
    add(
        ReportTable(
            "referrals_by_source",
            group,
            "Referrals received, by source",
            ["Source", "Referrals"],
            [*_enum_rows(report.referrals_by_source, ReferralSource, d), ["All referrals", total]],
        )
    )
    add(
        ReportTable(
            "referrals_by_need",
            group,
            "Referrals received, by need",
            ["Need", "Referrals"],
            [*needs, ["All referrals", total]],
            "A referral can name several needs, so the needs add up to more than the referrals.",
        )
    )

    # --- Support offered ---------------------------------------------------------------
    group = INFORMATION_STANDARD_GROUPS[2]
    add(
        ReportTable(
            "referral_outcomes",
            group,
            "What happened to referrals",
            ["Figure", "Count"],
            [
                [
                    "Accepted social prescribing (SNOMED CT 871731000000106)",
                    d.count(report.accepted),
                ],
                ["Declined (SNOMED CT 871711000000103)", d.count(report.declined)],
                ["Not reached after repeated attempts", d.count(report.not_reached)],
                ["Awaiting a decision at the end of the period", d.count(report.awaiting_at_end)],
                ["People on the active caseload at the end", d.count(report.active_at_end)],
            ],
            "Accepted, declined and not reached are counted on the day each happened, "
            "whenever the referral arrived. The active caseload is everyone accepted and not "
            "yet discharged on the last day of the period.",
        )
    )
    add(
        ReportTable(
            "contacts",
            group,
            "Contacts",
            ["Figure", "Value"],
            [
                ["Contacts in the period", d.count(report.contacts_total)],
                ["People with a contact in the period", d.count(report.people_contacted)],
                [
                    "Median contacts per person in the period",
                    d.stat(report.contacts_per_person_median, report.people_contacted, 1),
                ],
                [
                    "Referrals received in the period with a first contact by its end",
                    d.count(report.first_contact_n),
                ],
                [
                    "Median days from referral to first contact",
                    d.stat(report.first_contact_days_median, report.first_contact_n, 1),
                ],
            ],
            "Contacts are conversations that happened (phone, face to face, video, text...), "
            "not unanswered attempts.",
        )
    )
    categories: list[list[Cell]] = [
        [
            c.category,
            d.count(c.connections),
            d.count(c.attended),
            d.share(c.attended, c.connections),
        ]
        for c in report.connections_by_category
    ]
    add(
        ReportTable(
            "activities_by_category",
            group,
            "Activities connected, by category",
            ["Category", "Connections", "Attended", "Attended (%)"],
            [
                *categories,
                [
                    "All connections",
                    d.count(report.connections_total),
                    d.count(report.connections_attended),
                    d.share(report.connections_attended, report.connections_total),
                ],
                ["People connected to an activity", d.count(report.people_connected), None, None],
            ],
            "Connections (signposts and referrals to community activities) made in the period. "
            "An activity can be in several categories. Attended: the person went at least once "
            "by the end of the period.",
        )
    )

    # --- Outcomes ----------------------------------------------------------------------
    group = INFORMATION_STANDARD_GROUPS[3]
    add(
        ReportTable(
            "outcome_change",
            group,
            "Change in wellbeing and loneliness (baseline to last follow-up)",
            [
                "Score",
                "Better is",
                "People",
                "Mean at baseline",
                "Mean at follow-up",
                "Mean change",
                "Improved",
                "Improved (%)",
            ],
            [
                [
                    _score_words(o.kind, o.name),
                    "higher" if o.higher_is_better else "lower",
                    d.count(o.n),
                    d.stat(o.mean_baseline, o.n),
                    d.stat(o.mean_follow_up, o.n),
                    d.stat(o.mean_change, o.n),
                    d.count(o.improved),
                    d.share(o.improved, o.n),
                ]
                for o in report.outcomes
            ],
            "People: episodes with a baseline and a follow-up, whose last follow-up was taken "
            "in the period. Each ONS4 item is reported on its own; SWEMWBS as the metric "
            "score; UCLA3 as its total (3-9, lower is less lonely). " + measures.SWEMWBS_COPYRIGHT,
            chart="outcomes",
        )
    )
    add(
        ReportTable(
            "discharges_by_reason",
            group,
            "Discharges, by reason",
            ["Reason", "Discharges"],
            [
                *_enum_rows(report.discharges_by_reason, DischargeReason, d),
                ["All discharges", d.count(report.discharges)],
            ],
        )
    )
    low, high = CONTACT_NORM
    ended = report.completed_episodes
    add(
        ReportTable(
            "contacts_per_episode",
            group,
            f"Contacts per completed episode, against the {low}-{high} norm",
            ["Figure", "Episodes", "Share (%)"],
            [
                ["Episodes ended by discharge in the period", d.count(ended), None],
                [
                    "Median contacts per episode",
                    d.stat(report.completed_contacts_median, ended, 1),
                    None,
                ],
                [
                    f"Within {low}-{high} contacts",
                    d.count(report.completed_within_norm),
                    d.share(report.completed_within_norm, ended),
                ],
                [
                    f"Fewer than {low}",
                    d.count(report.completed_below_norm),
                    d.share(report.completed_below_norm, ended),
                ],
                [
                    f"More than {high}",
                    d.count(report.completed_above_norm),
                    d.share(report.completed_above_norm, ended),
                ],
            ],
            "NHS England's reference guide expects most people to be supported over "
            f"{CONTACT_NORM.words()} contacts.",
        )
    )
    return doc


# ---------------------------------------------------------------------------------------
# Charts: terminal bars and inline SVG
# ---------------------------------------------------------------------------------------


def chart_points(table: ReportTable) -> list[tuple[str, Cell]]:
    """(label, value) pairs a chart draws from a table (its total row left out)."""
    if table.chart == "months":
        return [(str(r[0]), r[1]) for r in table.rows[:-1]]
    if table.chart == "outcomes":
        return [(str(r[0]), r[7]) for r in table.rows]
    return []


def text_bars(points: Sequence[tuple[str, Cell]], width: int = 30, unit: str = "") -> list[str]:
    """Horizontal bars in plain characters: '█' scaled to the largest value.

    A suppressed value draws a '░' stub and its '<5'; a missing one just its words.
    """
    numbers = [v for _, v in points if isinstance(v, (int, float))]
    top = max(numbers, default=0) or 1
    name_width = max((len(n) for n, _ in points), default=0)
    lines = []
    for name, value in points:
        if isinstance(value, (int, float)):
            bar = "█" * round(width * value / top) if value else ""
            shown = f"{number(value)}{unit}"
        elif value == reports.SUPPRESSED:
            bar, shown = "░", str(value)
        else:
            bar, shown = "", str(value) if value is not None else "no data"
        lines.append(f"{name.ljust(name_width)} {bar} {shown}".rstrip())
    return lines


def _svg_text(x: float, y: float, text: str, anchor: str = "start", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{html.escape(text)}</text>"
    )


def months_svg(points: Sequence[tuple[str, Cell]], title: str) -> str:
    """Vertical bars, one a month; a suppressed month is an outlined stub labelled '<5'."""
    width, height, left, bottom, top_pad = 640, 240, 40, 40, 24
    plot_h = height - bottom - top_pad
    numbers = [v for _, v in points if isinstance(v, (int, float))]
    top = max([*numbers, 5])
    slot = (width - left - 10) / max(1, len(points))
    bar_w = max(4.0, slot * 0.7)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{html.escape(title)}" class="chart">',
        f"<title>{html.escape(title)}</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#333"/>',
    ]
    for i, (name, value) in enumerate(points):
        x = left + i * slot + (slot - bar_w) / 2
        if isinstance(value, (int, float)):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="#005eb8"/>'
            )
            shown = number(value)
        else:
            h = plot_h * 2.5 / top
            parts.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="none" stroke="#005eb8" stroke-dasharray="3 2"/>'
            )
            shown = str(value) if value is not None else ""
        parts.append(_svg_text(x + bar_w / 2, height - bottom - h - 4, shown, "middle"))
        parts.append(_svg_text(x + bar_w / 2, height - bottom + 14, name[:3], "middle", 10))
        parts.append(_svg_text(x + bar_w / 2, height - bottom + 26, name[-4:], "middle", 9))
    parts.append("</svg>")
    return "".join(parts)


def outcomes_svg(points: Sequence[tuple[str, Cell]], title: str) -> str:
    """Horizontal bars 0-100%: the share of people whose score improved."""
    row_h, left, width = 26, 230, 640
    height = row_h * len(points) + 40
    scale = width - left - 60
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{html.escape(title)}" class="chart">',
        f"<title>{html.escape(title)}</title>",
    ]
    for i, (name, value) in enumerate(points):
        y = 10 + i * row_h
        parts.append(_svg_text(left - 8, y + 15, name, "end"))
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{scale}" height="{row_h - 10}" fill="#e8edee"/>'
        )
        if isinstance(value, (int, float)):
            parts.append(
                f'<rect x="{left}" y="{y + 4}" width="{scale * value / 100:.1f}" '
                f'height="{row_h - 10}" fill="#007f3b"/>'
            )
            parts.append(_svg_text(left + scale + 6, y + 15, f"{number(value)}%"))
        else:
            parts.append(
                _svg_text(left + scale + 6, y + 15, "no data" if value is None else str(value))
            )
    base = 10 + len(points) * row_h
    for pct in (0, 50, 100):
        x = left + scale * pct / 100
        parts.append(_svg_text(x, base + 14, f"{pct}%", "middle", 9))
    parts.append("</svg>")
    return "".join(parts)


def chart_svg(table: ReportTable) -> str:
    points = chart_points(table)
    if table.chart == "months":
        return months_svg(points, table.title)
    if table.chart == "outcomes":
        return outcomes_svg(points, "Share of people whose score improved")
    return ""


# ---------------------------------------------------------------------------------------
# Caseload report writers
# ---------------------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """A cell as shown: numbers without needless decimals, None as nothing."""
    if value is None:
        return ""
    if isinstance(value, float):
        return number(value)
    return str(value)


def period_words(period: Period) -> str:
    """1 Oct 2026 to 31 Dec 2026."""
    return f"{long_date(period.start)} to {long_date(period.end)}"


def caseload_markdown(doc: ReportDocument) -> str:
    """Markdown that reads on its own: headings by Information Standard group, tables, notes."""
    out = [
        f"# {doc.title}",
        "",
        f"**Period:** {period_words(doc.period)}  ",
        f"**Produced:** {long_date(doc.generated_on)} by linkworker {__version__}  ",
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
            out += ["", f"### {md(t.title)}", ""]
            out.append("| " + " | ".join(md(c) for c in t.columns) + " |")
            out.append(
                "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(t.columns))) + " |"
            )
            for row in t.rows:
                out.append("| " + " | ".join(md(cell_text(v)) for v in row) + " |")
            if t.chart:
                out += [
                    "",
                    "```text",
                    *text_bars(chart_points(t), 30, "%" if t.chart == "outcomes" else ""),
                    "```",
                ]
            if t.note:
                out += ["", f"*{md(t.note)}*"]
    out += ["", "---", "", f"*{md(measures.SWEMWBS_COPYRIGHT)}*"]
    return "\n".join(out) + "\n"


def caseload_data(doc: ReportDocument) -> dict[str, Any]:
    """The report as plain data (the JSON format)."""
    return {
        "report": doc.title,
        "period": {"from": doc.period.start.isoformat(), "to": doc.period.end.isoformat()},
        "generated_on": doc.generated_on.isoformat(),
        "generator": f"linkworker {__version__}",
        "identifiable": doc.identifiable,
        "pseudonymised": not doc.identifiable,
        "disclosure_rule": None if doc.identifiable else reports.DISCLOSURE_RULE,
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
    return json.dumps(caseload_data(doc), indent=2, ensure_ascii=False) + "\n"


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
)


def caseload_csv_files(doc: ReportDocument) -> list[tuple[str, bytes]]:
    """One CSV per table (numbered in report order) plus 00_about.csv describing the report."""
    about = [
        ["Report", doc.title],
        ["Period from", doc.period.start.isoformat()],
        ["Period to", doc.period.end.isoformat()],
        ["Produced on", doc.generated_on.isoformat()],
        ["Produced by", f"linkworker {__version__}"],
        ["Identifiable", "yes" if doc.identifiable else "no (pseudonymised, suppressed)"],
        *[["Notice", n] for n in doc.notices],
    ]
    files = [("00_about.csv", _csv_bytes(["Field", "Value"], about))]
    # Numbered by a fixed order, so a file keeps its name whichever tables a report has
    # (the identifiable list of episodes comes last).
    order = {key: n for n, key in enumerate(CSV_ORDER, start=1)}
    for group, tables in doc.groups():
        for t in tables:
            rows = [[group, t.title, *row] for row in t.rows]
            number_ = order.get(t.key, len(order) + 1)
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
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(doc.title)}</h1>",
        f'<p class="meta">Period: <b>{e(period_words(doc.period))}</b> &middot; Produced '
        f"{e(long_date(doc.generated_on))} by linkworker {e(__version__)} &middot; "
        f"<b>{status}</b></p>",
    ]
    for n in doc.notices:
        cls = "notice identifiable" if n == reports.IDENTIFIABLE_NOTICE else "notice"
        out.append(f'<p class="{cls}">{e(n)}</p>')
    out.append('<h2>At a glance</h2><ul class="glance">')
    for name, value in doc.headline:
        out.append(f"<li><b>{e(cell_text(value) or 'n/a')}</b>{e(name)}</li>")
    out.append("</ul>")
    for number_, (group, tables) in enumerate(doc.groups(), start=1):
        out.append(f"<h2>{number_}. {e(group)}</h2>")
        for t in tables:
            out.append(f'<section class="table" id="{e(t.key)}"><h3>{e(t.title)}</h3>')
            if t.chart:
                out.append(chart_svg(t))
            out.append("<table><thead><tr>")
            out += [f'<th scope="col">{e(c)}</th>' for c in t.columns]
            out.append("</tr></thead><tbody>")
            for row in t.rows:
                total = str(row[0]).startswith("All ")
                out.append('<tr class="total">' if total else "<tr>")
                out += [f"<td>{e(cell_text(v))}</td>" for v in row]
                out.append("</tr>")
            out.append("</tbody></table>")
            if t.note:
                out.append(f'<p class="note">{e(t.note)}</p>')
            out.append("</section>")
    out += [
        f"<footer><p>{e(measures.SWEMWBS_COPYRIGHT)}</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def caseload_outputs(doc: ReportDocument, fmt: str, output: Path) -> list[tuple[Path, bytes]]:
    """The files a caseload export writes: (path, bytes) for each.

    csv: ``output`` ending in .zip gives one zip; otherwise ``output`` is a folder (made if
    missing) holding one CSV per table.
    """
    if fmt == "csv":
        if output.suffix.lower() == ".zip":
            return [(output, caseload_zip(doc))]
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; CSV needs a folder (or a name ending .zip)")
        return [(output / name, data) for name, data in caseload_csv_files(doc)]
    writers = {"json": caseload_json, "md": caseload_markdown, "html": caseload_html}
    if fmt not in writers:
        raise ExportError(f"format: '{fmt}' is not one of {', '.join(CASELOAD_FORMATS)}")
    return [(output, writers[fmt](doc).encode("utf-8"))]


def export_caseload(
    db: Database,
    period: Period,
    fmt: str,
    output: Path,
    *,
    today: date,
    identifiable: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Compute the caseload report for ``period`` and write it; returns the files written."""
    if fmt not in CASELOAD_FORMATS:
        raise ExportError(f"format: '{fmt}' is not one of {', '.join(CASELOAD_FORMATS)}")
    if fmt == "csv" and output.suffix.lower() != ".zip":
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; CSV needs a folder (or a name ending .zip)")
        if not output.parent.is_dir():
            raise ExportError(f"cannot write {output}: the folder {output.parent} does not exist")
    else:
        check_target(output, force)
    compute_steps = 9

    def computing(step: int, steps: int) -> None:
        if progress:
            progress(step, compute_steps + 1, "computing")

    report = reports.caseload_report(
        db, period, today, with_episodes=identifiable, progress=computing
    )
    doc = caseload_document(report, identifiable=identifiable)
    files = caseload_outputs(doc, fmt, output)
    total = compute_steps + len(files)
    if fmt == "csv" and output.suffix.lower() != ".zip" and not output.exists():
        try:
            output.mkdir()
        except OSError as exc:
            raise ExportError(f"cannot make the folder {output}: {exc.strerror}") from exc
    done = compute_steps

    def wrote(path: Path) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, f"wrote {path.name}")

    return write_files(files, force=force, progress=wrote)


# ---------------------------------------------------------------------------------------
# Subject access export
# ---------------------------------------------------------------------------------------

SAR_TITLES = {
    "people": "Personal details",
    "referrals": "Referrals",
    "contacts": "Contacts and contact attempts",
    "flags": "Flags",
    "conversations": "'What matters to you' conversations",
    "goals": "Goals",
    "goal_reviews": "Goal reviews",
    "actions": "Agreed actions",
    "measures": "Outcome measures",
    "connections": "Connections to community activities",
    "followups": "Follow-ups",
    "person_summary": "Caseload summary (derived from the records above)",
    "audit": "Audit trail: every recorded change to this record",
}


# Stored codes shown in words in the subject access Markdown: (table or "*", field) -> enum.
_SAR_ENUMS: dict[tuple[str, str], type[Labelled]] = {
    ("people", "sex"): Sex,
    ("people", "ethnicity"): Ethnicity,
    ("people", "preferred_contact"): ContactPreference,
    ("referrals", "source"): ReferralSource,
    ("referrals", "status"): ReferralStatus,
    ("referrals", "urgency"): Urgency,
    ("referrals", "discharge_reason"): DischargeReason,
    ("referrals", "needs"): NeedDomain,
    ("contacts", "mode"): ContactMode,
    ("contacts", "outcome"): AttemptOutcome,
    ("contacts", "initiated_by"): Initiator,
    ("conversations", "barriers"): Barrier,
    ("conversations", "needs"): NeedDomain,
    ("goals", "status"): GoalStatus,
    ("goal_reviews", "status"): GoalStatus,
    ("actions", "owner"): ActionOwner,
    ("connections", "kind"): ConnectionKind,
    ("connections", "status"): ConnectionStatus,
    ("followups", "kind"): FollowUpKind,
    ("followups", "status"): FollowUpStatus,
    ("flags", "kind"): FlagKind,
    ("person_summary", "status"): ReferralStatus,
    ("person_summary", "source"): ReferralSource,
    ("person_summary", "needs"): NeedDomain,
}
_YES_NO = {"consent_to_share_gp", "attempt", "complete", "favourite", "retired", "is_free"}
_ACRONYMS = {"nhs": "NHS", "gp": "GP", "snomed": "SNOMED", "id": "id"}


def _field_words(name: str) -> str:
    parts = [_ACRONYMS.get(p, p) for p in name.split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def _sar_value(table: str, name: str, value: object) -> str:
    """A stored value in words: codes as labels, yes/no, dates the UK way."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    enum = _SAR_ENUMS.get((table, name))
    if enum is not None:
        if isinstance(value, list):
            return ", ".join(md(label(enum, str(v))) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{md(label(enum, str(k)))}: {md(v)}" for k, v in value.items())
        return md(label(enum, str(value)))
    if name in _YES_NO and isinstance(value, int):
        return "yes" if value else "no"
    if name == "nhs_number" and isinstance(value, str):
        return format_nhs_number(value)
    if isinstance(value, str) and name == "contact_at" and len(value) > 10:
        with contextlib.suppress(ValueError):
            return f"{long_date(value)} {value[11:16]}"
    if isinstance(value, str) and (name.endswith("_on") or name == "date_of_birth"):
        with contextlib.suppress(ValueError):
            return long_date(value)
    if isinstance(value, (dict, list)):
        return md(json.dumps(value, ensure_ascii=False))
    return md(value)


def _sar_fields(table: str, row: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[str]:
    lines = []
    for key, value in row.items():
        shown = _sar_value(table, key, value) if key not in skip else ""
        if shown:
            lines.append(f"- **{_field_words(key)}:** {shown}")
    return lines


def _answer(item: dict[str, Any]) -> str:
    code, words_ = item.get("answer"), item.get("answer_label")
    if code is None:
        return "not answered"
    if words_ is None or words_ == str(code):
        return md(code)
    return f"{md(words_)} ({md(code)})"


def sar_markdown(data: dict[str, Any]) -> str:
    """A readable rendering of a subject access export: every table, every row."""
    tables: dict[str, list[dict[str, Any]]] = data["tables"]
    person = tables["people"][0]
    info = data["export"]
    out = [
        "# Subject access export",
        "",
        f"Everything linkworker holds about **{md(person['given_name'])} "
        f"{md(person['family_name'])}** (person {info['person_id']}), produced "
        f"{md(info['generated_at'])}. Codes are shown in words and empty fields are left out; "
        "the JSON file beside this one holds every field of every record as stored.",
    ]
    order = [t for t in SAR_TITLES if t in tables] + [t for t in tables if t not in SAR_TITLES]
    for name in order:
        rows = tables[name]
        out += ["", f"## {md(SAR_TITLES.get(name, _field_words(name)))} ({len(rows)})", ""]
        if not rows:
            out.append("None held.")
            continue
        if name == "people":
            out += _sar_fields(name, rows[0])
            continue
        if name == "audit":
            out += ["| When | Action | Table | Record | Field | Old | New |", "|" + " --- |" * 7]
            out += [
                f"| {md(r['at'])} | {md(r['action'])} | {md(r['table_name'])} | "
                f"{md(r['record_id'] or '')} | {md(r['field'] or '')} | "
                f"{md(r['old'] or '')} | {md(r['new'] or '')} |"
                for r in rows
            ]
            continue
        if name == "contacts":
            out += ["| When | What | Mode | Minutes | Note |", "|" + " --- |" * 5]
            for r in rows:
                what = "Contact"
                if r["attempt"]:
                    what = "Attempt: " + (_sar_value(name, "outcome", r["outcome"]) or "no answer")
                out.append(
                    f"| {_sar_value(name, 'contact_at', r['contact_at'])} | {what} | "
                    f"{_sar_value(name, 'mode', r['mode'])} | {md(r['duration_minutes'] or '')} | "
                    f"{md(r['note'] or '')} |"
                )
            continue
        for i, row in enumerate(rows):
            heading = f"{_field_words(name.rstrip('s'))} {row.get('id', '')}".strip()
            if name == "measures":
                heading = (
                    f"{measures.definition(row['kind']).short_title} "
                    f"({'baseline' if row['stage'] == 'baseline' else 'follow-up'}), "
                    f"{long_date(row['taken_on'])}"
                    if row.get("kind") in {k.value for k in measures.MeasureKind}
                    else heading
                )
            out += ([""] if i else []) + [f"### {md(heading)}", ""]
            out += _sar_fields(name, row, frozenset({"answers", "items", "scores"}))
            if name == "measures":
                out += ["", "| Question | Answer |", "| --- | --- |"]
                for item in row.get("items", []):
                    out.append(f"| {md(item.get('wording', item['item']))} | {_answer(item)} |")
                scores = row.get("scores")
                summary = scores.get("summary") if isinstance(scores, dict) else None
                values = scores.get("values") if isinstance(scores, dict) else None
                out += ["", f"Scores: {md(summary) if summary else '-'}"]
                if values:
                    out.append(
                        "("
                        + ", ".join(f"{md(k)} {number(float(v))}" for k, v in values.items())
                        + ")"
                    )
    if data.get("activities_referred_to"):
        out += ["", "## Activities referred to", ""]
        out += [
            f"- {md(a['name'])}" + (f" ({md(a['organisation'])})" if a.get("organisation") else "")
            for a in data["activities_referred_to"]
        ]
    for notice in data.get("notices", []):
        out += ["", f"*{md(notice)}*"]
    return "\n".join(out).rstrip() + "\n"


def sar_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def sar_paths(output: Path) -> tuple[Path, Path]:
    """The JSON file (``output``) and the Markdown beside it (same name, .md)."""
    if output.suffix.lower() == ".md":
        raise ExportError(
            f"{output}: give the JSON file name (e.g. {output.with_suffix('.json').name}); "
            "the Markdown is written beside it"
        )
    markdown = output.with_suffix(".md") if output.suffix else output.with_name(output.name + ".md")
    return output, markdown


def export_sar(
    db: Database, person_id: int, output: Path, *, generated_at: str, force: bool = False
) -> list[Path]:
    """Write the subject access export: JSON at ``output`` and Markdown beside it."""
    json_path, md_path = sar_paths(output)
    for path in (json_path, md_path):
        check_target(path, force)
    data = subject_access.subject_access(db, person_id, generated_at)
    return write_files(
        [
            (json_path, sar_json(data).encode("utf-8")),
            (md_path, sar_markdown(data).encode("utf-8")),
        ],
        force=force,
    )
