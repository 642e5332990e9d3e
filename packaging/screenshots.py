"""Screenshots of the app on the demo archive, offscreen (for review and for AppStream).

    .venv/bin/python packaging/screenshots.py [OUTDIR]

Builds the demo archive in a temporary data folder, then saves the welcome screen,
the library, an English interview and the Armenian and Georgian ones as PNG files.
Nothing touches the user's own folders.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SIDEBYSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="sbs-shots-data-")
    os.environ["SIDEBYSIDE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="sbs-shots-config-")

    from PySide6.QtWidgets import QApplication

    from archive.demo import open_or_build_demo
    from desk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])

    def settle(seconds: float = 0.6) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    settle()
    window.grab().save(str(out / "welcome.png"))
    window.session.open(open_or_build_demo())
    settle()
    window.grab().save(str(out / "library.png"))
    summaries = [window.library.model.row_at(i) for i in range(window.library.model.rowCount())]
    for name, language in (("interview-en", "en"), ("interview-hy", "hy"), ("interview-ka", "ka")):
        chosen = next(s for s in summaries if language in s.languages)
        view = window.open_interview(chosen.id)
        settle(1.0)
        view.player.seek(2.5)
        settle()
        window.grab().save(str(out / f"{name}.png"))
    window.session.lock()
    settle(0.2)
    print(f"saved {len(list(out.glob('*.png')))} screenshots in {out}")


if __name__ == "__main__":
    main()
