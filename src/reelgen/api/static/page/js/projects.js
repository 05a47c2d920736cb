// The Projects view: storyboards kept by the server (GET /v1/projects), a new one made by uploading its
// project file and the files it names, and one card per project (scenes, render, export, films).
import { json } from "./api.js";
import { projectCard, remember } from "./project_card.js";
import { uploadForm } from "./project_upload.js";
import { announce, el, removeCard } from "./util.js";
import { sayLoadFailed } from "./viewkit.js";

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

  function add(project, { top = false } = {}) {
    let card = cards.get(project.id);
    if (card) { card.draw(project); return card; }
    card = projectCard(project, { onGone: drop });
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

  async function load() {
    list.setAttribute("aria-busy", "true");
    status.textContent = "Loading projects…";
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
      for (const project of data) add(project);
      status.textContent = count();
      if (!data.length) newOne.open = true;
    } catch (err) {
      sayLoadFailed(status, `Could not load the projects: ${err.message.replace(/\.$/, "")}.`, load);
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  return { show: load };
}
