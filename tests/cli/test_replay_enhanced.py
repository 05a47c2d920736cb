"""`reelgen replay` of a video `reelgen enhance` made: the same chain run again on the recorded source."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip
from tests.core.helpers import alike

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def enhanced(folder: Path, *args: str) -> Path:
    """A small clip with sound, enhanced here with ``args``; the enhanced video's path."""
    source, out = _clip(folder / "in.mp4"), folder / "out.mp4"
    made = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *args])
    assert made.exit_code == 0, made.output
    return out


def picture(path: Path) -> tuple[Fraction, np.ndarray, list[bytes]]:
    """The exact frame rate, every frame, and the audio packets' bytes."""
    with av.open(str(path)) as container:
        rate = Fraction(container.streams.video[0].average_rate)
        frames = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])
    with av.open(str(path)) as container:
        sound = [bytes(p) for p in container.demux(audio=0) if p.size]
    return rate, frames, sound


def edit(sidecar: Path, **changes: Any) -> Path:
    record = json.loads(sidecar.read_text())
    record.update(changes)
    sidecar.write_text(json.dumps(record))
    return sidecar


FLOW_LANCZOS = ("--interpolate", "2", "--interpolator", "flow", "--upscale", "2", "--upscaler", "lanczos")


def test_an_enhanced_video_replays_to_the_same_frames_and_sound(tmp_path: Path) -> None:
    out = enhanced(tmp_path, *FLOW_LANCZOS)
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(out), "-o", str(again), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(again)
    (rate, frames, sound), (rate0, frames0, sound0) = picture(again), picture(out)
    assert (rate, frames.shape) == (rate0, frames0.shape) == (Fraction(48000, 1001), (13, 96, 128, 3))
    assert alike(frames, frames0)  # flow (OpenCV DIS on the CPU) and Lanczos again
    assert sound == sound0  # the source's audio packets, copied as enhance copies them
    record = json.loads(again.with_suffix(".json").read_text())
    assert record["stages"] == ["flow", "lanczos"] and record["source"]["path"] == str(tmp_path / "in.mp4")


def test_the_sidecar_replays_beside_itself_without_replacing_anything(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "1.5", "--upscaler", "lanczos")
    first = runner.invoke(app, ["replay", str(out.with_suffix(".json")), "-q"])
    second = runner.invoke(app, ["replay", str(out.with_suffix(".json")), "-q"])
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert first.output.split()[-1] == str(tmp_path / "out-again.mp4")
    assert second.output.split()[-1] == str(tmp_path / "out-again-2.mp4")
    assert alike(picture(tmp_path / "out-again-2.mp4")[1], picture(out)[1])


def test_a_replay_over_the_enhanced_video_itself_is_refused_and_leaves_it(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    before = out.read_bytes()
    result = runner.invoke(app, ["replay", str(out), "-o", str(out)])
    assert result.exit_code == 2
    assert f"output {out} is the video being replayed; give another file name" in said(result)
    assert out.read_bytes() == before


def test_a_changed_source_is_refused_unless_allowed(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    _clip(tmp_path / "in.mp4", frames=5)  # the source edited in place since
    again = tmp_path / "again.mp4"
    refused = runner.invoke(app, ["replay", str(out), "-o", str(again)])
    assert refused.exit_code == 2
    assert f"source: {tmp_path / 'in.mp4'} has changed since the video was made" in said(refused)
    assert "--allow-changed-inputs" in said(refused) and not again.exists()
    allowed = runner.invoke(app, ["replay", str(out), "-o", str(again), "--allow-changed-inputs"])
    assert allowed.exit_code == 0, allowed.output
    assert "warning: source:" in said(allowed) and picture(again)[1].shape[0] == 5
    # Another file named with --input is no edit of the source: it is said not to be that file.
    other = _clip(tmp_path / "other.mp4", frames=4)
    named = runner.invoke(
        app, ["replay", str(out), "-o", str(tmp_path / "x.mp4"), "--input", f"source={other}"]
    )
    assert named.exit_code == 2
    assert f"source: {other} is not the file the video was made from" in said(named)


def test_a_missing_source_is_refused_naming_it_even_when_changes_are_allowed(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    (tmp_path / "in.mp4").unlink()
    result = runner.invoke(app, ["replay", str(out), "--allow-changed-inputs"])
    assert result.exit_code == 2
    assert f"source: {tmp_path / 'in.mp4'} no longer exists" in said(result)
    assert "--input source=FILE" in said(result)  # the one name it takes, not the placeholder PARAM
    assert "Traceback" not in result.output and not (tmp_path / "out-again.mp4").exists()


def test_a_record_without_the_sources_hash_says_it_cannot_be_checked(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    sidecar = edit(out.with_suffix(".json"), source={"path": str(tmp_path / "in.mp4")})
    refused = runner.invoke(app, ["replay", str(sidecar)])
    assert refused.exit_code == 2
    assert "cannot be checked: the record holds no SHA-256 of it" in said(refused)
    allowed = runner.invoke(app, ["replay", str(sidecar), "--allow-changed-inputs"])
    assert allowed.exit_code == 0 and "warning: source:" in said(allowed)


def test_changed_weights_of_a_stage_are_refused(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    weights = tmp_path / "model.pth"
    weights.write_bytes(b"now")
    record = json.loads(out.with_suffix(".json").read_text())
    record["enhance"][0]["weights"] = {"path": str(weights), "sha256": "0" * 64}
    result = runner.invoke(app, ["replay", str(edit(out.with_suffix(".json"), **record))])
    assert result.exit_code == 2
    assert f"lanczos weights: {weights} have changed since the video was made" in said(result)


def test_other_versions_are_warned_of_as_generate_replay_does(tmp_path: Path) -> None:
    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    record = json.loads(out.with_suffix(".json").read_text())
    versions = {**record["versions"], "numpy": "1.0.0"}
    result = runner.invoke(app, ["replay", str(edit(out.with_suffix(".json"), versions=versions))])
    assert result.exit_code == 0, result.output
    assert f"numpy 1.0.0 -> {record['versions']['numpy']}" in said(result)
    assert "the frames may differ" in said(result)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            # Exported by a server, or elsewhere: the project file named is not on this machine.
            {"export": {}, "segments": [], "project": "/srv/reelgen/projects/proj_1/project.yaml"},
            "is a film exported from a project (it was exported from /srv/reelgen/projects/proj_1/project.yaml, "
            "not on this machine); replay makes again a video made by generate, animate, avatar, enhance or "
            "project render, not a film: run `reelgen project export PROJECT`",
        ),
        ({"kind": "ken_burns", "ken_burns": {}}, "a still image filmed by a batch, with no model"),
        ({"trials": [], "ranking": []}, "a shoot-out's results, not a video; replay makes again"),
        ({"total": 1, "done": 1, "reused": 0}, "a batch's summary, not a video"),
        ({"title": "x"}, "a record with neither a request nor an enhancement"),
    ],
)
def test_records_replay_cannot_redo_say_what_they_are(
    tmp_path: Path, record: dict[str, Any], message: str
) -> None:
    path = tmp_path / "thing.json"
    path.write_text(json.dumps({"reelgen": "0.1.0", **record}))
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2
    assert f"{path} is " in said(result) and message in said(result)
    assert "no request" not in said(result)


def test_weights_pulled_on_this_machine_stand_in_for_the_recording_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named weights are found in this machine's pulled folder, not at the recording machine's path."""
    import hashlib

    from reelgen.core.enhance import weights as pulled

    out = enhanced(tmp_path, "--upscale", "2", "--upscaler", "lanczos")
    here = tmp_path / "models" / "rife"
    here.mkdir(parents=True)
    (here / "flownet.pkl").write_bytes(b"the same weights")
    monkeypatch.setattr(pulled, "present", lambda name, root=None: here if name == "rife" else None)
    record = json.loads(out.with_suffix(".json").read_text())
    digest = hashlib.sha256(b"the same weights").hexdigest()
    record["enhance"][0]["weights"] = {"path": "/elsewhere/models/rife/flownet.pkl", "sha256": digest}
    result = runner.invoke(app, ["replay", str(edit(out.with_suffix(".json"), **record)), "-q"])
    assert result.exit_code == 0, result.output  # was "/elsewhere/... no longer exists"
    record["enhance"][0]["weights"]["sha256"] = "0" * 64
    result = runner.invoke(app, ["replay", str(edit(out.with_suffix(".json"), **record))])
    assert result.exit_code == 2
    assert f"lanczos weights: {here / 'flownet.pkl'} have changed since the video was made" in said(result)


def test_a_film_exported_here_is_told_the_export_command_of_its_own_project(tmp_path: Path) -> None:
    project = tmp_path / "sea" / "project.yaml"
    project.parent.mkdir()
    project.write_text("scenes: []\n")
    path = tmp_path / "film.json"
    path.write_text(json.dumps({"reelgen": "0.1.0", "export": {}, "segments": [], "project": str(project)}))
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2, result.output
    assert f"not a film: run `reelgen project export {project}` to export it again" in said(result)
