"""Whether a model makes sound, so that turning its sound off is refused where there is none."""

from __future__ import annotations

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task


def makes_sound(model: str) -> bool:
    """Whether ``model``'s family makes a video with generated sound (task audio)."""
    found = registry.presets().get(model)
    return found is not None and Task.AUDIO in found[0].tasks


def check_sound_off(model: str, audio: bool) -> None:
    """Refuse sound turned off (``audio: false``) on a model that makes none: it was dropped unsaid, and
    a person took the silent clip for the option's work."""
    if audio or makes_sound(model):
        return
    makers = sorted(name for name in registry.presets() if makes_sound(name))
    raise InvalidRequest(
        f"audio: {model} makes no sound, so there is none to turn off; leave it out, or use a model "
        f"that makes sound: {', '.join(makers) or 'none installed'}",
        param="audio",
    )
