"""`reelgen serve` refuses settings it cannot run with in one line, before it listens, never a traceback."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from reelgen.api.settings import ApiSettings
from reelgen.cli import app
from reelgen.cli.serve import banner, listening_socket, where_data
from reelgen.jobs import _ray_address, cluster
from reelgen.jobs.settings import JobSettings
from tests.jobs.test_s44b_ray_address import GCS_SETTINGS, server

runner = CliRunner()


def said(output: str) -> str:
    """The output as one line, without the frame Click's usage errors are drawn in."""
    return " ".join(output.replace("│", " ").split())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "99999 is too large; it takes a whole number from 1 to 65535"),
        (["--log-level", "loud"], "--log-level 'loud' is not a level; valid: critical, error, warning, info"),
        (
            ["--database-url", "nosuchdb://x"],
            "cannot open the job database nosuchdb://x (the job store runs on SQLite or PostgreSQL, not "
            "nosuchdb); check --database-url",
        ),
        (  # it was "internal error (ModuleNotFoundError: No module named 'MySQLdb')", exit 1
            ["--database-url", "mysql://me@127.0.0.1/jobs"],
            "cannot open the job database mysql://me@127.0.0.1/jobs (the job store runs on SQLite or "
            "PostgreSQL, not mysql)",
        ),
        (
            ["--database-url", "postgresql+psycopg2://me@127.0.0.1/jobs"],
            "(its driver psycopg2 is not installed; postgresql:// uses psycopg, which comes with reelgen)",
        ),
        (  # it said "(File exists); give --data-dir", which was not the option at fault
            ["--database-url", "sqlite:///{tmp}/notes.txt/jobs.db"],
            "cannot use {tmp}/notes.txt for the job database (a file is there, not a folder); give "
            "--database-url (or REELGEN_DATABASE_URL) a SQLite file in a folder you can write to",
        ),
        (
            ["--data-dir", "{tmp}/notes.txt/data"],
            "cannot use {tmp}/notes.txt for the server's data (a file is there, not a folder); give "
            "--data-dir a folder you can write to",
        ),
        (["--data-dir", "{tmp}/notes.txt"], "cannot use {tmp}/notes.txt for the server's data (a file is"),
    ],
)
def test_a_setting_serve_cannot_use_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    (tmp_path / "notes.txt").write_text("a file where a folder should be\n")
    argv = ["serve", "--port", str(free_port()), *(a.format(tmp=tmp_path) for a in args)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert message.format(tmp=tmp_path) in said(result.output)
    assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, OSError))
    assert "reelgen serving" not in result.output


def test_the_banner_says_where_the_page_and_the_api_are() -> None:
    assert banner("127.0.0.1", 8000, web=True) == (
        "reelgen serving the web page at http://127.0.0.1:8000/, the API under http://127.0.0.1:8000/v1 "
        "(reference at http://127.0.0.1:8000/docs)"
    )
    assert banner("::1", 9000, web=False) == (
        "reelgen serving the API under http://[::1]:9000/v1 (reference at http://[::1]:9000/docs)"
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        (
            {"REELGEN_MAX_QUEUE": "abc"},
            [],
            "REELGEN_MAX_QUEUE='abc': not a whole number; it takes a whole number of at least 1 (default 1000)",
        ),
        (
            {"REELGEN_ENGINE": "gpu"},
            [],
            "REELGEN_ENGINE='gpu': not one of its choices; give auto, local or ray",
        ),
        # Renewed once a second at most: a 1 s lease lapsed under its running owner.
        (
            {"REELGEN_LEASE_S": "1"},
            [],
            "REELGEN_LEASE_S='1': too small; it takes a number of at least 4 (default 20.0)",
        ),
        # An endless timeout or lease: every webhook delivery raised OverflowError and was retried for ever.
        (
            {"REELGEN_WEBHOOK_TIMEOUT_S": "inf"},
            [],
            "REELGEN_WEBHOOK_TIMEOUT_S='inf': not a finite number; it takes",
        ),
        (
            {"REELGEN_LEASE_S": "1e400"},
            [],
            "REELGEN_LEASE_S='1e400': not a finite number; it takes a number of at least 4",
        ),
        # Finite but past any socket's or sleep's range: OverflowError at the first delivery.
        (
            {"REELGEN_WEBHOOK_TIMEOUT_S": "1e10"},
            [],
            "REELGEN_WEBHOOK_TIMEOUT_S='1e10': too large; it takes a number "
            "above 0 and at most 3600 (default 10.0)",
        ),
        (
            {"REELGEN_WEBHOOK_BACKOFF_S": "1e10"},
            [],
            "REELGEN_WEBHOOK_BACKOFF_S='1e10': too large; it takes a number from 0 to 3600 (default 1.0)",
        ),
        # Ray's join waited minutes on a head not there, the banner printed, no answer, no SIGTERM.
        ({"RAY_ADDRESS": "127.0.0.1:1"}, [], "cannot reach the Ray cluster at RAY_ADDRESS=127.0.0.1:1 ("),
        ({"RAY_ADDRESS": "head"}, [], "RAY_ADDRESS='head' is not a Ray head's host:port"),
        # A traceback of Ray's and "Application startup failed" (exit 3).
        (
            {"RAY_ADDRESS": "auto", "RAY_TMPDIR": "/nonexistent/ray"},
            [],
            "RAY_ADDRESS=auto finds no Ray started",
        ),
        # 0 was taken, and one CPU worker started all the same.
        (
            {"REELGEN_CPU_WORKERS": "0"},
            [],
            "REELGEN_CPU_WORKERS='0': too small; it takes a whole number from 1 to 64 (default 1)",
        ),
        ({"REELGEN_SERVE_WEB": "maybe"}, [], "REELGEN_SERVE_WEB='maybe': give true or false"),
        ({"REELGEN_JOBS": "x"}, [], "REELGEN_JOBS is not a setting"),
        # It served, and answered every avatar with a 400 blaming the request's audio.
        (
            {"REELGEN_AVATAR_MAX_SECONDS": "abc"},
            [],
            "REELGEN_AVATAR_MAX_SECONDS='abc' is not a number of seconds",
        ),
        # Each of these started the server, then failed every job (REELGEN_ACCEL, read as a model
        # loads) or refused every request as the request's fault (the rest).
        ({"REELGEN_ACCEL": "fast"}, [], "REELGEN_ACCEL: unknown switch 'fast'; valid: off, auto, fa4"),
        (
            {"REELGEN_DEFAULT_MODEL": "ltx"},
            [],
            "REELGEN_DEFAULT_MODEL='ltx': unknown model 'ltx'; did you mean ltx2",
        ),
        (
            {"REELGEN_MAX_PRIORITY": "-1"},
            [],
            "REELGEN_MAX_PRIORITY='-1': too small; it takes a whole number of at least 0",
        ),
        ({"REELGEN_BATCH_ROOTS": "/dev/null"}, [], "REELGEN_BATCH_ROOTS: /dev/null is a file, not a folder"),
        # These started the server and never matched a request.
        (
            {"REELGEN_ALLOWED_ORIGINS": "app.example"},
            [],
            "'app.example' is not an origin; give scheme and host",
        ),
        (
            {"REELGEN_ALLOWED_HOSTS": "http://x.example"},
            [],
            "'http://x.example' is not a host name; give the name",
        ),
        ({"REELGEN_LORA_DIR": ""}, [], "REELGEN_LORA_DIR='': an empty folder name means the folder"),
        # Taken modulo 65536 by getaddrinfo: it listened on 34463 and said 99999.
        ({"REELGEN_PORT": "99999"}, [], "(env var: 'REELGEN_PORT'): 99999 is too large"),
        # Path("") is ".": jobs went into whatever folder the server was started from.
        ({"REELGEN_DATA_DIR": ""}, [], "REELGEN_DATA_DIR='': an empty folder name means the folder"),
        ({}, ["--data-dir", ""], "--data-dir (REELGEN_DATA_DIR) '': an empty folder name means"),
        ({}, ["--host", ""], "--host (REELGEN_HOST) '': give an address to listen on"),
        (
            {},
            ["--host", "nosuch.invalid", "--api-key", "k"],
            "--host 'nosuch.invalid' is not an address of this machine",
        ),
    ],
)
def test_a_bad_setting_is_named_with_what_is_valid(
    tmp_path: Path, env: dict[str, str], args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env.get("RAY_ADDRESS") == "auto":
        # Ray's "auto" also finds any GCS process on the machine: another test's private Ray, run
        # beside this one by xdist, was found, and the start went on to join it.
        monkeypatch.setattr("ray._private.services.find_gcs_addresses", lambda: [])
    argv = ["serve", *args] if "REELGEN_PORT" in env else ["serve", "--port", str(free_port()), *args]
    result = runner.invoke(app, argv, env={"REELGEN_HOME": str(tmp_path / "home"), **env})
    assert result.exit_code == 2, result.output
    assert message in said(result.output)
    assert "Traceback" not in result.output and "ValidationError" not in result.output
    assert "reelgen serving" not in result.output and not (tmp_path / "jobs.db").exists()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("key", [" secret", "secret\n", "clé"])
def test_a_key_no_client_could_send_is_refused_without_showing_it(tmp_path: Path, key: str) -> None:
    # Headers lose blanks at either end and carry ASCII only: every request would be a 401.
    env = {"REELGEN_HOME": str(tmp_path), "REELGEN_API_KEY": key}
    result = runner.invoke(app, ["serve", "--port", str(free_port())], env=env)
    assert result.exit_code == 2, result.output
    assert "REELGEN_API_KEY: must be printable ASCII" in said(result.output)
    assert "--api-key" not in said(result.output)  # set in the environment alone, never typed
    assert key.strip() not in result.output


def test_the_line_after_the_banner_says_where_jobs_go_and_whether_a_key_is_needed(tmp_path: Path) -> None:
    jobs = JobSettings(data_dir=tmp_path / "jobs")
    (tmp_path / "jobs").mkdir(mode=0o700)
    open_one = ApiSettings(jobs=jobs, lora_dir=tmp_path / "loras")
    assert "LoRAs from " + f"{tmp_path}/loras (not there yet: no LoRAs);" in where_data(open_one)
    (tmp_path / "loras").write_text("")
    assert f"{tmp_path}/loras (a file, not a folder: no LoRAs);" in where_data(open_one)
    (tmp_path / "loras").unlink()
    (tmp_path / "loras").mkdir()
    assert where_data(open_one) == (
        f"jobs and outputs in {tmp_path}/jobs (database sqlite:///{tmp_path}/jobs/jobs.db); "
        f"LoRAs from {tmp_path}/loras; API key: none (loopback only)"
    )
    (tmp_path / "jobs").chmod(0o755)  # made before reelgen made its folder private
    assert f"jobs and outputs in {tmp_path}/jobs (other accounts can read it: `chmod 700` it" in where_data(
        open_one
    )
    pg = JobSettings(data_dir=tmp_path, database_url="postgresql://reel:hunter2@db/jobs")
    keyed = ApiSettings(jobs=pg, api_key=SecretStr("k"), lora_dir=tmp_path)
    line = where_data(keyed)
    assert "database postgresql://reel:***@db/jobs" in line and line.endswith("API key: required")
    assert "hunter2" not in line


def test_the_help_names_every_variable_whole() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "…" not in result.output  # it cut "~/.local/share/reelgen/job…"
    for variable in ("REELGEN_HOST", "REELGEN_PORT", "REELGEN_DATA_DIR", "REELGEN_API_KEY"):
        assert variable in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--address", ""], "'' is not a Ray head's host:port"),
        (["--address", "head"], "'head' is not a Ray head's host:port"),
        (["--address", "head:99999"], "'head:99999' is not a Ray head's host:port"),
        (["--address", "head:6380", "--num-gpus", "-1"], "Invalid value for '--num-gpus'"),
    ],
)
def test_a_worker_address_or_gpu_count_ray_cannot_use_is_refused_before_ray_starts(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    """An empty address was a Ray traceback; one without a port waited on a GCS that never came."""
    started: list[str] = []
    monkeypatch.setattr(cluster, "run_worker_node", lambda address, gpus: started.append(address) or 0)
    result = runner.invoke(app, ["worker", *args], env={"RAY_ADDRESS": None})
    assert result.exit_code == 2, result.output
    assert message in said(result.output) and started == []


def test_the_port_is_held_from_the_start_so_a_second_server_is_told_at_once() -> None:
    """The socket was bound but listened only once the engine was up: all through a start (a Ray
    join can take minutes) a second `reelgen serve` bound the same port without a word, and clients
    were refused instead of waiting for the answer."""
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    waiting = socket.create_connection(("127.0.0.1", port), timeout=5)  # in the backlog, not refused
    with first, waiting, pytest.raises(OSError) as taken:
        listening_socket("127.0.0.1", port).close()
    assert taken.value.errno == errno.EADDRINUSE


def test_a_worker_whose_head_is_not_there_is_told_at_once_instead_of_waiting_for_ever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ray start --address` retried a head that was not there without end, a GCS warning every few
    seconds; and a port where another program listens, as long."""
    started: list[str] = []
    monkeypatch.setattr(cluster, "run_worker_node", lambda address, gpus: started.append(address) or 0)
    # Ray dials 127.0.0.1 as this machine's network address; these heads listen on loopback.
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: host)
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = runner.invoke(app, ["worker", "--address", f"127.0.0.1:{port}"], env={"RAY_ADDRESS": None})
    assert result.exit_code == 2, result.output
    assert f"error: cannot reach the Ray cluster at --address 127.0.0.1:{port} (Connection refused)" in said(
        result.output
    )
    assert f"`ray start --head --port {port}`" in said(result.output) and started == []
    with server(None) as silent:  # something listens, but says nothing a Ray head would
        result = runner.invoke(app, ["worker", "--address", f"127.0.0.1:{silent}"], env={"RAY_ADDRESS": None})
    assert result.exit_code == 2 and "answers, but not as a Ray head" in said(result.output), result.output
    with server(GCS_SETTINGS) as head:  # a head answering as Ray's GCS does: the node joins
        address = f"127.0.0.1:{head}"
        result = runner.invoke(app, ["worker", "--address", address], env={"RAY_ADDRESS": None})
        told = runner.invoke(
            app, ["worker", "--address", address, "--num-gpus", "0"], env={"RAY_ADDRESS": None}
        )
    assert result.exit_code == 0 == told.exit_code, result.output
    assert started == [address, address]
    # This machine has no GPU: it joined offering none without a word.
    assert "warning: no CUDA GPU here, so this machine joins offering none" in said(result.output)
    assert "warning" not in told.output  # --num-gpus said outright
