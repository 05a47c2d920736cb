"""`reelgen project export` whose encoder runs out of memory: the one "out of memory making NAME" line, exit 1."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import av
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.export import codecs

runner = CliRunner()


#: How a starved encoder fails: FFmpeg's ENOMEM, or x264's malloc failing as it takes a frame (what
#: 8192x4608 under `ulimit -v 1500000` gives: "internal error (ExternalError ... avcodec_send_frame()")").
FAILURES = [
    av.error.MemoryError(errno.ENOMEM, "Cannot allocate memory"),
    av.error.ExternalError(542398533, "Generic error in an external library", "avcodec_send_frame()"),
]


class _Starved:
    """A video stream whose encoder cannot get memory for a frame."""

    def __init__(self, stream: Any, failure: Exception) -> None:
        self._stream, self._failure = stream, failure

    def encode(self, frame: Any = None) -> list[Any]:
        raise self._failure

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@pytest.mark.parametrize("failure", FAILURES, ids=["enomem", "x264-malloc"])
def test_an_export_short_of_memory_says_so_and_leaves_nothing(
    failure: Exception, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: Tide\n"
        "defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}\n"
        "scenes:\n"
        "  - id: opening\n"
        "    title_card: {text: Hello}\n"
        "    duration: 1\n"
    )
    real = codecs.add_video_stream
    monkeypatch.setattr(codecs, "add_video_stream", lambda *a, **k: _Starved(real(*a, **k), failure))
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-o", str(tmp_path / "tide.mp4"), "-q"])
    # It was a raw av.error.MemoryError, or "internal error ... report it"; enhance and generate say this line.
    assert result.exit_code == 1, result.output
    assert result.output == (
        "error: out of memory making tide.mp4: its 1280x720 frames (2.8 MB each) did not fit in the "
        "machine's free memory; free some of its memory\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.yaml"]  # nothing half-written


def test_a_gif_export_short_of_memory_says_so_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.export import write

    (tmp_path / "project.yaml").write_text(
        "title: Tide\nscenes:\n  - id: opening\n    title_card: {text: Hello}\n    duration: 1\n"
    )

    def starved(*args: Any) -> int:  # numpy's memmap of the frames, refused (8192x4608 under ulimit -v)
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(write, "write_gif", starved)
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-o", str(tmp_path / "tide.gif"), "-q"])
    # It was "internal error (OSError: [Errno 12] Cannot allocate memory) ... report it".
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: out of memory making tide.gif: its 1280x720 frames"), (
        result.output
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.yaml"]
