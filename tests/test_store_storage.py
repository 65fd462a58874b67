"""Safe writes: a process killed in the middle of a save leaves the old store (or the new one) intact."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhenggai.store.db import SCHEMA_VERSION, Store
from zhenggai.store.paths import store_path
from zhenggai.store.storage import backup_path, read_document, write_document

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# Writes OLD, then NEW, but SIGKILLs itself at one point of the second save.
_SELF_KILL = """
import json, os, signal, sys
from pathlib import Path
from zhenggai.store import storage
path, point = Path(sys.argv[1]), sys.argv[2]
old, new = (json.loads(Path(a).read_text(encoding="utf-8")) for a in sys.argv[3:5])
storage.write_document(path, old)
die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
if point == "mkstemp":      # before the temporary file is written
    storage.tempfile.mkstemp = die
elif point == "fsync":      # temporary file written, not yet flushed to disk
    storage.os.fsync = die
elif point == "backup":     # temporary file complete, backup not yet linked
    storage.os.link = die
elif point == "backup-copy":  # links refused (FAT, some network file systems): killed while copying
    def refuse(*a, **k):
        raise PermissionError(1, "Operation not permitted")
    storage.os.link = refuse
    storage.shutil.copyfile = die
elif point == "replace":    # backup made, new file not yet renamed over the old one
    real, calls = os.replace, []
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            die()
        real(src, dst)
    storage.os.replace = replace
storage.write_document(path, new)
print("not killed", flush=True)
"""


@pytest.mark.parametrize("point", ["mkstemp", "fsync", "backup", "backup-copy", "replace"])
def test_killed_at_each_step_of_a_save_leaves_the_old_store(tmp_path: Path, point: str) -> None:
    path = tmp_path / "data" / "store.json"
    anchor = {"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x"}
    old = {
        "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "notes": {
            str(i): {"id": f"o{i}", "anchor": anchor, "text": f"旧笔记 {i}", "blob": "整改" * 500}
            for i in range(200)
        },
    }
    new = {"_meta": old["_meta"], "notes": {"1": {"id": "n1", "anchor": anchor, "text": "新笔记"}}}
    for name, document in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _SELF_KILL,
            str(path),
            point,
            str(tmp_path / "old.json"),
            str(tmp_path / "new.json"),
        ],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "not killed" not in proc.stdout
    assert read_document(path) == old
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert bool(leftovers) == (point != "mkstemp")  # it really died inside the save
    # the next save (by a live process, under the lock) clears what the dead one left behind
    store = Store.open(path)
    store.add_note({"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x"}, "之后")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert len(store.notes()) == 201
    assert read_document(backup_path(path)) == old


_APPENDER = """
import sys
from zhenggai.store.db import SCHEMA_VERSION, Store
store = Store.open()
anchor = {"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x", "prefix": "", "suffix": ""}
i = 0
while True:
    store.add_note(anchor, sys.argv[1] + " " + str(i))
    print(i, flush=True)
    i += 1
"""


def _big_store(notes: int) -> list[str]:
    """A store of ``notes`` notes (a save takes tens of ms, so a signal often lands inside one)."""
    anchor = {"notice_id": "m", "section_id": "二/(三)", "section_title": "某问题", "exact": "整改" * 40}
    document = {
        "_meta": {"1": {"schema_version": 1}},
        "notes": {
            str(i + 1): {"id": f"b{i}", "anchor": anchor, "text": f"旧笔记 {i}", "tags": []}
            for i in range(notes)
        },
    }
    write_document(store_path(), document)
    return [f"旧笔记 {i}" for i in range(notes)]


def test_sigkill_from_outside_during_saves_leaves_old_or_new_content(zhenggai_home: Path) -> None:
    expected = _big_store(4000)
    rng = random.Random(7)
    for round_ in range(10):
        proc = subprocess.Popen(
            [sys.executable, "-c", _APPENDER, f"R{round_}"],
            env={**ENV, "ZHENGGAI_HOME": str(zhenggai_home)},
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        for _ in range(2):  # a couple of complete saves first
            assert proc.stdout.readline().strip()
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        confirmed = 2 + len(proc.stdout.read().split())  # saves the process reported before it died
        store = Store.open()
        assert not store.read_only, store.problem
        texts = [n["text"] for n in store.notes()]
        old = [*expected, *(f"R{round_} {i}" for i in range(confirmed))]
        new = [*old, f"R{round_} {confirmed}"]  # the save in flight completed before the signal
        assert texts in (old, new), round_
        expected = texts
