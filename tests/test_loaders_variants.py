"""A notice re-encoded, re-punctuated, re-indented or renamed is the same notice with the same outline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.variants import full_width, gb18030_web_variant
from zhenggai.loaders import Notice, fold, load_corpus, parse_bytes, sample_data_paths
from zhenggai.loaders.meta import is_title_line


def signature(notice: Notice) -> dict[str, object]:
    """What must not change between variants (titles compared width-folded)."""
    data = notice.to_dict()
    for key in ("file", "encoding", "file_sha256", "source_url", "file_created", "file_modified"):
        data.pop(key)  # where the notice was read from, not what it says
    data["title"] = fold(notice.title)
    data["committee"] = fold(notice.meta.committee or "")
    outline = [(s.id, fold(s.title), s.level, s.fingerprint, len(s.paragraphs)) for s in notice.walk()]
    return {"meta": data, "outline": outline}


@pytest.mark.parametrize("path", sample_data_paths(), ids=lambda p: p.name)
def test_gb18030_fullwidth_indented_crlf_variant_equals_original(path: Path) -> None:
    original, _ = parse_bytes(path.read_bytes(), str(path))
    raw = gb18030_web_variant(path.read_text(encoding="utf-8"))
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    variant, warnings = parse_bytes(raw, "variant.txt")
    assert warnings == []
    assert variant[0].encoding == "gb18030"
    assert [signature(n) for n in variant] == [signature(n) for n in original]


def test_variant_keeps_the_files_own_characters() -> None:
    path = next(p for p in sample_data_paths() if "gulou" in p.name)
    variant, _ = parse_bytes(gb18030_web_variant(path.read_text(encoding="utf-8")), "v.txt")
    section = variant[0].section("一/(一)")
    assert section is not None
    assert section.number == "（一）"
    assert section.title == "提高政治站位，迅速谋划部署"
    assert section.paragraphs[0].text.startswith("（一）提高政治站位，迅速谋划部署。区委坚持")


def test_utf8_bom_and_cr_only_line_ends() -> None:
    path = next(p for p in sample_data_paths() if "gaoling" in p.name)
    text = path.read_text(encoding="utf-8")
    original, _ = parse_bytes(path.read_bytes(), str(path))
    for raw in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.replace("\n", "\r").encode("utf-8")):
        variant, _ = parse_bytes(raw, "v.txt")
        assert [signature(n) for n in variant] == [signature(n) for n in original]


def test_ids_survive_rename_reencode_and_reorder(tmp_path: Path) -> None:
    collection = next(p for p in sample_data_paths() if "liaoning" in p.name)
    text = collection.read_text(encoding="utf-8")
    lines = text.split("\n")
    titles = [i for i, line in enumerate(lines) if is_title_line(line)]
    assert len(titles) == 49
    blocks = [lines[a:b] for a, b in zip(titles, [*titles[1:], len(lines)], strict=True)]
    reordered = "\n".join(lines[: titles[0]] + [line for block in reversed(blocks) for line in block])
    (tmp_path / "renamed-and-reordered.txt").write_bytes(gb18030_web_variant(reordered))
    original_ids = [n.id for n in load_corpus([collection]).notices]
    moved = load_corpus([tmp_path])
    assert moved.skipped == []
    assert [n.id for n in moved.notices] == list(reversed(original_ids))


def test_full_width_folding_is_one_to_one() -> None:
    text = "（一）强化组织领导。１．措施：整改，完成；"
    assert len(fold(text)) == len(text)
    assert fold(text) == "(一)强化组织领导。1.措施:整改,完成;"
    assert full_width("1.a,b") == "1．a，b"
