"""A remix refused because an input file of the remixed video is gone, said in the CLI's terms.

The server says "make a new video with POST /v1/videos, sending the image again": right for an
HTTP client, a route a person at ``reelgen remix`` has no command for. Its error object names the
create field the file went in (``missing_input``); here that becomes the option that sends it. A
LoRA gone from the server's folder (``missing_lora``) is said without its route and field names.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from reelgen.cli.client import ClientError

#: The server's advice to an HTTP client, which the CLI's replaces.
_HTTP_ADVICE = "; make a new video with POST /v1/videos"
_LORA_ADVICE = "; put it back (GET /v1/loras lists the folder)"
#: What each create file field holds, and the option of ``reelgen generate`` (on this machine) that takes it.
_LOCAL = {
    "end_image": ("end image", "--end-image FILE"),
    "source_video": ("source video", "--video FILE"),
    "keyframe_images": ("keyframe images", "--keyframe FRAME:FILE"),
}


def said_for_cli(exc: ClientError, prompt: str, model_of: Callable[[], str | None]) -> ClientError:
    """``exc`` with its HTTP advice said as commands, when it is a remix refused for a gone input;
    else ``exc``. ``prompt`` is the remix's; ``model_of`` reads the remixed video's model (None:
    not known), asked only for such a refusal."""
    field = exc.error.get("missing_input")
    said = exc.said or ""
    if exc.error.get("code") != "not_remixable":
        return exc
    if isinstance(exc.error.get("missing_lora"), str) and _LORA_ADVICE in said:
        gone = re.sub(r" \(loras\[\d+\]\.name\)", "", said.partition(_LORA_ADVICE)[0])
        message = (
            f'{gone}; put it back in that folder (`reelgen serve` names it as it starts: "LoRAs from ..."); '
            "`reelgen submit` cannot send a LoRA"
        )
        return ClientError(f"HTTP {exc.status}: {message}", exc.status, said=message, error=exc.error)
    if not isinstance(field, str) or _HTTP_ADVICE not in said:
        return exc
    gone = said.partition(_HTTP_ADVICE)[0].replace(f" ({field})", "")
    if field == "input_reference":
        model = model_of()
        pick = f" -m {shlex.quote(model)}" if model else ""
        advice = (
            f"make a new video from the image with: reelgen submit {shlex.quote(prompt)} --image FILE{pick}"
        )
    else:
        what, option = _LOCAL.get(field, (field.replace("_", " "), None))
        local = f"`reelgen generate ... {option}` makes one on this machine, or " if option else ""
        advice = (
            f"`reelgen submit` sends a start image only (--image), not the {what}: {local}"
            f"send it to the server's POST /v1/videos as the file field {field}"
        )
    message = f"{gone}; {advice}"
    return ClientError(f"HTTP {exc.status}: {message}", exc.status, said=message, error=exc.error)
