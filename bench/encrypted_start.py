"""What does encryption add to start-up? A 5-year caseload, opened plain and encrypted.

Builds one store holding a five-year caseload (1,250 people, about 15,000 contacts),
makes an encrypted copy of it (same rows), then starts linkworker on each, alternately,
in a fresh process every time (so nothing is cached): from the first import to the Today
screen showing, with the passphrase already typed (the time a person takes to type it is
not linkworker's). Automatic backups and the idle lock are off so that only opening
counts. Prints the medians and PASS when encryption adds no more than 200 ms.

    .venv/bin/python bench/encrypted_start.py [--runs 7] [--people 1250]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

LIMIT_MS = 200.0
PASSPHRASE = "kettle orbit meadow sparrow"
TODAY = date(2026, 11, 23)


def child(store: str, key: str | None) -> None:
    """One start, in this fresh process: print the milliseconds to the Today screen."""
    started = time.perf_counter()
    import asyncio

    import linkworker.store.driver  # noqa: F401  (before sqlite_utils, as the CLI does)
    from linkworker.clock import fixed
    from linkworker.settings import Settings
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import TodayScreen

    async def start() -> float:
        app = LinkWorkerApp(
            store_path=Path(store),
            clock=fixed(TODAY),
            settings=Settings(idle_lock_minutes=0, backup_every_days=0),
            key=key,
        )
        async with app.run_test(size=(100, 30)) as pilot:
            while not isinstance(app.screen, TodayScreen):
                await pilot.pause(0.005)
            await pilot.pause()
            return (time.perf_counter() - started) * 1000

    print(json.dumps({"ms": asyncio.run(start())}))


def build(folder: Path, people: int) -> tuple[Path, Path]:
    """The plain store and its encrypted twin."""
    import linkworker.store.driver  # noqa: F401
    from linkworker.demo import write_demo
    from linkworker.store.db import open_store
    from linkworker.store.security import encrypt_store

    plain = folder / "plain" / "caseload.db"
    plain.parent.mkdir()
    db = open_store(plain)
    counts = write_demo(db, people=people, seed=7, today=TODAY, contacts_per_person=12)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    encrypted = folder / "encrypted" / "caseload.db"
    encrypted.parent.mkdir()
    shutil.copyfile(plain, encrypted)
    encrypt_store(encrypted, PASSPHRASE, datetime(2026, 11, 23, 9, 0))
    size = plain.stat().st_size / 1e6
    print(
        f"store: {counts['people']} people, {counts['contacts']} contacts, "
        f"{counts.get('referrals', 0)} referrals, {size:.1f} MB"
    )
    return plain, encrypted


def one_start(store: Path, key: str | None) -> float:
    args = [sys.executable, __file__, "--child", str(store)]
    if key:
        args += ["--key", key]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    return float(json.loads(result.stdout.strip().splitlines()[-1])["ms"])


def key_derivation_ms() -> float:
    """PBKDF2-HMAC-SHA512, 256,000 rounds: SQLCipher 4's cost, paid once per start."""
    import hashlib

    started = time.perf_counter()
    hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), b"0123456789abcdef", 256_000, 32)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--people", type=int, default=1250)
    parser.add_argument("--child")
    parser.add_argument("--key")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.key)
        return 0
    with tempfile.TemporaryDirectory(prefix="lw-bench-") as tmp:
        plain, encrypted = build(Path(tmp), args.people)
        one_start(plain, None)  # warm the operating system's file cache for both
        one_start(encrypted, PASSPHRASE)
        plain_ms: list[float] = []
        encrypted_ms: list[float] = []
        for _ in range(args.runs):
            plain_ms.append(one_start(plain, None))
            encrypted_ms.append(one_start(encrypted, PASSPHRASE))
    plain_median = statistics.median(plain_ms)
    encrypted_median = statistics.median(encrypted_ms)
    added = encrypted_median - plain_median
    runs = sorted(round(x) for x in plain_ms)
    print(f"start to Today, plain:     median {plain_median:.0f} ms  {runs}")
    print(
        f"start to Today, encrypted: median {encrypted_median:.0f} ms  "
        f"{sorted(round(x) for x in encrypted_ms)}"
    )
    print(f"key derivation alone: {key_derivation_ms():.0f} ms")
    verdict = "PASS" if added <= LIMIT_MS else "FAIL"
    print(f"encryption adds {added:.0f} ms to start (limit {LIMIT_MS:.0f} ms): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
