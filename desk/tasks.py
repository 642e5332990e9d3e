"""Long work off the UI thread, reporting back through signals (as Picard and Anki do).

``Task(fn)``; connect its signals; ``task.start()`` runs ``fn(progress, cancelled)``
on Qt's global thread pool (connect first: a fast task may finish at once).
``progress(fraction)`` may be called from the worker as often as it likes (it is
throttled to what the eye can see); ``cancelled()`` tells the worker the user asked
to stop.  Results and errors arrive on the UI thread as signals of the returned
:class:`Task`.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class Task(QObject):
    """Handle on a running piece of work; its signals are delivered on the UI thread."""

    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()  # after succeeded or failed, always

    def __init__(
        self, fn: Callable[[Progress, Cancelled], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel_requested = False
        self.done = False
        self.error: BaseException | None = None

    def start(self, pool: QThreadPool | None = None) -> Task:
        (pool or QThreadPool.globalInstance()).start(_Runnable(self, self._fn))
        return self

    def cancel(self) -> None:
        self._cancel_requested = True

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_requested


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[Progress, Cancelled], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn
        self._last = 0.0

    def _progress(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self._last >= 0.05 or fraction >= 1.0:  # ~20 updates a second at most
            self._last = now
            self._task.progressed.emit(float(fraction))

    def run(self) -> None:
        task = self._task
        try:
            result = self._fn(self._progress, lambda: task.cancel_requested)
        except Exception as exc:  # shown to the user as a plain message
            message = str(exc) or type(exc).__name__
            expected = getattr(exc, "__module__", "").startswith(("archive", "transcription"))
            if not expected or os.environ.get("SIDEBYSIDE_DEBUG"):
                traceback.print_exc()
            task.done = True
            task.error = exc
            task.failed.emit(message)
        else:
            task.done = True
            task.succeeded.emit(result)
        task.finished.emit()
