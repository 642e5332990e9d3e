"""Commands for Whisper models and transcripts: models, transcribe, jobs, resume, show, attach."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive import Archive
from archive.jobs import Job
from archive.util import format_clock
from transcription import TranscribeOptions, add_model, find_model, list_models, validate_options
from transcription.runner import JobRunner, JobSummary, resumable_jobs

from .common import add_archive_option, opened_archive, print_listing, progress_bar


def _size(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


def cmd_models(args: argparse.Namespace) -> int:
    if args.action == "add":
        if not args.dir:
            print("error: models add needs a folder: sidebyside models add DIR", file=sys.stderr)
            return 2
        info = add_model(Path(args.dir), args.name)
        print(f"Added model {info.name} ({info.languages_label}, {_size(info.size)}), verified")
        return 0
    return print_listing(
        list_models(),
        as_json=args.json,
        empty="No Whisper models on this computer. Add one with 'sidebyside models add DIR'.",
        header=f"{'NAME':<12}  {'LANGUAGES':<22}  {'SIZE':>7}  {'VERIFIED':<8}  SOURCE",
        line=lambda m: (
            f"{m.name:<12}  {m.languages_label[:22]:<22}  {_size(m.size):>7}  "
            f"{'yes' if m.verified else 'NO':<8}  {m.source}"
        ),
        to_json=lambda m: {
            "name": m.name,
            "languages": list(m.languages),
            "multilingual": m.multilingual,
            "size": m.size,
            "source": m.source,
            "verified": m.verified,
            "problem": m.problem,
        },
    )


def _run_job(archive: Archive, job: Job) -> JobSummary:
    """Run one job with a progress bar; Ctrl+C cancels it and keeps what was committed."""
    runner = JobRunner(archive, job.id)
    bar = progress_bar(f"Transcribing {job.interview_id}")
    try:
        for event in runner.events():
            bar(event.fraction)
    except KeyboardInterrupt:
        runner.cancel()
        bar(1.0)
        raise
    bar(1.0)
    assert runner.summary is not None
    return runner.summary


def _report(summary: JobSummary, interview_id: str) -> None:
    if summary.status == "done":
        print(
            f"{interview_id}: {summary.segments} segments, language {summary.language}, "
            f"audio {format_clock(summary.audio_seconds)}, wall time {summary.wall_seconds:.1f} s, "
            f"real-time factor {summary.real_time_factor:.2f}"
        )
    else:
        print(f"error: {interview_id}: transcription {summary.status}: {summary.error}",
              file=sys.stderr)  # fmt: skip


def _run_all(archive: Archive, jobs: list[Job]) -> int:
    failed = 0
    for job in jobs:
        summary = _run_job(archive, job)
        _report(summary, job.interview_id)
        failed += summary.status != "done"
    return 1 if failed else 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    model = find_model(args.model)
    language = None if args.language in (None, "auto") else args.language
    language = validate_options(
        model, TranscribeOptions(language=language, translate=args.translate)
    )
    params = {"model": model.name, "language": language, "translate": args.translate}
    with opened_archive(args) as archive:
        jobs = [archive.jobs.enqueue(interview_id, params) for interview_id in args.ids]
        return _run_all(archive, jobs)


def cmd_jobs(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        jobs = archive.jobs.list()
    return print_listing(
        jobs,
        as_json=args.json,
        empty="No transcription jobs.",
        header=f"{'JOB':>4}  {'INTERVIEW':<12}  {'STATUS':<11}  {'DONE':>5}  {'MODEL':<10}  NOTE",
        line=lambda j: (
            f"{j.id:>4}  {j.interview_id:<12}  {j.status:<11}  {j.progress:>5.0%}  "
            f"{j.params.get('model') or '-':<10}  {j.error or ''}"
        ),
    )


def cmd_resume(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        jobs = resumable_jobs(archive)
        if not jobs:
            print("Nothing to resume.")
            return 0
        return _run_all(archive, jobs)


def cmd_show(args: argparse.Namespace) -> int:
    from archive.transcript_formats import RENDERERS

    with opened_archive(args) as archive:
        archive.interviews.get(args.id)
        segments = archive.segments.list(args.id)
    sys.stdout.write(RENDERERS[args.format](segments))
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    with opened_archive(args) as archive:
        count = archive.segments.attach(
            args.id, Path(args.file).read_bytes(), Path(args.file).name, replace=args.replace
        )
    print(f"Attached {count} segments to {args.id}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list Whisper models, or add one from a folder")
    p.add_argument("action", nargs="?", choices=["list", "add"], default="list")
    p.add_argument("dir", nargs="?", help="with 'add': a CTranslate2 model folder")
    p.add_argument("--name", help="with 'add': the name to give the model")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("transcribe", help="transcribe interviews on this computer")
    add_archive_option(p)
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--model", help="model name (default: base, else tiny.en)")
    p.add_argument("--language", default="auto", help="auto, or hy, az, ru, ka, tr, en...")
    p.add_argument("--translate", action="store_true", help="also translate to English")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("jobs", help="list transcription jobs")
    add_archive_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_jobs)

    p = sub.add_parser("resume", help="resume interrupted or queued transcriptions")
    add_archive_option(p)
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("show", help="print an interview's transcript")
    add_archive_option(p)
    p.add_argument("id")
    p.add_argument("--format", choices=["txt", "json", "srt", "vtt"], default="txt")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("attach", help="attach an existing transcript (SRT, VTT, OHMS, text)")
    add_archive_option(p)
    p.add_argument("id")
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true",
                   help="replace the interview's segments, even corrected ones")  # fmt: skip
    p.set_defaults(func=cmd_attach)
