"""``auto``: the model a request naming none gets, the same for the CLI and the API."""

from __future__ import annotations

import pytest

from reelgen.core.auto_model import auto_model
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task


@pytest.mark.parametrize(
    ("task", "model"),
    [
        (Task.T2V, "reelgen-micro"),
        (Task.I2V, "reelgen-micro"),
        (Task.V2V, "ltx-tiny"),  # reelgen-micro does not repaint videos; a tiny build does
        (Task.KEYFRAMES, "ltx-tiny"),
        (Task.AUDIO, "ltx2-tiny"),
        (Task.AVATAR, "reelgen-lipsync"),
    ],
)
def test_with_no_weights_cached_auto_is_a_built_in_model_that_does_the_task(task: Task, model: str) -> None:
    chosen, why = auto_model(task)
    assert chosen == model and "built in" in why
    assert task in registry.presets()[chosen][1].tasks


def test_a_task_no_installed_model_does_is_refused_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from reelgen.core import auto_model as module
    from reelgen.core.errors import UnsupportedTask

    monkeypatch.setattr(module, "BUILT_IN_PREFERENCE", ("reelgen-micro",))
    with pytest.raises(UnsupportedTask) as info:
        auto_model(Task.AUDIO)
    assert info.value.param == "model" and "no installed model does audio" in str(info.value)


def test_a_tiny_build_chosen_by_auto_is_said_to_make_noise() -> None:
    _, why = auto_model(Task.V2V)
    assert "random weights, so it makes coloured noise" in why
    _, micro = auto_model(Task.T2V)  # reelgen-micro draws shapes: no such warning
    assert "noise" not in micro
