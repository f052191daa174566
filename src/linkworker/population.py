"""The practice population: how many people the practice serves in each age band, sex,
ethnic group and postcode district, loaded from a CSV so that the "who is reached" report
can set the caseload beside it. Counts only: no person's data.

The CSV has a header ``group,value,people``: ``group`` is one of :data:`GROUPINGS`;
``value`` an age band as the reports name it (``65-74``), a sex or an ethnic group (code
or words), or a postcode district (``HV2``); ``people`` a whole number. Loading replaces the
population held before, all rows or none.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.models import Ethnicity, Labelled, Sex
from linkworker.reports.content import AGE_BANDS

#: The groupings a population (and the report) counts by, in report order.
GROUPINGS = ("age_band", "sex", "ethnicity", "postcode_district")
HEADER = ("group", "value", "people")
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_ENUMS: dict[str, type[Labelled]] = {"sex": Sex, "ethnicity": Ethnicity}
#: A population file larger than this is not a table of counts.
MAX_ROWS = 5000
#: More people than any practice or primary care network serves: a count above it is a mistake.
MAX_PEOPLE = 10_000_000


class PopulationError(ValueError):
    """A population file that cannot be loaded; the message names the row and column."""


def _value(grouping: str, text: str, where: str) -> str:
    """The stored value of one group, or PopulationError naming ``where``."""
    if grouping == "age_band":
        bands = [name for _, _, name in AGE_BANDS]
        if text not in bands:
            raise PopulationError(
                f"{where}, column value: '{text}' is not an age band ({', '.join(bands)})"
            )
        return text
    if grouping == "postcode_district":
        district = text.upper().replace(" ", "")
        if not _DISTRICT.fullmatch(district):
            raise PopulationError(
                f"{where}, column value: '{text}' is not a postcode district (such as HV2)"
            )
        return district
    try:
        return _ENUMS[grouping].parse(text).value
    except ValueError as exc:
        raise PopulationError(f"{where}, column value: {exc}") from None


def read_population(text: str) -> dict[tuple[str, str], int]:
    """{(grouping, value): people} from the CSV text; PopulationError names what is wrong."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [c.strip().lower() for c in rows[0]] != list(HEADER):
        raise PopulationError(f"row 1: the header must be {','.join(HEADER)}")
    if len(rows) > MAX_ROWS + 1:
        raise PopulationError(f"more than {MAX_ROWS} rows: this is not a table of counts")
    found: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = f"row {number}"
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(HEADER):
            raise PopulationError(f"{where}: {len(row)} columns, expected {len(HEADER)}")
        grouping, value, people = (c.strip() for c in row)
        grouping = grouping.lower()
        if grouping not in GROUPINGS:
            raise PopulationError(
                f"{where}, column group: '{grouping}' is not one of {', '.join(GROUPINGS)}"
            )
        key = (grouping, _value(grouping, value, where))
        if not (people.isascii() and people.isdigit()):
            raise PopulationError(f"{where}, column people: '{people}' is not a whole number")
        if len(people) > len(str(MAX_PEOPLE)) or int(people) > MAX_PEOPLE:
            raise PopulationError(
                f"{where}, column people: {people[:12]} is more than {MAX_PEOPLE:,} people"
            )
        if key in found:
            raise PopulationError(f"{where}, column value: {grouping} '{value}' is given twice")
        found[key] = int(people)
    if not found:
        raise PopulationError("the file has a header but no counts")
    return found


def load_population(db: Database, text: str, source: str, clock: Clock) -> int:
    """Replace the practice population with the one in ``text``; returns the rows loaded."""
    counts = read_population(text)
    stamp = clock.stamp()
    with db.atomic():
        db.execute("DELETE FROM population")
        db.conn.executemany(
            "INSERT INTO population (grouping, grouped, people, loaded_at, source) "
            "VALUES (?, ?, ?, ?, ?)",
            [(g, v, n, stamp, source) for (g, v), n in counts.items()],
        )
    return len(counts)


def population(db: Database) -> dict[str, dict[str, int]]:
    """{grouping: {value: people}} as loaded (empty when none was)."""
    out: dict[str, dict[str, int]] = {}
    for grouping, grouped, people in db.execute(
        "SELECT grouping, grouped, people FROM population ORDER BY grouping, grouped"
    ).fetchall():
        out.setdefault(str(grouping), {})[str(grouped)] = int(people)
    return out


def loaded_at(db: Database) -> str | None:
    """When the population was loaded (None when it never was)."""
    row = db.execute("SELECT max(loaded_at) FROM population").fetchone()
    return None if row is None or row[0] is None else str(row[0])


def read_population_file(path: Path) -> str:
    """The text of a population CSV; PopulationError names the file when it is not one."""
    from linkworker.referral_import import check_import_file

    try:
        check_import_file(path)
        raw = path.read_bytes()
    except OSError as exc:
        raise PopulationError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in raw:
        raise PopulationError(f"{path}: is not a CSV text file (it holds binary data)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationError(f"{path}: is not UTF-8 text") from None
