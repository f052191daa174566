"""Control characters are refused or made visible at every door (issue 19 item 1)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from linkworker.cli.base import echo_json
from linkworker.formats.oruk.fields import _Ctx, _text
from linkworker.models import ActivityDetails, PersonDetails, field_errors
from linkworker.tui.widgets.text import filled
from linkworker.validation import escape_controls_in_json

RETITLE = "\x1b]2;PWNED\x1b\\"


@pytest.mark.parametrize("bad", [RETITLE, "\x1b]52;c;aGk=\x07", "\x9b31m", "a\x7fb", "\x00"])
def test_a_person_named_with_a_control_character_is_refused_on_that_field(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PersonDetails(given_name=f"Joan{bad}", family_name="Smith")
    assert "contains a control character" in field_errors(caught.value)["given_name"]


def test_notes_keep_line_breaks_and_tabs_but_not_escape_codes() -> None:
    person = PersonDetails(given_name="Joan", family_name="Smith", communication_needs="a\n\tb")
    assert person.communication_needs == "a\n\tb"
    with pytest.raises(ValidationError) as caught:
        PersonDetails(given_name="Joan", family_name="Smith", communication_needs=RETITLE)
    assert "communication_needs" in field_errors(caught.value)


def test_activity_text_and_lists_refuse_control_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        ActivityDetails(name="Walk", categories=["ok", f"bad{RETITLE}"])
    assert "categories" in field_errors(caught.value)
    with pytest.raises(ValidationError):
        ActivityDetails(name=f"Walk{RETITLE}")


def test_json_output_escapes_every_control_character() -> None:
    @click.command()
    def show() -> None:
        echo_json({"name": f"Joan{RETITLE}\x85\x7f é"})

    out = CliRunner().invoke(show).output
    assert "\x1b" not in out and "\x85" not in out and "\x7f" not in out
    assert "\\u001b]2;PWNED" in out and "\\u0085\\u007f é" in out
    assert json.loads(out) == {"name": f"Joan{RETITLE}\x85\x7f é"}


def test_exported_json_keeps_letters_and_escapes_c1() -> None:
    text = escape_controls_in_json(json.dumps({"a": "Zoë\x9b"}, ensure_ascii=False))
    assert text == '{"a": "Zoë\\u009b"}' and json.loads(text) == {"a": "Zoë\x9b"}


def test_a_feed_text_field_shows_control_characters_as_symbols_and_warns() -> None:
    ctx = _Ctx(index=0)
    assert _text(f"Walk{RETITLE}\r\nby the river", "name", ctx) == "Walk␛]2;PWNED␛\\\nby the river"
    assert ctx.warnings == [("name", "control characters shown as symbols")]
    ctx = _Ctx(index=0)
    assert _text(" Walk\tfast\n ", "name", ctx) == "Walk\tfast" and ctx.warnings == []


def test_an_edit_field_is_filled_with_what_can_be_seen() -> None:
    assert filled(f"Joan{RETITLE}") == "Joan␛]2;PWNED␛\\"
    assert filled("a\nb", lines=True) == "a\nb" and filled("a\nb") == "a b"
    assert filled(None) == ""


def test_cli_errors_show_what_was_typed_without_its_escape_codes(tmp_path: Path) -> None:
    from linkworker.cli import main

    csv = tmp_path / "population.csv"
    csv.write_text(f'group,value,people\nethnicity,"{RETITLE}evil",3\n')
    store = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(main, ["demo", "--db", store, "--people", "2", "--unencrypted"])
    told = runner.invoke(main, ["population", "load", str(csv), "--db", store])
    assert told.exit_code == 1 and "␛]2;PWNED␛\\evil" in told.stderr
    # A value click itself refuses (--today is read by our own date type).
    told = runner.invoke(main, ["agenda", "--db", store, "--today", f"{RETITLE}2026"])
    assert told.exit_code == 2 and "␛]2;PWNED" in told.stderr
    for said in (told.stderr, told.stdout):
        assert "\x1b" not in said
