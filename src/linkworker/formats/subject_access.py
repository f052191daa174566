"""The subject access export (UK GDPR article 15) as files: the JSON gathered by
:func:`linkworker.subject_access.subject_access`, as stored, and a readable Markdown
rendering of it (every table, every row; codes in words, empty fields left out)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from linkworker import measures
from linkworker.display import label
from linkworker.formats.text import long_date, md, md_table, number
from linkworker.formats.writer import ExportError
from linkworker.models import (
    Labelled,
)
from linkworker.models.coded import CODED_FIELDS
from linkworker.validation import escape_controls_in_json, format_nhs_number

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
    "gaps": "Unmet needs (gaps in what activities offer)",
    "person_summary": "Caseload summary (derived from the records above)",
    "audit": "Audit trail: every recorded change to this record",
}


# Stored codes shown in words in the subject access Markdown: (table, field) -> enum.
_YES_NO = {"consent_to_share_gp", "attempt", "complete", "favourite", "retired", "is_free"}
_ACRONYMS = {"nhs": "NHS", "gp": "GP", "snomed": "SNOMED", "id": "id"}
# Shown in their own table under a measure, not as fields.
_MEASURE_DETAIL = frozenset({"answers", "items", "scores"})


def _field_words(name: str) -> str:
    parts = [_ACRONYMS.get(p, p) for p in name.split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def _coded(enum: type[Labelled], value: object) -> str:
    if isinstance(value, list):
        return ", ".join(md(label(enum, str(v))) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{md(label(enum, str(k)))}: {md(v)}" for k, v in value.items())
    return md(label(enum, str(value)))


def _sar_value(table: str, name: str, value: object) -> str:
    """A stored value in words: codes as labels, yes/no, dates the UK way."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    enum = CODED_FIELDS.get((table, name))
    if enum is not None:
        return _coded(enum, value)
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


_AUDIT_COLUMNS = ("at", "action", "table_name", "record_id", "field", "old", "new")


def _audit_table(rows: list[dict[str, Any]]) -> list[str]:
    # Corrections (amend, strike out, reopen) carry why and which worker; older rows do not.
    cells = [[md(r.get(k) or "") for k in (*_AUDIT_COLUMNS, "reason", "worker")] for r in rows]
    return md_table(
        ["When", "Action", "Table", "Record", "Field", "Old", "New", "Why", "By"], cells
    )


def _contacts_table(rows: list[dict[str, Any]]) -> list[str]:
    cells = []
    for r in rows:
        what = "Contact"
        if r["attempt"]:
            what = "Attempt: " + (_sar_value("contacts", "outcome", r["outcome"]) or "no answer")
        if r.get("entered_in_error_at"):
            why = r.get("entered_in_error_reason") or ""
            what += f" (entered in error: {why})" if why else " (entered in error)"
        cells.append(
            [
                _sar_value("contacts", "contact_at", r["contact_at"]),
                what,
                _sar_value("contacts", "mode", r["mode"]),
                md(r["duration_minutes"] or ""),
                md(r["note"] or ""),
            ]
        )
    return md_table(["When", "What", "Mode", "Minutes", "Note"], cells)


def _measure_heading(row: dict[str, Any]) -> str | None:
    if row.get("kind") not in {k.value for k in measures.MeasureKind}:
        return None
    stage = "baseline" if row["stage"] == "baseline" else "follow-up"
    return f"{measures.definition(row['kind']).short_title} ({stage}), {long_date(row['taken_on'])}"


def _measure_detail(row: dict[str, Any]) -> list[str]:
    """A measure's questions and answers, then its scores."""
    items = [
        [md(item.get("wording", item["item"])), _answer(item)] for item in row.get("items", [])
    ]
    out = ["", *md_table(["Question", "Answer"], items)]
    scores = row.get("scores")
    summary = scores.get("summary") if isinstance(scores, dict) else None
    values = scores.get("values") if isinstance(scores, dict) else None
    out += ["", f"Scores: {md(summary) if summary else '-'}"]
    if values:
        out.append("(" + ", ".join(f"{md(k)} {number(float(v))}" for k, v in values.items()) + ")")
    return out


def _records(name: str, rows: list[dict[str, Any]]) -> list[str]:
    """One table's rows, each under its own heading."""
    out: list[str] = []
    for i, row in enumerate(rows):
        heading = f"{_field_words(name.rstrip('s'))} {row.get('id', '')}".strip()
        if name == "measures":
            heading = _measure_heading(row) or heading
        out += ([""] if i else []) + [f"### {md(heading)}", ""]
        out += _sar_fields(name, row, _MEASURE_DETAIL)
        if name == "measures":
            out += _measure_detail(row)
    return out


def _section(name: str, rows: list[dict[str, Any]]) -> list[str]:
    out = ["", f"## {md(SAR_TITLES.get(name, _field_words(name)))} ({len(rows)})", ""]
    if not rows:
        return [*out, "None held."]
    if name == "people":
        return out + _sar_fields(name, rows[0])
    if name == "audit":
        return out + _audit_table(rows)
    if name == "contacts":
        return out + _contacts_table(rows)
    return out + _records(name, rows)


def _prepared_by(info: dict[str, Any]) -> list[str]:
    """'Prepared by:' and the worker's lines (``Settings.signature()``), when it was signed."""
    lines = [md(line) for line in info.get("prepared_by", [])]
    if not lines:
        return []
    return ["", f"**Prepared by:** {lines[0]}  ", *(f"{line}  " for line in lines[1:])]


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
        *_prepared_by(info),
    ]
    order = [t for t in SAR_TITLES if t in tables] + [t for t in tables if t not in SAR_TITLES]
    for name in order:
        out += _section(name, tables[name])
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
    """The export as indented JSON (UTF-8 kept readable), every field as stored."""
    return escape_controls_in_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def sar_paths(output: Path) -> tuple[Path, Path]:
    """The JSON file (``output``) and the Markdown beside it (same name, .md)."""
    if output.suffix.lower() == ".md":
        raise ExportError(
            f"{output}: give the JSON file name (e.g. {output.with_suffix('.json').name}); "
            "the Markdown is written beside it"
        )
    markdown = output.with_suffix(".md") if output.suffix else output.with_name(output.name + ".md")
    return output, markdown


def sar_files(data: dict[str, Any], output: Path) -> list[tuple[Path, bytes]]:
    """The two files of a subject access export: (path, bytes) for the JSON and the Markdown."""
    json_path, md_path = sar_paths(output)
    return [
        (json_path, sar_json(data).encode("utf-8")),
        (md_path, sar_markdown(data).encode("utf-8")),
    ]
