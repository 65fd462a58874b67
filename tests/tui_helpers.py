"""Helpers for Pilot tests: start the app, wait until the corpus is on screen, settle after a key."""

from __future__ import annotations

import asyncio
from time import monotonic, process_time
from typing import Any

import pytest
import textual.app
import textual.pilot
from textual import _wait
from textual._context import active_app
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from zhenggai.tui.app import ZhenggaiApp
from zhenggai.tui.frames import wants_frame
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.district_list import DistrictList


async def wait_loaded(pilot: Pilot[None]) -> MainScreen:
    """Wait on the app's workers (loading, then indexing) until a notice and section are shown."""
    app = pilot.app
    assert isinstance(app, ZhenggaiApp)
    await pilot.pause()
    for _ in range(20):  # each round waits for the workers of one stage to finish
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        populated = isinstance(screen, MainScreen) and screen.corpus is not None
        if populated and screen.section is not None and not app.workers and _background_done(screen):
            return screen
    raise AssertionError("the corpus never loaded")


async def saved(pilot: Pilot[None]) -> None:
    """Wait until the reader's store writes (thread workers of the group ``store``) are done: a test
    reading the store right after a key must not race the worker that saves it."""
    app = pilot.app
    await app.workers.wait_for_complete([w for w in app.workers if w.group == "store"])
    await pilot.pause()


def _background_done(screen: MainScreen) -> bool:
    """The work started after the first frame is over: the pinyin keys arrived, the index was tried,
    the store's notes were read."""
    if screen.corpus is None or not len(screen.corpus):
        return True
    keys_ready = bool(screen.query_one(DistrictList).filter_keys)
    index_tried = screen.keyword_model is not None or getattr(screen, "index_problem", None) is not None
    store_read = screen.annotations is not None or getattr(screen.app, "store", None) is None
    return keys_ready and index_tried and store_read


def record_notifications(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """From now on, every toast as Textual receives it to show, as ``(severity, message)``."""
    shown: list[tuple[str, str]] = []
    notify = App.notify

    def recording(self: App[Any], message: str, **options: Any) -> None:
        if self is app:
            shown.append((str(options.get("severity", "information")), message))
        notify(self, message, **options)

    monkeypatch.setattr(App, "notify", recording)
    return shown


_textual_wait_for_idle = _wait.wait_for_idle


async def settle(min_sleep: float = _wait.SLEEP_GRANULARITY, max_sleep: float = 1.0) -> None:
    """Textual's ``wait_for_idle`` for ``Pilot.press`` and ``Pilot.pause``, waiting on the app's state.

    Textual judges "idle" by sleeping 20 ms windows until one passes with (almost) no CPU used: at
    least 40 ms a key even when the key was handled in 5.  This returns as soon as the app has
    provably nothing left to do: no callback ready on the event loop (every queued message, call_later
    and worker result has been handled), no thread worker running, no key in flight, and no repaint
    or after-refresh callback pending (those are run at once, as ``Pilot.pause`` does).  While a
    thread worker runs it falls back to Textual's own judgment (a worker blocked on another process's
    lock uses no CPU and must not hold every key), and it never waits longer than Textual would.
    """
    app = active_app.get(None)
    if app is None or min_sleep > 0:
        await _textual_wait_for_idle(min_sleep, max_sleep)
        return
    started = monotonic()
    while monotonic() - started < max_sleep:
        await asyncio.sleep(0)
        if _loop_has_ready_callbacks():
            continue
        if any(worker._thread_worker and not worker.is_finished for worker in app.workers):
            cpu = process_time()
            await asyncio.sleep(_wait.SLEEP_GRANULARITY)
            if process_time() - cpu < _wait.SLEEP_IDLE:
                return
            continue
        if getattr(app, "keys_pending", False):
            await asyncio.sleep(0.001)
            continue
        try:
            screen = app.screen
        except Exception:  # the app has closed its last screen: nothing more will happen
            return
        if _repaint_pending(screen):
            if screen.is_current and not app._batch_count:
                screen._on_timer_update()
            else:
                await asyncio.sleep(_wait.SLEEP_GRANULARITY)
            continue
        return


def _loop_has_ready_callbacks() -> bool:
    """True if a callback other than the caller's is ready to run (unknown event loops: always)."""
    ready = getattr(asyncio.get_running_loop(), "_ready", None)
    return ready is None or bool(ready)


def _repaint_pending(screen: Screen[Any]) -> bool:
    """The screen has a layout, repaint or after-refresh callback waiting for its update timer."""
    return wants_frame(screen) or bool(screen._callbacks)


def install_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``Pilot.press`` and ``Pilot.pause`` wait with ``settle`` instead of fixed idle windows."""
    monkeypatch.setattr(textual.app, "wait_for_idle", settle)
    monkeypatch.setattr(textual.pilot, "wait_for_idle", settle)


def install_css_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse each piece of CSS once per test process, not once per app.

    Every Pilot test starts a new app, whose stylesheet parses the same CSS again (the app's ``.tcss``
    and every widget's ``DEFAULT_CSS``): about 40 ms of each test.  Textual caches a parse in the
    stylesheet only; this keeps it for the process, keyed by everything the parse reads (the CSS, where
    it was read from, its flags and scope, and the theme's variables).
    """
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], Any] = {}

    def cached(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        try:
            return parsed[key]
        except KeyError:
            rules = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            parsed[key] = rules
            return rules

    monkeypatch.setattr(Stylesheet, "_parse_rules", cached)
