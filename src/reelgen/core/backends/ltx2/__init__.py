"""LTX-2: video and its soundtrack from text, an image or keyframes; the spec is importable without torch."""

from reelgen.core.backends.ltx2.presets import SPEC

__all__ = ["SPEC"]
