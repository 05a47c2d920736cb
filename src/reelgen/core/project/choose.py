"""Which scenes a project render makes: every scene's, or those named, each name checked against the file."""

from __future__ import annotations

import json
from collections.abc import Sequence

from reelgen.core.errors import InvalidRequest, near_choice
from reelgen.core.project.plan import PlannedScene, ScenePlan
from reelgen.core.project.status import LISTED, listed


def joined_scenes(scenes: Sequence[str]) -> None:
    """An ``InvalidRequest`` when an id of ``scenes`` holds a ',' (``["dawn,dusk"]``), which no scene id
    does: it said "no scene 'dawn,dusk'; scenes to render: dawn, dusk" as if either were misspelt."""
    if not any("," in s for s in scenes):
        return
    joined = next(s for s in scenes if "," in s)
    each = [part.strip() for s in scenes for part in s.split(",") if part.strip()]
    raise InvalidRequest(
        f"{joined!r} holds a ',', which no scene id does; give each scene as its own item of the list: "
        f"{json.dumps(list(dict.fromkeys(each)))}",
        param="scenes",
    )


def chosen_scenes(planned: Sequence[PlannedScene], scenes: Sequence[str] | None) -> list[ScenePlan]:
    """The render plans of ``scenes`` by id (every scene's when None); an id that is a title card or
    no scene at all is an ``InvalidRequest`` naming the scenes there are to render."""
    plans = [p.render for p in planned if p.render is not None]
    if not scenes:
        return plans
    joined_scenes(scenes)
    known = {p.scene_id for p in plans}
    # In the file's order, as `project status` lists them: sorted, s10 came before s2 and a
    # storyboard's opening scene was lost among the rest. "none": a project of title cards only.
    there = listed([p.scene_id for p in plans]) if known else "none (every scene is a title card)"
    unknown = list(dict.fromkeys(s for s in scenes if s not in known))  # each said once
    cards = [p.scene_id for p in planned if p.render is None and p.scene_id in unknown]
    if cards:  # a card exists, so "no such scene" would send the person looking for a typo
        raise InvalidRequest(
            f"{listed([repr(c) for c in cards])}: a title card is drawn at export, never rendered; "
            f"scenes to render: {there}",
            param="scenes",
        )
    if unknown:  # a typo's scene is named: in a long project "scenes to render" lists only the first ten
        meant = near_choice(unknown[0], sorted(known)) if len(unknown) == 1 else None
        # -s OPENING for the title card `opening`: said to be a card, not left as "no scene".
        card = near_choice(unknown[0], sorted(p.scene_id for p in planned if p.render is None))
        named = [repr(u) for u in unknown]  # "no scene 'a', 'b'" read as if a scene were named both
        either = f"{', '.join(named[:-1])} or {named[-1]}" if 1 < len(named) <= LISTED else listed(named)
        hint = f"did you mean {meant}? " if meant else ""
        if card is not None and meant is None and len(unknown) == 1:
            hint = f"{card!r} is a title card, drawn at export, never rendered; "
        raise InvalidRequest(
            f"no scene {either} in the project; {hint}scenes to render: {there}", param="scenes"
        )
    return [p for p in plans if p.scene_id in scenes]
