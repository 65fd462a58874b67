"""A copy of the sample notices in a folder of its own, settled: every file dated an hour ago, so a load
keeps a snapshot of it (a file changed within 2 s makes the load skip the snapshot)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from zhenggai.loaders.cache import ParseCache
from zhenggai.loaders.corpus import sample_data_paths

HOUR_AGO = time.time() - 3600


def settled_samples(tmp_path: Path, *extra: tuple[str, bytes]) -> Path:
    """``tmp_path/notices``: the samples and ``extra`` files (name, bytes), all dated an hour ago."""
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    for name, raw in extra:
        (folder / name).write_bytes(raw)
    for path in folder.iterdir():
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return folder


def sample_bytes(name: str) -> bytes:
    """The bytes of the sample file ``name``."""
    return next(path for path in sample_data_paths() if path.name == name).read_bytes()


def warm_cache(cache: Path) -> Path:
    """A new folder ``cache`` holding a corpus store with the samples parsed already (``conftest``'s), so
    the same bytes in other files are not parsed again."""
    cache.mkdir()
    shutil.copy(Path(os.environ["ZHENGGAI_HOME"]) / "cache" / "corpus.sqlite", cache / "corpus.sqlite")
    return cache


def count_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the id of every notice built from the corpus store (``ParseCache.stored_notice``)."""
    built: list[str] = []
    original = ParseCache.stored_notice

    def counting(self: ParseCache, key: str, index: int, notice_id: str, *args: object) -> object:
        built.append(notice_id)
        return original(self, key, index, notice_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ParseCache, "stored_notice", counting)
    return built
