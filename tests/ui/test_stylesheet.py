"""The stylesheet parses each source once per process and theme (tui/stylesheet.py)."""

from __future__ import annotations

from linkworker.tui.stylesheet import ParsedOnceStylesheet

CSS = "Label { color: $accent; } .late { text-style: bold; }"


# `parses` (tests/ui/conftest.py): each source Textual tokenises, the cache emptied.


def _sheet(accent: str) -> ParsedOnceStylesheet:
    sheet = ParsedOnceStylesheet(variables={"accent": accent})
    sheet.add_source(CSS, read_from=("test", "Label"))
    sheet.parse()
    return sheet


def test_a_second_stylesheet_with_the_same_theme_parses_nothing_again(parses: list[str]) -> None:
    first = _sheet("#ff0000")
    second = _sheet("#ff0000")
    assert parses == [CSS]
    assert [r.selectors for r in first.rules] == [r.selectors for r in second.rules]


def test_another_theme_parses_again_with_its_own_colours(parses: list[str]) -> None:
    red = _sheet("#ff0000")
    blue = _sheet("#0000ff")
    assert parses == [CSS, CSS]
    assert red.rules[0].styles.color != blue.rules[0].styles.color


def test_reparse_keeps_the_cache_and_the_class(parses: list[str]) -> None:
    sheet = _sheet("#ff0000")
    sheet.add_source(".new { color: red; }", read_from=("test", "New"))
    sheet.reparse()
    assert parses == [CSS, ".new { color: red; }"]
    assert any(".new" in r.selectors for r in sheet.rules)


def test_only_so_many_themes_are_kept(parses: list[str]) -> None:
    from linkworker.tui.stylesheet import THEMES_KEPT

    for shade in range(THEMES_KEPT + 1):
        _sheet(f"#0000{shade:02x}")
    assert len(ParsedOnceStylesheet._parsed) == THEMES_KEPT
    _sheet("#000000")  # the first theme was dropped, so it is parsed again
    assert len(parses) == THEMES_KEPT + 2
