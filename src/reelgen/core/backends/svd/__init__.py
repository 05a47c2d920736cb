"""Stable Video Diffusion: a start image becomes a short clip; the spec is importable without torch."""

from reelgen.core.backends.svd.presets import SPEC

__all__ = ["SPEC"]
