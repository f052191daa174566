"""The start path (issue 18): what the app imports before Today is painted.

Checked in a subprocess through ``sys.modules``, never by timing. Today's first paint needs
the app, the store opening and the Today screen; everything else (the dialog family, the
person screen and its files, the other sections, reports, exports, the command palette's
providers) loads on first use.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from linkworker.cli.entry import LAZY_COMMANDS, main
from linkworker.clock import Clock

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
    # Today's "outcomes due" bucket names the measures by their kinds, which are in
    # linkworker.vocabulary; the definitions (a TOML file, ~8 ms) load on first use.
    "linkworker.measures.definitions",
    "linkworker.measures.scoring",
    # The bank holidays of the first-contact bucket come from the cache file
    # (followups/bank_holidays.py); the package (~75 ms with its calendar) when it is not there.
    "holidays",
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
    # The first start in a home keeps the keys and the screens' words parsed in its cache
    # folder (package_toml.py), through the file writer; every later start reads them.
    assert loaded_by("linkworker.tui.app", NOT_AT_START) == ["linkworker.formats.writer"]
    assert loaded_by("linkworker.tui.app", NOT_AT_START) == []


#: What Today's first paint is drawn without (issue 18): the agenda is read in a child (or,
#: without one, through the driver), its words come from linkworker.vocabulary, and the
#: settings are validated (and the store checked and migrated, which needs sqlite-utils)
#: right after the paint. The driver (sqlcipher3) loads where a store is first opened.
NOT_BEFORE_THE_FIRST_PAINT = ("pydantic", "sqlite_utils", "linkworker.models", "sqlcipher3")


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


# --- the store's checks come right after the first paint, before any key acts ----------------


async def _until(pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app run until ``done()`` (a condition, never a time window)."""
    while not done():
        await pilot.pause()


async def test_keys_typed_while_the_store_is_checked_wait_and_then_act(
    demo_path: Path, clock: Clock
) -> None:
    from textual import events

    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import TodayScreen

    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.store_checked and isinstance(app.screen, TodayScreen))
        app.typed_ahead.hold()  # as store_opened does until the checks are done
        key = events.Key("f3", None)
        key.set_sender(app)
        app.post_message(key)
        await _until(pilot, lambda: app.typed_ahead.held == 1)
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, TodayScreen) and app.typed_ahead.held == 1
        app.typed_ahead.release()
        await _until(pilot, lambda: app.typed_ahead.held == 0)
        await _until(pilot, lambda: app.current_mode == "caseload")


async def test_an_older_store_is_painted_then_backed_up_and_migrated(
    store_path: Path, clock: Clock
) -> None:
    from linkworker.store.db import applied_names, connect
    from linkworker.store.migrations import known_names, migrations
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import TodayScreen

    last = known_names()[-1]
    db = connect(store_path)
    migrations.apply(db, stop_before=last)
    db["meta"].upsert({"key": "encryption", "value": "none"}, pk="key")
    db.close()
    app = LinkWorkerApp(store_path=store_path, clock=clock, unencrypted=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.store_checked and isinstance(app.screen, TodayScreen))
        assert last in applied_names(app.db)
        assert list(store_path.parent.glob("store.before-migration-*.db"))
        assert not app.read_only and app.screen.query_one("#agenda").row_count


async def test_a_store_from_a_newer_linkworker_is_refused_after_the_paint(
    demo_path: Path, clock: Clock
) -> None:
    from linkworker.store.db import connect
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.dialogs import MessageDialog

    db = connect(demo_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('linkworker', 'm999_from_the_future', '2030-01-01')"
    )
    db.conn.commit()
    db.close()
    before = demo_path.read_bytes()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MessageDialog))
        assert app.connection is None and app.store_checked
    assert demo_path.read_bytes() == before  # nothing was written to it


def test_the_linkworker_command_loads_no_command_group_pydantic_or_sqlite_utils() -> None:
    # A bare `linkworker` opens the app: its groups load when one is run (or --help lists them).
    groups = tuple(path.rpartition(".")[0] for path in LAZY_COMMANDS.values())
    assert loaded_by("linkworker.cli.entry", (*groups, *NOT_BEFORE_THE_FIRST_PAINT)) == []


def test_every_command_loaded_on_first_use_is_the_one_it_is_listed_as() -> None:
    ctx = click.Context(main)
    for name in LAZY_COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
    assert set(LAZY_COMMANDS) <= set(main.list_commands(ctx))


# --- settings.toml: read raw for the first paint, validated right after it -----------------


def test_the_first_paint_reads_settings_toml_without_pydantic(tmp_path: Path) -> None:
    from linkworker.settings_start import StartSettings, read_start_settings

    path = tmp_path / "settings.toml"
    path.write_text(
        'gone_quiet_days = 30\nmonochrome = true\ntheme = "high-contrast"\n'
        'first_contact_working_days = "five"\nanimations = 1\nkeymap = { "today.book" = "b" }\n'
        'worker_name = "Sam"\n'
    )
    start = read_start_settings(path)
    assert (start.gone_quiet_days, start.monochrome, start.theme) == (30, True, "high-contrast")
    assert start.keymap == {"today.book": "b"}
    # The wrong type gives the default here; the validation after the paint names it.
    assert start.first_contact_working_days == 5 and start.animations is True
    path.write_text("gone_quiet_days = [")
    assert read_start_settings(path) == StartSettings()
    assert read_start_settings(tmp_path / "none.toml") == StartSettings()
    assert read_start_settings(None) == StartSettings()
    code = "import sys, linkworker.settings_start\nprint('pydantic' in sys.modules)\n"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.strip() == "False"


async def test_settings_the_validation_refuses_are_named_and_today_is_read_again(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    from linkworker.followups.agenda import build_agenda
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import LINES_PER_BUCKET, TodayScreen

    settings = tmp_path / "settings.toml"
    # 0 is a whole number (the paint takes it) but not a valid number of days (ge=1).
    settings.write_text("gone_quiet_days = 0\nconnection_check_days = 7\nno_such_thing = 1\n")
    app = LinkWorkerApp(store_path=demo_path, clock=clock, settings_file=settings)
    assert app.settings_now.gone_quiet_days == 0 and app._settings is None
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.store_checked and isinstance(app.screen, TodayScreen))
        await pilot.pause()
        assert app.settings.gone_quiet_days == 21 and app.settings.connection_check_days == 7
        assert app.settings_now is app.settings
        warned = " ".join(app.startup_warnings)
        assert "gone_quiet_days = 0 ignored" in warned and "no_such_thing" in warned
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert screen.agenda == build_agenda(
            app.connection, clock.today(), app.settings, lines_per_bucket=LINES_PER_BUCKET
        )


#: What a good start runs without until Today is painted (issue 18): the SQLite driver and
#: the store's opening and security (Today is painted from the child's read, and the store
#: opened right after), the lone visits' rules (the child finds the late ones), the app's
#: messages (its handler is found by name), the screens that ask, the backups, the caseload
#: and people modules (the header's counts come with the early agenda), the agenda's day and
#: outcome rules (the agenda is read in a child), and Rich's emoji table (Today's column
#: labels are Text, not markup).
NOT_RUN_BEFORE_THE_FIRST_PAINT = (
    *NOT_BEFORE_THE_FIRST_PAINT,
    "linkworker.tui.screens.opening",
    "linkworker.store.health",
    "linkworker.store.security",
    "linkworker.lone_working",
    "linkworker.tui.messages",
    "linkworker.tui.screens.passphrase",
    "linkworker.tui.screens.store_choice",
    "linkworker.tui.screens.lock",
    "linkworker.store.backups",
    "linkworker.caseload",
    "linkworker.people",
    "linkworker.followups.days",
    "linkworker.outcomes_due",
    "rich._emoji_codes",
    "textual.widgets._text_area",
    "zoneinfo",
    "hashlib",
)

#: Starts the app as the `linkworker` command does (start_up.before_the_app) on
#: argv[1] and prints which of argv[2:] were loaded when the first frame with Today's rows
#: reached the terminal (no Textual batch open).
PAINT_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from linkworker import start_up
from linkworker.clock import Clock
store, names = Path(sys.argv[1]), sys.argv[2:]
clock = Clock(fixed_date=date.fromisoformat("2026-11-23"))
started = start_up.before_the_app(store, clock, None, None)
from linkworker.tui.app import LinkWorkerApp
seen = []
class Probe(LinkWorkerApp):
    def _display(self, screen, renderable):
        batched = self._batch_count
        super()._display(screen, renderable)
        rows = [t.row_count for t in screen.query("DataTable")]
        if renderable is not None and not batched and not seen and any(rows):
            seen.append([name for name in names if name in sys.modules])
            self.call_after_refresh(self.exit)
Probe(store_path=store, clock=clock, **started).run(headless=True)
print(",".join(seen[0]) if seen else "no paint")
"""


def test_a_good_start_runs_none_of_the_rest_before_today_is_painted(demo_path: Path) -> None:
    def loaded_at_the_first_paint() -> str:
        shown = subprocess.run(
            [sys.executable, "-c", PAINT_SCRIPT, str(demo_path), *NOT_RUN_BEFORE_THE_FIRST_PAINT],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return shown.stdout.strip().splitlines()[-1] if shown.stdout.strip() else ""

    # The first start in a home writes its caches (the bank holidays, the keys and words:
    # the file writer loads hashlib); every later one reads them.
    assert loaded_at_the_first_paint() in ("", "hashlib")
    assert loaded_at_the_first_paint() == ""
