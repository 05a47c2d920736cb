"""The key webhooks are signed with: ``REELGEN_WEBHOOK_SECRET``, else one made once and kept in the data folder.

A kept file other accounts can read, and a key short enough to find by trying keys against one
signed delivery, are warned of at start, never refused: deliveries go on, and receivers hold the
secret already.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import secrets
import shlex
import tempfile
from pathlib import Path

from reelgen.jobs.settings import JobSettings

log = logging.getLogger("reelgen.jobs.webhooks")  # the sender's name: what the server's log has said


#: Standard Webhooks secrets: this prefix, then the base64 of the key's bytes.
SECRET_PREFIX = "whsec_"


def load_secret(settings: JobSettings) -> str:
    """The signing key: from settings, else one made once and kept in ``data_dir/webhook-secret``."""
    if settings.webhook_secret is not None:
        given = settings.webhook_secret.get_secret_value()
        _warn_if_short(given, "REELGEN_WEBHOOK_SECRET", "unset it to have one made")
        return given
    path = Path(settings.data_dir) / "webhook-secret"
    if path.is_file():
        kept = path.read_text().strip()
        if kept:
            _warn_if_open(path)
            _warn_if_short(kept, f"the webhook secret in {path}", "empty the file to have one made there")
            return kept
        # An emptied file signed every delivery with an empty key, one anyone can sign with.
        log.warning("%s is empty; a new webhook secret is made in it (receivers need the new one)", path)
        return _make_secret(path, replace=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _make_secret(path, replace=False)


def _warn_if_open(path: Path) -> None:
    """Say, as ssh does of a key file, when other accounts may read or change the kept secret: with it
    anyone can sign a POST every receiver takes as this server's. One copied in, or made before the
    file was made 0600, kept its mode, used without a word. Said, not refused: deliveries go on."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning(
            "the webhook secret %s is open to other accounts (permissions %04o): any of them can sign "
            "webhooks as this server; run `chmod 600 %s`",
            path,
            mode,
            shlex.quote(str(path)),
        )


#: Standard Webhooks asks for a key of 24 to 64 random bytes; the ones made here are 32.
SHORTEST_KEY_BYTES = 24


def _warn_if_short(secret: str, named: str, remedy: str) -> None:
    """Say when the key is short enough to find by trying keys against one signed delivery (a receiver's
    log, a proxy's): "secret" signed every webhook without a word, and whoever found it could sign too."""
    size = len(signing_key(secret))
    if size < SHORTEST_KEY_BYTES:
        log.warning(
            "%s is a key of %d bytes: anyone who sees one signed delivery can find a key that short by "
            "trying keys, then sign webhooks as this server; give one of %d random bytes or more, or %s "
            "(receivers then need the new one)",
            named,
            size,
            SHORTEST_KEY_BYTES,
            remedy,
        )


def put_back(settings: JobSettings, secret: str) -> bool:
    """Write ``secret`` (the one in use) back into ``data_dir/webhook-secret`` if that file was deleted while
    the server ran (its data folder removed, say); True if it was. The next start made a new secret,
    and every receiver refused the signatures made with it, with no word in the log of why."""
    if settings.webhook_secret is not None:
        return False
    path = Path(settings.data_dir) / "webhook-secret"
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _make_secret(path, replace=False, made=secret)
    except OSError as exc:
        log.error("%s was deleted while the server ran and could not be written back (%s)", path, exc)
        return False
    log.warning(
        "%s was deleted while the server ran; the secret in use was written back, so receivers keep "
        "verifying webhooks after a restart",
        path,
    )
    return True


def _make_secret(path: Path, replace: bool, made: str | None = None) -> str:
    """A new secret (or ``made``) written whole into ``path`` (``replace``: over an empty one), then read back."""
    made = made or SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
    # Two servers starting on one new data folder each made a secret and replaced the file with
    # theirs (or lost the shared ".partial" to the other and failed): one signed with a key no
    # receiver had. A link is made only where no file is, so the first secret stays and is read.
    fd, tmp = tempfile.mkstemp(prefix=".webhook-secret-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(made)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another server's, made meanwhile: that one is the secret
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path.read_text().strip()


def signing_key(secret: str) -> bytes:
    """The HMAC key of ``secret``: a ``whsec_`` secret's base64 decoded, as Standard Webhooks'
    libraries read it; any other text (a secret of one's own, or one kept from before secrets had
    the prefix) its UTF-8 bytes, as before, so receivers already set up keep verifying."""
    if secret.startswith(SECRET_PREFIX):
        with contextlib.suppress(binascii.Error, ValueError):
            return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    return secret.encode()
