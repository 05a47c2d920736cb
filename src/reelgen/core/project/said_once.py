"""A project render's progress that says each memory plan once, not again for every window."""

from __future__ import annotations

from reelgen.core.progress import Progress, ProgressEvent


def plan_said_once(progress: Progress) -> Progress:
    """``progress`` less a "memory plan: ..." line already said in this render.

    Every window is a render of its own, which plans memory anew: a 6 s scene printed the same
    line 16 times, where ``reelgen generate`` prints it once. A plan that differs (another model,
    another size) is still said.
    """
    said: set[str] = set()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "plan" and event.message.startswith("memory plan:"):
            if event.message in said:
                return
            said.add(event.message)
        progress.emit(event)

    return Progress(on_event=on_event, cancel=progress.cancel, preview_every=progress.preview_every)
