"""The check a batch passes before it is sent to a server: every output an MP4, as a server makes them."""

from __future__ import annotations

from reelgen.core.batch.manifest import Manifest
from reelgen.core.errors import InvalidRequest


def check_server_outputs(manifest: Manifest, source: str | None = None) -> None:
    """Refuse, before a batch is sent to a server, items named in another container than MP4 (a GIF,
    a WebM ...): a server's item jobs make MP4s, so each would fail there once sent (in this process
    it is made as named).

    ``source`` (``manifest shots/manifest.json``) starts the message, as the manifest's other errors do.
    """
    others = [(i, item) for i, item in enumerate(manifest.items) if item.suffix != ".mp4"]
    if not others:
        return
    named = ", ".join(f"items[{i}].output {item.output!r}" for i, item in others)
    kinds = sorted({item.suffix for _, item in others})
    stem = others[0][1].stem
    one = len(others) == 1
    raise InvalidRequest(  # every suffix named: "without .gif" of a .gif and a .webm item left the .webm
        f"{source + ': ' if source else ''}{named}: a batch on a server makes MP4 files, not "
        f"{' or '.join(kinds)}; name {'it' if one else 'them'} without {' or '.join(kinds)} (e.g. {stem} "
        f"or {stem}.mp4), "
        f"or run `reelgen batch` without --server to make {'it' if one else 'them'} as named",
        param=f"items[{others[0][0]}].output",
    )
