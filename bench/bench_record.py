"""Recording: chunk-writer throughput against a plain write, and the UI thread's cost.

    .venv/bin/python bench/bench_record.py [--minutes 10] [--bits 24] [--channels 2]

Feeds ``--minutes`` of generated PCM (48 kHz) in 20 ms blocks, as a sound card does,
and times, in one run:

(a) the baseline: the same blocks copied with numpy into a buffer and written to a
    plain file every 2 s with fsync (what any crash-safe recorder must at least do);
(b) the archive's writer inline: every 2 s a chunk is encrypted (AES-256-GCM),
    hashed, fsynced, renamed and committed with its database rows;
(c) the archive's writer with its background thread (as the desktop uses it): the
    time spent in ``feed`` on the calling (UI) thread, per block and per flush, fed
    as fast as it goes and then, for ``--paced`` seconds, at real-time pace (a block
    every 20 ms, as the UI thread gets them).

Prints MB/s of PCM for each, the ratios to the baseline, how long saving the
recording takes on stop (original WAV + working copy), and how many times faster than
real time the writer is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from archive import Archive, KdfParams
from archive.recording import FLUSH_SECONDS
from archive.recording_pcm import PcmFormat, canary_pcm

BLOCK_SECONDS = 0.02


def make_blocks(fmt: PcmFormat, seconds: float) -> list[bytes]:
    """One minute of distinct blocks, reused round-robin (generation is not timed)."""
    block = int(fmt.sample_rate * BLOCK_SECONDS)
    count = int(min(seconds, 60) / BLOCK_SECONDS)
    return [canary_pcm(i * block, block, fmt) for i in range(count)]


def blocks_for(blocks: list[bytes], seconds: float) -> int:
    return int(seconds / BLOCK_SECONDS)


def baseline(folder: Path, fmt: PcmFormat, blocks: list[bytes], n: int) -> float:
    """numpy copy into a buffer + plain file write and fsync every 2 s."""
    import numpy as np

    flush_bytes = int(FLUSH_SECONDS * fmt.sample_rate) * fmt.frame_size
    buffer = bytearray()
    start = time.perf_counter()
    with open(folder / "plain.pcm", "wb") as out:
        for i in range(n):
            buffer += np.frombuffer(blocks[i % len(blocks)], dtype=np.uint8).copy().tobytes()
            if len(buffer) >= flush_bytes:
                out.write(buffer)
                out.flush()
                os.fsync(out.fileno())
                buffer.clear()
        out.write(buffer)
        out.flush()
        os.fsync(out.fileno())
    return time.perf_counter() - start


def archive_writer(
    archive: Archive,
    fmt: PcmFormat,
    blocks: list[bytes],
    n: int,
    *,
    background: bool,
    paced: bool = False,
) -> tuple[float, list[float], list[float], str]:
    """Total seconds, per-block feed() times, feed() times of blocks that flushed, id."""
    writer = archive.recordings.start(fmt, background=background)
    feeds: list[float] = []
    flushes: list[float] = []
    flush_every = int(FLUSH_SECONDS / BLOCK_SECONDS)
    start = time.perf_counter()
    for i in range(n):
        if paced:
            time.sleep(max(0.0, start + i * BLOCK_SECONDS - time.perf_counter()))
        t = time.perf_counter()
        writer.feed(blocks[i % len(blocks)])
        spent = time.perf_counter() - t
        feeds.append(spent)
        if (i + 1) % flush_every == 0:
            flushes.append(spent)
    writer.close()
    return time.perf_counter() - start, feeds, flushes, writer.id


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--bits", type=int, choices=(16, 24), default=24)
    parser.add_argument("--channels", type=int, choices=(1, 2), default=2)
    parser.add_argument("--paced", type=float, default=10.0, help="seconds fed in real time")
    args = parser.parse_args()
    fmt = PcmFormat(48_000, args.channels, args.bits // 8)
    seconds = args.minutes * 60
    blocks = make_blocks(fmt, seconds)
    n = blocks_for(blocks, seconds)
    mb = n * len(blocks[0]) / 1e6
    print(f"{args.minutes:g} min of {fmt.label()}: {mb:.1f} MB of PCM in {n} blocks of 20 ms")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = baseline(folder, fmt, blocks, n)
        archive = Archive.create(folder / "archive", "bench", kdf=KdfParams.minimum())
        inline, inline_feeds, inline_flushes, first = archive_writer(
            archive, fmt, blocks, n, background=False
        )
        threaded, feeds, flushes, second = archive_writer(archive, fmt, blocks, n, background=True)
        start = time.perf_counter()
        archive.recordings.finish(second)
        save = time.perf_counter() - start
        archive.recordings.discard(first)
        _, paced_feeds, paced_flushes, third = archive_writer(
            archive, fmt, blocks, blocks_for(blocks, args.paced), background=True, paced=True
        )
        archive.recordings.discard(third)
        archive.close()

    print(f"baseline (numpy copy + write + fsync / 2 s): {mb / plain:8.1f} MB/s")
    print(
        f"writer, inline (encrypt + fsync + commit):   {mb / inline:8.1f} MB/s"
        f"   {inline / plain:5.2f}x the baseline's time"
        f"   {seconds / inline:6.0f}x real time"
    )
    print(
        f"writer, background thread (the desktop):    {mb / threaded:8.1f} MB/s"
        f"   {threaded / plain:5.2f}x the baseline's time"
        f"   {seconds / threaded:6.0f}x real time"
    )
    print("UI thread's cost (time inside feed(); one frame at 60 Hz is 16.7 ms):")
    print(
        f"  fed flat out, per block: median {ms(feeds, 0.5):.3f} ms, "
        f"p99 {ms(feeds, 0.99):.3f} ms, max {ms(feeds, 1.0):.3f} ms; "
        f"per flush: median {ms(flushes, 0.5):.3f} ms, max {ms(flushes, 1.0):.3f} ms"
    )
    print(
        f"  real-time pace ({args.paced:g} s), per block: median {ms(paced_feeds, 0.5):.3f} ms, "
        f"max {ms(paced_feeds, 1.0):.3f} ms; per flush: median "
        f"{ms(paced_flushes, 0.5):.3f} ms, max {ms(paced_flushes, 1.0):.3f} ms"
    )
    print(
        f"  without the thread (inline), per flush: median {ms(inline_flushes, 0.5):.2f} ms, "
        f"max {ms(inline_flushes, 1.0):.2f} ms (mean per block "
        f"{1000 * statistics.fmean(inline_feeds):.3f} ms)"
    )
    print(
        f"saving on stop (original WAV + working copy): {save:.2f} s, "
        f"{save / args.minutes * 60:.1f} s per hour of audio"
    )


if __name__ == "__main__":
    main()
