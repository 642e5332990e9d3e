"""The ``sidebyside`` command.  It calls the same archive API as the desktop app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from archive import ArchiveError
from archive.netguard import forbid_network

from . import (
    archive_commands,
    catalog_commands,
    export_commands,
    record_commands,
    transcription_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sidebyside",
        description="Side by Side: an offline, encrypted archive for oral histories. "
        "Run without a command to open the desktop app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="open the desktop app on the demo archive")
    demo.set_defaults(func=lambda _args: open_desktop(demo=True))
    archive_commands.register(sub)
    transcription_commands.register(sub)
    catalog_commands.register(sub)
    export_commands.register(sub)
    record_commands.register(sub)
    return parser


def open_desktop(*, demo: bool = False) -> int:
    from desk import app

    return app.run(demo=demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: runs one command and returns its exit code; never a traceback."""
    forbid_network()
    args = build_parser().parse_args(argv)
    if args.command is None:
        return open_desktop()
    try:
        return int(args.func(args))
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("SIDEBYSIDE_DEBUG"):
            raise
        print(
            f"error: unexpected failure ({type(exc).__name__}). "
            "Set SIDEBYSIDE_DEBUG=1 to see details.",
            file=sys.stderr,
        )
        return 70
