"""Consent in the interview view: what the narrator allowed, and what that means.

The panel edits the interview's consent (level, publication, the name shown, the
pseudonym, an embargo), records a withdrawal (with a note, shown in red) or takes it
back, attaches the signed release form (encrypted into the vault, on a worker
thread) and points at the clip where the narrator gives consent on tape.  Changes are
staged in the form and written with **Save** through ``archive.consent.set``.

Above the form, one plain sentence says what the consent allows ("May be published
under the pseudonym ‘A. P.’", "Closed: will not appear in any export").  It is
computed by ``archive.consent.decide`` for both purposes — the panel never decides
anything itself.  No consent recorded means closed, and the panel says so.

A clip may override the interview's level, publication and name display:
:class:`ClipConsentDialog` (from the clips list's context menu).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, ArchiveError, Clip, Narrator
from archive.consent import (
    LEVELS,
    ClipConsent,
    Consent,
    Permission,
    Purpose,
    decide,
    embargo_end,
)
from archive.util import InvalidInputError, check_date

from ..player.player import PlayerWidget
from ..tasks import Cancelled, Progress, Task
from ..themes.playlist import PlayRange, RangePlaylist
from ..themes.timecodes import format_range

RED = "#b3261e"
BAD_DATE = "The embargo date is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."
# Banner colours by what consent allows: ground, border, text.
TONES = {
    "published": ("#e8f5e9", "#2e7d32", "#1b5e20"),
    "limited": ("#fff8e1", "#b7791f", "#6d4c00"),
    "closed": ("#eceff1", "#546e7a", "#263238"),
    "withdrawn": ("#fdecea", RED, RED),
}
LEVEL_HELP = {
    "open": "Open: may be used, as the narrator allowed",
    "restricted": "Restricted: may go to a partner archive, never published",
    "closed": "Closed: stays in this archive, in no export",
}
CLIP_KIND_LABELS = {"clip": "clip", "marker": "marker", "verbal_consent": "verbal consent"}


# -- the one-line summary ----------------------------------------------------------


def consent_summary(
    consent: Consent, narrator: Narrator | None, *, clip: ClipConsent | None = None
) -> tuple[str, str]:
    """(sentence, tone) of what ``consent`` allows, from :func:`decide` for both
    purposes.  Tones: published, limited, closed, withdrawn (see :data:`TONES`)."""
    publication = decide(consent, Purpose.PUBLICATION, narrator=narrator, clip=clip)
    deposit = decide(consent, Purpose.DEPOSIT, narrator=narrator, clip=clip)
    if publication.allowed:
        return _published(publication, consent, narrator), "published"
    reason = publication.reason
    if reason == "withdrawn":
        return (
            f"Withdrawn on {consent.withdrawn_on}: nothing of this interview will appear "
            "in any export.",
            "withdrawn",
        )
    if reason == "embargoed":
        return (
            f"Embargoed until {consent.embargo_until} (through "
            f"{embargo_end(consent.embargo_until or '')}): it will appear in no export "
            "before then.",
            "closed",
        )
    if deposit.allowed:
        if reason == "restricted":
            return (
                "Restricted: may go to a partner archive (deposit), never into a publication.",
                "limited",
            )
        return (
            "Open, but publication is not allowed: may only go to a partner archive (deposit).",
            "limited",
        )
    if not consent.recorded and clip is None:
        return (
            "No consent recorded — closed by default: will not appear in any export.",
            "closed",
        )
    return "Closed: will not appear in any export.", "closed"


def _published(permission: Permission, consent: Consent, narrator: Narrator | None) -> str:
    if permission.real_name_shown:
        return f"May be published under the narrator's real name, ‘{permission.credit}’."
    if consent.pseudonym or (narrator is not None and narrator.pseudonym):
        return f"May be published under the pseudonym ‘{permission.credit}’."
    return f"May be published as ‘{permission.credit}’ (no pseudonym given)."


def banner_style(tone: str) -> str:
    ground, border, text = TONES[tone]
    return (
        f"QLabel {{ background: {ground}; color: {text}; border-left: 4px solid {border};"
        " border-radius: 4px; padding: 6px 8px; }"
    )


def valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD that is a real date (or empty): the archive's rule."""
    try:
        check_date(text)
    except InvalidInputError:
        return False
    return True


# -- the panel -------------------------------------------------------------------------


class ConsentPanel(QWidget):
    changed = Signal()  # consent saved, withdrawn, reinstated, or a form attached
    summary_changed = Signal(str, str)  # sentence, tone (of what is saved)

    def __init__(
        self,
        archive: Archive,
        interview_id: str,
        player: PlayerWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._archive = archive
        self.interview_id = interview_id
        self._player = player
        self._playlist = RangePlaylist(player, self) if player is not None else None
        self._saved = Consent(interview_id)
        self._narrator: Narrator | None = None
        self._clips: dict[int, Clip] = {}
        self._loading = False
        self._attach_task: Task | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.withdrawn_box = QLabel()
        self.withdrawn_box.setWordWrap(True)
        self.withdrawn_box.setStyleSheet(
            f"QLabel {{ color: {RED}; font-weight: 600; border: 2px solid {RED};"
            " border-radius: 4px; padding: 6px 8px; background: #fdecea; }"
        )

        self.level_buttons: dict[str, QRadioButton] = {}
        self.level_group = QButtonGroup(self)
        level_row = QHBoxLayout()
        for level in LEVELS:
            button = QRadioButton(self.tr(level.capitalize()))
            button.setToolTip(self.tr(LEVEL_HELP[level]))
            self.level_group.addButton(button)
            self.level_buttons[level] = button
            level_row.addWidget(button)
            button.toggled.connect(self._edited)
        level_row.addStretch(1)
        self.publish = QCheckBox(self.tr("The narrator allows publication"))
        self.publish.toggled.connect(self._edited)
        self.real_name = QRadioButton(self.tr("Real name"))
        self.pseudonym_shown = QRadioButton(self.tr("Pseudonym"))
        self.name_group = QButtonGroup(self)
        name_row = QHBoxLayout()
        for button in (self.pseudonym_shown, self.real_name):
            self.name_group.addButton(button)
            name_row.addWidget(button)
            button.toggled.connect(self._edited)
        name_row.addStretch(1)
        self.pseudonym = QLineEdit()
        self.pseudonym.textEdited.connect(self._edited)
        self.embargo = QLineEdit()
        self.embargo.setPlaceholderText(self.tr("None, or YYYY, YYYY-MM, YYYY-MM-DD"))
        self.embargo.setToolTip(
            self.tr(
                "Nothing goes out until this date has passed; 2030 lasts through "
                "31 December 2030. Empty: no embargo."
            )
        )
        self.embargo.textEdited.connect(self._edited)

        self.release_label = QLabel()
        self.release_label.setWordWrap(True)
        self.attach_button = QPushButton(self.tr("Attach signed form…"))
        self.attach_button.clicked.connect(lambda: self.choose_release_form())
        self.clip_box = QComboBox()
        self.clip_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.clip_box.setMinimumContentsLength(12)
        self.clip_box.currentIndexChanged.connect(self._edited)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Play the clip where the narrator gives consent"))
        self.play_button.clicked.connect(self.play_consent_clip)
        self.play_button.setEnabled(player is not None)

        self.withdraw_button = QPushButton(self.tr("Withdraw…"))
        self.withdraw_button.setToolTip(
            self.tr("The narrator withdrew: nothing of this interview goes out any more")
        )
        self.withdraw_button.clicked.connect(lambda: self.withdraw())
        self.reinstate_button = QPushButton(self.tr("Reinstate"))
        self.reinstate_button.setToolTip(self.tr("Take back a withdrawal recorded by mistake"))
        self.reinstate_button.clicked.connect(lambda: self.reinstate())
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self.load)
        self.save_button = QPushButton(self.tr("Save consent"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Level"), level_row)
        form.addRow("", self.publish)
        form.addRow(self.tr("Name shown"), name_row)
        form.addRow(self.tr("Pseudonym"), self.pseudonym)
        form.addRow(self.tr("Embargo until"), self.embargo)
        release_row = QHBoxLayout()
        release_row.addWidget(self.release_label, 1)
        release_row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("Release form"), release_row)
        clip_row = QHBoxLayout()
        clip_row.addWidget(self.clip_box, 1)
        clip_row.addWidget(self.play_button)
        form.addRow(self.tr("Said on tape"), clip_row)

        buttons = QHBoxLayout()
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.reinstate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.withdrawn_box)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.load()

    # -- reading -------------------------------------------------------------------

    @property
    def saved_consent(self) -> Consent:
        return self._saved

    def load(self) -> None:
        """Show the consent as the archive has it (dropping what was not saved)."""
        try:
            consent = self._archive.consent.get(self.interview_id)
            interview = self._archive.interviews.get(self.interview_id)
            self._narrator = (
                self._archive.narrators.get(interview.narrator_id)
                if interview.narrator_id
                else None
            )
            clips = self._archive.clips.for_interview(self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return
        self._saved = consent
        self._clips = {c.id: c for c in clips}
        self._loading = True
        try:
            self.level_buttons[consent.level].setChecked(True)
            self.publish.setChecked(consent.publish)
            (self.real_name if consent.name_display == "real" else self.pseudonym_shown).setChecked(
                True
            )
            self.pseudonym.setText(consent.pseudonym or "")
            narrator_pseudonym = self._narrator.pseudonym if self._narrator else None
            self.pseudonym.setPlaceholderText(
                self.tr("As the narrator's: {p}").format(p=narrator_pseudonym)
                if narrator_pseudonym
                else self.tr("e.g. A. P.")
            )
            self.embargo.setText(consent.embargo_until or "")
            self._fill_clips(consent.release_clip_id)
        finally:
            self._loading = False
        self._show_release()
        self._say(None)
        self._refresh()
        self.summary_changed.emit(*consent_summary(consent, self._narrator))

    def reload_clips(self) -> None:
        """The interview's clips changed (tagging): refresh the list, keep the choice."""
        try:
            self._clips = {c.id: c for c in self._archive.clips.for_interview(self.interview_id)}
        except ArchiveError:
            return
        was = self._loading
        self._loading = True
        self._fill_clips(self.clip_box.currentData())
        self._loading = was
        self._refresh()

    def _fill_clips(self, chosen: int | None) -> None:
        self.clip_box.clear()
        self.clip_box.addItem(self.tr("No clip chosen"), None)
        # Clips marked as verbal consent first, then the others in time order.
        ordered = sorted(self._clips.values(), key=lambda c: (c.kind != "verbal_consent", c.start))
        for clip in ordered:
            words = clip.title or clip.note or ""
            kind = self.tr(CLIP_KIND_LABELS.get(clip.kind, clip.kind))
            label = f"{format_range(clip.start, clip.end)} · {kind}"
            self.clip_box.addItem(f"{label} · {words}" if words else label, clip.id)
        index = self.clip_box.findData(chosen) if chosen is not None else 0
        self.clip_box.setCurrentIndex(max(0, index))

    def _show_release(self) -> None:
        media_id = self._saved.release_media_id
        if media_id is None:
            self.release_label.setText(self.tr("None attached"))
            self.release_label.setStyleSheet("color: palette(dark)")
            return
        try:
            media = self._archive.media.get(media_id)
        except ArchiveError as exc:
            self.release_label.setText(str(exc))
            return
        size_kb = max(1, round((media.size or 0) / 1024))
        self.release_label.setText(
            self.tr("{name} ({size} KB), encrypted in the archive").format(
                name=media.filename or media_id, size=size_kb
            )
        )
        self.release_label.setStyleSheet("")

    # -- the staged consent ----------------------------------------------------------

    def staged(self) -> Consent | None:
        """The consent as the form says (None while the embargo date is not valid)."""
        embargo = self.embargo.text().strip()
        if not valid_date(embargo):
            return None
        level = next((k for k, b in self.level_buttons.items() if b.isChecked()), "closed")
        return replace(
            self._saved,
            level=level,
            publish=self.publish.isChecked(),
            name_display="real" if self.real_name.isChecked() else "pseudonym",
            pseudonym=self.pseudonym.text().strip() or None,
            embargo_until=embargo or None,
            release_clip_id=self.clip_box.currentData(),
            recorded=True,
        )

    def dirty(self) -> bool:
        staged = self.staged()
        if staged is None:
            return True
        return replace(staged, recorded=self._saved.recorded) != self._saved

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self._say(None)
            self._refresh()

    def _refresh(self) -> None:
        staged = self.staged()
        withdrawn = self._saved.withdrawn
        unsaved = self.dirty()
        if staged is None:
            self.summary.setText(self.tr(BAD_DATE))
            self.summary.setStyleSheet(banner_style("withdrawn"))
        else:
            shown = staged if unsaved else self._saved
            text, tone = consent_summary(shown, self._narrator)
            if unsaved:
                text = self.tr("After saving: {text}").format(text=text)
            self.summary.setText(text)
            self.summary.setStyleSheet(banner_style(tone))
        self.withdrawn_box.setVisible(withdrawn)
        self.summary.setVisible(not withdrawn)  # the red box says it, louder
        if withdrawn:
            note = self._saved.withdrawn_note
            self.withdrawn_box.setText(
                self.tr("WITHDRAWN on {date}").format(date=self._saved.withdrawn_on)
                + (f" — “{note}”" if note else "")
                + "\n"
                + self.tr("Nothing of this interview will appear in any export.")
            )
        self.withdraw_button.setVisible(not withdrawn)
        self.reinstate_button.setVisible(withdrawn)
        self.publish.setEnabled(self.level_buttons["open"].isChecked())
        self.save_button.setEnabled(unsaved and staged is not None)
        self.revert_button.setEnabled(unsaved)
        self.play_button.setEnabled(
            self._player is not None and self.clip_box.currentData() is not None
        )

    # -- writing ---------------------------------------------------------------------

    def save(self) -> bool:
        staged = self.staged()
        if staged is None:
            self._say(self.tr(BAD_DATE))
            return False
        try:
            self._saved = self._archive.consent.set(
                self.interview_id,
                level=staged.level,
                publish=staged.publish,
                name_display=staged.name_display,
                pseudonym=staged.pseudonym,
                embargo_until=staged.embargo_until,
                release_clip_id=staged.release_clip_id,
            )
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self._after_write(self.tr("Consent saved."))
        return True

    def withdraw(self, note: str | None = None) -> bool:
        """Record the withdrawal (asks for a note unless one is given)."""
        if note is None:
            text, ok = QInputDialog.getMultiLineText(
                self,
                self.tr("Withdraw consent"),
                self.tr(
                    "Nothing of this interview will go out any more, in any export.\n"
                    "A note on how and when the narrator withdrew (optional):"
                ),
            )
            if not ok:
                return False
            note = text
        try:
            self._saved = self._archive.consent.withdraw(self.interview_id, note=note or None)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self._after_write(self.tr("Withdrawal recorded."))
        return True

    def reinstate(self, *, confirm: bool = True) -> bool:
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Reinstate consent"),
                self.tr(
                    "Take back the withdrawal? Use this only if it was recorded by mistake: "
                    "the interview may then be exported again as its consent says."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self._saved = self._archive.consent.reinstate(self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self._after_write(self.tr("Withdrawal taken back."))
        return True

    def _after_write(self, message: str) -> None:
        unsaved = self.staged() if self.dirty() else None
        self.load()
        if unsaved is not None and unsaved != self._saved:  # keep what is still being edited
            self._loading = True
            self.level_buttons[unsaved.level].setChecked(True)
            self.publish.setChecked(unsaved.publish)
            (self.real_name if unsaved.name_display == "real" else self.pseudonym_shown).setChecked(
                True
            )
            self.pseudonym.setText(unsaved.pseudonym or "")
            self.embargo.setText(unsaved.embargo_until or "")
            self._loading = False
            self._refresh()
        self._say(message, error=False)
        self.changed.emit()

    # -- the release form --------------------------------------------------------------

    def choose_release_form(self) -> Task | None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach the signed release form"),
            "",
            self.tr("Scans, PDFs and recordings (*.pdf *.jpg *.jpeg *.png *.tif *.tiff "
                    "*.heic *.wav *.mp3 *.m4a *.ogg);;All files (*)"),
        )  # fmt: skip
        return self.attach_release_form(Path(path)) if path else None

    def attach_release_form(self, path: Path) -> Task:
        """Encrypt ``path`` into the vault on a worker thread and record it."""
        archive, interview_id = self._archive, self.interview_id

        def work(_progress: Progress, _cancelled: Cancelled) -> Consent:
            with archive.worker_connection() as other:
                return other.consent.attach_release_form(interview_id, path)

        self.attach_button.setEnabled(False)
        encrypting = self.tr("Encrypting {name} into the archive…")
        self._say(encrypting.format(name=path.name), error=False)
        # Owned by this widget and deleted on the UI thread once it has reported.
        task = Task(work, self)
        task.finished.connect(task.deleteLater)
        task.succeeded.connect(self._attached)
        task.failed.connect(self._attach_failed)
        self._attach_task = task
        return task.start()

    def _attached(self, consent: Consent) -> None:
        self.attach_button.setEnabled(True)
        self._saved = replace(self._saved, release_media_id=consent.release_media_id, recorded=True)
        self._show_release()
        self._refresh()
        self._say(self.tr("Release form attached."), error=False)
        self.changed.emit()

    def _attach_failed(self, message: str) -> None:
        self.attach_button.setEnabled(True)
        self._say(message)

    # -- the clip said on tape ---------------------------------------------------------

    def play_consent_clip(self) -> None:
        clip = self._clips.get(self.clip_box.currentData())
        if clip is None or self._playlist is None:
            return
        end = clip.end if clip.end > clip.start else clip.start + 15.0
        self._playlist.play([PlayRange(self.interview_id, clip.start, end)])

    def release(self) -> None:
        if self._playlist is not None:
            self._playlist.stop()

    # -- messages --------------------------------------------------------------------

    def _say(self, message: str | None, *, error: bool = True) -> None:
        self.message.setVisible(bool(message))
        self.message.setText(message or "")
        self.message.setStyleSheet(f"color: {RED}" if error else "color: palette(dark)")


# -- one clip's override ----------------------------------------------------------------


class ClipConsentDialog(QDialog):
    """Consent for one clip: each of level, publication and name display either as the
    interview's or overridden.  Saved with ``archive.consent.set_clip``."""

    def __init__(self, archive: Archive, clip_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive = archive
        self.clip_id = clip_id
        clip = archive.clips.get(clip_id)
        self._consent = archive.consent.get(clip.interview_id)
        interview = archive.interviews.get(clip.interview_id)
        self._narrator = (
            archive.narrators.get(interview.narrator_id) if interview.narrator_id else None
        )
        current = archive.consent.clip(clip_id) or ClipConsent(clip_id)
        self.setWindowTitle(self.tr("Consent for this clip"))

        heading = QLabel(
            self.tr("Consent for the clip {range}. Withdrawal and embargo are the "
                    "interview's and cannot be overridden.").format(
                range=format_range(clip.start, clip.end)
            )
        )  # fmt: skip
        heading.setWordWrap(True)
        same = self.tr("As the interview")
        self.level = QComboBox()
        self.level.addItem(f"{same} ({self.tr(self._consent.level.capitalize())})", None)
        for level in LEVELS:
            self.level.addItem(self.tr(level.capitalize()), level)
        self.publish = QComboBox()
        self.publish.addItem(
            f"{same} ({self.tr('allowed') if self._consent.publish else self.tr('not allowed')})",
            None,
        )
        self.publish.addItem(self.tr("Publication allowed"), True)
        self.publish.addItem(self.tr("Publication not allowed"), False)
        self.name_display = QComboBox()
        self.name_display.addItem(same, None)
        self.name_display.addItem(self.tr("Pseudonym"), "pseudonym")
        self.name_display.addItem(self.tr("Real name"), "real")
        for box, value in (
            (self.level, current.level),
            (self.publish, current.publish),
            (self.name_display, current.name_display),
        ):
            box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
            box.currentIndexChanged.connect(self._refresh)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        self.message.hide()

        form = QFormLayout()
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Publication"), self.publish)
        form.addRow(self.tr("Name shown"), self.name_display)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self._refresh()

    def override(self) -> ClipConsent:
        return ClipConsent(
            self.clip_id,
            level=self.level.currentData(),
            publish=self.publish.currentData(),
            name_display=self.name_display.currentData(),
        )

    def _refresh(self) -> None:
        text, tone = consent_summary(self._consent, self._narrator, clip=self.override())
        self.summary.setText(self.tr("This clip: {text}").format(text=text))
        self.summary.setStyleSheet(banner_style(tone))

    def save(self) -> bool:
        o = self.override()
        try:
            self._archive.consent.set_clip(
                self.clip_id, level=o.level, publish=o.publish, name_display=o.name_display
            )
        except ArchiveError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return False
        self.accept()
        return True
