"""Shared fixtures: every test runs with ZHENGGAI_HOME in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real store and cache."""
    home = tmp_path_factory.mktemp("zhenggai-home")
    monkeypatch.setenv("ZHENGGAI_HOME", str(home))
    return home


@pytest.fixture
def zhenggai_home(_isolated_home: Path) -> Path:
    """The temporary ZHENGGAI_HOME of this test."""
    return _isolated_home


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample_data/ folder."""
    return SAMPLE_DIR
