"""FramePack: long image-to-video clips made section by section on the HunyuanVideo base; importable without torch."""

from reelgen.core.backends.framepack.presets import SPEC

__all__ = ["SPEC"]
