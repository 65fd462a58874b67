"""The parse cache: a second load parses nothing unchanged, and gives back equal notices."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhenggai.loaders import corpus as corpus_module
from zhenggai.loaders import load_corpus, sample_data_paths


def outline(notices: list) -> list:  # type: ignore[type-arg]
    return [(n.to_dict(with_sections=True), n.body) for n in notices]


def test_second_load_comes_from_the_cache_and_is_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_corpus(cache_dir=cache)
    assert len(list(cache.rglob("*.bin"))) == 5
    calls: list[str] = []
    original = corpus_module.parse_bytes
    monkeypatch.setattr(
        corpus_module, "parse_bytes", lambda raw, file: calls.append(file) or original(raw, file)
    )
    second = load_corpus(cache_dir=cache)
    assert calls == []  # nothing parsed again
    assert outline(second.notices) == outline(first.notices)


def test_changed_added_and_renamed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "notices", tmp_path / "cache"
    folder.mkdir()
    for path in sample_data_paths()[:3]:
        shutil.copy(path, folder / path.name)
    load_corpus([folder], cache_dir=cache)
    calls: list[str] = []
    original = corpus_module.parse_bytes
    monkeypatch.setattr(
        corpus_module, "parse_bytes", lambda raw, file: calls.append(Path(file).name) or original(raw, file)
    )
    changed = folder / sample_data_paths()[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一行。", encoding="utf-8")
    shutil.copy(sample_data_paths()[4], folder / "added.txt")
    (folder / sample_data_paths()[1].name).rename(folder / "renamed.txt")
    corpus = load_corpus([folder], cache_dir=cache)
    assert sorted(calls) == sorted([changed.name, "added.txt"])
    renamed = [n for n in corpus.notices if n.file.endswith("renamed.txt")]
    assert [n.district for n in renamed] == ["芦淞区"]


def test_corrupt_cache_entry_is_reparsed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_corpus(cache_dir=cache)
    for entry in cache.rglob("*.bin"):
        entry.write_bytes(b"\x00not marshal")
    again = load_corpus(cache_dir=cache)
    assert outline(again.notices) == outline(first.notices)
