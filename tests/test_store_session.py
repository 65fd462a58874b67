"""Issue 12, a researcher's store: reading a notice places only that notice's notes, bookmarks and codes
(and those whose notice is no longer loaded that re-attach to it), and the reader reads the store's file
off its UI thread once the first screen is drawn."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import zhenggai.store.base as store_base
from zhenggai.loaders import Corpus, load_corpus
from zhenggai.store.anchor import Anchor, Attachment, make_anchor
from zhenggai.store.db import Store
from zhenggai.store.locate import Placer, moved_to
from zhenggai.store.paths import settings_path, store_path
from zhenggai.store.retrieval import NoticeQuotes, place_segments
from zhenggai.store.session import Annotations
from zhenggai.store.storage import write_document
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.district_list import DistrictList

from .sample_folders import count_built, sample_bytes, settled_samples, warm_cache
from .test_tui_reader import body_text
from .tui_helpers import record_notifications, wait_loaded

GAOLING = "shaanxi-xian-gaoling-2022.txt"
EDIT = "（修订稿）"


def _annotated(corpus: Corpus, store: Store, positions: list[int]) -> None:
    """Two notes (one tagged with a code) and a bookmark on each of these notices."""
    for at in positions:
        notice = corpus.notice(at)
        sections = [s for s in notice.walk() if s.paragraphs and len(s.paragraphs[0].text) > 20][:2]
        for section in sections:
            quote = section.paragraphs[0].text[2:14]
            store.add_note(make_anchor(notice, section.id, quote).to_dict(), f"{section.id} #跟进")
        store.add_bookmark(make_anchor(notice, sections[0].id).to_dict())


def _placed_whole(corpus: Corpus, records: list[dict[str, Any]]) -> dict[str, list[tuple[str, Attachment]]]:
    """Every record placed on its own, by the notice it is shown in: what reading notice by notice
    and the lists must agree with."""
    placer = Placer(corpus)
    by_notice: dict[str, list[tuple[str, Attachment]]] = {}
    for record in records:
        anchor = Anchor.from_dict(record["anchor"])
        attachment = placer.place(anchor)[1]
        shown_in = moved_to(anchor, attachment) or anchor.notice_id
        by_notice.setdefault(shown_in, []).append((record["id"], attachment))
    return by_notice


def _edited_folder(tmp_path: Path) -> Path:
    """The samples, with 高陵区's opening edited (so its id changed)."""
    folder = settled_samples(tmp_path)
    text = sample_bytes(GAOLING).decode("utf-8")
    first = text.split("\n")[0]
    (folder / GAOLING).write_text(text.replace(first, first[:8] + EDIT + first[8:], 1), encoding="utf-8")
    return folder


def test_each_notice_s_records_are_the_whole_store_s_placed_in_it(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    original = load_corpus()
    gaoling = next(at for at, n in enumerate(original.notices) if n.district == "高陵区")
    store = Store.open()
    _annotated(original, store, [0, 7, gaoling, 40])
    unknown = {**store.notes()[0]["anchor"], "notice_id": "no-such-notice-0123", "place": ""}
    store.add_note(unknown, "无处可去 #跟进")  # detached: its notice is nowhere
    corpus = load_corpus([_edited_folder(tmp_path)])
    edited = next(n for n in corpus.notices if n.district == "高陵区")
    assert edited.id != original.notice(gaoling).id
    annotations = Annotations(store, corpus)
    everything = {kind: _placed_whole(corpus, annotations.records(kind)) for kind in ("notes", "bookmarks")}
    for kind, placed in everything.items():
        for notice in corpus.notices:
            mine = [(p.record["id"], p.attachment) for p in annotations.placed_in(kind, notice.id)]
            assert sorted(mine) == sorted(placed.get(notice.id, [])), (kind, notice.id)
        listed = {notice_id: sorted((p.record["id"], p.attachment) for p in group)
                  for notice_id, group in annotations.groups(kind, annotations.records(kind))}  # fmt: skip
        assert listed == {notice_id: sorted(group) for notice_id, group in placed.items()}, kind
    moved = annotations.placed_in("notes", edited.id)
    assert moved and {p.moved_to for p in moved} == {edited.id}  # re-attached after the id change
    assert everything["notes"]["no-such-notice-0123"][0][1].status == "detached"  # listed, shown nowhere
    shown = sum(len(annotations.placed_in("notes", n.id)) for n in corpus.notices)
    unshown = sum(len(v) for k, v in everything["notes"].items() if corpus.get(k) is None)
    assert shown + unshown == len(store.notes()) == 9 and unshown >= 1
    book = store.codebook()
    quotes = place_segments(corpus, store.segments(), book)
    by_notice = NoticeQuotes(store, corpus)
    for notice in corpus.notices:
        expected = sorted((q for q in quotes if q.notice_id == notice.id), key=lambda q: (q.start, q.code))
        assert by_notice.of(notice.id) == expected, notice.id
    assert any(q.status == "attached" for q in by_notice.of(edited.id))  # codes follow the id change too


def test_placing_one_notice_s_records_builds_no_other_notice(
    zhenggai_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = settled_samples(tmp_path)
    cache = warm_cache(tmp_path / "cache")
    load_corpus([folder], cache_dir=cache)  # writes the snapshot
    full = load_corpus([folder], cache_dir=cache)
    store = Store.open()
    _annotated(full, store, [3, 30])
    lazy = load_corpus([folder], cache_dir=cache)
    assert lazy.from_snapshot
    built = count_built(monkeypatch)
    target = full.notice(30).id
    annotations = Annotations(store, lazy)
    assert len(annotations.placed_in("notes", target)) == 2
    assert len(annotations.placed_in("bookmarks", target)) == 1
    assert len(NoticeQuotes(store, lazy).of(target)) == 2
    assert set(built) == {target}  # the other annotated notice, and the 51 others, never built


def test_listing_every_note_lets_go_of_the_texts_it_read_and_keeps_the_one_on_screen(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    folder = settled_samples(tmp_path)
    cache = warm_cache(tmp_path / "cache")
    load_corpus([folder], cache_dir=cache)  # writes the snapshot
    store = Store.open()
    _annotated(load_corpus([folder], cache_dir=cache), store, [3, 12, 30])
    lazy = load_corpus([folder], cache_dir=cache)
    on_screen = lazy.notice(30)
    assert on_screen.body and on_screen.loaded  # the one the reader shows
    annotations = Annotations(store, lazy)
    groups = annotations.groups("notes", annotations.records("notes"))
    first_id, first = next(groups)
    assert first_id == lazy.notice(3).id and len(first) == 2
    assert lazy.notice(3).loaded  # still there while the list makes its items
    rest = dict(groups)
    assert set(rest) == {lazy.notice(12).id, on_screen.id}
    assert not lazy.notice(3).loaded and not lazy.notice(12).loaded  # read only to be placed
    assert on_screen.loaded
    assert all(not p.detached for group in (first, *rest.values()) for p in group)


def test_open_settings_reads_the_settings_only_and_finish_open_the_rest(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus()
    store = Store.open()
    _annotated(corpus, store, [0])
    store.set("theme", "zhenggai-paper")
    read: list[str] = []
    load = store_base.load
    monkeypatch.setattr(store_base, "load", lambda path: (read.append(Path(path).name), load(path))[1])
    later = Store.open_settings()
    assert not later.opened and read == ["settings.json"] and later.get("theme") == "zhenggai-paper"
    assert len(later.notes()) == 2  # asked before finish_open: read on the asking thread, all the same
    later.finish_open()
    assert later.opened and not later.read_only and "store.json" in read
    count = len(read)
    later.finish_open()  # once
    assert len(read) == count


def test_a_store_that_still_holds_its_settings_is_opened_whole(zhenggai_home: Path) -> None:
    setting = {"created": "2026-01-01T00:00:00+08:00", "updated": "2026-01-01T00:00:00+08:00"}
    write_document(store_path(), {
        "_meta": {"1": {"schema_version": 3}}, "notes": {}, "codes": {}, "segments": {},
        "settings": {"1": {"key": "theme", "value": "zhenggai-paper", **setting}},
    })  # fmt: skip
    store = Store.open_settings()  # the theme is in store.json: moved out before anything reads it
    assert store.opened and store.get("theme") == "zhenggai-paper"
    assert settings_path(store_path()).exists()


async def test_the_reader_reads_the_store_off_the_ui_thread_then_shows_its_notes(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    _annotated(load_corpus(), store, [0])
    store.set("theme", "zhenggai-dark")  # a returning user's settings file
    threads: list[bool] = []
    finish_open = Store.finish_open

    def recording(self: Store) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        finish_open(self)

    monkeypatch.setattr(Store, "finish_open", recording)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert threads == [False]  # once, on a worker
        assert screen.annotations is not None and screen.notice is not None
        assert screen.notice.id == screen.corpus.notice(0).id  # type: ignore[union-attr]
        noted = [p.attachment.section_id for p in screen.annotations.placed_in("notes", screen.notice.id)]
        screen.open_notice(screen.notice, noted[0])
        await pilot.pause()
        assert f"✎ {noted[0]} #跟进" in body_text(screen.query_one(DetailPane))


async def test_a_store_that_cannot_be_read_is_said_and_the_reader_reads_on(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open().set("theme", "zhenggai-dark")  # a settings file: the store's own file is read later

    def failing(self: Store) -> None:
        raise OSError("input/output error")

    monkeypatch.setattr(Store, "finish_open", failing)
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = None
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, MainScreen) and screen.keyword_model is not None:
                break
        assert isinstance(screen, MainScreen) and screen.notice is not None  # the reader reads
        assert screen.keyword_model is not None and screen.query_one(DistrictList).filter_keys  # and indexes
        assert screen.annotations is None
        await pilot.press("n")  # a note cannot be written: why, not "still loading"
        await pilot.pause()
    assert shown.count(("error", "OSError: input/output error")) == 2


def test_the_lists_spots_are_the_groups_placing_and_spots_kept_read_no_text(
    zhenggai_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``listed`` (what the notes and bookmarks lists show) gives the groups ``groups`` gives, in the same
    order, each record where ``groups`` places it, across an id change and a notice loaded nowhere; with
    the spots of an earlier list it builds no notice at all."""
    original = load_corpus()
    gaoling = next(at for at, n in enumerate(original.notices) if n.district == "高陵区")
    store = Store.open()
    _annotated(original, store, [0, 7, gaoling, 40])
    unknown = {**store.notes()[0]["anchor"], "notice_id": "no-such-notice-0123", "place": ""}
    store.add_note(unknown, "无处可去 #跟进")
    folder = _edited_folder(tmp_path)
    cache = warm_cache(tmp_path / "cache")
    load_corpus([folder], cache_dir=cache)  # writes the snapshot
    corpus = load_corpus([folder], cache_dir=cache)
    annotations = Annotations(store, corpus)
    kept: dict[str, Any] = {}
    for kind in ("notes", "bookmarks"):
        records = annotations.records(kind)
        made: dict[Any, Any] = {}
        spotted = [(n, [(r["id"], s) for r, s in g]) for n, g in annotations.listed(kind, records, {}, made)]
        placed = [
            (n, [(p.record["id"], p.attachment) for p in g]) for n, g in annotations.groups(kind, records)
        ]
        assert [n for n, _ in spotted] == [n for n, _ in placed], kind  # the same groups, in order
        for (notice_id, spots), (_, attachments) in zip(spotted, placed, strict=True):
            assert [i for i, _ in spots] == [i for i, _ in attachments]  # the same records, in order
            for (_, spot), (_, attachment) in zip(spots, attachments, strict=True):
                assert spot.status == attachment.status and spot.notice_id == notice_id
                if attachment.status != "detached":
                    assert (spot.section_id, spot.start) == (attachment.section_id, attachment.start)
        assert {s.status for _, g in spotted for _, s in g} >= {"attached"}
        kept[kind] = (made, spotted)
    assert any(n == "no-such-notice-0123" for n, _ in kept["notes"][1])  # listed, loaded nowhere

    again = load_corpus([folder], cache_dir=cache)
    built = count_built(monkeypatch)
    later = Annotations(store, again)
    for kind, (made, spotted) in kept.items():
        fresh: dict[Any, Any] = {}
        listed = [
            (n, [(r["id"], s) for r, s in g]) for n, g in later.listed(kind, later.records(kind), made, fresh)
        ]
        assert listed == spotted and fresh == {}, kind
    assert built == []  # every passage had its spot: no notice built, no text read
