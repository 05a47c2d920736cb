// The queue: one card per job with its status, place in line, live progress over SSE (preview, step,
// ETA), and cancel, delete, remix, enhance and download; finished jobs can raise a browser notification.
import { ApiError, contentUrl, json, post, request, unplayable, videoDeleted } from "./api.js";
import { playerBox, sayInBox } from "./player.js";
import { saveVideo } from "./save.js";
import { follow, replay } from "./sse.js";
import { $, announce, confirmDelete, el, firstWords, generated, ordinal, removeCard, videoTitle } from "./util.js";
import { build, meta } from "./queue_card.js";
import { notifyFinished, setupNotify } from "./queue_notify.js";
import { gapText, lookElsewhere, placeCard, showCounts } from "./queue_order.js";
import { deletedText, doneText, errorText, progressText } from "./words.js";

const ACTIVE = new Set(["queued", "in_progress"]);
const LABEL = { queued: "Queued", in_progress: "Running", completed: "Done", failed: "Failed", cancelled: "Cancelled" };
const POLL_MS = 1000;
/** With nothing waiting here, every third round still looks for jobs another client (a script, a tab) queued. */
const IDLE_ROUNDS = 3;
/** How far along a status is; a polled answer older than the live events must not move a card back. */
const RANK = { queued: 0, in_progress: 1, completed: 2, failed: 2, cancelled: 2 };
const RECONNECTING = "No word from the server; reconnecting…";
const RECONNECTED = "Connected again; waiting for the next step…";
/** What each poll asks for: the first 100 in line and the running jobs (load asks for them too). */
const QUEUED = "v1/videos?status=queued&order=asc&limit=100";
const RUNNING = "v1/videos?status=in_progress&limit=100";
/** The newest jobs, as load shows them: every few rounds, what an ended card is checked against. */
const NEWEST = "v1/videos?limit=20";

export function createQueue(ctx) {
  const cards = new Map(); // id -> {node, video, stream, parts}
  let polling = null;
  let loaded = false; // the server's jobs are in
  let rounds = 0; // polls made, for how often they look for ended cards deleted elsewhere

  function actions(card) {
    const v = card.video;
    const buttons = [];
    // A running job stops at its next step (minutes away while a model loads): its cancel, once taken,
    // says so and goes quiet, where the Cancel button stood as if the click had done nothing.
    // aria-disabled, not disabled: the focus stays on it (a disabled button drops it to the page's top).
    if (ACTIVE.has(v.status) && card.cancelling) buttons.push(el("button", { type: "button", class: "small", "aria-disabled": "true" }, "Cancelling…"));
    else if (ACTIVE.has(v.status)) buttons.push(el("button", { type: "button", class: "small", onclick: () => cancel(card) }, "Cancel"));
    if (generated(v) && !card.deleted) buttons.push(el("button", { type: "button", class: "small ghost", onclick: () => ctx.create.startRemix(card.video) }, "Remix"));
    if (v.status === "completed") {
      if (!card.gone) {
        buttons.push(el("button", { type: "button", class: "small ghost", onclick: (ev) => download(card, ev.currentTarget) }, "Download"));
        buttons.push(el("button", { type: "button", class: "small ghost", onclick: () => ctx.enhance.open(card.video) }, "Enhance"));
      }
      if (generated(v)) buttons.push(el("button", { type: "button", class: "small ghost", onclick: () => ctx.create.useSettings(card.video) }, "Use these settings"));
    }
    if (!ACTIVE.has(v.status)) buttons.push(el("button", { type: "button", class: "small ghost danger", onclick: () => remove(card) }, "Delete"));
    for (const b of buttons) b.setAttribute("aria-describedby", card.parts.name.id);
    // Redrawn as the job moves on: a keyboard user on one of its buttons stays on the card, as a parent's does.
    const hadFocus = card.parts.actions.contains(document.activeElement);
    card.parts.actions.replaceChildren(...buttons);
    if (hadFocus && buttons.length) buttons[0].focus();
  }

  /**
   * Draws `video` on its card; a status change is announced. Only a live event may move a card back
   * (a requeued job); a list answer sent before the job started must not undo its "started" event.
   */
  function render(card, video, { live = false } = {}) {
    const before = card.video.status;
    if (!live && before && RANK[video.status] < RANK[before]) video = { ...video, status: before, queue_position: null };
    // Likewise an answer sent before a live requeue must not show the lost attempt running again; the
    // stream that told of the requeue tells of the next start. A card without one believes the answer.
    if (!live && card.requeued && card.stream && video.status === "in_progress") video = { ...video, status: "queued", progress: 0 };
    card.video = { ...card.video, ...video };
    const v = card.video, p = card.parts;
    card.node.dataset.status = v.status;
    p.status.textContent = LABEL[v.status] || v.status;
    p.status.className = `status ${v.status}`;
    p.title.textContent = videoTitle(v);
    p.meta.textContent = meta(v);
    // queue_position counts the jobs ahead: 0 runs next.
    const position = v.status === "queued" && v.queue_position != null ? v.queue_position : null;
    p.position.textContent = position === null ? "" : position === 0 ? "Next in line" : `${ordinal(position + 1)} in line`;
    card.node.dataset.position = position === null ? "" : String(position);
    if (v.status === "completed") p.bar.value = 100;
    else if (typeof v.progress === "number") p.bar.value = Math.max(p.bar.value, v.progress);
    p.bar.setAttribute("aria-valuetext", `${Math.round(p.bar.value)}%`);
    if (!ACTIVE.has(v.status)) p.step.textContent = v.status === "completed" ? doneText(v) : "";
    else if (v.status === "in_progress") {
      card.requeued = null;
      // "Waiting for a free worker" would stand until the first progress event (a model loading takes minutes).
      if (before !== "in_progress") p.step.textContent = "Starting…";
    } else if (v.status === "queued") {
      const wait = position === null ? "Waiting" : position === 0 ? "Waiting for a free worker" : `Waiting: ${position} ahead of it`;
      p.step.textContent = card.requeued ? `Back in line, to start over (${card.requeued}). ${wait}` : wait;
    }
    p.error.hidden = !v.error;
    p.error.textContent = errorText(v.error);
    if (v.status === "completed" && !card.loaded) showVideo(card);
    // A run that ended with no video leaves no picture: its last preview (noise early on) stood as if it were the result.
    if (v.status === "failed" || v.status === "cancelled") p.preview.hidden = true;
    if (before !== v.status || !p.actions.childElementCount) actions(card);
    if (v.status === "queued" && v.attempts >= 1 && !card.requeued && !card.stream && card.recalled !== v.attempts) recall(card);
    if (before !== v.status && before !== undefined) {
      announce(`${LABEL[v.status]}: ${videoTitle(v)}`);
      if (!ACTIVE.has(v.status)) finished(v);
    }
    summary();
  }

  async function showVideo(card) {
    card.loaded = true;
    const v = card.video;
    const player = el("video", { controls: true, loop: true, muted: true, playsinline: true, preload: "metadata",
      "aria-label": `Video: ${firstWords(videoTitle(v))}` });
    const box = playerBox(v, player);
    card.parts.preview.hidden = true;
    card.parts.media.replaceChildren(box);
    // A file removed from the server would leave an empty player: say why instead, in the player's box
    // (the card's error line moves there), so the buttons below stay where they are.
    player.addEventListener("error", async () => {
      const why = await unplayable(v.id);
      sayInBox(box, card.parts.error);
      if (why.deleted) return deleted(card);
      cardError(card, new Error(why.message));
      // Its Download and Enhance could only fail with the same words: they go, Delete stays.
      if (why.gone) { card.gone = true; actions(card); }
    }, { once: true });
    try {
      player.poster = await contentUrl(v.id, "thumbnail");
      player.src = await contentUrl(v.id);
    } catch (err) {
      sayInBox(box, card.parts.error); // a player given no file would stand empty
      cardError(card, err);
    }
  }

  function onEvent(card, name, data) {
    const p = card.parts;
    if (name === "progress") {
      if (card.video.status !== "in_progress") render(card, { status: "in_progress" }, { live: true });
      p.bar.value = Math.max(p.bar.value, data.progress ?? 0);
      p.bar.setAttribute("aria-valuetext", `${Math.round(p.bar.value)}%`);
      p.step.textContent = progressText(data);
      if (data.preview) {
        // The worker's PNG of the clip being formed: shown as it is (no filter, no colour profile change).
        p.preview.src = `data:image/png;base64,${data.preview}`;
        p.preview.alt = `Preview of “${videoTitle(card.video)}” at step ${data.step}`;
        p.preview.hidden = false;
      }
    } else if (name === "started") {
      card.requeued = null;
      render(card, { status: "in_progress", queue_position: null }, { live: true });
      refreshPositions();
    } else if (name === "queued") {
      // The stream replays a job's events from its create, whose queued event has no reason: a card the
      // position poll had seen start went back to "Queued" until the replayed "started" came.
      if (!data.reason && RANK[card.video.status] > RANK.queued) return;
      // A queued event with a reason is a requeue (its worker was lost, the server stopped): the next
      // attempt starts from step 0, so the bar, the step and the preview of the lost one go.
      if (data.reason) {
        card.requeued = data.reason;
        p.bar.value = 0;
        p.preview.hidden = true;
        p.preview.removeAttribute("src");
      }
      render(card, data.reason ? { status: "queued", progress: 0 } : { status: "queued" }, { live: true });
    } else if (data.video) {
      render(card, data.video, { live: true });
      refreshPositions();
    }
  }

  /**
   * A job waiting again after a lost attempt, seen first by this page while it waits (loaded after the
   * requeue): its stored events say why it went back in line. They are read once and the stream hung
   * up, so no connection stays open per waiting card (see `watch`).
   */
  function recall(card) {
    card.recalled = card.video.attempts;
    let reason = null;
    card.recall = replay(`v1/videos/${card.video.id}/events`, {
      onEvent: (name, data) => {
        if (name === "queued") reason = data.reason || null; // the first queued event, at create, has none
        else if (name === "started") reason = null;
      },
      onDone: () => {
        card.recall = null;
        if (!reason || cards.get(card.video.id) !== card || card.stream || card.video.status !== "queued") return;
        card.requeued = reason;
        render(card, {});
      },
    });
  }

  function watch(card) {
    // Only running jobs get a live stream, and the next in line (a new one: a requeued job's are
    // recalled): a browser keeps about six connections per server. The others follow the position poll,
    // as the next did: it read "Waiting for a free worker" for up to a second while the idle worker ran it.
    const v = card.video, next = v.status === "queued" && v.queue_position === 0 && !v.attempts;
    if (card.stream || (v.status !== "in_progress" && !next)) return;
    card.stream = follow(`v1/videos/${card.video.id}/events`, {
      onEvent: (name, data) => onEvent(card, name, data),
      onFinal: () => { card.stream = null; },
      onGone: () => { card.stream = null; drop(card.video.id); },
      onState: (s) => {
        card.node.dataset.stream = s;
        // The last step and "about 2 s left" would stand unchanged while nothing is heard.
        if (s === "reconnecting") card.parts.step.textContent = RECONNECTING;
        // Back in touch, with nothing new to tell yet (a slow step): "reconnecting" would stand as if still cut off.
        else if (s === "live" && card.parts.step.textContent === RECONNECTING) card.parts.step.textContent = RECONNECTED;
      },
    });
  }

  /** Adds (or updates) the card of `video`; active jobs are followed live. */
  function add(video, { follow: live = true } = {}) {
    let card = cards.get(video.id);
    if (!card) {
      card = build(video);
      card.video = { status: undefined };
      cards.set(video.id, card);
      placeCard($("cards"), card.node, video);
    }
    render(card, video);
    if (live) watch(card);
    startPolling();
    return card;
  }

  function drop(id) {
    const card = cards.get(id);
    if (!card) return;
    if (card.stream) card.stream.close();
    if (card.recall) card.recall.close();
    removeCard(card.node);
    cards.delete(id);
    summary();
  }

  async function cancel(card) {
    card.cancelling = true;
    actions(card); // no second cancel while this one is on its way
    try {
      const video = await post(`v1/videos/${card.video.id}/cancel`);
      render(card, video);
      if (video.status === "in_progress") announce(`Cancelling: ${videoTitle(video)}. It stops at its next step.`);
    } catch (err) {
      card.cancelling = false;
      actions(card);
      // Deleted elsewhere (another tab, a script, retention): there is nothing left to cancel.
      if (err instanceof ApiError && err.status === 404) drop(card.video.id);
      else cardError(card, err);
    }
  }

  async function remove(card) {
    if (!confirmDelete(card.video)) return;
    try {
      await request(`v1/videos/${card.video.id}`, { method: "DELETE" });
      announce(`Deleted: ${videoTitle(card.video)}`);
      drop(card.video.id);
      ctx.gallery.forget(card.video.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) drop(card.video.id);
      else cardError(card, err);
    }
  }

  /**
   * The card of a video deleted elsewhere after it was drawn: it says so, and keeps only what needs
   * nothing from the server ("Use these settings") and Delete, which takes the card away.
   */
  function deleted(card) {
    card.deleted = true;
    card.gone = true;
    cardError(card, new Error(deletedText(card.video)));
    actions(card);
  }

  function cardError(card, err) {
    Object.assign(card.parts.error, { hidden: false, textContent: err.message });
  }

  async function download(card, button) {
    try {
      await saveVideo(card.video, button);
    } catch (err) {
      if (videoDeleted(err)) deleted(card);
      else cardError(card, new Error(`Not downloaded: ${err.message}`)); // what failed, as a failed Delete says
    }
  }

  // ---- places in line: asked for while anything waits (another client's jobs show up too) --------
  async function refreshPositions() {
    try {
      const page = await json(QUEUED);
      const queued = new Map(page.data.map((v) => [v.id, v]));
      for (const v of page.data) add(v, { follow: true });
      for (const card of [...cards.values()]) {
        if (card.video.status === "queued" && !queued.has(card.video.id)) {
          try {
            render(card, await json(`v1/videos/${card.video.id}`));
          } catch (err) {
            // A waiting job deleted elsewhere would otherwise stay "Queued" here, asked after every second.
            if (err instanceof ApiError && err.status === 404) drop(card.video.id);
            else throw err;
          }
        }
      }
      const running = await json(RUNNING);
      for (const v of running.data) add(v, { follow: true });
      // Each idle round (every few seconds), and every few rounds while jobs run (each second).
      rounds += 1;
      const waiting = [...cards.values()].some((c) => ACTIVE.has(c.video.status));
      if (!waiting || rounds % IDLE_ROUNDS === 0) await noticeDeleted();
      await lookElsewhere([...cards.values()].map((c) => c.video)).then(summary);
    } catch (err) {
      if (!(err instanceof ApiError)) return; // offline for a moment: the next round retries
    }
  }

  /**
   * Ended cards whose videos were deleted elsewhere (another tab, a script) say so, as a press of one of
   * their buttons did: without it, a card went on offering Download, Enhance and Remix of a video no
   * longer there. Only cards the server's newest jobs would list are judged (all, when it lists them all).
   */
  async function noticeDeleted() {
    const ended = [...cards.values()].filter((c) => !ACTIVE.has(c.video.status) && !c.deleted);
    if (!ended.length) return;
    const page = await json(NEWEST);
    const listed = new Set(page.data.map((v) => v.id));
    const oldest = Math.min(...page.data.map((v) => Number(v.created_at)));
    // Within the oldest listed second more jobs may follow on the next page: those are left alone.
    const covered = (v) => !page.has_more || Number(v.created_at) > oldest;
    for (const card of ended) {
      if (!listed.has(card.video.id) && covered(card.video)) {
        deleted(card);
        ctx.gallery.forget(card.video.id);
      }
    }
  }

  function startPolling() {
    if (polling) return;
    let idle = 0;
    polling = setInterval(() => {
      if (document.hidden) return;
      const waiting = [...cards.values()].some((c) => ACTIVE.has(c.video.status));
      idle = waiting ? 0 : idle + 1;
      if (waiting || idle % IDLE_ROUNDS === 0) refreshPositions();
    }, POLL_MS);
  }

  function summary() {
    showCounts($("queue-summary"), $("queue-gap"), [...cards.values()].map((c) => c.video));
    const empty = $("queue-empty");
    // Until the server's jobs are in, the line says so: "Nothing queued" stood over a full queue.
    empty.textContent = loaded ? "Nothing queued. Videos you create appear here with live progress." : "Loading the queue…";
    empty.hidden = loaded && cards.size > 0;
  }

  function finished(video) {
    if (video.status === "completed") ctx.gallery.added(video);
    notifyFinished(video);
  }

  /** The latest jobs at start-up: active ones are followed, the rest shown as they ended. */
  async function load() {
    setupNotify();
    const page = await json("v1/videos?limit=20");
    // Where the newest 20 leave out jobs waiting ahead of them, those got their cards at the first poll,
    // a second later: the line counting them showed, then went, and every card moved under the pointer.
    // The poll's lists are asked for first (one that fails is the poll's to ask again), and all drawn at once.
    const more = (path) => json(path).then((list) => list.data, () => []);
    const ahead = gapText(page.data) ? (await Promise.all([more(QUEUED), more(RUNNING)])).flat() : [];
    for (const v of [...page.data.reverse(), ...ahead]) add(v, { follow: true });
    loaded = true;
    startPolling(); // an empty queue too: jobs queued elsewhere show up
    summary();
  }

  return {
    add, load, forget: drop, byId: (id) => cards.get(id),
    /** Another view found video `id` deleted from the server: its card, if any, says so. */
    deleted: (id) => { if (cards.has(id)) deleted(cards.get(id)); },
  };
}
