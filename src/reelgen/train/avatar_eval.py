"""Measures reelgen-lipsync on held-out sentences and faces: ``python -m reelgen.train.avatar_eval MODEL DATA``.

Sync is the Pearson correlation, over every frame, between how open the mouth
in the output looks (the share of dark pixels in the inner mouth) and the
voice's RMS envelope at that frame. Containment is checked on a real photo
(scikit-image's astronaut): after the paste, no pixel outside the feathered
mouth ellipse differs from the source.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reelgen.core.backends.avatar.lipsync import LipSync
from reelgen.core.face import align
from reelgen.core.face.detect import find_faces
from reelgen.core.speech.audio import frame_envelope, read_voice
from reelgen.train.avatar_args import errors_said, need_folder, need_held_out
from reelgen.train.avatar_faces import Faces, draw, mouth_opening_of, photo_bank
from reelgen.train.micro_args import number

FPS = 25.0


def openings(
    engine: LipSync, crop: np.ndarray, feats: np.ndarray, frames: np.ndarray, batch: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    """Mouth opening at each of ``frames`` for a still face crop (frames are independent), and the outputs."""
    outs = []
    for first in range(0, len(frames), batch):
        idx = frames[first : first + batch]
        outs.append(engine.sync(np.repeat(crop[None], len(idx), 0), feats, idx, FPS))
    out = np.concatenate(outs)
    pixels = torch.from_numpy(out).permute(0, 3, 1, 2).float() / 255
    return mouth_opening_of(pixels, engine.config.geometry.mouth).numpy(), out


def drawn_face(seed: int, size: int, textures: torch.Tensor) -> np.ndarray:
    """A held-out drawn face (seeds far from training's), mouth lightly open, head straight."""
    g = torch.Generator().manual_seed(10_000 + seed)
    faces = Faces.sample(1, g, "cpu", textures)
    pose = torch.tensor([[0.0, 1.0, 0.0, 0.0]])
    img = draw(faces, pose, torch.tensor([0.2]), torch.tensor([1.0]), size, g, textures)
    return (img[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)


def containment(engine: LipSync, photo: np.ndarray, feats: np.ndarray, count: int) -> dict[str, Any]:
    """Largest change outside the feathered mouth ellipse after pasting onto the photo (should be 0)."""
    geo = engine.config.geometry
    box = max(find_faces(photo), key=lambda b: b.area).as_array()
    crop = align.crop(photo, box, geo)
    _, outs = openings(engine, crop, feats, np.arange(count))
    worst, changed_inside = 0, 0
    import cv2

    back = cv2.invertAffineTransform(align.crop_matrix(box, geo))
    weight = cv2.warpAffine(align.mouth_mask(geo), back, photo.shape[1::-1], flags=cv2.INTER_LINEAR)
    outside = weight <= 0
    for out in outs:
        pasted = align.paste(photo, out, box, geo)
        diff = np.abs(pasted.astype(int) - photo.astype(int)).max(axis=2)
        worst = max(worst, int(diff[outside].max()))
        changed_inside += int((diff[~outside] > 0).sum())
    return {
        "max_change_outside_mouth": worst,
        "changed_pixels_inside_per_frame": changed_inside // max(1, len(outs)),
    }


def evaluate(model: Path, data: Path, tracks: int = 2, faces: int = 3, stride: int = 3) -> dict[str, Any]:
    """Sync on ``tracks`` held-out tracks x ``faces`` faces (the astronaut, then drawn ones), every ``stride``-th frame."""
    from skimage import data as samples

    from reelgen.core.backends.avatar.runner import load_folder

    engine = load_folder(model, "cpu", torch.float32)
    textures = photo_bank(256)
    photo = samples.astronaut()
    geo = engine.config.geometry
    astro_crop = align.crop(photo, max(find_faces(photo), key=lambda b: b.area).as_array(), geo)
    rows, per_track = [], []
    wavs = sorted(data.glob("held_out_*.wav"))[:tracks]
    for i, wav in enumerate(wavs):
        voice = read_voice(wav)
        feats = engine.features(voice)
        count = round(voice.seconds * FPS)
        frames = np.arange(i % stride, count, stride)
        env = frame_envelope(voice, FPS, count)[frames]
        for face_seed in range(faces):
            crop = astro_crop if face_seed == 0 else drawn_face(100 * i + face_seed, geo.size, textures)
            opening, _ = openings(engine, crop, feats, frames)
            r = float(np.corrcoef(opening, env)[0, 1]) if opening.std() > 0 else 0.0
            name = "astronaut" if face_seed == 0 else f"drawn-{face_seed}"
            per_track.append({"track": i, "face": name, "r": round(r, 3)})
            rows.append((opening, env))
    opening_all = np.concatenate([o for o, _ in rows])
    env_all = np.concatenate([e for _, e in rows])
    speaking = env_all > 0.02
    contain = containment(engine, photo, engine.features(read_voice(wavs[0])), 25)
    return {
        "pooled_r": round(float(np.corrcoef(opening_all, env_all)[0, 1]), 3),
        "mean_r": round(float(np.mean([p["r"] for p in per_track])), 3),
        "astronaut_mean_r": round(float(np.mean([p["r"] for p in per_track if p["face"] == "astronaut"])), 3),
        "opening_speaking": round(float(opening_all[speaking].mean()), 4),
        "opening_silent": round(float(opening_all[~speaking].mean()), 4),
        "frames": int(len(env_all)),
        "per_track": per_track,
        **contain,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m reelgen.train.avatar_eval", description=__doc__.splitlines()[0]
    )
    parser.add_argument("model", type=Path, help="a lip-sync folder")
    parser.add_argument("data", type=Path, help="the folder avatar_speech wrote (held_out_*.wav)")
    # Each counts something to measure: 0 or fewer were taken and left nothing to measure.
    some = number(int, 0, above=True)
    parser.add_argument("--tracks", type=some, default=2, help="held-out tracks to speak")
    parser.add_argument(
        "--faces", type=some, default=3, help="faces per track: the astronaut, then drawn ones"
    )
    parser.add_argument("--stride", type=some, default=3, help="measure every n-th frame")
    args = parser.parse_args(argv)
    need_folder(parser, "model", args.model, "lipsync.json", "a lip-sync folder")
    need_held_out(parser, "data", args.data)
    with errors_said(parser):
        report = evaluate(args.model, args.data, args.tracks, args.faces, args.stride)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
