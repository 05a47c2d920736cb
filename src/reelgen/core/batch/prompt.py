"""A batch item's prompt templates (prompt and negative_prompt), their ``{placeholders}`` filled or the one
at fault named."""

from __future__ import annotations

import string
from pathlib import Path
from typing import TYPE_CHECKING

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import MAX_PROMPT_CHARS

if TYPE_CHECKING:
    from reelgen.core.batch.manifest import Manifest
    from reelgen.core.motion.presets import Motion


def template_values(
    output: str,
    first_image: str | None,
    index: int,
    model: str,
    motion: Motion | None,
    variables: dict[str, str],
) -> dict[str, str]:
    """What an item's ``{placeholders}`` stand for: its own names, then its variables."""
    return {
        "output": output,
        "stem": Path(first_image).stem if first_image else output,
        "index": str(index),
        "model": model,
        "motion": motion.label if motion else "still camera",
        **variables,
    }


def check_prompts(manifest: Manifest, source: str | None = None) -> None:
    """Every item's prompt fills, said before any work: a placeholder no item sets failed only its items
    while the others were made (exit 1), though the manifest was what was wrong.

    ``source`` (``manifest shots/manifest.json``) starts the message, as the manifest's other errors do.
    """
    from reelgen.core.batch.manifest import merged

    for i, item in enumerate(manifest.items):
        settings = merged(manifest.defaults, item)
        if not settings["model"]:
            continue  # a missing model is check_models' to say
        first = item.images[0] if item.images else None
        values = template_values(
            item.stem, first, i, settings["model"], settings["motion"], settings["variables"]
        )
        for field, what in (("prompt", "prompt"), ("negative_prompt", "negative prompt")):
            if not settings[field]:
                continue  # no template
            param = f"items[{i}].{field}"
            # A template the item takes from defaults is named there: the item alone is not where it is
            # written. Said starting with param, as a server's refusal and `reelgen batch --server` expect.
            own = getattr(item, field) is not None
            said = param if own else f"{param} (item {item.stem}, from defaults.{field})"
            try:
                fill_prompt(settings[field], values, param, said=said, what=what)
            except InvalidRequest as exc:
                if source:
                    raise InvalidRequest(f"{source}: {exc.message}", param=exc.param) from None
                raise


def fill_prompt(
    template: str, values: dict[str, str], param: str, *, said: str | None = None, what: str = "prompt"
) -> str:
    """``template`` with its ``{placeholders}`` filled; an unknown or odd one is an error naming it.

    ``said`` starts the messages (default: ``param``); ``what`` is the field in words (``negative prompt``).
    """
    where = said or param
    try:
        fields = [
            (name, spec, conv)
            for _, name, spec, conv in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        raise InvalidRequest(
            f"{where}: the {what} template is malformed ({exc}); write {{{{ for a brace", param=param
        ) from None
    for name, spec, conversion in fields:
        # A format spec was applied: {stem:d} ended the batch in an internal ValueError, and
        # {stem:>3000000000} built a 3 GB prompt (on a server, while it planned the batch).
        if spec or conversion:
            given = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            raise InvalidRequest(
                f"{where}: {given} is not a placeholder; a placeholder is a name alone, e.g. {{{name or 'subject'}}} "
                "(write {{ and }} for literal braces)",
                param=param,
            )
        if not name.isidentifier():
            raise InvalidRequest(
                f"{where}: {{{name}}} is not a placeholder name; use letters, digits and _ (e.g. {{subject}})",
                param=param,
            )
        if name not in values:
            raise InvalidRequest(
                f"{where}: the {what} uses {{{name}}}, which is not set; known: {', '.join(sorted(values))} "
                "(add it under variables)",
                param=param,
            )
    prompt = template.format_map(values)
    if len(prompt) > MAX_PROMPT_CHARS:  # else the request refused it later, as an internal ValidationError
        raise InvalidRequest(
            f"{where}: the {what} is {len(prompt)} characters once its placeholders are filled; "
            f"a {what} holds at most {MAX_PROMPT_CHARS} (shorten the template or its variables)",
            param=param,
        )
    return prompt
