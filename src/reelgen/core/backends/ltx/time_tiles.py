"""LTX-Video's VAE decode in overlapping runs of frames, each frame placed where it belongs in the clip.

diffusers' ``AutoencoderKLLTXVideo._temporal_tiled_decode`` (0.42.1) keeps one frame too many of
its first tile: every later frame of the clip comes out one frame late (the frame at the first
seam shows twice, the last frame is lost) and the first seam blends each frame with its
neighbour. On ltx-tiny's random-weight VAE that alone put the clip 0.79 (relative) away from
the whole decode; placed right, it is the decode's own boundary effect that is left
(``benchmarks/ltx_time_tiles.py``).

Here each tile's decoded frame ``m`` is frame ``start * ratio + m`` of the clip (its first latent
decodes to one frame, the others to ``ratio`` each, as for the whole clip). Overlapping frames
are averaged with weights that ramp linearly across the overlap, so the seams fade.
"""

from __future__ import annotations

import types
from typing import Any


def decode_in_time(vae: Any, z: Any, temb: Any = None, return_dict: bool = True) -> Any:
    """Decode latents (B, C, N, H, W) in runs of ``tile_sample_min_num_frames`` pixel frames (plus one)
    every ``tile_sample_stride_num_frames``; spatial tiles within a run as diffusers decides."""
    import torch
    from diffusers.models.autoencoders.vae import DecoderOutput

    ratio = vae.temporal_compression_ratio
    latents = z.shape[2]
    span = max(1, vae.tile_sample_min_num_frames // ratio)  # latent frames a tile adds to its first
    stride = max(1, min(span, vae.tile_sample_stride_num_frames // ratio))
    overlap = (span - stride) * ratio + 1  # pixel frames two neighbouring tiles share
    starts = list(range(0, max(1, latents - span), stride))
    if starts[-1] + span < latents - 1:  # no tile reaches the clip's last latent: one more ends there
        starts.append(latents - 1 - span)
    out: Any = None
    weight = torch.zeros((latents - 1) * ratio + 1, device=z.device, dtype=torch.float32)
    for index, start in enumerate(starts):
        tile = z[:, :, start : start + span + 1]
        spatial = vae.use_tiling and (
            tile.shape[-1] > vae.tile_sample_min_width // vae.spatial_compression_ratio
            or tile.shape[-2] > vae.tile_sample_min_height // vae.spatial_compression_ratio
        )
        decoded = (
            vae.tiled_decode(tile, temb, return_dict=True).sample if spatial else vae.decoder(tile, temb)
        )
        if out is None:
            out = decoded.new_zeros((*decoded.shape[:2], weight.shape[0], *decoded.shape[3:]))
        first, count = start * ratio, decoded.shape[2]
        ramp = torch.ones(count, device=z.device, dtype=torch.float32)
        shared = min(overlap, count)
        fade = torch.arange(1, shared + 1, device=z.device, dtype=torch.float32) / (shared + 1)
        if index > 0:
            ramp[:shared] = fade  # fade in over the frames the previous tile also made
        if index < len(starts) - 1:
            ramp[count - shared :] = torch.minimum(ramp[count - shared :], fade.flip(0))
        out[:, :, first : first + count] += decoded * ramp.to(decoded.dtype).view(1, 1, -1, 1, 1)
        weight[first : first + count] += ramp
    dec = out / weight.to(out.dtype).view(1, 1, -1, 1, 1)
    return DecoderOutput(sample=dec) if return_dict else (dec,)


def place_frames_right(vae: Any) -> None:
    """Make ``vae``'s framewise decoding use ``decode_in_time`` (this instance only)."""
    vae._temporal_tiled_decode = types.MethodType(decode_in_time, vae)
