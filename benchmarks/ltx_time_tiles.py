"""How far LTX-Video's VAE decode tiled in time lands from the whole decode, frame by frame (CPU, seconds).

ltx-tiny's ``AutoencoderKLLTXVideo`` (seeded random weights, 4x in time) encodes a smooth moving pattern; its
latents are decoded whole, then in runs of frames by diffusers' framewise decoding and by
reelgen's (``core/backends/ltx/time_tiles.py``), at several tile sizes and strides in pixel frames
(reelgen's plans use 32 / 24, diffusers' default is 16 / 8). Prints one JSON object: the relative
error against the whole decode, over the clip and per frame.

    PYTHONPATH=src python benchmarks/ltx_time_tiles.py
"""

from __future__ import annotations

import argparse
import json

import torch

from reelgen.core.backends.ltx.time_tiles import decode_in_time
from reelgen.core.backends.ltx.tiny import drifting_pattern, tiny_vae

SETTINGS = ((16, 8), (24, 16), (32, 16), (32, 24))


def main() -> None:
    # It takes no arguments; `--help` ran the whole comparison instead of saying so.
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    vae = tiny_vae()  # ltx-tiny's: the real class at toy size, seeded random weights
    report: dict[str, object] = {}
    with torch.no_grad():
        latents = vae.encode(drifting_pattern()).latent_dist.mode()
        whole = vae.decode(latents, return_dict=False)[0]
        for frames, stride in SETTINGS:
            vae.tile_sample_min_num_frames, vae.tile_sample_stride_num_frames = frames, stride
            vae.use_framewise_decoding = True
            for name, tiled in (
                ("diffusers", vae.decode(latents, return_dict=False)[0]),
                ("reelgen", decode_in_time(vae, latents, return_dict=False)[0]),
            ):
                diff = (tiled - whole).flatten(3).norm(dim=-1) / whole.flatten(3).norm(dim=-1)
                report[f"{name} {frames}/{stride}"] = {
                    "clip": round(float((tiled - whole).norm() / whole.norm()), 4),
                    "per_frame": [round(float(v), 3) for v in diff.mean(dim=(0, 1))],
                }
            vae.use_framewise_decoding = False
    print(json.dumps(report))


if __name__ == "__main__":
    main()
