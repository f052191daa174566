"""Where linkworker keeps its files. Nothing here creates a file or folder at import time.

The defaults follow each platform's conventions (platformdirs). ``LINKWORKER_HOME`` moves
everything (store, settings, backups) under one folder, which is how tests and demos keep
away from a real caseload; ``--db PATH`` moves only the store.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "linkworker"
STORE_NAME = "linkworker.store.db"
SETTINGS_NAME = "settings.toml"


def home_override() -> Path | None:
    """The folder named by LINKWORKER_HOME, if set."""
    value = os.environ.get("LINKWORKER_HOME", "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The folder holding the store and its backups."""
    home = home_override()
    return home if home else platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The folder holding settings.toml."""
    home = home_override()
    return home if home else platformdirs.user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The folder of files linkworker can make again (nothing personal is kept there)."""
    home = home_override()
    return home / "cache" if home else platformdirs.user_cache_path(APP_NAME, appauthor=False)


def default_store_path() -> Path:
    """The store a bare `linkworker` opens."""
    return data_dir() / STORE_NAME


def settings_path() -> Path:
    """The settings file (it need not exist)."""
    return config_dir() / SETTINGS_NAME


def backup_dir(store: Path) -> Path:
    """Scheduled and manual backups live in a `backups` folder beside the store."""
    return store.parent / "backups"
