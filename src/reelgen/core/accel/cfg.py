"""Classifier-free guidance in one batch-2 forward for pipelines that call their transformer twice per step.

Wan's pipelines run the prompt and the negative prompt as two forwards of the
same latents and timestep. The hook below answers the first call with one
forward of both (weights read once, larger matrix products) and hands the
second call the half it already computed. It only does so when it can prove
the second call is the partner of the first: the same latents, timestep and
other tensors (by identity, so no host sync) and the negative embeddings the
pipeline's own ``encode_prompt`` returned. Anything else runs unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Pipelines whose denoising loop calls the transformer once for the prompt and once for the negative.
TWO_CALL_PIPELINES = frozenset(
    {"WanPipeline", "WanImageToVideoPipeline", "WanVideoToVideoPipeline", "WanVACEPipeline"}
)

HOOK_NAME = "reelgen_cfg_batch"


def two_call_cfg(pipe: Any) -> bool:
    """Whether ``pipe`` (or a class it derives from) runs CFG as two transformer calls per step."""
    return any(cls.__name__ in TWO_CALL_PIPELINES for cls in type(pipe).__mro__)


@dataclass
class _Pending:
    """The negative half of a batched forward, waiting for the call that asks for it."""

    hidden: Any
    timestep: Any
    others: dict[str, Any]
    output: Any


def _new_hook_class() -> type:
    from diffusers.hooks import ModelHook

    class CFGBatchHook(ModelHook):
        """Batches a prompt call with its negative partner; see the module docstring."""

        def __init__(self) -> None:
            super().__init__()
            self.pairs: dict[int, Any] = {}  # id(positive embeddings) -> negative embeddings
            self.pending: _Pending | None = None
            self.batched = 0

        def new_forward(self, module: Any, *args: Any, **kwargs: Any) -> Any:
            forward: Any = self.fn_ref.original_forward
            pending, self.pending = self.pending, None
            if args or kwargs.get("return_dict", True):
                return forward(*args, **kwargs)
            hidden, timestep = kwargs.get("hidden_states"), kwargs.get("timestep")
            text = kwargs.get("encoder_hidden_states")
            others = {k: v for k, v in kwargs.items() if _is_tensor(v) and k not in _KEYS}
            if pending is not None and _partner(pending, hidden, timestep, others):
                return pending.output
            negative = self.pairs.get(id(text))
            if negative is None or text is None or hidden is None or timestep is None:
                return forward(*args, **kwargs)
            if negative.shape != text.shape:
                return forward(*args, **kwargs)
            import torch

            doubled = {k: torch.cat([v, v]) for k, v in others.items()}
            batched = {
                **kwargs,
                **doubled,
                "hidden_states": torch.cat([hidden, hidden]),
                "timestep": torch.cat([timestep, timestep]) if timestep.ndim else timestep,
                "encoder_hidden_states": torch.cat([text, negative]),
            }
            out = forward(**batched)
            cond, uncond = out[0].chunk(2)
            self.pending = _Pending(hidden, timestep, others, (uncond, *out[1:]))
            self.pairs[id(negative)] = None  # the negative's own call is answered, never batched again
            self.batched += 1
            return (cond, *out[1:])

        def reset_state(self, module: Any) -> Any:
            self.pending = None
            return module

    return CFGBatchHook


_KEYS = ("hidden_states", "timestep", "encoder_hidden_states")


def _is_tensor(value: Any) -> bool:
    return hasattr(value, "shape") and hasattr(value, "dtype")


def _partner(pending: _Pending, hidden: Any, timestep: Any, others: dict[str, Any]) -> bool:
    return (
        hidden is pending.hidden
        and timestep is pending.timestep
        and others.keys() == pending.others.keys()
        and all(others[k] is pending.others[k] for k in others)
    )


def install(models: list[Any]) -> list[Any]:
    """Put the batching hook outermost on each transformer; returns the hooks (to pair embeddings)."""
    from diffusers.hooks import HookRegistry

    hooks = []
    for model in models:
        registry = HookRegistry.check_if_exists_or_initialize(model)
        hook = registry.get_hook(HOOK_NAME)
        if hook is None:
            hook = _new_hook_class()()
            registry.register_hook(hook, HOOK_NAME)
        hooks.append(hook)
    return hooks


def uninstall(models: list[Any]) -> None:
    from diffusers.hooks import HookRegistry

    for model in models:
        HookRegistry.check_if_exists_or_initialize(model).remove_hook(HOOK_NAME, recurse=False)


@contextlib.contextmanager
def pairing(pipe: Any, hooks: list[Any]) -> Iterator[None]:
    """While ``pipe`` runs, note which negative embeddings belong to which prompt embeddings."""
    if not hooks:
        yield
        return
    encode = pipe.encode_prompt
    shadowed = vars(pipe).get("encode_prompt")  # someone else's wrapper (the benchmark's clock)

    def encode_prompt(*args: Any, **kwargs: Any) -> Any:
        result = encode(*args, **kwargs)
        positive, negative = result[0], result[1]
        if positive is not None and negative is not None:
            for hook in hooks:
                hook.pairs[id(positive)] = negative
        return result

    pipe.encode_prompt = encode_prompt
    try:
        yield
    finally:
        if shadowed is None:
            del pipe.encode_prompt  # the class's method shows through again
        else:
            pipe.encode_prompt = shadowed
        for hook in hooks:
            hook.pairs.clear()
            hook.pending = None
