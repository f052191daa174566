"""The start path (issue 18): what the app imports before Today is painted.

Checked in a subprocess through ``sys.modules``, never by timing. Today's first paint needs
the app, the store opening and the Today screen; everything else (the dialog family, the
person screen and its files, the other sections, reports, exports, the command palette's
providers) loads on first use.
"""

from __future__ import annotations

import subprocess
import sys

#: Modules that importing the app (which paints Today) must not load.
NOT_AT_START = (
    "linkworker.tui.dialogs",
    "linkworker.tui.dialogs.form",
    "linkworker.tui.screens.person",
    "linkworker.tui.screens.person_files",
    "linkworker.tui.screens.plan",
    "linkworker.tui.screens.caseload",
    "linkworker.tui.screens.directory",
    "linkworker.tui.screens.reports",
    "linkworker.tui.commands",
    "linkworker.reports",
    "linkworker.formats.writer",
    "linkworker.plans",
    # Not linkworker.measures: Today's "outcomes due" bucket (outcomes_due.py) names the
    # outcome measures by their kinds, so the definitions load with the agenda (~16 ms).
)


def loaded_by(module: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a fresh interpreter has in sys.modules after importing ``module``."""
    code = (
        f"import sys, {module}\nprint(','.join(m for m in {list(names)!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [m for m in result.stdout.strip().split(",") if m]


def test_the_app_that_paints_today_loads_no_dialog_person_or_report_module() -> None:
    assert loaded_by("linkworker.tui.app", NOT_AT_START) == []


#: What Today's first paint is drawn without (issue 18): the store is read through the driver,
#: the agenda's words come from linkworker.vocabulary, and the settings are validated (and the
#: store checked and migrated, which needs sqlite-utils) right after the paint.
NOT_BEFORE_THE_FIRST_PAINT = ("pydantic", "sqlite_utils", "linkworker.models")


def test_the_app_that_paints_today_loads_no_pydantic_sqlite_utils_or_models() -> None:
    assert loaded_by("linkworker.tui.app", NOT_BEFORE_THE_FIRST_PAINT) == []


def test_the_models_still_load_pydantic_and_name_the_same_words() -> None:
    # The check is not vacuous: the models need pydantic, and re-export the start's enums.
    assert loaded_by("linkworker.models", NOT_BEFORE_THE_FIRST_PAINT) == [
        "pydantic",
        "linkworker.models",
    ]
    from linkworker import models, vocabulary

    assert models.ReferralStatus is vocabulary.ReferralStatus
    assert models.FollowUpKind.HOME_VISIT.label == "Home visit"


def test_the_first_paint_takes_the_settings_defaults() -> None:
    from dataclasses import fields

    from linkworker.settings import Settings
    from linkworker.settings_start import StartSettings

    start, full = StartSettings(), Settings()
    for f in fields(StartSettings):
        assert getattr(start, f.name) == getattr(full, f.name), f.name


def test_the_check_sees_a_module_that_is_loaded() -> None:
    # The same check on a module that does import the dialog family must name it.
    assert loaded_by("linkworker.tui.screens.person", ("linkworker.tui.dialogs",)) == [
        "linkworker.tui.dialogs"
    ]
