import multiprocessing
import sys

from desk.cli import main

if __name__ == "__main__":
    # A frozen build (PyInstaller) starts transcription workers through this same
    # executable: let multiprocessing take over those starts.
    multiprocessing.freeze_support()
    sys.exit(main())
