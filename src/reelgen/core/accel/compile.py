"""Regional ``torch.compile`` of a transformer's repeated blocks, with an on-disk cache and a recompile count.

One block class is compiled once and reused by every layer (the regional
compile of diffusers' ``compile_repeated_blocks``), so compiling costs seconds,
not minutes, and the Inductor/Triton caches under ``REELGEN_HOME/compile`` let
later processes skip code generation. Shapes are static (``dynamic=False``): a
new size compiles once more, and steps or jobs of a size already seen never
recompile.

Each block's ``forward`` is compiled, not its ``__call__`` as in diffusers: a
hook installed afterwards (diffusers' step caches) then wraps the compiled
forward and runs as plain Python. Traced inside the graph, the cache's choice
between a full and a skipped step became a guard, and the first skipped step of
a run compiled the blocks again in the middle of it.
"""

from __future__ import annotations

import os
from typing import Any

from reelgen.core import settings

#: Distinct shapes one block may be compiled for before Dynamo falls back to eager.
RECOMPILE_LIMIT = 64
#: Attribute on a compiled block keeping the forward it had before (None: its class's own).
_EAGER = "_reelgen_eager_forward"


def cache_dir() -> str:
    """Where compiled kernels persist between processes (set once, before the first compile)."""
    root = settings.home() / "compile"
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(root / "inductor"))
    os.environ.setdefault("TRITON_CACHE_DIR", str(root / "triton"))
    return os.environ["TORCHINDUCTOR_CACHE_DIR"]


def repeated_blocks(model: Any) -> list[str]:
    """The block class names ``model`` declares as repeated (empty: nothing to compile regionally)."""
    return list(getattr(model, "_repeated_blocks", None) or [])


def compile_blocks(model: Any, options: dict[str, Any] | None = None) -> list[str]:
    """Compile ``model``'s repeated blocks in place; returns the class names compiled.

    ``options`` are Inductor settings for these blocks alone (``torch.compile``'s
    ``options``). A declared class that no module of ``model`` has is not among
    them (diffusers' ``compile_repeated_blocks`` raised for it; here the record
    says what really ran).
    """
    import torch

    names = repeated_blocks(model)
    if not names:
        return []
    cache_dir()
    if options and options.get("triton.multi_kernel"):
        # Which build of a multi-kernel won is kept on disk under a key that reads an attribute of
        # the Triton kernel; on torch 2.11 that attribute can be unset (seen on an H200: "TypeError:
        # 'NoneType' object does not support the context manager protocol"; the fast path would then
        # run the block eagerly). Timing both builds again in each process costs milliseconds.
        os.environ.setdefault("TORCHINDUCTOR_DISABLE_MULTI_KERNEL_CACHE", "1")
    dynamo: Any = torch._dynamo.config
    dynamo.cache_size_limit = max(dynamo.cache_size_limit, RECOMPILE_LIMIT)
    if hasattr(dynamo, "recompile_limit"):
        dynamo.recompile_limit = max(dynamo.recompile_limit, RECOMPILE_LIMIT)
    found: set[str] = set()
    for module in model.modules():
        if type(module).__name__ not in names:
            continue
        found.add(type(module).__name__)
        if not hasattr(module, _EAGER):
            # The forward in place now may be an offload hook's; it is compiled with the block.
            setattr(module, _EAGER, module.__dict__.get("forward"))
            module.forward = torch.compile(module.forward, dynamic=False, options=options)
    return sorted(found)


def uncompile_blocks(model: Any) -> None:
    """Undo ``compile_blocks`` (stock behaviour): each block's ``forward`` runs eagerly again.

    Hooks installed after ``compile_blocks`` (step caches) must be removed first:
    they hold the compiled forward.
    """
    for module in model.modules():
        if not hasattr(module, _EAGER):
            continue
        eager = getattr(module, _EAGER)
        delattr(module, _EAGER)
        if eager is None:
            del module.forward  # the class's own forward again
        else:
            module.forward = eager


def compile_counts() -> dict[str, int]:
    """Dynamo's running totals: frames compiled, graphs built, and graph breaks, for recompile checks."""
    from torch._dynamo.utils import counters

    return {
        "frames_compiled": int(counters["stats"].get("unique_graphs", 0)),
        "calls_captured": int(counters["stats"].get("calls_captured", 0)),
        "graph_breaks": int(sum(counters["graph_break"].values())),
    }


def compile_seconds() -> dict[str, float]:
    """Seconds spent so far in each of torch.compile's timed phases (tracing, Inductor's passes, Triton builds, autotuning).

    Phases nest (``compile_fx_inner`` holds the code generation under it), so
    they do not add up; a benchmark diffs two readings to see where a slow first
    call went.
    """
    from torch._dynamo.utils import compilation_time_metrics

    return {phase: sum(times) for phase, times in compilation_time_metrics.items()}
