"""HunyuanVideo 13B: text-to-video and LLaVA-conditioned image-to-video; the spec is importable without torch."""

from reelgen.core.backends.hunyuan.presets import SPEC

__all__ = ["SPEC"]
