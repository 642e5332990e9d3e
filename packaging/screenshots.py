"""Screenshots of the app on the demo archive, offscreen (for review and for AppStream).

    .venv/bin/python packaging/screenshots.py [OUTDIR]

Builds the demo archive in a temporary data folder, then saves the welcome screen,
the library, an English interview and the Armenian and Georgian ones, an interview
with its clips and marks (interview_tagging), the Search view with a query in Latin
letters that finds six scripts (search_view) and the Themes view (themes_view).
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

    # Tagging: a clip of the marks, the segments selected, the marks shown.
    english = next(s for s in summaries if "en" in s.languages and s.duration > 6)
    view = window.open_interview(english.id)
    settle(1.0)
    view.tagging.mark_in(1.0)
    view.tagging.mark_out(3.2)
    view.editor.view.selectAll()
    settle()
    window.grab().save(str(out / "interview_tagging.png"))
    window.close_interview()

    window.show_view(1)
    window.search_view.set_query("khleb OR hats OR purs OR chorek OR ekmek OR bread")
    window.search_view.search_now()
    end = time.monotonic() + 5
    while window.search_view.busy and time.monotonic() < end:
        settle(0.05)
    settle()
    window.grab().save(str(out / "search_view.png"))

    window.show_view(2)
    themes = window.themes_view
    everyday = next(t for t in window.session.archive.themes.list() if t.key == "everyday_life")
    themes.tree.expandAll()
    themes.select_theme(everyday.id)
    settle()
    window.grab().save(str(out / "themes_view.png"))
    window.session.lock()
    settle(0.2)
    print(f"saved {len(list(out.glob('*.png')))} screenshots in {out}")


if __name__ == "__main__":
    main()
