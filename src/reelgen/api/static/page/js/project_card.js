// One project on the Projects view: each scene's state, the latest render or export with live progress
// (the project job's event stream), Render / Export / Cancel, the exported films playable, and updating the file.
import { ApiError, json, post, request } from "./api.js";
import { uploadForm } from "./project_upload.js";
import { follow } from "./sse.js";
import { announce, el, firstWords, quoted, when } from "./util.js";
import { ACTIVE, STATUS_LABEL, bar, bytes, download, fileUrl } from "./viewkit.js";
import { progressText } from "./words.js";

// "Not rendered", not the API's "missing": a scene of a project just made is not lost, and a red "Missing"
// on every scene read as an error to a new user (its meaning was only in a tooltip).
const SCENE_LABEL = { rendered: "Rendered", stale: "Stale", missing: "Not rendered", card: "Title card" };
const SCENE_HINT = {
  rendered: "its clip matches the project file",
  stale: "changed since its clip was rendered",
  missing: "not rendered yet",
  card: "drawn at export, nothing to render",
};
const ACTION_LABEL = { render: "Render", export: "Export", "render+export": "Render and export", check: "Check" };
/** The text this browser last sent for a project, with the time the server stamped it (for editing it again). */
const SENT = (id) => `reelgen-project-text-${id}`;

export function remember(project, text) {
  try {
    localStorage.setItem(SENT(project.id), JSON.stringify({ text, updated_at: project.updated_at }));
  } catch { /* storage full or off: the person pastes the file instead */ }
}

function remembered(project) {
  try {
    const kept = JSON.parse(localStorage.getItem(SENT(project.id)) || "null");
    return kept && kept.updated_at === project.updated_at ? kept.text : "";
  } catch { return ""; }
}

export function projectCard(initial, { onGone }) {
  const id = initial.id;
  const titleId = `proj-title-${id}`;
  const stepId = `proj-step-${id}`;
  const p = {
    title: el("h3", { class: "card-title", id: titleId }),
    meta: el("p", { class: "meta muted" }),
    problem: el("p", { class: "card-error", role: "alert", hidden: true }),
    scenes: el("ol", { class: "scenes", "aria-label": "Scenes" }),
    tally: el("p", { class: "small muted" }),
    job: el("div", { class: "job", hidden: true }),
    jobStatus: el("p", { class: "small job-status", role: "status" }),
    step: el("p", { class: "step muted", id: stepId }),
    error: el("p", { class: "card-error", role: "alert", hidden: true }),
    actions: el("div", { class: "row card-actions" }),
    exports: el("div", { class: "exports" }),
    edit: el("div", { class: "edit", hidden: true }),
    // What the card's buttons are described by: the title's first words (a long one was read for every button).
    name: el("span", { id: `proj-name-${id}`, hidden: true }),
  };
  const progress = bar("", stepId);
  p.job.append(p.jobStatus, progress.node, p.step);
  const node = el("li", { class: "card project", dataset: { id }, "aria-labelledby": titleId },
    p.title, p.meta, p.problem, p.scenes, p.tally, p.job, p.error, p.actions, p.exports, p.edit, p.name);
  const state = { project: initial, job: null, stream: null, players: new Map(), sending: false };

  function draw(project) {
    state.project = project;
    const name = project.title || "(untitled project)";
    p.title.textContent = name;
    p.name.textContent = firstWords(name);
    progress.node.setAttribute("aria-label", `Progress of “${firstWords(name)}”`);
    p.meta.textContent = `${project.id.slice(5, 13)} · changed ${when(project.updated_at)}`;
    p.problem.hidden = !project.problem;
    p.problem.textContent = project.problem ? `${project.problem.message}` : "";
    p.scenes.replaceChildren(...project.scenes.map(scene));
    const count = (s) => project.scenes.filter((x) => x.status === s).length;
    p.tally.textContent = `${count("rendered")} rendered, ${count("stale")} stale, ${count("missing")} not rendered` +
      (count("card") ? `, ${count("card")} title ${count("card") === 1 ? "card" : "cards"}` : "");
    node.dataset.todo = String(count("stale") + count("missing"));
    node.dataset.missing = String(count("missing"));
    drawExports(project.exports);
    if (project.job && (!state.job || state.job.id !== project.job.id || !ACTIVE.has(state.job.status))) showJob(project.job);
    actions();
  }

  function scene(s) {
    const windows = s.windows > 1 ? ` · windows ${s.windows_done}/${s.windows}` : "";
    const row = el("li", { class: "scene", dataset: { scene: s.scene_id, status: s.status } },
      el("span", { class: "scene-id" }, s.scene_id),
      el("span", { class: `badge ${s.status}`, title: SCENE_HINT[s.status] }, SCENE_LABEL[s.status] || s.status),
      el("span", { class: "muted small" }, [s.model, `${Number(s.seconds).toFixed(1)} s`].filter(Boolean).join(" · ") + windows));
    if (s.status === "rendered" && s.key) {
      // Its name starts with the words on it: voice control users say "click Play clip".
      const play = el("button", { type: "button", class: "small ghost", "aria-expanded": "false", "aria-label": `Play clip of scene ${s.scene_id}` }, "Play clip");
      play.addEventListener("click", () => toggleClip(row, play, s.key));
      row.append(play);
    }
    return row;
  }

  /** Shows (or hides) the clip a scene was rendered to, under its row. */
  async function toggleClip(row, button, key) {
    const shown = row.querySelector("video");
    button.setAttribute("aria-expanded", String(!shown));
    if (shown) { shown.remove(); return; }
    const player = el("video", { class: "clip", controls: true, autoplay: true, muted: true, loop: true, playsinline: true,
      "aria-label": `Clip of scene ${row.dataset.scene}` });
    row.append(player);
    try { player.src = await fileUrl(`v1/projects/${id}/clips/${key}`); } catch (err) { player.replaceWith(el("span", { class: "card-error" }, err.message)); }
  }

  function drawExports(exports) {
    const keep = new Set(exports.map((x) => `${x.name}:${x.bytes}`));
    for (const key of state.players.keys()) if (!keep.has(key)) state.players.delete(key);
    p.exports.replaceChildren(...exports.map((x) => {
      const key = `${x.name}:${x.bytes}`;
      if (!state.players.has(key)) state.players.set(key, exportItem(x));
      return state.players.get(key);
    }));
  }

  function exportItem(x) {
    const path = `v1/projects/${id}/exports/${encodeURIComponent(x.name)}`;
    const player = el("video", { controls: true, playsinline: true, preload: "metadata", "aria-label": `Film: ${x.name}` });
    fileUrl(path).then((url) => { player.src = url; }).catch((err) => { player.replaceWith(el("p", { class: "card-error" }, err.message)); });
    return el("figure", { class: "export", dataset: { name: x.name } }, player,
      el("figcaption", { class: "row" },
        el("span", { class: "small" }, `${x.name} · ${bytes(x.bytes)}`),
        el("button", { type: "button", class: "small ghost", onclick: () => download(path, x.name),
          "aria-label": `Download ${x.name}` }, "Download")));
  }

  // ---- the job ------------------------------------------------------------------------------
  function showJob(job) {
    const fresh = !state.job || state.job.id !== job.id;
    state.job = job;
    p.job.hidden = false;
    node.dataset.job = job.status;
    node.dataset.jobId = job.id;
    const label = `${ACTION_LABEL[job.action] || job.action}: ${(STATUS_LABEL[job.status] || job.status).toLowerCase()}`;
    p.jobStatus.textContent = job.completed_at && !ACTIVE.has(job.status) ? `${label} (${when(job.completed_at)})` : label;
    progress.set(job.progress, { reset: fresh });
    p.error.hidden = !job.error;
    p.error.textContent = job.error ? `${job.error.message}` : "";
    // Once the job has ended, its status line and error say how: the last event's line left standing
    // ("scene second-shot: failed" where both scenes failed, or "first-shot: Generating: step 5 of 20"
    // under "Render: cancelled") told only part of it, and went at the next reload.
    if (!ACTIVE.has(job.status)) p.step.textContent = "";
    if (ACTIVE.has(job.status) && !state.stream) watch(job);
    actions();
  }

  function watch(job) {
    state.stream = follow(`v1/projects/${id}/jobs/${job.id}/events`, {
      onEvent: (name, data) => onEvent(name, data),
      onFinal: (name, data) => {
        state.stream = null;
        if (data.job) showJob(data.job);
        announce(`${state.project.title}: ${ACTION_LABEL[data.job?.action] || "job"} ${(STATUS_LABEL[name] || name).toLowerCase()}`);
        refresh();
      },
      onGone: () => { state.stream = null; refresh(); },
    });
  }

  function onEvent(name, data) {
    if (name === "progress") {
      if (typeof data.progress === "number") progress.set(data.progress);
      const where = data.scene ? `${data.scene}: ` : "";
      p.step.textContent = `${where}${progressText({ ...data, eta_s: null })} · ${progress.node.value}%`;
      if (state.job.status === "queued") showJob({ ...state.job, status: "in_progress" });
    } else if (name === "started") {
      showJob({ ...state.job, status: "in_progress" });
    } else if (name === "child") {
      const what = data.kind === "export" ? "export" : `scene ${data.scene || data.child}`;
      p.step.textContent = `${what}: ${(STATUS_LABEL[data.status] || data.status).toLowerCase()}`;
      if (data.status === "completed") refresh(); // its scene now shows rendered
    }
  }

  async function start(path, body, what) {
    if (state.sending) return;
    p.error.hidden = true;
    // Render and Export are off until the server answers: a second press would start a second job,
    // and the server's refusal of it ("busy") would show beside the job the first press started.
    state.sending = true;
    actions();
    try {
      const job = await post(`v1/projects/${id}/${path}`, body);
      state.job = null;
      showJob(job);
      announce(`${state.project.title}: ${what} started`);
    } catch (err) {
      p.error.hidden = false;
      p.error.textContent = err.message;
    } finally {
      state.sending = false;
      actions();
    }
  }

  async function cancel() {
    try {
      showJob(await post(`v1/projects/${id}/jobs/${state.job.id}/cancel`));
    } catch (err) {
      p.error.hidden = false;
      p.error.textContent = err.message;
    }
  }

  async function remove() {
    if (!confirm(`Delete ${quoted(state.project.title)} with its clips and exports from the server?`)) return;
    try {
      await request(`v1/projects/${id}`, { method: "DELETE" });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) { p.error.hidden = false; p.error.textContent = err.message; return; }
    }
    if (state.stream) state.stream.close();
    localStorage.removeItem(SENT(id));
    announce(`Deleted project ${state.project.title}`);
    onGone(id);
  }

  function editFile() {
    const form = uploadForm({
      prefix: `pe-${id.slice(5, 13)}`,
      project: state.project,
      remembered: remembered(state.project),
      onDone: (project, text) => {
        remember(project, text);
        p.edit.hidden = true;
        p.edit.replaceChildren();
        draw(project);
        announce(`${project.title}: project file saved`);
      },
      onCancel: () => { p.edit.hidden = true; p.edit.replaceChildren(); },
    });
    p.edit.replaceChildren(el("h4", {}, "Change the project file"), form);
    p.edit.hidden = false;
    form.querySelector("input").focus();
  }

  function actions() {
    const busy = Boolean(state.job && ACTIVE.has(state.job.status));
    const todo = Number(node.dataset.todo || 0);
    const missing = Number(node.dataset.missing || 0);
    const can = !busy && !state.sending && !state.project.problem;
    const button = (label, onclick, { cls = "small", disabled = !can, title } = {}) =>
      el("button", { type: "button", class: cls, disabled, onclick, title, "aria-describedby": p.name.id }, label);
    const buttons = todo
      ? [button(`Render ${todo} ${todo === 1 ? "scene" : "scenes"}`, () => start("render", {}, "render"), { cls: "small primary" }),
        button("Render and export", () => start("render", { export: true }, "render and export")),
        // Only changed scenes have a last clip to use: a scene never rendered has none, and the export would be refused.
        !missing && button("Export as rendered", () => start("export", { allow_stale: true }, "export"),
          { cls: "small ghost", title: "Join the clips there are now; a changed scene uses its last clip" })].filter(Boolean)
      : [button("Export", () => start("export", {}, "export"), { cls: "small primary" })];
    if (busy) buttons.push(button("Cancel", cancel, { disabled: false }));
    buttons.push(button("Change project file", editFile, { cls: "small ghost", disabled: busy || state.sending }));
    buttons.push(button("Delete", remove, { cls: "small ghost danger", disabled: false }));
    const signature = buttons.map((b) => `${b.textContent}:${b.disabled}`).join("|");
    if (p.actions.dataset.signature === signature) return;
    p.actions.dataset.signature = signature;
    // Keyboard focus stays in the row when its buttons change (Render becomes Cancel, say).
    const hadFocus = p.actions.contains(document.activeElement);
    p.actions.replaceChildren(...buttons);
    if (hadFocus) buttons.find((b) => !b.disabled)?.focus();
  }

  let refreshing = null;
  function refresh() {
    refreshing = refreshing || json(`v1/projects/${id}`)
      .then(draw)
      .catch((err) => { if (err instanceof ApiError && err.status === 404) onGone(id); })
      .finally(() => { refreshing = null; });
    return refreshing;
  }

  draw(initial);
  return { node, draw, refresh, close: () => state.stream && state.stream.close() };
}
