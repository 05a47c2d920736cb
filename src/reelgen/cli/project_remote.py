"""`reelgen project render|export|status --server URL`: a local project rendered by a running server.

The project file and the input files it names are uploaded (later only the
files whose content changed); the server's project id is remembered in
``.reelgen/servers.json`` inside the project folder. A render or export is
followed live with a progress bar (Ctrl-C cancels it on the server); then
the clips the server rendered and the film it exported are downloaded into
the local folder, so `reelgen project status` and an in-process export see
them as if rendered here.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shlex
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
import typer
from rich.progress import Progress

from reelgen.cli.client import (
    RECONNECT_S,
    ClientError,
    _check,
    _not_reelgen,
    again,
    answer_json,
    auth_headers,
    job_bar,
    stopped_before_answer,
)
from reelgen.cli.output import console, say_ended, shown
from reelgen.cli.project_hints import rendered_here_only
from reelgen.cli.reconnect import EventStream
from reelgen.cli.server_ids import ID_FILE, LOCK_FILE, held, remember, saved_ids
from reelgen.cli.sigterm import Terminated
from reelgen.core.atomic import check_writable
from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder

TERMINAL = ("completed", "failed", "cancelled")


class Remote:
    """One server, and what it knows of one local project folder."""

    def __init__(self, server: str, api_key: str | None, folder: ProjectFolder) -> None:
        self.server = server.rstrip("/")
        self.folder = folder
        self._api_key = api_key

    @functools.cached_property
    def http(self) -> httpx.Client:
        # Made at the first request, inside the command's error handling: a key no header can
        # carry is said there as bad input (in the constructor it was a traceback).
        headers = auth_headers(self._api_key)
        return httpx.Client(base_url=self.server, headers=headers, timeout=httpx.Timeout(60.0, read=300.0))

    def close(self) -> None:
        if "http" in self.__dict__:
            self.http.close()

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            resp = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ClientError(f"cannot reach {self.server} ({exc}); is `reelgen serve` running?") from None
        answer_json(_check(resp))  # every project route answers JSON; a web page says it is no reelgen
        return resp

    def stopped_posting(self, killed: bool) -> BaseException:
        """Stopped before the render's POST was answered: the server may have started it."""
        flag = again(self.server)
        may = (
            f"the server may have started the render anyway: reelgen project status "
            f"{shlex.quote(str(self.folder.root))}{flag} shows it, reelgen cancel ID{flag} stops it"
        )
        return stopped_before_answer(self.server, killed, may)

    # ---- the project on the server ------------------------------------------------------------

    def sync(self) -> dict[str, Any]:
        """The project on the server as the local folder now reads; uploads what it lacks. Returns it."""
        from reelgen.api.project_files import wanted_files

        # Read here first, so a mistake in the file is named as the in-process commands name it.
        project_file = self.folder.load()
        wanted = wanted_files(project_file)
        _check_here(self.folder, project_file, wanted)
        # Where the server's project id is kept, checked before a project is made there that could not be found again.
        self.folder.check_writes(self.folder.root / ID_FILE, "the id of its project on the server")
        text = self.folder.file.read_text()
        local = {rel: self.folder.root / rel for rel in wanted}
        root = self.folder.root
        # Held from reading the saved id to saving a new one: two first runs side by side each made a project.
        with held(root, self._say_waiting):
            project_id = saved_ids(root).get(self.server)
            remote: dict[str, Any] | None = None
            if project_id is not None:
                try:
                    remote = self.call("GET", f"/v1/projects/{project_id}").json()
                except ClientError as exc:
                    if exc.status != 404:
                        raise
            if remote is None:
                project = self.call("POST", "/v1/projects", **_form(text, local)).json()
                remember(root, self.server, project["id"])
                return dict(project)
        have = {f["path"]: f["sha256"] for f in remote.get("files") or []}
        changed = {rel: p for rel, p in local.items() if not p.is_file() or have.get(rel) != _sha256(p)}
        project = self.call("PUT", f"/v1/projects/{remote['id']}", **_form(text, changed)).json()
        return dict(project)

    def _say_waiting(self) -> None:
        where = LOCK_FILE.as_posix()
        console.print(
            f"waiting: another reelgen command is sending this project to {self.server} (the folder's {where})"
        )

    # ---- following a job ------------------------------------------------------------------------

    def follow(self, project_id: str, job: dict[str, Any], quiet: bool) -> dict[str, Any]:
        """Show the job's progress until it ends; Ctrl-C cancels it on the server. Returns the final job."""
        bar = job_bar(quiet)
        url = f"/v1/projects/{project_id}/jobs/{job['id']}"
        stream = EventStream(self.server, RECONNECT_S, known=True)  # the POST that made it was answered
        try:
            with bar:
                task = bar.add_task(job["status"], total=100, info="")
                for _, name, data in stream.events(self.http, f"{url}/events", _refused):
                    if name in TERMINAL:
                        bar.update(task, description=name, completed=100 if name == "completed" else None)
                        return dict(data["job"])
                    _show(bar, task, name, data)
        except (KeyboardInterrupt, Terminated):  # Ctrl-C or a kill: the render stops on the server too
            self._cancel(url, job["id"])
            raise
        raise ClientError(
            f"lost the event stream of {job['id']}: {stream.gone()}; it may run on: "
            f"`reelgen project status {shlex.quote(str(self.folder.root))}{again(self.server)}` shows it "
            "once the server answers, "
            f"`reelgen cancel {job['id']}{again(self.server)}` stops it"
        )

    def _cancel(self, url: str, job_id: str) -> None:
        """Cancel the followed job, or say how to once the server answers: a Ctrl-C while the server
        was waited for ended in "cannot reach URL" alone, the job left running unsaid."""
        try:
            self.call("POST", f"{url}/cancel")
        except ClientError as exc:
            flag = f"`reelgen cancel {job_id}{again(self.server)}`"
            console.print(
                f"[yellow]not cancelled on the server[/] ({shown(str(exc))}): {shown(flag)} stops it "
                "once the server answers",
                highlight=False,
            )
            return
        console.print("[yellow]cancelled on the server[/]: finished scenes and windows are kept there")

    # ---- bringing results home ------------------------------------------------------------------

    def download(self, *wanted: tuple[str, Path]) -> None:
        """GET each ``(path, target)`` into a file beside its target; once every one is whole they replace
        the targets together, so a broken download leaves no part and every target as it was (a film's
        new record beside the earlier film, when the film's download broke after its record's)."""
        from reelgen.core.atomic import staged

        with staged(*(target for _, target in wanted)) as temps:
            for (path, _), temp in zip(wanted, temps, strict=True):
                try:
                    with self.http.stream("GET", path) as resp:
                        if resp.status_code >= 400:
                            resp.read()
                            _check(resp)
                        with temp.open("wb") as fh:
                            for chunk in resp.iter_bytes():
                                fh.write(chunk)
                except httpx.TransportError as exc:
                    raise ClientError(f"download from {self.server} failed ({exc})") from None

    def fetch_export(self, project_id: str, name: str, target: Path) -> Path:
        """The server's export ``name`` into ``target``, with its record beside it as an in-process export has."""
        base = f"/v1/projects/{project_id}/exports/"
        record = Path(name).with_suffix(".json").name
        # Quoted whole: a film named take #2?.mp4 was asked for as "take " (the rest a fragment), a 404.
        self.download(
            (base + quote(name, safe=""), target),
            (base + quote(record, safe=""), target.with_suffix(".json")),
        )
        return target

    def fetch_clips(self, project: dict[str, Any], scene_ids: list[str]) -> dict[str, Path]:
        """The server's clips of ``scene_ids`` into ``clips/``, where the local project reads them alike;
        returns each clip brought home by its scene id."""
        from reelgen.core.project.plan import ScenePlan
        from reelgen.core.project.render import forget_old_clip
        from reelgen.core.project.status import plan_project

        try:
            planned = plan_project(self.folder)
        except InvalidRequest as exc:  # said alone, what the server had rendered went unsaid
            rendered = f"; the server's clips of {', '.join(scene_ids)} stay there" if scene_ids else ""
            raise InvalidRequest(
                f"{self.folder.file.name} changed while rendering and no longer checks out: {exc.message}"
                f"{rendered}: mend it and render again",
                param=exc.param,
            ) from None
        here = {p.scene_id: p.render for p in planned if p.render is not None}
        there = {s["scene_id"]: s["key"] for s in project["scenes"] if s["status"] == "rendered"}
        fetched: dict[str, Path] = {}
        for scene_id in scene_ids:
            plan: ScenePlan | None = here.get(scene_id)
            if plan is None or there.get(scene_id) != plan.key:
                continue  # the server reads this scene differently (other models, say): not this clip
            clip = self.folder.clip(plan.key)
            base = f"/v1/projects/{project['id']}/clips/{plan.key}"
            self.download((base, clip), (f"{base}?variant=metadata", clip.with_suffix(".json")))
            forget_old_clip(self.folder, plan, {p.key for p in here.values()})
            self.folder.mark_rendered(scene_id, plan.key)
            fetched[scene_id] = clip
        return fetched


def _check_here(folder: ProjectFolder, project: Any, wanted: dict[str, str]) -> None:
    """Every file the project names is here to upload: a missing one was left out of the upload, and
    the server said "assets/music.mp3 was not sent; send it with the project file", which the CLI does."""
    for rel, param in wanted.items():
        path = folder.root / rel
        if path.is_file():
            continue
        what = f"{path} is a folder, not a file" if path.is_dir() else f"file {path} does not exist"
        scene = re.fullmatch(r"scenes\[(\d+)\]\.(.+)", param)
        if scene:  # named as the in-process commands name it: the scene, then its field
            index = int(scene.group(1))
            label = f"scene {project.scenes[index].id!r} (scenes[{index}]): {scene.group(2)}"
        else:
            label = param
        raise InvalidRequest(f"{label}: {what}", param=param)


def _form(text: str, files: dict[str, Path]) -> dict[str, Any]:
    uploads = [("files", (rel, path.read_bytes())) for rel, path in sorted(files.items()) if path.is_file()]
    return {"data": {"project": text}, "files": uploads or None}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(resp: httpx.Response) -> NoReturn:
    """What an error answer, or a page where the event stream was wanted, says."""
    _check(resp)
    raise _not_reelgen(resp)


def _show(bar: Progress, task: Any, name: str, data: dict[str, Any]) -> None:
    if name == "progress":
        where = " ".join(str(x) for x in (data.get("scene"), data.get("stage")) if x)
        info = f"{where} {data.get('step', 0)}/{data.get('total', 0)}" if data.get("total") else where
        bar.update(task, description="running", completed=data.get("progress", 0), info=info)
    elif name == "child" and data.get("status") in ("failed", "cancelled") and data.get("child") != "export":
        # The export is the job's last child: the job's own end, said next, says why it failed (once).
        error = data.get("error") or {}
        say_ended(f"{data.get('child')} {data['status']}", error.get("message", ""))
    elif name in ("queued", "started"):
        bar.update(task, description=name)


# ---- the commands' server side ------------------------------------------------------------------


def render(
    remote: Remote, scenes: list[str] | None, force: bool, export: bool, quiet: bool
) -> tuple[dict[str, Any], dict[str, Path], Path | None]:
    """Render on the server; brings the clips it made (and the film, with ``export``) home.

    Returns the ended job, the clips brought home by scene id (a scene edited here while the server
    rendered it reads differently now, so its clip is not this scene's and stays there) and the film.
    """
    project = remote.sync()
    # The clips (and film) come home when the job ends: a folder that cannot take them is said before it starts.
    remote.folder.check_writes(remote.folder.clip("clip"), "the clips the server renders")
    remote.folder.check_writes(remote.folder.state_file, "state.json, the record of its rendered scenes")
    film = None
    if export:
        remote.folder.check_writes(remote.folder.exports / "film.mp4", "the film the server exports")
        film = film_home(remote.folder)  # as the file read when sent
    body = {"scenes": scenes or None, "force": force, "export": export}
    try:
        job = remote.call("POST", f"/v1/projects/{project['id']}/render", json=body).json()
    except (KeyboardInterrupt, Terminated) as exc:
        raise remote.stopped_posting(isinstance(exc, Terminated)) from None
    done = remote.follow(project["id"], job, quiet)
    home: dict[str, Path] = {}
    brought: Path | None = None
    if done["status"] == "completed":
        project = remote.call("GET", f"/v1/projects/{project['id']}").json()
        home = remote.fetch_clips(project, done["scenes"])
        if done.get("export"):
            name = done["export"]["name"]
            brought = remote.fetch_export(project["id"], name, film or remote.folder.exports / name)
    return done, home, brought


def film_home(folder: ProjectFolder) -> Path:
    """Where a film the server exports comes home without --output: exports/ under the name an
    in-process export gives it. The server names a title of no letters (``!!!``) after its own folder,
    and it landed as ``proj-<id>_e84c53.mp4``, where an export here writes ``my-film_e84c53.mp4``."""
    from reelgen.core.project import export_settings
    from reelgen.core.project.export import export_target

    project = folder.load()
    return export_target(folder, project, export_settings(project.export, None))


def say_rendered(folder: ProjectFolder, scene_ids: list[str], home: dict[str, Path], chosen: bool) -> None:
    """What a render on the server made: each clip brought home, and the scenes edited here meanwhile.

    A scene edited (or removed) here while the server rendered it was printed with the clip path of
    its new key, a file that did not exist, or the command ended in a traceback.
    """
    for scene_id, clip in home.items():
        typer.echo(f"rendered {scene_id}: {clip}")
    edited = [scene_id for scene_id in scene_ids if scene_id not in home]
    if edited:
        verb = "reads" if len(edited) == 1 else "read"
        console.print(
            f"[yellow]changed while rendering[/]: {', '.join(edited)} now {verb} differently than the "
            "server rendered it (its clip stays there); render again"
        )
    elif not scene_ids and _cards_only(folder):  # "every scene's clip is current" of no clip at all
        console.print("nothing to render: every scene is a title card, drawn at export")
    elif not scene_ids:
        console.print(f"nothing to render: every {'chosen ' if chosen else ''}scene's clip is current")


def _cards_only(folder: ProjectFolder) -> bool:
    from reelgen.core.errors import ReelgenError

    try:
        return all(scene.title_card is not None for scene in folder.load().scenes)
    except ReelgenError:  # edited into a broken file meanwhile: the next command says so
        return False


def export(
    remote: Remote,
    overrides: dict[str, Any],
    allow_stale: bool,
    output: Path | None,
    quiet: bool,
    film: Path | None = None,
) -> tuple[dict[str, Any], Path | None]:
    """Export on the server (nothing renders) and download the film to ``output``, else ``film`` (where
    an export here would write it), else ``exports/`` under the server's name."""
    project = remote.sync()
    if output is not None:
        check_writable(output, param="--output")  # as typed, and as an in-process export names it
    else:
        exports = remote.folder.exports / "film.mp4"
        remote.folder.check_writes(
            exports, "the film the server exports", "download it elsewhere (--output PATH)"
        )
    body = {"export_settings": overrides, "allow_stale": allow_stale}
    try:
        job = remote.call("POST", f"/v1/projects/{project['id']}/export", json=body).json()
    except ClientError as exc:
        raise rendered_here_only(remote.folder, remote.server, project, exc) from None
    done = remote.follow(project["id"], job, quiet)
    if done["status"] != "completed":
        return done, None
    name = done["export"]["name"]
    return done, remote.fetch_export(project["id"], name, output or film or remote.folder.exports / name)
