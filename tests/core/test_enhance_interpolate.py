"""Frame interpolation: exact rates and counts, cuts never blended, RIFE checkpoints, and quality on real photos."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch

from reelgen.core.enhance import Shape, run_chain
from reelgen.core.enhance.flow import FlowInterpolator
from reelgen.core.enhance.interpolate import InterpolateOptions
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.enhance.rife import RifeInterpolator, RifeOptions
from reelgen.core.enhance.rife.checkpoint import load
from reelgen.core.enhance.rife.ifnet import IFNet
from reelgen.core.enhance.rife.layouts import LAYOUTS
from reelgen.core.enhance.timing import timeline
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video
from tests.core.enhance_media import pan, psnr, real_weights, two_layers

NTSC = Fraction(24000, 1001)


def _clip(n: int = 5) -> Video:
    return Video(np.rint(pan(n, (6, 14), size=(64, 48))).astype(np.uint8), NTSC)


def test_x2_keeps_the_rate_exact_and_makes_n_minus_1_times_n_plus_1_frames() -> None:
    video, records = run_chain(_clip(5), [EnhanceStep(name="flow", options={"factor": 2})], Progress())
    assert video.fps == Fraction(48000, 1001)
    assert video.num_frames == (5 - 1) * 2 + 1
    assert records[0]["made"] == 4
    # Every source frame is kept, untouched, at its own time.
    assert np.array_equal(video.frames[::2], _clip(5).frames)


def test_x4_and_a_target_rate_are_exact() -> None:
    x4, _ = run_chain(_clip(4), [EnhanceStep(name="flow", options={"factor": 4})], Progress())
    assert (x4.num_frames, x4.fps) == (13, Fraction(96000, 1001))
    to60, _ = run_chain(
        _clip(6), [EnhanceStep(name="flow", options={"target_fps": "60000/1001"})], Progress()
    )
    # 5 source intervals at 24000/1001 last 5 * 1001/24000 s; at 60000/1001 that is 12.5 steps: 13 frames.
    assert (to60.num_frames, to60.fps) == (13, Fraction(60000, 1001))
    assert timeline(6, NTSC, None, Fraction(60000, 1001)).points[6] == (2, Fraction(2, 5))


@pytest.mark.parametrize("size", [(2, 2), (8, 6), (40, 4)])
def test_flow_interpolates_clips_smaller_than_opencvs_flow_takes(size: tuple[int, int]) -> None:
    # DIS refuses frames under 12 pixels both ways: an icon-sized clip was an OpenCV traceback.
    w, h = size
    step = np.linspace(0, 200, w, dtype=np.float64)[None, :, None]
    frames = np.stack([np.broadcast_to(step + 10 * k, (h, w, 3)) for k in range(3)]).astype(np.uint8)
    video, _ = run_chain(Video(frames, NTSC), [EnhanceStep(name="flow", options={"factor": 2})], Progress())
    assert video.frames.shape == (5, h, w, 3)
    assert np.array_equal(video.frames[::2], frames)
    middle = video.frames[1].astype(int)  # between two frames 10 levels apart: near their average
    assert np.abs(middle - (frames[0].astype(int) + 5)).max() <= 6


def test_a_decimal_ntsc_target_is_read_as_the_exact_rate() -> None:
    shape = FlowInterpolator(InterpolateOptions(target_fps=47.952)).output_shape(Shape(64, 48, 5, NTSC))
    assert shape.fps == Fraction(48000, 1001)


def test_a_cut_gets_no_blended_frame() -> None:
    first = np.rint(pan(4, (6, 2), size=(64, 48))).astype(np.uint8)
    second = 255 - first  # another shot: the negative of the first
    video = Video(np.concatenate([first, second]), NTSC)
    out, records = run_chain(video, [EnhanceStep(name="flow", options={"factor": 4})], Progress())
    assert records[0]["cuts"] == [3]
    # The three frames between the last of shot one (frame 3) and the first of shot two (frame 4)
    # each repeat one side exactly; nothing in between blends the two shots.
    between = out.frames[3 * 4 + 1 : 4 * 4]
    assert [np.array_equal(f, video.frames[3]) or np.array_equal(f, video.frames[4]) for f in between] == [
        True
    ] * 3
    # Elsewhere frames are made, not copied.
    assert not np.array_equal(out.frames[1], video.frames[0])


def test_a_cut_past_the_first_chunk_of_frames_is_found() -> None:
    """Thumbnails are summed a chunk of frames at a time; a cut deep in a long clip is still found,
    and every frame's thumbnail is the one it has alone."""
    from reelgen.core.enhance import scenes

    first = np.rint(pan(scenes.CHUNK + 9, (1, 0), size=(40, 30))).astype(np.uint8)
    second = 255 - first[:12]
    frames = np.concatenate([first, second])
    alone = np.concatenate([scenes.thumbnails(f[None]) for f in frames])
    assert np.array_equal(scenes.thumbnails(frames), alone)
    assert scenes.cuts(frames, 0.35) == {scenes.CHUNK + 8}


def test_a_cut_between_two_shots_of_the_same_brightness_is_found() -> None:
    # A red card cut to a blue one of equal grey: a grey-only measure scored it 0.2 and blended the two.
    red, blue = np.zeros((5, 48, 64, 3), np.uint8), np.zeros((5, 48, 64, 3), np.uint8)
    red[..., :] = (200, 30, 30)
    blue[..., :] = (20, 80, 160)
    for k in range(5):  # a small square moving over each card, so the shots are not still
        red[k, 10:20, 4 * k : 4 * k + 10] = blue[k, 10:20, 4 * k : 4 * k + 10] = 255
    video = Video(np.concatenate([red, blue]), NTSC)
    out, records = run_chain(video, [EnhanceStep(name="flow", options={"factor": 2})], Progress())
    assert records[0]["cuts"] == [4]
    assert np.array_equal(out.frames[9], video.frames[4]) or np.array_equal(out.frames[9], video.frames[5])


@pytest.mark.parametrize("size", [(96, 64), (70, 45)], ids=["equal blocks", "unequal blocks"])
def test_thumbnails_are_the_grey_block_means_of_each_frame(size: tuple[int, int]) -> None:
    """Both ways of summing blocks (reshaped for sizes that divide evenly, reduceat otherwise) give the means."""
    from reelgen.core.enhance import scenes

    w, h = size
    frames = np.random.default_rng(1).integers(0, 256, (3, h, w, 3), dtype=np.uint8)
    ys = np.linspace(0, h, scenes.THUMB + 1).astype(int)
    xs = np.linspace(0, w, scenes.THUMB + 1).astype(int)
    cells = [(i, j) for i in range(scenes.THUMB) for j in range(scenes.THUMB)]
    expected = np.array(
        [[f[ys[i] : ys[i + 1], xs[j] : xs[j + 1]].mean() / 255 for i, j in cells] for f in frames]
    )
    expected = expected.reshape(len(frames), scenes.THUMB, scenes.THUMB)
    np.testing.assert_allclose(scenes.thumbnails(frames), expected, rtol=1e-6)


def test_bad_factors_and_rates_are_refused_by_name() -> None:
    with pytest.raises(InvalidRequest, match="target_fps 20 must be above"):
        resolve_chain([EnhanceStep(name="flow", options={"target_fps": 20})], 64, 48, 5, NTSC)
    with pytest.raises(InvalidRequest, match="not both"):
        resolve_chain([EnhanceStep(name="flow", options={"factor": 2, "target_fps": 60})], 64, 48, 5, NTSC)
    with pytest.raises(InvalidRequest, match="no frames"):
        FlowInterpolator(InterpolateOptions(factor=2)).output_shape(Shape(64, 48, 0, NTSC))
    with pytest.raises(InvalidRequest, match="1 frame .* cannot be interpolated.* 2 frames or more"):
        FlowInterpolator(InterpolateOptions(factor=2)).output_shape(Shape(64, 48, 1, NTSC))


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_every_known_layout_is_detected_from_a_saved_checkpoint(layout: object, tmp_path: Path) -> None:
    torch.manual_seed(0)
    net = IFNet(layout)  # type: ignore[arg-type]
    path = tmp_path / "flownet.pkl"
    # As Practical-RIFE saves them: DataParallel names, plus training-only teacher weights.
    torch.save(
        {f"module.{k}": v for k, v in net.state_dict().items()} | {"module.teacher.x": torch.ones(1)}, path
    )
    loaded = load(path)
    assert loaded.layout == layout
    a, b = torch.rand(1, 3, 128, 128), torch.rand(1, 3, 128, 128)  # sides a multiple of every layout's
    with torch.no_grad():
        assert torch.equal(loaded(a, b, torch.tensor([0.5])), net.eval()(a, b, torch.tensor([0.5])))


def test_an_unknown_checkpoint_is_refused_naming_the_supported_layouts(tmp_path: Path) -> None:
    odd = tmp_path / "odd.pkl"
    torch.save(
        {"block0.conv0.0.0.weight": torch.zeros(8, 7, 3, 3), "block0.conv0.1.0.weight": torch.zeros(8)}, odd
    )
    with pytest.raises(InvalidRequest, match=r"odd\.pkl.*v4\.13\+.*supported layouts: v4\.25/v4\.26"):
        load(odd)
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"not a checkpoint")
    with pytest.raises(InvalidRequest, match=r"junk\.pkl are not a readable flownet\.pkl"):
        load(junk)
    # A file that is not a torch checkpoint (an ncnn .bin here): one line, never torch's advice to
    # load it with weights_only=False (which would run the file's code).
    ncnn = tmp_path / "model.bin"
    ncnn.write_bytes(b"\x47\x6b\x30\x01" + bytes(range(256)) * 8)
    with pytest.raises(InvalidRequest) as caught:
        load(ncnn)
    assert "\n" not in caught.value.message and "weights_only" not in caught.value.message


@pytest.fixture(scope="module")
def rife() -> RifeInterpolator:
    """RIFE on the real weights, loaded once for both quality checks (each runs it on 224 x 160 frames,
    so it is prepared alike; loading it is the record test's subject): a second load read the 25 MB file
    again and built the same network."""
    weights = real_weights("rife")
    stage = RifeInterpolator(RifeOptions(weights=str(weights / "flownet.pkl")))
    stage.prepare("cpu", Shape(224, 160, 5, NTSC))
    return stage


def _middles(stage: FlowInterpolator | RifeInterpolator | None, clip: np.ndarray) -> np.ndarray:
    """The middle frames of ``clip``'s pairs from ``stage`` (None: optical flow, prepared here)."""
    frames = np.rint(clip).astype(np.uint8)
    a, b, t = frames[:-1], frames[1:], np.full(len(frames) - 1, 0.5)
    if stage is None:
        stage = FlowInterpolator(InterpolateOptions())
        stage.prepare("cpu", Shape(frames.shape[2], frames.shape[1], len(frames), NTSC))
    return stage.middles(a, b, t)


def test_real_rife_beats_optical_flow_which_beats_repeating_a_frame(rife: RifeInterpolator) -> None:
    # A pan over one photo with a patch of another crossing it: true middles are the half-step crops.
    clip = two_layers(5, back=(6, 14), front=(30, -10))
    truth = two_layers(4, back=(6, 14), front=(30, -10), half=True)
    assert clip.shape == (5, 160, 224, 3)  # the size the shared RIFE was prepared for
    scores = {
        "rife": psnr(_middles(rife, clip), truth),
        "flow": psnr(_middles(None, clip), truth),
        "repeat": psnr(np.rint(clip[:-1]), truth),
    }
    assert scores["rife"] > scores["flow"] + 1.0, scores
    assert scores["flow"] > scores["repeat"] + 6.0, scores


def test_on_a_plain_sub_pixel_pan_both_methods_land_far_above_repeating(rife: RifeInterpolator) -> None:
    clip, truth = pan(5, (6, 14)), pan(4, (6, 14), half=True)
    assert clip.shape == (5, 160, 224, 3)  # the size the shared RIFE was prepared for
    repeat = psnr(np.rint(clip[:-1]), truth)
    assert psnr(_middles(rife, clip), truth) > repeat + 10.0
    assert psnr(_middles(None, clip), truth) > repeat + 10.0


def test_the_record_names_the_weights_layout_and_hash() -> None:
    rife = real_weights("rife")
    step = EnhanceStep(name="rife", options={"factor": 2, "weights": str(rife / "flownet.pkl")})
    out, records = run_chain(_clip(3), [step], Progress())
    assert out.num_frames == 5
    assert records[0]["layout"] == "v4.25/v4.26"
    assert (
        records[0]["weights"]["sha256"] == "1195a2f0de8fcc06228590670c15cee18e27dd4f562864bf10454bed6f1e9c44"
    )


class _Blend(FlowInterpolator):
    """A deterministic interpolator (the weighted blend), recording each batch it was asked for."""

    def prepare(self, device: str, shape: Shape) -> None:
        self.calls: list[list[float]] = []

    def middles(self, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        self.calls.append(t.tolist())
        w = t[:, None, None, None]
        return np.rint((1 - w) * a + w * b).astype(np.uint8)


@pytest.mark.parametrize("options", [{"factor": 3, "batch": 5}, {"target_fps": "60000/1001", "batch": 4}])
def test_a_streamed_clip_gets_the_frames_and_cuts_of_the_whole_clip(options: dict[str, object]) -> None:
    """Frames come in one at a time; cuts near the start, deep in and at the end are judged as a whole
    clip would judge them, every frame is where the timeline puts it, and the model sees the same batches."""
    from reelgen.core.enhance import scenes

    shot = np.rint(pan(20, (2, 1), size=(40, 30))).astype(np.uint8)
    frames = np.concatenate([shot[:2], 255 - shot[2:14], shot[14:19], 255 - shot[19:]])
    stage = _Blend(InterpolateOptions.model_validate(options))
    shape = Shape(40, 30, len(frames), NTSC)
    out = np.stack(list(stage.stream(iter(frames), shape, Progress())))

    factor, target = stage.opts.rates(NTSC)
    plan = timeline(len(frames), NTSC, factor, target)
    cut = scenes.cuts(frames, 0.35)
    assert stage.details["cuts"] == sorted(cut) == [1, 13, 18]
    todo = [(k, i, float(t)) for k, (i, t) in enumerate(plan.points) if t and i not in cut]
    assert len(out) == plan.frames and stage.details["made"] == len(todo)
    for k, (i, t) in enumerate(plan.points):
        if not t or i in cut:
            assert np.array_equal(out[k], frames[i] if t < Fraction(1, 2) else frames[i + 1]), k
    w = np.array([t for _, _, t in todo])[:, None, None, None]
    a, b = frames[[i for _, i, _ in todo]], frames[[i + 1 for _, i, _ in todo]]
    assert np.array_equal(out[[k for k, _, _ in todo]], np.rint((1 - w) * a + w * b).astype(np.uint8))
    batch = stage.opts.batch
    assert stage.calls == [[t for _, _, t in todo[s : s + batch]] for s in range(0, len(todo), batch)]


def test_a_long_clip_is_read_a_few_frames_at_a_time() -> None:
    """Streaming holds only what the next batch needs: the first output frames leave long before the
    clip has been read, and a chained upscaler takes them as they come."""
    from reelgen.core.enhance.chain import stream_chain

    read = 0

    def source() -> Iterator[np.ndarray]:
        nonlocal read
        for frame in np.rint(pan(60, (1, 1), size=(32, 24))).astype(np.uint8):
            read += 1
            yield frame

    steps = [
        EnhanceStep(name="flow", options={"factor": 2}),
        EnhanceStep(name="lanczos", options={"scale": 2}),
    ]
    made, run = stream_chain(source(), Shape(32, 24, 60, NTSC), steps, Progress(), "cpu")
    first = next(made)
    assert first.shape == (48, 64, 3) and read <= 16
    assert 1 + sum(1 for _ in made) == 119 and run.read == 60
    assert [r["name"] for r in run.records()] == ["flow", "lanczos"]
