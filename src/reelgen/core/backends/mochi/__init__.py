"""Mochi 1 (Genmo): text to video; the spec is importable without torch."""

from reelgen.core.backends.mochi.presets import SPEC

__all__ = ["SPEC"]
