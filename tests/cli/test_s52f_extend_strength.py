"""--strength beside --task extend is refused: extend continues the clip and repaints none of it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app


def _clip(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(9):
            frame = np.full((64, 64, 3), 120, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return path


def test_strength_with_extend_is_refused_by_name(tmp_path: Path) -> None:
    # It ran, the record said source_strength 0.3, and no extend runner (LTX-Video, Wan VACE,
    # SkyReels-V2) read it: the clip was the same as without it.
    clip, out = _clip(tmp_path / "in.mp4"), tmp_path / "more.mp4"
    args = ["generate", "a fox", "-m", "ltx-tiny", "--task", "extend", "--video", str(clip)]
    result = CliRunner().invoke(app, [*args, "--strength", "0.3", "-o", str(out)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        "error: --strength: task extend continues the source clip (--video) from its end and repaints "
        "none of it, so a strength would be ignored; leave it out, or ask for task v2v to repaint the clip"
    ) in said
    assert not out.exists()


def test_the_api_refuses_it_too(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from reelgen.api.app import create_app
    from reelgen.api.settings import ApiSettings
    from reelgen.jobs.settings import JobSettings

    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "jobs"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as client:
        form = {"prompt": "a fox", "model": "ltx-tiny", "task": "extend", "source_strength": "0.3"}
        clip = _clip(tmp_path / "in.mp4").read_bytes()
        resp = client.post("/v1/videos", data=form, files={"source_video": ("in.mp4", clip, "video/mp4")})
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["param"] == "source_strength"
        assert resp.json()["error"]["message"].startswith("source_strength: task extend continues")
        assert client.get("/v1/videos").json()["data"] == []
