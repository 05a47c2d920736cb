"""reelgen-micro, the small Wan-style model reelgen trains and ships; the spec is importable without torch.

``SPEC`` is imported on first use, so the training code, which needs only the
model's parts (``micro.build``, ``micro.vocabulary``), runs without pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelgen.core.backends.micro.presets import SPEC

__all__ = ["SPEC"]


def __getattr__(name: str) -> Any:
    if name == "SPEC":
        from reelgen.core.backends.micro.presets import SPEC

        return SPEC
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
