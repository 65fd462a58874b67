"""Project hygiene: the README's commands, CI, and a plain (non-editable) install finding the samples."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith("zhenggai list") or commands[0].endswith("zhenggai")
    assert commands[1].endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_wheel_ships_sample_data_and_division_table(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("zhenggai_reader-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {n.split("/")[0] for n in names if not n.startswith("zhenggai_reader-")}
    assert top_level == {"zhenggai"}
    for sample in (ROOT / "sample_data").glob("*.txt"):
        assert f"zhenggai/sample_data/{sample.name}" in names
    for data in (ROOT / "loaders" / "data").iterdir():
        if data.suffix != ".py" and data.is_file():
            assert f"zhenggai/loaders/data/{data.name}" in names
    for folder in ("loaders", "store", "cli", "tui", "themes"):
        for source in (ROOT / folder).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts:
                assert f"zhenggai/{source.relative_to(ROOT).as_posix()}" in names, source
    assert {"zhenggai/__main__.py", "zhenggai/py.typed", "zhenggai/themes/app.tcss"} <= names
    assert not any("__pycache__" in n or "/tests/" in n for n in names)
