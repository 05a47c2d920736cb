"""CogVideoX 1.0 and 1.5: text, image and video to video; the spec is importable without torch."""

from reelgen.core.backends.cogvideox.presets import SPEC

__all__ = ["SPEC"]
