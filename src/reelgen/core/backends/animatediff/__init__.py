"""AnimateDiff: a Stable Diffusion 1.5 model animated by a motion adapter; the spec is importable without torch."""

from reelgen.core.backends.animatediff.presets import SD15_LATENT_RGB_FACTORS, SPEC

__all__ = ["SD15_LATENT_RGB_FACTORS", "SPEC"]
