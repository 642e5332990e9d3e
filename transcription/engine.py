"""Whisper on the CPU through faster-whisper (CTranslate2), segment by segment.

``Engine.transcribe`` returns a ``TranscriptionRun`` at once (language and duration
known) and yields segments as they are decoded, so the caller can commit each one and
a crashed job can resume from its last committed segment with ``start_offset``.

Guards against Whisper's known failure modes: Silero VAD (bundled in faster-whisper)
cuts silences, where Whisper invents text; no conditioning on the previous text, which
is how repetition loops start; the usual compression-ratio / log-prob / no-speech
thresholds with temperature fallback; and a post-filter that drops empty segments and
the third and later verbatim repeats of a segment.  Times are clamped into the audio.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from transcription.alignment import stream_align
from transcription.errors import ModelError, ModelVerificationError
from transcription.languages import WHISPER_LANGUAGES, LanguageError, normalise_language
from transcription.models import REQUIRED_FILES, ModelInfo
from transcription.offline import ensure_offline

if TYPE_CHECKING:
    from numpy.typing import NDArray

SAMPLE_RATE = 16_000
# Whisper's usual fallback: decode greedily/beam first, sample hotter on failure.
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
COMPRESSION_RATIO_THRESHOLD = 2.4
LOG_PROB_THRESHOLD = -1.0
NO_SPEECH_THRESHOLD = 0.6
# Skip silences longer than this (seconds) around a suspected hallucination.  VAD already
# removes pauses over 2 s, so this only catches what VAD let through.
HALLUCINATION_SILENCE_THRESHOLD = 2.0
# Tokens decoded per 30 s window, as in OpenAI's Whisper (faster-whisper allows ~444).
# Whisper was trained on no more; a repetition loop stops twice as early.
MAX_NEW_TOKENS = 224
# Seed of CTranslate2's sampler (used by the temperature fallback), set before a model's
# first decode, so that one audio file gives the same text in every new process.
RANDOM_SEED = 0
# A segment may repeat the one before it this many times; later repeats are dropped.
MAX_REPEATS = 2


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str  # as Whisper gives it, usually with its leading space
    probability: float


@dataclass(frozen=True)
class TranscribedSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    language: str
    words: tuple[Word, ...]
    translation: str | None = None  # English, beside the original text


@dataclass(frozen=True)
class TranscribeOptions:
    language: str | None = None  # None = auto-detect
    translate: bool = False  # also translate to English (stored beside the text)
    beam_size: int = 5
    vad: bool = True
    start_offset: float = 0.0  # seconds already transcribed (resume after a crash)


@dataclass
class TranscriptionRun:
    """A transcription under way; iterate it (once) for its segments.

    ``duration`` is that of the whole audio, ``start_offset`` where this run began;
    progress is ``segment.end / duration``.
    """

    language: str
    language_probability: float
    duration: float
    start_offset: float
    segments: Iterator[TranscribedSegment] = field(repr=False)

    def __iter__(self) -> Iterator[TranscribedSegment]:
        return self.segments


def validate_options(model: ModelInfo, options: TranscribeOptions) -> str | None:
    """Check options against the model; return the normalised language code (or None).

    Raises LanguageError for an unknown code, a language the model does not know
    (e.g. Russian with an English-only model) or translation with such a model.
    """
    if options.beam_size < 1:
        raise ValueError(f"beam_size must be at least 1, not {options.beam_size}.")
    if not options.start_offset >= 0:
        raise ValueError(f"start_offset must be >= 0, not {options.start_offset}.")
    code = None if options.language is None else normalise_language(options.language)
    if code is not None and code not in model.languages:
        name = WHISPER_LANGUAGES[code]
        if model.languages == ("en",):
            raise LanguageError(
                f"Model {model.name!r} knows English only; to transcribe {name} ({code}) "
                "choose a multilingual model such as 'base'."
            )
        raise LanguageError(f"Model {model.name!r} does not know {name} ({code}).")
    if options.translate and not model.multilingual:
        raise LanguageError(
            f"Model {model.name!r} knows English only and cannot translate; "
            "choose a multilingual model such as 'base'."
        )
    return code


def _clamp(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), high))


def clean_segments(
    raw: Iterable[Any], offset: float, duration: float, language: str
) -> Iterator[TranscribedSegment]:
    """faster-whisper segments -> ours: shifted, clamped, empty ones and loops dropped."""
    prev_end = offset
    last_key, repeats = "", 0
    for seg in raw:
        text = seg.text.strip()
        if not text:
            continue
        key = " ".join(text.casefold().split())
        repeats = repeats + 1 if key == last_key else 0
        last_key = key
        if repeats > MAX_REPEATS:
            continue
        start = _clamp(float(seg.start) + offset, prev_end, duration)
        end = _clamp(float(seg.end) + offset, start, duration)
        if end <= start:  # wholly outside the audio or inside the previous segment
            continue
        words = []
        for w in seg.words or ():
            w_start = _clamp(float(w.start) + offset, start, end)
            w_end = _clamp(float(w.end) + offset, w_start, end)
            words.append(Word(w_start, w_end, w.word, float(w.probability)))
        prev_end = end
        yield TranscribedSegment(
            start=start,
            end=end,
            text=text,
            avg_logprob=float(seg.avg_logprob),
            no_speech_prob=float(seg.no_speech_prob),
            compression_ratio=float(seg.compression_ratio),
            language=language,
            words=tuple(words),
        )


def _until_cancelled(
    segments: Iterator[TranscribedSegment], should_cancel: Callable[[], bool] | None
) -> Iterator[TranscribedSegment]:
    try:
        while should_cancel is None or not should_cancel():
            seg = next(segments, None)
            if seg is None:
                return
            yield seg
    finally:
        close = getattr(segments, "close", None)
        if close is not None:
            close()


def as_audio(audio: Any) -> NDArray[np.float32]:
    """Mono float32 samples (16 kHz is the caller's promise)."""
    samples = np.asarray(audio, dtype=np.float32)
    if samples.ndim != 1:
        raise ValueError(f"Audio must be mono (one dimension), not shape {samples.shape}.")
    return samples


class Engine:
    """One model, loaded on first use and kept; runs on the CPU only."""

    def __init__(
        self, model: ModelInfo, *, threads: int | None = None, compute_type: str = "int8"
    ) -> None:
        if not model.verified:
            raise ModelVerificationError(f"Model {model.name!r} is refused: {model.problem}.")
        self.model = model
        self.threads = threads or os.cpu_count() or 1
        self.compute_type = compute_type
        self._whisper: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """The faster-whisper model (loaded once; call early to warm up)."""
        with self._lock:
            if self._whisper is None:
                missing = [f for f in REQUIRED_FILES if not (self.model.path / f).is_file()]
                if missing:  # faster-whisper would try to download what is missing
                    raise ModelError(f"Model {self.model.name!r} lacks {', '.join(missing)}.")
                ensure_offline()
                import ctranslate2
                from faster_whisper import WhisperModel

                ctranslate2.set_random_seed(RANDOM_SEED)

                self._whisper = WhisperModel(
                    str(self.model.path),
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.threads,
                    local_files_only=True,
                )
            return self._whisper

    def _decode(
        self,
        audio: NDArray[np.float32],
        language: str | None,
        task: str,
        options: TranscribeOptions,
    ) -> tuple[Iterator[Any], Any]:
        return self.load().transcribe(
            audio,
            language=language,
            task=task,
            beam_size=options.beam_size,
            vad_filter=options.vad,
            word_timestamps=True,
            condition_on_previous_text=False,
            compression_ratio_threshold=COMPRESSION_RATIO_THRESHOLD,
            log_prob_threshold=LOG_PROB_THRESHOLD,
            no_speech_threshold=NO_SPEECH_THRESHOLD,
            temperature=list(TEMPERATURES),
            hallucination_silence_threshold=HALLUCINATION_SILENCE_THRESHOLD,
            max_new_tokens=MAX_NEW_TOKENS,
            log_progress=False,
        )

    def transcribe(
        self,
        audio: Any,
        options: TranscribeOptions | None = None,
        *,
        should_cancel: Callable[[], bool] | None = None,
    ) -> TranscriptionRun:
        """Start transcribing 16 kHz mono float32 ``audio``; segments come as decoded.

        Raises at once for bad options; decoding happens while iterating the run.  With
        ``start_offset``, only the audio after it is decoded and every time stays in
        the whole audio's timeline (pass the language of the first run when resuming).
        ``should_cancel`` is polled before each segment.
        """
        options = options or TranscribeOptions()
        language = validate_options(self.model, options)
        samples = as_audio(audio)
        duration = len(samples) / SAMPLE_RATE
        first = min(len(samples), round(options.start_offset * SAMPLE_RATE))
        offset = first / SAMPLE_RATE
        rest = samples[first:]
        if len(rest) == 0:
            guess = language or (self.model.languages[0] if not self.model.multilingual else "")
            return TranscriptionRun(guess, 0.0, duration, offset, iter(()))

        raw, info = self._decode(rest, language, "transcribe", options)
        segments = clean_segments(raw, offset, duration, info.language)
        if options.translate and info.language != "en":
            raw_tr, _ = self._decode(rest, info.language, "translate", options)
            segments = stream_align(segments, clean_segments(raw_tr, offset, duration, "en"))
        return TranscriptionRun(
            language=info.language,
            language_probability=float(info.language_probability),
            duration=duration,
            start_offset=offset,
            segments=_until_cancelled(segments, should_cancel),
        )
