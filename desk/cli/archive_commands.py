"""Commands on the archive itself: init, import, list, original, verify, passwd."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive import Archive, Interview, InterviewMetadata, MediaImportError, verify_archive
from archive.util import format_clock

from .common import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    add_archive_option,
    add_kdf_options,
    archive_path,
    kdf_from_args,
    opened_archive,
    print_listing,
    progress_bar,
    read_new_passphrase,
    read_passphrase,
)


def cmd_init(args: argparse.Namespace) -> int:
    path = archive_path(args)
    passphrase = read_new_passphrase(env=PASSPHRASE_ENV)
    with Archive.create(path, passphrase, kdf=kdf_from_args(args)):
        pass
    print(f"Created an encrypted archive in {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    meta = InterviewMetadata(
        title=args.title,
        narrator=args.narrator,
        interviewer=args.interviewer,
        recorded_on=args.date,
        place=args.place,
        languages=tuple(args.language or ()),
    )
    failures = 0
    with opened_archive(args) as archive:
        for file in args.files:
            try:
                interview = archive.import_file(
                    file, meta, progress=progress_bar(f"Importing {Path(file).name}")
                )
            except MediaImportError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failures += 1
                continue
            print(interview.id, flush=True)
    return 1 if failures else 0


def _interview_line(i: Interview) -> str:
    narrator = i.narrator_pseudonym or i.narrator_name or "-"
    return (
        f"{i.id:<12}  {format_clock(i.duration, empty='-'):>8}  {i.recorded_on or '-':<10}  "
        f"{','.join(i.languages) or '-':<8}  {narrator[:20]:<20}  {i.title or '-'}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        interviews = archive.interviews.list()
    return print_listing(
        interviews,
        as_json=args.json,
        empty="The archive has no interviews yet.",
        header=f"{'ID':<12}  {'DURATION':>8}  {'DATE':<10}  {'LANG':<8}  {'NARRATOR':<20}  TITLE",
        line=_interview_line,
    )


def cmd_original(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        item = archive.media.write_original(args.id, args.outfile)
    print(f"Wrote {item.size} bytes to {args.outfile} (SHA-256 verified)")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    report = verify_archive(
        archive_path(args), read_passphrase(), progress=progress_bar("Verifying")
    )
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    mb = report.bytes_checked / 1e6
    if report.ok:
        print(f"OK: database intact, {report.media_checked} media files ({mb:.1f} MB) verified")
        return 0
    print(f"FAILED: {len(report.problems)} problem(s) found", file=sys.stderr)
    return 1


def cmd_passwd(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        new = read_new_passphrase(env=NEW_PASSPHRASE_ENV)
        archive.change_passphrase(new)
    print("Passphrase changed. No media needed rewriting.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a new encrypted archive")
    add_archive_option(p)
    add_kdf_options(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", help="import audio or video files as interviews")
    add_archive_option(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--title")
    p.add_argument("--narrator", help="narrator's name (kept encrypted)")
    p.add_argument("--interviewer")
    p.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--place")
    p.add_argument(
        "--language", action="append", help="language code (hy, az, ru, ka, tr, en...); repeatable"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list interviews")
    add_archive_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("original", help="write an interview's exact original file")
    add_archive_option(p)
    p.add_argument("id", help="interview id")
    p.add_argument("outfile", type=Path)
    p.set_defaults(func=cmd_original)

    p = sub.add_parser("verify", help="check the database and every media file")
    add_archive_option(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("passwd", help="change the archive's passphrase")
    add_archive_option(p)
    p.set_defaults(func=cmd_passwd)
