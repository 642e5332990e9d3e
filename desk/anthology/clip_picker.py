"""Hand-picking clips for an anthology: search, add, remove, reorder by drag.

The search is ``archive.export.picker.search_for_export``: only hits that consent lets
out are listed (the others are only counted), and snippets are cut from the redacted
text — the picker shows what the book would.  It runs in a Task on a worker
connection when typing pauses (250 ms); an older search's hits are dropped.

"Add" takes a clip hit as it is; a transcript hit becomes a new clip of that passage
(through ``archive.clips.create``, without themes), so that it can be cited and
ordered.  The picked clips are shown as the export would show them (credit, times,
title), resolved by the archive's export corpus on a worker.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, ArchiveError, NotFoundError
from archive.consent import Purpose
from archive.export import AnthologySpec, Selection, build_corpus, excluded_summary
from archive.export.picker import ExportHit, ExportHits, search_for_export

from ..player.timefmt import format_clock
from ..search.results import HTML_ROLE, HitDelegate
from ..search.snippets import plain_snippet, snippet_html
from ..session import Session
from ..tasks import Cancelled, Progress, Task
from ..transcript.fonts import transcript_font
from ..ui.keys import on_delete_key
from .common import tr

HIT_ROLE = Qt.ItemDataRole.UserRole + 10
CLIP_ROLE = Qt.ItemDataRole.UserRole + 11
DEBOUNCE_MS = 250
LIMIT = 50


@dataclass(frozen=True)
class ClipLabel:
    clip_id: int
    html: str
    text: str


def _times(start: float, end: float) -> str:
    return f"{format_clock(start)}–{format_clock(end)}"


def _label_html(
    credit: str, start: float, end: float, body_html: str, meta: str | None = None
) -> str:
    meta = html.escape(meta or _times(start, end))
    return (
        f"<div><b>{html.escape(credit)}</b>&nbsp;&nbsp;<span class='meta'>{meta}</span></div>"
        f"<div style='margin-top: 3px'>{body_html}</div>"
    )


def describe_clips(archive: Archive, clip_ids: Sequence[int]) -> dict[int, ClipLabel]:
    """How each clip would appear in a publication (credit, times, redacted title or
    first words), or why it would not — from the archive's export corpus."""
    labels: dict[int, ClipLabel] = {}
    existing = []
    for clip_id in clip_ids:
        try:
            clip = archive.clips.get(clip_id)
        except NotFoundError:
            text = tr("Clip {id} no longer exists").format(id=clip_id)
            labels[clip_id] = ClipLabel(clip_id, f"<i>{html.escape(text)}</i>", text)
            continue
        if clip.kind == "clip":
            existing.append(clip_id)
        else:
            text = tr("Clip {id} is a marker, not an excerpt").format(id=clip_id)
            labels[clip_id] = ClipLabel(clip_id, f"<i>{html.escape(text)}</i>", text)
    if existing:
        spec = AnthologySpec(selection=Selection(clips=tuple(existing)))
        corpus = build_corpus(archive, spec, Purpose.PUBLICATION)
        for excerpt in corpus.excerpts:
            if excerpt.clip_id is None:
                continue
            words = excerpt.title or " ".join(line.text for line in excerpt.lines)[:140]
            labels[excerpt.clip_id] = ClipLabel(
                excerpt.clip_id,
                _label_html(excerpt.credit, excerpt.start, excerpt.end, html.escape(words)),
                f"{excerpt.credit} {_times(excerpt.start, excerpt.end)} {words}",
            )
        for clip_id in existing:
            if clip_id not in labels:
                text = tr("Clip {id}: left out by consent").format(id=clip_id)
                labels[clip_id] = ClipLabel(clip_id, f"<i>{html.escape(text)}</i>", text)
    return labels


class ClipPicker(QWidget):
    changed = Signal()  # clips added, removed or reordered
    reordered = Signal()  # by drag: the order is the editor's now

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._generation = 0
        self._labels: dict[int, ClipLabel] = {}
        self.last_hits: ExportHits | None = None

        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.query = QLineEdit()
        self.query.setFont(transcript_font(self.font()))
        self.query.setPlaceholderText(tr("Search for passages to add…"))
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self.search_now)
        self.hidden = QLabel()
        self.hidden.setWordWrap(True)
        self.hidden.setStyleSheet("color: palette(dark)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()

        self.hits = QListWidget()
        self.hits.setFont(transcript_font(self.font()))
        self.hits.setWordWrap(True)
        self.hits.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.hits.setItemDelegate(HitDelegate(self.hits))
        self.hits.setAlternatingRowColors(True)
        self.hits.itemDoubleClicked.connect(lambda _item: self.add_current())
        self.hits.itemActivated.connect(lambda _item: self.add_current())
        self.add_button = QPushButton(tr("Add ↓"))
        self.add_button.setToolTip(
            tr("Add the passage (Enter). A transcript passage becomes a clip.")
        )
        self.add_button.clicked.connect(lambda: self.add_current())

        self.picked = QListWidget()
        self.picked.setFont(transcript_font(self.font()))
        self.picked.setWordWrap(True)
        self.picked.setItemDelegate(HitDelegate(self.picked))
        self.picked.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.picked.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.picked.setAlternatingRowColors(True)
        self.picked.model().rowsMoved.connect(self._moved)
        on_delete_key(self.picked, self.remove_current)
        self.remove_button = QPushButton(tr("Remove"))
        self.remove_button.clicked.connect(self.remove_current)
        self.picked_heading = QLabel()
        self.picked_heading.setStyleSheet("font-weight: 600")

        add_row = QHBoxLayout()
        add_row.addWidget(self.hidden, 1)
        add_row.addWidget(self.add_button)
        picked_row = QHBoxLayout()
        picked_row.addWidget(self.picked_heading, 1)
        picked_row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.error)
        layout.addWidget(self.hits, 3)
        layout.addLayout(add_row)
        layout.addLayout(picked_row)
        layout.addWidget(self.picked, 2)
        self._update()

    # -- the picked clips ------------------------------------------------------------

    def clip_ids(self) -> tuple[int, ...]:
        return tuple(self.picked.item(i).data(CLIP_ROLE) for i in range(self.picked.count()))

    def set_clips(self, clip_ids: Sequence[int]) -> Task | None:
        """Show these clips (labels resolved on a worker)."""
        self.picked.clear()
        for clip_id in clip_ids:
            self._append(clip_id)
        self._update()
        missing = [c for c in clip_ids if c not in self._labels]
        return self._describe(missing) if missing else None

    def _append(self, clip_id: int) -> None:
        item = QListWidgetItem()
        item.setData(CLIP_ROLE, clip_id)
        self._label_item(item)
        self.picked.addItem(item)

    def _label_item(self, item: QListWidgetItem) -> None:
        clip_id = item.data(CLIP_ROLE)
        label = self._labels.get(clip_id)
        if label is None:
            text = tr("Clip {id}…").format(id=clip_id)
            item.setData(HTML_ROLE, f"<i>{html.escape(text)}</i>")
            item.setText(text)
        else:
            item.setData(HTML_ROLE, label.html)
            item.setText(label.text)
            item.setToolTip(label.text)

    def _describe(self, clip_ids: list[int]) -> Task:
        session = self._session

        def work(_progress: Progress, _cancelled: Cancelled) -> dict[int, ClipLabel]:
            with session.open_for_worker() as archive:
                return describe_clips(archive, clip_ids)

        # Owned by this widget and deleted on the UI thread once it has reported.
        task = Task(work, self)
        task.finished.connect(task.deleteLater)
        task.succeeded.connect(self._described)
        task.failed.connect(self._show_error)
        return task.start()

    def _described(self, labels: dict[int, ClipLabel]) -> None:
        self._labels.update(labels)
        for i in range(self.picked.count()):
            self._label_item(self.picked.item(i))

    def add_clip(self, clip_id: int, label: ClipLabel | None = None) -> bool:
        if clip_id in self.clip_ids():
            self._show_error(tr("That clip is already in the anthology."))
            return False
        if label is not None:
            self._labels[clip_id] = label
        self._append(clip_id)
        self.picked.setCurrentRow(self.picked.count() - 1)
        if label is None:
            self._describe([clip_id])
        self._update()
        self.changed.emit()
        return True

    def remove_current(self) -> None:
        row = self.picked.currentRow()
        if row < 0:
            return
        self.picked.takeItem(row)
        self._update()
        self.changed.emit()

    def move(self, row: int, to: int) -> None:
        """Move a picked clip (what a drag does)."""
        item = self.picked.takeItem(row)
        self.picked.insertItem(to, item)
        self._moved()

    def _moved(self, *_: object) -> None:
        self.reordered.emit()
        self.changed.emit()

    # -- searching ---------------------------------------------------------------------

    def search_now(self) -> Task | None:
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        text = self.query.text().strip()
        self.error.hide()
        if not text or not self._session.is_open:
            self.hits.clear()
            self.last_hits = None
            self._update()
            return None
        session = self._session

        def work(_progress: Progress, cancelled: Cancelled) -> tuple[int, ExportHits] | None:
            if cancelled():
                return None
            with session.open_for_worker() as archive:
                return generation, search_for_export(archive, text, limit=LIMIT)

        # Owned by this widget and deleted on the UI thread once it has reported.
        task = Task(work, self)
        task.finished.connect(task.deleteLater)
        task.succeeded.connect(self._found)
        task.failed.connect(lambda message: self._search_failed(generation, message))
        self.hidden.setText(tr("Searching…"))
        return task.start()

    def _found(self, result: tuple[int, ExportHits] | None) -> None:
        if result is None or result[0] != self._generation:
            return
        found = result[1]
        self.last_hits = found
        self.hits.clear()
        for hit in found.hits:
            item = QListWidgetItem(f"{hit.credit} {plain_snippet(hit.snippet)}")
            item.setData(HIT_ROLE, hit)
            meta = None
            if hit.kind == "interview":  # a title or summary: not a passage to add
                meta = tr("the interview's title or summary — search for words said in it")
            item.setData(
                HTML_ROLE,
                _label_html(hit.credit, hit.start, hit.end, snippet_html(hit.snippet), meta),
            )
            item.setToolTip(plain_snippet(hit.snippet))
            self.hits.addItem(item)
        if found.hits:
            self.hits.setCurrentRow(0)
        self._update()

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._show_error(message)
            self.hidden.clear()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def snippets(self) -> list[str]:
        """The snippets listed now (plain), as shown."""
        return [
            plain_snippet(self.hits.item(i).data(HIT_ROLE).snippet)
            for i in range(self.hits.count())
        ]

    def add_current(self) -> bool:
        item = self.hits.currentItem()
        if item is None:
            return False
        return self.add_hit(item.data(HIT_ROLE))

    def add_hit(self, hit: ExportHit) -> bool:
        """Add a hit: its clip, or a new clip of the passage (kind "clip", no themes)."""
        self.error.hide()
        label = ClipLabel(
            0,
            _label_html(hit.credit, hit.start, hit.end, snippet_html(hit.snippet)),
            f"{hit.credit} {_times(hit.start, hit.end)} {plain_snippet(hit.snippet)}",
        )
        try:
            archive = self._session.archive
            clip_id = hit.clip_id
            if clip_id is not None and archive.clips.get(clip_id).kind != "clip":
                clip_id = None
            if clip_id is None:
                if hit.kind == "interview" or hit.end <= hit.start:
                    self._show_error(
                        tr("This hit is the interview itself (its title or summary): "
                           "search for words said in it to pick a passage.")
                    )  # fmt: skip
                    return False
                same = [
                    c
                    for c in archive.clips.for_interview(hit.interview_id, kind="clip")
                    if abs(c.start - hit.start) < 0.01 and abs(c.end - hit.end) < 0.01
                ]
                clip_id = (
                    same[0].id
                    if same
                    else archive.clips.create(hit.interview_id, hit.start, hit.end).id
                )
        except ArchiveError as exc:
            self._show_error(str(exc))
            return False
        return self.add_clip(clip_id, ClipLabel(clip_id, label.html, label.text))

    # -- state -------------------------------------------------------------------------

    def _update(self) -> None:
        n = self.picked.count()
        self.picked_heading.setText(
            tr("Hand-picked: {n} (drag to reorder)").format(n=n) if n else tr("Hand-picked: none")
        )
        self.remove_button.setEnabled(n > 0)
        self.add_button.setEnabled(self.hits.count() > 0)
        found = self.last_hits
        if found is None:
            self.hidden.setText(
                tr("Only passages that may be published are listed, already redacted.")
            )
        else:
            shown = tr("{n} found").format(n=len(found.hits))
            if found.hidden:
                shown += " · " + excluded_summary(found.hidden)
            self.hidden.setText(shown)
