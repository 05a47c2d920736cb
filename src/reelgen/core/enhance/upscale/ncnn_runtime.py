"""The Real-ESRGAN ncnn models run through ncnn's own CPU runtime (the ``ncnn`` wheel: no Vulkan, no apt packages)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.enhance.upscale.ncnn_files import read_param
from reelgen.core.enhance.upscale.tiles import run_tiled


def available() -> bool:
    return importlib.util.find_spec("ncnn") is not None


class NcnnUpscaler:
    """One .param/.bin pair loaded into an ncnn Net on the CPU."""

    def __init__(self, param: Path, bin_file: Path, scale: int, threads: int | None = None) -> None:
        import ncnn

        graph = read_param(param)
        self.input, self.output, self.scale = graph.input, graph.output, scale
        self.net: Any = ncnn.Net()
        self.net.opt.use_vulkan_compute = False
        # fp32 throughout, as the record says: ncnn's defaults store and compute in fp16 where the
        # CPU can (ARM with fp16); on x86 they changed nothing (same output to the bit, checked here).
        for flag in ("use_fp16_storage", "use_fp16_packed", "use_fp16_arithmetic", "use_bf16_storage"):
            setattr(self.net.opt, flag, False)
        self.net.opt.num_threads = (
            threads or int(os.environ.get("OMP_NUM_THREADS", 0)) or (os.cpu_count() or 1)
        )
        if self.net.load_param(str(param)) != 0 or self.net.load_model(str(bin_file)) != 0:
            raise RuntimeError(f"ncnn could not load {param} with {bin_file}")

    def _run(self, chw: np.ndarray) -> np.ndarray:
        import ncnn

        # ncnn.Mat wraps the array's memory without copying: keep the array alive until the output is read.
        data = np.ascontiguousarray(chw, dtype=np.float32)
        extractor = self.net.create_extractor()
        extractor.input(self.input, ncnn.Mat(data))
        status, out = extractor.extract(self.output)
        if status != 0:
            raise RuntimeError(f"ncnn failed on a {chw.shape[2]}x{chw.shape[1]} tile (status {status})")
        return np.array(out)

    def upscale(self, frame: np.ndarray, tile: int = 256, overlap: int = 16) -> np.ndarray:
        """A uint8 (H, W, 3) frame upscaled to (H * scale, W * scale, 3)."""
        chw = frame.transpose(2, 0, 1).astype(np.float32) / 255.0
        h, w = chw.shape[1:]
        out = np.empty((3, h * self.scale, w * self.scale), dtype=np.float32)
        run_tiled(self._run, chw, self.scale, tile, overlap, out)
        return np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8).transpose(1, 2, 0)
