"""The message back to the GP and referrer: plain text (to paste into EMIS Web or
SystmOne), Markdown (for email or a shared document) and JSON.

The content comes from :func:`linkworker.reports.gp_message`; without the person's consent
it holds only who the message is about and the SNOMED CT codes, and so does every format.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from linkworker import measures
from linkworker.display import label, literal
from linkworker.formats.text import md, md_table, number, plural, signed, uk_date, words
from linkworker.formats.writer import ExportError
from linkworker.models import (
    ConnectionKind,
    DischargeReason,
    FlagKind,
    GoalStatus,
    NeedDomain,
    ReferralSource,
    ReferralStatus,
)
from linkworker.norms import CONTACT_NORM
from linkworker.reports.content import (
    ConnectionOutcome,
    FlagEntry,
    GPMessage,
    MeasureOutcome,
    NoteEntry,
)
from linkworker.validation import escape_controls_in_json, format_nhs_number

GP_FORMATS = ("text", "md", "json")
GP_TITLE = "Social prescribing: message back to GP and referrer"
NO_CODE = "No code applies yet (the person has not accepted or declined)."
#: The Accessible Information Standard section: what the GP and other providers must meet.
NEEDS_TITLE = "Communication and information needs"

CONNECTION_WORDS = {
    "suggested": "suggested",
    "referred": "referred",
    "attended": "attended",
    "attending": "still attending",
    "stopped": "stopped going",
}

#: How stored text is made safe for a format: literal() for text, md() for Markdown.
Escape = Callable[[object], str]


def consent_notice(message: GPMessage) -> str | None:
    """The line at the top when details are withheld (None when they are shared)."""
    if message.shares_detail:
        return None
    if message.codes_only:
        why = "The link worker has chosen to send the codes only"
    elif message.consent is None:
        why = "Consent to share with the GP is not recorded"
    else:
        why = "The person has not consented to share details of their support with the GP"
    return (
        f"{why}. This message gives only who it is about and the SNOMED CT codes to record; "
        "no other details are included."
    )


# --- What the text and the Markdown both say ------------------------------------------


def _status_line(m: GPMessage) -> str:
    if m.discharged_on:
        return f"Discharged on {uk_date(m.discharged_on)}"
    if m.declined_on:
        reason = f" ({literal(m.decline_reason)})" if m.decline_reason else ""
        return f"Declined social prescribing on {uk_date(m.declined_on)}{reason}"
    if m.not_reached_on:
        return (
            f"Closed as not reached on {uk_date(m.not_reached_on)} after "
            f"{plural(m.attempts, 'unanswered attempt')}"
        )
    if m.accepted_on:
        return f"Accepted on {uk_date(m.accepted_on)}; support is continuing"
    return f"Not yet accepted or declined ({label(ReferralStatus, m.status).lower()})"


def _referrer(m: GPMessage) -> str:
    who = ", ".join(literal(x) for x in (m.referrer_name, m.referrer_organisation) if x)
    return f"{words(ReferralSource, m.source)}" + (f" ({who})" if who else "")


def _connection_line(c: ConnectionOutcome) -> str:
    how = "signposted" if c.kind == ConnectionKind.SIGNPOST.value else "referred"
    org = f" ({literal(c.organisation)})" if c.organisation else ""
    outcome = CONNECTION_WORDS.get(c.status, c.status)
    if c.status in ("attended", "attending") and c.attended_on:
        outcome += f" since {uk_date(c.attended_on)}"
    elif c.status == "stopped" and c.stopped_on:
        outcome += f" on {uk_date(c.stopped_on)}"
    return f"{literal(c.activity)}{org}, {how} {uk_date(c.suggested_on)}: {outcome}"


def _measure_lines(o: MeasureOutcome) -> list[str]:
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


@dataclass(frozen=True)
class OutcomeLine:
    """One score to record in the GP system: measure and score, value, date, stage, code."""

    measure: str
    kind: str
    score: str
    value: float
    taken_on: str
    stage: str
    code: str | None

    def text(self) -> str:
        """'SWEMWBS metric score 19.98, 2 Nov 2026 (baseline), code LOCAL01'."""
        code = f", code {self.code}" if self.code else ""
        return f"{self.measure} {number(self.value)}, {uk_date(self.taken_on)} ({self.stage}){code}"


def outcome_lines(m: GPMessage) -> list[OutcomeLine]:
    """Copy-ready lines for the GP record: each compared score at baseline and at the last
    follow-up, with the practice's code for the measure where the settings name one."""
    out: list[OutcomeLine] = []
    for o in m.measures:
        taken = (
            ("baseline", o.baseline_on, o.baseline),
            ("follow-up", o.follow_up_on, o.follow_up),
        )
        for stage, on, result in taken:
            if result is None or on is None:
                continue
            for name in measures.comparable_names(o.kind):
                if name in result.values:
                    label = measures.score_label(o.kind, name)
                    shown = label if label.startswith(o.title) else f"{o.title} {label}"
                    code = m.outcome_codes.get(o.kind)
                    out.append(
                        OutcomeLine(shown, o.kind, name, result.values[name], on, stage, code)
                    )
    return out


def _copyrights(m: GPMessage) -> list[str]:
    return sorted({o.copyright for o in m.measures if o.copyright})


def _patient(m: GPMessage, esc: Escape) -> list[tuple[str, str]]:
    fields = [
        ("Patient", f"{esc(m.given_name)} {esc(m.family_name)}"),
        ("Date of birth", uk_date(m.date_of_birth) or "not recorded"),
        ("NHS number", format_nhs_number(m.nhs_number) or "not recorded"),
    ]
    if m.shares_detail and m.gp_practice:
        fields.append(("GP practice", esc(m.gp_practice)))
    return fields


def _referral(m: GPMessage, esc: Escape) -> list[tuple[str, str]]:
    fields = [("Reason", esc(m.reason))] if m.reason else []
    if m.needs:
        fields.append(("Needs", ", ".join(words(NeedDomain, n) for n in m.needs)))
    fields.append(("Outcome", esc(_status_line(m))))
    return fields


def _discharge(m: GPMessage, esc: Escape) -> list[tuple[str, str]]:
    fields = [
        ("Date", uk_date(m.discharged_on)),
        ("Reason", words(DischargeReason, m.discharge_reason)),
    ]
    if m.discharge_summary:
        fields.append(("Summary", esc(m.discharge_summary)))
    return fields


def sender_lines(m: GPMessage) -> list[str]:
    """Who sends the message (``Settings.signature()``), or the role when no name is set."""
    return list(m.sender) or ["Social prescribing link worker (name not set in settings)"]


def _flag_line(f: FlagEntry, esc: Escape) -> str:
    note = f": {esc(f.note)}" if f.note else ""
    return f"- {label(FlagKind, f.kind)}, raised {uk_date(f.raised_on)}{note}"


def _note_line(n: NoteEntry, esc: Escape) -> str:
    return f"- {uk_date(n.on)}: {esc(n.text)}"


def _goal_line(description: str, status: str, esc: Escape) -> str:
    return f"- {esc(description)}: {words(GoalStatus, status).lower()}"


def _connections(m: GPMessage, esc: Escape, *, feedback: str) -> list[str]:
    """A line for each activity connected, its feedback under it after ``feedback``."""
    out: list[str] = []
    for c in m.connections:
        # _connection_line has made the stored text visible already; esc does no harm to
        # that (literal leaves it as it is) and makes it safe for Markdown.
        out.append(f"- {esc(_connection_line(c))}")
        if c.feedback:
            out.append(f"{feedback}{esc(c.feedback)}")
    return out or ["No activities connected."]


# --- Plain text -----------------------------------------------------------------------


def gp_message_text(m: GPMessage) -> str:
    """Plain text, ready to paste into a GP record (EMIS Web, SystmOne)."""
    out: list[str] = [GP_TITLE.upper()]
    notice = consent_notice(m)
    if notice:
        out += ["", f"NOTE: {notice}"]
    out += ["", *(f"{name}: {value}" for name, value in _patient(m, literal))]
    if m.shares_detail:
        out += _text_episode(m)
    out += ["", "SNOMED CT"]
    if m.codes:
        out += [
            f"{c.code} {c.term}" + (f", {uk_date(c.recorded_on)}" if c.recorded_on else "")
            for c in m.codes
        ]
    else:
        out.append(NO_CODE)
    out += ["", "FROM", *(literal(x) for x in sender_lines(m)), f"Sent {uk_date(m.generated_on)}."]
    return "\n".join(out) + "\n"


def _text_episode(m: GPMessage) -> list[str]:
    """The details only a person who consented shares, as text sections."""
    out = []
    if m.information_needs:
        out += ["", NEEDS_TITLE.upper(), *(f"- {literal(x)}" for x in m.information_needs)]
    out += ["", "REFERRAL", f"Received: {uk_date(m.received_on)} from {_referrer(m)}"]
    out += [f"{name}: {value}" for name, value in _referral(m, literal)]
    if m.what_matters or m.strengths:
        out += ["", "WHAT MATTERED TO THEM"]
        out += [literal(x) for x in m.what_matters]
        out += [f"Strengths: {literal(x)}" for x in m.strengths]
    if m.goals:
        out += ["", "GOALS", *(_goal_line(g.description, g.status, literal) for g in m.goals)]
    out += ["", "SUPPORT OFFERED AND ACTIVITIES CONNECTED"]
    out += _connections(m, literal, feedback="  Feedback: ")
    out += ["", "CONTACTS"]
    if m.contacts:
        out.append(
            f"{plural(m.contacts, 'contact')} from {uk_date(m.first_contact_on)} to "
            f"{uk_date(m.last_contact_on)} ({CONTACT_NORM.words()} is usual); "
            f"{plural(m.attempts, 'unanswered attempt')}"
        )
    else:
        out.append(f"No contacts; {m.attempts} unanswered attempts")
    if m.measures:
        out += ["", "OUTCOME MEASURES (baseline -> last follow-up)"]
        for o in m.measures:
            out += _measure_lines(o)
        out += _copyrights(m)
    record = outcome_lines(m)
    if record:
        out += ["", "OUTCOME LINES FOR THE GP RECORD (one a line, ready to copy)"]
        out += [line.text() for line in record]
    if m.discharged_on:
        out += ["", "DISCHARGE", *(f"{name}: {value}" for name, value in _discharge(m, literal))]
    if m.flags:
        out += ["", "FLAGS ON THE RECORD", *(_flag_line(f, literal) for f in m.flags)]
    if m.notes:
        out += ["", "NOTES", *(_note_line(n, literal) for n in m.notes)]
    return out


# --- Markdown -------------------------------------------------------------------------


def gp_message_markdown(m: GPMessage) -> str:
    """The same message as Markdown (for email or a shared document)."""
    out: list[str] = [f"# {GP_TITLE}", ""]
    notice = consent_notice(m)
    if notice:
        out += [f"> **Note:** {notice}", ""]
    out += [f"- **{name}:** {value}" for name, value in _patient(m, md)]
    if m.shares_detail:
        out += _markdown_episode(m)
    out += ["", "## SNOMED CT codes", ""]
    if m.codes:
        rows = [[c.code, md(c.term), uk_date(c.recorded_on)] for c in m.codes]
        out += md_table(["Code", "Term", "Date"], rows)
    else:
        out.append(NO_CODE)
    out += ["", "## From", "", *(f"{md(x)}  " for x in sender_lines(m))]
    out.append(f"Sent {uk_date(m.generated_on)}.")
    return "\n".join(out) + "\n"


def _markdown_episode(m: GPMessage) -> list[str]:
    """The details only a person who consented shares, as Markdown sections."""
    out = []
    if m.information_needs:
        out += ["", f"## {NEEDS_TITLE}", "", *(f"- {md(x)}" for x in m.information_needs)]
    out += ["", "## Referral", "", f"- **Received:** {uk_date(m.received_on)}"]
    out.append(f"- **From:** {md(_referrer(m))}")
    out += [f"- **{name}:** {value}" for name, value in _referral(m, md)]
    if m.what_matters or m.strengths:
        out += ["", "## What mattered to them", ""]
        out += [f"- {md(x)}" for x in m.what_matters]
        out += [f"- **Strengths:** {md(x)}" for x in m.strengths]
    if m.goals:
        out += ["", "## Goals", "", *(_goal_line(g.description, g.status, md) for g in m.goals)]
    out += ["", "## Support offered and activities connected", ""]
    out += _connections(m, md, feedback="  - Feedback: ")
    span = f" from {uk_date(m.first_contact_on)} to {uk_date(m.last_contact_on)}"
    out += [
        "",
        "## Contacts",
        "",
        f"{plural(m.contacts, 'contact')}{span if m.contacts else ''} "
        f"({CONTACT_NORM.words()} is usual); "
        f"{plural(m.attempts, 'unanswered attempt')}",
    ]
    if m.measures:
        out += ["", "## Outcome measures (baseline to last follow-up)", ""]
        for o in m.measures:
            lines = _measure_lines(o)
            out.append(f"- **{md(lines[0])}**")
            out += [f"  - {md(x.strip())}" for x in lines[1:]]
        for line in _copyrights(m):
            out += ["", f"*{md(line)}*"]
    record = outcome_lines(m)
    if record:
        out += ["", "## Outcome lines for the GP record", "", "```"]
        out += [literal(line.text()) for line in record]
        out.append("```")
    if m.discharged_on:
        out += ["", "## Discharge", ""]
        out += [f"- **{name}:** {value}" for name, value in _discharge(m, md)]
    if m.flags:
        out += ["", "## Flags on the record", "", *(_flag_line(f, md) for f in m.flags)]
    if m.notes:
        out += ["", "## Notes", "", *(_note_line(n, md) for n in m.notes)]
    return out


# --- JSON -----------------------------------------------------------------------------


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
        "codes_only": m.codes_only,
        "sender": {"lines": sender_lines(m), "sent_on": m.generated_on.isoformat()},
    }
    if m.shares_detail:
        _add_episode_data(m, data)
    return data


def _add_episode_data(m: GPMessage, data: dict[str, Any]) -> None:
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
    data["information_needs"] = m.information_needs
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
    data["outcome_lines"] = [asdict(line) for line in outcome_lines(m)]
    data["discharge"] = {
        "discharged_on": m.discharged_on,
        "reason": m.discharge_reason,
        "summary": m.discharge_summary,
    }
    data["flags"] = [asdict(f) for f in m.flags]
    data["notes"] = [asdict(n) for n in m.notes]
    data["notices"] = _copyrights(m)


def gp_message_json(m: GPMessage) -> str:
    """The message as indented JSON (UTF-8 kept readable)."""
    return (
        escape_controls_in_json(json.dumps(gp_message_data(m), indent=2, ensure_ascii=False)) + "\n"
    )


def render_gp_message(m: GPMessage, fmt: str) -> str:
    """The message in one of :data:`GP_FORMATS`."""
    writers = {"text": gp_message_text, "md": gp_message_markdown, "json": gp_message_json}
    if fmt not in writers:
        raise ExportError(f"format: '{fmt}' is not one of {', '.join(GP_FORMATS)}")
    return writers[fmt](m)
