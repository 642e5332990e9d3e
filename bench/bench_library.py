"""How fast the library opens on a large archive, against a small one, in one run.

    .venv/bin/python bench/bench_library.py [--interviews 10000]

Creates two archives of interviews without media (the library never touches media),
one with ``--interviews`` rows and a baseline of 100, and times what opening the
Library view costs: the COUNT, the first page of 200 rows in the default order,
a page sorted by duration, the last page, and a filtered count.  Prints each in ms
and the ratio large/baseline (close to 1 means the library does not grow with the
archive).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from archive import Archive, InterviewMetadata, KdfParams
from archive.synthetic import create_interview_without_media

PLACES = ["Baku", "Gyumri", "Тбилиси", "Şuşa", "Երևան"]


def build(path: Path, count: int) -> Archive:
    archive = Archive.create(path, "bench", kdf=KdfParams.minimum())
    with archive.db.atomic():
        for i in range(count):
            create_interview_without_media(
                archive,
                InterviewMetadata(
                    title=f"Interview {i:05d}",
                    narrator=f"Narrator {i % 997}",
                    recorded_on=f"{1960 + i % 60}-0{1 + i % 9}",
                    place=PLACES[i % len(PLACES)],
                    languages=(["hy", "az", "ru", "ka"][i % 4],),
                ),
                duration=float(i % 7200),
            )
    return archive


def timed(fn: Callable[[], object], repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def measure(archive: Archive) -> dict[str, float]:
    interviews = archive.interviews
    total = interviews.count_summaries()
    return {
        "count": timed(interviews.count_summaries),
        "first page": timed(
            lambda: interviews.summaries_page(0, 200, sort="date", descending=True)
        ),
        "sorted page": timed(lambda: interviews.summaries_page(0, 200, sort="duration")),
        "last page": timed(lambda: interviews.summaries_page(max(0, total - 200), 200)),
        "filtered count": timed(lambda: interviews.count_summaries("tbilisi")),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        large = build(Path(tmp) / "large", args.interviews)
        built = time.perf_counter() - start
        small = build(Path(tmp) / "small", 100)
        big, base = measure(large), measure(small)
        large.close()
        small.close()
    print(f"{args.interviews} interviews built in {built:.1f} s; baseline 100 interviews")
    for name in big:
        print(f"{name:15} {big[name]:8.2f} ms   baseline {base[name]:6.2f} ms   "
              f"ratio {big[name] / base[name]:6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
