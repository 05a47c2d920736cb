// The Create view: a model picker and a form that offers only values the chosen model accepts,
// submitted to POST /v1/videos (or /remix); the server's errors land under the field they name.
import { ApiError, post, videoDeleted } from "./api.js";
import { buildForm, sayNegativeRead, sayNotCarried, sayPromptRead, seedProblem } from "./create_form.js";
import { mountEnhanceChoices } from "./create_enhance.js";
import { mountStartImage } from "./create_image.js";
import { NOT_COPIED, mountInputs } from "./create_inputs.js";
import { mountSourceVideo } from "./create_video.js";
import { clearErrors, clearFieldError, radio, showError, unreadableNumber } from "./fields.js";
import { TASKS, fillPicker, inTaskWords, modelInfo, notHere, offeredTasks } from "./models.js";
import { announce, el, fps, named, quoted, randomSeed, shortId, videoTitle } from "./util.js";
import { tooBig } from "./viewkit.js";
import { deletedText } from "./words.js";

const LAST_MODEL = "reelgen-last-model";
const PREFERRED = ["reelgen-micro", "ltx-tiny", "wan-tiny"];

export function mountCreate(section, ctx) {
  const state = { model: null, remixOf: null, again: [] };
  // Said when pressed: the form changes in several places at once and a screen reader heard nothing of it.
  const f = buildForm({ onDefaults: () => {
    applyModel(true);
    const m = state.model;
    const sound = m && m.tasks.includes("audio") ? ", guidance and sound" : " and guidance";
    if (m) announce(`${m.id}'s defaults set: task, size, duration, frame rate, steps${sound}. The prompts, seed and files are kept.`);
  } });
  const pins = mountInputs(f.inputs, { size: () => checkedValue("size") }); // end image, keyframes, LoRAs
  const enhance = mountEnhanceChoices(f); // interpolation and upscaling
  const start = mountStartImage(f, { size: () => checkedValue("size"), model: () => state.model, remixing: () => state.remixOf !== null });
  const source = mountSourceVideo(f, { task: () => checkedValue("task") });
  section.append(el("h2", { class: "view-title" }, "Create a video"), f.form);

  // ---- models ---------------------------------------------------------------------------------
  function current() {
    return ctx.models.find((m) => m.id === f.model.value) || null;
  }

  function refill() {
    const selected = f.model.value || localStorage.getItem(LAST_MODEL)
      || PREFERRED.find((id) => ctx.models.some((m) => m.id === id && m.weights.present));
    fillPicker(f.model, ctx.models, { readyOnly: f.readyOnly.checked, selected });
    applyModel(false);
  }

  /** Rebuilds the model-dependent controls; `reset` puts every value back to the model's defaults. */
  function applyModel(reset) {
    const model = current();
    const before = state.model;
    const changed = model !== before;
    state.model = model;
    if (!model) return;
    localStorage.setItem(LAST_MODEL, model.id);
    f.info.replaceChildren(...modelInfo(model));
    f.model.toggleAttribute("aria-invalid", false);
    if (changed || reset) {
      // A size, length or rate the person chose stays when the new model takes it; the old model's
      // default does not (it would send reelgen-micro's 25 frames at 12 fps to every model picked after it).
      const chosen = (value, key) => (!reset && before && String(value) !== String(before.defaults[key]) ? value : null);
      setTasks(model);
      setSizes(model, chosen(checkedValue("size"), "size"));
      setFrames(model, chosen(f.frames.value, "num_frames"), chosen(f.rate.value, "fps"));
      f.steps.value = model.defaults.num_inference_steps;
      f.guidance.value = model.defaults.guidance_scale;
      f.guidance2.value = model.defaults.guidance_scale_2 ?? "";
      f.steps.placeholder = String(model.defaults.num_inference_steps);
      f.guidance.placeholder = String(model.defaults.guidance_scale);
    }
    if (reset) f.inputs.sound.checked = true; // a model that makes sound makes it by default
    document.getElementById("f-guidance2-field").hidden = model.defaults.guidance_scale_2 == null;
    sayNegative();
    sayPromptRead(document.getElementById("hint-prompt"), model);
    showInputs();
    start.note();
  }

  /** Whether the negative is read at this Guidance, with the model's options (the form sets none) or a remixed video's. */
  function sayNegative() {
    if (!state.model) return;
    const options = state.remixOf ? (state.remixOf.parameters || {}).options : state.model.options;
    sayNegativeRead(document.getElementById("hint-negative_prompt"), state.model, { guidance: f.guidance.value, options });
  }

  function setTasks(model) {
    const was = checkedValue("task");
    const tasks = offeredTasks(model);
    const pick = tasks.includes(was) ? was : tasks[0];
    const group = document.getElementById("f-task");
    group.querySelector(".radio-row").replaceChildren(...tasks.map((t) => radio("task", t, TASKS[t].label, t === pick)));
    group.hidden = tasks.length < 2;
  }

  function setSizes(model, keep) {
    const sizes = model.choices.sizes;
    const pick = sizes.some((s) => s.size === keep) ? keep : (sizes.find((s) => s.default) || sizes[0]).size;
    const row = document.getElementById("f-size").querySelector(".radio-row");
    row.replaceChildren(...sizes.map((s) => radio("size", s.size, `${s.label} · ${s.size.replace("x", "×")}`, s.size === pick)));
  }

  function setFrames(model, keepFrames, keepFps) {
    const rates = model.choices.fps;
    const rate = rates.map(String).includes(keepFps) ? Number(keepFps) : model.defaults.fps;
    f.rate.replaceChildren(...rates.map((r) =>
      el("option", { value: r, selected: r === rate }, r === model.defaults.fps ? `${fps(r)} fps (model's own)` : `${fps(r)} fps`)));
    const counts = model.choices.num_frames;
    const keep = counts.map(String).includes(keepFrames) ? Number(keepFrames) : model.defaults.num_frames;
    f.frames.replaceChildren(...counts.map((n) => el("option", { value: n, selected: n === keep })));
    labelFrames();
  }

  function labelFrames() {
    const rate = Number(f.rate.value) || 1;
    for (const option of f.frames.options) {
      const n = Number(option.value);
      option.textContent = `${(n / rate).toFixed(1)} s · ${n} frames`;
    }
    labelEnhance();
  }

  /** The interpolation and upscaling choices, each saying what clip it makes of the chosen one. */
  function labelEnhance() {
    enhance.label(Number(f.rate.value) || 1, checkedValue("size"));
  }

  function checkedValue(name) {
    const input = f.form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  /** Shows the image and video inputs only for a task that takes them; none while remixing (it keeps its source's). */
  function showInputs() {
    const needs = state.remixOf ? null : (TASKS[checkedValue("task")] || {}).needs;
    document.getElementById("f-image-field").hidden = needs !== "image";
    document.getElementById("f-video-field").hidden = needs !== "video";
    document.getElementById("f-strength-field").hidden = checkedValue("task") !== "v2v";
    pins.apply(state.model, checkedValue("task"), Number(f.frames.value));
    source.note();
  }

  // ---- seed -----------------------------------------------------------------------------------
  /** The seed to send: the locked one, else a new one (put in the box only once a video took it). */
  function seedForSubmit() {
    return f.lock.checked && f.seed.value.trim() ? f.seed.value.trim() : String(randomSeed());
  }

  // ---- submit ---------------------------------------------------------------------------------
  /** The create body from the form, as JSON text (the seed spliced in exactly: it may pass 2^53). */
  function body() {
    const task = checkedValue("task");
    const out = {
      model: f.model.value,
      prompt: f.prompt.value,
      task,
      size: checkedValue("size"),
      num_frames: Number(f.frames.value),
      fps: Number(f.rate.value),
    };
    if (f.negative.value.trim()) out.negative_prompt = f.negative.value;
    if (f.steps.value !== "") out.num_inference_steps = Number(f.steps.value);
    if (f.guidance.value !== "") out.guidance_scale = Number(f.guidance.value);
    if (!document.getElementById("f-guidance2-field").hidden && f.guidance2.value !== "") {
      out.guidance_scale_2 = Number(f.guidance2.value);
    }
    if (task === "v2v") out.source_strength = Number(f.strength.value);
    return pins.addFields(enhance.addFields(out));
  }

  function withSeed(fields, seed) {
    // A negative number goes as a number too, so the server's answer is its range, not "not an integer".
    if (/^-?\d+$/.test(seed)) return JSON.stringify({ ...fields, seed: "\u0000seed" }).replace('"\\u0000seed"', seed);
    return JSON.stringify({ ...fields, seed });
  }

  function asForm(fields, seed) {
    const form = new FormData();
    // Lists (keyframes, LoRAs) travel as JSON text fields.
    for (const [k, v] of Object.entries(fields)) form.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
    form.append("seed", seed);
    const needs = (TASKS[fields.task] || {}).needs;
    if (needs === "image" && f.image.files[0]) form.append("input_reference", f.image.files[0]);
    if (needs === "video" && f.video.files[0]) form.append("source_video", f.video.files[0]);
    pins.addFiles(form);
    return form;
  }

  /** What the page can tell before asking the server: weights missing, inputs the task needs. */
  function refuseEarly() {
    const model = state.model;
    if (!model) return showError(f.form, "model", "Pick a model.");
    // A remix runs its source's model: without its weights it would queue, then fail.
    if (!model.weights.present) return showError(f.form, "model", notHere(model));
    const task = TASKS[checkedValue("task")] || {};
    if (!state.remixOf && task.needs === "image" && !f.image.files[0]) return showError(f.form, "input_reference", `${task.label} needs a start image.`);
    if (!state.remixOf && task.needs === "image" && start.problem()) {
      const shown = showError(f.form, "input_reference", start.problem());
      start.note(); // its note said the same words just above the error
      return shown;
    }
    if (!state.remixOf && task.needs === "video" && !f.video.files[0]) return showError(f.form, "source_video", `${task.label} needs a source video.`);
    if (!state.remixOf && task.needs === "video" && source.problem()) {
      const shown = showError(f.form, "source_video", source.problem());
      source.note(); // its note said the same words just above the error
      return shown;
    }
    const long = f.counts.map((c, i) => [["prompt", "negative_prompt"][i], c.problem()]).find(([, said]) => said);
    if (long) return showError(f.form, ...long);
    const seed = f.lock.checked ? seedProblem(f.seed.value) : null;
    if (seed) return showError(f.form, "seed", seed);
    const pinned = state.remixOf ? null : pins.problem();
    return pinned ? showError(f.form, ...pinned) : null;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    let uploaded = null; // the multipart body sent, when files went with it
    clearErrors(f.form);
    if (unreadableNumber(f.form) || refuseEarly()) return;
    f.submit.disabled = true;
    f.submit.textContent = "Sending…";
    try {
      const seed = seedForSubmit();
      let video;
      if (state.remixOf) {
        video = await post(`v1/videos/${state.remixOf.id}/remix`, withSeed(remixBody(), seed));
      } else {
        const fields = body();
        const needs = (TASKS[fields.task] || {}).needs;
        uploaded = needs || pins.hasFiles() ? asForm(fields, seed) : null;
        video = await post("v1/videos", uploaded || withSeed(fields, seed));
      }
      // Unlocked, the box shows the seed the last video used; a refused create used none, and a seed
      // drawn for it stood in the box as if a video had it.
      f.seed.value = seed;
      ctx.queue.add(video, { follow: true });
      f.carried.hidden = true; // about the form as it was loaded, now sent
      // Named as its card names it: with no prompt (a model that reads no text) it read "Queued: ".
      announce(`Queued: ${videoTitle(video)}`);
      if (state.remixOf) endRemix();
    } catch (err) {
      if (state.remixOf && videoDeleted(err)) {
        // "video_id: No video 'video_…'" named a field the form has not; the settings are still good.
        const gone = state.remixOf;
        endRemix();
        ctx.queue.deleted(gone.id);
        ctx.gallery.forget(gone.id);
        showError(f.form, null, `${deletedText(gone)} It cannot be remixed; its settings stay in the form: press Generate to make a new video from them.`);
      } else if (err instanceof ApiError && err.code === "model_not_available" && state.model && state.model.weights.present) {
        // Its weights went after this page loaded: the picker and panel say so now, not "✓ Weights on this server".
        const gone = state.model;
        gone.weights = { ...gone.weights, present: false };
        refill();
        showError(f.form, "model", notHere(gone));
      } else if (err instanceof ApiError) {
        // An interpolation or upscaling method kept "as before" has no field of its own: its error goes under its step.
        const after = enhance.refused(err.param, err.message);
        if (after) {
          const text = inTaskWords(err.message).replace(/^target_fps\b/, "The target frame rate");
          showError(f.form, after.field, `${text}${/[.!?]$/.test(text) ? "" : "."}${after.note}`);
        } else if (!tooBig(f.form, err, uploaded)) { showError(f.form, err.param, inTaskWords(err.message)); pins.point(err.param); }
      } else showError(f.form, null, `Could not send: ${err.message}.`);
    } finally {
      f.submit.disabled = false;
      f.submit.textContent = state.remixOf ? "Remix" : "Generate";
    }
  }

  function remixBody() {
    const out = { prompt: f.prompt.value, negative_prompt: f.negative.value };
    if (f.steps.value !== "") out.num_inference_steps = Number(f.steps.value);
    if (f.guidance.value !== "") out.guidance_scale = Number(f.guidance.value);
    return out;
  }

  // ---- prefill: remix and "use these settings" -------------------------------------------------
  function prefill(original) {
    const p = original.parameters || {};
    f.carried.hidden = true;
    // The shape as generated (before any interpolation or upscaling), when the server says it.
    const video = { ...original, size: p.size || original.size, num_frames: p.num_frames || original.num_frames, fps: p.fps || original.fps };
    if (!ctx.models.some((m) => m.id === video.model)) return false;
    if (f.readyOnly.checked && ![...f.model.options].some((o) => o.value === video.model)) {
      f.readyOnly.checked = false;
      refill();
    }
    f.model.value = video.model;
    applyModel(true);
    if (p.task) {
      const input = f.form.querySelector(`input[name="task"][value="${p.task}"]`);
      if (input) input.checked = true;
    }
    const size = f.form.querySelector(`input[name="size"][value="${video.size}"]`);
    if (!size && video.size) {
      // A size from outside the presets (the CLI, another client) is still valid for this model.
      const row = document.getElementById("f-size").querySelector(".radio-row");
      row.append(radio("size", video.size, `${video.size.replace("x", "×")} (as before)`, true));
    } else if (size) size.checked = true;
    // A rate or length the presets lack goes in its place among them: appended, "0.8 s · 9 frames"
    // stood last, under "10.1 s · 121 frames".
    const inOrder = (select, value, option) =>
      select.insertBefore(option, [...select.options].find((o) => Number(o.value) > value) || null);
    if (video.fps && ![...f.rate.options].some((o) => Number(o.value) === video.fps)) {
      inOrder(f.rate, video.fps, el("option", { value: video.fps }, `${fps(video.fps)} fps (as before)`));
    }
    if (video.fps) f.rate.value = String(video.fps);
    if (video.num_frames && ![...f.frames.options].some((o) => Number(o.value) === video.num_frames)) {
      inOrder(f.frames, video.num_frames, el("option", { value: video.num_frames }));
    }
    if (video.num_frames) f.frames.value = String(video.num_frames);
    labelFrames();
    f.prompt.value = video.prompt;
    f.negative.value = p.negative_prompt || "";
    for (const count of f.counts) count.update();
    if (p.num_inference_steps != null) f.steps.value = p.num_inference_steps;
    if (p.guidance_scale != null) f.guidance.value = p.guidance_scale;
    if (p.guidance_scale_2 != null) f.guidance2.value = p.guidance_scale_2;
    if (p.source_strength != null) { f.strength.value = p.source_strength; f.strengthOut.textContent = Number(p.source_strength).toFixed(2); }
    if (video.seed != null) { f.seed.value = String(video.seed); f.lock.checked = true; }
    enhance.prefill(p, Number(f.rate.value) || 1, checkedValue("size"));
    state.again = pins.prefill(p);
    showInputs();
    sayNegative();
    return true;
  }

  function setRemixLock(on) {
    for (const node of [f.model, f.readyOnly, f.frames, f.rate, f.guidance2, f.image, f.video, f.strength,
      f.interpolate, f.upscale,
      ...f.form.querySelectorAll('input[name="size"], input[name="task"]')]) node.disabled = on;
    pins.lock(on);
    f.submit.textContent = on ? "Remix" : "Generate";
  }

  function startRemix(video) {
    endRemix();
    if (!prefill(video)) return;
    state.remixOf = video;
    setRemixLock(true);
    clearErrors(f.form); // what "Use these settings" asked to choose again is kept by a remix
    showInputs();
    sayNegative();
    f.banner.replaceChildren(
      el("p", {}, el("strong", {}, "Remixing "), `${quoted(videoTitle(video))} (${shortId(video.id)}). `,
        "Change the prompt, negative prompt, seed, steps or guidance; everything else, images and LoRAs included, stays as it was."),
      el("button", { type: "button", class: "ghost small", id: "remix-cancel", onclick: endRemix }, "Stop remixing"));
    f.banner.hidden = false;
    ctx.showView("create");
    f.prompt.focus();
    f.prompt.select();
  }

  function endRemix() {
    if (!state.remixOf) return;
    state.remixOf = null;
    setRemixLock(false);
    showInputs();
    sayNegative();
    f.banner.hidden = true;
  }

  function useSettings(video) {
    endRemix();
    if (!prefill(video)) return;
    ctx.showView("create");
    const p = video.parameters || {};
    sayNotCarried(f.carried, p, ctx.models.find((m) => m.id === video.model)?.options);
    const again = p.input_reference ? "start image" : p.source_video ? "source video" : null;
    // Images cannot be sent back to the page: each field that had one says to choose it again.
    for (const [param, message] of [...state.again].reverse()) showError(f.form, param, message);
    if (again) showError(f.form, p.input_reference ? "input_reference" : "source_video", `Choose the ${again} again: ${NOT_COPIED}`);
    else if (!state.again.length) f.prompt.focus();
    announce(`Settings of ${named(video)} loaded into the form.`);
  }

  // ---- wiring ---------------------------------------------------------------------------------
  f.form.addEventListener("submit", onSubmit);
  // A multi-line prompt takes Enter as a new line; Ctrl+Enter sends, as in ComfyUI and chat boxes.
  f.prompt.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && !f.submit.disabled) { ev.preventDefault(); f.form.requestSubmit(f.submit); }
  });
  f.model.addEventListener("change", () => { clearErrors(f.form); applyModel(false); });
  f.readyOnly.addEventListener("change", refill);
  // A new file or value takes the old one's error away (a good image chosen after a bad one).
  f.form.addEventListener("input", (ev) => clearFieldError(ev.target));
  f.form.addEventListener("change", (ev) => {
    clearFieldError(ev.target);
    if (ev.target.name === "task") { showInputs(); clearErrors(f.form); }
    if (ev.target.name === "size") { start.note(); pins.crops(); labelEnhance(); }
  });
  f.rate.addEventListener("change", labelFrames);
  f.guidance.addEventListener("input", sayNegative);
  f.frames.addEventListener("change", showInputs);
  f.strength.addEventListener("input", () => { f.strengthOut.textContent = Number(f.strength.value).toFixed(2); });
  // A seed the person typed or drew is the one they expect to be used: it locks (an empty field unlocks).
  f.seed.addEventListener("input", () => { f.lock.checked = f.seed.value.trim() !== ""; });
  f.dice.addEventListener("click", () => { f.seed.value = String(randomSeed()); f.lock.checked = true; });
  refill();

  return { show() {}, startRemix, useSettings, refill };
}
