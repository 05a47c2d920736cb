"""Shell completion of model names: ``reelgen generate -m lt<TAB>`` offers ltx-2b, ltx-tiny and the rest."""

from __future__ import annotations


def model_names(incomplete: str) -> list[str]:
    """The model names (and ``auto``) that start with what was typed, as ``generate`` takes."""
    from reelgen.core.spec.registry import presets
    from reelgen.core.spec.request import Task

    # A talking-head model is refused by generate (it needs `reelgen avatar`), so it is not offered.
    doing = sorted(name for name, (_, preset) in presets().items() if preset.tasks - {Task.AVATAR})
    return [name for name in ["auto", *doing] if name.startswith(incomplete)]


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
