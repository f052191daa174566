"""The one file writer: a temporary file beside the target, fsynced, then moved into place;
0600 whatever the umask; never replacing a file unless asked; several files all or none."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkworker.formats import writer
from linkworker.formats.writer import ExportError, TargetExistsError, write_file

# --- moved from test_exports.py: never overwrite, temporary file then rename, one line ----


def test_a_file_is_never_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("the link worker's own notes")
    with pytest.raises(ExportError) as caught:
        write_file(target, b"new")
    assert str(caught.value) == f"{target} already exists; use --force to replace it"
    assert target.read_text() == "the link worker's own notes"
    write_file(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_the_file_is_written_beside_the_target_then_moved_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moves: list[tuple[Path, Path, bytes]] = []
    real_link, real_replace = os.link, os.replace

    def link(src: str, dst: str) -> None:
        moves.append((Path(src), Path(dst), Path(src).read_bytes()))
        assert not Path(dst).exists()
        real_link(src, dst)

    def replace(src: str, dst: str) -> None:
        moves.append((Path(src), Path(dst), Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "report.html"
    write_file(target, b"<html>")
    write_file(target, b"<html>2", force=True)
    for src, dst, data in moves:
        assert src.parent == dst.parent == tmp_path
        assert src.name.startswith(".report.html.") and src.name.endswith(".partial")
        assert data in (b"<html>", b"<html>2")
    assert target.read_bytes() == b"<html>2"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ExportError, match=r"cannot write .*report\.json: No space left on device"):
        write_file(target, b"new", force=True)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("missing/out.json", "the folder .*missing does not exist"),
        ("a-file/out.json", "a-file is not a folder"),
        (".", "is a folder; give a file name"),
    ],
)
def test_an_unwritable_path_is_one_line(tmp_path: Path, where: str, why: str) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ExportError, match=why) as caught:
        write_file(tmp_path / where, b"data")
    assert "\n" not in str(caught.value)


# --- who can read what is written -------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Each test sets the umask it wants; the one before is put back afterwards."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o000, 0o077, 0o277])
def test_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    os.umask(mask)
    one = write_file(tmp_path / "one.txt", b"x")
    replaced = tmp_path / "replaced.txt"
    replaced.write_text("old")
    replaced.chmod(0o644)
    write_file(replaced, b"new", force=True)
    folder = tmp_path / "tables"
    many = writer.write_files(
        [(folder / "a.csv", b"a"), (folder / "b.csv", b"b")], make_folders=True
    )
    made = writer.make_folder(tmp_path / "deep" / "er", parents=True)
    assert [mode(p) for p in (one, replaced, *many)] == [0o600] * 4
    assert [mode(p) for p in (folder, made, made.parent)] == [0o700] * 3


@pytest.mark.usefixtures("umask")
def test_the_temporary_file_is_0600_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        seen.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    write_file(tmp_path / "report.html", b"<html>")
    assert seen and seen[0] == 0o600


# --- never replacing, and saying so -----------------------------------------------------


def test_text_is_written_as_utf8_and_the_path_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    written = writer.write_text(Path("~/plan.md"), "Café £5 ©\n")
    assert written == tmp_path / "plan.md"
    assert written.read_bytes() == "Café £5 ©\n".encode()
    assert writer.describe_written(written) == f"wrote {written} (13 bytes)"


def test_an_existing_file_is_named_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("the person's own notes")
    with pytest.raises(TargetExistsError) as caught:
        writer.write_text(target, "new")
    assert caught.value.path == target
    assert str(caught.value) == f"{target} already exists; use --force to replace it"
    assert target.read_text() == "the person's own notes"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


def test_a_file_that_appears_while_writing_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    real_stage = writer._stage

    def stage_then_someone_writes(path: Path, data: bytes) -> Path:
        staged = real_stage(path, data)
        target.write_text("written meanwhile")
        return staged

    monkeypatch.setattr(writer, "_stage", stage_then_someone_writes)
    with pytest.raises(TargetExistsError):
        write_file(target, b"mine")
    assert target.read_text() == "written meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# --- several files: all or nothing ------------------------------------------------------


def test_several_files_are_all_checked_before_any_is_written(tmp_path: Path) -> None:
    (tmp_path / "edith.md").write_text("mine")
    with pytest.raises(TargetExistsError, match=r"edith\.md already exists"):
        writer.write_files([(tmp_path / "edith.json", b"{}"), (tmp_path / "edith.md", b"# E")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edith.md"]


def test_a_failure_part_way_leaves_none_of_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    calls = 0

    def fsync_fails_the_second_time(descriptor: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync_fails_the_second_time)
    folder = tmp_path / "tables"
    with pytest.raises(ExportError, match=r"cannot write .*b\.csv: No space left on device"):
        writer.write_files([(folder / "a.csv", b"a"), (folder / "b.csv", b"b")], make_folders=True)
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file, no new folder


def test_a_file_placed_before_a_later_one_fails_is_taken_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_place = writer._place

    def place(temporary: Path, path: Path, force: bool) -> None:
        if path.name == "second.md":
            raise ExportError(f"cannot write {path}: Read-only file system")
        real_place(temporary, path, force)

    monkeypatch.setattr(writer, "_place", place)
    progress: list[Path] = []
    with pytest.raises(ExportError, match="Read-only file system"):
        writer.write_files(
            [(tmp_path / "first.json", b"{}"), (tmp_path / "second.md", b"#")],
            progress=progress.append,
        )
    assert progress == [tmp_path / "first.json"]
    assert list(tmp_path.iterdir()) == []


def test_a_new_folder_needs_its_parent(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"the folder .*missing does not exist"):
        writer.write_files([(tmp_path / "missing" / "tables" / "a.csv", b"a")], make_folders=True)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(ExportError, match="taken is not a folder"):
        writer.write_files([(tmp_path / "taken" / "a.csv", b"a")], make_folders=True)
