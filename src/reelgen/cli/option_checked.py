"""What a number option checked by its own callback (not by ``min``/``max`` or a model's field) takes,
in words, so that text given for it is told the numbers to give and not only to write digits."""

from __future__ import annotations

from annotated_types import Ge, Gt, Le

from reelgen.core.spec.numbers import valid_numbers


def checked_takes(command: str, flag: str) -> str | None:
    """What ``flag`` of ``command`` takes (``a whole number from 1 to 100``), or None where its range
    is not one of these callbacks' own (a model's field, or a server's to say)."""
    if flag == "--count" and command in ("generate", "animate"):
        from reelgen.cli.output import MAX_TAKES

        return valid_numbers("whole", [Ge(1), Le(MAX_TAKES)])
    if flag in ("--vram-budget", "--budget"):  # positive_gib: the GiB to plan for
        return valid_numbers("number", [Gt(0)]).replace("a number", "a number of GiB", 1)
    if flag == "--price-per-gpu-hour":  # gpu_hour_price: a finite price, free included
        return valid_numbers("number", [Ge(0)])
    if command == "bench" and flag == "--warmup-steps":
        from reelgen.core.spec.request import MAX_STEPS

        return valid_numbers("whole", [Ge(0), Le(MAX_STEPS)])
    if flag == "--priority" and command in ("submit", "remix"):
        from reelgen.api.priority_cap import PRIORITY_FLOOR
        from reelgen.api.settings import ApiSettings

        # The top is the server's cap, not the body's 1000: a client told 1000 was refused again.
        cap = ApiSettings.model_fields["max_priority"].default
        return f"a whole number from {PRIORITY_FLOOR} to the server's cap (REELGEN_MAX_PRIORITY, {cap} unless set)"
    return None
