// The Projects view: storyboards kept by the server (GET /v1/projects), a new one made by uploading its
// project file and the files it names, and one card per project (scenes, render, export, films).
import { json } from "./api.js";
import { projectCard, remember } from "./project_card.js";
import { uploadForm } from "./project_upload.js";
import { announce, el, removeCard } from "./util.js";
import { sayLoadFailed } from "./viewkit.js";

/** How often the list is asked again while the view is shown. */
const POLL_MS = 5000;

export function mountProjects(section) {
  const cards = new Map(); // id -> card
  const list = el("ol", { class: "cards projects", id: "project-list", "aria-busy": "false" });
  const status = el("p", { class: "muted", id: "projects-status", role: "status" });
  const form = uploadForm({
    prefix: "pn",
    onDone: (project, text) => {
      remember(project, text);
      add(project, { top: true });
      newOne.open = false;
      status.textContent = count();
      announce(`Project created: ${project.title}`);
      cards.get(project.id).node.querySelector("button:not(:disabled)")?.focus();
    },
  });
  form.id = "project-form";
  const newOne = el("details", { class: "new-project", id: "project-new" },
    el("summary", {}, "New project"),
    el("p", { class: "hint" },
      "A project is a storyboard: a title, scenes (each a prompt for a model, or a title card), music and export settings. ",
      "The server renders each scene once, re-renders only the scenes whose picture changes, and exports as often as you like. ",
      // docs/ is not in the installed package: point to what a pip user has.
      el("code", {}, "reelgen project schema"), " prints the file's JSON schema, and ",
      el("code", {}, "reelgen project new NAME"), " writes an example to edit."),
    form);
  section.append(el("h2", { class: "view-title" }, "Projects"), newOne, status, list);

  function count() {
    return cards.size ? `${cards.size} ${cards.size === 1 ? "project" : "projects"} on this server` : "No projects yet: create one above.";
  }

  /**
   * What of `project` a card shows that another tab or a script changes: its file, scenes, films and
   * latest job. A job's progress is left out: its card follows the job's own stream, and a redraw
   * takes away a clip playing under a scene.
   */
  function shape(project) {
    const job = project.job && { id: project.job.id, status: project.job.status };
    return JSON.stringify([project.updated_at, project.problem, project.scenes.map((s) => [s.status, s.key]),
      project.exports, job]);
  }

  function add(project, { top = false } = {}) {
    let card = cards.get(project.id);
    if (card) {
      if (card.shape !== shape(project)) card.draw(project);
      card.shape = shape(project);
      return card;
    }
    card = projectCard(project, { onGone: drop });
    card.shape = shape(project);
    cards.set(project.id, card);
    list[top ? "prepend" : "append"](card.node);
    return card;
  }

  function drop(id) {
    const card = cards.get(id);
    if (!card) return;
    card.close();
    removeCard(card.node);
    cards.delete(id);
    status.textContent = count();
  }

  /** The list from the server; `quiet`: a poll, which says nothing while it asks nor when it fails. */
  async function load({ quiet = false } = {}) {
    if (!quiet) {
      list.setAttribute("aria-busy", "true");
      status.textContent = "Loading projects…";
    }
    try {
      // The list comes in pages (newest first); every page is read, so no project past the first hides.
      const data = [];
      let after = null;
      do {
        const page = await json(`v1/projects?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`);
        data.push(...page.data);
        after = page.has_more ? page.last_id : null;
      } while (after);
      const ids = new Set(data.map((p) => p.id));
      for (const id of [...cards.keys()]) if (!ids.has(id)) drop(id);
      // One made elsewhere since is the newest: a poll puts it on top (oldest first, so the newest ends up there).
      if (quiet) for (const project of [...data].reverse()) add(project, { top: true });
      else for (const project of data) add(project);
      if (status.textContent !== count()) status.textContent = count();
      if (!data.length && !quiet) newOne.open = true;
    } catch (err) {
      // A poll's failure is the offline line's to say (main.js); the view reloads once the server is back.
      if (!quiet) sayLoadFailed(status, `Could not load the projects: ${err.message.replace(/\.$/, "")}.`, () => load());
    } finally {
      if (!quiet) list.setAttribute("aria-busy", "false");
    }
  }

  // A render started, ended or a file changed in another tab (or by `reelgen project render --server`)
  // showed here only when the view was opened again: the other tab's card offered "Render 1 scene" of
  // a scene already rendering, and still said "stale" after it was done.
  let polling = false;
  setInterval(async () => {
    if (section.hidden || document.hidden || polling) return;
    polling = true;
    try { await load({ quiet: true }); } finally { polling = false; }
  }, POLL_MS);

  return { show: () => load() };
}
