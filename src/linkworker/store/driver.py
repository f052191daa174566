"""The one SQLite driver linkworker uses: sqlcipher3 (SQLite with SQLCipher built in).

sqlite-utils catches the standard library's ``sqlite3.OperationalError`` in several
places (``drop(ignore=True)``, ``insert(alter=True)``, ``cached_counts()``...), but
sqlcipher3 raises its own exception classes. sqlite-utils prefers a module named
``pysqlite3`` when one is importable, so answering that name with sqlcipher3 *before
sqlite_utils is first imported* makes sqlite-utils and our code agree on one driver and
one set of exception classes. Without a key, sqlcipher3 reads and writes plain SQLite
files, so this serves encrypted and unencrypted stores alike.

sqlcipher3 itself (a 21 MB extension: ~5 ms to load) loads on first use of one of this
module's names, not when the module is imported: Today's first paint, drawn from what a
child read early (:mod:`linkworker.followups.early`), needs no driver at all (issue 18).
So ``except driver.DatabaseError:`` (looked up only when something is raised) is how the
start path names its exceptions, rather than importing them at the top.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.abc import Loader

    # Typed as sqlcipher3's own (the redundant aliases mark them as this module's names).
    from sqlcipher3 import dbapi2 as dbapi2
    from sqlcipher3.dbapi2 import Connection as Connection
    from sqlcipher3.dbapi2 import DatabaseError as DatabaseError
    from sqlcipher3.dbapi2 import IntegrityError as IntegrityError
    from sqlcipher3.dbapi2 import OperationalError as OperationalError

if "sqlite_utils" in sys.modules and "pysqlite3" not in sys.modules:  # pragma: no cover
    raise ImportError(
        "linkworker must be imported before sqlite_utils (see linkworker.store.driver)"
    )

#: The names sqlite-utils imports, and the sqlcipher3 modules that answer them.
ALIASES = {"pysqlite3": "sqlcipher3", "pysqlite3.dbapi2": "sqlcipher3.dbapi2"}
#: This module's names, each an attribute of sqlcipher3's dbapi2 (``dbapi2``: the module).
NAMES = ("dbapi2", "Connection", "DatabaseError", "IntegrityError", "OperationalError")


if not TYPE_CHECKING:
    Loader = object  # the protocol is all the import system needs (below)


class SqlcipherAsPysqlite3(Loader):
    """Answers ``import pysqlite3`` (and its dbapi2) with sqlcipher3, loaded then.

    A meta path finder and its loader (PEP 451), without ``importlib.abc``'s base classes:
    importing that module loads ``importlib.resources`` too (~1.5 ms of every start)."""

    def __init__(self) -> None:
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for ``pysqlite3`` and its dbapi2 (this loader's); None for any other."""
        if fullname not in ALIASES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        # The sqlcipher3 module itself, registered under the alias as well.
        module = importlib.import_module(ALIASES[spec.name])
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (sqlcipher3 ran as it was imported); only its own spec, which
        the import system replaced with the alias's, is put back."""
        module.__spec__ = self._specs.pop(module.__name__, module.__spec__)


if not any(isinstance(finder, SqlcipherAsPysqlite3) for finder in sys.meta_path):
    sys.meta_path.insert(0, SqlcipherAsPysqlite3())


def __getattr__(name: str) -> Any:
    # PEP 562: the first use of a name loads sqlcipher3; each name is kept once looked up.
    if name not in NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    dbapi = importlib.import_module("sqlcipher3.dbapi2")
    value = dbapi if name == "dbapi2" else getattr(dbapi, name)
    globals()[name] = value
    return value
