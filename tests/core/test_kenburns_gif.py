"""Ken Burns clips written as GIF: warned about browser speed as a model's render is, and recorded as held."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from reelgen.core.motion import CameraPath, Rect
from reelgen.core.motion.kenburns import KenBurnsRequest, render_ken_burns
from reelgen.core.progress import Progress, ProgressEvent


def _render(tmp_path: Path, name: str, fps: float, frames: int = 13) -> tuple[list[str], dict]:
    photo = tmp_path / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    path = CameraPath(
        start=Rect(x=0, y=0, width=480, height=360), end=Rect(x=40, y=30, width=400, height=300)
    )
    request = KenBurnsRequest(image=str(photo), path=path, width=64, height=48, num_frames=frames, fps=fps)
    events: list[ProgressEvent] = []
    result = render_ken_burns(request, tmp_path / name, progress=Progress(on_event=events.append))
    return [e.message for e in events if e.message], result.metadata


def test_a_ken_burns_gif_above_50_fps_warns_it_plays_slower_in_browsers(tmp_path: Path) -> None:
    messages, _ = _render(tmp_path, "kb.gif", 60.0)
    warned = [m for m in messages if "60 fps is faster than a GIF plays in browsers" in m]
    assert len(warned) == 1 and warned[0].startswith("warning: ") and "make it 50 fps or less" in warned[0]
    assert (tmp_path / "kb.gif").is_file()


@pytest.mark.parametrize(("name", "fps"), [("kb.gif", 25.0), ("kb.mp4", 60.0)])
def test_no_warning_where_the_clip_plays_as_timed(tmp_path: Path, name: str, fps: float) -> None:
    messages, _ = _render(tmp_path, name, fps)
    assert not any("GIF" in m for m in messages)


def test_a_ken_burns_gif_above_100_fps_records_the_frames_it_holds(tmp_path: Path) -> None:
    """A GIF keeps one frame a hundredth of a second: the record said all 24 of a 200 fps clip."""
    messages, record = _render(tmp_path, "kb.gif", 200.0, frames=24)
    assert any("frames less than 1/100 s after the one before are left out" in m for m in messages)
    with Image.open(tmp_path / "kb.gif") as gif:
        held = gif.n_frames
    assert held < 24 and record["output"]["frames"] == held
