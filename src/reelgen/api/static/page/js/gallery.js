// The Gallery view: finished videos, newest first, a page at a time, each with its player, the settings
// that made it, "use these settings", and enhance.
import { ApiError, contentUrl, json, request, unplayable, videoDeleted } from "./api.js";
import { taskName } from "./models.js";
import { rateText } from "./create_enhance.js";
import { chosenOptions } from "./create_form.js";
import { folded } from "./fold.js";
import { NO_TEXT, negativeUnread } from "./negative.js";
import { playerBox, sayInBox } from "./player.js";
import { saveVideo } from "./save.js";
import { titleFold } from "./title_fold.js";
import { announce, confirmDelete, el, firstWords, focusIn, fps, generated, seconds, shortId, shortName, videoTitle, when } from "./util.js";
import { deletedText, originText } from "./words.js";

const PAGE = 12;

export function mountGallery(section, ctx) {
  const state = { cursors: [null], index: 0, hasMore: false, stale: true };
  const grid = el("ol", { class: "gallery", id: "gallery-grid", "aria-live": "polite", "aria-busy": "false" });
  // Off until a page has loaded: before that there is nothing older or newer to go to.
  const older = el("button", { type: "button", class: "ghost", id: "gallery-older", disabled: true, onclick: () => go(1) }, "Older →");
  const newer = el("button", { type: "button", class: "ghost", id: "gallery-newer", disabled: true, onclick: () => go(-1) }, "← Newer");
  const where = el("span", { class: "muted", id: "gallery-page" });
  // A link, not only words: the empty gallery is where a new user lands from a shared "#gallery" URL.
  const empty = el("p", { class: "muted", id: "gallery-empty", hidden: true }, "No finished videos yet. Make one in ",
    el("a", { href: "#create" }, "Create"), ".");
  // An answer that refused the list (a 429, a 503) is an answer: the gallery loads again by itself only
  // once an unreachable server is back, so the failure offers to try again.
  const failedText = el("span", {});
  const retry = el("button", { type: "button", class: "small", onclick: () => load() }, "Try again");
  const failed = el("p", { class: "notice error", id: "gallery-error", role: "alert", hidden: true }, failedText, " ", retry);
  const heading = el("h2", { class: "view-title" }, "Gallery");
  const pager = el("nav", { class: "row pager", "aria-label": "Gallery pages" }, newer, where, older);
  section.append(heading, failed, empty, grid, pager);

  /**
   * What ran after the model, in the Create form's words, and the clip the model made before it: the
   * size and length above are the enhanced clip's, and "Use these settings" fills the form with these.
   */
  function after(p) {
    const method = (name) => (name ? ` (${name})` : "");
    const motion = p.interpolate ? `×${p.interpolate} frames` : p.target_fps ? `to ${rateText(String(p.target_fps))} fps` : null;
    const steps = [motion && `Smoother motion ${motion}${method(p.interpolator)}`,
      p.upscale && `Sharper, larger ×${p.upscale}${method(p.upscaler)}`].filter(Boolean);
    if (!steps.length) return [];
    const made = p.size && p.num_frames && p.fps ? `${p.size.replace("x", "×")}, ${p.num_frames} frames at ${fps(p.fps)} fps` : null;
    return [["After generation", steps.join("; ")], ["Generated as", made]];
  }

  /** The options the video was made with apart from its model's own: "max_sequence_length 64". */
  function optionsText(v) {
    const model = (ctx.models || []).find((m) => m.id === v.model);
    return chosenOptions((v.parameters || {}).options, model && model.options)
      .map(([k, value]) => `${k} ${JSON.stringify(value)}`).join(", ") || null;
  }

  /**
   * The negative prompt the model used: the one typed, or, with none, the model's own where it has one
   * (LTX: the video's options.negative_prompt_default, as the model ran it), marked as such. One that
   * went unread (negative.js: the server's rule, which it warns of) is marked so, with why.
   */
  function negativeText(p, model) {
    const options = p.options || {};
    const why = negativeUnread({ readsPrompt: model ? model.reads_prompt : true, guidance: p.guidance_scale, options });
    // Folded when long (fold.js): LTX-2's own, about 800 characters, took over the card.
    if (p.negative_prompt) return folded(p.negative_prompt, { after: why ? ` (not read: ${why})` : "" });
    return !why && options.negative_prompt_default
      ? folded(options.negative_prompt_default, { after: " (the model's own: none was given)" }) : null;
  }

  function params(v) {
    const p = v.parameters || {};
    const model = (ctx.models || []).find((m) => m.id === v.model);
    // A talking avatar's lip-sync takes no seed, steps or guidance: its record's 1 step, guidance 0 read as settings.
    const sampled = p.task !== "avatar";
    const rows = [
      ["Model", v.model],
      // The title shows the prompt; a model that reads no text (SVD) made the video without it.
      ["Prompt", model && model.reads_prompt === false && v.prompt ? `not read: ${NO_TEXT}` : null],
      ["Size", v.size.replace("x", "×")],
      ["Length", `${Number(v.seconds).toFixed(1)} s · ${v.num_frames} frames at ${fps(v.fps)} fps`],
      ...after(p),
      ["Seed", sampled ? v.seed : null],
      ["Steps", sampled ? p.num_inference_steps : null],
      ["Guidance", sampled && p.guidance_scale != null ? (p.guidance_scale_2 != null && p.guidance_scale_2 !== p.guidance_scale ? `${p.guidance_scale} / ${p.guidance_scale_2}` : p.guidance_scale) : null],
      ["Options", optionsText(v)],
      // What shaped the video beyond its prompt, in the Create form's words, as the record has it.
      ["LoRAs", (p.loras || []).map((l) => `${l.name} at strength ${l.strength}`).join(", ") || null],
      ["Keyframes", (p.keyframes || []).map((k) => `frame ${k.frame} at strength ${k.strength}`).join(", ") || null],
      // The record keeps whether an end image was given, not the image: said so, as the start image's task is.
      ["End image", p.end_image ? "pinned the last frame" : null],
      // The gallery's player starts muted: whether the clip has sound is said here, from the record.
      ["Sound", p.audio === true ? "made with the video" : p.audio === false ? "none (turned off)" : null],
      // A restyle's: an extend's (or an avatar's) record keeps the core's default 0.7, which nothing read.
      ["How much changed", p.source_video && !["extend", "avatar"].includes(p.task) && p.source_strength != null
        ? Number(p.source_strength).toFixed(2) : null],
      ["Task", p.task ? taskName(p.task) : null],
      // "Origin", not "From": "From: enhanced from 03ed13da" said "from" twice.
      ["Origin", originText(v)],
      ["Negative", negativeText(p, model)],
      ["Made", `${when(v.completed_at)}${v.metrics && v.metrics.run_seconds ? ` in ${seconds(v.metrics.run_seconds)}` : ""}`],
    ];
    return el("dl", { class: "params" }, rows.filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([k, value]) => [el("dt", {}, k), el("dd", {}, Array.isArray(value) ? value : String(value))]));
  }

  function item(v) {
    const player = el("video", { controls: true, loop: true, muted: true, playsinline: true, preload: "metadata",
      "aria-label": `Video: ${firstWords(videoTitle(v))}` });
    const box = playerBox(v, player);
    const problem = el("p", { class: "card-error", role: "alert", hidden: true });
    const say = (message) => { problem.textContent = message; problem.hidden = false; };
    // A file removed from the server (retention) leaves no player: its box says why, and its
    // Download and Enhance, which could only fail with the same words, go (Delete stays).
    const needFile = [];
    const gone = ({ message, gone: fileGone }) => {
      sayInBox(box, el("p", { class: "card-error gone" }, message));
      if (fileGone) for (const button of needFile) button.remove();
    };
    player.addEventListener("error", async () => {
      const why = await unplayable(v.id);
      gone(why.deleted ? { ...why, message: deletedText(v) } : why);
    }, { once: true });
    Promise.all([contentUrl(v.id, "thumbnail"), contentUrl(v.id)])
      .then(([poster, src]) => { player.poster = poster; player.src = src; })
      .catch((err) => gone({ message: err.message, gone: err instanceof ApiError && err.status === 404 }));
    const title = el("h3", { class: "card-title", id: `g-title-${v.id}` }, videoTitle(v));
    const name = shortName(`g-name-${v.id}`, videoTitle(v)); // the buttons' description: the title's first words
    const describe = { "aria-describedby": name.id };
    needFile.push(el("button", { type: "button", class: "small ghost", onclick: () => ctx.enhance.open(v), ...describe }, "Enhance"),
      el("button", { type: "button", class: "small ghost", onclick: (ev) => download(v, say, ev.currentTarget), ...describe }, "Download"));
    return el("li", { class: "gallery-item", dataset: { id: v.id } },
      box, title, titleFold(title, v), params(v),
      el("div", { class: "row card-actions" },
        generated(v) && el("button", { type: "button", class: "small primary", onclick: () => ctx.create.useSettings(v), ...describe }, "Use these settings"),
        generated(v) && el("button", { type: "button", class: "small ghost", onclick: () => ctx.create.startRemix(v), ...describe }, "Remix"),
        ...needFile,
        el("button", { type: "button", class: "small ghost danger", onclick: () => remove(v, say), ...describe }, "Delete")),
      problem,
      el("p", { class: "muted small" }, shortId(v.id)), name);
  }

  async function download(v, say, button) {
    try {
      await saveVideo(v, button);
    } catch (err) {
      // As Delete says "Not deleted: ...": the bare reason under a finished video did not say what failed.
      if (!videoDeleted(err)) return say(`Not downloaded: ${err.message}`);
      ctx.queue.deleted(v.id);
      state.stale = true; // the next visit shows the gallery without it
      return say(deletedText(v));
    }
  }

  async function remove(v, say) {
    // One press took the file from the server for good, beside Download and Enhance: a slip lost a video.
    if (!confirmDelete(v)) return;
    try {
      await request(`v1/videos/${v.id}`, { method: "DELETE" });
    } catch (err) {
      // Shown on the item (role=alert): announcing alone left sighted users with a button that did nothing.
      if (!(err instanceof ApiError && err.status === 404)) { say(`Not deleted: ${err.message}`); return; }
    }
    ctx.queue.forget(v.id);
    announce(`Deleted: ${videoTitle(v)}`);
    // A keyboard user who pressed Delete was dropped to the page's top: the item now in its place (or the
    // last one, or the heading when none is left) takes the focus once the page is drawn again.
    const items = [...grid.children];
    const at = items.findIndex((node) => node.contains(document.activeElement));
    await load();
    if (at < 0 || (document.activeElement && document.activeElement !== document.body)) return; // moved on meanwhile
    const left = grid.children;
    focusIn(left.length ? left[Math.min(at, left.length - 1)] : heading);
  }

  async function load() {
    grid.setAttribute("aria-busy", "true");
    const after = state.cursors[state.index];
    const query = `v1/videos?status=completed&limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    try {
      const page = await json(query);
      if (!page.data.length && state.index > 0) { state.index -= 1; return load(); }
      state.hasMore = page.has_more;
      state.cursors[state.index + 1] = page.last_id;
      grid.replaceChildren(...page.data.map(item));
      empty.hidden = page.data.length > 0;
      failed.hidden = true;
    } catch (err) {
      // An empty gallery would say "no videos yet" of a server that did not answer: say what happened.
      failedText.textContent = `Could not load the gallery: ${err.message.replace(/\.$/, "")}.`;
      failed.hidden = false;
      empty.hidden = true;
      return;
    } finally {
      grid.setAttribute("aria-busy", "false");
    }
    state.stale = false;
    newer.disabled = state.index === 0;
    older.disabled = !state.hasMore;
    where.textContent = `Page ${state.index + 1}`;
    // One page and no other: two greyed buttons and "Page 1" under "No finished videos yet" offered nothing.
    pager.hidden = state.index === 0 && !state.hasMore;
  }

  function go(step) {
    state.index = Math.max(0, state.index + step);
    load();
  }

  return {
    show() { if (state.stale) load(); },
    /** A video just finished: the first page is out of date. */
    added() { state.stale = true; if (!section.hidden && state.index === 0) load(); },
    forget() { state.stale = true; },
  };
}
