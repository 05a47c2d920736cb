"""``reelgen enhance --server`` checks -o as a run here does, before anything is uploaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

#: Nothing listens here: a check that lets the command reach the network fails with "cannot reach".
NOBODY = "http://127.0.0.1:1"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["enhance", *args, "-q"])
    return result.exit_code, " ".join(result.output.split())


def test_an_output_that_is_the_input_is_refused_before_the_upload(tmp_path: Path) -> None:
    # The download went over IN itself: the clip the person had was gone.
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"my only copy")
    code, said = _run(str(clip), "-o", str(clip), "--interpolate", "2", "--server", NOBODY)
    assert code == 2 and f"--output {clip} is the input; give another file name" in said, said
    assert clip.read_bytes() == b"my only copy"


def test_a_persons_own_json_beside_the_output_is_kept(tmp_path: Path) -> None:
    # The record went to OUT.json over whatever JSON was there.
    clip, mine = tmp_path / "clip.mp4", tmp_path / "out.json"
    clip.write_bytes(b"video")
    mine.write_text('{"mine": 1}')
    code, said = _run(str(clip), "-o", str(tmp_path / "out.mp4"), "--upscale", "2", "--server", NOBODY)
    assert code == 2 and "which is not a record reelgen wrote" in said, said
    assert mine.read_text() == '{"mine": 1}'


def test_nothing_asked_is_said_before_the_upload_in_the_flags_words(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"video")
    code, said = _run(str(clip), "-o", str(tmp_path / "out.mp4"), "--server", NOBODY)
    assert code == 2 and "nothing to do: ask for --interpolate, --target-fps or --upscale" in said, said


def test_folders_on_the_way_to_the_output_are_made_as_a_run_here_makes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The job ran, then the download failed as "internal error (FileNotFoundError ...)".
    from reelgen.cli import client, download

    class Answer:
        def json(self) -> dict[str, Any]:
            return {"id": "video_00", "status": "completed"}

    def fetched(server: str, key: str | None, video_id: str, out: Path) -> None:
        out.write_bytes(b"enhanced")

    monkeypatch.setattr(client, "_call", lambda *args, **kwargs: Answer())
    monkeypatch.setattr(client, "_watch", lambda *args, **kwargs: "completed")
    monkeypatch.setattr(download, "fetch_with_record", fetched)
    clip, out = tmp_path / "clip.mp4", tmp_path / "new" / "deep" / "out.mp4"
    clip.write_bytes(b"video")
    code, said = _run(str(clip), "-o", str(out), "--interpolate", "2", "--server", NOBODY)
    assert code == 0, said
    assert out.read_bytes() == b"enhanced"
