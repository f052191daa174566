"""NHS numbers, postcodes, dates, phones, emails: the rules every form and import shares."""

from __future__ import annotations

from datetime import date

import pytest

from linkworker.validation import (
    ValidationError,
    check_date_of_birth,
    format_date,
    format_nhs_number,
    is_valid_nhs_number,
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    normalise_time,
    normalise_url,
    outward_code,
    parse_date,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "number",
    ["9434765919", "943 476 5919", "943-476-5919", " 4010232137 ", "9990001235"],
)
def test_valid_nhs_numbers(number: str) -> None:
    digits = normalise_nhs_number(number)
    assert len(digits) == 10 and digits.isdigit()
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("9434765918", "check digit does not match"),
        ("943476591", "must be 10 digits, got 9"),
        ("94347659190", "must be 10 digits, got 11"),
        ("94347659a9", "only digits"),
        ("", "is empty"),
        # 100000001: 11 - (weighted sum mod 11) is 10, which no check digit fits.
        ("1000000010", "no check digit is possible"),
    ],
)
def test_invalid_nhs_numbers(number: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        normalise_nhs_number(number)
    assert not is_valid_nhs_number(number)


def test_check_digit_ten_is_rejected_for_every_tenth_digit() -> None:
    # First nine digits whose check would be 10: no tenth digit makes them valid.
    first_nine = "100000001"
    from linkworker.validation import nhs_check_digit

    assert nhs_check_digit(first_nine) is None
    assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))


def test_check_digit_eleven_becomes_zero() -> None:
    from linkworker.validation import nhs_check_digit

    # 000000000 sums to 0: 11 - 0 = 11, which becomes 0.
    assert nhs_check_digit("000000000") == 0
    assert is_valid_nhs_number("0000000000")


def test_nhs_number_is_shown_3_3_4() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number(None) == ""


@pytest.mark.parametrize(
    ("typed", "stored", "outward"),
    [
        ("tr148sh", "TR14 8SH", "TR14"),
        ("SW1A 1AA", "SW1A 1AA", "SW1A"),
        ("  m1   1ae ", "M1 1AE", "M1"),
        ("B33 8TH", "B33 8TH", "B33"),
        ("cr26xh", "CR2 6XH", "CR2"),
        ("DN551PT", "DN55 1PT", "DN55"),
        ("W1A0AX", "W1A 0AX", "W1A"),
        ("EC1A 1BB", "EC1A 1BB", "EC1A"),
    ],
)
def test_postcodes_are_normalised(typed: str, stored: str, outward: str) -> None:
    assert normalise_postcode(typed) == stored
    assert outward_code(typed) == outward


@pytest.mark.parametrize("bad", ["", "12345", "TR14", "TR14 8S", "TR148SHX", "Q", "1AB 2CD"])
def test_bad_postcodes_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalise_postcode(bad)
    assert outward_code(bad) is None


@pytest.mark.parametrize(
    "typed",
    [
        "23/11/2026",
        "2026-11-23",
        "23 Nov 2026",
        "23 November 2026",
        "23-11-2026",
        "23.11.2026",
        "2026-11-23T10:30:00Z",
    ],
)
def test_dates_in_uk_and_iso_forms(typed: str) -> None:
    assert parse_date(typed) == date(2026, 11, 23)


def test_bad_date_names_the_value() -> None:
    with pytest.raises(ValidationError, match="'31/02/2026' is not a date"):
        parse_date("31/02/2026")


def test_dates_are_shown_the_uk_way() -> None:
    assert format_date(date(2026, 11, 3)) == "3 Nov 2026"
    assert format_date("2026-11-03", "numeric") == "03/11/2026"


def test_date_of_birth_rules() -> None:
    assert check_date_of_birth("01/01/1950", TODAY) == date(1950, 1, 1)
    assert check_date_of_birth(TODAY, TODAY) == TODAY
    with pytest.raises(ValidationError, match="in the future"):
        check_date_of_birth("24/11/2026", TODAY)
    # Exactly 120 is allowed; a day older is not.
    assert check_date_of_birth(date(1905, 11, 24), TODAY)
    with pytest.raises(ValidationError, match="older than 120"):
        check_date_of_birth(date(1905, 11, 23), TODAY)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("0044 7700 900123", "07700 900123"),
        ("+44 (0)20 7946 0000", "020 7946 0000"),
        ("0121 496 0000", "0121 496 0000"),
        ("(01632) 960123", "01632 960123"),
        ("01632-960-123", "01632 960123"),
    ],
)
def test_uk_phone_numbers(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "bad", ["12345", "7700900123", "+33 1 23 45 67 89", "0770090012345", "phone me"]
)
def test_bad_phone_numbers(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalise_phone(bad)


def test_emails() -> None:
    assert normalise_email(" Sue.Barker@Example.ORG ") == "Sue.Barker@example.org"
    for bad in ("sue", "sue@", "@example.org", "sue@example", "sue@@example.org", "a..b@x.org"):
        with pytest.raises(ValidationError):
            normalise_email(bad)


def test_times_and_urls() -> None:
    assert normalise_time("9:30") == "09:30"
    assert normalise_time("14.05") == "14:05"
    assert normalise_time("2pm") == "14:00"
    assert normalise_time("10:00:00") == "10:00"
    with pytest.raises(ValidationError):
        normalise_time("25:00")
    assert normalise_url("www.example.org") == "https://www.example.org"
    with pytest.raises(ValidationError):
        normalise_url("not a url")
