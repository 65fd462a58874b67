"""Bad files get a one-line reason and never stop the rest of a folder from loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhenggai.loaders import DecodeError, decode_bytes, load_corpus, sample_data_paths


def sample(name: str) -> Path:
    return next(p for p in sample_data_paths() if name in p.name)


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(sample("gulou"), folder / "a-gulou.txt")
    shutil.copy(sample("gaoling"), folder / "sub" / "z-gaoling.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-blank.txt").write_bytes(b"  \r\n\n\t ")
    (folder / "d-binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "e-not-a-notice.txt").write_text(
        "今天天气很好,我们去公园散步,看见很多花。\n" * 20, encoding="utf-8"
    )
    (folder / "f-undecodable.txt").write_bytes("巡视整改".encode() + b"\xff\xfe\xfa\xfb" * 10 + b"abc")
    (folder / "ignored.xlsx").write_bytes(b"PK\x03\x04")  # not a form notices come in: not read
    return folder


def test_folder_loads_past_bad_files(messy_folder: Path) -> None:
    corpus = load_corpus([messy_folder])
    assert [n.district for n in corpus.notices] == ["鼓楼区", "高陵区"]
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert reasons == {
        "b-empty.txt": "empty file",
        "c-blank.txt": "empty file",
        "d-binary.txt": "binary data",
        "e-not-a-notice.txt": "no notice found",
        "f-undecodable.txt": "undecodable bytes at offset 12",
    }
    assert all("\n" not in s.reason for s in corpus.skipped)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    corpus = load_corpus([tmp_path / "nope.txt", tmp_path / "empty"])
    assert corpus.notices == []
    assert [s.reason for s in corpus.skipped] == [
        "no such file or folder",
        "no notice files (.txt, .html, .mht, .pdf, .docx) in this folder",
    ]


def test_truncated_mid_character_still_yields_what_it_holds(tmp_path: Path) -> None:
    raw = sample("gulou").read_bytes()
    cut = raw[: len(raw) // 2]
    while (cut[-1] & 0xC0) == 0x80 or cut[-1] < 0x80:  # stop inside a multi-byte character
        cut = cut[:-1]
    cut = cut + raw[len(cut) : len(cut) + 1]
    with pytest.raises(UnicodeDecodeError):
        cut.decode("utf-8")
    (tmp_path / "truncated.txt").write_bytes(cut)
    corpus = load_corpus([tmp_path])
    assert corpus.skipped == []
    [notice] = corpus.notices
    assert notice.district == "鼓楼区" and notice.meta.feedback_date == "2023-10-11"
    assert notice.section("二/(一)") is not None
    assert [w.reason for w in corpus.warnings] == [
        "ends in the middle of a character (truncated?); loaded what it holds"
    ]


def test_a_notice_on_one_50k_line_is_resplit_at_its_headings(tmp_path: Path) -> None:
    corpus = load_corpus([sample("liaoning")])
    longest = max(corpus.notices, key=lambda n: len(n.body))
    one_line = longest.body.replace("\n", "")
    assert len(one_line.encode("utf-8")) > 50_000
    (tmp_path / "oneline.txt").write_text(longest.title + "\n" + one_line, encoding="utf-8")
    reloaded = load_corpus([tmp_path])
    [notice] = reloaded.notices
    assert (notice.city, notice.district) == (longest.city, longest.district)
    assert [s.id for s in notice.sections] == [s.id for s in longest.sections]
    assert len(reloaded.warnings) == 1
    assert reloaded.warnings[0].reason.startswith(f"a {len(one_line):,}-character line was re-split at its")


def test_decode_reasons() -> None:
    with pytest.raises(DecodeError, match=r"^empty file$"):
        decode_bytes(b"")
    with pytest.raises(DecodeError, match=r"^binary data$"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert decode_bytes("巡视".encode("gbk") * 50).encoding == "gb18030"
    assert decode_bytes("巡视".encode("utf-16")).text == "巡视"


def test_control_characters_and_escapes_are_removed() -> None:
    from zhenggai.loaders import clean

    assert clean("\x1b[31m巡视\x1b[0m\x07整改\r\n\x1b]0;title\x07下一行\u200b") == "巡视整改\n下一行"
