"""Shell completion of model names: ``reelgen generate -m lt<TAB>`` offers ltx-2b, ltx-tiny and the rest."""

from __future__ import annotations


def model_names(incomplete: str) -> list[str]:
    """Every model name (and ``auto``) that starts with what was typed."""
    from reelgen.core.spec.registry import presets

    return [name for name in ["auto", *sorted(presets())] if name.startswith(incomplete)]


def image_model_names(incomplete: str) -> list[str]:
    """The image-to-video model names (and ``auto``) that start with what was typed, as ``animate`` takes."""
    from reelgen.core.spec.registry import presets

    i2v = sorted(name for name, (_, preset) in presets().items() if "i2v" in preset.tasks)
    return [name for name in ["auto", *i2v] if name.startswith(incomplete)]
