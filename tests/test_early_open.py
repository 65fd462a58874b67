"""A warm corpus opened while the reader imports (``loaders.early``): the same corpus as a load, never
a first load's, and the reader shows it without loading again."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhenggai.loaders import load_corpus, sample_data_paths
from zhenggai.loaders.early import EarlyOpen, open_corpus
from zhenggai.tui.app import make_app
from zhenggai.tui.screens import loading

from .tui_helpers import wait_loaded


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """An early open freezes what it made out of the collector's sight: let the rest of the suite's
    objects be collected again."""
    yield
    gc.unfreeze()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths()[:2]:  # two files, one notice each
        shutil.copy(path, folder / path.name)
        os.utime(folder / path.name, (1e9, 1e9))  # written long ago: its status can be trusted
    return folder


def test_only_an_unchanged_folder_is_opened_early_and_it_is_what_a_load_gives(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    assert open_corpus([folder], cache_dir=cache) is None  # a first load: nothing opened, nothing parsed
    loaded = load_corpus([folder], cache_dir=cache)
    frozen = gc.get_freeze_count()
    opened = open_corpus([folder], cache_dir=cache)
    assert gc.get_freeze_count() > frozen  # its notices made and kept out of the collector's sight
    assert opened is not None and len(opened) == len(loaded) == 2
    assert [n.id for n in opened.notices] == [n.id for n in loaded.notices]
    assert [n.body for n in opened.notices] == [n.body for n in loaded.notices]
    (folder / "new.txt").write_text("一、新的一节\n内容。", encoding="utf-8")
    os.utime(folder / "new.txt", (1e9, 1e9))
    assert open_corpus([folder], cache_dir=cache) is None  # a file added: the reader loads as always


def test_the_early_corpus_is_handed_over_once_and_only_for_its_paths(tmp_path: Path) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    load_corpus([folder], cache_dir=cache)
    early = EarlyOpen([folder], cache).start()
    assert early.take([tmp_path], cache) is None  # other paths
    assert early.take([folder], tmp_path / "elsewhere") is None  # another cache
    corpus = early.take([folder], cache)
    assert corpus is not None and len(corpus) == 2
    assert early.take([folder], cache) is None  # once
    assert EarlyOpen([folder], cache).take([folder], cache) is None  # never started
    assert not EarlyOpen([folder], cache).wait(0.01)  # never started: nothing to wait for
    waited = EarlyOpen([folder], cache).start()
    assert waited.wait(30) and waited.take([folder], cache) is not None  # done: handed over at once


async def test_the_reader_shows_the_early_corpus_without_loading_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    first = make_app([folder])
    async with first.run_test(size=(120, 36)) as pilot:  # a first start fills the corpus store
        expected = [n.id for n in (await wait_loaded(pilot)).corpus.notices]  # type: ignore[union-attr]
    early = EarlyOpen([folder], first.cache_dir).start()  # type: ignore[arg-type]

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("loaded again")

    monkeypatch.setattr(loading, "load_corpus", no_load)
    app = make_app([folder], early=early)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None and [n.id for n in screen.corpus.notices] == expected
        assert screen.notice is not None and screen.notice.body
