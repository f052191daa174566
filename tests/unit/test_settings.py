"""settings.toml: documented fields, per-field fallback with a warning naming the field."""

from __future__ import annotations

from pathlib import Path

from linkworker import paths
from linkworker.settings import Settings, describe, load_settings


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings, warnings = load_settings(tmp_path / "missing.toml")
    assert settings == Settings()
    assert warnings == []
    assert settings.not_reached_attempts == 3
    assert settings.gone_quiet_days == 21
    assert settings.stale_directory_months == 6


def test_every_setting_is_documented() -> None:
    for name, _default, description in describe():
        assert len(description) > 20, name


def test_bad_field_is_named_and_falls_back_while_good_ones_apply(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'not_reached_attempts = "lots"\ngone_quiet_days = 30\ncolour = "red"\n'
        '[keymap]\n"section.caseload" = "f9"\n'
    )
    settings, warnings = load_settings(path)
    assert settings.not_reached_attempts == 3
    assert settings.gone_quiet_days == 30
    assert settings.keymap == {"section.caseload": "f9"}
    assert any("not_reached_attempts" in w and "'lots'" in w for w in warnings)
    assert any("unknown setting 'colour'" in w for w in warnings)


def test_broken_toml_gives_defaults_and_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("this is = = not toml")
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert len(warnings) == 1 and "not valid TOML" in warnings[0]


def test_linkworker_home_moves_everything(isolated_home: Path) -> None:
    assert paths.default_store_path() == isolated_home / "linkworker.store.db"
    assert paths.settings_path() == isolated_home / "settings.toml"
    assert not isolated_home.exists()  # nothing is created just by asking


def test_theme_and_keymap_with_control_characters_are_refused_by_name(tmp_path: Path) -> None:
    # TOML's \u escapes let a hand-edited file carry an escape code: refused like any door.
    bad = 'theme = "nord\\u001b]2;PWNED\\u0007"\n[keymap]\n"section.caseload" = "f9\\u001b[2J"\n'
    (tmp_path / "settings.toml").write_text(bad + '"section\\u009btoday" = "f4"\n')
    settings, warnings = load_settings(tmp_path / "settings.toml")
    assert settings.theme == "textual-dark"
    assert settings.keymap == {}
    assert any(w.startswith("settings.toml: theme") and "control character" in w for w in warnings)
    assert any(w.startswith("settings.toml: keymap") and "control character" in w for w in warnings)
    # The warning shows the value escaped (repr), never raw.
    assert not any("\x1b" in w or "\x9b" in w for w in warnings)
    good = tmp_path / "good.toml"
    good.write_text('theme = "nord"\n[keymap]\n"section.caseload" = "f9"\n')
    assert load_settings(good)[0].keymap == {"section.caseload": "f9"}
