"""What every command shares: finding the archive, asking for the passphrase, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from archive import Archive, ArchiveError, KdfParams
from archive.paths import last_archive

PASSPHRASE_ENV = "SIDEBYSIDE_PASSPHRASE"  # noqa: S105 - a variable name
NEW_PASSPHRASE_ENV = "SIDEBYSIDE_NEW_PASSPHRASE"  # noqa: S105


class CliError(ArchiveError):
    """A problem with how a command was called or answered."""


def add_archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive",
        type=Path,
        help="archive folder (default: the last archive opened)",
    )


def archive_path(args: argparse.Namespace) -> Path:
    if args.archive is not None:
        return Path(args.archive)
    remembered = last_archive()
    if remembered is None:
        raise CliError("No archive given. Use --archive PATH (no archive was opened before).")
    return remembered


def read_passphrase(prompt: str = "Passphrase: ", *, env: str = PASSPHRASE_ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"No passphrase: run in a terminal, or set {env} for scripts.")
    return getpass.getpass(prompt)


def read_new_passphrase(*, env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        if not value:
            raise CliError("The passphrase cannot be empty.")
        return value
    if not sys.stdin.isatty():
        raise CliError(f"No passphrase: run in a terminal, or set {env} for scripts.")
    first = getpass.getpass("New passphrase: ")
    if first != getpass.getpass("Repeat the new passphrase: "):
        raise CliError("The two passphrases differ. Nothing was changed.")
    if not first:
        raise CliError("The passphrase cannot be empty.")
    return first


def kdf_from_args(args: argparse.Namespace) -> KdfParams:
    default = KdfParams()
    return KdfParams(
        time_cost=args.kdf_time or default.time_cost,
        memory_kib=(args.kdf_memory * 1024) if args.kdf_memory else default.memory_kib,
        parallelism=args.kdf_parallelism or default.parallelism,
    )


def add_kdf_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("key derivation (Argon2id; defaults take about 1 s)")
    group.add_argument("--kdf-memory", type=int, metavar="MiB", help="memory cost (min 19)")
    group.add_argument("--kdf-time", type=int, metavar="N", help="iterations (min 2)")
    group.add_argument("--kdf-parallelism", type=int, metavar="N", help="lanes (min 1)")


@contextmanager
def opened_archive(args: argparse.Namespace) -> Iterator[Archive]:
    path = archive_path(args)
    archive = Archive.open(path, read_passphrase())
    try:
        yield archive
    finally:
        archive.close()


def print_listing(
    items: Sequence[Any],
    *,
    as_json: bool,
    empty: str,
    header: str,
    line: Callable[[Any], str],
    to_json: Callable[[Any], Any] = asdict,
) -> int:
    """The shape every listing command shares: JSON, a sentence for none, or a table."""
    if as_json:
        print_json([to_json(item) for item in items])
    elif not items:
        print(empty)
    else:
        print(header)
        for item in items:
            print(line(item))
    return 0


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def progress_bar(description: str, *, total: float = 1.0) -> Callable[[float], None]:
    """A terminal progress bar fed with fractions; silent when stderr is not a terminal."""
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        desc=description,
        unit="",
        leave=False,
        disable=not sys.stderr.isatty(),
        bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
    )

    def update(fraction: float) -> None:
        bar.n = min(max(fraction, 0.0), 1.0) * total
        bar.refresh()
        if fraction >= 1.0:
            bar.close()

    return update
