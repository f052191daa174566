"""`linkworker report bundle` and `linkworker hub report` from the command line: the bundle
written, the team's report in every format, one worker alone giving their own report, and
each refusal as one line naming the file (issue 17 item 3)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.factories import CLOCK, add_episode
from tests.unit.test_team_reporting import YEAR, rate_and_log_community_work

from linkworker.cli import main
from linkworker.store.db import open_store
from linkworker.team import keys


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--today", "2026-11-23"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Team:
    """Ann (the demo store) and Bea, who keep the hub's key; the hub, who keeps theirs;
    Cat, whom the hub does not know; and another hub."""

    ann: Path
    bea: Path
    cat: Path
    hub: Path
    other_hub: Path
    folder: Path


@pytest.fixture
def team(demo_path: Path, empty_template: Path, tmp_path: Path) -> Team:
    paths = {name: tmp_path / f"{name}.db" for name in ("bea", "cat", "hub", "other_hub")}
    for path in paths.values():
        shutil.copyfile(empty_template, path)
    with open_store(paths["bea"]) as bea:
        for _ in range(3):
            add_episode(bea, contacts=2, follow_up={"life_satisfaction": 7})
    with open_store(demo_path) as ann:
        rate_and_log_community_work(ann, 17, YEAR)
    stores = {"ann": demo_path, **paths}
    public = {}
    for name, path in stores.items():
        with open_store(path) as db:
            public[name] = keys.my_identity(db, CLOCK).public().text
    for worker in ("ann", "bea", "cat"):
        with open_store(stores[worker]) as db:
            keys.add_key(db, "Hub", public["hub"], CLOCK)
            keys.add_key(db, "Other hub", public["other_hub"], CLOCK)
    with open_store(paths["hub"]) as db:
        keys.add_key(db, "Ann Patel", public["ann"], CLOCK)
        keys.add_key(db, "Bea Jones", public["bea"], CLOCK)
    folder = tmp_path / "bundles"
    folder.mkdir()
    return Team(demo_path, paths["bea"], paths["cat"], paths["hub"], paths["other_hub"], folder)


def bundle(store: Path, output: Path, *, hub: str = "Hub", start: str = "2025-12-01") -> Path:
    code, out, err = run(
        "report", "bundle", "--from", start, "--to", "2026-11-30", "--for", hub,
        "--output", str(output), "--db", str(store),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"wrote {output} (") and f"sealed for {hub} (fingerprint " in out
    return output


def hub_report(team: Team, *bundles: Path, fmt: str = "json", name: str = "team.json") -> tuple:
    output = team.folder.parent / name
    code, out, err = run(
        "hub", "report", *map(str, bundles), "--format", fmt, "--output", str(output),
        "--db", str(team.hub),
    )  # fmt: skip
    return code, out, err, output


def test_one_workers_bundle_alone_gives_their_own_export_caseload(team: Team) -> None:
    mine = team.folder.parent / "mine.json"
    code, _, err = run(
        "export", "caseload", "--from", "2025-12-01", "--to", "2026-11-30", "--format", "json",
        "--output", str(mine), "--db", str(team.ann),
    )  # fmt: skip
    assert code == 0, err
    code, out, err, output = hub_report(team, bundle(team.ann, team.folder / "ann.bundle"))
    assert code == 0 and "combined 1 bundle\n" in err and out.startswith(f"wrote {output}")
    own, combined = json.loads(mine.read_text()), json.loads(output.read_text())
    # Every group of her own report, the tables main's report gained among them.
    assert combined["groups"][:5] == own["groups"]
    involvement = next(t for t in own["groups"][3]["tables"] if t["key"] == "involvement")
    assert involvement["rows"][0]["Value"] == 40
    assert combined["headline"] == own["headline"]
    assert combined["report"] == "Social prescribing team caseload report"
    # By worker comes after the commissioner report's five groups.
    by_worker = combined["groups"][5]
    assert by_worker["group"] == "By worker"
    assert by_worker["tables"][0]["rows"][0]["Worker"] == "Ann Patel"


def test_a_folder_of_bundles_makes_the_team_report_in_every_format(team: Team) -> None:
    bundle(team.ann, team.folder / "ann.bundle")
    bundle(team.bea, team.folder / "bea.bundle")
    (team.folder / "README.txt").write_text("bundles for the hub")
    for fmt, name in (("json", "t.json"), ("md", "t.md"), ("html", "t.html"), ("csv", "t.zip")):
        code, _, err, output = hub_report(team, team.folder, fmt=fmt, name=name)
        assert code == 0, err
        assert "combined 2 bundles" in err and "left out what is not a sealed file" in err
        assert output.stat().st_mode & 0o777 == 0o600
    data = json.loads((team.folder.parent / "t.json").read_text())
    assert data["groups"][5]["group"] == "By worker"
    workers = [r["Worker"] for r in data["groups"][5]["tables"][0]["rows"]]
    assert workers == ["Ann Patel", "Bea Jones", "All workers"]
    assert "Team report: the exact figures of 2 workers' bundles" in data["notices"][0]
    assert "Bea Jones" in (team.folder.parent / "t.html").read_text()
    code, _, err, _ = hub_report(team, team.folder, fmt="csv", name="tables")
    assert code == 0 and (team.folder.parent / "tables" / "20_workers_outcomes.csv").exists()


def _refused(team: Team, *bundles: Path) -> str:
    code, out, err, output = hub_report(team, *bundles, name="refused.json")
    assert code == 1 and out == "" and not output.exists()
    lines = [line for line in err.splitlines() if not line.startswith("note:")]
    assert len(lines) == 1, err
    return lines[0]


def test_each_refusal_is_one_line_naming_the_file(team: Team) -> None:
    ann = bundle(team.ann, team.folder / "ann.bundle")
    bea = bundle(team.bea, team.folder / "bea.bundle")
    cat = bundle(team.cat, team.folder / "cat.bundle")
    elsewhere = bundle(team.bea, team.folder / "bea-other.bundle", hub="Other hub")
    again = bundle(team.ann, team.folder / "ann-again.bundle")
    half_year = bundle(team.bea, team.folder / "bea-half.bundle", start="2026-06-01")
    copy = team.folder / "copy.bundle"
    shutil.copyfile(ann, copy)
    changed = team.folder / "changed.bundle"
    blob = bytearray(bea.read_bytes())
    blob[-20] ^= 0x01
    changed.write_bytes(bytes(blob))
    assert _refused(team, ann, cat).startswith(
        f"linkworker: {cat}: signed by a key you have not added (fingerprint "
    )
    assert _refused(team, elsewhere).startswith(
        f"linkworker: {elsewhere}: this file is for someone else (for "
    )
    assert _refused(team, ann, changed) == (
        f"linkworker: {changed}: this file was changed after it was written (it fails its "
        "integrity check): ask the sender for a new copy"
    )
    assert _refused(team, ann, copy) == (
        f"linkworker: {copy}: this is the same bundle as {ann} (a copy): use one"
    )
    assert _refused(team, ann, bea, again) == (
        f"linkworker: {again}: a second bundle from Ann Patel (the first is {ann}): give one "
        "bundle a worker"
    )
    assert _refused(team, ann, half_year) == (
        f"linkworker: {half_year}: it is for 1 Jun 2026 to 30 Nov 2026, but {ann} is for "
        "1 Dec 2025 to 30 Nov 2026: a team report combines one period"
    )
    handover = team.folder / "handover.sealed"
    with open_store(team.ann) as db:
        handover.write_bytes(keys.seal_for(db, "handover", b"{}", ["Hub"], CLOCK)[0])
    assert _refused(team, handover) == (
        f"linkworker: {handover}: this is a sealed handover file, not a team-bundle file"
    )
    assert _refused(team, team.folder / "nothing") == (
        f"linkworker: {team.folder / 'nothing'}: there is no such file or folder"
    )


def test_bad_arguments_are_one_line(team: Team, tmp_path: Path) -> None:
    ann = bundle(team.ann, team.folder / "ann.bundle")
    out_file = str(tmp_path / "b.bundle")
    for args, reason in [
        (("report", "bundle", "--from", "2026-01-01", "--to", "2026-02-28", "--output", out_file),
         "--for is needed"),
        (("report", "bundle", "--from", "2026-01-01", "--to", "2026-02-28", "--for", "Nobody",
          "--output", out_file), "no key called Nobody (you have: Hub, Other hub)"),
        (("report", "bundle", "--from", "2026-03-01", "--to", "2026-02-28", "--for", "Hub",
          "--output", out_file), "is after --to"),
        (("report", "bundle", "--from", "2025-12-01", "--to", "2026-11-30", "--for", "Hub",
          "--output", str(ann)), "already exists; use --force"),
        (("hub", "report", str(ann), "--output", "x.json"), "--format is needed"),
        (("hub", "report", str(ann), "--format", "pdf", "--output", "x.pdf"), "not one of"),
        (("hub", "report", "--format", "json", "--output", "x.json"), "name the bundles"),
    ]:  # fmt: skip
        code, _, err = run(*args, "--db", str(team.ann))
        assert code == 1 and err.count("\n") == 1 and reason in err, (args, err)
    assert not Path(out_file).exists()
    with open_store(tmp_path / "new-hub.db"):
        pass
    code, _, err = run(
        "hub", "report", str(ann), "--format", "json", "--output", str(tmp_path / "t.json"),
        "--db", str(tmp_path / "new-hub.db"),
    )  # fmt: skip
    assert code == 1 and "no key pair yet" in err and err.count("\n") == 1
