"""linkworker's own TOML files, kept parsed as JSON in the cache folder (package_toml.py)."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from linkworker import package_toml
from linkworker.package_toml import cache_file, read_package_toml

SOURCES = Path(package_toml.__file__).parent
PACKAGE_FILES = [
    SOURCES / "tui" / "keymap.toml",
    SOURCES / "tui" / "guides.toml",
    SOURCES / "tui" / "screens" / "person_commands.toml",
    SOURCES / "measures" / "measures.toml",
]


@pytest.mark.parametrize("source", PACKAGE_FILES, ids=lambda p: p.name)
def test_each_package_file_reads_the_same_parsed_or_from_its_cache(source: Path) -> None:
    parsed = tomllib.loads(source.read_text(encoding="utf-8"))
    assert read_package_toml(source) == parsed  # parsed, and kept
    assert cache_file(source).is_file()
    assert read_package_toml(source) == parsed  # from the cache


def test_the_cache_is_what_is_read_while_the_file_is_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "words.toml"
    source.write_text('[screen]\ntitle = "Today"\n')
    assert read_package_toml(source) == {"screen": {"title": "Today"}}
    kept = cache_file(source)
    cached = json.loads(kept.read_text())
    cached["data"]["screen"]["title"] = "From the cache"
    kept.write_text(json.dumps(cached))
    assert read_package_toml(source) == {"screen": {"title": "From the cache"}}


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    source = tmp_path / "words.toml"
    source.write_text('title = "Before"\n')
    assert read_package_toml(source) == {"title": "Before"}
    source.write_text('title = "After, and longer"\n')
    assert read_package_toml(source) == {"title": "After, and longer"}
    assert json.loads(cache_file(source).read_text())["data"] == {"title": "After, and longer"}


@pytest.mark.parametrize(
    "damage", ["not json {", "[1, 2]", '{"version": 99}', ""], ids=["text", "list", "old", "empty"]
)
def test_a_damaged_or_foreign_cache_is_parsed_again_and_rewritten(
    tmp_path: Path, damage: str
) -> None:
    source = tmp_path / "words.toml"
    source.write_text("count = 3\n")
    read_package_toml(source)
    cache_file(source).write_text(damage)
    assert read_package_toml(source) == {"count": 3}
    assert json.loads(cache_file(source).read_text())["data"] == {"count": 3}


def test_a_cache_folder_that_cannot_be_written_still_gets_the_answer(
    tmp_path: Path, isolated_home: Path
) -> None:
    source = tmp_path / "words.toml"
    source.write_text("count = 3\n")
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "cache").write_text("a file where the folder would go")
    assert read_package_toml(source) == {"count": 3}
    assert read_package_toml(source) == {"count": 3}


def test_a_file_json_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    source = tmp_path / "dated.toml"
    source.write_text("on = 2026-11-23\n")
    parsed = read_package_toml(source)
    assert parsed == tomllib.loads(source.read_text())
    assert not cache_file(source).exists()
    os.utime(source)  # and it is parsed each time, still right
    assert read_package_toml(source) == parsed
