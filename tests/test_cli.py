"""The command line: the whole flow with Internet sockets blocked; one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archive.vault import HEADER_SIZE
from desk.cli import main

from .conftest import FAST_KDF_ARGS, FIXTURES, PASSPHRASE


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    def invoke(*args: str, passphrase: str | None = PASSPHRASE, new: str | None = None):
        if passphrase is None:
            monkeypatch.delenv("SIDEBYSIDE_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("SIDEBYSIDE_PASSPHRASE", passphrase)
        if new is not None:
            monkeypatch.setenv("SIDEBYSIDE_NEW_PASSPHRASE", new)
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_internet_sockets_are_blocked_in_this_process():
    with pytest.raises(Exception):  # noqa: B017 - pytest-socket's or the guard's error
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_whole_flow(run, tmp_path: Path):
    arch = tmp_path / "archive"
    code, out, _ = run("init", "--archive", arch, *FAST_KDF_ARGS)
    assert code == 0 and "Created" in out

    files = [FIXTURES / n for n in ("speech_en.wav", "speech_en.mp3", "speech_en.mp4")]
    code, out, err = run(
        "import", "--archive", arch, *files, "--narrator", "Սիրանուշ", "--date", "1989-05",
        "--place", "Sumgait", "--language", "hy", "--language", "ru", "--title", "Neighbours",
    )  # fmt: skip
    ids = out.split()
    assert code == 0 and len(ids) == 3 and err == ""

    code, out, _ = run("list", "--json")  # default archive: the last one opened
    listed = json.loads(out)
    assert [i["id"] for i in listed] == ids
    assert listed[0]["narrator_name"] == "Սիրանուշ" and listed[0]["languages"] == ["hy", "ru"]
    code, out, _ = run("list", "--archive", arch)
    assert code == 0 and "Սիրանուշ" in out and "1989-05" in out

    back = tmp_path / "back.mp4"
    code, out, _ = run("original", "--archive", arch, ids[2], back)
    assert code == 0 and back.read_bytes() == files[2].read_bytes()

    code, out, _ = run("verify", "--archive", arch)
    assert code == 0 and out.startswith("OK") and "6 media files" in out

    code, out, _ = run("passwd", "--archive", arch, new="new passphrase ա")
    assert code == 0
    code, _, err = run("list", "--archive", arch)
    assert (
        code == 1
        and err == "error: Wrong passphrase: this passphrase does not unlock the archive.\n"
    )
    code, out, _ = run("list", "--archive", arch, passphrase="new passphrase ա")
    assert code == 0 and len(out.splitlines()) == 4


def test_import_reports_each_bad_file_and_keeps_the_good(run, tmp_path: Path):
    arch = tmp_path / "archive"
    run("init", "--archive", arch, *FAST_KDF_ARGS)
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio")
    code, out, err = run("import", "--archive", arch, notes, FIXTURES / "speech_en.ogg")
    assert code == 1
    assert len(out.split()) == 1
    assert err == "error: notes.wav is not an audio or video file that can be read.\n"


def test_verify_names_a_tampered_file(run, tmp_path: Path):
    arch = tmp_path / "archive"
    run("init", "--archive", arch, *FAST_KDF_ARGS)
    run("import", "--archive", arch, FIXTURES / "speech_en.flac")
    victim = sorted((arch / "vault").iterdir())[0]
    data = bytearray(victim.read_bytes())
    data[HEADER_SIZE + 3] ^= 1
    victim.write_bytes(bytes(data))
    code, out, err = run("verify", "--archive", arch)
    assert code == 1
    assert f"PROBLEM media {victim.name}: Media file {victim.name} failed its integrity" in out
    assert "FAILED: 1 problem" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--archive", "/nonexistent/archive"], "error: No archive at"),
        (["original", "--archive", "{arch}", "nosuchid", "{tmp}/x"], "error: Interview nosuchid"),
        (["import", "--archive", "{arch}", "{tmp}/missing.wav"], "error: missing.wav does not"),
        (["init", "--archive", "{arch}"], "error: There is already an archive"),
    ],
)
def test_errors_are_one_line(run, tmp_path: Path, args: list[str], message: str):
    arch = tmp_path / "archive"
    run("init", "--archive", arch, *FAST_KDF_ARGS)
    code, _, err = run(*[a.format(arch=arch, tmp=tmp_path) for a in args])
    assert code == 1
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_no_passphrase_without_terminal(run, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    code, _, err = run("list", "--archive", tmp_path, passphrase=None)
    assert code == 1 and "SIDEBYSIDE_PASSPHRASE" in err


def test_no_archive_given_and_none_remembered(run):
    code, _, err = run("list")
    assert code == 1 and "--archive" in err


def test_no_command_opens_the_desktop(run, monkeypatch):
    import desk.app

    opened: list[bool] = []
    monkeypatch.setattr(desk.app, "run", lambda demo=False: opened.append(demo) or 0)
    assert run()[0] == 0
    assert run("demo")[0] == 0
    assert opened == [False, True]


def test_console_script_in_a_subprocess_has_no_network_and_no_traceback(tmp_path: Path):
    script = (
        "import socket, sys\n"
        "from desk.cli import main\n"
        "code = main(['list', '--archive', sys.argv[1]])\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9))\n"
        "except PermissionError as exc:\n"
        "    print('blocked:', exc)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "SIDEBYSIDE_PASSPHRASE": "x"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "none")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == "blocked: Side by Side never uses the network.\n"
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
