"""The lines ``reelgen serve`` prints once it listens: where to open it, and where its data is kept."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reelgen.api.settings import ApiSettings

#: Bind addresses that listen on every address of the machine: none of them is a URL to open.
_EVERY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


def where_data(settings: ApiSettings) -> str:
    """The line after the banner: where jobs and LoRAs are kept, and whether a key is asked for."""
    from sqlalchemy.engine import make_url

    database = make_url(settings.jobs.resolved_database_url()).render_as_string(hide_password=True)
    key = "required" if settings.key() else "none (loopback only)"
    loras = Path(settings.lora_dir)
    # A folder that is not there lists no LoRA, which read as "none installed" on GET /v1/loras.
    state = (
        ""
        if loras.is_dir()
        else (" (a file, not a folder: no LoRAs)" if loras.exists() else " (not there yet: no LoRAs)")
    )
    return (
        f"jobs and outputs in {settings.jobs.data_dir}{_shared(Path(settings.jobs.data_dir))} "
        f"(database {database}); LoRAs from {settings.lora_dir}{state}; API key: {key}"
    )


def _shared(folder: Path) -> str:
    """A note when other accounts may read the data folder (every prompt, upload and video).

    A new one is made for its owner alone; one made before that, or by hand, keeps its mode,
    which reelgen does not change behind a person's back.
    """
    try:
        mode = folder.stat().st_mode
    except OSError:
        return ""
    return " (other accounts can read it: `chmod 700` it to keep them out)" if mode & 0o077 else ""


def banner(host: str, port: int, *, web: bool, names: Sequence[str] = ()) -> str:
    """The line ``serve`` prints once it listens: where the page, the API and its reference are.

    Bound to every address (0.0.0.0, ::), it printed ``http://0.0.0.0:8000/``, which is where the
    server listens, not a URL to open: the URLs are loopback's, then how another machine reaches
    it (by a name the server answers to: one of ``names``, REELGEN_ALLOWED_HOSTS, when set).
    """
    every = host.strip("[]") in _EVERY_ADDRESS
    shown = ("::1" if ":" in host else "127.0.0.1") if every else host
    where = _url(shown, port)
    page = f"the web page at {where}/, " if web else ""
    line = f"reelgen serving {page}the API under {where}/v1 (reference at {where}/docs)"
    if not every:
        return line
    if names:
        from reelgen.api.guard import host_and_port

        # A listed name with its port is the Host a proxy in front sends: it is used as listed.
        name, listed = host_and_port(names[0])
        other = f"a name in REELGEN_ALLOWED_HOSTS, such as {_url(name, listed or port)}/"
    else:
        other = f"its name or address, such as {_url(socket.gethostname(), port)}/"
    return f"{line}; it listens on every address of this machine, so from another one use {other}"


def _url(host: str, port: int) -> str:
    host = host.strip("[]")
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
