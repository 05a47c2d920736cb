"""Lip-sync speed: frames per second of the MuseTalk-style path on 512x512 frames (JSON out).

``python -m reelgen.core.backends.avatar.bench --model musetalk-random --device cuda``
times full-size MuseTalk shapes with random weights; ``--model reelgen-lipsync``
the shipped model, and ``--model FOLDER`` any lip-sync folder. Face finding is excluded
(a photo's face is found once); cropping, Whisper features, the VAE and UNet
passes, decoding and the feathered paste are all counted.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.face.align import crop, paste
from reelgen.core.types import Audio


def _engine(model: str, device: str) -> Any:
    import torch

    from reelgen.core.backends.avatar import build
    from reelgen.core.backends.avatar.lipsync import LipSync, LipSyncConfig
    from reelgen.core.speech.features import WhisperEncoder

    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    if model == "musetalk-random":
        vae, unet, encoder = build.musetalk_random()
        config = build.MUSETALK_CONFIG
        whisper = WhisperEncoder("transformers", encoder.to(device, dtype), "all", device, "random")
    else:
        from reelgen.core.backends.avatar.presets import PRESETS
        from reelgen.core.backends.avatar.runner import load_folder
        from reelgen.core.weights import bundled_folder

        shipped = next(p for p in PRESETS if p.name == "reelgen-lipsync")
        folder = bundled_folder(shipped) if model == shipped.name else Path(model)
        return load_folder(folder, device, dtype)
    return LipSync(
        vae.to(device, dtype),
        unet.to(device, dtype),
        whisper,
        LipSyncConfig(**config.__dict__),
        device,
        dtype,
    )


def bench(model: str, device: str, frames: int, batch: int, size: int = 512) -> dict[str, Any]:
    """Time ``frames`` frames of a still ``size`` x ``size`` face speaking random noise-like audio."""
    import torch
    from skimage import data, transform

    engine = _engine(model, device)
    photo = (transform.resize(data.astronaut(), (size, size)) * 255).astype(np.uint8)
    box = np.array([177.0, 67.0, 93.0, 93.0]) * size / 512
    rng = np.random.default_rng(0)
    audio = Audio((rng.standard_normal((1, int(16000 * frames / 25))) * 0.1).astype(np.float32), 16000)
    geo = engine.config.geometry

    def run(count: int) -> float:
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        started = time.perf_counter()
        feats = engine.features(Audio(audio.samples[:, : int(16000 * count / 25)], 16000))
        face = crop(photo, box, geo)
        for first in range(0, count, batch):
            idx = np.arange(first, min(count, first + batch))
            out = engine.sync(np.repeat(face[None], len(idx), 0), feats, idx, 25.0)
            for generated in out:
                paste(photo, generated, box, geo)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - started

    run(min(frames, 2 * batch))  # warm-up: kernels, allocator, cuDNN choices
    seconds = run(frames)
    return {
        "model": model,
        "device": torch.cuda.get_device_name() if device.startswith("cuda") else "cpu",
        "threads": torch.get_num_threads(),
        "frame_size": f"{size}x{size}",
        "crop": geo.size,
        "frames": frames,
        "batch": batch,
        "seconds": round(seconds, 3),
        "fps": round(frames / seconds, 1),
        "real_time_factor_at_25fps": round(frames / seconds / 25, 2),
        "peak_vram_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2)
        if device.startswith("cuda")
        else None,
    }


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1")
    return value


def _model(name: str) -> str:
    """``musetalk-random``, or a lip-sync folder: ``reelgen-lipsync`` names the shipped one."""
    if name in ("musetalk-random", "reelgen-lipsync"):
        return name
    if not (Path(name) / "lipsync.json").is_file():  # it was a FileNotFoundError traceback
        raise argparse.ArgumentTypeError(
            f"{name!r} is neither musetalk-random, reelgen-lipsync nor a lip-sync folder (with lipsync.json)"
        )
    return name


def _device(name: str) -> str:
    import torch

    if name != "cpu" and not (name.startswith("cuda") and torch.cuda.is_available()):
        # "cuda" on a machine without CUDA was torch's AssertionError traceback.
        raise argparse.ArgumentTypeError(f"{name!r}: give cpu, or cuda / cuda:N on a machine with a CUDA GPU")
    return name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        type=_model,
        default="musetalk-random",
        help="musetalk-random (MuseTalk's shapes, random weights; default), reelgen-lipsync (the shipped "
        "model) or a lip-sync folder",
    )
    parser.add_argument("--device", type=_device, default="cpu", help="cpu (default), cuda or cuda:N")
    parser.add_argument("--frames", type=_at_least_one, default=250, help="frames timed (default 250)")
    parser.add_argument("--batch", type=_at_least_one, default=16, help="frames per model pass (default 16)")
    args = parser.parse_args(argv)
    print(json.dumps(bench(args.model, args.device, args.frames, args.batch)))


if __name__ == "__main__":
    main()
