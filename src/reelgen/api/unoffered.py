"""OpenAI's video calls reelgen does not offer (edits, extensions, characters), each said plainly.

Without these routes, ``POST /v1/videos/edits`` reached ``/v1/videos/{video_id}`` and was answered
"POST is not allowed ...; use GET or DELETE", sending an OpenAI SDK user to look up a video named
"edits". Each answers 404 naming the call and what reelgen has instead.
"""

from __future__ import annotations

from typing import NoReturn

from fastapi import APIRouter, Depends, Request

from reelgen.api.deps import authorized
from reelgen.api.errors import ApiError

router = APIRouter(prefix="/v1/videos", dependencies=[Depends(authorized)], include_in_schema=False)

_REMIX = "remix a finished video with a new prompt (POST /v1/videos/{video_id}/remix)"
_INSTEAD = {
    "edits": (
        "video edits (client.videos.edit)",
        f"{_REMIX}, or restyle a video by sending it as source_video to POST /v1/videos "
        "on a model whose tasks list v2v (GET /v1/models)",
    ),
    "extensions": (
        "video extensions (client.videos.extend)",
        f"{_REMIX}, or join shots with a storyboard project (POST /v1/projects)",
    ),
    "characters": (
        "characters (client.videos.create_character and get_character)",
        "give a start image as input_reference, or make a talking head with POST /v1/avatars",
    ),
}


def _unoffered(name: str) -> NoReturn:
    call, instead = _INSTEAD[name]
    raise ApiError(
        404,
        f"reelgen does not offer OpenAI's {call}; {instead}",
        code="unsupported_endpoint",
    )


#: Every method: a GET of /v1/videos/edits was "no video 'edits'", a PUT "use GET or POST or DELETE".
_ANY = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.api_route("/edits", methods=_ANY)
def edits() -> None:
    _unoffered("edits")


@router.api_route("/extensions", methods=_ANY)
def extensions() -> None:
    _unoffered("extensions")


@router.api_route("/characters", methods=_ANY)
def characters() -> None:
    _unoffered("characters")


@router.api_route("/characters/{character_id}", methods=_ANY)
def character(character_id: str) -> None:
    _unoffered("characters")


@router.api_route("/enhance", methods=["GET", "DELETE", "OPTIONS", "PUT", "PATCH"])
def enhance_by_another_method(request: Request) -> None:
    """``POST /v1/videos/enhance`` only. A GET (or a HEAD) reached ``/v1/videos/{video_id}`` and was
    "no video 'enhance': video ids are ...", and an OPTIONS was told "use GET or POST or DELETE"."""
    raise ApiError(
        405,
        f"{request.method} is not allowed on /v1/videos/enhance; use POST",
        code="method_not_allowed",
        headers={"Allow": "POST"},
    )
