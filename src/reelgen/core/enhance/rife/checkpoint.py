"""Reads a Practical-RIFE ``flownet.pkl``: finds which v4 release's layout its keys describe, or says which it knows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reelgen.core.enhance.rife.layouts import LAYOUTS, Layout
from reelgen.core.enhance.weights import load_failure, pull_hint
from reelgen.core.errors import InvalidRequest

#: Keys a training checkpoint carries that inference never reads (the distillation teacher, timestep head).
_TRAINING_ONLY = ("teacher.", "caltime.", "block_tea.")

_BLOCK = re.compile(r"^block(\d+)\.conv0\.1\.0\.weight$")


def supported() -> str:
    return ", ".join(layout.name for layout in LAYOUTS)


#: What works, said by every refusal of a file: a file that did not load was named with no word of that.
WANTED = f"give a Practical-RIFE v4.13+ flownet.pkl (layouts {supported()}), or run `{pull_hint('rife')}`"


def read_state(path: Path) -> dict[str, Any]:
    """The tensors of a ``flownet.pkl`` (plain or saved from DataParallel), weights only: no code runs."""
    import torch

    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise InvalidRequest(f"RIFE weights {path} do not exist; {WANTED}", param="weights") from None
    except Exception as exc:  # pickle errors, truncated files, a zip that is not a torch file
        raise InvalidRequest(
            f"RIFE weights {path} are not a readable flownet.pkl ({load_failure(exc)}); {WANTED}",
            param="weights",
        ) from None
    if isinstance(data, dict) and isinstance(data.get("state_dict"), dict):
        data = data["state_dict"]
    if not isinstance(data, dict) or not data:
        raise InvalidRequest(f"RIFE weights {path} hold no state dict; {WANTED}", param="weights")
    state = {k.removeprefix("module."): v for k, v in data.items()}
    return {k: v for k, v in state.items() if not k.startswith(_TRAINING_ONLY)}


def _shape(state: dict[str, Any], key: str) -> tuple[int, ...] | None:
    value = state.get(key)
    return tuple(value.shape) if value is not None and hasattr(value, "shape") else None


def detect(state: dict[str, Any], path: Path) -> Layout:
    """The layout whose widths, Head and block outputs the keys show; InvalidRequest naming the known ones."""
    blocks = sorted(int(m.group(1)) for k in state if (m := _BLOCK.match(k)))
    widths = tuple(_shape(state, f"block{i}.conv0.1.0.weight") or (0,) for i in blocks)
    head0, head3 = _shape(state, "encode.cnn0.weight"), _shape(state, "encode.cnn3.weight")
    last = _shape(state, "block0.lastconv.0.weight")
    if blocks != list(range(len(blocks))) or head0 is None or head3 is None or last is None:
        what = (
            "an older v4 (v4.0-v4.12, no Head encoder)"
            if blocks and "encode.cnn0.weight" not in state
            else ""
        )
        raise InvalidRequest(
            f"RIFE weights {path}: keys are not a Practical-RIFE v4.13+ flownet.pkl layout"
            f"{' (they look like ' + what + ')' if what else ''}; supported layouts: {supported()}",
            param="weights",
        )
    found = (tuple(w[0] for w in widths), (head0[0], head3[1]), last[1] // 4 == 13)
    for layout in LAYOUTS:
        if (layout.widths, layout.head, layout.carries_feat) == found:
            return layout
    raise InvalidRequest(
        f"RIFE weights {path}: unknown layout (block widths {found[0]}, Head {found[1][0]}->{found[1][1]}); "
        f"supported layouts: {supported()}",
        param="weights",
    )


def load(path: str | Path) -> Any:
    """An ``IFNet`` with the weights of ``path``, in eval mode on the CPU, and its layout."""
    from reelgen.core.enhance.rife.ifnet import IFNet

    path = Path(path)
    state = read_state(path)
    layout = detect(state, path)
    net = IFNet(layout)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise InvalidRequest(
            f"RIFE weights {path} look like layout {layout.name} but do not fit it "
            f"(missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]}); supported layouts: {supported()}",
            param="weights",
        )
    return net.eval()
