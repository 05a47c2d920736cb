"""Guidance in parallel: the conditional and unconditional passes of each step run on different processes.

Two hooks on the denoiser, one per way diffusers pipelines call it under guidance:

- batched (LTX): one call on [unconditional, conditional]; each half of the processes
  takes its share of the batch and the predictions are gathered back.
- sequential (Wan): a call with the prompt, then one with the negative prompt. Half 0
  computes the first, half 1 the second; the call a half skips returns a tensor that the
  exchange after the second call fills in. This relies on what every Wan pipeline does:
  nothing reads the first prediction before the second call returns.

Either way every process ends the step with both predictions, so the scheduler, the
latents and the next step are identical everywhere.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist
from diffusers.hooks import HookRegistry, ModelHook

HOOK_NAME = "reelgen-cfg-parallel"


def _sample(output: Any) -> torch.Tensor:
    """The prediction in a denoiser's output (a tuple with return_dict=False, else ``.sample``)."""
    return output[0] if isinstance(output, tuple) else output.sample


def _with_sample(output: Any, sample: torch.Tensor) -> Any:
    if isinstance(output, tuple):
        return (sample, *output[1:])
    output.sample = sample
    return output


def _output_like(module: Any, hidden_states: torch.Tensor, return_dict: bool) -> Any:
    """An unfilled prediction shaped as ``module`` returns one: ``hidden_states`` with its output channels."""
    from diffusers.models.modeling_outputs import Transformer2DModelOutput

    channels = module.config.out_channels or module.config.in_channels
    sample = hidden_states.new_empty((hidden_states.shape[0], channels, *hidden_states.shape[2:]))
    return Transformer2DModelOutput(sample=sample) if return_dict else (sample,)


def _original(hook: ModelHook) -> Any:
    """The forward the hook wraps (diffusers keeps it on the hook's function reference)."""
    return hook.fn_ref.original_forward


def _hidden_states(args: tuple[Any, ...], kwargs: dict[str, Any]) -> torch.Tensor:
    return kwargs["hidden_states"] if "hidden_states" in kwargs else args[0]


class SequentialCfg(ModelHook):
    """Half 0 runs the conditional call, half 1 the unconditional one; they swap results after the second."""

    def __init__(self, half: int, group: Any) -> None:
        super().__init__()
        self.half = half
        self.group = group
        self.calls = 0
        self.first: torch.Tensor | None = None

    def new_forward(self, module: Any, *args: Any, **kwargs: Any) -> Any:
        second = self.calls % 2 == 1
        self.calls += 1
        if self.half == int(second):
            output = _original(self)(*args, **kwargs)
        else:
            output = _output_like(module, _hidden_states(args, kwargs), kwargs.get("return_dict", True))
        if not second:
            self.first = _sample(output)
            return output
        first, mine = self.first, _sample(output)
        assert first is not None  # set by the call before
        self.first = None
        # Half 0 holds the real first prediction, half 1 the real second: swap through a gather.
        shared = (first if self.half == 0 else mine).contiguous()
        both = [torch.empty_like(shared) for _ in range(2)]
        dist.all_gather(both, shared, group=self.group)
        first.copy_(both[0])
        mine.copy_(both[1])
        return output


class BatchedCfg(ModelHook):
    """Each half runs its share of the [unconditional, conditional] batch; the predictions are gathered."""

    def __init__(self, half: int, halves: int, group: Any) -> None:
        super().__init__()
        self.half = half
        self.halves = halves
        self.group = group

    def new_forward(self, module: Any, *args: Any, **kwargs: Any) -> Any:
        batch = _hidden_states(args, kwargs).shape[0]
        if batch % self.halves:  # no guidance batch this call (guidance 1): run it whole
            return _original(self)(*args, **kwargs)

        def share(value: Any) -> Any:
            if isinstance(value, torch.Tensor) and value.ndim and value.shape[0] == batch:
                return value.chunk(self.halves)[self.half]
            return value

        output = _original(self)(*(share(a) for a in args), **{k: share(v) for k, v in kwargs.items()})
        mine = _sample(output).contiguous()
        parts = [torch.empty_like(mine) for _ in range(self.halves)]
        dist.all_gather(parts, mine, group=self.group)
        return _with_sample(output, torch.cat(parts))


def apply(transformer: Any, calls: str, half: int, halves: int, group: Any) -> None:
    """Hook ``transformer`` so its guidance passes are shared by ``halves`` groups of processes."""
    hook = SequentialCfg(half, group) if calls == "sequential" else BatchedCfg(half, halves, group)
    HookRegistry.check_if_exists_or_initialize(transformer).register_hook(hook, HOOK_NAME)
