"""The lip-sync training scripts' inputs and outputs checked after parsing, each a usage error naming its option."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reelgen.core.atomic import check_writable
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.train.micro_args import given_path

#: What makes each input the scripts read, said where it is missing.
SPEECH = "write it with: python -m reelgen.train.avatar_speech .avatar_data"
SOURCES = "write it with: python -m reelgen.train.avatar_open prepare"


class WithDefaults(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's help followed by its default, where it has one: the scripts' --help said nothing
    of --data, --out, --seconds, --batch or --seed, not even where --data is looked for."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.required:
            return action.help
        return super()._get_help_string(action)


#: Help of the options every training script shares (argparse adds each default).
SPEECH_HELP = (
    "the spoken tracks' features and mouth targets (python -m reelgen.train.avatar_speech writes it)"
)
OUT_HELP = "the lip-sync folder to write (a VAE, a UNet and lipsync.json)"
SEED_HELP = "seed of the drawn faces, the batches and the weights"
#: The arrays each archive must hold (a tuple: any one of them), as the data loaders read them.
SPEECH_ARRAYS: tuple[str | tuple[str, ...], ...] = (("features", "features_q"), "frames", "opening", "width")
SOURCES_ARRAYS: tuple[str | tuple[str, ...], ...] = ("textures", "photos", "photo_mouths")


def out_path(text: str) -> Path:
    """An argparse ``type`` for ``--out``: an empty one (an unset shell variable) was the current folder."""
    return Path(given_path(text))


def need_file(
    parser: argparse.ArgumentParser,
    flag: str,
    path: Path,
    made_by: str,
    arrays: tuple[str | tuple[str, ...], ...] = (),
) -> None:
    """A file the script reads, an .npz holding ``arrays``; missing, it was a FileNotFoundError traceback
    once the script had started."""
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
    held = set(loaded.files)
    loaded.close()
    # An archive of other arrays was a KeyError traceback from inside the data loader.
    lacking = [name for name in arrays if not held & ({name} if isinstance(name, str) else set(name))]
    if lacking:
        names = ", ".join(n if isinstance(n, str) else f"{n[0]} (or {', '.join(n[1:])})" for n in lacking)
        parser.error(f"{flag} {path} lacks the arrays {names}; {made_by}")


def need_folder(parser: argparse.ArgumentParser, flag: str, folder: Path, marker: str, what: str) -> None:
    """A model folder, known by the ``marker`` file in it (``lipsync.json``, a VAE's ``config.json``)."""
    if not (folder / marker).is_file():
        # A folder without it was a FileNotFoundError, or diffusers' "couldn't connect to huggingface.co".
        parser.error(f"{flag} {folder} is not {what} (no {marker} in it)")


def need_held_out(parser: argparse.ArgumentParser, flag: str, folder: Path) -> None:
    """The data folder of the evaluation: its held-out tracks; none was "need at least one array"."""
    if not any(folder.glob("held_out_*.wav")):
        parser.error(f"{flag} {folder} has no held-out tracks (held_out_*.wav); {SPEECH}")


def need_writable(parser: argparse.ArgumentParser, flag: str, path: Path, *, own: bool = False) -> None:
    """A file the script writes, checked before its work (``own``: a name the script picks in a folder)."""
    try:
        check_writable(path, param=flag, own=own)
    except InvalidRequest as exc:
        parser.error(exc.message)


def need_out(parser: argparse.ArgumentParser, flag: str, folder: Path, *beside: Path) -> None:
    """The folder a script writes its model into (and any file ``beside`` it), checked before training:
    a file in its place, or a folder that takes no new file, failed only at the end, the run lost."""
    if folder.exists() and not folder.is_dir():
        parser.error(f"{flag} {folder} is a file; give the folder the model goes into")
    need_writable(parser, flag, folder / "lipsync.json", own=True)
    for path in beside:
        need_writable(parser, flag, path, own=True)


def need_pool(parser: argparse.ArgumentParser, flag: str, path: Path) -> dict[str, Any] | None:
    """The encoded-face pool ``avatar_latent --pool`` keeps between runs: read if it is there (None if not,
    after checking it can be written). A folder there was found only when the pool, the slow part on a
    CPU, had been encoded (torch's "Is a directory" traceback), and a damaged file was torch's traceback."""
    if path.is_dir():
        parser.error(f"{flag} {path} is a folder; give the file the encoded faces are kept in")
    if not path.exists():
        need_writable(parser, flag, path)
        return None
    import torch

    what = "a face pool avatar_latent wrote; give another file name, and the pool is encoded and kept there"
    try:
        pool = torch.load(path)
    except Exception as exc:  # torch says a damaged or foreign file in many types (pickle, zip, its own)
        parser.error(f"{flag} {path} is not {what} ({str(exc).splitlines()[0] if str(exc) else exc!r})")
    if not isinstance(pool, dict) or not all(isinstance(pool.get(k), torch.Tensor) for k in POOL_TENSORS):
        parser.error(f"{flag} {path} is not {what} (no {' and '.join(POOL_TENSORS)} tensors in it)")
    return pool


#: What a face pool holds (avatar_latent.latent_pool).
POOL_TENSORS = ("hidden", "mouths")


@contextmanager
def errors_said(parser: argparse.ArgumentParser) -> Iterator[None]:
    """Run a script's work with reelgen's own errors (an unreadable track, a full disk) said in one line,
    exit 2, as its usage errors are: they were tracebacks ending in ``InvalidRequest``."""
    try:
        yield
    except ReelgenError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc.message}\n")


@contextmanager
def stop_said(parser: argparse.ArgumentParser, out: Path) -> Iterator[None]:
    """Run a training with Ctrl-C said in one line, exit 130: it was a KeyboardInterrupt traceback out of
    torch. These scripts keep no checkpoint, so the line says where the model would have gone."""
    try:
        yield
    except KeyboardInterrupt:
        parser.exit(
            130,
            f"{parser.prog}: error: stopped with Ctrl-C; the model is written to {out} only when training ends\n",
        )
