"""Wan 2.1 / 2.2: text, image (first and last frame) and video to video; the spec is importable without torch."""

from reelgen.core.backends.wan.presets import SPEC

__all__ = ["SPEC"]
