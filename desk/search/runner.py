"""Searches off the UI thread, and only the newest one's results shown.

Each search is a :class:`~desk.tasks.Task` that opens its own connection with
:meth:`Session.open_for_worker` (a few milliseconds: the key is passed, not derived),
asks the archive for one page of hits (plus one, to know whether there are more) and
the titles of their interviews, and closes the connection.  Archive objects are never
shared between threads.

Every request carries a *generation*: typing a new query or changing a filter starts
a new one, and a page that comes back for an older generation is dropped (so a slow
search can never overwrite a faster, newer one).  Locking the archive starts a new
generation too, so nothing found before the lock reaches the screen after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from archive import Archive, ArchiveError, SearchFilters, SearchHit

from ..session import Session
from ..tasks import Cancelled, Progress, Task

PAGE_SIZE = 50


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters = field(default_factory=SearchFilters)
    offset: int = 0
    limit: int = PAGE_SIZE
    generation: int = 0


@dataclass(frozen=True)
class SearchPage:
    request: SearchRequest
    hits: tuple[SearchHit, ...]
    titles: dict[str, str]  # interview id -> title ("" when it has none)
    more: bool  # there are hits after this page


@dataclass(frozen=True)
class SearchFailure:
    request: SearchRequest
    message: str  # a plain sentence from the archive (bad query, unknown filter value)


def run_search(archive: Archive, request: SearchRequest) -> SearchPage:
    """One page of hits for ``request`` (any thread, with that thread's archive)."""
    hits = archive.search(
        request.query, request.filters, limit=request.limit + 1, offset=request.offset
    )
    titles: dict[str, str] = {}
    for hit in hits[: request.limit]:
        if hit.interview_id not in titles:
            titles[hit.interview_id] = archive.interviews.get(hit.interview_id).title or ""
    return SearchPage(request, tuple(hits[: request.limit]), titles, len(hits) > request.limit)


class SearchRunner(QObject):
    """Runs :class:`SearchRequest` s on the thread pool; reports the current ones only."""

    finished = Signal(object)  # SearchPage
    failed = Signal(object)  # SearchFailure

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._generation = 0
        self._tasks: dict[Task, SearchRequest] = {}
        session.locked.connect(self.invalidate)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def running(self) -> int:
        """Searches started and not yet reported (current or stale)."""
        return len(self._tasks)

    def invalidate(self) -> int:
        """Start a new generation: whatever is running now will be dropped."""
        self._generation += 1
        for task in self._tasks:
            task.cancel()
        return self._generation

    def submit(self, request: SearchRequest) -> Task:
        session = self._session

        def work(_progress: Progress, cancelled: Cancelled) -> SearchPage | SearchFailure | None:
            if cancelled():
                return None  # a newer search came before this one left the queue
            try:
                with session.open_for_worker() as archive:
                    return run_search(archive, request)
            except ArchiveError as exc:
                return SearchFailure(request, str(exc))

        task = Task(work)
        self._tasks[task] = request
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        return task.start()

    def _current(self, request: SearchRequest) -> bool:
        return request.generation == self._generation

    def _succeeded(self, result: SearchPage | SearchFailure | None) -> None:
        if result is None or not self._current(result.request):
            return
        if isinstance(result, SearchFailure):
            self.failed.emit(result)
        else:
            self.finished.emit(result)

    def _failed(self, message: str) -> None:
        request = self._tasks.get(self.sender())  # type: ignore[call-overload]
        if request is not None and self._current(request):
            self.failed.emit(SearchFailure(request, message))

    def _finished(self) -> None:
        self._tasks.pop(self.sender(), None)  # type: ignore[call-overload]
