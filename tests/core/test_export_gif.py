"""An export named ``film.gif``: a looping GIF of the film as an MP4 export would show it, its record
inside, a word before it starts where the film's sound cannot go, and nothing half-written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import read_metadata
from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, SettingNames, Soundtrack, TitleCard, check_output, export
from reelgen.core.export.timeline import Segment
from reelgen.core.progress import Progress, ProgressEvent
from tests.core.test_export import BLUE, GREEN, RED, _segments, cancel_half_way, clip, music


def _gif(path: Path) -> tuple[int, tuple[int, int], int | None, int, np.ndarray]:
    """A GIF as a browser reads it: frames, size, loop count (0: forever), total ms, the frames' pixels."""
    with Image.open(path) as image:
        count, total, pixels = int(getattr(image, "n_frames", 1)), 0, []
        for n in range(count):
            image.seek(n)
            total += image.info["duration"]
            pixels.append(np.asarray(image.convert("RGB"), dtype=int))
        return count, image.size, image.info.get("loop"), total, np.stack(pixels)


@pytest.fixture
def clips(tmp_path: Path) -> list[Path]:
    return [clip(tmp_path / f"{i}.mp4", c) for i, c in enumerate((RED, GREEN, BLUE))]


def test_a_gif_export_is_the_film_looping_with_its_record(clips: list[Path], tmp_path: Path) -> None:
    segments = [Segment("card", 0.5, card=TitleCard(text="Hi", background="#000000")), *_segments(clips)]
    mp4 = export(segments, ExportSettings(), tmp_path / "film.mp4")
    # The project's usual codec (h265 here) is the MP4's business: a GIF is written whatever it is.
    result = export(segments, ExportSettings(codec="h265"), tmp_path / "film.gif")

    count, size, loop, ms, pixels = _gif(result.path)
    assert (count, size, loop) == (mp4.frames, (48, 32), 0) == (28, (48, 32), 0)
    assert abs(ms / 1000 - mp4.seconds) <= 0.02  # 3.5 s, frames placed at their times
    # The film's pictures: the black card, then the red, green and blue scenes, give or take dithering.
    scenes = [pixels[i].reshape(-1, 3).mean(0) for i in (1, 8, 16, 24)]
    assert np.abs(np.array(scenes) - [(0, 0, 0), RED, GREEN, BLUE]).max() < 6
    # The record says what was written, beside it and inside it (a GIF comment).
    record = json.loads(result.sidecar.read_text())
    assert record == read_metadata(result.path)
    assert (record["encoder"], record["export"]["container"], record["export"]["codec"]) == (
        "gif",
        "gif",
        None,
    )
    assert record["output"]["frames"] == 28 and record["output"]["audio"] is False
    assert not result.audio and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_film_with_sound_says_before_it_starts_that_the_gif_has_none(tmp_path: Path) -> None:
    paths = [clip(tmp_path / "a.mp4", RED, tone=440.0), clip(tmp_path / "b.mp4", GREEN)]
    events: list[ProgressEvent] = []
    out = tmp_path / "film.gif"
    result = export(_segments(paths), ExportSettings(), out, progress=Progress(on_event=events.append))
    notes = [e.message for e in events if e.message]
    lost = (
        "the sound is not in film.gif: a GIF holds pictures only; write .mp4, .mov, .mkv or .webm to keep it"
    )
    assert notes == [f"warning: {lost}"]
    assert events.index(next(e for e in events if e.message)) < events.index(
        next(e for e in events if e.stage == "export" and e.step == 1)
    )
    assert json.loads(result.sidecar.read_text())["output"]["left_out"] == lost
    # Music alone counts as sound too; a silent film says nothing.
    song = Soundtrack(file=str(music(tmp_path / "song.wav", 1.0)))
    events.clear()
    export(
        _segments([paths[1]]),
        ExportSettings(),
        out,
        soundtrack=song,
        progress=Progress(on_event=events.append),
    )
    assert [e.message for e in events if e.message] == [f"warning: {lost}"]
    events.clear()
    export(_segments([paths[1]]), ExportSettings(), out, progress=Progress(on_event=events.append))
    assert [e.message for e in events if e.message] == []


def test_a_cancelled_gif_export_leaves_the_earlier_gif_and_no_half_written_file(
    clips: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "film.gif"
    export(_segments(clips), ExportSettings(), out)
    before, record = out.read_bytes(), out.with_suffix(".json").read_text()
    cancel_half_way(_segments(clips, "dissolve"), ExportSettings(), out)
    assert out.read_bytes() == before and out.with_suffix(".json").read_text() == record
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.mp4", "1.mp4", "2.mp4", "film.gif", "film.json"]


def test_a_gif_export_above_100_fps_holds_a_frame_a_hundredth_and_the_film_length(
    clips: list[Path], tmp_path: Path
) -> None:
    # A GIF times frames in hundredths: at 240 fps the export failed after drawing the whole film.
    events: list[ProgressEvent] = []
    out = tmp_path / "film.gif"
    result = export(_segments(clips), ExportSettings(fps=240), out, progress=Progress(on_event=events.append))
    count, _, _, ms, _ = _gif(result.path)
    record = json.loads(result.sidecar.read_text())
    assert count == record["output"]["frames"] == read_metadata(out)["output"]["frames"] == 301
    assert abs(ms / 1000 - result.seconds) <= 0.01  # 720 frames: 3 s
    assert any("a GIF holds at most 100 frames a second" in (e.message or "") for e in events)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (("codec",), "--codec: film.gif is an animated GIF"),
        (("container", "codec"), "--container and --codec: film.gif is an animated GIF"),
    ],
)
def test_a_codec_or_container_given_for_a_gif_is_refused_as_typed(given: tuple[str, ...], said: str) -> None:
    names = SettingNames(frozenset({*given, "output"}), "--")
    with pytest.raises(InvalidRequest) as err:
        check_output(Path("film.gif"), ExportSettings(container="webm"), names)
    assert err.value.message.startswith(said)
    assert "has no container, codec or crf; leave" in err.value.message
    assert err.value.param == f"--{given[0]}"
    # The project file's own settings are its films': a GIF asked for over them is made.
    check_output(Path("film.gif"), ExportSettings(container="webm", codec="av1", crf=30))


def test_a_gif_asked_of_a_server_is_refused_naming_what_the_server_writes() -> None:
    names = SettingNames(frozenset({"output"}), "--")
    with pytest.raises(InvalidRequest) as err:
        check_output(Path("film.gif"), ExportSettings(container="webm"), names, on_server=True)
    assert err.value.message == (
        "--output: film.gif would be an animated GIF, but an export on a server writes a .webm film "
        "(export.container); name it film.webm, or export without --server to make the GIF"
    )
