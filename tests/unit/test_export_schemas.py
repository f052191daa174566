"""Every directory export is a valid feed: 0 violations of the HSDS v3 and Open Referral UK
schemas (list page and each service), checked with jsonschema (tests/feed_schemas.py)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.factories import open_store
from tests.feed_schemas import SHARED_DATA, all_violations

from linkworker import demo, directory
from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.formats import oruk
from linkworker.formats.oruk.writing import encoded_url, service_id
from linkworker.models import ActivityDetails

EXAMPLES = SHARED_DATA / "hsds-v3-examples"


def _page(*services: dict[str, Any]) -> dict[str, Any]:
    n = len(services)
    return {
        "total_items": n,
        "total_pages": 1,
        "page_number": 1,
        "size": n,
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": list(services),
    }


def test_the_official_examples_pass_and_the_check_is_not_empty() -> None:
    listed = json.loads((EXAMPLES / "service_list.json").read_text(encoding="utf-8"))
    full = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    assert all_violations(listed) == []
    assert all_violations(_page(full)) == []
    # What the exporter used to write: each fault is found, in both schema sets.
    bad = {
        **full,
        "url": "https://example.org/repair-café",
        "organization": {"id": full["organization"]["id"], "name": "No description"},
    }
    found = all_violations(_page(bad))
    assert any("hsds-v3" in v and "is not a 'uri'" in v for v in found)
    assert any("oruk-uk" in v and "'description' is a required property" in v for v in found)
    envelope = all_violations({"contents": []})
    assert any("'total_items' is a required property" in v for v in envelope)


def test_the_shipped_starter_directory_exports_with_no_violations(tmp_path: Path) -> None:
    out = tmp_path / "directory.json"
    store = str(tmp_path / "s.db")
    args = ["directory", "export", str(out), "--db", store, "--unencrypted", "--create"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    page = json.loads(out.read_text(encoding="utf-8"))
    assert page["total_items"] == 77
    assert all_violations(page) == []


def _awkward_records() -> list[oruk.ActivityRecord]:
    """Records a feed or a hand edit can hold that HSDS v3 is strict about."""
    return oruk.parse_services(
        [
            {
                "id": "42",  # a v1 feed's number
                "name": "Repair café",
                "organization": {"name": "Haverleigh Shed"},
                "url": "https://www.haverleighshed.example/repair café?day=mardi#près",
                "service_at_locations": [{"location": {"addresses": [{"postal_code": "HV1 5LP"}]}}],
            },
            {
                "id": "walk-1",
                "name": "Health walk",
                "url": "https://bücher.example/a%20b",
                "attributes": [{"taxonomy_term": {"code": "walking", "name": "Walking"}}],
                "service_at_locations": [{"location": {"name": "Victoria Park"}}],
            },
        ],
        "awkward",
    ).activities


def test_a_demo_store_with_hand_added_retired_and_awkward_activities_has_no_violations(
    tmp_path: Path, clock: Clock
) -> None:
    db = open_store(tmp_path / "demo.db")
    demo.write_demo(db, people=12, today=clock.today())
    added = directory.add_activity(
        db,
        ActivityDetails(name="Knit and Natter", town="Haverleigh", days=["TU"], is_free=True),
        clock,
    )
    directory.set_notes(db, added, "ask for Sue", clock)
    directory.retire_activity(db, 1, clock)
    with db.atomic():
        report = directory.ImportReport(source="awkward")
        directory.store_activities(db, _awkward_records(), clock, report)
    for include_notes in (False, True):
        page = directory.export_directory(db, include_notes=include_notes)
        assert page["total_items"] == 80
        assert all_violations(page) == []
    db.close()


def test_urls_are_percent_encoded_once() -> None:
    assert encoded_url("https://x.example/repair-café") == "https://x.example/repair-caf%C3%A9"
    assert (
        encoded_url("https://bücher.example/a%20b c") == "https://xn--bcher-kva.example/a%20b%20c"
    )
    assert encoded_url("https://x.example/?q=a&b=c#top") == "https://x.example/?q=a&b=c#top"


HAND_ADDED = "linkworker-0b6f3c52-41f4-4c8e-9d0e-5a2f1e7c9a10"


@pytest.mark.parametrize("feed_id", ["42", "walk-1", HAND_ADDED])
def test_a_feed_id_that_is_not_a_uuid_goes_out_derived_and_comes_back(feed_id: str) -> None:
    record = oruk.ActivityRecord(source_id=feed_id, name="Choir")
    exported = oruk.export_page([record])["contents"][0]
    assert exported["id"] == str(uuid.UUID(exported["id"])) == service_id(feed_id)
    assert oruk.parse_services([exported], "back").activities[0].source_id == feed_id
    kept = str(uuid.uuid4())
    assert (
        oruk.export_page([record.model_copy(update={"source_id": kept})])["contents"][0]["id"]
        == kept
    )


@pytest.mark.parametrize("name", ["placecube_v2_services.json", "outpost_v1_services.json"])
def test_a_v2_or_v1_feed_with_its_own_ids_exports_valid_and_keeps_them(name: str) -> None:
    """Older feeds number their locations, phones and contacts ("loc-3", "17"): the export
    gives them UUIDs (HSDS v3 requires them) and keeps the feed's own beside them."""
    feed = oruk.load_feed(Path(__file__).parent.parent / "fixtures" / "oruk" / name)
    page = oruk.export_page(feed.activities)
    assert all_violations(page) == []
    kept = [
        child.get("x_linkworker_source_id")
        for service in page["contents"]
        for child in service.get("phones", []) + service.get("contacts", [])
    ]
    assert any(kept), "the fixture's own child ids should go out beside the UUIDs"
    assert oruk.parse_services(page["contents"]).activities == feed.activities
