"""Real-time factor of ``sidebyside transcribe`` against bare faster-whisper, in one run.

    .venv/bin/python bench/bench_transcribe.py [--minutes 10] [--models tiny.en base]

Builds a recording of ``--minutes`` from the committed espeak-ng fixtures (speech with
pauses), imports it into a fresh archive, then for each model runs, each in its own
process so model loading counts on both sides:

* baseline: faster-whisper's ``WhisperModel.transcribe`` on the same 16 kHz audio with
  the same settings the engine uses, segments consumed and discarded;
* the app: ``sidebyside transcribe --model M`` (decrypting the working copy, the child
  process, committing every segment encrypted).

Prints wall time, real-time factor, the ratio app/baseline (close to 1.0 means the
archive adds little) and peak memory (max RSS) of each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PASSPHRASE = "bench"  # noqa: S105 - a throwaway archive

BASELINE = """
import sys, numpy as np
from transcription.models import find_model
from transcription import engine as e
from transcription.offline import ensure_offline
ensure_offline()
from faster_whisper import WhisperModel
model = find_model(sys.argv[1])
audio = np.fromfile(sys.argv[2], dtype="<i2").astype(np.float32) / 32768
whisper = WhisperModel(str(model.path), device="cpu", compute_type="int8",
                       cpu_threads=__import__("os").cpu_count(), local_files_only=True)
segments, info = whisper.transcribe(
    audio, beam_size=5, vad_filter=True, word_timestamps=True,
    condition_on_previous_text=False,
    compression_ratio_threshold=e.COMPRESSION_RATIO_THRESHOLD,
    log_prob_threshold=e.LOG_PROB_THRESHOLD, no_speech_threshold=e.NO_SPEECH_THRESHOLD,
    temperature=list(e.TEMPERATURES),
    hallucination_silence_threshold=e.HALLUCINATION_SILENCE_THRESHOLD)
print(sum(1 for _ in segments))
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def build_recording(folder: Path, minutes: float) -> Path:
    from tests.media_factory import concat_wavs

    names = ["speech_en", "speech_en_2", "speech_en_3"]
    sources: list[Path] = []
    total = 0.0
    while total < minutes * 60:
        for name in names:
            sources.append(FIXTURES / f"{name}.wav")
            total += 7.0 + 2.0
    return concat_wavs(folder / "recording.wav", sources, gap_seconds=2.0)


def measure(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Best wall time and peak RSS (MB) of ``repeat`` runs (the first warms the caches)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *cmd],
            check=True, capture_output=True, text=True, env=env,
        ).stdout.split()  # fmt: skip
        runs.append((float(out[0]), int(out[1]) / 1024))
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from archive import Archive, KdfParams

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wav = build_recording(folder, args.minutes)
        archive = Archive.create(folder / "archive", PASSPHRASE, kdf=KdfParams.minimum())
        interview = archive.import_file(wav)
        pcm = folder / "working.pcm"  # the baseline's input: the same 16 kHz samples
        (archive.media.working_audio(interview.id) * 32768).astype("<i2").tofile(pcm)
        seconds = interview.duration or 0.0
        archive.close()
        env = {**os.environ, "SIDEBYSIDE_PASSPHRASE": PASSPHRASE}
        print(f"recording: {seconds / 60:.1f} min, {os.cpu_count()} cores")
        for model in args.models:
            base_wall, base_rss = measure(
                [sys.executable, "-c", BASELINE, model, str(pcm)], env, args.repeat
            )
            app_wall, app_rss = measure(
                [sys.executable, "-m", "desk", "transcribe", "--archive",
                 str(folder / "archive"), interview.id, "--model", model], env, args.repeat,
            )  # fmt: skip
            for label, wall, rss in (("bare faster-whisper", base_wall, base_rss),
                                     ("sidebyside transcribe", app_wall, app_rss)):  # fmt: skip
                print(f"{model:8} {label:22} {wall:7.1f} s  RTF {wall / seconds:.3f}  "
                      f"peak {rss:6.0f} MB")  # fmt: skip
            print(f"{model:8} ratio app / bare: {app_wall / base_wall:.2f}")


if __name__ == "__main__":
    main()
