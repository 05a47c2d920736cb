"""HunyuanVideo 1.5 (480p and 720p, text- and image-to-video); the spec is importable without torch."""

from reelgen.core.backends.hunyuan15.presets import SPEC

__all__ = ["SPEC"]
