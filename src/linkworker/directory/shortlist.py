"""The shortlist: a hand-out of chosen activities for a person, readable on paper.

Private notes are never included; text from feeds is kept literally (control characters
made visible, Markdown escaped).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from linkworker.directory.freshness import last_checked
from linkworker.directory.rows import ActivityRow, DirectoryError, get_activity, json_value
from linkworker.directory.wording import long_date, when_lines
from linkworker.display import escape_markdown, literal
from linkworker.formats.handout import STANDARD, Handout, HandoutStyle, Reading, say

_NO_PHONE = (
    "No phone? You can go along to the address given, or ask your link worker "
    "to get in touch for you."
)
_SIGN_OFF = "Your link worker: ______________________________"
_PHONE_LINE = "Phone: ______________________________"


@dataclass
class HandoutSection:
    """One titled section of a shortlist entry."""

    title: str
    lines: list[str]
    block: bool = False  # lines of one block (an address) rather than separate points


def _text(value: object) -> str:
    return literal(value, single_line=False).strip()


def _contact_lines(row: ActivityRow, has_address: bool) -> list[str]:
    contact: list[str] = []
    if row.get("phone"):
        contact.append(f"Phone: {_text(row['phone'])}")
    if row.get("contact_name"):
        contact.append(f"Ask for: {_text(row['contact_name'])}")
    if row.get("email"):
        contact.append(f"Email: {_text(row['email'])}")
    if row.get("url"):
        contact.append(f"Website: {_text(row['url'])}")
    if has_address:
        contact.append("Or go along in person to the address above.")
    return contact or ["Ask your link worker to put you in touch."]


def handout_sections(row: ActivityRow) -> list[HandoutSection]:
    """What a person needs to know about one activity, in plain words, section by section."""
    extra = json_value(row.get("extra"), {})
    sections: list[HandoutSection] = []
    if row.get("description"):
        sections.append(HandoutSection("What it is", [_text(row["description"])]))
    when = when_lines(row)
    sections.append(
        HandoutSection("When", [_text(w) for w in when] or ["Please get in touch to ask."])
    )
    where = [_text(row.get(k)) for k in ("venue", "address", "town", "postcode") if row.get(k)]
    if where:
        sections.append(HandoutSection("Where", where, block=True))
    if row.get("accessibility"):
        sections.append(HandoutSection("Getting in", [_text(row["accessibility"])]))
    cost = row.get("cost") or ("Free" if row.get("is_free") == 1 else None)
    sections.append(
        HandoutSection("Cost", [_text(cost) if cost else "Please ask when you get in touch."])
    )
    join = extra.get("application_process") if isinstance(extra, dict) else None
    if isinstance(join, str) and join.strip():
        sections.append(HandoutSection("How to join", [_text(join)]))
    sections.append(HandoutSection("How to get in touch", _contact_lines(row, bool(where))))
    if row.get("alert"):
        sections.append(HandoutSection("Please note", [_text(row["alert"])]))
    return sections


def _markdown(title: str, made: str, rows: list[ActivityRow], signed: list[str] | None) -> str:
    out = [f"# {escape_markdown(title)}", "", made, "", _NO_PHONE, ""]
    for n, row in enumerate(rows, start=1):
        out += [f"## {n}. {escape_markdown(literal(row['name']))}", ""]
        for section in handout_sections(row):
            out += [f"### {section.title}", ""]
            if len(section.lines) == 1 or section.block:
                lines = [escape_markdown(line).replace("\n", "  \n") for line in section.lines]
                out += ["  \n".join(lines), ""]
            else:
                out += [f"- {escape_markdown(line)}" for line in section.lines] + [""]
        checked = long_date(last_checked(row))
        if checked:
            out += [f"*These details were last checked on {checked}.*", ""]
    ending = (
        ["  \n".join(escape_markdown(line) for line in signed)]
        if signed
        else [_SIGN_OFF, "", _PHONE_LINE]
    )
    out += ["---", "", *ending, ""]
    return "\n".join(out).rstrip() + "\n"


def _plain(
    title: str, made: str, rows: list[ActivityRow], width: int, signed: list[str] | None
) -> str:
    rule = "=" * width

    def wrap(text: str, indent: str = "    ") -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines += textwrap.wrap(
                paragraph,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,  # web addresses stay whole, to be typed in
                break_on_hyphens=False,
            ) or [""]
        return lines

    out = [title.upper(), made, "", *wrap(_NO_PHONE, "")]
    for n, row in enumerate(rows, start=1):
        out += ["", "", rule, *wrap(f"{n}. {literal(row['name']).upper()}", ""), rule]
        for section in handout_sections(row):
            out += ["", section.title.upper()]
            for line in section.lines:
                out += wrap(line)
        checked = long_date(last_checked(row))
        if checked:
            out += ["", *wrap(f"These details were last checked on {checked}.", "")]
    ending = signed or [_SIGN_OFF, "", _PHONE_LINE]
    out += ["", "", rule, *ending, rule]
    return "\n".join(out).rstrip() + "\n"


#: The section titles in easy read (our own words: feed text is put plainly line by line).
_EASY_TITLES = {
    "What it is": "What it is",
    "When": "When it is on",
    "Where": "Where it is",
    "Getting in": "Getting in and around",
    "Cost": "How much it costs",
    "How to join": "How to join",
    "How to get in touch": "How to get in touch",
    "Please note": "Please note",
}
_EASY_NO_PHONE = (
    "No phone? That is OK.\nYou can go to the address.\nOr ask your link worker to call."
)


def _chosen(
    db: Database, activity_ids: list[int], for_name: str | None
) -> tuple[str, list[ActivityRow]]:
    """The shortlist's title and its activities (each once); refused when there are none."""
    if not activity_ids:
        raise DirectoryError("pick at least one activity for the shortlist")
    rows = [get_activity(db, i) for i in dict.fromkeys(activity_ids)]
    who = literal(for_name).strip() if for_name else ""
    return (f"Activities for {who}" if who else "Activities for you"), rows


def _handout(
    title: str, today: date, rows: list[ActivityRow], reading: Reading, signed: list[str] | None
) -> Handout:
    """The shortlist as a document for the person: one block a point, never a table."""
    doc = Handout(reading)
    day = long_date(today.isoformat())
    doc.title(title)
    doc.para(
        say(
            reading,
            f"Chosen with your link worker on {day}.",
            f"You chose these with your link worker.\nThe date is {day}.",
        )
    )
    doc.para(say(reading, _NO_PHONE, _EASY_NO_PHONE))
    for n, row in enumerate(rows, start=1):
        doc.heading(f"{n}. {literal(row['name'])}")
        for section in handout_sections(row):
            doc.subheading(
                say(reading, section.title, _EASY_TITLES.get(section.title, section.title))
            )
            if section.block:
                doc.lines(section.lines)
            else:
                for line in section.lines:
                    doc.item(line, typed=True)
        checked = long_date(last_checked(row))
        if checked:
            doc.para(
                say(
                    reading,
                    f"These details were last checked on {checked}.",
                    f"We last checked this on {checked}.",
                )
            )
    doc.lines(signed or [_SIGN_OFF, _PHONE_LINE])
    return doc


def shortlist_document(
    db: Database,
    activity_ids: list[int],
    *,
    for_name: str | None,
    today: date,
    style: HandoutStyle = "text",
    reading: Reading = STANDARD,
    signed: list[str] | None = None,
) -> str:
    """The shortlist as the person needs to read it: in large print (text wrapped at 40
    characters, or a page in their point size) or easy read when ``reading`` says so, as
    plain text, Markdown or a printable HTML page. Standard text and Markdown are
    :func:`shortlist_text`'s."""
    if reading.standard and style != "html":
        return shortlist_text(
            db,
            activity_ids,
            for_name=for_name,
            today=today,
            markdown=style == "markdown",
            signed=signed,
        )
    title, rows = _chosen(db, activity_ids, for_name)
    return _handout(title, today, rows, reading, signed).render(style)


def shortlist_text(
    db: Database,
    activity_ids: list[int],
    *,
    for_name: str | None,
    today: date,
    markdown: bool = False,
    width: int = 72,
    signed: list[str] | None = None,
) -> str:
    """A shortlist of activities to hand to a person, readable on paper.

    Plain text (big capital headings, wrapped to ``width``) or Markdown. Private notes are
    never included. Text from feeds is kept literally (control characters made visible).
    ``signed`` (Settings.sign_off()) ends it with the worker's name and how to reach them,
    in place of the lines to fill in by hand.
    """
    title, rows = _chosen(db, activity_ids, for_name)
    made = f"Chosen with your link worker on {long_date(today.isoformat())}."
    if markdown:
        return _markdown(title, made, rows, signed)
    return _plain(title, made, rows, width, signed)
