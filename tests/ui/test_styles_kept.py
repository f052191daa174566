"""What the stylesheets parse to, kept in the cache folder between starts (styles_kept.py).

A "start" here is a fresh process-wide parse cache: what a new process would have.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ui.conftest import new_process_styles

from linkworker.clock import Clock
from linkworker.tui import styles_kept
from linkworker.tui.stylesheet import ParsedOnceStylesheet

CSS = "Label { color: $accent; } .late { text-style: bold; }"
THEME = {"accent": "#ff0000"}


@pytest.fixture(autouse=True)
def kept_in_tmp(tmp_path: Path) -> Iterator[None]:
    """Styles kept in tmp_path/cache meanwhile (`parses`, tests/ui/conftest.py, counts
    what Textual tokenises)."""
    styles_kept.keep_in(tmp_path / "cache")
    yield
    styles_kept.keep_in(None)


def new_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process has: nothing parsed yet (and a new process's files read)."""
    new_process_styles(monkeypatch)
    styles_kept.keep_in(styles_kept._folder)


def _sheet(css: str = CSS) -> ParsedOnceStylesheet:
    sheet = ParsedOnceStylesheet(variables=THEME)
    sheet.add_source(css, read_from=("test", "Label"))
    sheet.parse()
    return sheet


def _kept() -> Path:
    path = styles_kept.kept_file(tuple(sorted(THEME.items())))
    assert path is not None
    return path


def test_the_next_start_reads_what_this_one_parsed(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _sheet()
    ParsedOnceStylesheet.save_kept()
    assert _kept().is_file() and _kept().stat().st_mode & 0o077 == 0
    new_start(monkeypatch)
    second = _sheet()
    assert parses == [CSS]  # tokenised once, in the first start
    assert [r.css for r in second.rules] == [r.css for r in first.rules]
    assert second.rules[0].styles.color == first.rules[0].styles.color


def test_a_changed_source_is_parsed_again_and_kept_beside_the_others(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.save_kept()
    new_start(monkeypatch)
    changed = ".late { text-style: italic; }"
    _sheet(changed)
    ParsedOnceStylesheet.save_kept()
    new_start(monkeypatch)
    _sheet()
    _sheet(changed)
    assert parses == [CSS, changed]


LATER_CSS = "Input { border: tall $accent; }"


def _theme_part(part: str) -> dict[object, object]:
    path = styles_kept.kept_file(tuple(sorted(THEME.items())), part)
    assert path is not None
    return dict(pickle.loads(path.read_bytes())[1])


def test_what_the_start_did_not_look_up_is_kept_apart_and_read_only_when_missed(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.started()  # Today's first frame (today.py)
    _sheet(LATER_CSS)  # a section opened later
    ParsedOnceStylesheet.save_kept()
    assert [key[0] for key in _theme_part(styles_kept.START)] == [CSS]
    assert [key[0] for key in _theme_part(styles_kept.LATER)] == [LATER_CSS]
    new_start(monkeypatch)
    _sheet()
    theme = tuple(sorted(THEME.items()))
    assert (theme, styles_kept.LATER) not in styles_kept._read  # the start reads its part only
    ParsedOnceStylesheet.started()
    _sheet(LATER_CSS)
    assert parses == [CSS, LATER_CSS]  # read from the rest, not tokenised again
    assert (theme, styles_kept.LATER) in styles_kept._read


def test_what_a_start_comes_to_need_moves_to_the_start_part_and_nothing_is_lost(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.started()
    _sheet(LATER_CSS)
    ParsedOnceStylesheet.save_kept()
    new_start(monkeypatch)
    _sheet(LATER_CSS)  # this start needs it before its first frame
    ParsedOnceStylesheet.started()
    ParsedOnceStylesheet.save_kept()
    assert [key[0] for key in _theme_part(styles_kept.START)] == [LATER_CSS]
    assert [key[0] for key in _theme_part(styles_kept.LATER)] == [CSS]
    new_start(monkeypatch)
    _sheet()
    _sheet(LATER_CSS)
    assert parses == [CSS, LATER_CSS]  # each tokenised once, in the first start


def test_nothing_is_written_when_nothing_new_was_parsed(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.save_kept()
    written = _kept().stat().st_mtime_ns
    new_start(monkeypatch)
    _sheet()
    ParsedOnceStylesheet.save_kept()
    assert _kept().stat().st_mtime_ns == written


@pytest.mark.parametrize(
    "kept",
    [b"not a pickle", pickle.dumps([1, 2]), b"rules"],
    ids=["damaged", "a list", "not rules"],
)
def test_a_file_that_is_not_parsed_rules_is_ignored_and_written_again(
    parses: list[str], monkeypatch: pytest.MonkeyPatch, kept: bytes
) -> None:
    _sheet()
    ParsedOnceStylesheet.save_kept()
    if kept == b"rules":  # what it was made for, but not rules
        made_for, _ = pickle.loads(_kept().read_bytes())
        kept = pickle.dumps((made_for, {"key": ["not rules"]}))
    _kept().write_bytes(kept)
    new_start(monkeypatch)
    _sheet()
    assert parses == [CSS, CSS]
    ParsedOnceStylesheet.save_kept()
    new_start(monkeypatch)
    _sheet()
    assert parses == [CSS, CSS]


def test_a_file_others_could_have_written_is_never_loaded(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.save_kept()
    _kept().chmod(0o666)
    new_start(monkeypatch)
    _sheet()
    assert parses == [CSS, CSS]


def test_a_file_made_for_another_theme_is_not_used(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sheet()
    ParsedOnceStylesheet.save_kept()
    made_for, parsed = pickle.loads(_kept().read_bytes())
    other = (*made_for[:-1], (("accent", "#0000ff"),))
    _kept().write_bytes(pickle.dumps((other, parsed)))  # as if two names had one checksum
    new_start(monkeypatch)
    _sheet()
    assert parses == [CSS, CSS]


def test_without_a_folder_nothing_is_kept(
    parses: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    styles_kept.keep_in(None)
    _sheet()
    ParsedOnceStylesheet.save_kept()
    assert not (tmp_path / "cache").exists()


async def test_the_app_keeps_its_styles_as_it_closes(
    parses: list[str], monkeypatch: pytest.MonkeyPatch, demo_path: Path, clock: Clock
) -> None:
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import TodayScreen

    async def start() -> str:
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        async with app.run_test(size=(100, 30)) as pilot:
            while not (isinstance(app.screen, TodayScreen) and app.store_checked):
                await pilot.pause()
            await pilot.pause()
            return app.export_screenshot()  # every colour and style on the screen

    first = await start()
    tokenised = len(parses)
    assert tokenised > 20  # the app's .tcss files and its widgets' DEFAULT_CSS
    new_start(monkeypatch)
    assert await start() == first
    assert len(parses) == tokenised  # the second start tokenised nothing
