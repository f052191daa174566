"""Settings a link worker (or their organisation) can change, read from settings.toml.

A bad value never stops the app from opening: the field is named in a warning and its
default is used, while every good field in the file still applies.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from linkworker.settings_start import DEFAULT_THEME, StartSettings
from linkworker.validation import check_plain_text

#: The first paint's settings take their defaults from one place (settings_start.py).
_START = StartSettings()

#: What the buddy does when a visit is not checked out in time, unless settings say otherwise.
DEFAULT_BUDDY_ACTION = (
    "Phone me. If I do not answer, try again 10 minutes later, then phone my manager. If "
    "neither of us can be reached and you think I may be at risk, phone 999 and give them "
    "the address of the visit."
)


# One line of plain text: no control character from a hand-edited file reaches a letter.
OneLine = Annotated[str, Field(max_length=120), AfterValidator(check_plain_text)]

#: The measures a practice may give a code to (measures/definitions.py's MeasureKind values;
#: settings stay free of the measures package, so they are named here and a test compares).
CODED_MEASURES = ("ons4", "swemwbs", "ucla3", "ons_loneliness", "collaborate")


def _coded_measure(name: str) -> str:
    if name not in CODED_MEASURES:
        raise ValueError(f"'{name}' is not a measure (give one of {', '.join(CODED_MEASURES)})")
    return name


# A clinical code as a GP system takes it: SNOMED CT concept ids, or a practice's local code.
OutcomeCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9.\-]{1,30}$")]


class Settings(BaseModel):
    """Every setting, with its default and what it changes."""

    # Each setting's docstring is its description, as `linkworker settings` shows it.
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    not_reached_attempts: int = Field(default=3, ge=1, le=20)
    """Unsuccessful contact attempts before the app offers to mark a referral 'not reached'."""
    gone_quiet_days: int = Field(default=_START.gone_quiet_days, ge=1, le=365)
    """Days without a contact after which an active person shows as 'gone quiet'."""
    first_contact_working_days: int = Field(default=_START.first_contact_working_days, ge=1, le=60)
    """Working days a new referral may wait for a first contact before it is flagged on Today."""
    stale_directory_months: int = Field(default=6, ge=1, le=60)
    """Months after its last check (assured or verified) that an activity is flagged stale."""
    bank_holidays: Literal["england-and-wales", "scotland", "northern-ireland"] = (
        "england-and-wales"
    )
    """Whose bank holidays are not working days: england-and-wales, scotland, northern-ireland."""
    followup_interval_days: int = Field(default=14, ge=1, le=180)
    """Default gap to the next follow-up offered after a contact (weekends are skipped)."""
    connection_check_days: int = Field(default=_START.connection_check_days, ge=1, le=180)
    """Days an activity may stay suggested or referred before Today asks 'did they go?'."""
    needs_review_months: int = Field(default=12, ge=1, le=60)
    """Months after communication needs are checked with the person that their review is due."""
    outcome_interval_weeks: int = Field(default=_START.outcome_interval_weeks, ge=0, le=104)
    """Weeks after an outcome measure that a follow-up is due while support goes on (0: off)."""
    outcome_codes: dict[Annotated[str, AfterValidator(_coded_measure)], OutcomeCode] = Field(
        default_factory=dict
    )
    """Measure -> the code your GP system records it under, e.g. { swemwbs = 'LOCAL01' }."""
    idle_lock_minutes: int = Field(default=5, ge=0, le=240)
    """Minutes without a key press before the screen locks (0 turns the idle lock off)."""
    backup_every_days: int = Field(default=1, ge=0, le=90)
    """Days between automatic backups taken at start (0 turns them off)."""
    backups_to_keep: int = Field(default=7, ge=1, le=365)
    """Automatic backups kept; older ones are deleted."""
    # Checked like every other door: a theme name or key with an escape code in it would
    # reach the terminal in the warning the app shows about it.
    theme: OneLine = DEFAULT_THEME
    """Theme: textual-dark, textual-light, ansi-dark or ansi-light (your terminal's own colours),
    nord, linkworker-high-contrast (white on black, yellow focus)..."""
    monochrome: bool = _START.monochrome
    """Show no colour at all (as the NO_COLOR environment variable does): states still show."""
    animations: bool = _START.animations
    """Animate scrolling and the palette (false: everything moves at once)."""
    keymap: dict[OneLine, OneLine] = Field(default_factory=dict)
    """Binding id -> key(s), e.g. { 'section.caseload' = 'f3' }. See the README for the ids."""
    # Who is writing: the GP message, the plan, the shortlist and the reports are signed so.
    worker_name: OneLine = ""
    """Your name, as the GP message, the plan, the shortlist and reports are signed."""
    worker_role: OneLine = "Social prescribing link worker"
    """Your role, under your name on everything you send."""
    worker_organisation: OneLine = ""
    """Your organisation (the PCN or the provider that employs you)."""
    worker_phone: OneLine = ""
    """The phone number people and GPs reach you on."""
    worker_email: OneLine = ""
    """The email address people and GPs reach you on (NHSmail, say)."""
    worker_hours: OneLine = ""
    """When people can reach you (e.g. Monday to Thursday, 9am to 5pm), on what they keep."""
    practice_code: Annotated[str, Field(pattern=r"^([A-Z0-9]{3,10})?$")] = ""
    """Optional ODS code of your practice or PCN (e.g. Y01234), printed on the GP message."""
    # Lone working (issue 16): who waits for the worker to check out of a visit, and when.
    buddy_name: OneLine = ""
    """Your lone-working buddy's name, on the day's visit plan."""
    buddy_phone: OneLine = ""
    """Your buddy's phone number, on the day's visit plan."""
    visit_margin_minutes: int = Field(default=_START.visit_margin_minutes, ge=0, le=240)
    """Minutes after a visit's expected back time before it counts as not checked out."""
    buddy_action: Annotated[str, Field(max_length=500), AfterValidator(check_plain_text)] = (
        DEFAULT_BUDDY_ACTION
    )
    """What your buddy does when you have not checked out by then (printed on the plan)."""
    worker_name_asked: int = Field(default=0, ge=0, le=2)
    """Starts of the app that asked for your name while it was not set (it asks twice at most)."""

    def signature(self) -> list[str]:
        """The sender's lines, as a letter ends: name, role and organisation, how to reach.

        Empty lines are left out, so an unset organisation never leaves a gap.
        """
        role = ", ".join(part for part in (self.worker_role, self.worker_organisation) if part)
        reach = " · ".join(part for part in (self.worker_phone, self.worker_email) if part)
        return [line for line in (self.worker_name, role, reach) if line]

    def sign_off(self) -> list[str] | None:
        """'Your link worker: ...', the signature and when to reach them (if set), for the
        plan, the person's copy of it and the shortlist.

        None while no name is set: the printed page keeps its line to fill in by hand.
        """
        if not self.worker_name:
            return None
        first, *rest = self.signature()
        hours = [f"When to reach me: {self.worker_hours}"] if self.worker_hours else []
        return [f"Your link worker: {first}", *rest, *hours]


def describe() -> list[tuple[str, object, str]]:
    """(name, default, description) for every setting, for `linkworker settings` and docs."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        rows.append((name, default, field.description or ""))
    return rows


def save_setting(path: Path, name: str, value: str | int) -> None:
    """Set one setting in settings.toml, keeping every other line of the file as it was.

    The value is checked as loading checks it (a bad one raises ValueError naming it); the
    file is replaced safely (formats/writer.py), never left half-written.
    """
    from linkworker.formats import writer

    if name not in Settings.model_fields:
        raise ValueError(f"'{name}' is not a setting")
    try:
        Settings.model_validate({name: value})
    except ValidationError as exc:
        raise ValueError(f"{name}: {exc.errors()[0].get('msg', 'is not valid')}") from exc
    # A JSON string is a TOML basic string (the same escapes), and an int is written alike.
    line = f"{name} = {json.dumps(value, ensure_ascii=False)}"
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    # Top-level keys come before the first [table]; replace the key's line or add it first.
    tables = next((i for i, text in enumerate(old) if text.lstrip().startswith("[")), len(old))
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
    at = next((i for i in range(tables) if pattern.match(old[i])), None)
    lines = [*old[:at], line, *old[at + 1 :]] if at is not None else [line, *old]
    writer.write_files(
        [(path, ("\n".join(lines) + "\n").encode("utf-8"))], force=True, make_folders=True
    )


def load_settings(path: Path | None) -> tuple[Settings, list[str]]:
    """Read settings.toml (None: none); return the settings and warnings about anything
    ignored."""
    if path is None or not path.exists():
        return Settings(), []
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"{path}: cannot be read ({exc}); using default settings"]
    except tomllib.TOMLDecodeError as exc:
        return Settings(), [f"{path}: not valid TOML ({exc}); using default settings"]

    warnings: list[str] = []
    good: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in Settings.model_fields:
            warnings.append(f"{path.name}: unknown setting '{key}' ignored")
            continue
        try:
            Settings.model_validate({key: value})
        except ValidationError as exc:
            reason = exc.errors()[0].get("msg", "is not valid")
            default = Settings.model_fields[key].get_default(call_default_factory=True)
            warnings.append(f"{path.name}: {key} = {value!r} ignored ({reason}); using {default!r}")
            continue
        good[key] = value
    return Settings.model_validate(good), warnings
