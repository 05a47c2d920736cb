"""Output enhancers (frame interpolation, upscaling): the ``Enhancer`` contract, its registry, the chain."""

from reelgen.core.enhance.base import Enhancer, Shape, Stage
from reelgen.core.enhance.chain import run_chain
from reelgen.core.enhance.registry import build, enhancers, register, resolve_chain, unregister

__all__ = [
    "Enhancer",
    "Shape",
    "Stage",
    "build",
    "enhancers",
    "register",
    "resolve_chain",
    "run_chain",
    "unregister",
]
