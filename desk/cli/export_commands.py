"""Commands for consent, redaction and exports (scripted and batch use)."""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace

from archive.consent import LEVELS, Consent, Purpose
from archive.export import FORMATS, AnthologySpec, excluded_summary, export, load_spec
from archive.redaction import Redaction
from archive.util import format_clock

from .catalog_commands import parse_time
from .common import CliError, add_archive_option, opened_archive, print_json, progress_bar


def _yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("yes", "y", "true", "1"):
        return True
    if lowered in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"use yes or no, not {value!r}")


def _describe(consent: Consent, publication: str, deposit: str) -> str:
    state = f"{consent.level}, publication {'allowed' if consent.publish else 'not allowed'}"
    name = "real name" if consent.name_display == "real" else "pseudonym"
    if consent.pseudonym:
        name += f" ({consent.pseudonym})"
    lines = [
        f"Interview {consent.interview_id}: {state}; name shown: {name}"
        + ("" if consent.recorded else " — no consent recorded (closed by default)"),
    ]
    if consent.embargo_until:
        lines.append(f"  Embargo until {consent.embargo_until} (inclusive)")
    if consent.withdrawn:
        note = f": {consent.withdrawn_note}" if consent.withdrawn_note else ""
        lines.append(f"  WITHDRAWN on {consent.withdrawn_on}{note}")
    if consent.release_media_id:
        lines.append("  Signed release form attached")
    if consent.release_clip_id is not None:
        lines.append(f"  Verbal consent recorded in clip {consent.release_clip_id}")
    lines.append(f"  Publication: {publication}")
    lines.append(f"  Deposit: {deposit}")
    return "\n".join(lines)


def cmd_consent(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {}
    if args.level is not None:
        changes["level"] = args.level
    if args.publish is not None:
        changes["publish"] = args.publish
    if args.name is not None:
        changes["name_display"] = args.name
    if args.pseudonym is not None:
        changes["pseudonym"] = args.pseudonym
    if args.embargo is not None:
        changes["embargo_until"] = args.embargo or None
    if args.verbal_clip is not None:
        changes["release_clip_id"] = args.verbal_clip
    with opened_archive(args) as archive:
        if changes:
            archive.consent.set(args.id, **changes)  # type: ignore[arg-type]
        if args.release_form:
            archive.consent.attach_release_form(args.id, args.release_form)
        if args.withdraw:
            archive.consent.withdraw(args.id, note=args.note)
        if args.reinstate:
            archive.consent.reinstate(args.id)
        consent = archive.consent.get(args.id)
        verdicts = {
            p: archive.consent.permission(args.id, p)
            for p in (Purpose.PUBLICATION, Purpose.DEPOSIT)
        }
    if args.json:
        print_json(
            {
                **asdict(consent),
                "permissions": {p.value: asdict(v) for p, v in verdicts.items()},
            }
        )
        return 0

    def verdict(purpose: Purpose) -> str:
        v = verdicts[purpose]
        return f"yes, as {v.credit!r}" if v.allowed else f"no ({v.reason})"

    print(_describe(consent, verdict(Purpose.PUBLICATION), verdict(Purpose.DEPOSIT)))
    return 0


def _redaction_line(r: Redaction) -> str:
    if r.kind == "time":
        what = f"audio {format_clock(r.start or 0)}-{format_clock(r.end or 0)}"
    elif r.kind == "text":
        where = f"segment {r.segment_id}" if r.segment_id is not None else "everywhere"
        what = f"text {r.text!r} ({where})"
    else:
        what = f"segment {r.segment_id} characters {r.char_start}-{r.char_end}"
    reason = f" — {r.reason}" if r.reason else ""
    return f"{r.id:>5}  {what}{reason}  [{r.created_by or '?'}, {r.created_at[:10]}]"


def cmd_redact(args: argparse.Namespace) -> int:
    timed = args.start is not None or args.end is not None
    with opened_archive(args) as archive:
        if args.delete is not None:
            archive.redactions.delete(args.delete)
            print(f"Redaction {args.delete} removed.")
        elif args.text is not None:
            if timed:
                raise CliError("Give either --text or --from/--to, not both.")
            r = archive.redactions.add_text(
                args.id, args.text, segment_id=args.segment, reason=args.reason
            )
            print("Redacted:", _redaction_line(r).strip())
        elif timed:
            if args.start is None or args.end is None:
                raise CliError("A time range needs both --from and --to.")
            r = archive.redactions.add_range(
                args.id, parse_time(args.start), parse_time(args.end), reason=args.reason
            )
            print("Redacted:", _redaction_line(r).strip())
        elif not args.list:
            raise CliError("Say what to redact: --text WORD, or --from T --to T (or --list).")
        if args.list:
            items = archive.redactions.list(args.id)
            for r in items:
                print(_redaction_line(r))
            if not items:
                print("No redactions.")
    return 0


def _spec_from_args(args: argparse.Namespace) -> AnthologySpec:
    chosen = [bool(args.anthology), bool(args.interview), bool(args.theme)]
    if sum(chosen) != 1:
        raise CliError(
            "Choose what to export: --anthology SPEC.toml, --interview ID… or --theme T…."
        )
    if args.anthology:
        spec = load_spec(args.anthology)
    elif args.interview:
        spec = AnthologySpec(title="Interviews", unit="interviews", group_by="interview")
        spec = spec.with_selection(interviews=tuple(args.interview))
    else:
        spec = AnthologySpec(title="Themes").with_selection(themes=tuple(args.theme))
    if args.translations:
        spec = replace(spec, include_translations=True)
    return spec


def cmd_export(args: argparse.Namespace) -> int:
    spec = _spec_from_args(args)
    with opened_archive(args) as archive:
        bar = progress_bar(f"Exporting {args.format}") if not args.quiet else None
        result = export(archive, spec, args.format, args.out, purpose=args.purpose, progress=bar)
    print(
        f"Wrote {result.path}: {result.excerpts} excerpt(s) from {result.interviews} "
        f"interview(s); {excluded_summary(result.excluded)}."
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "consent",
        help="show or set an interview's consent",
        description="Show or change what the narrator allowed. With no option, shows it. "
        "No consent recorded means closed: nothing is exported.",
    )
    add_archive_option(p)
    p.add_argument("id", help="interview id")
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--publish", type=_yes_no, metavar="yes|no", help="publication allowed")
    p.add_argument("--name", choices=("real", "pseudonym"), help="name shown in exports")
    p.add_argument("--pseudonym", metavar="P")
    p.add_argument("--embargo", metavar="DATE", help="YYYY[-MM[-DD]], inclusive; '' to lift")
    p.add_argument("--withdraw", action="store_true", help="the narrator withdrew consent")
    p.add_argument("--note", help="note for --withdraw")
    p.add_argument("--reinstate", action="store_true", help="undo a withdrawal")
    p.add_argument("--release-form", metavar="FILE", help="attach the signed release form")
    p.add_argument("--verbal-clip", type=int, metavar="CLIP", help="clip with verbal consent")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_consent)

    p = sub.add_parser(
        "redact",
        help="redact a word or a time range of an interview",
        description="Redactions apply to every export (text and audio); the originals "
        "stay in the encrypted archive.",
    )
    add_archive_option(p)
    p.add_argument("id", help="interview id")
    p.add_argument("--text", metavar="WORD", help="a word or name, everywhere in the interview")
    p.add_argument("--segment", type=int, help="with --text: only in this segment")
    p.add_argument("--from", dest="start", metavar="T", help="start (seconds or h:mm:ss)")
    p.add_argument("--to", dest="end", metavar="T", help="end (seconds or h:mm:ss)")
    p.add_argument("--reason", metavar="R")
    p.add_argument("--list", action="store_true", help="list the interview's redactions")
    p.add_argument("--delete", type=int, metavar="N", help="remove redaction N")
    p.set_defaults(func=cmd_redact)

    p = sub.add_parser(
        "export",
        help="export an anthology, interviews or themes",
        description="Everything exported passes the narrators' consent and the "
        "redactions. Formats: "
        + ", ".join(f"{f.name} ({f.label}, {f.purpose.value})" for f in FORMATS.values()),
    )
    add_archive_option(p)
    p.add_argument("--anthology", metavar="SPEC.toml", help="an anthology specification")
    p.add_argument("--interview", nargs="+", metavar="ID", help="whole interviews")
    p.add_argument("--theme", nargs="+", metavar="T", help="clips tagged with these themes")
    p.add_argument("--format", required=True, choices=list(FORMATS))
    p.add_argument("--out", required=True, metavar="PATH", help="file (or folder for several)")
    p.add_argument(
        "--purpose",
        choices=[p.value for p in Purpose],
        help="stricter than the format's own purpose (e.g. publication for a csv)",
    )
    p.add_argument("--translations", action="store_true", help="include English translations")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_export)
