"""Plain ``zhenggai [PATH…]`` opens the reader without loading the command line (typer); everything
else, a command's name that is also a folder's included, goes to the command line as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhenggai.cli import app, launch
from zhenggai.cli.launch import reader_paths


def test_the_launcher_knows_every_command_of_the_command_line() -> None:
    named = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert named == launch.COMMANDS


def test_only_existing_files_and_folders_open_the_reader_directly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").mkdir()  # a folder named as a command: the command still runs
    (tmp_path / "通报").mkdir()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert reader_paths([]) == []
    assert reader_paths(["通报", "a.txt"]) == [Path("通报"), Path("a.txt")]
    assert reader_paths(["list"]) is None
    assert reader_paths(["read", "通报"]) is None
    assert reader_paths(["--data-dir", "通报"]) is None
    assert reader_paths(["-h"]) is None
    assert reader_paths(["通报", "missing"]) is None  # the command line says what is missing
    assert reader_paths([""]) is None


_LAUNCH = """
import sys
from zhenggai.cli import launch, reader
opened = []
reader.run_reader = lambda app: opened.append(app)
reader.leave = lambda: None
for args in ([], ["notices"], ["read", "notices"]):
    try:
        launch.main(args)
    except SystemExit:  # click ends a command with it
        pass
    print(len(opened), [str(p) for p in (opened[-1].paths or [])], "typer" in sys.modules)
"""


def test_the_reader_opens_without_typer_and_commands_still_run(tmp_path: Path, zhenggai_home: Path) -> None:
    (tmp_path / "notices").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-3:] == [
        "1 [] False",
        "2 ['notices'] False",
        "3 ['notices'] True",  # through the command line, as before
    ]


_ESCAPE = """
import sys
from zhenggai.cli import launch, reader
reader.run_reader = lambda app: None
reader.leave = lambda: None
try:
    launch.main(sys.argv[1:])
except SystemExit:  # click ends a command with it
    pass
from textual import constants
print(constants.ESCAPE_DELAY)
"""


@pytest.mark.parametrize(
    ("args", "escdelay", "delay"),
    [([], None, "0.025"), (["read"], None, "0.025"), ([], "200", "0.2"), (["read"], "200", "0.2")],
)
def test_escape_acts_after_25_ms_unless_escdelay_says_otherwise(
    args: list[str], escdelay: str | None, delay: str, zhenggai_home: Path
) -> None:
    """Textual waits ``ESCDELAY`` ms (100 unless set) to tell ``Esc`` from an escape sequence's start:
    the reader sets 25 before Textual reads it, and a user's own ``ESCDELAY`` wins."""
    env = {k: v for k, v in os.environ.items() if k != "ESCDELAY"}
    if escdelay is not None:
        env["ESCDELAY"] = escdelay
    done = subprocess.run(
        [sys.executable, "-c", _ESCAPE, *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == delay
