"""SkyReels-V2: diffusion forcing for long videos, plain text/image to video; the spec is importable without torch."""

from reelgen.core.backends.skyreels.presets import SPEC

__all__ = ["SPEC"]
