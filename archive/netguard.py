"""Refuse network sockets for the rest of the process.

Side by Side never talks to the network.  Entry points (the CLI, the desktop app,
the transcription worker) call :func:`forbid_network` first; from then on any
attempt to create an Internet socket or resolve a host name raises, whichever
library tries.  Local (AF_UNIX) sockets, which Qt and multiprocessing use between
processes on the same machine, stay allowed.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

_BLOCKED_FAMILIES = {socket.AF_INET, socket.AF_INET6}
_installed = False


class NetworkForbiddenError(PermissionError):
    pass


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family in _BLOCKED_FAMILIES:
            raise NetworkForbiddenError("Side by Side never uses the network.")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        raise NetworkForbiddenError("Side by Side never uses the network.")


def forbid_network() -> None:
    """Install the guard (once; an audit hook cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
