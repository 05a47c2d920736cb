"""The ``REELGEN_*`` variable names reelgen reads, so that a misspelled one is named, not silently ignored."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from functools import cache

from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings

#: The ``REELGEN_*`` variables read with ``os.environ`` (or as a command-line option's ``envvar``)
#: rather than through a settings class. Written down here, not found by reading the package's
#: ``.py`` files: an install of bytecode alone, or a zipapp, has none to read, and then every one
#: of these was "not a reelgen setting". tests/api/test_s50_r4_setting_names.py fails when a name
#: written in src/ is neither here nor a settings field, and when one here is no longer read.
DIRECT_NAMES = frozenset(
    {
        "REELGEN_ACCEL",  # core/accel/config.py, by each worker as its model loads
        "REELGEN_API_KEY",  # cli/api_key.py: --api-key of the job commands
        "REELGEN_AVATAR_MAX_SECONDS",  # core/speech/audio.py
        "REELGEN_DATABASE_URL",  # cli/serve.py: --database-url
        "REELGEN_DATA_DIR",  # cli/serve.py: --data-dir
        "REELGEN_HOME",  # core/settings.py, jobs/settings.py, cli/
        "REELGEN_HOST",  # cli/serve.py: --host
        "REELGEN_LORA_DIR",  # core/settings.py
        "REELGEN_MODELS_DIR",  # core/settings.py
        "REELGEN_PORT",  # cli/serve.py: --port
        "REELGEN_PREFORK",  # core/prefork: 0 starts workers and ranks as fresh interpreters
        "REELGEN_SERVER",  # cli/server_url.py: --server of the job commands
        "REELGEN_TRACEBACK",  # cli/__init__.py, cli/serve_logs.py
    }
)


def variables_of(model: type[BaseSettings], field: str) -> list[str]:
    """The variables ``model`` reads for ``field``: its prefix and the field's name, or the field's aliases."""
    info = model.model_fields[field]
    alias = info.validation_alias
    if alias is None:  # pydantic-settings adds the prefix only to a field without an alias
        return [str(model.model_config.get("env_prefix", "")).upper() + field.upper()]
    names = []
    for choice in alias.choices if isinstance(alias, AliasChoices) else [alias]:
        first = choice.path[0] if isinstance(choice, AliasPath) else choice
        if isinstance(first, str):
            names.append(first.upper())
    return names


def _read_by(model: type[BaseSettings]) -> Iterator[str]:
    """The variables ``model`` reads: each field's, by ``variables_of``."""
    for field, info in model.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseSettings):
            continue  # ApiSettings.jobs: its fields are read one by one; REELGEN_JOBS is refused
        yield from variables_of(model, field)


#: What each name of ``DIRECT_NAMES`` that `reelgen serve` reads and no settings class holds does, as
#: ``reelgen serve --settings`` lists it (tests/api/test_s56p_settings_list.py keeps it within DIRECT_NAMES).
DIRECT_MEANINGS = {
    "REELGEN_ACCEL": "The fast paths of each worker, comma-separated (off, fa4, sdpa, no-compile, fp8 ...); "
    "unset: the lossless default.",
    "REELGEN_AVATAR_MAX_SECONDS": "Longest voice track an avatar job takes, in seconds (default 300).",
    "REELGEN_HOME": "reelgen's own folder (tiny builds, hash cache, LoRAs, models; jobs too when set); "
    "default ~/.cache/reelgen.",
    "REELGEN_MODELS_DIR": "A folder of local model folders named like presets; default <reelgen home>/models.",
    "REELGEN_PREFORK": "0 starts each local worker (and each process of a multi-GPU run) as a fresh "
    "interpreter; unset: forked from one process that has imported torch once.",
    "REELGEN_TRACEBACK": "Set to 1 to see the traceback of an internal error, for a report.",
}


@cache
def known_names() -> frozenset[str]:
    """Every ``REELGEN_*`` variable some part of reelgen reads: the settings classes' and
    ``DIRECT_NAMES``."""
    from reelgen.api.settings import ApiSettings, FolderSettings
    from reelgen.jobs.settings import JobSettings

    names = {name for model in (ApiSettings, JobSettings, FolderSettings) for name in _read_by(model)}
    # RAY_ADDRESS (JobSettings reads it too) is Ray's, not reelgen's: never in the warning's list.
    return frozenset(name for name in names | DIRECT_NAMES if name.startswith("REELGEN_"))


def unread_settings(environ: Mapping[str, str]) -> list[str]:
    """One line for each ``REELGEN_*`` variable in ``environ`` that reelgen never reads, with the
    name it most likely meant: ``MAX_QUEUE`` misspelled without its last ``E`` started the server
    with the default queue limit and said nothing, so the typo went unnoticed until the queue filled."""
    # The settings read their variables in any case; REELGEN_JOBS is refused as a bad setting on its own.
    given = [
        name
        for name in sorted(environ)
        if name.upper().startswith("REELGEN_") and name.upper() != "REELGEN_JOBS"
    ]
    if not given:  # the usual start: the settings modules are not imported for nothing
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
        meant = f"did you mean {suffixes[close[0]]}?" if close else "`reelgen serve --settings` lists them"
        lines.append(f"{name} is not a reelgen setting, so it changes nothing; {meant}")
    return lines
