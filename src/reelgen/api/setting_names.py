"""The ``REELGEN_*`` variable names reelgen reads, so that a misspelled one is named, not silently ignored."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

#: A variable name as the code writes it (``REELGEN_MAX_QUEUE``), never ending in ``_``.
_NAME = re.compile(r"REELGEN_[A-Z0-9_]*[A-Z0-9]")


@cache
def known_names() -> frozenset[str]:
    """Every ``REELGEN_*`` variable some part of reelgen reads.

    The settings classes give their fields; the rest (``REELGEN_HOME``, ``REELGEN_ACCEL``,
    ``REELGEN_SERVER`` ...) are read with ``os.environ`` where they are used, so the package's
    own source is where their names are written down.
    """
    import reelgen
    from reelgen.api.fanout import FolderSettings
    from reelgen.api.settings import ApiSettings
    from reelgen.jobs.settings import JobSettings

    names = {
        f"REELGEN_{field.upper()}"
        for model in (ApiSettings, JobSettings, FolderSettings)
        for field in model.model_fields
        if field != "jobs"  # read field by field, never as REELGEN_JOBS
    }
    for source in Path(reelgen.__file__).parent.rglob("*.py"):
        try:
            names.update(_NAME.findall(source.read_text(encoding="utf-8", errors="replace")))
        except OSError:  # a file that cannot be read names no variable
            continue
    names.discard("REELGEN_JOBS")
    return frozenset(names)


def unread_settings(environ: Mapping[str, str]) -> list[str]:
    """One line for each ``REELGEN_*`` variable in ``environ`` that reelgen never reads, with the
    name it most likely meant: ``MAX_QUEUE`` misspelled without its last ``E`` started the server
    with the default queue limit and said nothing, so the typo went unnoticed until the queue filled.
    (This module's own text names no misspelled variable: the names in the source count as read.)"""
    # The settings read their variables in any case; REELGEN_JOBS is refused as a bad setting on its own.
    given = [
        name
        for name in sorted(environ)
        if name.upper().startswith("REELGEN_") and name.upper() != "REELGEN_JOBS"
    ]
    if not given:  # the usual start: the sources are not read for nothing
        return []
    known = known_names()
    # Compared without the prefix they all share, which made any two names look alike.
    suffixes = {known_name.removeprefix("REELGEN_"): known_name for known_name in known}
    lines = []
    for name in given:
        upper = name.upper()
        if upper in known:
            continue
        close = difflib.get_close_matches(upper.removeprefix("REELGEN_"), sorted(suffixes), n=1, cutoff=0.75)
        meant = f"did you mean {suffixes[close[0]]}?" if close else 'see README, "Serving", for the settings'
        lines.append(f"{name} is not a reelgen setting, so it changes nothing; {meant}")
    return lines
