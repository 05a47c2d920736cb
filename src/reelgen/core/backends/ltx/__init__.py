"""LTX-Video 0.9.x: text, image, keyframes, extend and video to video; the spec is importable without torch."""

from reelgen.core.backends.ltx.presets import SPEC

__all__ = ["SPEC"]
