"""Which model a request that names none gets: a real one whose weights are here, else a built-in one."""

from __future__ import annotations

from reelgen.core.errors import ReelgenError, UnsupportedTask
from reelgen.core.spec.request import Task

#: First choice: the first of these (for the request's task) whose weights are on this machine ...
REAL_PREFERENCE = {
    Task.T2V: ("ltx-distilled", "ltx-2b", "wan-1.3b"),
    Task.I2V: ("ltx-distilled", "ltx-2b", "wan-i2v-480p"),
    Task.AUDIO: ("ltx2.3-distilled", "ltx2.3", "ltx2"),
}
#: ... else the first of these built-in ones that does the task: reelgen-micro draws pictures offline,
#: the tiny builds (random weights) cover the tasks it does not.
BUILT_IN_PREFERENCE = ("reelgen-micro", "ltx-tiny", "wan-i2v-tiny", "wan-tiny", "ltx2-tiny")


def auto_model(task: Task = Task.T2V) -> tuple[str, str]:
    """The model ``auto`` means for ``task``, and why it was chosen (for the person to read)."""
    from reelgen.core import weights
    from reelgen.core.spec import registry

    if task is Task.AVATAR:  # talking heads have their own choice: MuseTalk when cached, else the built-in
        from reelgen.core.backends.avatar.presets import BUILT_IN, pick_model

        chosen = pick_model("auto")
        return chosen, "built in" if chosen == BUILT_IN else "weights found on this machine"
    known = registry.presets()
    for name in REAL_PREFERENCE.get(task, REAL_PREFERENCE[Task.T2V]):
        if name in known and task in known[name][1].tasks:
            try:
                weights.locate(*known[name])
            except ReelgenError:
                continue
            return name, "weights found on this machine"
    for name in BUILT_IN_PREFERENCE:
        if name in known and task in known[name][1].tasks:
            # A tiny build's weights are random: said here, its noise was taken for a broken render.
            noise = " with random weights, so it makes coloured noise" if known[name][1].tiny else ""
            return name, f"built in{noise}; no real weights cached - see `reelgen pull`"
    raise UnsupportedTask(
        f"no installed model does {task.value}; name one (see `reelgen models`)", param="model"
    )
