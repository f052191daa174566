"""Choosing what the message back to the GP says: the person can read it.

Since 2023 people see new entries in their GP record in the NHS App, so the message is
one they may read. Every section and line of a :class:`GPMessage` is a :class:`Part` the
worker may leave out; :func:`choose` makes the message that goes. By default it leaves out
what the person should not meet unprepared or that is someone else's: the flags (a
safeguarding flag above all) with their notes, the notes written on contacts and the
feedback noted against activities (notes name other people). ``codes_only`` keeps only who
the message is about and the SNOMED CT codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any

from linkworker.display import label
from linkworker.models import FlagKind
from linkworker.reports.content import GPMessage
from linkworker.validation import format_date

#: Said before the message is copied or written, in the app and the CLI.
NHS_APP_NOTICE = (
    "The person can read this message in their GP record (the NHS App). Leave out anything "
    "they should not read there, and anything about someone else."
)

#: The sections a whole of which can be left out (the CLI's --leave-out names these).
SECTIONS = {
    "information_needs": "Communication and information needs",
    "reason": "Reason for referral",
    "what_matters": "What mattered to them",
    "strengths": "Strengths",
    "goals": "Goals",
    "activities": "Activities",
    "feedback": "Feedback on activities (notes)",
    "contacts": "Contacts",
    "measures": "Outcome measures",
    "discharge_summary": "Discharge summary",
    "flags": "Flags on the record",
    "flag_notes": "Notes on flags",
    "notes": "Notes on contacts",
}
#: Left out unless the worker includes them: third-party words and safeguarding.
LEFT_OUT_BY_DEFAULT = frozenset({"feedback", "flags", "flag_notes", "notes"})


@dataclass(frozen=True)
class Part:
    """One line of the message the worker may leave out: ``key`` is ``section`` or
    ``section:index``; ``text`` is what the checklist shows (the person's words, raw)."""

    key: str
    section: str
    text: str
    default: bool

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section]


def _part(section: str, index: int | None, text: str) -> Part:
    key = section if index is None else f"{section}:{index}"
    return Part(key, section, text, section not in LEFT_OUT_BY_DEFAULT)


def parts(m: GPMessage) -> list[Part]:
    """Every line of ``m`` that can be left out, in the order the message says them."""
    if not m.shares_detail:
        return []
    out: list[Part] = []
    out += [_part("information_needs", i, x) for i, x in enumerate(m.information_needs)]
    if m.reason:
        out.append(_part("reason", None, m.reason))
    out += [_part("what_matters", i, x) for i, x in enumerate(m.what_matters)]
    out += [_part("strengths", i, x) for i, x in enumerate(m.strengths)]
    out += [_part("goals", i, g.description) for i, g in enumerate(m.goals)]
    for i, c in enumerate(m.connections):
        out.append(_part("activities", i, c.activity))
        if c.feedback:
            out.append(_part("feedback", i, f"{c.activity}: {c.feedback}"))
    if m.contacts or m.attempts:
        out.append(_part("contacts", None, f"{m.contacts} contacts, {m.attempts} attempts"))
    out += [_part("measures", i, o.title) for i, o in enumerate(m.measures)]
    if m.discharge_summary:
        out.append(_part("discharge_summary", None, m.discharge_summary))
    for i, f in enumerate(m.flags):
        raised = format_date(f.raised_on)
        out.append(_part("flags", i, f"{label(FlagKind, f.kind)} flag, raised {raised}"))
        if f.note:
            out.append(_part("flag_notes", i, f.note))
    out += [_part("notes", i, f"{format_date(n.on)}: {n.text}") for i, n in enumerate(m.notes)]
    return out


def default_leave_out(m: GPMessage) -> set[str]:
    """The keys left out unless the worker includes them (flags, their notes, notes)."""
    return {p.key for p in parts(m) if not p.default}


def _kept(items: list[object], section: str, out: set[str]) -> list[int]:
    return [i for i in range(len(items)) if section not in out and f"{section}:{i}" not in out]


def choose(m: GPMessage, leave_out: Iterable[str], *, codes_only: bool = False) -> GPMessage:
    """The message without the parts named in ``leave_out`` (keys or whole sections).

    With ``codes_only`` (or without consent) only who it is about, the codes and the
    sender go. The message given is not changed.
    """
    out = set(leave_out)
    unknown = {k.split(":")[0] for k in out} - set(SECTIONS)
    if unknown:
        raise ValueError(
            f"leave out: {', '.join(sorted(unknown))} is not a part of the message "
            f"(the parts are {', '.join(SECTIONS)})"
        )
    if codes_only or not m.shares_detail:
        return _codes_only(m, codes_only)
    flags = [
        f if not _left("flag_notes", i, out) else replace(f, note=None)
        for i, f in enumerate(m.flags)
        if not _left("flags", i, out)
    ]
    connections = [
        c if not _left("feedback", i, out) else replace(c, feedback=None)
        for i, c in enumerate(m.connections)
        if not _left("activities", i, out)
    ]
    return replace(
        m,
        information_needs=[
            m.information_needs[i]
            for i in _kept(list(m.information_needs), "information_needs", out)
        ],
        reason=None if "reason" in out else m.reason,
        what_matters=[m.what_matters[i] for i in _kept(list(m.what_matters), "what_matters", out)],
        strengths=[m.strengths[i] for i in _kept(list(m.strengths), "strengths", out)],
        goals=[m.goals[i] for i in _kept(list(m.goals), "goals", out)],
        connections=connections,
        contacts=0 if "contacts" in out else m.contacts,
        attempts=0 if "contacts" in out else m.attempts,
        first_contact_on=None if "contacts" in out else m.first_contact_on,
        last_contact_on=None if "contacts" in out else m.last_contact_on,
        measures=[m.measures[i] for i in _kept(list(m.measures), "measures", out)],
        discharge_summary=None if "discharge_summary" in out else m.discharge_summary,
        flags=flags,
        notes=[m.notes[i] for i in _kept(list(m.notes), "notes", out)],
    )


def _left(section: str, index: int, out: set[str]) -> bool:
    return section in out or f"{section}:{index}" in out


#: What a codes-only message keeps: who it is about, the episode, the codes, the sender.
_CODES_ONLY_KEEPS = frozenset(
    {
        "person_id", "referral_id", "generated_on", "consent", "given_name", "family_name",
        "date_of_birth", "nhs_number", "gp_practice", "received_on", "status", "codes",
        "sender",
    }
)  # fmt: skip


def _codes_only(m: GPMessage, chosen: bool) -> GPMessage:
    """Who the message is about, the codes and the sender; every other field emptied."""
    emptied: dict[str, Any] = {
        f.name: f.default_factory() if f.default_factory is not MISSING else f.default
        for f in fields(GPMessage)
        if f.name not in _CODES_ONLY_KEEPS
    }
    emptied.update(shares_detail=False, codes_only=chosen)
    return replace(m, **emptied)


def with_defaults(m: GPMessage) -> GPMessage:
    """The message as it goes when the worker changes nothing."""
    return choose(m, default_leave_out(m))


def choose_for_command(
    m: GPMessage, leave_out: Iterable[str], include: Iterable[str], *, codes_only: bool = False
) -> GPMessage:
    """The message as the command line asks: the defaults, less ``leave_out``, plus the
    parts left out by default that ``include`` names (sections or ``section:N``).

    ValueError names a part that is not one.
    """
    wanted = {k.strip() for k in include if k.strip()}
    unknown = {k.split(":")[0] for k in wanted} - set(SECTIONS)
    if unknown:
        raise ValueError(
            f"--include: {', '.join(sorted(unknown))} is not a part of the message "
            f"(the parts are {', '.join(SECTIONS)})"
        )
    out = {
        p.key for p in parts(m) if not p.default and p.section not in wanted and p.key not in wanted
    }
    return choose(m, out | {k.strip() for k in leave_out if k.strip()}, codes_only=codes_only)
