"""Spoken training material for reelgen-lipsync: Piper sentences laid into tracks, with the mouth each frame needs.

A track is up to 26 s of sentences with pauses between them (so silence is
learnt too), encoded by the same Whisper features inference uses. Each 25 fps
frame gets a target mouth: how open (the loudness around it, scaled by the
viseme of the phoneme being spoken) and how wide (rounded or spread lips).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelgen.core.speech.features import FEATURES_PER_SECOND, WhisperEncoder
from reelgen.core.speech.tts import Speech, speak
from reelgen.core.types import Audio

FPS = 25.0
TRACK_SECONDS = 26.0

#: Phoneme -> (opening gain, lip width): open vowels open most, bilabials close, rounded vowels narrow.
VISEMES: dict[str, tuple[float, float]] = {}
VISEMES |= dict.fromkeys("aɑæɐʌ", (1.0, 1.0))
VISEMES |= dict.fromkeys("ɒɔ", (0.85, 0.8))
VISEMES |= dict.fromkeys("eɛəɜɚɝø", (0.7, 1.0))
VISEMES |= dict.fromkeys("o", (0.65, 0.75))
VISEMES |= dict.fromkeys("iɪyᵻj", (0.4, 1.12))
VISEMES |= dict.fromkeys("uʊw", (0.35, 0.7))
VISEMES |= dict.fromkeys("mbp", (0.0, 1.0))
VISEMES |= dict.fromkeys("fv", (0.15, 1.0))
VISEMES |= dict.fromkeys("ʃʒɹ", (0.3, 0.82))
#: Marks that continue the phoneme before them (stress, length, word gaps).
CONTINUES = set("ˈˌː ")
#: Pauses: the mouth rests.
PAUSES = set("^$_.,!?;:-\"'()")

_SUBJECTS = [
    "the old farmer",
    "a quiet child",
    "my brother",
    "the tall doctor",
    "our teacher",
    "a tired pilot",
    "the young painter",
    "her mother",
    "the busy baker",
    "a clever fox",
    "the small robot",
    "every sailor",
]
_VERBS = [
    "carried",
    "painted",
    "opened",
    "watched",
    "borrowed",
    "followed",
    "cooked",
    "found",
    "lifted",
    "cleaned",
    "mended",
    "described",
    "remembered",
    "counted",
]
_OBJECTS = [
    "a yellow umbrella",
    "the broken window",
    "seven blue boxes",
    "an awful lot of apples",
    "the morning paper",
    "a bowl of warm soup",
    "the heavy oak door",
    "two hungry ducks",
    "a map of the valley",
    "the noisy machine",
    "a jar of honey",
    "our wooden boat",
]
_PLACES = [
    "before noon",
    "by the river",
    "after the storm",
    "at the market",
    "in the garden",
    "under the bridge",
    "on Monday morning",
    "near the station",
    "across the hall",
    "beside the old mill",
]
_EXTRAS = (
    "Wow!",
    "Oh no.",
    "Really?",
    "Yes, absolutely.",
    "Well, maybe.",
    "Hmm, I wonder.",
    "Goodbye for now.",
    "Thank you so much.",
)


def sentences(count: int, seed: int) -> list[str]:
    """``count`` varied sentences (the seed picks a different set for held-out data)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)}."
        if rng.random() < 0.3:
            s = f"{s} {rng.choice(_EXTRAS)}"
        out.append(s[0].upper() + s[1:])
    return out


@dataclass
class Track:
    """A voice track with its Whisper features and the mouth each video frame should show."""

    audio: Audio
    features: np.ndarray  # (ceil(seconds * 50), L, D)
    opening: np.ndarray  # (frames,) 0..1
    width: np.ndarray  # (frames,)
    envelope: np.ndarray  # (frames,) RMS


def _phoneme_curves(speech: Speech, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample viseme gain and width of one spoken sentence."""
    gain = np.zeros(speech.audio.samples.shape[1], np.float32)
    width = np.ones_like(gain)
    pos, last = 0, (0.0, 1.0)
    for ph in speech.phonemes:
        if ph.symbol in PAUSES:
            current = (0.0, 1.0)
        elif ph.symbol in CONTINUES:
            current = last
        else:
            current = VISEMES.get(ph.symbol, (0.45, 1.0))
        gain[pos : pos + ph.samples], width[pos : pos + ph.samples] = current
        pos += ph.samples
        last = current
    return gain, width


def build_tracks(
    texts: list[str], encoder: WhisperEncoder, seed: int, say: Callable[[str], None] | None = None
) -> list[Track]:
    """Speak ``texts`` and lay them into tracks with random pauses; targets per 25 fps frame.

    ``say`` is told how far the speaking has got, every 25 sentences (it takes minutes on a CPU).
    """
    rng = random.Random(seed)
    spoken = []
    for n, text in enumerate(texts, 1):
        spoken.append(speak(text))
        if say is not None and (n % 25 == 0 or n == len(texts)):
            say(f"spoke {n} of {len(texts)} sentences")
    rate = spoken[0].audio.sample_rate
    tracks: list[Track] = []
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    length = 0.0
    for speech in spoken + [None]:
        if speech is None or length + speech.audio.seconds + 2.0 > TRACK_SECONDS:
            if pieces:
                tracks.append(_finish(pieces, rate, encoder))
            pieces, length = [], 0.0
            if speech is None:
                break
        pause = np.zeros(int(rate * rng.uniform(0.2, 1.6)), np.float32)
        gain, width = _phoneme_curves(speech, rate)
        pieces.append((pause, np.zeros_like(pause), np.ones_like(pause)))
        pieces.append((speech.audio.samples[0], gain, width))
        length += speech.audio.seconds + len(pause) / rate
    return tracks


def _finish(
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]], rate: int, encoder: WhisperEncoder
) -> Track:
    samples, gain, width = (np.concatenate(p) for p in zip(*pieces, strict=True))
    samples = np.concatenate([samples, np.zeros(int(rate * 0.5), np.float32)])
    gain = np.concatenate([gain, np.zeros(int(rate * 0.5), np.float32)])
    width = np.concatenate([width, np.ones(int(rate * 0.5), np.float32)])
    audio = Audio(samples[None], rate)
    frames = int(round(audio.seconds * FPS))
    centres = ((np.arange(frames) + 0.5) * rate / FPS).astype(int).clip(0, len(samples) - 1)
    half = int(rate / FPS)
    rms = np.array([np.sqrt(np.mean(samples[max(0, c - half) : c + half] ** 2)) for c in centres])
    db = 20 * np.log10(rms + 1e-5)
    loud = np.clip((db - (np.percentile(db, 95) - 32)) / 28, 0, 1)
    open_raw = loud * gain[centres]
    opening = np.convolve(np.pad(open_raw, 1, mode="edge"), [0.25, 0.5, 0.25], "valid")
    width_f = np.convolve(np.pad(width[centres], 1, mode="edge"), [0.25, 0.5, 0.25], "valid")
    features = encoder.features(audio)
    assert abs(len(features) - audio.seconds * FEATURES_PER_SECOND) < 2
    return Track(
        audio, features, opening.astype(np.float32), width_f.astype(np.float32), rms.astype(np.float32)
    )


def pack(tracks: list[Track], left: int = 2, right: int = 2) -> dict[str, np.ndarray]:
    """Tracks as flat arrays for training: zero-padded feature blocks and per-frame targets.

    A frame ``t`` of a track whose block starts at ``b`` attends to features
    ``b + 2t .. b + 2t + 2*(left+right+1)``, as ``frame_tokens`` gives at inference.
    """
    span = 2 * (left + right + 1)
    blocks, starts, frame_rows = [], [], []
    offset = 0
    for k, track in enumerate(tracks):
        feats = track.features[:, -1, :]
        block = np.concatenate(
            [
                np.zeros((2 * left, feats.shape[1]), np.float32),
                feats,
                np.zeros((span, feats.shape[1]), np.float32),
            ]
        )
        blocks.append(block)
        starts.append(offset)
        n = len(track.opening)
        frame_rows.append(np.stack([np.full(n, k), np.arange(n), np.full(n, offset)], 1))
        offset += len(block)
    return {
        "features": np.concatenate(blocks).astype(np.float16),
        "frames": np.concatenate(frame_rows).astype(np.int64),  # track, frame, block start
        "opening": np.concatenate([t.opening for t in tracks]),
        "width": np.concatenate([t.width for t in tracks]),
        "envelope": np.concatenate([t.envelope for t in tracks]),
    }


def make_dataset(folder: str, train_count: int = 150, held_out_count: int = 24) -> None:
    """Write ``train.npz`` and ``held_out.npz`` (+ the held-out tracks' audio) into ``folder``, saying each step."""
    from reelgen.core.speech.audio import write_wav
    from reelgen.core.speech.features import ct2_tiny_en

    # It said nothing for the minutes it took (seven on a busy 2-core machine): a line per step now,
    # flushed, so `... | tee log` shows it as it goes.
    begun = time.monotonic()

    def say(line: str) -> None:
        print(f"[{time.monotonic() - begun:6.1f}s] {line}", flush=True)

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    say(f"speaking {train_count} training sentences (Piper) into tracks, encoded by Whisper tiny.en")
    encoder = ct2_tiny_en()
    train = sentences(train_count, seed=1)
    held = [s for s in sentences(held_out_count * 2, seed=2) if s not in set(train)][:held_out_count]
    tracks = build_tracks(train, encoder, seed=1, say=say)
    _save(out / "train.npz", pack(tracks))
    frames = sum(len(t.opening) for t in tracks)
    say(f"wrote {out / 'train.npz'}: {len(tracks)} tracks, {frames} frames ({frames / FPS / 60:.1f} minutes)")
    say(f"speaking {len(held)} held-out sentences")
    held_tracks = build_tracks(held, encoder, seed=2, say=say)
    _save(out / "held_out.npz", pack(held_tracks))
    for i, track in enumerate(held_tracks):
        write_wav(out / f"held_out_{i}.wav", track.audio)
    say(f"wrote {out / 'held_out.npz'} and held_out_0..{len(held_tracks) - 1}.wav: {len(held_tracks)} tracks")
    print(
        f"done: {out} holds the training material; train with "
        f"`python -m reelgen.train.avatar --data {out / 'train.npz'}` (a GPU), or measure a model on it "
        f"with `python -m reelgen.train.avatar_eval MODEL {out}`",
        flush=True,
    )


def _save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez`` all or nothing: a Ctrl-C while writing left a cut-off file that loaded as damaged."""
    from reelgen.core.atomic import staged

    with staged(path) as (tmp,), tmp.open("wb") as file:
        np.savez(file, **arrays)  # type: ignore[arg-type]


def quantized(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same arrays with the features as int8 and a per-channel scale (for carrying to a GPU machine)."""
    features = data["features"].astype(np.float32)
    scale = np.abs(features).max(axis=0).clip(min=1e-6) / 127
    rest = {k: v for k, v in data.items() if k != "features"}
    return {
        **rest,
        "features_q": np.round(features / scale).astype(np.int8),
        "features_scale": scale.astype(np.float32),
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    from reelgen.train.avatar_args import need_writable, out_path

    parser = argparse.ArgumentParser(
        prog="python -m reelgen.train.avatar_speech",
        description="Write the lip-sync training material (spoken tracks): 150 training and 24 held-out "
        "sentences spoken by Piper and encoded by Whisper: a few minutes on a CPU (7 on a busy 2-core machine).",
    )
    parser.add_argument(
        "folder", nargs="?", type=out_path, default=Path(".avatar_data"), help="where (default .avatar_data)"
    )
    args = parser.parse_args(argv)
    # A file there, or a folder that takes no files, was a FileExistsError or FileNotFoundError traceback.
    if args.folder.exists() and not args.folder.is_dir():
        parser.error(f"folder {args.folder} is a file; give the folder the training material goes into")
    need_writable(parser, "folder", args.folder / "train.npz", own=True)
    make_dataset(str(args.folder))


if __name__ == "__main__":
    main()
