"""Settings of the job service, read from ``REELGEN_*`` variables (and ``RAY_ADDRESS``)."""

from __future__ import annotations

import base64
import binascii
import logging
import os
import sys
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reelgen.core.devices import no_gpu_driver
from reelgen.core.parallel.env import usable_cores

log = logging.getLogger(__name__)

#: The longest ``retention_days`` and ``record_retention_days`` taken (a century); 0 keeps for ever.
MAX_RETENTION_DAYS = 36500


def platform_data_dir() -> Path:
    """The platform's folder for an application's own data (never a cache a cleaner may empty).

    Linux ``$XDG_DATA_HOME/reelgen`` (``~/.local/share/reelgen``), macOS
    ``~/Library/Application Support/reelgen``, Windows ``%LOCALAPPDATA%\\reelgen``.
    """
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "reelgen"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "reelgen"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "reelgen"


def default_data_dir() -> Path:
    """Where jobs live: ``$REELGEN_HOME/jobs`` when that is set, else under the platform data dir.

    Jobs once lived under ``~/.cache/reelgen/jobs``, which cache cleaners empty;
    a store found there (and none at the new place) is still used, with a
    warning saying how to move it.
    """
    if os.environ.get("REELGEN_HOME"):
        return Path(os.environ["REELGEN_HOME"]) / "jobs"
    target = platform_data_dir() / "jobs"
    legacy = Path.home() / ".cache" / "reelgen" / "jobs"
    if not target.exists() and (legacy / "jobs.db").is_file():
        log.warning(
            "jobs are kept in %s, a cache folder that cleaners may empty; move it to %s "
            "(or set REELGEN_DATA_DIR) while the server is stopped",
            legacy,
            target,
        )
        return legacy
    return target


def _base64(text: str) -> bool:
    try:
        return bool(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return False


class JobSettings(BaseSettings):
    """How jobs are stored, run, retried, watched and cleaned up; each field has a local default."""

    # No inf: an endless webhook timeout made every delivery raise OverflowError (and be retried for
    # ever), an endless lease or backoff meant "never"; 0 already means "never" where it can.
    model_config = SettingsConfigDict(env_prefix="REELGEN_", extra="ignore", allow_inf_nan=False)

    # Each field's description is its meaning as ``reelgen serve --settings`` lists it; ``#`` comments
    # say why a bound is there.
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the job queue (also --database-url); unset: a SQLite file "
        "jobs.db in REELGEN_DATA_DIR (WAL mode).",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        validate_default=True,
        description="Where jobs are kept (also --data-dir): outputs (outputs/<job id>/) and uploaded "
        "inputs (inputs/) live here.",
    )
    engine: Literal["auto", "local", "ray"] = Field(
        default="auto",
        description="What runs jobs: local (one spawned worker process per GPU, or REELGEN_CPU_WORKERS "
        "without one), ray (the cluster at RAY_ADDRESS, else a private Ray on loopback), or auto: Ray when "
        "RAY_ADDRESS is set, else local. docs/reliability.md, in reelgen's source, says why local is the default.",
    )
    gpus: int | None = Field(
        default=None,
        ge=0,
        description="How many GPUs the local engine uses at most; unset: all that CUDA_VISIBLE_DEVICES "
        "lists, else all the driver reports (0: CPU workers only).",
    )
    ray_address: str | None = Field(
        default=None,
        validation_alias=AliasChoices("RAY_ADDRESS", "REELGEN_RAY_ADDRESS"),
        description="Join this Ray cluster (host:port); unset starts a private Ray on loopback when "
        "REELGEN_ENGINE is ray.",
    )
    ray_num_cpus: int | None = Field(
        default=None, ge=1, description="CPUs the embedded Ray may use; unset lets Ray count them."
    )
    ray_object_store_bytes: int = Field(
        default=512 * 1024**2,
        ge=1,
        description="Object store of the embedded Ray, in bytes; outputs pass through it, so a few "
        "hundred MB is plenty.",
    )
    # At least 1: 0 was taken and started one all the same. At most 64, and with the local engine at
    # most the cores this process may use: 1000 started 1000 processes, each loading a model.
    cpu_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="CPU workers started when the cluster has no GPU (a GPU cluster gets one worker per "
        "GPU); with the local engine at most the CPU cores reelgen may use.",
    )
    models_per_worker: int = Field(
        default=1,
        ge=1,
        description="Models one worker keeps loaded at once (LRU; idle ones are unloaded first).",
    )
    max_queue: int = Field(
        default=1000,
        ge=1,
        description="Jobs waiting in the queue at which a request that makes one is refused as full (429) "
        "with a time to retry after; a batch, shoot-out or project queues its items past it.",
    )
    max_attempts: int = Field(
        default=2,
        ge=1,
        description="Attempts per job, the first included; losing the last one fails the job worker_lost.",
    )
    # At least 4: renewals are looked at once a second, so a shorter lease lapsed between them and
    # another process on the database requeued a job its owner was running (to run twice).
    lease_s: float = Field(
        default=20.0,
        ge=4,
        description="A running job is leased to the API process running it for this many seconds, "
        "renewed every quarter of it; another process on the same database requeues it only once the "
        "lease ran out.",
    )
    heartbeat_timeout_s: float = Field(
        default=600.0,
        gt=0,
        description="A running job with no progress event for this many seconds is stalled: its "
        "worker is killed.",
    )
    max_runtime_s: float = Field(
        default=3600.0,
        gt=0,
        description="A running job taking longer than this many seconds is stopped and failed with timeout.",
    )
    cancel_grace_s: float = Field(
        default=30.0,
        ge=0,
        description="After a cancel, how many seconds a worker may take to stop before it is killed.",
    )
    preview_every: int = Field(
        default=5,
        ge=0,
        description="Progress events carry a small preview every this many steps (0: never); on a GPU "
        "it is made beside the loop and rides on a step or two later.",
    )
    # At most a century: 1e300 was taken and every video's ``expires_at`` became a 305-digit number
    # no 64-bit client reads.
    retention_days: float = Field(
        default=7.0,
        ge=0,
        le=MAX_RETENTION_DAYS,
        description="Outputs of jobs finished longer ago than this many days are deleted, and uploads "
        "older than this that no waiting job or kept output was made from; 0: kept forever.",
    )
    record_retention_days: float = Field(
        default=90.0,
        ge=0,
        le=MAX_RETENTION_DAYS,
        description="Records of finished jobs older than this many days are deleted once their outputs "
        "are (never while REELGEN_RETENTION_DAYS keeps them), unless a remix refers to them; 0: kept forever.",
    )
    cleanup_every_s: float = Field(
        default=3600.0, gt=0, description="How often retention cleanup runs, in seconds."
    )
    price_per_gpu_hour: float = Field(
        default=0.0, ge=0, description="Price of a GPU-hour, used for each job's metrics.cost."
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="HMAC-SHA256 key for webhook signatures; unset makes one, kept in "
        "REELGEN_DATA_DIR/webhook-secret.",
    )
    # 5 spanned 15 s, so a receiver restarting for half a minute lost every event.
    webhook_max_attempts: int = Field(
        default=16,
        ge=1,
        description="Tries of one webhook delivery, the first included, REELGEN_WEBHOOK_BACKOFF_S doubling "
        "between them: 16 from 1 s span about 9 hours.",
    )
    # Bounded: 1e10 s overflowed the socket's timeout and time.sleep at the first delivery.
    webhook_backoff_s: float = Field(
        default=1.0,
        ge=0,
        le=3600,
        description="Pause between tries of a webhook delivery, in seconds; it doubles after each "
        "failed try (at most a day).",
    )
    webhook_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Seconds one webhook delivery may take before it counts as failed.",
    )
    allow_private_webhooks: bool = Field(
        default=False,
        description="Webhooks may go to private, loopback and link-local addresses (a local receiver); "
        "off, each delivery resolves its URL again and refuses such addresses.",
    )

    @field_validator("data_dir", mode="before")
    @classmethod
    def _a_folder(cls, value: object) -> object:
        # An empty value would become Path("."): jobs and outputs silently in whatever folder
        # the server happened to be started from.
        if isinstance(value, str | Path) and not str(value).strip():
            raise ValueError("an empty folder name means the folder the server starts in; give a folder")
        return value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        # Every upload and output is recorded by its path: relative ones ("data/outputs/...") named
        # other files, or none, once the server was started from another folder (videos answered
        # 404, queued jobs failed input_missing). "~" is expanded, as a shell would have: a unit
        # file's REELGEN_DATA_DIR=~/reelgen made a folder named "~".
        return value.expanduser().absolute()

    @field_validator("database_url")
    @classmethod
    def _whole_sqlite_path(cls, value: str | None) -> str | None:
        # As the data folder is: sqlite:///jobs.db was opened from whatever folder the server started
        # in, so one started from another folder made a new empty queue, the first one's jobs unseen.
        # "~" is expanded as a shell would have. Other databases, and in-memory SQLite, pass as given.
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        if not value:
            return value
        try:
            url = make_url(value)
        except ArgumentError:  # said when the server opens it, with the forms it takes
            return value
        except ValueError:  # a port that is no number: "invalid literal for int() with base 10: 'abc'"
            raise ValueError(
                "its port is not a number; give a URL like postgresql://user@host:5432/db"
            ) from None
        database = url.database or ""
        if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
            return value
        whole = str(Path(database).expanduser().absolute())
        return value if whole == database else url.set(database=whole).render_as_string(hide_password=False)

    @field_validator("cpu_workers")
    @classmethod
    def _cores_here(cls, value: int, info: ValidationInfo) -> int:
        # Local workers are processes on this machine, and a CPU job's torch already runs on every
        # core: more workers than cores only took turns, each holding its own model in memory. Each
        # CPU actor of a private Ray asks for one of its CPUs: one past them never started, shown down
        # for ever. A joined cluster's workers run on its machines, whose cores this one cannot count.
        engine, address = info.data.get("engine", "auto"), info.data.get("ray_address")
        ray_cpus = info.data.get("ray_num_cpus")
        if _engine_kind(engine, address) == "ray" and address:
            return value
        if not no_gpu_driver():  # a GPU machine starts a worker per GPU: the number is not read there
            return value
        if _engine_kind(engine, address) == "ray" and ray_cpus is not None:
            if value > ray_cpus:
                raise ValueError(
                    f"at most {ray_cpus} with REELGEN_RAY_NUM_CPUS={ray_cpus}: each worker takes one of "
                    "the private Ray's CPUs, and one past them never starts"
                )
            return value
        cores = usable_cores()
        if value > cores:
            raise ValueError(
                f"at most {cores} here, the CPU cores reelgen may use (each worker's job already runs "
                "on all of them, so more workers only take turns, each holding a model in memory)"
            )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _a_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty key (``REELGEN_WEBHOOK_SECRET=$SECRET`` with SECRET unset) signed every delivery
        # with a key anyone can use, and no receiver holding the real secret could verify one.
        if value is None:
            return None
        # Stripped as the kept file is: a secret mounted from a file (Kubernetes) ends in a newline,
        # and "whsec_...=\n" was not base64, so it signed as text with a key no receiver had.
        secret = value.get_secret_value().strip()
        if not secret:
            raise ValueError(
                "is empty (an unset variable?); give a secret, or leave it unset to have one made "
                "and kept in the data folder's webhook-secret"
            )
        if secret.startswith("whsec_") and not _base64(secret.removeprefix("whsec_")):
            # Read as plain text, it signed with a key other than the one receivers decode from it.
            raise ValueError("starts with whsec_ but the rest is not base64; copy the whole secret")
        return SecretStr(secret)

    def engine_kind(self) -> Literal["local", "ray"]:
        return _engine_kind(self.engine, self.ray_address)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'jobs.db'}"


def _engine_kind(engine: str, ray_address: str | None) -> Literal["local", "ray"]:
    """The engine ``engine`` (``REELGEN_ENGINE``) means: ``auto`` is Ray when an address is given
    (or off POSIX, where local workers cannot start), else local."""
    if engine == "auto":
        return "ray" if ray_address or os.name != "posix" else "local"
    return "ray" if engine == "ray" else "local"
