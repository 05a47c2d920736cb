"""RRDB on fused Triton kernels (the GPU's default upscaler path), run here in Triton's CPU interpreter.

The kernels are the ones a GPU runs; the interpreter executes them with NumPy,
so these tests check what they compute (indexing, padding, channel slices,
epilogues, the two orders), not how fast. Speed is in docs/benchmarks.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
import torch
import torch.nn.functional as F

pytest.importorskip("triton", reason="the dev extra installs Triton for its CPU interpreter")

from triton.runtime.interpreter import interpreter_builder  # noqa: E402

from reelgen.core.enhance.upscale import fused_rrdb, triton_conv  # noqa: E402
from reelgen.core.enhance.upscale.arch import RRDBNet  # noqa: E402
from reelgen.core.enhance.upscale.torch_model import TorchUpscaler  # noqa: E402
from reelgen.core.enhance.upscale.triton_conv import Tiling, conv3x3, pack_weight  # noqa: E402


@pytest.fixture(autouse=True)
def interpreter(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Build the kernel for Triton's interpreter (it reads the variable when the kernel is built)."""
    monkeypatch.setenv("TRITON_INTERPRET", "1")
    # For every int32 add, subtract and multiply the interpreter redoes the operation in int64 and builds
    # an overflow check, then drops it: the assert is made only with options.debug, which is off (as on a
    # GPU). That unused work was half these tests' time; what the kernels compute is unchanged.
    builder = interpreter_builder
    monkeypatch.setattr(builder, "options", dataclasses.replace(builder.options, sanitize_overflow=False))
    triton_conv.kernels.cache_clear()
    yield
    triton_conv.kernels.cache_clear()


def small_rrdb() -> RRDBNet:
    """An RRDBNet with x4plus's widths (64 features, growth 32) and fan-in-scaled random weights."""
    torch.manual_seed(0)
    net = RRDBNet(blocks=1).eval()  # one RRDB: three dense blocks, so every buffer rotation runs
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, p[0].numel() ** -0.5 if p.ndim > 1 else 0.02)
    return net


def photo(height: int, width: int, batch: int = 1) -> torch.Tensor:
    """Crops of scikit-image's astronaut photo: real content, so an indexing slip shows as a wrong picture."""
    from skimage import data

    img = torch.from_numpy(data.astronaut()).permute(2, 0, 1).float() / 255
    return torch.stack(
        [img[:, 100 + 40 * i : 100 + 40 * i + height, 150 : 150 + width] for i in range(batch)]
    )


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


def trunk_on_pytorch(monkeypatch: pytest.MonkeyPatch, net: RRDBNet) -> None:
    """Run a FusedRRDB's steps after conv_body (conv_up1, conv_up2, conv_hr, conv_last) on ``net``'s own layers.

    Those four launches are the same (kernel, flags, sizes, default tiling, row layout) in every order and
    layout, so a test that runs them once in the kernels checks them; in the interpreter each further run
    was about a third of a photo check's time. The body and conv_body stay on the kernels, and a body
    that computes something else still shows in the output.
    """

    def on_pytorch(
        self: fused_rrdb.FusedRRDB,
        name: str,
        x: torch.Tensor,
        y: torch.Tensor,
        hw: tuple[int, int],
        *,
        lrelu: bool = True,
        upsample: bool = False,
    ) -> None:
        h, w = (hw[0] // 2, hw[1] // 2) if upsample else hw
        picture = x.reshape(-1, h, w, x.shape[1]).permute(0, 3, 1, 2)
        if upsample:
            picture = F.interpolate(picture, scale_factor=2, mode="nearest")
        out = getattr(net, name)(picture)
        out = F.leaky_relu(out, 0.2) if lrelu else out
        y.copy_(out.permute(0, 2, 3, 1).reshape(y.shape))

    monkeypatch.setattr(fused_rrdb.FusedRRDB, "_trunk_conv", on_pytorch)


@pytest.mark.parametrize("padded", [False, True], ids=["rows", "padded-tma"])
@pytest.mark.parametrize("order", ["stock", "regrouped", "hybrid"])
def test_the_fused_network_upscales_a_photo_as_the_network_does(
    order: str, padded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = small_rrdb()
    # Odd sizes, two pictures: upsampled x4 (2 x 12 x 20 pixels in 128-pixel tiles), pixel rows straddle
    # tiles and the second tile holds the end of one picture and the start of the next. No larger: each
    # tile of pixels is one more program for the interpreter to run.
    x = photo(3, 5, batch=2)
    if (order, padded) != ("stock", False):
        trunk_on_pytorch(monkeypatch, net)  # the x4 trunk's launches run in the kernels in stock-rows
    with torch.inference_mode():
        want = net(x)
        got = fused_rrdb.FusedRRDB(net, order, padded=padded).eval()(x)  # type: ignore[arg-type]
    assert got.shape == want.shape == (2, 3, 12, 20)
    assert rel(got, want) < 1e-5


@pytest.mark.parametrize(
    "tiling",
    [Tiling(128, 256, 64, 4, 1), Tiling(128, 64, 16, 4, 1)],
    ids=["one-wide-tile-masked", "narrow-k-three-channel-tiles"],
)
def test_tilings_that_do_not_divide_the_channels_compute_the_same(
    tiling: Tiling, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = small_rrdb()
    x = photo(3, 5)  # upsampled x4, 240 pixels: the last steps' pixels still fill one tile and mask the next
    trunk = ("conv_up1", "conv_up2", "conv_hr", "conv_last")  # the same launches in every order and layout
    # Each step runs in this tiling in every layout it runs in, once: a step's launch (its kernel, channel
    # counts, flags and sizes) is the same in each order that shares it, so running it again in this
    # tiling would repeat one program; where a step was covered already it runs in the default tiling.
    # The trunk's four launches are in the row layout whatever the order; r0's in the hybrid order is
    # the regrouped order's (same call, same layout). conv_body reads the body's own buffer in each order,
    # so it stays in this tiling in every one (the interpreter is slow: these repeats were half the test).
    narrow = {
        ("stock", False): ("s0", "s1", "s2", "s3", "s4", "conv_body", *trunk),
        ("stock", True): ("s0", "s1", "s2", "s3", "s4", "conv_body"),
        ("regrouped", False): ("r0", "r1", "r2", "r3", "r4", "conv_body"),
        ("regrouped", True): ("r0", "r1", "r2", "r3", "r4", "conv_body"),
        ("hybrid", True): ("h1", "h2", "h3", "h4", "conv_body"),
    }
    every = ("s0", "s1", "s2", "s3", "s4", "r0", "r1", "r2", "r3", "r4", "h1", "h2", "h3", "h4")
    assert set().union(*narrow.values()) == {*every, "conv_body", *trunk}  # no step left out
    # Likewise within one network: the RRDB's three dense blocks launch each step alike (same kernel,
    # flags and sizes; buffers of one shape), so a step runs in this tiling in the first block, and in
    # the next two in the one-wide tiling (one channel tile, block_k 64: the fewest programs and steps for
    # the interpreter). A block's last step stays in this tiling in all three: the third's also adds the
    # RRDB's residual, another launch. In the narrow tiling the repeats were a third of its time.
    asked: list[str] = []
    tiling_of = fused_rrdb.FusedRRDB._tiling

    def first_launch_only(self: fused_rrdb.FusedRRDB, step: str) -> Tiling:
        again = step in asked and step not in ("s4", "r4", "h4")
        asked.append(step)
        return Tiling(128, 256, 64, 4, 1) if again else tiling_of(self, step)

    monkeypatch.setattr(fused_rrdb.FusedRRDB, "_tiling", first_launch_only)
    with torch.inference_mode():
        want = net(x)
        # Every order in each layout, but the hybrid order's steps only in the padded one it runs in
        # on Hopper (the row kernel's masks are the ones the other two orders cover; the interpreter is slow).
        for (order, padded), steps in narrow.items():
            fused = fused_rrdb.FusedRRDB(net, order, dict.fromkeys(steps, tiling), padded=padded)  # type: ignore[arg-type]
            asked.clear()
            with monkeypatch.context() as patch:
                if "conv_last" not in steps:  # the trunk's last four steps would run in the default tiling
                    trunk_on_pytorch(patch, net)
                assert rel(fused(x), want) < 1e-5
            assert set(asked) >= set(steps), (order, padded)  # each step in this tiling launched


def test_one_convolution_reads_and_writes_channel_slices_with_its_epilogue() -> None:
    torch.manual_seed(1)
    h, w = 5, 7
    x = torch.randn(1, 32, h, w)
    weight, bias, residual = torch.randn(16, 32, 3, 3), torch.randn(16), torch.randn(h * w, 16)
    want = F.leaky_relu(F.conv2d(x, weight, bias, padding=1), 0.2).permute(0, 2, 3, 1).reshape(h * w, 16)
    buffer = torch.full((h * w, 80), float("nan"))  # unwritten channels would stay NaN
    buffer[:, 8:40] = x.permute(0, 2, 3, 1).reshape(h * w, 32)
    conv3x3(
        buffer[:, 8:40], pack_weight(weight), bias, buffer[:, 48:64], (h, w), lrelu=True,
        res=residual, res_alpha=0.5, tiling=Tiling(16, 16, 16, 4, 1),
    )  # fmt: skip
    assert torch.allclose(buffer[:, 48:64], want * 0.5 + residual, atol=1e-4)
    assert buffer[:, :8].isnan().all() and buffer[:, 64:].isnan().all() and buffer[:, 40:48].isnan().all()


def test_an_upsampling_convolution_reads_its_input_as_the_nearest_neighbour_x2_upscale() -> None:
    torch.manual_seed(2)
    x = torch.randn(2, 16, 3, 5)
    weight, bias = torch.randn(3, 16, 3, 3), torch.randn(3)  # 3 outputs: a masked 16-wide tile
    want = F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), weight, bias, padding=1)
    y = torch.full((2 * 6 * 10, 3), float("nan"))
    flat = x.permute(0, 2, 3, 1).reshape(2 * 3 * 5, 16)
    conv3x3(flat, pack_weight(weight), bias, y, (6, 10), upsample=True, tiling=Tiling(32, 16, 16, 4, 1))
    assert torch.allclose(y.view(2, 6, 10, 3).permute(0, 3, 1, 2), want, atol=1e-4)
    with pytest.raises(ValueError, match="even sizes"):
        conv3x3(flat, pack_weight(weight), bias, y, (6, 9), upsample=True)


def test_views_the_kernel_cannot_read_are_refused() -> None:
    x = torch.randn(16, 6)  # channels contiguous, but not a multiple of 16
    with pytest.raises(ValueError, match="a multiple of 16"):
        conv3x3(x, torch.randn(54, 16), torch.zeros(16), torch.empty(16, 16), (4, 4))
    strided = torch.randn(32, 16).t()  # channels 16 elements apart
    with pytest.raises(ValueError, match="contiguous channels"):
        conv3x3(strided, torch.randn(288, 16), torch.zeros(16), torch.empty(16, 16), (4, 4))


def test_the_upscaler_takes_the_fused_path_after_its_self_check_and_records_it() -> None:
    net = small_rrdb()
    frames = photo(3, 5)
    stock = TorchUpscaler(small_rrdb(), 4, 1.0, "RRDBNet", "reelgen").to("cpu", torch.float32)
    fused = TorchUpscaler(net, 4, 1.0, "RRDBNet", "reelgen").to("cpu", torch.float32, fused=True)
    assert (stock.kernels, fused.kernels) == ("pytorch", "triton-fused")
    assert isinstance(fused.net, fused_rrdb.FusedRRDB)
    assert rel(fused.upscale(frames, tile=0), stock.upscale(frames, tile=0)) < 1e-5


def test_kernels_that_compute_something_else_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def writes_zeros(*args: object, t: torch.Tensor | None = None, **kwargs: object) -> None:
        # Kernels that run but compute the wrong numbers (every output zero). The stand-in need not run
        # the real kernel and add an error to its output: the self-check compares the fused network's
        # output with the network's whatever made it wrong, and the real kernels' run on the probe in
        # the interpreter was most of this test's time.
        y = args[3]
        assert isinstance(y, torch.Tensor)
        y.zero_()
        if t is not None:
            t.zero_()

    monkeypatch.setattr(fused_rrdb, "conv3x3", writes_zeros)
    frames = photo(4, 4)
    up = TorchUpscaler(small_rrdb(), 4, 1.0, "RRDBNet", "reelgen").to("cpu", torch.float32, fused=True)
    assert up.kernels.startswith("pytorch (the fused kernels' output is ")
    with torch.inference_mode():
        assert rel(up.upscale(frames, tile=0), small_rrdb()(frames).clamp(0, 1)) < 1e-6


def test_without_triton_the_upscaler_says_so_and_runs_on_pytorch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fused_rrdb, "triton_ready", lambda: False)
    up = TorchUpscaler(small_rrdb(), 4, 1.0, "RRDBNet", "reelgen").to("cpu", torch.float32, fused=True)
    assert up.kernels == "pytorch (Triton is not installed)"
    assert not isinstance(up.net, fused_rrdb.FusedRRDB)


def test_hopper_tilings_cover_every_step_and_fit_its_shared_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = fused_rrdb.FusedRRDB._tiling

    def recording(self: fused_rrdb.FusedRRDB, step: str) -> Tiling:
        asked.append(step)
        return real(self, step)

    monkeypatch.setattr(fused_rrdb.FusedRRDB, "_tiling", recording)
    # Each step asks for its tiling as it launches its convolution; the launches themselves are left out
    # here (what they compute, in every order and layout, is the tests' above): run in the interpreter
    # they were all of this test's time, and asked no step more.
    monkeypatch.setattr(fused_rrdb, "conv3x3", lambda *args, **kwargs: None)
    net = small_rrdb()
    with torch.inference_mode():
        for order in ("stock", "regrouped", "hybrid"):
            fused_rrdb.FusedRRDB(net, order)(photo(2, 2))  # any size asks every step
    # A step missing from the table would quietly run on the untuned default.
    assert set(asked) == set(fused_rrdb.HOPPER_TILINGS)
    shapes = {f"s{k}": (64 + 32 * k, 32) for k in range(4)} | {"s4": (192, 64), "r0": (64, 192)}
    shapes |= {f"r{j}": (32, 192 - 32 * j) for j in range(1, 5)} | {"conv_last": (64, 3)}
    shapes |= {f"h{j}": (32 * j, 32) for j in range(1, 4)} | {"h4": (128, 64)}
    for step, tiling in fused_rrdb.HOPPER_TILINGS.items():
        t = tiling.fit(*shapes.get(step, (64, 64)))
        # Each pipeline stage holds a block_m x block_k input tile and a block_k x block_n weight tile
        # (fp16); an H100 offers 232,448 bytes a program (Triton's "out of resource" names this limit).
        assert t.stages * (t.block_m * t.block_k + t.block_k * t.block_n) * 2 <= 232_448, step


def test_only_a_hopper_gpu_takes_the_tuned_tilings_and_the_padded_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert fused_rrdb.tuned_tilings(torch.device("cpu")) == {}
    cpu = fused_rrdb.FusedRRDB(small_rrdb())
    assert (cpu.tilings, cpu.padded) == ({}, False)  # Tiling() for every step, the row layout
    for capability, tuned in (((9, 0), True), ((8, 9), False), ((10, 0), False)):
        monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device, c=capability: c)
        got = fused_rrdb.tuned_tilings(torch.device("cuda"))
        assert got == (fused_rrdb.HOPPER_TILINGS if tuned else {})
        # The padded layout's TMA reads, measured on Hopper only, are its default there only.
        assert fused_rrdb.hopper(torch.device("cuda")) is tuned
