// Starts the page: registers the views, loads the models, builds the queue from the server's jobs.
//
// A new view is one module with a mount(section, ctx) function and one views.register() line below,
// added when its API exists.
import { json, onReach, reached } from "./api.js";
import { mountAvatar } from "./avatar.js";
import { mountBatches } from "./batches.js";
import { mountCreate } from "./create.js";
import { mountEnhance } from "./enhance.js";
import { mountGallery } from "./gallery.js";
import { mountProjects } from "./projects.js";
import { createQueue } from "./queue.js";
import { readFacts } from "./server_facts.js";
import { mountShootouts } from "./shootouts.js";
import { $ } from "./util.js";
import * as views from "./views.js";

/** What the views share: the models, each other's entry points, and a way to switch views. */
const ctx = {
  models: [],
  create: null,
  queue: null,
  enhance: null,
  // Until the gallery is first shown there is nothing of it to update.
  gallery: { added() {}, forget() {} },
  showView: (id) => views.show(id, ctx, "push"), // remix and "use these settings": Back returns to where they were pressed
};

views.register({ id: "create", label: "Create", mount: (section) => (ctx.create = mountCreate(section, ctx)) });
views.register({ id: "avatar", label: "Avatar", mount: (section) => mountAvatar(section, ctx) });
views.register({ id: "gallery", label: "Gallery", mount: (section) => (ctx.gallery = mountGallery(section, ctx)) });
views.register({ id: "projects", label: "Projects", mount: (section) => mountProjects(section, ctx) });
views.register({ id: "batches", label: "Batches", mount: (section) => mountBatches(section, ctx) });
views.register({ id: "shootouts", label: "Shoot-outs", mount: (section) => mountShootouts(section, ctx) });

const OFFLINE = "Lost contact with the server: it may be stopped or restarting. This page tries again on its own; " +
  "until then what it shows may be out of date.";
const PROBE_MS = 3000;

/**
 * While the server does not answer, a line at the top says so, and /healthz (which needs no key) is
 * asked every few seconds; once it answers the line goes and the view on screen loads afresh.
 */
function watchConnection() {
  const line = $("offline");
  let probe = null;
  onReach((ok) => {
    if (ok) {
      if (!probe) return;
      clearInterval(probe);
      probe = null;
      line.hidden = true;
      if (document.body.dataset.ready && views.active()) views.show(views.active(), ctx);
      return;
    }
    line.textContent = OFFLINE;
    line.hidden = false;
    probe = probe || setInterval(() => {
      fetch("healthz", { cache: "no-store" }).then((r) => { if (r.ok) reached(true); }).catch(() => {});
    }, PROBE_MS);
  });
}

async function start() {
  try {
    readFacts(); // not waited for: the worker count and image limit only sharpen what the page says
    ctx.models = (await json("v1/models")).data;
    $("page-loading").hidden = true;
    ctx.queue = createQueue(ctx);
    ctx.enhance = mountEnhance(ctx);
    views.buildNav(ctx);
    const wanted = location.hash.slice(1);
    const other = wanted && wanted !== "create" && views.ids().includes(wanted);
    // Always built (remix and "use these settings" fill its form), under another view's URL without
    // touching it: its own "#create" entry would put a view never seen before the wanted one under Back.
    views.show("create", ctx, other ? "keep" : "replace");
    if (other) views.show(wanted, ctx);
    await ctx.queue.load();
    document.body.dataset.ready = "true";
  } catch (err) {
    $("page-loading").hidden = true;
    $("queue-empty").textContent = "The queue could not be loaded.";
    const box = $("page-error");
    box.textContent = `The page could not load from the server: ${err.message}. Reload to try again.`;
    box.hidden = false;
  }
}

watchConnection();
start();
