"""The reader as a user meets it: in a real terminal (tmux), against a one-line Textual app, as ratios.

    python benchmarks/bench_terminal.py [--corpus DIR] [--runs 5] [--size 160x48] [--zhenggai BIN]

Each round starts, in a fresh tmux pane of the given size, first a one-line Textual app (a Label) and
then ``zhenggai`` on the corpus (default: the bundled samples) with a ZHENGGAI_HOME kept across rounds
(the first round is the cold start, the others warm), interleaved so both see the same machine load.
It measures, by polling the pane's screen (capture-pane, every 5 ms):

Between the cold run and the warm ones, ``zhenggai search`` finishes the search index the cold run
began (a reader that quits stops indexing), so the warm runs have nothing left to build.

- start → populated: until the district count reads ``N / N 篇`` and the reading pane shows text
  (for the one-line app: until its label shows);
- quit: from sending ``ctrl+q`` until the process has exited;
- section moves: ``]`` pressed 20 times, each timed until the breadcrumb changes (the one-line app's
  ``]`` changes its label: how long any Textual app takes from a key to the screen here); back to
  back, or ``--rest`` seconds apart, as someone reading (the reader works ahead while nobody types);
- peak memory: VmHWM of the process, read just before quitting.

``--cold-through`` lets the cold run finish its work before it quits: after its moves it waits until
the reader has used under 3 % of a core for 3 s (the files parsed, the search index and the keyword
counts built), and prints when that was and the peak memory of the whole cold start — what someone who
opens a new folder and keeps reading meets (without it the cold run quits while loading, and its peak
is that of the start).

``--notes N`` starts every warm run with a store of N notes on the corpus's passages in place
(``annotated_store.py``): a researcher's start, which reads the store too; it also times the start
until the first notice's note is shown (the reader reads the store once its first screen is drawn).
After the moves it opens the coding screens (``X`` the matrix, ``Q`` the quote table, ``O`` the
codebook) and times each until it is open and until every coded segment is placed and shown; then it
presses ``N`` and times the notes list until it is open (its first items shown) and
until every note is listed, then a key typed in its filter until the title counts what it keeps; closes
it, presses ``N`` again and quits while that list is still filling (the quit rows are then quits during
that work).  The reader keeps its last placing of the coded segments in the cache folder for its next
start (``placing.bin``, the quotes, and ``spots.bin``, where each anchor landed): each run begins
without them, so ``X`` places every segment, unless ``--keep-placing`` (then every run after the first
finds what the run before saved, as someone starting the reader again does) or ``--keep-spots`` (the
quotes removed, the spots kept: as someone who coded a passage since, the quotes no longer match).

Run it with the zhenggai of an installed wheel; ``tmux`` must be on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import annotated_store

POLL = 0.005
#: ``--moves``: print every move's time as it is measured (which moves are the slow ones)
SHOW_MOVES = False
#: ``--rest``: seconds between one move's screen and the next key, as a person reading (0: at once)
REST = 0.0
ONE_LINE_APP = (
    "from textual.app import App\nfrom textual.widgets import Label\n"
    "class OneLine(App):\n"
    "    BINDINGS = [('right_square_bracket', 'step')]\n"
    "    steps = 0\n"
    "    def compose(self):\n        yield Label('one-line-app-ready › 0')\n"
    "    def action_step(self):\n"
    "        self.steps += 1\n"
    "        self.query_one(Label).update(f'one-line-app-ready › {self.steps}')\n"
    "OneLine().run()\n"
)
_POPULATED = re.compile(r"(\d+) / \1 篇")
#: ``--notes``: the text of a note of ``annotated_store``, shown under the first notice's opening section
NOTE_SHOWN = "条笔记 #营商环境"
#: The notes list's title once its first items are shown (``笔记 Notes (500/10000 · 载入中 placing…)``)
_LIST_OPEN = re.compile(r"笔记 Notes \(\d+")


def tmux(*args: str) -> str:
    """Run a tmux command; its stdout."""
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


class Pane:
    """One program in its own detached tmux session."""

    def __init__(self, command: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.name = f"zgbench{os.getpid()}{time.monotonic_ns() % 10**6}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        shell = f"{exports} exec {shlex.join(command)}"
        tmux("new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]), shell)
        tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        self.started = time.perf_counter()
        self.pid = int(tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").split()[0])

    def screen(self) -> str:
        """The visible text of the pane."""
        return tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, predicate: re.Pattern[str] | str, timeout: float = 600) -> float:
        """Seconds until the screen matches ``predicate`` (from now)."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            text = self.screen()
            found = predicate.search(text) if isinstance(predicate, re.Pattern) else predicate in text
            if found:
                return time.perf_counter() - start
            time.sleep(POLL)
        raise TimeoutError(f"the screen never showed {predicate!r}:\n{self.screen()}")

    def cpu_ticks(self) -> int:
        """The program's user and system CPU time so far, in clock ticks."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])

    def wait_idle(self, quiet: float = 3.0, timeout: float = 3600) -> float:
        """Seconds from the start until the program went quiet: under 3 % of a core for ``quiet`` s."""
        per_second = os.sysconf("SC_CLK_TCK")
        samples: list[tuple[float, int]] = []
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            now, ticks = time.perf_counter(), self.cpu_ticks()
            samples.append((now, ticks))
            window = [(t, n) for t, n in samples if now - t <= quiet + 0.01]
            if now - window[0][0] >= quiet - 0.01 and ticks - window[0][1] <= 0.03 * quiet * per_second:
                return window[0][0] - self.started
            time.sleep(0.25)
        raise TimeoutError("the program never went quiet")

    def peak_memory_mb(self) -> float:
        """VmHWM of the program."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def quit(self, key: str = "C-q", timeout: float = 600) -> float:
        """Send ``key``; seconds until the process has exited."""
        start = time.perf_counter()
        tmux("send-keys", "-t", self.name, key)
        while time.perf_counter() - start < timeout:
            if tmux("list-panes", "-t", self.name, "-F", "#{pane_dead}").strip() == "1":
                elapsed = time.perf_counter() - start
                tmux("kill-session", "-t", self.name)
                return elapsed
            time.sleep(POLL)
        tmux("kill-session", "-t", self.name)
        raise TimeoutError("the program did not quit")


def crumb(screen: str) -> str:
    """The reading pane's header: the lines that name the section, down to the blank line under them
    (a move always changes them).  Only the pane's own columns count (right of the last ``▕``), and
    the whole header: a section four levels deep shares its first three lines with its siblings."""
    panes = [line.rpartition("▕")[2] for line in screen.splitlines()]
    start = next((i for i, line in enumerate(panes) if "›" in line), 0)
    end = next((i for i in range(start + 1, len(panes)) if not panes[i].strip()), len(panes))
    return "\n".join(panes[start : min(end, start + 8)])


def measure_moves(pane: Pane, who: str) -> dict[str, float]:
    """``]`` 20 times, each timed from sending the key until the line with ``›`` changed."""
    moves: list[float] = []
    key, attempts = "]", 0
    while len(moves) < 20 and attempts < 60:
        attempts += 1
        time.sleep(REST)
        before = crumb(pane.screen())
        start = time.perf_counter()
        tmux("send-keys", "-t", pane.name, key)
        while crumb(pane.screen()) == before and time.perf_counter() - start < 3:
            time.sleep(POLL)
        if crumb(pane.screen()) == before:  # the last section: turn round (not a move)
            key = "[" if key == "]" else "]"
            continue
        moves.append(time.perf_counter() - start)
    if SHOW_MOVES:
        print(f"    {who} moves (ms): {' '.join(f'{m * 1000:.0f}' for m in moves)}", flush=True)
    return {"move_median": statistics.median(moves), "move_worst": max(moves)}


def measure_notes_list(pane: Pane, notes: int) -> dict[str, float]:
    """``N``: seconds until the list is open (its first items shown) and until all ``notes`` are in it;
    then ``escape`` and ``N`` again (the caller quits while that list is still being placed)."""
    time.sleep(REST)
    tmux("send-keys", "-t", pane.name, "N")
    result = {"list_open": pane.wait_for(_LIST_OPEN, timeout=120)}
    result["list_full"] = result["list_open"] + pane.wait_for(f"笔记 Notes ({notes})", timeout=300)
    tmux("send-keys", "-t", pane.name, "f")  # a filter keystroke: until the title counts what it keeps
    time.sleep(0.2)
    start = time.perf_counter()
    tmux("send-keys", "-t", pane.name, "7")
    pane.wait_for(re.compile(rf"笔记 Notes \(\d+/{notes}\)"), timeout=60)
    result["list_filter"] = time.perf_counter() - start
    tmux("send-keys", "-t", pane.name, "Escape", "Escape")  # to the list, then closed
    pane.wait_for("›")
    tmux("send-keys", "-t", pane.name, "N")
    pane.wait_for(_LIST_OPEN, timeout=120)
    return result


#: The reader's status line: ``17/10000 篇  100%``.
_READER = re.compile(r"\d+/\d+ 篇 ")
#: What the reader keeps of its placing for its next start (``--keep-placing``, ``--keep-spots``).
CACHED_PLACING = frozenset({"placing.bin", "spots.bin"})
#: The coding screens (``--notes``): key, the screen open (placing or placed), the screen filled.
CODING = (
    ("X", "matrix", re.compile(r"载入中 placing|district × code · "), "district × code · "),
    ("Q", "quotes", re.compile(r"载入中 placing|条引文 coded quotes"), "条引文 coded quotes"),
    ("O", "codebook", re.compile(r"载入中 placing|\d+ 段 segments"), re.compile(r"\d+ 段 segments")),
)


def measure_coding(pane: Pane) -> dict[str, float]:
    """The matrix (``X``), the quote table (``Q``) and the codebook (``O``): seconds from the key until
    the screen is open, and until every coded segment is placed and shown; then ``escape``."""
    result: dict[str, float] = {}
    for key, name, opened, filled in CODING:
        time.sleep(REST + 0.5)
        tmux("send-keys", "-t", pane.name, key)
        result[f"{name}_open"] = pane.wait_for(opened, timeout=120)
        result[f"{name}_full"] = result[f"{name}_open"] + pane.wait_for(filled, timeout=300)
        tmux("send-keys", "-t", pane.name, "Escape")
        pane.wait_for(_READER)  # (the codes' paths have a ``›`` too)
    return result


def measure_zhenggai(
    command: list[str], size: tuple[int, int], env: dict[str, str], notes: int = 0, through: bool = False
) -> dict[str, float]:
    """Start, wait until populated (and, with ``notes``, until the first section's note is shown), move
    20 sections, read memory, quit (with ``notes``: open the notes list, then quit while it fills;
    ``through``: wait until the reader's work is done first)."""
    pane = Pane(command, size, env)
    result = {"populated": pane.wait_for(_POPULATED)}
    if notes:  # annotated_store notes the first notice's opening section: its note's text
        result["notes_shown"] = result["populated"] + pane.wait_for(NOTE_SHOWN, timeout=60)
    pane.wait_for("›")
    result.update(measure_moves(pane, "zhenggai"))
    if through:
        result["cold_done"] = pane.wait_idle()
    if notes:
        result.update(measure_coding(pane))
        result.update(measure_notes_list(pane, notes))
    result["peak_mb"] = pane.peak_memory_mb()
    result["quit"] = pane.quit()
    if notes:
        result["quit_placing"] = result["quit"]
    return result


def measure_one_line(size: tuple[int, int], env: dict[str, str]) -> dict[str, float]:
    """The baseline: a Textual app with one Label."""
    pane = Pane([sys.executable, "-c", ONE_LINE_APP], size, env)
    result = {"populated": pane.wait_for("one-line-app-ready")}
    # its label changes on ``]``: the terminal's own key → screen time
    result.update(measure_moves(pane, "one-line app"))
    result["peak_mb"] = pane.peak_memory_mb()
    result["quit"] = pane.quit()
    return result


def main() -> None:
    """Interleave the two programs, then print medians and ratios."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a folder of notices (default: the bundled samples)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--zhenggai", default=shutil.which("zhenggai") or "zhenggai")
    parser.add_argument(
        "--home",
        type=Path,
        help="a ZHENGGAI_HOME already warmed on the corpus (e.g. by `zhenggai search 整改 DIR`): every run"
        " is warm, no cold start (its data/ folder is removed before each run)",
    )
    parser.add_argument(
        "--notes",
        type=int,
        default=0,
        help="start every warm run with a store of this many notes on the corpus's passages, each tagged"
        " with two codes (benchmarks/annotated_store.py), as a researcher's (default 0: an empty store)",
    )
    parser.add_argument(
        "--keep-placing",
        action="store_true",
        help="with --notes: keep the placing the run before saved (cache/placing.bin, spots.bin)",
    )
    parser.add_argument(
        "--keep-spots",
        action="store_true",
        help="with --notes: keep the spots the run before saved (cache/spots.bin), remove its quotes",
    )
    parser.add_argument(
        "--cold-through",
        action="store_true",
        help="let the cold run finish its work (load, index) before quitting: its time and peak memory",
    )
    parser.add_argument("--moves", action="store_true", help="print every move's time, run by run")
    parser.add_argument(
        "--rest",
        type=float,
        default=0.0,
        help="seconds to wait before each move, as a person reading does (default 0: moves back to back)",
    )
    args = parser.parse_args()
    global SHOW_MOVES, REST
    SHOW_MOVES, REST = args.moves, args.rest
    if not shutil.which("tmux"):
        sys.exit("bench_terminal: tmux is not installed")
    width, height = (int(x) for x in args.size.split("x"))
    command = [args.zhenggai, *([str(args.corpus)] if args.corpus else [])]
    runs: list[dict[str, float]] = []
    baseline: list[dict[str, float]] = []
    keepalive = f"zgbench-keepalive-{os.getpid()}"  # one server for the whole run: no start-up races
    tmux("new-session", "-d", "-s", keepalive, "sleep 86400")
    with tempfile.TemporaryDirectory() as scratch:
        home = str(args.home) if args.home else scratch
        env = {"ZHENGGAI_HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        notes: tuple[bytes, bytes] | None = None
        for round_ in range(args.runs + (0 if args.home else 1)):  # without --home: first run cold
            if round_ == 1 and not args.home:  # warm: finish the search index the cold run began
                warm_up = [args.zhenggai, "search", "整改", *([str(args.corpus)] if args.corpus else [])]
                subprocess.run(warm_up, env={**os.environ, **env}, capture_output=True, check=False)
            shutil.rmtree(Path(home) / "data", ignore_errors=True)  # warm caches, no restored position
            removed = set() if args.keep_placing else {"placing.bin"} if args.keep_spots else CACHED_PLACING
            for name in removed:  # without them the coding screens place every
                (Path(home) / "cache" / name).unlink(missing_ok=True)  # segment, as at a store's first start
            if args.notes and (round_ > 0 or args.home):
                if notes is None:  # the corpus store is warm now: opening the corpus parses nothing
                    notes = annotated_store.build(args.corpus, args.notes, Path(home) / "cache")
                (Path(home) / "data").mkdir(parents=True)
                (Path(home) / "data" / "store.json").write_bytes(notes[0])
                (Path(home) / "data" / "settings.json").write_bytes(notes[1])
            baseline.append(measure_one_line((width, height), env))
            through = args.cold_through and round_ == 0 and not args.home
            runs.append(measure_zhenggai(command, (width, height), env, args.notes if notes else 0, through))
    tmux("kill-session", "-t", keepalive)
    cold, warm = (None, runs) if args.home else (runs[0], runs[1:])
    one = {
        key: statistics.median(r[key] for r in baseline)
        for key in ("populated", "quit", "peak_mb", "move_median")
    }
    one["move_worst"] = max(r["move_worst"] for r in baseline)

    def row(label: str, value: float, unit: str, reference: float | None) -> None:
        ratio = f"{value / reference:5.1f}×" if reference else ""
        shown = f"{value * 1000:.0f} ms" if unit == "s" else f"{value:.0f} MB"
        print(f"  {label:<36} {shown:>10}   {ratio}")

    name = args.corpus or "sample_data/"
    first = "" if cold is None else " after 1 cold"
    rest = f", moves {REST:g} s apart" if REST else ""
    rest += f", a store of {args.notes:,} notes" if args.notes else ""
    print(f"zhenggai in tmux {args.size} on {name}: {args.runs} warm starts{first}{rest}, interleaved with")
    start_ms, quit_ms = one["populated"] * 1000, one["quit"] * 1000
    print(f"a one-line Textual app (start {start_ms:.0f} ms, quit {quit_ms:.0f} ms, {one['peak_mb']:.0f} MB,")
    move_ms, move_worst_ms = one["move_median"] * 1000, one["move_worst"] * 1000
    print(f"a key that changes its label: median {move_ms:.0f} ms, worst {move_worst_ms:.0f} ms)")
    if cold is not None:
        row("start → populated, cold (list shown)", cold["populated"], "s", one["populated"])
    if cold is not None and "cold_done" in cold:
        row("start → cold work done (load, index)", cold["cold_done"], "s", None)
        row("peak memory, cold through", cold["peak_mb"], "MB", one["peak_mb"])
    row(
        "start → populated, warm (median)",
        statistics.median(r["populated"] for r in warm),
        "s",
        one["populated"],
    )
    if args.notes:
        shown = statistics.median(r["notes_shown"] for r in warm)
        row("start → first notes shown (median)", shown, "s", one["populated"])
        row("N → notes list open (median)", statistics.median(r["list_open"] for r in warm), "s", None)
        row("N → every note listed (median)", statistics.median(r["list_full"] for r in warm), "s", None)
        row("a key in the list's filter (worst)", max(r["list_filter"] for r in warm), "s", None)
        row("quit while the list fills (worst)", max(r["quit_placing"] for r in warm), "s", one["quit"])
        for key, name, _, _ in CODING:
            opened, full = max(r[f"{name}_open"] for r in warm), [r[f"{name}_full"] for r in warm]
            row(f"{key} → {name} open (worst)", opened, "s", None)
            row(f"{key} → {name} filled (median)", statistics.median(full), "s", None)
            if len(full) > 1:
                print(f"    run by run: {', '.join(f'{value * 1000:.0f}' for value in full)} ms")
    row("quit (median)", statistics.median(r["quit"] for r in runs), "s", one["quit"])
    row("quit (worst)", max(r["quit"] for r in runs), "s", one["quit"])
    move_median = statistics.median(r["move_median"] for r in warm)
    row("section move (median of medians)", move_median, "s", one["move_median"])
    row("section move (worst)", max(r["move_worst"] for r in warm), "s", one["move_worst"])
    row("peak memory (worst)", max(r["peak_mb"] for r in runs), "MB", one["peak_mb"])
    if cold is not None:
        row("peak memory, warm runs (worst)", max(r["peak_mb"] for r in warm), "MB", one["peak_mb"])


if __name__ == "__main__":
    main()
