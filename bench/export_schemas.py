"""Does an export of 10,000 activities validate against the HSDS v3 and ORUK schemas?

Builds a store of the starter directory grown to 10,000 activities (bench/scale.py's
``add_activities``: ids like ``bench-000001``, so every id goes out derived), exports it as
``linkworker directory export`` does and counts the violations of both schema sets
(tests/feed_schemas.py). Exits non-zero on any violation.

    .venv/bin/python bench/export_schemas.py [--activities 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # for tests.feed_schemas

from tests.feed_schemas import all_violations  # noqa: E402

from linkworker import directory  # noqa: E402
from linkworker.clock import fixed  # noqa: E402
from linkworker.store.db import open_store  # noqa: E402
from scale import TODAY, add_activities  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(Path(folder) / "export.db")
        directory.ensure_starter(db, fixed(TODAY))
        add_activities(db, args.activities)
        start = time.perf_counter()
        page = directory.export_directory(db)
        exported = time.perf_counter() - start
        start = time.perf_counter()
        found = all_violations(page)
        checked = time.perf_counter() - start
        db.close()
    print(
        f"{page['total_items']} activities exported in {exported:.1f} s, validated against "
        f"HSDS v3 and ORUK in {checked:.1f} s: {len(found)} violations"
    )
    for line in found[:20]:
        print("  " + line)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
