"""The one SQLite driver linkworker uses: sqlcipher3 (SQLite with SQLCipher built in).

sqlite-utils catches the standard library's ``sqlite3.OperationalError`` in several
places (``drop(ignore=True)``, ``insert(alter=True)``, ``cached_counts()``...), but
sqlcipher3 raises its own exception classes. sqlite-utils prefers a module named
``pysqlite3`` when one is importable, so registering sqlcipher3 under that name
*before sqlite_utils is first imported* makes sqlite-utils and our code agree on one
driver and one set of exception classes. Without a key, sqlcipher3 reads and writes
plain SQLite files, so this serves encrypted and unencrypted stores alike.
"""

from __future__ import annotations

import sys

import sqlcipher3
import sqlcipher3.dbapi2

if "sqlite_utils" in sys.modules and "pysqlite3" not in sys.modules:  # pragma: no cover
    raise ImportError(
        "linkworker must be imported before sqlite_utils (see linkworker.store.driver)"
    )

sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)

dbapi2 = sqlcipher3.dbapi2
Connection = dbapi2.Connection
DatabaseError = dbapi2.DatabaseError
OperationalError = dbapi2.OperationalError
IntegrityError = dbapi2.IntegrityError
