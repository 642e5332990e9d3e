"""``sidebyside record`` and ``recover``: killed mid-recording, Ctrl+C, no device, no plaintext.

The recording process is real (a subprocess of the CLI, or of a few lines of the
archive API), killed with SIGKILL while it records; what it committed is recovered
and compared sample by sample with the file it was fed.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from archive import Archive
from archive.paths import app_data_dir
from archive.recording_pcm import PcmFormat, canary_pcm
from desk.cli import main

from .conftest import FAST_KDF, PASSPHRASE, vault_names

ROOT = Path(__file__).parent.parent
STEREO_24 = PcmFormat(48_000, 2, 3)


def write_canary(path: Path, seconds: float, fmt: PcmFormat) -> bytes:
    pcm = canary_pcm(0, int(seconds * fmt.sample_rate), fmt)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(fmt.channels)
        w.setsampwidth(fmt.sample_width)
        w.setframerate(fmt.sample_rate)
        w.writeframes(pcm)
    return pcm


@pytest.fixture
def made(archive_path: Path) -> Path:
    Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF).close()
    return archive_path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", PASSPHRASE)
    return {**os.environ, "SIDEBYSIDE_PASSPHRASE": PASSPHRASE}


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "desk", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_start(proc: subprocess.Popen[str]) -> str:
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("Recording "), line + proc.stderr.read()
    return line


def original(archive: Archive, interview_id: str) -> bytes:
    return archive.media.read_all(archive.media.of_role(interview_id, "original").id)


def test_record_from_file_is_lossless(made: Path, tmp_path: Path, env, capsys):
    pcm = write_canary(tmp_path / "take.wav", 3.0, STEREO_24)
    assert main(["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav"),
                 "--title", "Ganja, 1989", "--language", "az"]) == 0  # fmt: skip
    interview_id = capsys.readouterr().out.strip()
    with Archive.open(made, PASSPHRASE) as a:
        interview = a.interviews.get(interview_id)
        assert (interview.title, interview.languages, interview.duration) == (
            "Ganja, 1989", ("az",), 3.0,
        )  # fmt: skip
        assert original(a, interview_id)[44:] == pcm
    assert main(["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav"),
                 "--seconds", "1.25"]) == 0  # fmt: skip
    with Archive.open(made, PASSPHRASE) as a:
        second = a.interviews.get(capsys.readouterr().out.strip())
        assert second.duration == 1.25
        assert original(a, second.id)[44:] == pcm[: 60_000 * STEREO_24.frame_size]


def test_sigkill_mid_recording_recovers_all_flushed_audio(made: Path, tmp_path: Path, env):
    """The CLI, killed with SIGKILL while recording a file at real-time pace."""
    pcm = write_canary(tmp_path / "take.wav", 10.0, STEREO_24)
    proc = spawn(["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav"),
                  "--paced", "--flush-seconds", "0.5"], env)  # fmt: skip
    wait_for_start(proc)
    time.sleep(2.6)
    proc.kill()
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()

    with Archive.open(made, PASSPHRASE) as a:
        (info,) = a.recordings.unfinished()
        assert info.status == "interrupted"
        # Flushed every 0.5 s: at most the last half second (+ start-up) is missing.
        assert 1.5 <= info.duration <= 2.6 and info.frames % 24_000 == 0
        assert a.verify().ok
        interview = a.recordings.recover(info.id)
        data = original(a, interview.id)
        assert data[44:] == pcm[: info.frames * STEREO_24.frame_size]
        with av.open(io.BytesIO(data)) as container:  # playable
            stream = container.streams.audio[0]
            decoded = sum(f.samples for f in container.decode(stream))
            assert (stream.codec_context.name, stream.channels) == ("pcm_s24le", 2)
        assert decoded == info.frames
        assert a.verify().ok
        assert a.recordings.unfinished() == []
        assert vault_names(made) == {m.id for m in a.media.list()}


KILLED_HELPER = """
import sys, time
from archive import Archive
from archive.recording_pcm import PcmFormat, canary_pcm
fmt = PcmFormat(48000, 1, 2)
archive = Archive.open(sys.argv[1], sys.argv[2])
writer = archive.recordings.start(fmt, background=True, flush_seconds=0.25)
for n in range(40):
    writer.feed(canary_pcm(n * 2400, 2400, fmt))
    if n == 10:
        writer.add_marker(note="Khojaly")
    if n == 20:
        writer.add_marker(kind="verbal_consent")
writer.wait_flushed()
print("flushed", writer.frames, flush=True)
writer.feed(canary_pcm(40 * 2400, 2400, fmt))  # never flushed: lost with the process
time.sleep(60)
"""


def test_sigkill_of_an_api_recorder_keeps_markers(made: Path):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_HELPER, str(made), PASSPHRASE],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    word, frames = proc.stdout.readline().split()
    assert word == "flushed" and int(frames) == 96_000
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    fmt = PcmFormat(48_000, 1, 2)
    with Archive.open(made, PASSPHRASE) as a:
        (info,) = a.recordings.unfinished()
        assert info.frames == 96_000 and info.markers == 2
        interview = a.recordings.recover(info.id)
        assert original(a, interview.id)[44:] == canary_pcm(0, 96_000, fmt)
        clips = a.clips.for_interview(interview.id)
        assert [(c.kind, c.start, c.note) for c in clips] == [
            ("marker", 0.55, "Khojaly"),
            ("verbal_consent", 1.0, None),
        ]
        assert a.consent.get(interview.id).release_clip_id == clips[1].id
        assert a.verify().ok


def test_ctrl_c_stops_and_saves(made: Path, tmp_path: Path, env):
    pcm = write_canary(tmp_path / "take.wav", 20.0, STEREO_24)
    proc = spawn(["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav"),
                  "--paced", "--seconds", "15"], env)  # fmt: skip
    wait_for_start(proc)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    interview_id = out.strip()
    assert "Saved 0:00:0" in err and "Traceback" not in err
    with Archive.open(made, PASSPHRASE) as a:
        interview = a.interviews.get(interview_id)
        assert 1.0 <= interview.duration <= 3.0
        frames = round(interview.duration * 48_000)
        assert original(a, interview_id)[44:] == pcm[: frames * STEREO_24.frame_size]
        assert a.recordings.unfinished() == []


def test_no_plaintext_audio_on_disk_while_recording(made: Path, tmp_path: Path, env):
    """Scan the archive, temp and app data folders during a recording for the canary's PCM."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    source = tmp_path / "source"
    source.mkdir()
    pcm = write_canary(source / "canary.wav", 4.0, STEREO_24)
    needles = [pcm[i : i + 64] for i in range(0, len(pcm) - 64, len(pcm) // 40)]
    data_dir = app_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    # The recorder's temp folder (its tempfile.gettempdir()) is tmpdir, through TMPDIR.
    folders = [made, tmpdir, data_dir]

    def scan() -> list[str]:
        found = []
        for folder in folders:
            for path in folder.rglob("*"):
                if path.is_file() and source not in path.parents:
                    try:
                        data = path.read_bytes()
                    except OSError:
                        continue  # vanished while looking (a temp file renamed)
                    if any(n in data for n in needles):
                        found.append(str(path))
        return found

    proc = spawn(["record", "--archive", str(made), "--from-file", str(source / "canary.wav"),
                  "--paced", "--flush-seconds", "0.5"], {**env, "TMPDIR": str(tmpdir)})  # fmt: skip
    wait_for_start(proc)
    scans = 0
    while proc.poll() is None:
        assert scan() == []
        scans += 1
        time.sleep(0.3)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    proc.stdout.close()
    proc.stderr.close()
    assert scans >= 5
    assert scan() == []  # and once saved (original, working copy)
    with Archive.open(made, PASSPHRASE) as a:  # it really is the canary, inside
        assert original(a, a.interviews.list()[0].id)[44:] == pcm
    assert any(n in (source / "canary.wav").read_bytes() for n in needles)  # the scan works


def test_record_without_a_device_fails_clearly(made: Path, env):
    no_audio = {**env, "PULSE_SERVER": "unix:/nonexistent/pulse", "PIPEWIRE_REMOTE": "none"}
    result = subprocess.run(
        [sys.executable, "-m", "desk", "record", "--archive", str(made), "--seconds", "1"],
        env=no_audio, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "error: No audio input device was found" in result.stderr
    assert "--from-file" in result.stderr and "Traceback" not in result.stderr
    with Archive.open(made, PASSPHRASE) as a:
        assert a.recordings.unfinished() == [] and a.interviews.list() == []


def test_recover_lists_saves_and_discards(made: Path, capsys, env):
    fmt = PcmFormat(48_000, 1, 2)
    with Archive.open(made, PASSPHRASE) as a:
        ids = []
        for seconds in (1.0, 2.0):
            writer = a.recordings.start(fmt, device="Zoom H5")
            writer.feed(canary_pcm(0, int(seconds * 48_000), fmt))
            writer.close()
            ids.append(writer.id)
    assert main(["recover", "--archive", str(made)]) == 0
    listing = capsys.readouterr().out
    assert ids[0] in listing and "0:00:02" in listing and "stopped" in listing
    assert main(["recover", "--archive", str(made), "--discard", ids[0]]) == 0
    assert main(["recover", "--archive", str(made), "--json"]) == 0
    out = capsys.readouterr().out
    assert ids[0] not in out and '"device": "Zoom H5"' in out
    assert main(["record", "--archive", str(made), "--recover"]) == 0
    interview_id = capsys.readouterr().out.strip()
    assert main(["recover", "--archive", str(made), ids[1]]) == 1  # already saved
    assert "cannot be saved now" in capsys.readouterr().err
    with Archive.open(made, PASSPHRASE) as a:
        assert a.interviews.get(interview_id).duration == 2.0
        assert a.recordings.unfinished() == []


def test_recording_options_are_checked(made: Path, tmp_path: Path, env, capsys):
    write_canary(tmp_path / "take.wav", 0.5, STEREO_24)
    base = ["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav")]
    assert main([*base, "--flush-seconds", "30"]) == 1
    assert main([*base, "--seconds", "0"]) == 1
    assert main(["record", "--archive", str(made), "--from-file", str(tmp_path / "none.wav")]) == 1
    err = capsys.readouterr().err
    assert "--flush-seconds" in err and "--seconds" in err and "does not exist" in err


def test_list_devices_names_inputs_or_says_there_are_none(env):
    result = subprocess.run(
        [sys.executable, "-m", "desk", "record", "--list-devices"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if result.returncode == 0:
        assert "kHz" in result.stdout and "records " in result.stdout
    else:
        assert "No audio input device was found" in result.stderr


def test_working_copy_matches_an_import_of_the_same_audio(made: Path, tmp_path: Path, env, capsys):
    """Recorded or imported, the same audio gets the same 16 kHz working copy."""
    write_canary(tmp_path / "take.wav", 2.0, STEREO_24)
    assert main(["record", "--archive", str(made), "--from-file", str(tmp_path / "take.wav")]) == 0
    recorded = capsys.readouterr().out.strip()
    with Archive.open(made, PASSPHRASE) as a:
        imported = a.import_file(tmp_path / "take.wav")
        assert np.array_equal(a.media.working_audio(recorded), a.media.working_audio(imported.id))


# -- a real capture device: a private PulseAudio server with a null sink ------------------


@pytest.fixture(scope="module")
def pulse_server(tmp_path_factory: pytest.TempPathFactory):
    """A PulseAudio daemon of this test's own (null sink, its monitor as a plain input).

    Private (its own socket, no default.pa), so the rest of the suite never sees an
    audio device because of it.  Skipped where PulseAudio is not installed.
    """
    exe = shutil.which("pulseaudio")
    if exe is None:
        pytest.skip("PulseAudio is not installed here (.ci/run installs it, best effort)")
    runtime = tmp_path_factory.mktemp("pulse")
    sock = runtime / "native"
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime),
           "PULSE_RUNTIME_PATH": str(runtime), "PULSE_STATE_PATH": str(runtime)}  # fmt: skip
    daemon = subprocess.Popen(
        [exe, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "--log-target=stderr", "--log-level=error",
         "-L", f"module-native-protocol-unix socket={sock} auth-anonymous=1",
         "-L", "module-null-sink sink_name=sbs_null",
         "-L", "module-remap-source master=sbs_null.monitor source_name=sbs_mic "
               "source_properties=device.description=SbsMic"],
        env=env, cwd=runtime, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not sock.exists() and daemon.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not sock.exists():
        daemon.kill()
        pytest.skip("PulseAudio did not start here")
    yield {"PULSE_SERVER": f"unix:{sock}"}
    daemon.terminate()
    daemon.wait(timeout=10)


def test_records_from_a_real_capture_device(made: Path, tmp_path: Path, env, pulse_server):
    """QMediaDevices and QAudioSource through the CLI: a tone played into the sink is heard."""
    audio_env = {**env, **pulse_server}
    listing = subprocess.run(
        [sys.executable, "-m", "desk", "record", "--list-devices"],
        env=audio_env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listing.returncode == 0 and "SbsMic" in listing.stdout, listing.stderr
    player = None
    if shutil.which("paplay"):
        write_canary(tmp_path / "tone.wav", 15.0, PcmFormat(48_000, 2, 2))
        player = subprocess.Popen(
            ["paplay", "-d", "sbs_null", str(tmp_path / "tone.wav")],
            env=audio_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        result = subprocess.run(
            [sys.executable, "-m", "desk", "record", "--archive", str(made), "--seconds", "2",
             "--device", "sbsmic", "--title", "Real device"],
            env=audio_env, cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        if player is not None:
            player.kill()
            player.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    assert "from SbsMic" in result.stderr and "48 kHz · 24-bit · stereo" in result.stderr
    with Archive.open(made, PASSPHRASE) as a:
        interview = a.interviews.get(result.stdout.strip())
        assert interview.duration == 2.0 and interview.title == "Real device"
        media = a.media.of_role(interview.id, "original")
        assert (media.sample_rate, media.channels, media.codec) == (48_000, 2, "pcm_s24le")
        data = original(a, interview.id)
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            assert sum(f.samples for f in container.decode(stream)) == 96_000
        if player is not None:  # the tone went through the sink into the recording
            pcm = np.frombuffer(data[44:], dtype=np.uint8).reshape(-1, 3)
            wide = np.zeros((len(pcm), 4), dtype=np.uint8)
            wide[:, 1:] = pcm
            assert np.abs(wide.view("<i4")).max() > 2**28
        assert a.verify().ok
