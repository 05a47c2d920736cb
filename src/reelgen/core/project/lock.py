"""One render of a scene at a time: a render of a scene another process is rendering now is refused."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld, let_go, say_holder, try_flock
from reelgen.core.project.plan import ScenePlan


class SceneBusy(ReelgenError):
    """Another process is rendering a scene this render would (exit 1: nothing is wrong with the input)."""

    code = "scene_busy"


@contextmanager
def scenes_held(root: Path, plans: Sequence[ScenePlan]) -> Iterator[None]:
    """Lock each of ``plans``' scene keys under ``root/.reelgen/locks`` while they render.

    Two renders of one scene each deleted the windows the other was reading, and the second ended
    in an internal error; now the second is refused before any work. The lock goes with its
    process, so one killed part-way holds nothing; the refusal names the process that holds it. A
    folder that takes no lock file renders unlocked.
    """
    locks = root / ".reelgen" / "locks"
    with ExitStack() as stack:
        for key, plan in {p.key: p for p in plans}.items():  # two scenes reading alike share a key
            try:
                locks.mkdir(parents=True, exist_ok=True)
                fd = try_flock(locks / f"{key}.lock")
            except LockHeld as held:
                # The holder named, as a busy batch folder's is: a render left running in another
                # terminal (or hung) is then found and stopped by its process id.
                raise SceneBusy(
                    f"{plan.label} is being rendered by another `reelgen project render` of this project "
                    f"now ({held.holder}); wait for it to end (its clip is then current), or render the "
                    "other scenes with --scene ID"
                ) from None
            except OSError:
                continue
            stack.callback(let_go, locks / f"{key}.lock", fd)  # one file per key rendered piled up
            say_holder(fd)
        yield


def rendering_now(root: Path, keys: Iterable[str]) -> dict[str, str]:
    """Of the scene ``keys``, those a render holds now, each with who holds it (process, machine, since).

    Looked at with a shared lock taken and let go at once, and only where a lock file is there (a
    render removes its file as it ends), so nothing is made and a render is kept waiting for nothing.
    """
    locks = root / ".reelgen" / "locks"
    found: dict[str, str] = {}
    for key in dict.fromkeys(keys):
        try:
            fd = try_flock(locks / f"{key}.lock", shared=True, create=False)
        except LockHeld as held:
            found[key] = held.holder
        except OSError:
            continue  # no lock file (nothing renders it), or a folder that takes no lock
        else:
            os.close(fd)
    return found
