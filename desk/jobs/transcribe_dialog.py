"""Choose how to transcribe: model, language, translation."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from transcription import ModelInfo

LANGUAGE_CHOICES = [
    ("auto", "Detect automatically"),
    ("hy", "Armenian — հայերեն"),
    ("az", "Azerbaijani — azərbaycanca"),
    ("ru", "Russian — русский"),
    ("ka", "Georgian — ქართული"),
    ("tr", "Turkish — Türkçe"),
    ("en", "English"),
]


class TranscribeDialog(QDialog):
    def __init__(self, models: list[ModelInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transcribe"))
        self._models = [m for m in models if m.verified]
        self.model = QComboBox()
        for m in self._models:
            self.model.addItem(f"{m.name} — {m.languages_label}", m.name)
        default = next((i for i, m in enumerate(self._models) if m.name == "base"), 0)
        self.model.setCurrentIndex(default)
        self.language = QComboBox()
        for code, label in LANGUAGE_CHOICES:
            self.language.addItem(self.tr(label), code)
        self.translate = QCheckBox(self.tr("Also translate to English (kept beside the text)"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(dark)")
        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.translate)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Transcribe"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.model.currentIndexChanged.connect(self._update)
        self._update()

    def _current(self) -> ModelInfo | None:
        index = self.model.currentIndex()
        return self._models[index] if 0 <= index < len(self._models) else None

    def _update(self) -> None:
        model = self._current()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if model is None:
            self.note.setText(
                self.tr("No Whisper model is installed. Add one with 'sidebyside models add DIR'.")
            )
            ok.setEnabled(False)
            return
        ok.setEnabled(True)
        english_only = not model.multilingual
        self.translate.setEnabled(not english_only)
        if english_only:
            self.translate.setChecked(False)
            self.language.setCurrentIndex(self.language.findData("en"))
        self.language.setEnabled(not english_only)
        self.note.setText(
            self.tr("Runs on this computer; nothing is sent anywhere. You can keep working.")
        )

    def params(self) -> dict[str, Any]:
        model = self._current()
        language = self.language.currentData()
        return {
            "model": model.name if model else None,
            "language": None if language == "auto" else language,
            "translate": self.translate.isChecked(),
        }
