"""The pure back/forward history (tui/history.py imports nothing from textual)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zhenggai.tui.history import History, Location


def test_empty_history_goes_nowhere() -> None:
    history: History[str] = History()
    assert history.current is None and history.position == -1 and len(history) == 0
    assert history.back() is None and history.forward() is None
    assert not history.can_go_back and not history.can_go_forward


def test_back_and_forward_move_the_cursor() -> None:
    history: History[str] = History()
    for item in ("a", "b", "c"):
        history.add(item)
    assert history.back() == "b" and history.back() == "a" and history.back() is None
    assert history.current == "a"
    assert history.forward() == "b" and history.forward() == "c" and history.forward() is None
    assert list(history) == ["a", "b", "c"]


def test_going_somewhere_new_drops_the_forward_part() -> None:
    history: History[str] = History(["a", "b", "c"])
    history.back()
    history.back()
    history.add("d")
    assert list(history) == ["a", "d"] and history.current == "d" and not history.can_go_forward


def test_the_same_place_twice_in_a_row_is_one_step() -> None:
    history: History[str] = History()
    history.add("a")
    history.add("a")
    history.add("b")
    history.add("a")
    assert list(history) == ["a", "b", "a"]


def test_replace_changes_the_current_step_only() -> None:
    history: History[str] = History(["a", "b"])
    history.back()
    history.replace("x")
    assert list(history) == ["x", "b"] and history.position == 0
    empty: History[str] = History()
    empty.replace("y")
    assert list(empty) == ["y"]


def test_limit_forgets_the_oldest() -> None:
    history: History[int] = History(limit=3)
    for item in range(5):
        history.add(item)
    assert list(history) == [2, 3, 4] and history.position == 2
    assert History([1, 2, 3, 4], limit=2).current == 4
    with pytest.raises(ValueError):
        History(limit=0)


def test_locations_compare_by_value() -> None:
    history: History[Location] = History()
    history.add(Location("n1", "一"))
    history.add(Location("n1", "一"))
    assert len(history) == 1


def test_history_module_imports_no_textual() -> None:
    code = "import sys, zhenggai.tui.history; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
