"""The lip-sync training scripts' input folders and files checked after parsing, each a usage error naming its option."""

from __future__ import annotations

import argparse
from pathlib import Path

#: What makes each input the scripts read, said where it is missing.
SPEECH = "write it with: python -m reelgen.train.avatar_speech .avatar_data"
SOURCES = "write it with: python -m reelgen.train.avatar_open prepare"


def need_file(parser: argparse.ArgumentParser, flag: str, path: Path, made_by: str) -> None:
    """A file the script reads; missing, it was a FileNotFoundError traceback once the script had started."""
    if not path.is_file():
        parser.error(f"{flag} {path}: no such file; {made_by}")
    # Every file these scripts read is an .npz; an empty or damaged one was numpy's EOFError or
    # BadZipFile traceback, after the script had loaded its models. Reading the archive's index is cheap.
    import zipfile

    import numpy as np

    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        parser.error(f"{flag} {path} is not a NumPy .npz archive ({exc}); {made_by}")
    if not isinstance(loaded, np.lib.npyio.NpzFile):  # a bare .npy array, not named arrays
        parser.error(f"{flag} {path} is not a NumPy .npz archive (it holds one bare array); {made_by}")
    loaded.close()


def need_folder(parser: argparse.ArgumentParser, flag: str, folder: Path, marker: str, what: str) -> None:
    """A model folder, known by the ``marker`` file in it (``lipsync.json``, a VAE's ``config.json``)."""
    if not (folder / marker).is_file():
        # A folder without it was a FileNotFoundError, or diffusers' "couldn't connect to huggingface.co".
        parser.error(f"{flag} {folder} is not {what} (no {marker} in it)")


def need_held_out(parser: argparse.ArgumentParser, flag: str, folder: Path) -> None:
    """The data folder of the evaluation: its held-out tracks; none was "need at least one array"."""
    if not any(folder.glob("held_out_*.wav")):
        parser.error(f"{flag} {folder} has no held-out tracks (held_out_*.wav); {SPEECH}")
