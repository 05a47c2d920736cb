"""Training data for reelgen-micro: a seeded stream of procedural scenes, rendered and VAE-encoded on the fly."""

from __future__ import annotations

import multiprocessing
import random
import signal
from collections.abc import Iterator
from typing import Any

import numpy as np

from reelgen.train.scene_render import render_arrays, scene_arrays
from reelgen.train.scenes import sample_scene

Chunk = tuple[list[str], dict[str, np.ndarray]]


#: Training mix: odds of one, two and three objects, and the share of clips with a camera move.
#: Heavier on single objects than the generator's defaults: the dominant object is what a
#: prompt mostly asks for, and what the evaluator scores.
OBJECT_WEIGHTS = (72.0, 20.0, 8.0)
CAMERA_SHARE = 0.12


def make_chunk(seed: int, count: int, frames: int) -> Chunk:
    """``count`` training-split scenes of chunk ``seed``: their captions and render inputs."""
    rng = random.Random(seed)
    scenes = [
        sample_scene(rng, "train", object_weights=OBJECT_WEIGHTS, camera_share=CAMERA_SHARE)
        for _ in range(count)
    ]
    return [s.caption for s in scenes], scene_arrays(scenes, frames)


def _make_chunk(args: tuple[int, int, int]) -> Chunk:
    return make_chunk(*args)


def ignore_ctrl_c() -> None:
    """A pool worker's start: Ctrl-C is the parent's to act on. A terminal's Ctrl-C reaches every process
    of the group; a worker it stopped inside the pool's queue left that queue locked, and the parent's
    pool.terminate() then waited for it for ever (a --workers 2 train never ended)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class SceneStream:
    """Chunks of scenes in a fixed order from ``seed``, sampled by worker processes when ``workers`` > 0.

    Chunk ``i`` always comes from seed ``seed * 1_000_003 + i``, so the stream is
    the same however many workers make it.
    """

    def __init__(self, seed: int, frames: int, chunk: int = 32, workers: int = 0) -> None:
        self.frames, self.chunk = frames, chunk
        jobs = ((seed * 1_000_003 + i, chunk, frames) for i in range(10**9))
        self._pool: Any = None
        if workers > 0:
            # spawn, not fork: the parent may already hold a CUDA context.
            self._pool = multiprocessing.get_context("spawn").Pool(workers, initializer=ignore_ctrl_c)
            self._chunks: Iterator[Chunk] = self._pool.imap(_make_chunk, jobs, chunksize=2)
        else:
            self._chunks = map(_make_chunk, jobs)

    def next(self) -> Chunk:
        return next(self._chunks)

    def take(self, count: int) -> Chunk:
        """At least ``count`` scenes (whole chunks joined)."""
        captions: list[str] = []
        parts: list[dict[str, np.ndarray]] = []
        while len(captions) < count:
            names, arrays = self.next()
            captions += names
            parts.append(arrays)
        return captions, join_arrays(parts)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def join_arrays(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate scene arrays; object slots are padded to the widest part."""
    slots = max(p["present"].shape[1] for p in parts)
    out: dict[str, list[np.ndarray]] = {}
    for part in parts:
        for key, value in part.items():
            if value.ndim >= 2 and key in ("present", "rgb", "n", "inner", "centre", "radius", "rot"):
                pad = [(0, 0)] * value.ndim
                pad[1] = (0, slots - value.shape[1])
                fill = 1.0 if key in ("inner", "radius") else 0.0
                value = np.pad(value, pad, constant_values=fill)
            out.setdefault(key, []).append(value)
    return {k: np.concatenate(v) for k, v in out.items()}


def to_video(clips: Any) -> Any:
    """(B, T, H, W, 3) in [0, 1] -> the VAE's (B, 3, T, H, W) in [-1, 1]."""
    return clips.permute(0, 4, 1, 2, 3) * 2.0 - 1.0


def render_video(arrays: dict[str, np.ndarray], size: int, device: Any) -> Any:
    return to_video(render_arrays(arrays, size, size, device))


def encode_latents(vae: Any, video: Any, mean: Any, std: Any) -> Any:
    """Normalised latents, as WanPipeline expects them: (mode - mean) / std."""
    h = vae._encode(video)
    return (h[:, : h.shape[1] // 2] - mean) / std


def decode_unclamped(vae: Any, z: Any) -> Any:
    """AutoencoderKLWan's frame-by-frame decode without its final clamp, so training gets gradients everywhere."""
    import torch
    from diffusers.models.autoencoders.autoencoder_kl_wan import unpatchify

    vae.clear_cache()
    x = vae.post_quant_conv(z)
    frames = []
    for i in range(z.shape[2]):
        vae._conv_idx = [0]
        frames.append(
            vae.decoder(
                x[:, :, i : i + 1], feat_cache=vae._feat_map, feat_idx=vae._conv_idx, first_chunk=i == 0
            )
        )
    vae.clear_cache()
    out = torch.cat(frames, 2)
    return unpatchify(out, vae.config.patch_size) if vae.config.patch_size else out


class LatentPool:
    """Normalised latents and captions of recent clips; ``refresh`` new ones replace the oldest each step."""

    def __init__(self, parts: Any, cfg: Any, stream: SceneStream) -> None:
        import torch

        self.parts, self.cfg, self.stream = parts, cfg, stream
        self.latents: Any = None
        self.captions: list[str] = []
        self.cursor = 0
        filled = []
        while len(self.captions) < cfg.pool:
            captions, z = self._encode(min(64, cfg.pool - len(self.captions)))
            self.captions += captions
            filled.append(z)
        self.latents = torch.cat(filled)

    def _encode(self, count: int) -> tuple[list[str], Any]:
        import torch

        captions, arrays = self.stream.take(count)
        arrays = {k: v[:count] for k, v in arrays.items()}
        device = self.cfg.device
        with torch.no_grad(), torch.autocast("cuda", torch.bfloat16, enabled=self.cfg.cuda):
            video = render_video(arrays, self.cfg.size, device)
            z = encode_latents(self.parts.vae, video, self.parts.mean.to(device), self.parts.std.to(device))
        return captions[:count], z.to(torch.bfloat16)

    def refresh(self, count: int) -> None:
        import torch

        if not count:  # --refresh 0 keeps the pool as filled; drawing no scenes was a ValueError
            return
        captions, z = self._encode(count)
        slots = [(self.cursor + i) % len(self.captions) for i in range(count)]
        self.latents[torch.tensor(slots, device=self.latents.device)] = z
        for slot, text in zip(slots, captions, strict=True):
            self.captions[slot] = text
        self.cursor = (self.cursor + count) % len(self.captions)

    def batch(self, size: int, generator: Any) -> tuple[Any, list[str]]:
        import torch

        index = torch.randint(len(self.captions), (size,), generator=generator, device=generator.device)
        return self.latents[index.to(self.latents.device)].float(), [self.captions[i] for i in index.tolist()]
