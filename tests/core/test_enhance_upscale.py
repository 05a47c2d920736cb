"""Upscaling: converted Real-ESRGAN models match ncnn, beat bicubic on real photos, load from files, tile cleanly."""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data

from reelgen.core.enhance import Shape, run_chain
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.enhance.upscale import EsrganOptions, EsrganUpscaler
from reelgen.core.enhance.upscale.arch import RRDBNet, SRVGGNetCompact
from reelgen.core.enhance.upscale.torch_model import load_checkpoint, save_converted, spandrel
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video
from tests.core.enhance_media import detail_error, real_weights

FPS = Fraction(24)


@pytest.fixture
def realesrgan(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real Real-ESRGAN ncnn models, where the named models are looked for."""
    where = real_weights("realesrgan")
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(where.parent))
    return where


def _photo(h: int, w: int) -> np.ndarray:
    photo = data.astronaut()
    return photo[180 : 180 + h, 200 : 200 + w]


def _upscale(frames: np.ndarray, **options: object) -> np.ndarray:
    video, _ = run_chain(Video(frames, FPS), [EnhanceStep(name="esrgan", options=options)], Progress())
    return video.frames


@pytest.mark.parametrize(
    ("model", "scale", "size"),
    [
        ("realesr-animevideov3", 2, (48, 64)),
        ("realesr-animevideov3", 3, (48, 64)),
        ("realesr-animevideov3", 4, (48, 64)),
        ("realesrgan-x4plus-anime", 4, (24, 32)),
        ("realesrgan-x4plus", 4, (16, 24)),  # RRDB x4plus is about 40 s a frame at 256 px on two cores
    ],
)
def test_the_converted_pytorch_model_matches_ncnn_on_a_real_photo(
    realesrgan: Path, model: str, scale: int, size: tuple[int, int]
) -> None:
    frames = _photo(*size)[None]
    ncnn = _upscale(frames, model=model, scale=scale, runtime="ncnn")
    torch_out = _upscale(frames, model=model, scale=scale, runtime="torch")
    assert ncnn.shape == torch_out.shape == (1, size[0] * scale, size[1] * scale, 3)
    assert np.abs(ncnn.astype(int) - torch_out.astype(int)).max() <= 2  # 2/255


@pytest.mark.parametrize("model", ["realesr-animevideov3", "realesrgan-x4plus-anime", "realesrgan-x4plus"])
@pytest.mark.parametrize("photo", ["astronaut", "coffee"])
def test_on_real_photos_downscaled_x4_the_model_restores_detail_bicubic_cannot(
    realesrgan: Path, model: str, photo: str
) -> None:
    image = getattr(data, photo)()
    h, w = image.shape[:2]
    truth = image[h // 2 - 64 : h // 2 + 64, w // 2 - 96 : w // 2 + 96]
    small = Image.fromarray(truth).resize((48, 32), Image.Resampling.BICUBIC)
    bicubic = np.asarray(small.resize((192, 128), Image.Resampling.BICUBIC))
    lanczos = np.asarray(small.resize((192, 128), Image.Resampling.LANCZOS))
    made = _upscale(np.asarray(small)[None], model=model, scale=4, runtime="ncnn")[0]
    assert detail_error(truth, made) < 0.75 * min(detail_error(truth, bicubic), detail_error(truth, lanczos))


def _random_rrdb() -> RRDBNet:
    torch.manual_seed(0)
    return RRDBNet(blocks=2, feat=16, grow=32).eval()  # Real-ESRGAN's growth; spandrel assumes it


def _random_srvgg() -> SRVGGNetCompact:
    torch.manual_seed(0)
    net = SRVGGNetCompact(convs=4, feat=16, scale=4)
    for prelu in net.body[1::2]:
        torch.nn.init.uniform_(prelu.weight, 0.05, 0.3)  # type: ignore[arg-type]
    return net.eval()


@pytest.mark.parametrize("make", [_random_rrdb, _random_srvgg], ids=["RRDB", "SRVGG"])
@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
def test_saved_random_weight_checkpoints_load_from_files(make: object, suffix: str, tmp_path: Path) -> None:
    net = make()  # type: ignore[operator]
    path = tmp_path / f"model{suffix}"
    if suffix == ".pth":
        torch.save({"params_ema": net.state_dict()}, path)  # Real-ESRGAN's own wrapping
    else:
        from safetensors.torch import save_file

        save_file(net.state_dict(), str(path))
    loaded = load_checkpoint(path)
    x = torch.rand(1, 3, 20, 24)
    with torch.no_grad():
        assert torch.allclose(loaded.net(x), net(x), atol=1e-6)
    assert loaded.scale == 4


@pytest.mark.skipif(
    spandrel() is None, reason="spandrel is not importable here (it needs a torchvision for this torch)"
)
@pytest.mark.parametrize("make", [_random_rrdb, _random_srvgg], ids=["RRDB", "SRVGG"])
def test_spandrel_loads_saved_random_weight_checkpoints(make: object, tmp_path: Path) -> None:
    net = make()  # type: ignore[operator]
    path = tmp_path / "model.pth"
    torch.save(net.state_dict(), path)
    loaded = load_checkpoint(path)
    assert loaded.loader == "spandrel"
    x = torch.rand(1, 3, 20, 24)
    with torch.no_grad():
        assert torch.allclose(loaded.net(x), net(x), atol=1e-5)


def test_a_converted_model_saves_as_a_checkpoint_that_loads_back(realesrgan: Path, tmp_path: Path) -> None:
    out = save_converted(
        realesrgan / "realesr-animevideov3-x4.param",
        realesrgan / "realesr-animevideov3-x4.bin",
        tmp_path / "v3.pth",
    )
    frames = _photo(24, 32)[None]
    from_file = _upscale(frames, model=str(out), scale=4, runtime="torch")
    assert np.abs(from_file.astype(int) - _upscale(frames, scale=4, runtime="ncnn").astype(int)).max() <= 2


def test_tiled_and_untiled_outputs_match(tmp_path: Path) -> None:
    path = tmp_path / "srvgg.pth"
    torch.save(_random_srvgg().state_dict(), path)
    frames = _photo(40, 56)[None].repeat(2, axis=0)
    whole = _upscale(frames, model=str(path), scale=4, tile=0)
    # Tiles of 16 with 8 pixels of context: more than the 6-pixel reach of 6 stacked 3x3 convs.
    tiled = _upscale(frames, model=str(path), scale=4, tile=16, overlap=8)
    assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1


def test_tiles_of_a_real_model_match_within_one_level(realesrgan: Path) -> None:
    frames = _photo(48, 64)[None]
    whole = _upscale(frames, scale=2, runtime="torch", tile=0)
    tiled = _upscale(frames, scale=2, runtime="torch", tile=24, overlap=20)
    assert np.abs(whole.astype(int) - tiled.astype(int)).max() <= 1


def test_regrouped_dense_blocks_give_the_real_x4plus_models_output(realesrgan: Path) -> None:
    """The GPU path's regrouping (wide convolutions per input part) is the same network, to float rounding."""
    from reelgen.core.enhance.upscale.regroup import RegroupedDenseBlock
    from reelgen.core.enhance.upscale.torch_model import load_named

    stock = load_named(realesrgan / "realesrgan-x4plus.param", realesrgan / "realesrgan-x4plus.bin")
    # A copy of the loaded model, not a second load: converting the 33 MB ncnn file again gave the same
    # weights (loading is other tests' subject) and was about a quarter of this test's time.
    regrouped = copy.deepcopy(stock)
    regrouped.to("cpu", torch.float32, regroup=True)
    assert not isinstance(stock.net.get_submodule("body.0.rdb1"), RegroupedDenseBlock)  # a copy, not it
    assert isinstance(regrouped.net.body[0].rdb1, RegroupedDenseBlock)
    frames = torch.from_numpy(_photo(16, 24)).permute(2, 0, 1)[None].float() / 255
    a, b = stock.upscale(frames, tile=0), regrouped.upscale(frames, tile=0)
    assert a.shape == (1, 3, 64, 96)
    assert (a - b).abs().max() < 1e-4  # 1/40 of one uint8 level


def test_a_checkpoint_it_does_not_recognise_is_refused_naming_the_file_and_what_works(tmp_path: Path) -> None:
    odd = tmp_path / "vae.pth"
    torch.save({"encoder.weight": torch.zeros(4, 3, 3, 3)}, odd)
    with pytest.raises(
        InvalidRequest, match=r"vae\.pth: spandrel .*; without spandrel reelgen loads .*RRDBNet"
    ):
        _upscale(_photo(8, 8)[None], model=str(odd), scale=4)
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\x00" * 64)
    with pytest.raises(InvalidRequest, match=r"broken\.safetensors is not a readable"):
        _upscale(_photo(8, 8)[None], model=str(broken), scale=4)


def test_a_scale_the_model_cannot_do_is_refused_naming_the_ones_that_can(
    realesrgan: Path, tmp_path: Path
) -> None:
    with pytest.raises(
        InvalidRequest, match=r"realesrgan-x4plus upscales by x4, not x2.*realesr-animevideov3.*lanczos"
    ):
        resolve_chain(
            [EnhanceStep(name="esrgan", options={"model": "realesrgan-x4plus", "scale": 2})], 64, 48, 3, FPS
        )
    path = tmp_path / "srvgg.pth"
    torch.save(_random_srvgg().state_dict(), path)
    # Led by its field, as the named models' refusal is ("upscale 2: realesrgan-x4plus upscales by ...").
    with pytest.raises(InvalidRequest, match=r"^upscale 2: checkpoint .*srvgg\.pth upscales by x4, not x2"):
        _upscale(_photo(8, 8)[None], model=str(path), scale=2)


def test_without_pulled_models_the_named_upscaler_says_how_to_get_them() -> None:
    with pytest.raises(InvalidRequest, match="reelgen pull realesrgan"):
        EsrganUpscaler(EsrganOptions(scale=2)).output_shape(Shape(64, 48, 3, FPS))


def test_lanczos_takes_any_factor_and_keeps_everything_else() -> None:
    video = Video(_photo(30, 40)[None].repeat(3, axis=0), FPS)
    out, records = run_chain(video, [EnhanceStep(name="lanczos", options={"scale": 1.5})], Progress())
    assert (out.num_frames, out.height, out.width, out.fps) == (3, 45, 60, FPS)
    assert records[0]["name"] == "lanczos"


def test_frames_come_back_contiguous_and_the_same_into_a_given_array() -> None:
    """A channels-last view of channels-first bytes would cost the caller a strided copy per batch."""
    from reelgen.core.enhance.tensors import to_frames

    batch = torch.rand(2, 3, 6, 9)
    frames = to_frames(batch)
    assert frames.shape == (2, 6, 9, 3) and frames.flags["C_CONTIGUOUS"]
    assert np.array_equal(frames[1, 4, 7], np.round(batch[1, :, 4, 7].numpy() * 255).astype(np.uint8))
    into = np.zeros((3, 6, 9, 3), dtype=np.uint8)
    to_frames(batch, into[1:])
    assert np.array_equal(into[1:], frames) and not into[0].any()


@pytest.mark.parametrize(
    ("checkpoint", "message"),
    [("srvgg.pth", r"srvgg\.pth upscales by x4, not x2"), ("vae.pth", r"vae\.pth: spandrel")],
)
def test_a_checkpoint_that_cannot_work_is_refused_before_the_interpolation_runs(
    tmp_path: Path, checkpoint: str, message: str
) -> None:
    # Checked only when the upscaler's turn came, it failed after minutes of interpolating a long clip.
    path = tmp_path / checkpoint
    state = (
        _random_srvgg().state_dict() if checkpoint == "srvgg.pth" else {"encoder.weight": torch.zeros(4, 3)}
    )
    torch.save(state, path)
    stages: list[str] = []
    progress = Progress(on_event=lambda event: stages.append(event.stage))
    steps = [
        EnhanceStep(name="flow", options={"factor": 2}),
        EnhanceStep(name="esrgan", options={"model": str(path), "scale": 2}),
    ]
    frames = np.stack([_photo(16, 16), _photo(16, 16)[::-1]])
    with pytest.raises(InvalidRequest, match=message):
        run_chain(Video(frames, FPS), steps, progress)
    assert stages == []


def test_a_file_that_is_no_torch_checkpoint_is_refused_in_one_line(tmp_path: Path) -> None:
    # torch's own text ran to eight lines and advised loading it with weights_only=False (running its code).
    ncnn_bin = tmp_path / "model.pth"
    ncnn_bin.write_bytes(b"\x47\x6b\x30\x01" + bytes(range(256)) * 8)
    with pytest.raises(InvalidRequest) as caught:
        _upscale(_photo(8, 8)[None], model=str(ncnn_bin), scale=4)
    assert "\n" not in caught.value.message and "weights_only" not in caught.value.message
    assert "model.pth is not a readable .pth/.safetensors file" in caught.value.message
