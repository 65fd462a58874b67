"""Where Zhenggai keeps its files: ``ZHENGGAI_HOME`` when set, else the platform's user folders.

Nothing is created here; folders are made by whoever first writes into them.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "zhenggai"
STORE_FILE = "store.json"
SETTINGS_FILE = "settings.json"


def home_override() -> Path | None:
    """The ``ZHENGGAI_HOME`` folder, if the environment sets one."""
    value = os.environ.get("ZHENGGAI_HOME")
    return Path(value).expanduser() if value else None


def data_dir(override: Path | None = None) -> Path:
    """Bookmarks, notes, comparisons and settings live here."""
    if override is not None:
        return override
    home = home_override()
    if home is not None:
        return home / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def cache_dir(override: Path | None = None) -> Path:
    """Parsed notices and the search index live here (safe to delete)."""
    if override is not None:
        return override / "cache"
    home = home_override()
    if home is not None:
        return home / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def store_path(override: Path | None = None) -> Path:
    """The TinyDB file of bookmarks, notes, codes, coded segments and comparisons."""
    return data_dir(override) / STORE_FILE


def settings_path(store: Path) -> Path:
    """The settings file beside a store file: ``settings.json`` beside ``store.json``, else
    ``<stem>.settings.json`` (two stores in one folder never share their settings)."""
    name = SETTINGS_FILE if store.name == STORE_FILE else f"{store.stem}.{SETTINGS_FILE}"
    return store.with_name(name)
