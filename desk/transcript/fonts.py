"""The transcript's font: a family list that covers Armenian, Georgian and Cyrillic.

Qt falls back glyph by glyph through the list, so a line mixing Armenian, Russian
and Azerbaijani Latin draws each script from the first family that has it.  Fonts
come from the system, never from the network.
"""

from __future__ import annotations

from PySide6.QtGui import QFont

FAMILIES = [
    "Noto Sans",
    "Noto Sans Armenian",
    "Noto Sans Georgian",
    "DejaVu Sans",  # Linux: Latin, Cyrillic, Armenian and Georgian in one
    "Segoe UI",
    "Sylfaen",  # Windows: Armenian and Georgian
    "Helvetica Neue",
    "Mshtakan",  # macOS: Armenian
    "Arial Unicode MS",
    "sans-serif",
]


def transcript_font(base: QFont) -> QFont:
    """``base`` (the widget's font) with the transcript families, a little larger."""
    font = QFont(base)
    font.setFamilies(FAMILIES)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() + 1)
    return font
