"""The anthology builder: what goes in the book, how it is laid out, and a live
preview of its first pages.

Left, in tabs: the book (title, subtitle, editor, introduction); the selection —
themes (a checkable tree; sub-themes are included), narrators (pseudonyms only),
places, and hand-picked clips (:mod:`.clip_picker`); the layout (grouping, order,
translations, citation style, excerpts or whole interviews).  Right: the preview
(:mod:`.preview`), refreshed 400 ms after the last change, with the count line
"12 excerpts from 5 interviews · 3 left out by consent (closed 2, withdrawn 1)".

Save (Ctrl+S) stores the spec with ``archive.anthologies.save``; Export… (Ctrl+E)
opens the export dialog; the spec can be written to or read from a TOML file for the
command line (``load_spec`` / ``dump_spec``).  Selections are saved as keys and ids
(themes by key, narrators by id), never as real names.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError, ThemeNode
from archive.anthologies import SavedAnthology
from archive.export import AnthologySpec, Selection, dump_spec, load_spec
from archive.export.spec import CITATION_STYLES, GROUPINGS, ORDERS, UNITS

from ..session import Session
from ..themes.labels import labels_tooltip, ui_language
from ..transcript.fonts import transcript_font
from .clip_picker import ClipPicker
from .common import (
    CITATION_LABELS,
    GROUPING_LABELS,
    ORDER_LABELS,
    UNIT_LABELS,
    safe_file_name,
    tr,
)
from .preview import PAGE_MARGIN, PAGE_WIDTH_PX, PreviewPane, PreviewResult, PreviewRunner

DEBOUNCE_MS = 400
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


def _combo(values: Iterable[str], labels: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for value in values:
        box.addItem(tr(labels.get(value, value)), value)
    return box


def _set_combo(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def _checked(item: QListWidgetItem | QTreeWidgetItem) -> bool:
    state = item.checkState(0) if isinstance(item, QTreeWidgetItem) else item.checkState()
    return state == Qt.CheckState.Checked


class AnthologyBuilder(QDialog):
    saved = Signal(object)  # SavedAnthology
    export_requested = Signal(object)  # AnthologySpec

    def __init__(
        self,
        session: Session,
        anthology: SavedAnthology | None = None,
        *,
        spec: AnthologySpec | None = None,
        parent: QWidget | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.anthology_id = anthology.id if anthology else None
        self.language = language or ui_language()
        self._loading = False
        self._base = anthology.spec if anthology else AnthologySpec()  # fields not edited here
        self._clean: AnthologySpec | None = None  # spec() when last loaded or saved
        self._extra_narrators: tuple[str, ...] = ()  # refs from a TOML file that match no one
        self._extra_places: tuple[str, ...] = ()
        self._extra_themes: tuple[str, ...] = ()
        self.setWindowTitle(tr("Anthology"))
        self.resize(1240, 820)
        self.setSizeGripEnabled(True)

        self.runner = PreviewRunner(session, self)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_preview)

        # -- the book
        self.title = QLineEdit()
        self.subtitle = QLineEdit()
        self.editor = QLineEdit()
        self.editor.setPlaceholderText(tr("Who edited the book"))
        self.introduction = QPlainTextEdit()
        self.introduction.setPlaceholderText(tr("A few paragraphs that open the book"))
        for field in (self.title, self.subtitle, self.editor):
            field.setFont(transcript_font(self.font()))
            field.textEdited.connect(self._changed)
        self.introduction.setFont(transcript_font(self.font()))
        self.introduction.textChanged.connect(self._changed)
        book = QWidget()
        book_form = QFormLayout(book)
        book_form.addRow(tr("Title"), self.title)
        book_form.addRow(tr("Subtitle"), self.subtitle)
        book_form.addRow(tr("Editor"), self.editor)
        book_form.addRow(tr("Introduction"), self.introduction)

        # -- the selection
        self.themes = QTreeWidget()
        self.themes.setFont(transcript_font(self.font()))
        self.themes.setHeaderLabels([tr("Theme"), tr("Clips")])
        self.themes.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.themes.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.themes.header().setStretchLastSection(False)
        self.themes.itemChanged.connect(self._changed)
        themes_tab = self._with_hint(
            self.themes, tr("Excerpts tagged with any ticked theme (sub-themes included).")
        )
        self.narrators = QListWidget()
        self.narrators.setFont(transcript_font(self.font()))
        self.narrators.itemChanged.connect(self._changed)
        self.places = QListWidget()
        self.places.setFont(transcript_font(self.font()))
        self.places.itemChanged.connect(self._changed)
        people = QWidget()
        people_column = QVBoxLayout(people)
        people_column.addWidget(QLabel(tr("Narrators (by pseudonym)")))
        people_column.addWidget(self.narrators, 1)
        people_column.addWidget(QLabel(tr("Places")))
        people_column.addWidget(self.places, 1)
        hint = QLabel(
            tr("Kinds narrow each other (themes and narrators and places); ticks within a "
               "kind add up. Nothing ticked anywhere: the whole archive.")
        )  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark)")
        people_column.addWidget(hint)
        self.picker = ClipPicker(session)
        self.picker.changed.connect(self._changed)
        self.picker.reordered.connect(self._reordered)

        # -- the layout
        self.group_by = _combo(GROUPINGS, GROUPING_LABELS)
        self.order = _combo(ORDERS, ORDER_LABELS)
        self.translations = QCheckBox(tr("Include translations"))
        self.citation = _combo(CITATION_STYLES, CITATION_LABELS)
        self.unit = _combo(UNITS, UNIT_LABELS)
        for box in (self.group_by, self.order, self.citation, self.unit):
            box.currentIndexChanged.connect(self._changed)
        self.translations.toggled.connect(self._changed)
        layout_tab = QWidget()
        layout_form = QFormLayout(layout_tab)
        layout_form.addRow(tr("Group"), self.group_by)
        layout_form.addRow(tr("Order"), self.order)
        layout_form.addRow("", self.translations)
        layout_form.addRow(tr("Citations"), self.citation)
        layout_form.addRow(tr("Unit"), self.unit)

        self.tabs = QTabWidget()
        self.tabs.addTab(book, tr("Book"))
        self.tabs.addTab(themes_tab, tr("Themes"))
        self.tabs.addTab(people, tr("Narrators and places"))
        self.tabs.addTab(self.picker, tr("Clips"))
        self.tabs.addTab(layout_tab, tr("Layout"))

        # -- the preview
        self.preview = PreviewPane()
        self.runner.ready.connect(self._preview_ready)
        self.runner.failed.connect(self.preview.show_error)
        self.runner.busy_changed.connect(self.preview.set_busy)

        # -- buttons
        self.import_button = QPushButton(tr("Import TOML…"))
        self.import_button.setToolTip(tr("Read an anthology file written for the command line"))
        self.import_button.clicked.connect(lambda: self.import_toml())
        self.toml_button = QPushButton(tr("Save as TOML…"))
        self.toml_button.setToolTip(
            tr("Write this anthology as a file for `sidebyside export --spec`")
        )
        self.toml_button.clicked.connect(lambda: self.export_toml())
        self.export_button = QPushButton(tr("Export… (Ctrl+E)"))
        self.export_button.clicked.connect(self.request_export)
        self.save_button = QPushButton(tr("Save (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.clicked.connect(self.close)
        self.message = QLabel()
        self.message.setWordWrap(True)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.request_export)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh_preview)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 560])
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.toml_button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        session.locked.connect(self._on_locked)
        self.load_choices()
        self.set_spec(spec or (anthology.spec if anthology else AnthologySpec()))

    @staticmethod
    def _with_hint(widget: QWidget, text: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        hint = QLabel(text)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark)")
        column.addWidget(hint)
        column.addWidget(widget, 1)
        return page

    # -- the choices -------------------------------------------------------------------

    def load_choices(self) -> None:
        """Themes, narrators and places as the archive has them (quick reads)."""
        if not self._session.is_open:
            return
        archive = self._session.archive
        try:
            tree = archive.themes.tree()
            narrators = archive.narrators.list()
            places = archive.places.list()
            interviews = archive.interviews.list()
        except ArchiveError as exc:
            self._say(str(exc))
            return
        self._loading = True
        self.themes.clear()
        self._add_themes(self.themes.invisibleRootItem(), tree)
        self.themes.expandToDepth(0)
        self.narrators.clear()
        for narrator in sorted(narrators, key=lambda n: (n.pseudonym is None, n.pseudonym or "")):
            label = narrator.pseudonym or tr("Narrator without pseudonym ({id})").format(
                id=narrator.id[:6]
            )
            self._check_item(self.narrators, label, narrator.id)
        names: list[str] = []
        for place in places:
            if place.names:
                names.append(place.names[0].name)
        known = {n.casefold() for p in places for n in p.name_list}
        for interview in interviews:
            if interview.place and interview.place.casefold() not in known:
                known.add(interview.place.casefold())
                names.append(interview.place)
        for name in sorted(names, key=str.casefold):
            self._check_item(self.places, name, name)
        self._loading = False

    def _add_themes(self, parent: QTreeWidgetItem, nodes: Iterable[ThemeNode]) -> None:
        for node in nodes:
            theme = node.theme
            item = QTreeWidgetItem(parent, [theme.label(self.language), str(node.clip_count or "")])
            item.setData(0, VALUE_ROLE, theme.key or str(theme.id))
            item.setToolTip(0, labels_tooltip(theme))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self._add_themes(item, node.children)

    @staticmethod
    def _check_item(box: QListWidget, label: str, value: str) -> QListWidgetItem:
        item = QListWidgetItem(label)
        item.setData(VALUE_ROLE, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
        return item

    def _theme_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            for i in range(item.childCount()):
                child = item.child(i)
                out.append(child)
                walk(child)

        walk(self.themes.invisibleRootItem())
        return out

    @staticmethod
    def _list_items(box: QListWidget) -> list[QListWidgetItem]:
        return [box.item(i) for i in range(box.count())]

    # -- the spec ------------------------------------------------------------------------

    def spec(self) -> AnthologySpec:
        """The anthology as the dialog says now."""
        base = self._base
        themes = [i.data(0, VALUE_ROLE) for i in self._theme_items() if _checked(i)]
        narrators = [i.data(VALUE_ROLE) for i in self._list_items(self.narrators) if _checked(i)]
        places = [i.data(VALUE_ROLE) for i in self._list_items(self.places) if _checked(i)]
        return AnthologySpec(
            title=self.title.text().strip() or tr("Untitled anthology"),
            subtitle=self.subtitle.text().strip() or None,
            editor=self.editor.text().strip() or None,
            introduction=self.introduction.toPlainText().strip() or None,
            selection=Selection(
                themes=(*themes, *self._extra_themes),
                narrators=(*narrators, *self._extra_narrators),
                places=(*places, *self._extra_places),
                interviews=base.selection.interviews,
                clips=self.picker.clip_ids(),
            ),
            group_by=self.group_by.currentData(),
            order=self.order.currentData(),
            include_translations=self.translations.isChecked(),
            citation_style=self.citation.currentData(),
            unit=self.unit.currentData(),
            language=base.language,
            redaction_sound=base.redaction_sound,
            pause_seconds=base.pause_seconds,
        )

    def set_spec(self, spec: AnthologySpec) -> None:
        """Show ``spec`` (references that match nothing here are kept as they are)."""
        self._loading = True
        try:
            self.title.setText(spec.title)
            self.subtitle.setText(spec.subtitle or "")
            self.editor.setText(spec.editor or "")
            self.introduction.setPlainText(spec.introduction or "")
            self._extra_themes = self._tick_themes(spec.selection.themes)
            self._extra_narrators = self._tick_narrators(spec.selection.narrators)
            self._extra_places = self._tick(self.places, spec.selection.places)
            _set_combo(self.group_by, spec.group_by)
            _set_combo(self.order, spec.order)
            self.translations.setChecked(spec.include_translations)
            _set_combo(self.citation, spec.citation_style)
            _set_combo(self.unit, spec.unit)
            self.picker.set_clips(spec.selection.clips)
        finally:
            self._loading = False
        self._base = spec
        self._clean = self.spec()
        self._update_title()
        QTimer.singleShot(0, self, self.refresh_preview)  # once the dialog has its size

    def _tick_themes(self, refs: Iterable[str]) -> tuple[str, ...]:
        wanted = list(refs)
        archive = self._session.archive if self._session.is_open else None
        resolved: dict[str, str] = {}
        for ref in wanted:
            value = ref
            if archive is not None:
                try:
                    theme = archive.themes.resolve(ref)
                    value = theme.key or str(theme.id)
                except ArchiveError:
                    pass
            resolved[value] = ref
        found: set[str] = set()
        for item in self._theme_items():
            on = item.data(0, VALUE_ROLE) in resolved
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            if on:
                found.add(item.data(0, VALUE_ROLE))
                parent = item.parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
        return tuple(ref for value, ref in resolved.items() if value not in found)

    def _tick_narrators(self, refs: Iterable[str]) -> tuple[str, ...]:
        wanted = {r.casefold(): r for r in refs}
        matched: set[str] = set()
        archive = self._session.archive if self._session.is_open else None
        by_id = {n.id: n for n in archive.narrators.list()} if archive is not None else {}
        for item in self._list_items(self.narrators):
            narrator = by_id.get(item.data(VALUE_ROLE))
            keys = {item.data(VALUE_ROLE).casefold()}
            if narrator is not None:
                keys |= {(narrator.name or "").casefold(), (narrator.pseudonym or "").casefold()}
            hit = keys & set(wanted)
            item.setCheckState(Qt.CheckState.Checked if hit else Qt.CheckState.Unchecked)
            matched |= hit
        return tuple(ref for key, ref in wanted.items() if key not in matched)

    def _tick(self, box: QListWidget, refs: Iterable[str]) -> tuple[str, ...]:
        wanted = {r.casefold(): r for r in refs}
        matched = set()
        for item in self._list_items(box):
            key = str(item.data(VALUE_ROLE)).casefold()
            on = key in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            if on:
                matched.add(key)
        return tuple(ref for key, ref in wanted.items() if key not in matched)

    # -- changes and the preview -----------------------------------------------------------

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        self._update_title()
        self._debounce.start()

    def _reordered(self) -> None:
        if self.order.currentData() != "manual":
            _set_combo(self.order, "manual")  # dragging clips means: this order
            self._say(tr("Order set to the hand-picked order."), error=False)

    def dirty(self) -> bool:
        """Changed since it was opened or saved."""
        return self._clean is None or self.spec() != self._clean

    def _update_title(self) -> None:
        name = self.title.text().strip() or tr("Untitled anthology")
        mark = " •" if self.anthology_id is None or self.dirty() else ""
        self.setWindowTitle(tr("Anthology: {name}").format(name=name) + mark)

    def refresh_preview(self) -> None:
        self._debounce.stop()
        if not self._session.is_open:
            return
        # Pages as wide as the preview is (in device pixels), within reason.
        scroll = self.preview.scroll
        bar = scroll.verticalScrollBar().sizeHint().width()
        width = scroll.width() - 2 * PAGE_MARGIN - bar - 2 * scroll.frameWidth() - 6
        ratio = max(1.0, self.devicePixelRatioF())
        self.runner.page_width = round(min(900, max(PAGE_WIDTH_PX, width)) * ratio)
        self.runner.submit(self.spec())

    def _preview_ready(self, result: PreviewResult) -> None:
        self.preview.show_result(result)

    @property
    def preview_result(self) -> PreviewResult | None:
        return self.preview.result

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> SavedAnthology | None:
        if not self._session.is_open:
            return None
        spec = self.spec()
        try:
            saved = self._session.archive.anthologies.save(spec, self.anthology_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self.anthology_id = saved.id
        self._clean = spec
        self._update_title()
        self._say(tr("Saved."), error=False)
        self.saved.emit(saved)
        return saved

    def request_export(self) -> None:
        self.export_requested.emit(self.spec())

    def export_toml(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                tr("Save the anthology as TOML"),
                safe_file_name(self.spec().title, ".toml"),
                tr("Anthology files (*.toml)"),
            )
            if not path:
                return False
        try:
            with open(path, "w", encoding="utf-8") as out:
                out.write(dump_spec(self.spec()))
        except OSError as exc:
            self._say(tr("Could not write {path}: {error}").format(path=path, error=exc.strerror))
            return False
        self._say(tr("Written to {path}.").format(path=path), error=False)
        return True

    def import_toml(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Read an anthology file"), "", tr("Anthology files (*.toml)")
            )
            if not path:
                return False
        try:
            spec = load_spec(path)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self.set_spec_keep_saved(spec)
        self._say(tr("Read from {path}. Save to keep it.").format(path=path), error=False)
        return True

    def set_spec_keep_saved(self, spec: AnthologySpec) -> None:
        """Show ``spec`` as an unsaved change (an imported file)."""
        clean = self._clean
        self.set_spec(spec)
        self._clean = clean
        self._update_title()

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._session.is_open and self.dirty():
            answer = QMessageBox.question(
                self,
                tr("Unsaved changes"),
                tr("Save the changes to this anthology?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save and self.save() is None:
                event.ignore()
                return
        self.runner.invalidate()
        super().closeEvent(event)

    def reject(self) -> None:
        self.close()

    def _on_locked(self) -> None:
        self.runner.invalidate()
        self.preview.clear()
        self.done(QDialog.DialogCode.Rejected)

    def _say(self, message: str | None, *, error: bool = True) -> None:
        self.message.setText(message or "")
        self.message.setStyleSheet("color: #b3261e" if error else "color: palette(dark)")
