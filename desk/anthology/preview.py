"""The builder's live preview: the first pages of the book, rendered off the UI thread.

A worker (a :class:`~desk.tasks.Task` with its own archive connection) asks
``archive.export.preview`` for the start of the book as PDF bytes — consent and
redaction applied by the archive, nothing written to disk — loads them into QtPdf's
:class:`QPdfDocument` from a :class:`QBuffer` and renders the first pages as images.
The UI thread only shows the images.  Each request carries a generation: a result for
an older one is dropped, so a slow preview never replaces a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError
from archive.export import AnthologySpec, ExportCancelledError, Preview, preview

from ..session import Session
from ..tasks import Cancelled, Progress, Task
from .common import count_line, tr

MAX_PAGES = 5  # cover, contents, introduction, the first excerpts
MAX_EXCERPTS = 6
PAGE_WIDTH_PX = 460  # the narrowest page shown, in pixels
PAGE_MARGIN = 20  # around the pages, on the grey desk


@dataclass(frozen=True)
class PreviewResult:
    generation: int
    spec: AnthologySpec
    preview: Preview
    pages: list[QImage] = field(default_factory=list)
    page_count: int = 0  # pages in the preview PDF


def render_pages(pdf: bytes, width: int, max_pages: int = MAX_PAGES) -> tuple[list[QImage], int]:
    """The first pages of ``pdf`` (bytes in memory) with anything on them (a book's
    blank versos are skipped) as images ``width`` pixels wide."""
    if not pdf:
        return [], 0
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            raise ArchiveError(tr("The preview could not be read ({error}).").format(
                error=document.error().name
            ))  # fmt: skip
        images = []
        for page in range(document.pageCount()):
            if len(images) >= max_pages:
                break
            if not document.getAllText(page).text().strip():
                continue  # a blank page
            size = document.pagePointSize(page)
            height = round(width * size.height() / max(1.0, size.width()))
            image = document.render(page, QSize(width, height))
            if image.isNull():
                continue
            # PDFium leaves the page transparent where nothing is drawn: paper white.
            paper = QImage(image.size(), QImage.Format.Format_RGB32)
            paper.fill(QColor("white"))
            painter = QPainter(paper)
            painter.drawImage(0, 0, image)
            painter.end()
            images.append(paper)
        return images, document.pageCount()
    finally:
        document.close()
        buffer.close()


class PreviewRunner(QObject):
    """Runs previews on the thread pool, one at a time; reports only the newest one.

    A new request cancels the running preview (the archive checks between steps) and
    waits for it to stop, so two books are never typeset at once.
    """

    ready = Signal(object)  # PreviewResult
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._generation = 0
        self._running: tuple[Task, int] | None = None  # the task and its generation
        self._pending: tuple[AnthologySpec, int, int] | None = None  # spec, generation, width
        self.page_width = PAGE_WIDTH_PX  # in device pixels: times the screen's ratio
        session.locked.connect(self.invalidate)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """A preview for the newest request is on its way."""
        running = self._running is not None and self._running[1] == self._generation
        return running or self._pending is not None

    def invalidate(self) -> int:
        """Whatever was asked before is dropped (and the running preview cancelled)."""
        self._generation += 1
        self._pending = None
        if self._running is not None:
            self._running[0].cancel()
        self.busy_changed.emit(False)
        return self._generation

    def submit(self, spec: AnthologySpec) -> Task | None:
        """Preview ``spec``; the task, or None while an older one is still stopping."""
        generation = self.invalidate()
        if not self._session.is_open:
            return None
        self._pending = (spec, generation, self.page_width)
        self.busy_changed.emit(True)
        return self._start_pending()

    def _start_pending(self) -> Task | None:
        if self._running is not None or self._pending is None:
            return None
        (spec, generation, width), self._pending = self._pending, None
        session = self._session

        def work(_progress: Progress, cancelled: Cancelled) -> PreviewResult | None:
            if cancelled():
                return None
            with session.open_for_worker() as archive:
                made = preview(archive, spec, max_excerpts=MAX_EXCERPTS, cancelled=cancelled)
            if cancelled():
                return None
            pages, count = render_pages(made.pdf, width)
            return PreviewResult(generation, spec, made, pages, count)

        # Owned by this widget and deleted on the UI thread once it has reported.
        task = Task(work, self)
        task.finished.connect(task.deleteLater)
        self._running = (task, generation)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        return task.start()

    def _succeeded(self, result: PreviewResult | None) -> None:
        if result is not None and result.generation == self._generation:
            self.ready.emit(result)

    def _failed(self, message: str) -> None:
        if self._running is None or self._running[1] != self._generation:
            return
        if isinstance(self._running[0].error, ExportCancelledError):
            return
        self.failed.emit(message)

    def _finished(self) -> None:
        self._running = None
        if self._pending is not None and self._session.is_open:
            self._start_pending()
        else:
            self._pending = None
            self.busy_changed.emit(False)


class PreviewPane(QWidget):
    """The count line and the first pages, as paper on a grey desk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: PreviewResult | None = None
        self.count = QLabel(tr("Preview"))
        self.count.setWordWrap(True)
        self.count.setStyleSheet("font-weight: 600")
        self.status = QLabel()
        self.status.setStyleSheet("color: palette(dark)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("QLabel { color: #b3261e; padding: 2px 4px; }")
        self.error.hide()
        self.pages = QWidget()
        self.pages.setObjectName("pages")
        self.pages.setStyleSheet("#pages { background: #8a8f98; }")
        self._pages_layout = QVBoxLayout(self.pages)
        self._pages_layout.setContentsMargins(PAGE_MARGIN, 16, PAGE_MARGIN, 16)
        self._pages_layout.setSpacing(16)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: white; font-size: 11pt; padding: 30px")
        self._pages_layout.addWidget(self.empty)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.scroll, 1)
        self._page_labels: list[QLabel] = []
        self.set_busy(False)
        self._show_empty(tr("The first pages of the book appear here."))

    def set_busy(self, busy: bool) -> None:
        self.status.setText(tr("Updating the preview…") if busy else "")
        self.status.setVisible(busy)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def show_result(self, result: PreviewResult) -> None:
        self.result = result
        self.error.hide()
        made = result.preview
        self.count.setText(
            count_line(made.interviews, made.excerpts, made.excluded, result.spec.unit)
        )
        for label in self._page_labels:
            self._pages_layout.removeWidget(label)
            label.deleteLater()
        self._page_labels = []
        if not result.pages:
            self._show_empty(
                tr("Nothing to show: no selected excerpt may be published. Choose themes, "
                   "narrators, places or clips on the left.")
            )  # fmt: skip
            return
        self.empty.hide()
        for image in result.pages:
            pixmap = QPixmap.fromImage(image)  # rendered for the screen's pixel ratio
            pixmap.setDevicePixelRatio(max(1.0, self.devicePixelRatioF()))
            label = QLabel()
            label.setPixmap(pixmap)
            label.setStyleSheet("QLabel { border: 1px solid #5f646c; background: white; }")
            size = pixmap.deviceIndependentSize().toSize()
            label.setFixedSize(size.width() + 2, size.height() + 2)
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._page_labels.append(label)
        if result.page_count > len(result.pages):
            more = QLabel(tr("… and more pages in the book"))
            more.setStyleSheet("color: white")
            self._pages_layout.addWidget(more, 0, Qt.AlignmentFlag.AlignHCenter)
            self._page_labels.append(more)

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.show()

    def clear(self) -> None:
        self.result = None
        for label in self._page_labels:
            label.deleteLater()
        self._page_labels = []
        self.count.setText(tr("Preview"))
        self._show_empty(tr("The first pages of the book appear here."))
