"""A screen mixin: a background worker that fails tells the user in one line instead of vanishing.

The screens' workers run with ``exit_on_error=False`` (a bad file or a broken cache must not end the
reader), so without this their exceptions would go nowhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerCancelled, WorkerState

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


def failure_line(worker: Worker[object]) -> str | None:
    """What to tell the user about a worker that ended in an error (None if it did not, or was
    cancelled on purpose)."""
    error = worker.error
    if worker.state is not WorkerState.ERROR or error is None or isinstance(error, WorkerCancelled):
        return None
    what = worker.description or worker.name or "background work"
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{what} failed: {type(error).__name__}" + (f": {first}" if first else "")


class WorkerErrors(_Base):
    """Report failed workers of this screen as an error toast."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen changed state: say so if it failed."""
        line = failure_line(event.worker)
        if line is not None:
            self.notify(line, title="出错 error", severity="error", timeout=15, markup=False)
