"""A random-access ``QIODevice`` over a decrypting vault reader, for QMediaPlayer.

QtMultimedia's FFmpeg backend reads the device from its own threads (one that probes
the file while it loads, then the demuxer), so every read and seek here happens under
one lock, and nothing inside :meth:`VaultDevice.readData` may raise: an exception in a
Python override called from C++ is printed and turned into "0 bytes read".

Two things about errors that PySide6 decides for us:

* A Python ``readData`` cannot return -1.  The binding copies a returned ``bytes``
  into Qt's buffer and reports every other value (and any exception) as 0 bytes.
* FFmpeg treats 0 bytes with ``atEnd()`` still false as "try again" and spins.

So when the vault refuses a read (a tampered chunk raises ``VaultIntegrityError``; a
file that vanished raises ``OSError``), the device remembers the message, reports
``atEnd()`` from then on, which Qt's FFmpeg glue turns into ``AVERROR_EOF`` at once,
and emits :attr:`VaultDevice.failed` so the widget can say what happened.  The
player sees the stream end there, nothing crashes and no thread spins.

Nothing is ever written to disk: the plaintext lives only in the vault reader's
buffers (one 64 KiB chunk and the read buffer), which :meth:`VaultDevice.release`
drops.  An optional ``header`` is served in front of the stream's bytes; the player
uses it to present the raw PCM working copy as a WAV (see :mod:`desk.player.wav`).
"""

from __future__ import annotations

import threading
from typing import BinaryIO

import shiboken6
from PySide6.QtCore import QIODevice, QObject, Signal

_READ_ONLY = QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered


class VaultDevice(QIODevice):
    """Read-only, seekable, thread-safe view of ``header + stream``.

    ``stream`` is a seekable binary reader of exactly ``size`` bytes (what
    ``archive.media.open`` returns); the device takes it over and closes it in
    :meth:`release`.  Opened read-only and unbuffered on construction: QIODevice's
    own buffer would be one more copy of plaintext, touched from two threads.
    """

    failed = Signal(str)  # emitted once, from whichever thread hit the error

    def __init__(
        self,
        stream: BinaryIO,
        size: int,
        *,
        header: bytes = b"",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._stream: BinaryIO | None = stream
        self._header = header
        self._size = len(header) + size
        self._error: str | None = None
        self.open(_READ_ONLY)

    # -- state ----------------------------------------------------------------

    @property
    def error(self) -> str | None:
        """Why the last read failed, or None."""
        return self._error

    @property
    def released(self) -> bool:
        return self._stream is None

    def release(self) -> None:
        """Close the vault reader and drop its decrypted buffers; reads then end."""
        with self._lock:
            stream, self._stream = self._stream, None
            if stream is not None:
                stream.close()
        if shiboken6.isValid(self):  # at interpreter exit Qt may have deleted it first
            self.close()

    # -- QIODevice --------------------------------------------------------------

    def isSequential(self) -> bool:
        return False

    def size(self) -> int:
        return self._size

    def bytesAvailable(self) -> int:
        return max(0, self._size - self.pos())

    def atEnd(self) -> bool:
        return self._error is not None or self._stream is None or self.pos() >= self._size

    def seek(self, pos: int) -> bool:
        if pos < 0 or pos > self._size:
            return False
        return super().seek(pos)

    def readData(self, maxlen: int) -> bytes:
        try:
            with self._lock:
                return self._read_at(self.pos(), maxlen)
        except Exception as exc:  # never let it reach the backend's thread
            self._fail(str(exc) or type(exc).__name__)
            return b""

    def writeData(self, data: bytes) -> int:
        return -1

    # -- internals ----------------------------------------------------------------

    def _read_at(self, pos: int, maxlen: int) -> bytes:
        if self._stream is None or self._error is not None:
            return b""
        count = min(maxlen, self._size - pos)
        if count <= 0:
            return b""
        out = b""
        if pos < len(self._header):
            out = self._header[pos : pos + count]
        rest = count - len(out)
        if rest > 0:
            self._stream.seek(pos + len(out) - len(self._header))
            out += self._stream.read(rest)
        return out

    def _fail(self, message: str) -> None:
        if self._error is None:
            self._error = message
            self.setErrorString(message)
            self.failed.emit(message)
