"""The headless layers never import textual: each module, and every CLI command but the reader's.

Each check runs in a fresh interpreter (like Harlequin's), from a folder outside the checkout.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import zhenggai.cli
import zhenggai.loaders
import zhenggai.store


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [package.__name__] + [m.name for m in pkgutil.walk_packages(path, prefix)]  # type: ignore[attr-defined]


HEADLESS = [*_modules(zhenggai.loaders), *_modules(zhenggai.store), *_modules(zhenggai.cli)]


def _imported_after(code: str, cwd: Path) -> list[str]:
    """Run ``code`` in a fresh interpreter; the top-level packages it imported."""
    probe = (
        f"{code}\nimport sys, json\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | "
        "{m for m in sys.modules if m.startswith('zhenggai.')})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_every_headless_module_imports_without_textual(tmp_path: Path) -> None:
    assert len(HEADLESS) > 20  # the walk found the sub-modules
    code = "import importlib\n" + "\n".join(f"importlib.import_module({m!r})" for m in HEADLESS)
    imported = _imported_after(code, tmp_path)
    assert "textual" not in imported
    assert not [m for m in imported if m.startswith("zhenggai.tui")]


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "和平区"],
        ["search", "整改"],
        ["keywords", "和平区"],
        ["ledger"],
        ["compare", "show", "和平区", "沈河区"],
        ["note", "list"],
        ["export", "-o", "{tmp}/notes.md"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_cli_commands_other_than_the_reader_never_import_textual(args: list[str], tmp_path: Path) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = (
        "import contextlib, io\nfrom zhenggai.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        main({argv!r})\n    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
    )
    imported = _imported_after(code, tmp_path)
    assert "textual" not in imported
    assert "zhenggai.cli" in imported


def test_python_dash_m_zhenggai_runs_the_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai", "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert len(json.loads(done.stdout)) == 53


def test_the_reader_takes_no_lock_and_reads_no_zip_before_its_first_frame(tmp_path: Path) -> None:
    """What the console script imports before the reader draws: the store opened for its settings takes
    no lock, so filelock waits for the first save (7 ms of a start), and the samples are found without
    ``importlib.resources``, which imports zipfile (4.5 ms)."""
    code = (
        "from zhenggai.cli import reader\nreader.quick_escape()\n"
        "from zhenggai.loaders.early import EarlyOpen\nfrom zhenggai.store.paths import cache_dir\n"
        "from zhenggai.tui.app import make_app\nfrom zhenggai.loaders import sample_data_paths\n"
        "assert len(sample_data_paths()) == 5\nmake_app(None)\n"
    )
    imported = _imported_after(code, tmp_path)
    assert "textual" in imported and "zhenggai.store.db" in imported
    assert "filelock" not in imported
    assert "zipfile" not in imported
