"""Shared fixtures: every test runs with ZHENGGAI_HOME in a temporary folder.

The parse cache and search index of the bundled samples are built once per session and copied into
each test's home, so a test that opens the reader does not re-parse and re-index the samples. A test
that needs an empty cache says so with ``@pytest.mark.cold_cache``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
#: The repository's folders that install as ``zhenggai.<name>``: never to be imported by those names.
SOURCE_PACKAGES = ("loaders", "store", "cli", "tui", "themes", "sample_data")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cold_cache: start with an empty parse cache and search index")
    config.addinivalue_line("markers", "input_first: background work waits for a quiet moment, as in use")


@pytest.fixture(scope="session")
def _warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples parsed and indexed once, as the reader and the CLI leave them in ``cache/``.

    Built once per run: the pytest-xdist workers share one base folder, and the first worker to get
    there builds it (under a lock) while the others wait and then copy it.
    """
    from filelock import FileLock

    from zhenggai.loaders import load_corpus
    from zhenggai.loaders.index import SearchIndex

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    cache = base / "warm-home" / "cache"
    with FileLock(str(base / "warm-home.lock")):
        if not cache.is_dir():
            building = base / "warm-home" / "cache-building"
            shutil.rmtree(building, ignore_errors=True)
            corpus = load_corpus(None, cache_dir=building)
            index = SearchIndex(building / "index.sqlite")
            index.sync(corpus.notices, None, corpus.file_keys)
            index.close()
            if corpus.store is not None:
                corpus.store.close()  # the last connection: its write-ahead log goes into the file copied
            building.rename(cache)
    return cache


@pytest.fixture(autouse=True)
def _isolated_home(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep every test away from the user's real store and cache."""
    home = tmp_path_factory.mktemp("zhenggai-home")
    monkeypatch.setenv("ZHENGGAI_HOME", str(home))
    if request.node.get_closest_marker("cold_cache") is None:
        shutil.copytree(request.getfixturevalue("_warm_cache"), home / "cache")
    return home


@pytest.fixture
def zhenggai_home(_isolated_home: Path) -> Path:
    """The temporary ZHENGGAI_HOME of this test."""
    return _isolated_home


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample_data/ folder."""
    return SAMPLE_DIR


@pytest.fixture(scope="session", autouse=True)
def _pilot_settles() -> Iterator[None]:
    """Pilot key presses and pauses wait on the app's state, not on fixed idle windows; CSS is parsed once
    per process."""
    from .tui_helpers import install_css_cache, install_settle

    with pytest.MonkeyPatch.context() as patch:
        install_settle(patch)
        install_css_cache(patch)
        yield


@pytest.fixture(autouse=True)
def _background_does_not_wait_for_quiet(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pilot tests press keys faster than anyone: background work does not wait for a quiet moment
    (``tui.input_first``) except in the tests of that (marked ``input_first``)."""
    if request.node.get_closest_marker("input_first") is None:
        from zhenggai.tui import input_first

        monkeypatch.setattr(input_first, "QUIET_SECONDS", 0.0)


@pytest.fixture(scope="session", autouse=True)
def _no_source_folder_imported() -> Iterator[None]:
    """Fail the run if a test imported a source folder as a top-level package (not ``zhenggai.*``)."""
    yield
    strays = sorted(
        name
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in SOURCE_PACKAGES
        and str(getattr(module, "__file__", "") or "").startswith(str(ROOT))
    )
    assert not strays, f"tests imported source folders as top-level packages: {', '.join(strays[:10])}"
