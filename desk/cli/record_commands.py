"""Recording from the command line: record, and recover what a crash left unfinished.

``record`` captures from an audio input (QtMultimedia, no window) or, for tests and
scripts, feeds a WAV file through the very same pipeline (``--from-file``; ``--paced``
feeds it at the pace of real time).  Audio is committed as an encrypted chunk every
``--flush-seconds``; Ctrl+C (or SIGTERM, or ``--seconds``) stops and saves it as an
interview, whose id is printed.  A recording cut off by a crash or a full disk is
listed and saved by ``recover``.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from archive import ArchiveError, InterviewMetadata
from archive.recording import (
    FLUSH_SECONDS,
    EmptyRecordingError,
    RecordingInfo,
    RecordingWriter,
)
from archive.recording_pcm import PcmFormat, WavFileSource
from archive.util import format_clock

from .common import CliError, add_archive_option, opened_archive, print_listing, progress_bar

NO_DEVICE = (
    "No audio input device was found. Connect a microphone (see 'sidebyside record "
    "--list-devices'), or record a WAV file with --from-file."
)


# -- stopping on Ctrl+C ----------------------------------------------------------------


@contextlib.contextmanager
def _stop_requests() -> Iterator[threading.Event]:
    """An event set by Ctrl+C or SIGTERM, instead of an exception mid-write."""
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class _Feeder:
    """Hands blocks to the writer, up to ``--seconds``; says when to stop."""

    def __init__(self, writer: RecordingWriter, seconds: float | None) -> None:
        self.writer = writer
        fmt = writer.format
        self._limit = int(seconds * fmt.sample_rate) if seconds else None
        self._frame = fmt.frame_size
        self._warned = False
        self.failure: str | None = None
        self.done = False

    def __call__(self, pcm: bytes) -> None:
        if self.done:
            return
        if self._limit is not None:
            left = max(0, self._limit - self.writer.frames)
            if len(pcm) // self._frame >= left:
                pcm = pcm[: left * self._frame]
                self.done = True
        try:
            self.writer.feed(pcm)
        except ArchiveError as exc:
            self.failure = str(exc)
            self.done = True
        status = self.writer.status()
        if status.stopped and status.error:
            self.failure = status.error
            self.done = True
        elif status.low_disk and not self._warned:
            self._warned = True
            print(
                f"warning: the disk holds only about {status.seconds_left / 60:.0f} more "
                "minutes of recording",
                file=sys.stderr,
                flush=True,
            )


# -- sources -------------------------------------------------------------------------------


def _record_file(source: WavFileSource, feeder: _Feeder) -> None:
    with _stop_requests() as stop:
        while not stop.is_set() and not feeder.done:
            block = source.read()
            if block is None:
                break
            feeder(block)
    source.close()


def _device_format(device: Any, args: argparse.Namespace) -> PcmFormat:
    default = device.default_format()
    try:
        fmt = PcmFormat(
            args.rate or default.sample_rate,
            args.channels or default.channels,
            (args.bits // 8) if args.bits else default.sample_width,
        )
    except ValueError as exc:
        raise CliError(f"Not a recording format: {exc}.") from None
    if not device.offers(fmt):
        raise CliError(f"{device.name} cannot record {fmt.label()}.")
    return fmt


def _record_device(source: Any, feeder: _Feeder) -> None:
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    failures: list[str] = []
    source.failed.connect(lambda message: (failures.append(message), app.quit()))
    with _stop_requests() as stop:
        ticker = QTimer()
        ticker.setInterval(100)  # lets Python see Ctrl+C while Qt waits for audio

        def check() -> None:
            if stop.is_set() or feeder.done:
                app.quit()

        ticker.timeout.connect(check)
        source.start(feeder)
        ticker.start()
        app.exec()
        ticker.stop()
        source.stop()
    if failures and feeder.failure is None:
        feeder.failure = failures[0]


# -- commands ---------------------------------------------------------------------------------


def _meta(args: argparse.Namespace) -> InterviewMetadata | None:
    values = {
        "title": args.title,
        "narrator": args.narrator,
        "interviewer": args.interviewer,
        "recorded_on": args.date,
        "place": args.place,
        "languages": tuple(args.language or ()),
    }
    return InterviewMetadata(**values) if any(values.values()) else None


def cmd_list_devices(_args: argparse.Namespace) -> int:
    from desk.recorder.devices import list_inputs

    inputs = list_inputs()
    if not inputs:
        print(NO_DEVICE, file=sys.stderr)
        return 1
    for device in inputs:
        mark = "*" if device.is_default else " "
        rates = ", ".join(f"{r / 1000:g}" for r in device.rates)
        bits = "16/24-bit" if device.offers_24_bit else "16-bit"
        print(
            f"{mark} {device.name}  ({rates} kHz; {bits}; up to {device.max_channels} ch; "
            f"records {device.default_format().label()})"
        )
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    if args.list_devices:
        return cmd_list_devices(args)
    if args.recover:
        args.ids, args.all, args.discard, args.json = [], True, False, False
        return cmd_recover(args)
    if args.flush_seconds is not None and not 0.05 <= args.flush_seconds <= 5:
        raise CliError("--flush-seconds must be between 0.05 and 5.")
    if args.seconds is not None and args.seconds <= 0:
        raise CliError("--seconds must be more than 0.")
    meta = _meta(args)
    source: Any
    if args.from_file is not None:
        source = WavFileSource(args.from_file, paced=args.paced)
        device_name = "WAV file"
    else:
        from desk.recorder.capture import DeviceSource
        from desk.recorder.devices import find_input, list_inputs

        if not list_inputs():
            raise CliError(NO_DEVICE)
        device = find_input(args.device)
        if device is None:
            raise CliError(
                f"No audio input matches {args.device!r}. See 'sidebyside record --list-devices'."
            )
        source = DeviceSource(device, _device_format(device, args))
        device_name = device.name
    fmt: PcmFormat = source.format
    with opened_archive(args) as archive:
        writer = archive.recordings.start(
            fmt,
            device=device_name,
            meta=meta,
            flush_seconds=args.flush_seconds or FLUSH_SECONDS,
            background=args.from_file is None,
        )
        print(
            f"Recording {fmt.label()} from {source.name} (recording {writer.id}); "
            "Ctrl+C stops and saves.",
            file=sys.stderr,
            flush=True,
        )
        feeder = _Feeder(writer, args.seconds)
        try:
            if args.from_file is not None:
                _record_file(source, feeder)
            else:
                _record_device(source, feeder)
        except BaseException:
            if writer.frames == 0:
                writer.discard()  # the input never opened: nothing to keep
            writer.close()
            raise
        writer.close()
        return _save(writer, feeder.failure)


def _save(writer: RecordingWriter, failure: str | None) -> int:
    if failure:
        print(f"error: {failure}", file=sys.stderr, flush=True)
    try:
        interview = writer.stop(progress=progress_bar("Saving"))
    except EmptyRecordingError as exc:
        raise CliError(str(exc)) from None
    except ArchiveError as exc:
        raise CliError(
            f"{exc} The recording is kept: save it later with 'sidebyside recover --all'."
        ) from None
    print(interview.id, flush=True)
    print(
        f"Saved {format_clock(interview.duration)} as interview {interview.id}.",
        file=sys.stderr,
    )
    return 1 if failure else 0


def _recording_line(info: RecordingInfo) -> str:
    return (
        f"{info.id:<12}  {info.started_at[:16].replace('T', ' '):<16}  "
        f"{format_clock(info.duration):>8}  {info.status:<11}  {info.markers:>7}  "
        f"{info.format.label()}"
    )


def cmd_recover(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        unfinished = archive.recordings.unfinished()
        chosen = [r.id for r in unfinished] if args.all else list(args.ids)
        if not chosen:
            return print_listing(
                unfinished,
                as_json=args.json,
                empty="No unfinished recordings.",
                header=f"{'ID':<12}  {'STARTED (UTC)':<16}  {'DURATION':>8}  {'STATUS':<11}  "
                "MARKERS  FORMAT",
                line=_recording_line,
                to_json=_recording_json,
            )

        def action(recording_id: str) -> str | None:
            if args.discard:
                archive.recordings.discard(recording_id)
                return None
            progress = progress_bar(f"Recovering {recording_id}")
            return archive.recordings.recover(recording_id, progress=progress).id

        failures = 0
        for recording_id in chosen:
            try:
                result = action(recording_id)
            except ArchiveError as exc:
                print(f"error: {recording_id}: {exc}", file=sys.stderr)
                failures += 1
                continue
            if result is None:
                print(f"Discarded recording {recording_id}.", file=sys.stderr)
            else:
                print(result, flush=True)
        return 1 if failures else 0


def _recording_json(info: RecordingInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "started_at": info.started_at,
        "duration": round(info.duration, 3),
        "status": info.status,
        "sample_rate": info.sample_rate,
        "channels": info.channels,
        "bits": info.sample_width * 8,
        "device": info.device,
        "chunks": info.chunks,
        "markers": info.markers,
        "error": info.error,
    }


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record",
        help="record an interview from a microphone (or a WAV file); Ctrl+C stops and saves",
    )
    add_archive_option(p)
    p.add_argument("--device", help="input to record from: part of its name (default: default)")
    p.add_argument("--list-devices", action="store_true", help="list audio inputs and exit")
    p.add_argument("--seconds", type=float, help="stop after this many seconds of audio")
    p.add_argument(
        "--from-file",
        type=Path,
        metavar="WAV",
        help="record a 16- or 24-bit PCM WAV through the same pipeline (tests, scripts)",
    )
    p.add_argument("--paced", action="store_true", help="with --from-file: at real-time pace")
    p.add_argument("--rate", type=int, help="sample rate in Hz (default: 48000 if offered)")
    p.add_argument("--bits", type=int, choices=(16, 24), help="default: 24 if offered")
    p.add_argument("--channels", type=int, choices=(1, 2), help="default: the input's own")
    p.add_argument(
        "--flush-seconds",
        type=float,
        metavar="S",
        help=f"commit an encrypted chunk every S seconds (default {FLUSH_SECONDS:g})",
    )
    p.add_argument("--recover", action="store_true", help="save every unfinished recording")
    p.add_argument("--title")
    p.add_argument("--narrator", help="narrator's name (kept encrypted)")
    p.add_argument("--interviewer")
    p.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (default: today)")
    p.add_argument("--place")
    p.add_argument("--language", action="append", help="language code; repeatable")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("recover", help="list, save or discard recordings a crash left unfinished")
    add_archive_option(p)
    p.add_argument("ids", nargs="*", metavar="ID", help="recordings to save (default: list)")
    p.add_argument("--all", action="store_true", help="save every unfinished recording")
    p.add_argument("--discard", action="store_true", help="delete the given recordings instead")
    p.add_argument("--json", action="store_true", help="machine-readable listing")
    p.set_defaults(func=cmd_recover)
