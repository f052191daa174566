"""One SQLite driver for linkworker and sqlite-utils, loaded on first use (store/driver.py).

Checked in a fresh interpreter: the test process has long since loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
import linkworker
said = {"loaded with linkworker": "sqlcipher3" in sys.modules or "importlib.abc" in sys.modules}
import sqlite_utils
from sqlite_utils.utils import OperationalError, sqlite3
from linkworker.store import driver
import sqlcipher3
db = sqlite_utils.Database(memory=True)
said.update({
    "loaded by sqlite-utils": "sqlcipher3" in sys.modules,
    "same exceptions": OperationalError is driver.OperationalError,
    "same module": sqlite3 is sqlcipher3 and driver.dbapi2 is sqlcipher3.dbapi2,
    "sqlite-utils connects with it": isinstance(db.conn, driver.Connection),
    "its own name kept": sqlcipher3.__spec__.name == "sqlcipher3",
})
try:
    db.execute("SELECT nothing FROM nowhere")
except driver.DatabaseError as exc:
    said["caught as the driver's"] = type(exc).__module__.startswith("sqlcipher3")
print(json.dumps(said))
"""


def test_sqlite_utils_and_linkworker_share_sqlcipher3_loaded_only_when_used() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    )
    said = json.loads(shown.stdout)
    assert said.pop("loaded with linkworker") is False
    assert all(said.values()) and len(said) == 6, said
