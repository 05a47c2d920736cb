"""Shell completion of model names: ``reelgen generate -m lt<TAB>`` offers ltx-2b, ltx-tiny and the rest."""

from __future__ import annotations


def model_names(incomplete: str) -> list[str]:
    """Every model name (and ``auto``) that starts with what was typed."""
    from reelgen.core.spec.registry import presets

    return [name for name in ["auto", *sorted(presets())] if name.startswith(incomplete)]


def _doing(task: str, incomplete: str) -> list[str]:
    from reelgen.core.spec.registry import presets

    doing = sorted(name for name, (_, preset) in presets().items() if task in preset.tasks)
    return [name for name in ["auto", *doing] if name.startswith(incomplete)]


def image_model_names(incomplete: str) -> list[str]:
    """The image-to-video model names (and ``auto``) that start with what was typed, as ``animate`` takes."""
    return _doing("i2v", incomplete)


def avatar_model_names(incomplete: str) -> list[str]:
    """The talking-head model names (and ``auto``) that start with what was typed, as ``avatar`` takes."""
    return _doing("avatar", incomplete)
