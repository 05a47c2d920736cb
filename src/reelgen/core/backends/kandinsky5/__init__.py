"""Kandinsky 5.0 Video Lite: text to video and image to video; the spec is importable without torch."""

from reelgen.core.backends.kandinsky5.presets import SPEC

__all__ = ["SPEC"]
