"""ncnn model files (.param text graph, .bin weights) read in pure Python, and turned into PyTorch state dicts.

The Real-ESRGAN ncnn models are an ONNX export of the PyTorch networks, so
their convolutions appear in the .param file in the PyTorch module order. This
module walks the graph, reads each layer's weights from the .bin (fp16 or fp32
blobs, as ncnn's ModelBin stores them), and names them as Real-ESRGAN's own
checkpoints do, so ``arch`` (or spandrel) loads the result like any
RealESRGAN_x4plus.pth or realesr-animevideov3.pth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reelgen.core.errors import InvalidRequest

#: Layers with no weights that these graphs use; anything else is refused rather than misread.
_WEIGHTLESS = {"Input", "Split", "Concat", "Eltwise", "BinaryOp", "Interp", "PixelShuffle", "ReLU"}
_FP16_TAG = 0x01306B47
_FP32_TAG = 0


@dataclass
class Layer:
    kind: str
    name: str
    inputs: list[str]
    outputs: list[str]
    params: dict[int, str]

    def integer(self, key: int, default: int = 0) -> int:
        return int(self.params.get(key, default))

    def number(self, key: int, default: float = 0.0) -> float:
        return float(self.params.get(key, default))


@dataclass
class Graph:
    layers: list[Layer] = field(default_factory=list)

    @property
    def input(self) -> str:
        return next(layer.outputs[0] for layer in self.layers if layer.kind == "Input")

    @property
    def output(self) -> str:
        return self.layers[-1].outputs[0]

    def of(self, kind: str) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind == kind]


def read_param(path: Path) -> Graph:
    """The layers of an ncnn text .param file, in file order."""
    try:
        lines = path.read_text().split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRequest(f"{path} is not a readable ncnn .param file ({exc})", param="model") from None
    if not lines or lines[0].strip() != "7767517":
        raise InvalidRequest(f"{path} is not an ncnn .param file (no 7767517 magic line)", param="model")
    graph = Graph()
    for line in lines[2:]:
        parts = line.split()
        if not parts:
            continue
        kind, name, n_in, n_out = parts[0], parts[1], int(parts[2]), int(parts[3])
        blobs = parts[4 : 4 + n_in + n_out]
        params = dict(p.split("=", 1) for p in parts[4 + n_in + n_out :])
        graph.layers.append(
            Layer(kind, name, blobs[:n_in], blobs[n_in:], {int(k): v for k, v in params.items()})
        )
    return graph


class _Blobs:
    """Reads ncnn's ModelBin layout: tagged weight blobs (fp16/fp32) and untagged fp32 blobs."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        self.at = 0
        self.path = path

    def _take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise InvalidRequest(
                f"{self.path} ends early: the .param file asks for more weights", param="model"
            )
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def tagged(self, count: int) -> np.ndarray:
        tag = int.from_bytes(self._take(4), "little")
        if tag == _FP16_TAG:
            values = np.frombuffer(self._take(count * 2), dtype="<f2").astype(np.float32)
            self._take((-count * 2) % 4)  # fp16 blobs are padded to 4 bytes
            return values
        if tag == _FP32_TAG:
            return np.frombuffer(self._take(count * 4), dtype="<f4").copy()
        raise InvalidRequest(
            f"{self.path}: weight blob with storage tag {tag:#x}; only fp16 and fp32 models are supported "
            "(not int8-quantised ones)",
            param="model",
        )

    def plain(self, count: int) -> np.ndarray:
        return np.frombuffer(self._take(count * 4), dtype="<f4").copy()


@dataclass
class Converted:
    """A Real-ESRGAN network's weights under Real-ESRGAN's key names, and what the graph does after it."""

    arch: str  # "RRDBNet" or "SRVGGNetCompact"
    state: dict[str, np.ndarray]
    net_scale: int  # what the network itself upscales by
    resize: float  # a bicubic resize the graph applies afterwards (0.5 turns x4 into x2), or 1.0

    @property
    def scale(self) -> int:
        return round(self.net_scale * self.resize)


def convert(param: Path, weights: Path) -> Converted:
    """Turn a Real-ESRGAN ncnn model (RRDBNet or SRVGGNetCompact) into its PyTorch state dict."""
    graph = read_param(param)
    blobs = _Blobs(weights)
    convs: list[tuple[np.ndarray, np.ndarray]] = []
    slopes: list[np.ndarray] = []
    for layer in graph.layers:
        if layer.kind == "Convolution":
            out_ch, k, size = layer.integer(0), layer.integer(1), layer.integer(6)
            w = blobs.tagged(size).reshape(out_ch, size // (out_ch * k * k), k, k)
            b = blobs.plain(out_ch) if layer.integer(5) else np.zeros(out_ch, np.float32)
            convs.append((w, b))
        elif layer.kind == "PReLU":
            slopes.append(blobs.plain(layer.integer(0, 1)))
        elif layer.kind not in _WEIGHTLESS:
            raise InvalidRequest(
                f"{param}: layer {layer.kind} ({layer.name}) is not part of a Real-ESRGAN RRDBNet or "
                "SRVGGNetCompact graph; supported: realesrgan-x4plus, realesrgan-x4plus-anime, realesr-animevideov3",
                param="model",
            )
    if blobs.at != len(blobs.data):
        raise InvalidRequest(
            f"{weights} has {len(blobs.data) - blobs.at} bytes the .param file does not use", param="model"
        )
    resize = _trailing_resize(graph)
    if slopes:
        return _srvgg(convs, slopes, graph, resize, param)
    return _rrdb(convs, graph, resize, param)


def _trailing_resize(graph: Graph) -> float:
    """The scale of an Interp that resizes the network's output (x2/x3 animevideov3), else 1.0."""
    last = graph.layers[-1]
    if last.kind == "Interp" and last.integer(0) == 3:
        return last.number(1, 1.0)
    return 1.0


def _srvgg(
    convs: list[tuple[np.ndarray, np.ndarray]],
    slopes: list[np.ndarray],
    graph: Graph,
    resize: float,
    param: Path,
) -> Converted:
    if len(slopes) != len(convs) - 1:
        raise InvalidRequest(f"{param}: a PReLU graph that is not SRVGGNetCompact", param="model")
    state: dict[str, np.ndarray] = {}
    for i, (w, b) in enumerate(convs):
        state[f"body.{2 * i}.weight"], state[f"body.{2 * i}.bias"] = w, b
    for i, slope in enumerate(slopes):
        state[f"body.{2 * i + 1}.weight"] = slope
    shuffle = graph.of("PixelShuffle")
    net_scale = shuffle[0].integer(0) if shuffle else round((convs[-1][0].shape[0] / 3) ** 0.5)
    return Converted("SRVGGNetCompact", state, net_scale, resize)


def _rrdb(convs: list[tuple[np.ndarray, np.ndarray]], graph: Graph, resize: float, param: Path) -> Converted:
    blocks, extra = divmod(len(convs) - 6, 15)
    upsamples = [layer for layer in graph.of("Interp") if layer.integer(0) == 1 and layer.number(1) == 2.0]
    if extra or blocks < 1 or len(upsamples) != 2 or not graph.of("Concat"):
        raise InvalidRequest(
            f"{param}: {len(convs)} convolutions is not an x4 RRDBNet (1 + 15 per block + 5); "
            "supported: realesrgan-x4plus, realesrgan-x4plus-anime, realesr-animevideov3",
            param="model",
        )
    names = ["conv_first"]
    names += [f"body.{i}.rdb{j}.conv{k}" for i in range(blocks) for j in (1, 2, 3) for k in range(1, 6)]
    names += ["conv_body", "conv_up1", "conv_up2", "conv_hr", "conv_last"]
    state: dict[str, np.ndarray] = {}
    for name, (w, b) in zip(names, convs, strict=True):
        state[f"{name}.weight"], state[f"{name}.bias"] = w, b
    return Converted("RRDBNet", state, 4, resize)
