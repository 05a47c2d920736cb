"""The models a server offers (GET /v1/models), checked against a manifest before ``batch --server`` sends it."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from reelgen.core.errors import InvalidRequest

if TYPE_CHECKING:
    from reelgen.core.batch import Manifest

#: The tasks of a model that makes a clip from a keyframe or a prompt (core.motion.makes.VIDEO_TASKS).
_VIDEO_TASKS = frozenset({"t2v", "i2v", "keyframes"})


def server_models(server: str, api_key: str | None) -> dict[str, set[str]] | None:
    """Each model the server lists, with its tasks; None where it answers with no list (a wrong key, not
    reelgen): the request itself then says why, in the words it always has. No answer is a ``ServerError``."""
    from reelgen.cli.remote import ServerError, call

    try:
        answer = call(server, api_key, "GET", "/v1/models").json()
    except ServerError as exc:
        if exc.status is None:  # unreachable: said now, not after the POST's own wait for it
            raise
        return None
    except ValueError:
        return None
    rows = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(rows, list):
        return None
    return {
        str(row.get("id")): {str(t) for t in row.get("tasks") or []} for row in rows if isinstance(row, dict)
    }


def _named(spec: Manifest) -> list[tuple[str, str]]:
    """Each item's model with where the manifest names it (``items[1].model`` or ``defaults.model``)."""
    return [
        (item.model, f"items[{i}].model") if item.model else (spec.defaults.model or "", "defaults.model")
        for i, item in enumerate(spec.items)
    ]


def names_models(spec: Manifest) -> bool:
    """Whether the manifest names a model, not only ken-burns (which needs no list to check)."""
    from reelgen.core.motion.kenburns import KEN_BURNS

    return any(name and name != KEN_BURNS for name, _ in _named(spec))


def check_server_models(spec: Manifest, source: str, server: str, offered: dict[str, set[str]]) -> None:
    """Every model the manifest names is one ``server`` offers, and makes video; else refused, naming the
    item, before anything is queued (this install may know other models than the server)."""
    from reelgen.core.motion.kenburns import KEN_BURNS

    url = server.rstrip("/")
    for name, where in _named(spec):
        if not name or name == KEN_BURNS:
            continue
        if name not in offered:
            # Only what a batch can use: "reelgen-mikro" was offered the avatar-only reelgen-lipsync too.
            usable = [model for model, tasks in offered.items() if tasks & _VIDEO_TASKS]
            close = difflib.get_close_matches(name.lower(), [*usable, KEN_BURNS], n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InvalidRequest(
                f"{source}: {where}: unknown model {name!r} on the server at {url}{hint} ({url}/v1/models lists "
                f"its {len(offered)} models; a batch also takes {KEN_BURNS}, a pan and zoom over the keyframe, "
                "no model)",
                param=where,
            )
        if not offered[name] & _VIDEO_TASKS:  # a talking-avatar model this install does not know
            tasks = ", ".join(sorted(offered[name])) or "none"
            raise InvalidRequest(
                f"{source}: {where}: {name} makes no clip from a keyframe or a prompt (its tasks on the server: "
                f"{tasks}); use a text- or image-to-video model, or {KEN_BURNS}",
                param=where,
            )
