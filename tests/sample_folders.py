"""A copy of the sample notices in a folder of its own, settled: every file dated an hour ago, so a load
keeps a snapshot of it (a file changed within 2 s makes the load skip the snapshot)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

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
