"""Search latency and index size on an archive made by generate_archive.py.

    .venv/bin/python bench/bench_search.py --archive /tmp/bench-archive [--seed 1] [--runs 5]

Queries are chosen from the generator's vocabulary (same seed) and from the archive's
own segments, in every script:

* single word: content words (Zipf ranks ~40-120: each in 1-5 % of a language's segments)
* frequent word: the commonest function words ("and", "и", "և", "və", "და"), reported
  apart: they match most segments of a language, and ranking them all costs more
* cross-script: a Latin spelling of a Cyrillic, Armenian or Georgian word, and place
  names that the gazetteer expands ("Baku" = Baku OR Bakı OR Баку OR Բաքու OR ბაქო)
* phrase: two adjacent words taken from random segments, quoted
* prefix: the first four or five letters of content words, then *
* filtered: a content word with a theme (and its sub-themes), language, narrator,
  place, date range, transcription status, or several of them at once

Each query runs once to warm the cache, then ``--runs`` times; the figures are the
median and 95th percentile over all timed runs of a category.  Index size is the
bytes of the FTS5 tables' blocks against the bytes of the text they index.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import Archive, SearchFilters
from archive.folding import fold_text
from archive.search import optimize_index
from bench.generate_archive import CONTENT_WORDS, LANGUAGES, build_vocabularies

Query = tuple[str, SearchFilters | None]


def choose_queries(archive: Archive, seed: int) -> dict[str, list[Query]]:
    rng = random.Random(seed)
    vocab = build_vocabularies(seed)
    content = {lang: [w for w in vocab[lang].words if w in CONTENT_WORDS[lang].split()]
               for lang in LANGUAGES}  # fmt: skip
    single = [(w, None) for lang in LANGUAGES for w in rng.sample(content[lang][5:25], 4)]
    frequent = [(vocab[lang].at_rank(0), None) for lang in LANGUAGES]
    cross = [(fold_text(w) or w, None) for lang in ("ru", "hy", "ka")
             for w in rng.sample(content[lang][5:25], 3)]  # fmt: skip
    cross += [(name, None) for name in ("Baku", "Shusha", "Yerevan", "Stepanakert")]
    rows = list(archive.db.query("SELECT max(id) AS n FROM segments"))
    top = rows[0]["n"] or 1
    phrases: list[Query] = []
    while len(phrases) < 20:
        row = list(
            archive.db.query("SELECT text FROM segments WHERE id = ?", [rng.randint(1, top)])
        )
        words = [w.strip(".,?!") for w in row[0]["text"].split()] if row else []
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            phrases.append((f'"{words[i]} {words[i + 1]}"', None))
    prefix = [(w[: rng.choice((4, 5))] + "*", None) for lang in LANGUAGES
              for w in rng.sample([w for w in content[lang] if len(w) >= 6], 3)]  # fmt: skip
    pseudonym = next(n.pseudonym for n in archive.narrators.list() if n.pseudonym)
    filter_sets = [
        SearchFilters(themes=("everyday_life",)),
        SearchFilters(themes=("flight",)),
        SearchFilters(languages=("hy",)),
        SearchFilters(narrators=(pseudonym,)),
        SearchFilters(places=("Baku",)),
        SearchFilters(date_from="2000", date_to="2005-06"),
        SearchFilters(statuses=("done",)),
        SearchFilters(themes=("displacement",), languages=("ru",), date_from="2000"),
    ]
    filtered = [(w, f) for f in filter_sets for w, _ in rng.sample(single, 3)]
    return {
        "single word": single,
        "filtered": filtered,
        "cross-script": cross,
        "phrase": phrases,
        "prefix": prefix,
        "frequent word": frequent,
    }


def time_queries(archive: Archive, queries: list[Query], runs: int) -> tuple[list[float], int]:
    times: list[float] = []
    hits = 0
    for query, filters in queries:
        hits += len(archive.search(query, filters))  # warm-up
        for _ in range(runs):
            started = time.perf_counter()
            archive.search(query, filters)
            times.append((time.perf_counter() - started) * 1000)
    return times, hits


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def index_sizes(archive: Archive) -> dict[str, int]:
    db = archive.db

    def blocks(table: str) -> int:
        total = 0
        for suffix, column in (("data", "block"), ("idx", "term"), ("docsize", "sz")):
            name = f"{table}_{suffix}"
            if name in db.table_names():
                total += db.execute(
                    f"SELECT coalesce(sum(length({column})), 0) FROM {name}"
                ).fetchone()[0]
        return total

    text = db.execute(
        "SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) + "
        "coalesce(sum(length(CAST(translation AS BLOB))), 0) FROM segments"
    ).fetchone()[0]
    other = db.execute(
        "SELECT (SELECT coalesce(sum(length(CAST(title AS BLOB)) + length(CAST(note AS BLOB))), 0) "
        "FROM clips) + (SELECT coalesce(sum(length(CAST(title AS BLOB)) + "
        "length(CAST(summary AS BLOB))), 0) FROM interviews)"
    ).fetchone()[0]
    return {
        "segment text bytes": text,
        "clip and interview text bytes": other,
        "segments_fold (folded, contentless)": blocks("segments_fold"),
        "clips_fold + interviews_fold": blocks("clips_fold") + blocks("interviews_fold"),
        "segments_fts (original, from 0001)": blocks("segments_fts"),
        "database file": archive.paths.db.stat().st_size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--optimize", action="store_true", help="merge the search indexes first (optimize_index)"
    )
    args = parser.parse_args()
    passphrase = os.environ.get("SIDEBYSIDE_PASSPHRASE", "bench")
    with Archive.open(args.archive, passphrase) as archive:
        if args.optimize:
            started = time.perf_counter()
            optimize_index(archive)
            print(f"optimize_index: {time.perf_counter() - started:.1f} s")
        count = archive.db.execute("SELECT count(*) FROM segments").fetchone()[0]
        interviews = archive.interviews.count()
        print(f"{interviews} interviews, {count:,} segments")
        print(f"{'query type':<16} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'hits':>6}")
        for name, queries in choose_queries(archive, args.seed).items():
            times, hits = time_queries(archive, queries, args.runs)
            print(
                f"{name:<16} {len(queries):>4} {statistics.median(times):>8.1f} "
                f"{percentile(times, 95):>8.1f} {max(times):>8.1f} {hits:>6}"
            )
        sizes = index_sizes(archive)
    text = sizes["segment text bytes"] + sizes["clip and interview text bytes"]
    print()
    for name, size in sizes.items():
        ratio = "" if "text bytes" in name else f"  ({size / text:.2f} x the text)"
        print(f"{name:<40} {size / 1e6:>9.1f} MB{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
