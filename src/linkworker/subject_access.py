"""Subject access (UK GDPR article 15): everything held about one person, table by table.

The rows are those :func:`linkworker.store.schema.rows_about` finds, the same walk erasure
makes, so what is exported and what is erased can never drift apart.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.reports import decode_json as _json
from linkworker.store.schema import rows_about

#: Columns stored as JSON text, decoded in the subject access export.
JSON_COLUMNS = {
    "needs",
    "barriers",
    "answers",
    "scores",
    "categories",
    "category_codes",
    "schedules",
    "days",
    "languages",
    "extra",
}


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key, value in row.items():
        if key in JSON_COLUMNS and isinstance(value, str):
            out[key] = _json(value, value)
    return out


def _measure_items(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Each item of a stored measure with its wording, answer code and answer words."""
    answers = row.get("answers")
    if not isinstance(answers, dict):
        return []
    try:
        definition = measures.definition(str(row.get("kind")))
    except measures.MeasureError:
        return [{"item": k, "answer": v} for k, v in answers.items()]
    items = []
    for item in definition.items:
        value = answers.get(item.key)
        try:
            words = item.label_for(int(value)) if value is not None else None
        except (measures.MeasureError, TypeError, ValueError):
            words = None
        items.append(
            {"item": item.key, "wording": item.wording, "answer": value, "answer_label": words}
        )
    return items


def _held_about(db: Database, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's rows, table by table (the same walk erasure makes), decoded."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, rows in rows_about(db, person_id):
        tables[table.name] = [_decoded(r) for r in rows]
    if not tables.get("people"):
        raise LookupError(f"no person with id {person_id}")
    for row in tables.get("measures", []):
        row["items"] = _measure_items(row)
    return tables


def _activities_referred_to(
    db: Database, connections: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The directory entries the person was connected to (not theirs, but what they chose)."""
    activity_ids = sorted({r["activity_id"] for r in connections})
    if not activity_ids:
        return []
    return [
        _decoded(a)
        for a in db.query(
            "SELECT id, name, organisation, categories, venue, town, postcode, phone, url "
            f"FROM activities WHERE id IN ({', '.join('?' for _ in activity_ids)}) "
            "ORDER BY id",
            activity_ids,
        )
    ]


def subject_access(db: Database, person_id: int, generated_at: str) -> dict[str, Any]:
    """Every row held about one person, table by table, with the audit entries about them.

    The tables are :data:`linkworker.store.schema.PERSONAL_TABLES` (with any table the
    store holds that the list lacks, found from the schema), so a table added by a later
    migration is included without changing this function. Measures carry their item
    answers (with the wording and answer words) and scores.
    """
    tables = _held_about(db, person_id)
    audit_rows = list(
        db.query("SELECT * FROM audit WHERE person_id = ? ORDER BY at, id", [person_id])
    )
    has_swemwbs = any(
        r.get("kind") == measures.MeasureKind.SWEMWBS.value for r in tables.get("measures", [])
    )
    return {
        "export": {
            "kind": "subject access export",
            "person_id": person_id,
            "generated_at": generated_at,
            "tables": sorted([*tables, "audit"]),
        },
        "tables": {**tables, "audit": audit_rows},
        "activities_referred_to": _activities_referred_to(db, tables.get("connections", [])),
        "notices": [measures.SWEMWBS_COPYRIGHT] if has_swemwbs else [],
    }
