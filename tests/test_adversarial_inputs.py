"""Hostile folders, files and names, built at test time: nothing crashes, hangs, or leaks through.

Each case asserts that the good sibling file still loads, that the bad one gets one line saying why,
and (for subprocess cases) that the run ends within a time limit and with no traceback.  The hostile
names go through the CLI in this process (the bytes it writes are what a terminal would get); the FIFO
and the name that is not UTF-8 run the installed CLI in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhenggai.loaders import load_corpus, sample_data_paths
from zhenggai.loaders.corpus import read_file_bytes
from zhenggai.loaders.printable import path_text, printable
from zhenggai.loaders.text import DecodeError

from .html_page import page

LIMIT = 60  # seconds any one command may take here


def _good(folder: Path) -> Path:
    """A real notice beside the hostile files."""
    source = next(p for p in sample_data_paths() if "gaoling" in p.name)
    target = folder / "good.txt"
    target.write_bytes(source.read_bytes())
    return target


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The installed CLI in a fresh interpreter, with a time limit; stdout as bytes."""
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai", *map(str, args)], cwd=cwd, capture_output=True, timeout=LIMIT
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    return done


def _reasons(folder: Path) -> dict[str, str]:
    corpus = load_corpus([folder])
    assert [n.district for n in corpus.notices] == ["高陵区"]  # the good sibling still loads
    return {Path(s.path).name: s.reason for s in corpus.skipped}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_among_the_files_never_blocks(tmp_path: Path) -> None:
    _good(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    assert _reasons(tmp_path) == {"pipe.txt": "not a regular file (a named pipe (FIFO)); only files are read"}
    done = _run("list", tmp_path, "--json", cwd=tmp_path)  # the CLI too, in a process that must end
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 1
    assert b"pipe.txt" in done.stderr


def test_a_link_to_a_device_is_refused_not_read(tmp_path: Path) -> None:
    _good(tmp_path)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert _reasons(tmp_path) == {"zero.txt": "not a regular file (a character device); only files are read"}


def test_a_file_over_the_size_limit_is_skipped_with_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    with pytest.raises(DecodeError, match=r"^file too large"):
        read_file_bytes(big, limit=1024)
    assert read_file_bytes(big, limit=4096) == b"x" * 3000


def test_linked_files_are_followed_and_linked_folders_are_not(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _good(outside)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "linked.txt").symlink_to(outside / "good.txt")  # a file link: followed, wherever it points
    (folder / "loop").symlink_to(folder)  # a folder link (here a loop): never entered
    (folder / "elsewhere").symlink_to(outside)
    corpus = load_corpus([folder])
    assert [Path(n.file).name for n in corpus.notices] == ["linked.txt"]


@pytest.mark.parametrize("charset", ["zlib", "hex", "rot13", "uu", "base64", "utf-7", "x-no-such-charset"])
def test_bogus_declared_charsets_fall_back_to_detection(tmp_path: Path, charset: str) -> None:
    _good(tmp_path)
    source = next(p for p in sample_data_paths() if "gulou" in p.name)
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    html = page(lines[0], lines[1:60], date="2024-03-27", source="清风扬帆网", charset=charset)
    (tmp_path / "page.html").write_bytes(html.encode("utf-8"))
    corpus = load_corpus([tmp_path])
    assert corpus.skipped == []
    assert sorted(n.district for n in corpus.notices) == ["高陵区", "鼓楼区"]


@pytest.mark.parametrize("depth", [300, 2047, 3000, 20000])
def test_deeply_nested_html_keeps_its_text(
    tmp_path: Path, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    extractions: list[object] = []
    extract = trafilatura.bare_extraction
    monkeypatch.setattr(
        trafilatura, "bare_extraction", lambda *a, **k: extractions.append(a) or extract(*a, **k)
    )
    source = next(p for p in sample_data_paths() if "gulou" in p.name)
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>" for line in lines[:40])
    nested = "<div>" * depth + body + "</div>" * depth
    html = f"<html><head><title>{lines[0]}</title></head><body>{nested}</body></html>"
    (tmp_path / "deep.html").write_bytes(html.encode("utf-8"))
    corpus = load_corpus([tmp_path])
    assert [n.district for n in corpus.notices] == ["鼓楼区"]
    assert lines[39] in corpus.notices[0].body  # the last paragraph, under every level
    # a page nested past libxml2's limit is read once, without its containers: the tree cut short at
    # 2,048 levels is never searched for an article (3 s for nothing at 3,000 levels)
    assert len(extractions) == 1


def test_printable_shows_controls_escapes_bidi_and_bad_bytes() -> None:
    assert printable("report[v=2:1].txt") == "report[v=2:1].txt"  # markup-like text is just text
    assert printable("a\x1b]52;c;ZXZpbA==\x07b") == "a\\x1b]52;c;ZXZpbA==\\x07b"
    assert printable("x\u202eexe.txt") == "x<U+202E>exe.txt"
    assert printable("two\nlines") == "two\\x0alines"
    assert printable(os.fsdecode(b"\xff\xfe.txt")) == "\\xff\\xfe.txt"
    assert printable("中共沈阳市和平区委　关于") == "中共沈阳市和平区委　关于"
    assert path_text(os.fsdecode(b"/tmp/\xb0\xb2.txt")) == "/tmp/\\xb0\\xb2.txt"


HOSTILE_NAMES = {
    "markup": "report[v=2:1][bold].txt",
    "osc52": "x\x1b]52;c;ZXZpbA==\x07.txt",
    "title": "t\x1b]0;pwned\x07.txt",
    "bidi": "cod\u202etxt.exe.txt",
}


def _invoke(*args: str | Path) -> tuple[int, bytes, bytes]:
    """The CLI in this process (the bytes it writes to stdout and stderr); an uncaught error fails."""
    from typer.testing import CliRunner

    from zhenggai.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
def test_hostile_names_never_reach_the_terminal(tmp_path: Path, kind: str) -> None:
    good = _good(tmp_path)
    bad = tmp_path / HOSTILE_NAMES[kind]
    bad.write_bytes(b"")  # skipped, so its name is reported on stderr
    good.rename(tmp_path / ("good-" + HOSTILE_NAMES[kind]))  # and a loaded notice carries one too
    for args in (["list", tmp_path], ["show", "高陵区", "--path", tmp_path]):
        code, stdout, stderr = _invoke(*args)  # the installed CLI runs in its own process below
        assert code == 0
        assert printable(HOSTILE_NAMES[kind]).encode() in stdout + stderr  # named, made harmless
        for stream in (stdout, stderr):
            assert b"\x1b" not in stream and b"\x07" not in stream and "\u202e".encode() not in stream


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_name_that_is_not_utf8_is_shown_and_exported_as_valid_text(tmp_path: Path) -> None:
    good = _good(tmp_path)
    os.rename(good, os.path.join(os.fsencode(tmp_path), b"\xb8\xdf\xc1\xea.txt"))  # 高陵 in GBK
    listed = _run("list", tmp_path, "--json", cwd=tmp_path)
    assert listed.returncode == 0
    [row] = json.loads(listed.stdout.decode("utf-8"))  # strict UTF-8: no lone surrogates
    assert row["file"].endswith("\\xb8\\xdf\\xc1\\xea.txt")
    searched = _run("search", "整改", tmp_path, cwd=tmp_path)
    assert searched.returncode == 0 and searched.stdout.decode("utf-8")
    exported = _run("export", "--path", tmp_path, cwd=tmp_path)
    assert exported.returncode == 0 and exported.stdout.decode("utf-8")


def test_a_pasted_page_as_a_query_is_refused_at_once_with_the_reason(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zhenggai.cli import app
    from zhenggai.loaders.query import MAX_QUERY_CHARS, query_problem

    pasted = "巡视整改工作取得阶段性成效" * 500  # 6,500 characters
    assert query_problem(pasted) == (
        f"the query is 6,500 characters long; the limit is {MAX_QUERY_CHARS} "
        '(search for a few words, or a "phrase" from the passage)'
    )
    result = CliRunner().invoke(app, ["search", pasted])
    assert result.exit_code == 1
    assert result.stderr.startswith("zhenggai: the query is 6,500 characters long")
    assert (
        query_problem(" ".join(f"词{i}" for i in range(30)))
        == "the query has more than 24 words; search for fewer"
    )
