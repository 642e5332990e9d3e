"""Commands on the catalogue: search the archive, tag a time range with themes."""

from __future__ import annotations

import argparse
import re
from dataclasses import asdict

from archive import SearchFilters
from archive.util import format_clock

from .common import CliError, add_archive_option, opened_archive, print_json

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_time(text: str) -> float:
    """Seconds from ``90``, ``90.5``, ``1:30``, ``0:01:30`` or ``0:01:30.5``."""
    value = text.strip()
    try:
        seconds = float(value)
    except ValueError:
        match = _CLOCK.match(value)
        if (
            not match
            or float(match.group(3)) >= 60
            or (match.group(1) and int(match.group(2)) >= 60)
        ):
            raise CliError(
                f"Not a time: {text!r}. Use seconds (90.5) or h:mm:ss (0:01:30.5)."
            ) from None
        hours, minutes, secs = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise CliError(f"Not a time: {text!r}.")
    return seconds


def cmd_search(args: argparse.Namespace) -> int:
    filters = SearchFilters(
        themes=tuple(args.theme or ()),
        narrators=tuple(args.narrator or ()),
        languages=tuple(args.language or ()),
        places=tuple(args.place or ()),
        date_from=args.date_from,
        date_to=args.date_to,
        statuses=tuple(args.status or ()),
        kinds=tuple(args.kind or ()),
    )
    query = " ".join(args.query)
    with opened_archive(args) as archive:
        hits = archive.search(query, filters, limit=args.limit)
    if args.json:
        print_json([asdict(h) for h in hits])
        return 0
    if not hits:
        print("No hits.")
        return 0
    for hit in hits:
        ref = {"segment": hit.segment_id, "clip": hit.clip_id}.get(hit.kind)
        where = f"{hit.kind} {ref}" if ref is not None else f"{hit.kind} {hit.field}"
        text = " ".join(hit.snippet.split())
        span = f"{format_clock(hit.start)}-{format_clock(hit.end)}"
        print(f"{hit.interview_id}  {span}  {where:<15}  {text}")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    start, end = parse_time(args.start), parse_time(args.end)
    with opened_archive(args) as archive:
        clip = archive.clips.create(
            args.id, start, end, themes=args.themes, note=args.note, title=args.title
        )
        labels = [archive.themes.get(t).label() for t in clip.theme_ids]
    span = f"{format_clock(clip.start)}-{format_clock(clip.end)} ({clip.start:g}-{clip.end:g} s)"
    print(f"Clip {clip.id}: {span} tagged {', '.join(labels)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help="search transcripts, clips and interviews",
        description='Words must all occur; "a phrase", prefix*, AND, OR, NOT and '
        "parentheses work. A Latin spelling also finds Cyrillic, Armenian and Georgian "
        "ones, and a place's name finds its other names.",
    )
    add_archive_option(p)
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--theme", action="append", help="theme key or label (with sub-themes)")
    p.add_argument("--language", action="append", help="language code (hy, az, ru, ka...)")
    p.add_argument("--narrator", action="append", help="narrator id or pseudonym")
    p.add_argument("--place", action="append", help="any of a place's names")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY[-MM[-DD]]")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY[-MM[-DD]]")
    p.add_argument("--status", action="append", help="transcription status (done, partial...)")
    p.add_argument("--kind", action="append", choices=("segment", "clip", "interview"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("tag", help="make a clip of an interview and tag it with themes")
    add_archive_option(p)
    p.add_argument("id", help="interview id")
    p.add_argument("start", help="seconds or h:mm:ss[.s]")
    p.add_argument("end", help="seconds or h:mm:ss[.s]")
    p.add_argument("themes", nargs="+", metavar="THEME", help="theme key, label or id")
    p.add_argument("--note")
    p.add_argument("--title")
    p.set_defaults(func=cmd_tag)
