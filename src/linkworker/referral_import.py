"""A batch of referrals from a CSV file (a GP practice's list), checked row by row like the form.

Every row is validated with the same models as the referral form (:class:`PersonDetails`,
:class:`ReferralDetails`) and matched against the people on record exactly as intake does
(:func:`linkworker.people.find_duplicates`). By default the import is all or nothing: if
any row has a problem, nothing is written and every problem is reported as
``row N: field: reason`` (N is the row number a spreadsheet shows; the header is row 1).
With ``keep_good`` the good rows are written and the bad ones still reported.
"""

from __future__ import annotations

import csv
import io
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlite_utils import Database

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.models import PersonDetails, ReferralDetails, field_errors
from linkworker.validation import doubtful_dates

#: The columns a referrals CSV may have, in the order a template lists them, with their meaning.
COLUMNS: dict[str, str] = {
    "given_name": "required; the person's first name",
    "family_name": "required; the person's last name",
    "preferred_name": "what they like to be called",
    "date_of_birth": "23/11/1950 or 1950-11-23",
    "nhs_number": "10 digits, spaces allowed (checked with the mod 11 check digit)",
    "phone": "a UK number, e.g. 07700 900123 or +44 7700 900123",
    "email": "name@example.org",
    "address": "one line",
    "postcode": "a UK postcode, any case and spacing",
    "gp_practice": "the person's GP practice",
    "source": "required; who referred: a code or label, e.g. gp_practice, 'GP practice', "
    "self, housing, vcse",
    "referrer_name": "the referrer's name",
    "referrer_organisation": "the referrer's organisation",
    "received_on": "required; the day the referral arrived, 23/11/2026 or 2026-11-23",
    "needs": "reasons, separated by semicolons, e.g. loneliness; money_debt",
    "urgency": "routine (default), soon or urgent",
    "reason": "the referrer's words",
    "consent_to_share_gp": "yes or no (blank: not recorded)",
}
REQUIRED_COLUMNS = ("given_name", "family_name", "source", "received_on")
PERSON_COLUMNS = tuple(
    c for c in COLUMNS if c in PersonDetails.model_fields and c != "consent_to_share_gp"
)
REFERRAL_COLUMNS = tuple(c for c in COLUMNS if c in ReferralDetails.model_fields)
_DELIMITERS = (",", ";", "\t")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (missing, not CSV, no header...)."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row."""

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class ImportedRow:
    row: int
    person_id: int
    referral_id: int
    new_person: bool


@dataclass
class ReferralImport:
    """What an import found and did."""

    rows: int = 0
    imported: list[ImportedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    #: Good rows with a date that is seldom true (received over a year ago, an age over 110):
    #: imported all the same, and reported so that someone checks them.
    doubts: list[RowProblem] = field(default_factory=list)
    written: bool = False
    #: Rows that were good (imported, or that would have been had no row been bad).
    good_rows: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def new_people(self) -> int:
        return sum(1 for r in self.imported if r.new_person)

    @property
    def re_referrals(self) -> int:
        return sum(1 for r in self.imported if not r.new_person)


def _normalise_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


#: A referrals CSV of 100,000 rows is about 30 MB; anything far larger is not one.
MAX_IMPORT_BYTES = 100 * 1024 * 1024


def check_import_file(path: Path) -> None:
    """Refuse, naming the file, anything that is not an ordinary file of a sensible size.

    A pipe, a device (/dev/zero) or a socket is refused from its file status alone, which
    never waits, so an import never hangs (and never hangs holding the writer lock).
    """
    try:
        found = path.stat()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(found.st_mode):
        raise ImportFileError(f"{path}: is a folder, not a CSV file")
    if not stat.S_ISREG(found.st_mode):
        raise ImportFileError(
            f"{path}: is not an ordinary file (a pipe or a device); give a CSV file"
        )
    if found.st_size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"{path}: is {found.st_size // (1024 * 1024)} MB, too big to be a referrals CSV"
        )


def read_referrals_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (normalised) and (row number, {column: text}) for every non-blank row.

    Raises ImportFileError, naming the file, for anything that stops the whole import.
    """
    check_import_file(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise ImportFileError(f"{path}: is empty (expected a header row and referrals)")
    nul = raw.find(b"\x00")
    if nul >= 0:
        # Anywhere in the file, not only its start: a NUL must never reach a name.
        line = raw.count(b"\n", 0, nul) + 1
        raise ImportFileError(
            f"{path}: is not a CSV text file (it holds binary data: a NUL byte on line {line})"
        )
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path}: is not UTF-8 text; in Excel use Save As 'CSV UTF-8 (comma delimited)'"
        ) from None
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(
        _DELIMITERS,
        key=lambda d: sum(_normalise_header(h) in COLUMNS for h in first_line.split(d)),
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [_normalise_header(h) for h in next(reader)]
        known = [h for h in header if h in COLUMNS]
        if not known:
            raise ImportFileError(
                f"{path}: the first row is not a header of referral columns (expected "
                f"{', '.join(REQUIRED_COLUMNS)} and others; see the README)"
            )
        unknown = [h or "(blank)" for h in header if h not in COLUMNS]
        if unknown:
            raise ImportFileError(
                f"{path}: unknown column{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(unknown)}; the columns are: {', '.join(COLUMNS)}"
            )
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise ImportFileError(f"{path}: column {', '.join(repeated)} appears twice")
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ImportFileError(
                f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}"
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # a blank line: a spreadsheet shows an empty row, nothing to import
            values = dict(zip(header, cells, strict=False))
            if len(cells) > len(header):
                values["__extra__"] = str(len(cells))
            rows.append((number, values))
    except csv.Error as exc:
        raise ImportFileError(
            f"{path}: is not a well-formed CSV file (row {reader.line_num}: {exc})"
        ) from None
    if not rows:
        raise ImportFileError(f"{path}: has a header but no referrals")
    return header, rows


def _problems(number: int, exc: Exception) -> list[RowProblem]:
    if isinstance(exc, ValidationError):
        # The first error of each field: what a person fixes first.
        return [
            RowProblem(number, name or "row", reason) for name, reason in field_errors(exc).items()
        ]
    if isinstance(exc, CaseloadError):
        return [RowProblem(number, exc.field or "row", str(exc))]
    return [RowProblem(number, "row", str(exc))]


def _check_row(
    number: int, values: dict[str, str], clock: Clock
) -> tuple[PersonDetails | None, ReferralDetails | None, list[RowProblem]]:
    context = {"today": clock.today()}
    problems: list[RowProblem] = []
    if "__extra__" in values:
        problems.append(
            RowProblem(number, "row", f"has {values['__extra__']} cells, more than the header")
        )
    person = referral = None
    try:
        person = PersonDetails.model_validate(
            {c: values[c] for c in PERSON_COLUMNS if values.get(c)}, context=context
        )
    except ValidationError as exc:
        problems.extend(_problems(number, exc))
    try:
        referral = ReferralDetails.model_validate(
            {c: values[c] for c in REFERRAL_COLUMNS if values.get(c)}, context=context
        )
    except ValidationError as exc:
        problems.extend(_problems(number, exc))
    return person, referral, problems


def _take(
    db: Database, number: int, person: PersonDetails, referral: ReferralDetails, clock: Clock
) -> ImportedRow:
    """Record one valid row: a new person, or a new episode on the one person it matches."""
    matches = people.find_duplicates(db, person)
    if len(matches) > 1:
        ids = ", ".join(str(m.person_id) for m in matches)
        raise CaseloadError(
            f"matches {len(matches)} people on record (ids {ids}); add this referral in the app",
            field="family_name",
        )
    person_id = None
    if matches:
        match = matches[0]
        if match.identity_differs:
            # The rule of the intake form: never file a referral on a record whose name or
            # date of birth is not the one given; the worker checks the number first.
            differ = " and ".join(f.replace("_", " ") for f in match.differs)
            verb = "differs" if len(match.differs) == 1 else "differ"
            raise CaseloadError(
                f"belongs to {match.name} (id {match.person_id}) on record, whose {differ} "
                f"{verb} from this row's; check the number",
                field="nhs_number",
            )
        person_id = match.person_id
        if match.has_open_referral:
            raise CaseloadError(
                f"this is {match.name} (id {match.person_id}), matched on {match.matched_on}, "
                f"who already has an open referral; close it before a new one",
                field="nhs_number" if match.matched_on == people.MATCHED_ON_NHS else "family_name",
            )
    result = referrals.take_referral(db, referral, clock, person=person, person_id=person_id)
    return ImportedRow(number, result.person_id, result.referral_id, result.new_person)


def _doubts(
    number: int, person: PersonDetails, referral: ReferralDetails, clock: Clock
) -> list[RowProblem]:
    doubtful = doubtful_dates(
        clock.today(), received_on=referral.received_on, date_of_birth=person.date_of_birth
    )
    return [RowProblem(number, name, reason) for name, reason in doubtful.items()]


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it when a row was bad."""


def import_referrals(
    db: Database, path: Path, clock: Clock, *, keep_good: bool = False
) -> ReferralImport:
    """Import a referrals CSV: all or nothing, or (``keep_good``) the good rows only."""
    _, rows = read_referrals_csv(path)
    report = ReferralImport(rows=len(rows))
    try:
        with db.atomic():
            for number, values in rows:
                person, referral, problems = _check_row(number, values, clock)
                if problems or person is None or referral is None:
                    report.problems.extend(problems)
                    continue
                report.doubts.extend(_doubts(number, person, referral, clock))
                try:
                    with db.atomic():  # one savepoint a row: a refused row leaves no trace
                        report.imported.append(_take(db, number, person, referral, clock))
                except (CaseloadError, ValidationError) as exc:
                    report.problems.extend(_problems(number, exc))
            report.good_rows = len(report.imported)
            if report.problems and not keep_good:
                raise _Rollback
    except _Rollback:
        report.imported.clear()
        report.written = False
        return report
    report.written = bool(report.imported)
    return report


def template() -> str:
    """A header row with every column, for a practice to fill in."""
    return ",".join(COLUMNS) + "\n"
