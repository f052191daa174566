"""linkworker: the caseload of one social prescribing link worker, offline, from the keyboard."""

from linkworker.store import driver as _driver  # noqa: F401  (must run before sqlite_utils is imported)

__version__ = "0.1.0"
