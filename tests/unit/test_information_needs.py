"""A person's communication and information needs (linkworker.information_needs): recorded,
audited, flagged, reviewed, shared and obeyed (the Accessible Information Standard)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from linkworker import erasure, information_needs, subject_access
from linkworker.clock import Clock, fixed
from linkworker.formats.handout import LARGE_PRINT_WIDTH, Handout, Reading, easy_lines
from linkworker.models import InformationNeeds, field_errors
from linkworker.store.db import Database

import factories

TODAY = factories.TODAY
#: Every kind of need at once, with its detail.
JOANS_NEEDS: dict[str, object] = {
    "large_print": True,
    "large_print_size": 18,
    "interpreter": "language",
    "interpreter_language": "Polish",
    "advocate_name": "Ann Smith",
    "advocate_contact": "07700 900123",
    "contact_method": "text",
    "contact_times": "Mornings before 11",
}


def _needs(**values: object) -> InformationNeeds:
    return InformationNeeds.model_validate(values)


def test_each_need_is_checked_and_the_message_names_its_field() -> None:
    cases = {
        "large_print_size": {"large_print": True},
        "interpreter_language": {"interpreter": "language"},
        "advocate_contact": {"advocate_name": "Ann Smith"},
    }
    for field, values in cases.items():
        with pytest.raises(ValidationError) as caught:
            _needs(**values)
        assert field in field_errors(caught.value), field
    with pytest.raises(ValidationError) as caught:
        _needs(large_print=True, large_print_size=12)
    assert field_errors(caught.value)["large_print_size"] == "must be 16 or more"
    with pytest.raises(ValidationError) as caught:
        _needs(large_print_size=18)
    assert "tick large print" in field_errors(caught.value)["large_print_size"]
    # British Sign Language needs no language; another interpreter does.
    assert _needs(interpreter="bsl", interpreter_language="x").interpreter_language is None
    assert not _needs(contact_method="phone").any


def test_needs_are_recorded_audited_and_read_back(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db)
    assert not information_needs.recorded_needs(db, pid).recorded
    needs = _needs(**JOANS_NEEDS)
    changed = information_needs.save_needs(db, pid, needs, clock)
    assert changed["large_print_size"] == (None, 18)
    assert changed["preferred_contact"] == (None, "text")  # the person's one answer
    recorded = information_needs.recorded_needs(db, pid)
    assert recorded.needs == needs and recorded.last_checked_on is None
    assert recorded.reading == Reading(large_print=18)
    audited = {r["table_name"] for r in db.query("SELECT * FROM audit WHERE person_id = ?", [pid])}
    assert {"information_needs", "people"} <= audited
    # Changing one need audits that field alone (old -> new), as every correction does.
    information_needs.save_needs(db, pid, needs.model_copy(update={"braille": True}), clock)
    rows = list(db.query("SELECT field, old, new FROM audit WHERE action = 'update'"))
    assert {"field": "braille", "old": "0", "new": "1"} in rows
    assert db.execute("SELECT count(*) FROM information_needs").fetchone() == (1,)


def test_confirming_sets_last_checked_and_a_review_a_year_on(db: Database) -> None:
    pid = factories.add_person(db)
    information_needs.save_needs(db, pid, _needs(easy_read=True), fixed(TODAY), checked=True)
    recorded = information_needs.recorded_needs(db, pid)
    assert recorded.last_checked_on == TODAY
    assert recorded.needs.review_on == date(2027, 11, 23)
    assert not recorded.review_due(TODAY)
    assert recorded.review_due(date(2027, 11, 23))
    # A review date the worker gives is kept.
    later = _needs(easy_read=True, review_on="01/03/2027")
    information_needs.save_needs(db, pid, later, fixed(TODAY), checked=True)
    assert information_needs.recorded_needs(db, pid).needs.review_on == date(2027, 3, 1)


def test_the_banner_flag_is_a_symbol_and_a_word_and_says_review_due(db: Database) -> None:
    pid = factories.add_person(db)
    assert information_needs.banner_words(information_needs.recorded_needs(db, pid), TODAY) == ""
    needs = _needs(large_print=True, large_print_size=20, review_on=TODAY - timedelta(days=1))
    information_needs.save_needs(db, pid, needs, fixed(TODAY))
    words = information_needs.banner_words(information_needs.recorded_needs(db, pid), TODAY)
    assert words.startswith("◈ COMMUNICATION NEEDS: Large print, 20 point")
    assert words.endswith("↻ REVIEW DUE")
    lines = information_needs.record_lines(information_needs.recorded_needs(db, pid), TODAY)
    assert lines[-1] == "Last checked: never · review: 22 Nov 2026 (due)"


def test_erasure_and_subject_access_cover_the_needs(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db)
    information_needs.save_needs(db, pid, _needs(braille=True, audio=True), clock)
    export = subject_access.subject_access(db, pid, "2026-11-23T10:00:00")
    assert "information_needs" in str(export) and "'braille': 1" in str(export)
    erasure.erase_person(db, pid, clock)
    assert db.execute("SELECT count(*) FROM information_needs").fetchone() == (0,)


def test_large_print_is_short_lines_big_type_and_no_tables() -> None:
    doc = Handout(Reading(large_print=24))
    doc.title("Activities for Joan")
    doc.para("A paragraph long enough to need wrapping at forty characters in large print.")
    doc.item("One item")
    doc.item("Another item")
    text = doc.render("text")
    assert max(len(line) for line in text.splitlines()) <= LARGE_PRINT_WIDTH
    assert "- One item\n\n- Another item" in text  # one item a block
    page = doc.render("html")
    assert "font-size: 24pt" in page and "<table" not in page
    assert page.count('<p class="item">') == 2


def test_easy_read_is_one_sentence_a_line_in_plain_words() -> None:
    lines = easy_lines("Participants require boots. Refreshments are complimentary; come along!")
    assert lines == ["People who come need boots.", "Drinks and snacks are free;", "come along!"]
    # Our own wording is given by the caller; typed text is put plainly only in easy read.
    assert Handout(Reading()).render("text") == "\n"
    doc = Handout(Reading(easy_read=True))
    doc.para("Please enquire. However it is free.", typed=True)
    assert doc.render("text") == "Please ask.\nBut it is free.\n"
    assert "font-size: 14pt" in doc.render("html")  # easy read's page is never small print


def test_intake_fills_in_needs_and_keeps_how_a_known_person_likes_to_be_contacted(
    db: Database, clock: Clock
) -> None:
    # Someone already on record who prefers the phone and has no needs recorded.
    pid = factories.add_person(db, preferred_contact="phone")
    changed = information_needs.record_at_intake(db, pid, _needs(easy_read=True), clock)
    assert "preferred_contact" not in changed  # the form gave no contact method
    recorded = information_needs.recorded_needs(db, pid)
    assert recorded.needs.easy_read and recorded.needs.contact_method == "phone"
    # A contact method the form gives is recorded for someone with none.
    other = factories.add_person(db, given_name="Ann")
    information_needs.record_at_intake(db, other, _needs(contact_method="text"), clock)
    assert information_needs.recorded_needs(db, other).needs.contact_method == "text"
    # Needs already recorded are never overwritten by intake.
    assert information_needs.record_at_intake(db, pid, _needs(braille=True), clock) == {}
    assert not information_needs.recorded_needs(db, pid).needs.braille
