"""Start the desktop app."""

from __future__ import annotations

import sys

from archive.netguard import forbid_network


def run(argv: list[str] | None = None, *, demo: bool = False) -> int:
    """Open the main window; with ``demo``, straight onto the demo archive."""
    forbid_network()
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("SideBySide")
    QCoreApplication.setApplicationName("Side by Side")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    translator = QTranslator(app)
    if translator.load(
        QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
    from resources import resource_path

    own = QTranslator(app)
    if own.load(QLocale(), "sidebyside", "_", str(resource_path("translations"))):
        app.installTranslator(own)

    from .ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if demo:
        window.opener.open_demo()
    return app.exec()
