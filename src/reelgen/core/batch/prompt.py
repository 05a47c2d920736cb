"""A batch item's prompt template, its ``{placeholders}`` filled or the one at fault named."""

from __future__ import annotations

import string

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import MAX_PROMPT_CHARS


def fill_prompt(template: str, values: dict[str, str], param: str) -> str:
    """``template`` with its ``{placeholders}`` filled; an unknown or odd one is an error naming it."""
    try:
        fields = [
            (name, spec, conv)
            for _, name, spec, conv in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        raise InvalidRequest(
            f"{param}: the prompt template is malformed ({exc}); write {{{{ for a brace", param=param
        ) from None
    for name, spec, conversion in fields:
        # A format spec was applied: {stem:d} ended the batch in an internal ValueError, and
        # {stem:>3000000000} built a 3 GB prompt (on a server, while it planned the batch).
        if spec or conversion:
            given = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            raise InvalidRequest(
                f"{param}: {given} is not a placeholder; a placeholder is a name alone, e.g. {{{name or 'subject'}}} "
                "(write {{ and }} for literal braces)",
                param=param,
            )
        if not name.isidentifier():
            raise InvalidRequest(
                f"{param}: {{{name}}} is not a placeholder name; use letters, digits and _ (e.g. {{subject}})",
                param=param,
            )
        if name not in values:
            raise InvalidRequest(
                f"{param}: the prompt uses {{{name}}}, which is not set; known: {', '.join(sorted(values))} "
                "(add it under variables)",
                param=param,
            )
    prompt = template.format_map(values)
    if len(prompt) > MAX_PROMPT_CHARS:  # else the request refused it later, as an internal ValidationError
        raise InvalidRequest(
            f"{param}: the prompt is {len(prompt)} characters once its placeholders are filled; "
            f"a prompt holds at most {MAX_PROMPT_CHARS} (shorten the template or its variables)",
            param=param,
        )
    return prompt
