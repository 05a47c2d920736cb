// The list the Batches and Shoot-outs views share: one card per parent job (newest first, a page at a
// time), its counts and items kept live from its event stream, with cancel and delete. Each view adds
// its own parts (a batch's summary, a shoot-out's ranking and report) through `extra(obj)`.
import { ApiError, json, post, request } from "./api.js";
import { follow } from "./sse.js";
import { announce, el, quoted, removeCard, when } from "./util.js";
import { errorText } from "./words.js";
import { ACTIVE, STATUS_LABEL, bar, sayLoadFailed } from "./viewkit.js";

const PAGE = 20;
/** How often the newest page is asked again while the view is shown. */
const POLL_MS = 5000;

/**
 * "5 items: 2 done, 1 failed · 1 running, 1 queued" from request_counts ("2 trials: ..." for a
 * shoot-out, whose card says trials). The counts after `total` are item jobs; an item with none
 * (a trial not yet queued, or one `unqueued` does not account for) is said "not queued", one whose job was
 * deleted after the parent ended "deleted" (it ran). `unqueued`: items the parent itself says failed
 * or were skipped with no job (a batch's missing image, a shoot-out trial whose prompt lacks one),
 * counted so: "2 not queued" stood over the summary's "1 failed, 1 skipped". While the parent runs (`active`),
 * items with no job yet are "to come": a shoot-out queues one trial at a time, and "3 not queued" on a running
 * one read as if three had been dropped.
 */
export function countsText(c, item = "item", unqueued = {}, active = false) {
  const deleted = c.deleted || 0;
  const jobs = c.queued + c.in_progress + c.completed + c.failed + c.cancelled + deleted;
  const failedNone = Math.max(0, Math.min(unqueued.failed || 0, c.total - jobs));
  const skipped = Math.max(0, Math.min(unqueued.skipped || 0, c.total - jobs - failedNone));
  const failed = c.failed + failedNone;
  const ended = [`${c.completed} done`, failed ? `${failed} failed` : null, skipped ? `${skipped} skipped` : null,
    c.cancelled ? `${c.cancelled} cancelled` : null, deleted ? `${deleted} deleted` : null];
  const waiting = [c.in_progress ? `${c.in_progress} running` : null, c.queued ? `${c.queued} queued` : null];
  const rest = c.total - jobs - failedNone - skipped;
  const none = rest > 0 ? [`${rest} ${active ? "to come" : "not queued"}`] : [];
  const groups = [ended, waiting, none].map((g) => g.filter(Boolean).join(", ")).filter(Boolean);
  return `${c.total} ${c.total === 1 ? item : `${item}s`}: ${groups.join(" · ")}`;
}

/**
 * Mounts the list in `host`. `path` is the API's (batches, shootouts) and `noun` its event's name;
 * `said` is how the page names one and many of them and their items ({one: "shoot-out", many:
 * "shoot-outs", item: "trial"}); `title(obj)` names a card; `meta(obj)` is its one-line description;
 * `extra(obj)` returns the nodes shown below the counts; `onDeleted(jobIds)` is told the item jobs that
 * went with a deleted one; `made(obj)` is how many items an ended one made, where the view knows
 * better than its item jobs (null where it does not).
 */
export function parentList({ host, path, noun, said, title, meta, extra, onDeleted = () => {}, made = () => null, unqueued = () => ({}) }) {
  const cards = new Map();
  const Items = `${said.item.charAt(0).toUpperCase()}${said.item.slice(1)}s`;
  const list = el("ol", { class: "cards parents", id: `${path}-list`, "aria-busy": "false" });
  const status = el("p", { class: "muted", id: `${path}-status`, role: "status" });
  const older = el("button", { type: "button", class: "ghost", id: `${path}-older`, hidden: true, onclick: () => load(true) }, "Show older");
  host.append(status, list, older);
  let lastId = null;

  function build(obj) {
    const titleId = `${path}-title-${obj.id}`;
    const countsId = `${path}-counts-${obj.id}`;
    const parts = {
      status: el("span", { class: "status" }),
      when: el("span", { class: "muted" }),
      title: el("h3", { class: "card-title", id: titleId }),
      meta: el("p", { class: "meta muted" }),
      bar: bar(`Progress of ${said.one} ${obj.id.slice(6, 14)}`, countsId),
      counts: el("p", { class: "step counts", id: countsId }),
      items: el("ul", { class: "items small" }),
      // Hidden until an item job shows: with none (every item skipped or failed to plan) it opened on nothing.
      itemsBox: el("details", { class: "items-box", hidden: true }),
      extra: el("div", { class: "extra" }),
      error: el("p", { class: "card-error", role: "alert", hidden: true }),
      actions: el("div", { class: "row card-actions" }),
    };
    parts.itemsBox.append(el("summary", {}, Items), parts.items);
    const node = el("li", { class: "card parent", dataset: { id: obj.id }, "aria-labelledby": titleId },
      el("div", { class: "card-head" }, parts.status, parts.when),
      parts.title, parts.meta, parts.bar.node, parts.counts, parts.itemsBox, parts.extra, parts.error, parts.actions);
    return { node, parts, obj: null, items: new Map(), stream: null, shownExtra: null };
  }

  /** How many items `obj` made: its item jobs that completed, those deleted since included (they may have). */
  function madeOf(obj) {
    const own = made(obj);
    return own ?? obj.request_counts.completed + (obj.request_counts.deleted || 0);
  }

  /** "Done", unless every item failed or was skipped: then a green "Done" said it went well. */
  function statusOf(obj) {
    if (obj.status === "completed" && obj.request_counts.total > 0 && madeOf(obj) === 0) {
      return { label: "Nothing made", style: "nothing" };
    }
    return { label: STATUS_LABEL[obj.status] || obj.status, style: obj.status };
  }

  function draw(card, obj) {
    const before = card.obj && statusOf(card.obj).label;
    card.obj = obj;
    const p = card.parts;
    const shown = statusOf(obj);
    card.node.dataset.status = obj.status;
    p.status.textContent = shown.label;
    p.status.className = `status ${shown.style}`;
    p.when.textContent = when(obj.created_at);
    p.title.textContent = title(obj);
    // Led by its short id, as a project's card is: its trials and items in the queue and gallery say
    // "trial of shoot-out 5e1f0000", and a card titled by its models or name said nothing to match.
    p.meta.textContent = `${obj.id.slice(6, 14)} · ${meta(obj)}`;
    p.bar.node.setAttribute("aria-label", `Progress of ${title(obj)}`);
    p.bar.set(obj.progress);
    p.counts.textContent = countsText(obj.request_counts, said.item, unqueued(obj), ACTIVE.has(obj.status));
    p.error.hidden = !obj.error;
    p.error.textContent = errorText(obj.error);
    // The extra parts change only as the job ends: redrawing them on every event would restart players.
    const stamp = `${obj.status}`;
    if (card.shownExtra !== stamp) { card.shownExtra = stamp; p.extra.replaceChildren(...extra(obj).filter(Boolean)); }
    actions(card);
    sayCount();
    if (before && before !== shown.label) announce(`${title(obj)}: ${shown.label.toLowerCase()}`);
  }

  function drawItem(card, item) {
    card.items.set(item.key, item);
    const rows = [...card.items.values()].map((i) => el("li", { dataset: { key: i.key, status: i.status } },
      el("span", { class: `status ${i.status}` }, STATUS_LABEL[i.status] || i.status), " ",
      el("span", {}, i.key), i.status === "in_progress" && i.progress ? ` · ${i.progress}%` : "",
      i.error ? el("span", { class: "card-error" }, ` — ${errorText(i.error)}`) : null));
    card.parts.items.replaceChildren(...rows);
    card.parts.itemsBox.hidden = false;
    card.parts.itemsBox.querySelector("summary").textContent = `${Items} (${card.items.size} ${card.items.size === 1 ? "job" : "jobs"})`;
  }

  function actions(card) {
    const active = ACTIVE.has(card.obj.status);
    const signature = String(active);
    if (card.parts.actions.dataset.signature === signature) return;
    card.parts.actions.dataset.signature = signature;
    const describe = { "aria-describedby": card.parts.title.id };
    const hadFocus = card.parts.actions.contains(document.activeElement);
    card.parts.actions.replaceChildren(active
      ? el("button", { type: "button", class: "small", onclick: () => cancel(card), ...describe }, "Cancel")
      : el("button", { type: "button", class: "small ghost danger", onclick: () => remove(card), ...describe }, "Delete"));
    if (hadFocus) card.parts.actions.firstChild.focus();
  }

  function watch(card) {
    if (card.stream || !ACTIVE.has(card.obj.status)) return;
    card.stream = follow(`v1/${path}/${card.obj.id}/events`, {
      onEvent: (name, data) => {
        if (name === "item") drawItem(card, data);
        else if (name === noun || ["completed", "failed", "cancelled"].includes(name)) draw(card, data);
      },
      onFinal: () => { card.stream = null; },
      onGone: () => { card.stream = null; drop(card.obj.id); },
      onState: (s) => { card.node.dataset.stream = s; },
    });
  }

  async function loadItems(card) {
    try {
      for (const item of (await json(`v1/${path}/${card.obj.id}/items`)).data) drawItem(card, item);
    } catch { /* the events bring them too */ }
  }

  /** Adds (or updates) the card of `obj`; running ones are followed live. */
  function add(obj, { top = false } = {}) {
    let card = cards.get(obj.id);
    const fresh = !card;
    if (fresh) {
      card = build(obj);
      cards.set(obj.id, card);
      list[top ? "prepend" : "append"](card.node);
    }
    draw(card, obj);
    // After draw: a new card has no obj before it, and asking before read a null's id, so a finished
    // one's items (which no event brings again) never came.
    if (fresh) loadItems(card);
    watch(card);
    sayCount();
    return card;
  }

  function drop(id) {
    const card = cards.get(id);
    if (!card) return;
    if (card.stream) card.stream.close();
    removeCard(card.node);
    cards.delete(id);
    sayCount();
  }

  async function cancel(card) {
    try {
      draw(card, await post(`v1/${path}/${card.obj.id}/cancel`));
    } catch (err) { problem(card, err); }
  }

  /**
   * Whether the person wants `card`'s job deleted. Its finished items' videos go with it and cannot be
   * had back, so that is asked first, as for a finished video; with none finished it goes at once.
   */
  function confirmRemove(card) {
    const n = card.obj.request_counts.completed;
    if (!n) return true;
    const items = n === 1 ? said.item : `${said.item}s`;
    const kept = card.obj.output_folder ? ` What it wrote to ${card.obj.output_folder} stays.` : "";
    return confirm(`Delete ${quoted(title(card.obj))} and the server's copies of its ${n} finished ${items}?${kept} This cannot be undone.`);
  }

  async function remove(card) {
    if (!confirmRemove(card)) return;
    try {
      await request(`v1/${path}/${card.obj.id}`, { method: "DELETE" });
      announce(`Deleted: ${title(card.obj)}`);
      // Its item jobs went with it: their queue cards stood on as "Done", with a Download that failed.
      onDeleted([...card.items.values()].map((i) => i.job_id).filter(Boolean));
      drop(card.obj.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) drop(card.obj.id);
      else problem(card, err);
    }
  }

  function problem(card, err) {
    card.parts.error.hidden = false;
    card.parts.error.textContent = err.message;
  }

  /** The count line, set only when it changes: it is a live region, and a poll redraws every card. */
  function sayCount() {
    const now = summary();
    if (status.textContent !== now) status.textContent = now;
  }

  function summary() {
    const running = [...cards.values()].filter((c) => ACTIVE.has(c.obj.status)).length;
    // "1 shown." did not say of what; the list is a page at a time, so it counts those shown.
    if (!cards.size) return `No ${said.many} yet.`;
    return `${cards.size} ${cards.size === 1 ? said.one : said.many} shown${running ? `, ${running} running` : ""}.`;
  }

  async function load(more = false) {
    list.setAttribute("aria-busy", "true");
    try {
      const page = await json(`v1/${path}?limit=${PAGE}${more && lastId ? `&after=${encodeURIComponent(lastId)}` : ""}`);
      for (const obj of page.data) add(obj);
      if (page.last_id) lastId = page.last_id;
      older.hidden = !page.has_more;
      sayCount();
    } catch (err) {
      sayLoadFailed(status, `Could not load the list: ${err.message.replace(/\.$/, "")}.`, () => load(more));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  /**
   * The newest page asked again, silently: one started elsewhere (another tab, `reelgen batch --server`)
   * showed only once the view was opened again. New ones go on top, newest first; "Show older" keeps its place.
   */
  async function poll() {
    try {
      const page = await json(`v1/${path}?limit=${PAGE}`);
      for (const obj of [...page.data].reverse()) add(obj, { top: !cards.has(obj.id) });
    } catch { /* offline: main.js says so, and the view loads afresh once the server is back */ }
  }

  let polling = false;
  setInterval(async () => {
    if (host.closest("[hidden]") || document.hidden || polling) return;
    polling = true;
    try { await poll(); } finally { polling = false; }
  }, POLL_MS);

  return { add, load };
}
