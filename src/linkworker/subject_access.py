"""Subject access (UK GDPR article 15): everything held about one person, table by table."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.reports import decode_json as _json

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
# Not about a person: bookkeeping, and the full-text index (whose rows mirror activities).
_NOT_PERSONAL = {"meta", "_sqlite_migrations", "audit", "activities"}


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


def _personal_tables(db: Database) -> list[str]:
    names = []
    for name in db.table_names():
        if name in _NOT_PERSONAL or name.startswith(("activities_fts", "sqlite_")):
            continue
        names.append(name)
    return names


def subject_access(db: Database, person_id: int, generated_at: str) -> dict[str, Any]:
    """Every row held about one person, table by table, with the audit entries about them.

    Tables are found from the schema (any table with a ``person_id`` column, then any table
    whose foreign key points at rows already found, such as a goal's actions and reviews),
    so a table added by a later migration is included without changing this function.
    Measures carry their item answers (with the wording and answer words) and scores.
    """
    people = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not people:
        raise LookupError(f"no person with id {person_id}")
    tables: dict[str, list[dict[str, Any]]] = {"people": [_decoded(people[0])]}
    candidates = [t for t in _personal_tables(db) if t != "people"]
    for name in candidates:
        columns = db.table(name).columns_dict
        if "person_id" in columns:
            order = "id" if "id" in columns else "rowid"
            tables[name] = [
                _decoded(r)
                for r in db.query(
                    f"SELECT * FROM [{name}] WHERE person_id = ? ORDER BY {order}", [person_id]
                )
            ]
    # Tables reached through a foreign key (goal_reviews, actions -> goals), to any depth.
    added = True
    while added:
        added = False
        for name in candidates:
            if name in tables:
                continue
            for fk in db.table(name).foreign_keys:
                parents = tables.get(str(fk.other_table))
                if parents is None or fk.other_table == "people":
                    continue
                key = str(fk.other_column)
                ids = sorted({r[key] for r in parents if r.get(key)})
                rows: list[dict[str, Any]] = []
                for chunk in range(0, len(ids), 500):
                    part = ids[chunk : chunk + 500]
                    rows += [
                        _decoded(r)
                        for r in db.query(
                            f"SELECT * FROM [{name}] WHERE [{fk.column}] IN "
                            f"({', '.join('?' for _ in part)})",
                            part,
                        )
                    ]
                tables[name] = sorted(rows, key=lambda r: r.get("id") or 0)
                added = True
                break
    for row in tables.get("measures", []):
        row["items"] = _measure_items(row)
    audit_rows = list(
        db.query("SELECT * FROM audit WHERE person_id = ? ORDER BY at, id", [person_id])
    )
    activity_ids = sorted({r["activity_id"] for r in tables.get("connections", [])})
    activities = (
        list(
            db.query(
                "SELECT id, name, organisation, categories, venue, town, postcode, phone, url "
                f"FROM activities WHERE id IN ({', '.join('?' for _ in activity_ids)}) "
                "ORDER BY id",
                activity_ids,
            )
        )
        if activity_ids
        else []
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
        "activities_referred_to": [_decoded(a) for a in activities],
        "notices": [measures.SWEMWBS_COPYRIGHT] if has_swemwbs else [],
    }
