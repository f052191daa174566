"""Fuzz the two file doors (issue 19 item 8): every bad file gets a clear one-line refusal.

Mutations of the HSDS v3 examples go to the directory import and malformed CSVs to the
referral import, with a fixed seed. Only the refusals each import promises are allowed
(oruk.FeedError, ImportFileError, or problems in the report); any other exception is a
traceback and fails the test. Every import runs inside a savepoint rolled back afterwards,
so one store serves the whole run, and a refused file must leave the store as it was.
"""

from __future__ import annotations

import copy
import json
import random
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from linkworker.clock import Clock
from linkworker.directory import import_feed
from linkworker.formats import oruk
from linkworker.referral_import import ImportFileError, import_referrals, template
from linkworker.store.db import Database

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "hsds-v3-examples"
SEED = 19
FEED_MUTATIONS = 300
CSV_CASES = 120

_NASTY_TEXT = [
    "\x1b]2;PWNED\x1b\\",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x00",
    "\x85next line",
    "\x7f",
    '=HYPERLINK("http://x")',
    "[bold]markup[/bold]",
    "x" * 70_000,
    "",
    " ",
    "🙂" * 10,
]


class _Rollback(Exception):
    """Raised to undo one fuzzed import."""


def _counts(db: Database) -> tuple[int, ...]:
    tables = ("people", "referrals", "activities", "audit_log")
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return tuple(
        int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables if t in present
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _controls_stored(db: Database) -> list[str]:
    """Text columns of people, referrals and activities that hold a control character."""
    found = []
    for table in ("people", "referrals", "activities"):
        for row in db.execute(f"SELECT * FROM {table}").fetchall():
            found += [f"{table}: {v!r}" for v in row if isinstance(v, str) and _CONTROL.search(v)]
    return found


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"a": [value]}
    return value


def _random_value(rng: random.Random) -> Any:
    choice = rng.randrange(9)
    if choice == 0:
        return None
    if choice == 1:
        return rng.randint(-(10**20), 10**20)
    if choice == 2:
        return rng.random() * 1e308
    if choice == 3:
        return rng.choice(_NASTY_TEXT)
    if choice == 4:
        return [rng.choice(_NASTY_TEXT), None, 3]
    if choice == 5:
        return {"id": rng.choice(_NASTY_TEXT)}
    if choice == 6:
        return _nested(rng.randint(5, 60))
    if choice == 7:
        return rng.choice([True, False])
    return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randint(1, 40)))


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


def _mutate(document: Any, rng: random.Random) -> Any:
    document = copy.deepcopy(document)
    for _ in range(rng.randint(1, 4)):
        paths = [p for p in _paths(document) if p]
        if not paths:
            return _random_value(rng)
        path = rng.choice(paths)
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = rng.randrange(3)
        if action == 0:
            parent[path[-1]] = _random_value(rng)
        elif action == 1 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == 1:
            parent.pop(path[-1])
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[rng.choice(["extra", "services", "name", "id"])] = _random_value(rng)
    return document


def _feed_file(tmp: Path, number: int, rng: random.Random, examples: list[Any]) -> Path:
    target = tmp / f"feed{number}.json"
    kind = rng.randrange(10)
    if kind == 0:  # a cut-off download
        data = json.dumps(rng.choice(examples)).encode()
        target.write_bytes(data[: rng.randint(0, len(data))])
    elif kind == 1:  # random bytes
        target.write_bytes(rng.randbytes(rng.randint(0, 2000)))
    elif kind == 2:  # nesting deeper than any parser recursion limit
        target.write_text("[" * 100_000 + "]" * 100_000)
    else:
        target.write_text(json.dumps(_mutate(rng.choice(examples), rng)), encoding="utf-8")
    return target


def _one_line(message: str) -> bool:
    return bool(message.strip()) and "\n" not in message and "Traceback" not in message


def test_mutated_hsds_feeds_are_refused_clearly(db: Database, tmp_path: Path) -> None:
    clock = Clock()
    rng = random.Random(SEED)
    examples = [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    tracebacks: list[str] = []
    outcomes = {"imported": 0, "refused": 0, "with problems": 0}
    before = _counts(db)
    for number in range(FEED_MUTATIONS):
        path = _feed_file(tmp_path, number, rng, examples)
        try:
            with db.atomic():
                report = import_feed(db, path, clock)
                outcomes["with problems" if report.problems else "imported"] += 1
                assert all(_one_line(str(p)) for p in report.problems), report.problems
                assert not _controls_stored(db), _controls_stored(db)[:3]
                raise _Rollback
        except _Rollback:
            pass
        except oruk.FeedError as exc:
            outcomes["refused"] += 1
            assert _one_line(str(exc)), str(exc)
        except Exception:
            tracebacks.append(f"feed {number}: {traceback.format_exc(limit=-3)}")
        assert _counts(db) == before, f"feed {number} left something half-written"
        path.unlink()
    print(f"HSDS mutations: {FEED_MUTATIONS}, outcomes {outcomes}, tracebacks {len(tracebacks)}")
    assert not tracebacks, "\n".join(tracebacks[:5])


_GOOD_ROWS = [
    "Joan,Smith,,01/02/1950,,,,,,,self,,,01/11/2026,,,,",
    "Amir,Khan,Am,3/4/1988,,07700 900123,,,HV2 9ZZ,,gp_practice,Dr Lee,Surgery,02/11/2026,,,,yes",
]


def _csv_bytes(number: int, rng: random.Random) -> bytes:
    header = template().strip()
    rows = list(_GOOD_ROWS)
    good = header + "\n" + "\n".join(rows) + "\n"
    kind = number % 12
    if kind == 0:  # another encoding than UTF-8
        encoding = rng.choice(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32"])
        return (good + "\nÉlodie,Ó Súilleabháin £\n").encode(encoding, errors="replace")
    if kind == 1:  # byte order marks, repeated or in the wrong place
        bom = rng.choice(["\ufeff\ufeff", "\ufeff", ""])
        return (bom + header + "\n\ufeff" + "\n".join(rows)).encode()
    if kind == 2:  # NUL bytes, early or past the first 8 KiB
        text = good + "\n" * rng.choice([0, 9000]) + "\n"
        place = rng.randrange(len(text))
        return (text[:place] + "\x00" + text[place:]).encode()
    if kind == 3:  # binary
        return rng.randbytes(rng.randint(1, 4000))
    if kind == 4:  # a field larger than the csv module allows
        return (
            header + "\n" + '"' + "x" * rng.choice([140_000, 1_000_000]) + '",' + rows[0]
        ).encode()
    if kind == 5:  # formula text in every cell
        cells = ",".join(
            rng.choice(["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)"]) for _ in header.split(",")
        )
        return (header + "\n" + cells + "\n").encode()
    if kind == 6:  # deeply nested JSON pasted into a cell
        nested = json.dumps(_nested(rng.randint(50, 400))).replace('"', '""')
        return (header + "\n" + f'"{nested}",' + ",".join(rows[0].split(",")[1:]) + "\n").encode()
    if kind == 7:  # escape codes and other controls in cells
        row = rows[0].split(",")
        row[rng.randrange(len(row))] = rng.choice(_NASTY_TEXT[:5])
        return (header + "\n" + ",".join(row) + "\n").encode()
    if kind == 8:  # unbalanced quotes
        return (header + '\n"' + rows[0] + "\n").encode()
    if kind == 9:  # mixed and bare carriage returns
        return (header + "\r" + "\r\n".join(rows) + "\n\r").encode()
    if kind == 10:  # header only, or odd separators
        return rng.choice(
            [header, header.replace(",", ";"), header.replace(",", "\t"), ","]
        ).encode()
    text = good
    for _ in range(rng.randint(1, 20)):  # random byte damage
        place = rng.randrange(len(text))
        text = (
            text[:place]
            + chr(rng.randrange(0, 0x110000 if rng.random() < 0.1 else 0x80))
            + text[place + 1 :]
        )
    return text.encode("utf-8", errors="surrogatepass")


def test_malformed_referral_csvs_are_refused_clearly(db: Database, tmp_path: Path) -> None:
    clock = Clock()
    rng = random.Random(SEED)
    tracebacks: list[str] = []
    outcomes = {"imported": 0, "refused": 0, "with problems": 0}
    before = _counts(db)
    for number in range(CSV_CASES):
        path = tmp_path / f"referrals{number}.csv"
        path.write_bytes(_csv_bytes(number, rng))
        try:
            with db.atomic():
                report = import_referrals(db, path, clock)
                outcomes["with problems" if report.problems else "imported"] += 1
                assert all(_one_line(str(p)) for p in report.problems), report.problems
                assert not _controls_stored(db), _controls_stored(db)[:3]
                raise _Rollback
        except _Rollback:
            pass
        except ImportFileError as exc:
            outcomes["refused"] += 1
            assert _one_line(str(exc)), str(exc)
        except Exception:
            tracebacks.append(f"csv {number}: {traceback.format_exc(limit=-3)}")
        assert _counts(db) == before, f"csv {number} left something half-written"
        path.unlink()
    print(f"referral CSVs: {CSV_CASES}, outcomes {outcomes}, tracebacks {len(tracebacks)}")
    assert not tracebacks, "\n".join(tracebacks[:5])
