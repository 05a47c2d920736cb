"""Talking avatars: a face (photo or video) and a voice become a lip-synced video; the spec loads without torch.

``SPEC`` is imported on first use, so the training code (``reelgen.train.avatar``),
which needs only the model's parts, runs where pydantic is not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelgen.core.backends.avatar.presets import SPEC

__all__ = ["SPEC"]


def __getattr__(name: str) -> Any:
    if name == "SPEC":
        from reelgen.core.backends.avatar.presets import SPEC

        return SPEC
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
