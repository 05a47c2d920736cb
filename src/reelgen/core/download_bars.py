"""Progress bars for a pull's downloads: tqdm's, drawn only where they are read, on a terminal."""

from __future__ import annotations

from typing import Any

from tqdm.auto import tqdm


class DownloadBars(tqdm):
    """huggingface_hub's bars for the bytes and files of a snapshot, on a terminal only.

    The CLI turns the libraries' own bars off (reelgen draws its own), which left `reelgen pull` of a
    model of tens of GB at "downloading ..." for as long as it took, like a hang. Off a terminal (a log,
    a pipe) they stay off: tqdm's ``disable=None``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("disable", None)
        super().__init__(*args, **kwargs)
