// The Enhance dialog: interpolate and upscale a finished video as a new job (POST /v1/videos/{id}/enhance),
// offering what that endpoint takes; its errors land under the field they name, and the job joins the queue.
import { ApiError, post, videoDeleted } from "./api.js";
import { scaledText } from "./create_enhance.js";
import { clearErrors, clearFieldError, showError } from "./fields.js";
import { formError, labelled, showApiError } from "./viewkit.js";
import { announce, el, fps, quoted, shortId, videoTitle } from "./util.js";
import { deletedText, factorWords } from "./words.js";

// The method names the endpoint takes over HTTP (api/enhance_fields.py; a test keeps them equal).
export const INTERPOLATORS = ["auto", "rife", "flow"];
export const UPSCALERS = ["auto", "esrgan", "lanczos", "realesr-animevideov3", "realesrgan-x4plus", "realesrgan-x4plus-anime"];
// The endpoint's limits (GenerationRequest's fields; the same test keeps them equal): interpolate is a
// whole factor, target_fps above 0, upscale above 1.
export const LIMITS = { interpolate: [2, 16], target_fps: 1000, upscale: 8 };
const [LEAST, MOST] = LIMITS.interpolate;
const FACTORS = Array.from({ length: MOST - LEAST + 1 }, (_, i) => i + LEAST);
const MAX_UPSCALE = LIMITS.upscale;
const RATE = "rate"; // the interpolation choice that reveals the target frame rate field
const METHOD = {
  auto: "Best this server has",
  rife: "RIFE (needs reelgen pull rife)",
  flow: "Optical flow (no weights)",
  esrgan: "Real-ESRGAN (needs reelgen pull realesrgan)",
  lanczos: "Lanczos (no weights, any factor)",
  "realesr-animevideov3": "realesr-animevideov3 (×2, ×3, ×4)",
  "realesrgan-x4plus": "realesrgan-x4plus (×4 only)",
  "realesrgan-x4plus-anime": "realesrgan-x4plus-anime (×4 only)",
};

/**
 * The rates a clip at `rate` fps may be interpolated to: above its own (interpolation only adds frames),
 * at most MOST times it and at most the endpoint's cap. "above 0" said of a 24 fps clip invited a 20
 * the server then refused.
 */
function rateRange(rate) {
  if (!(rate > 0)) return `above the clip's rate, at most ${MOST} times it and up to ${LIMITS.target_fps}`;
  return `above ${fps(rate)} (the clip's rate) and up to ${fps(Math.min(rate * MOST, LIMITS.target_fps))}`;
}

/** An example of a rate the clip at `rate` fps may be taken to: 60 where it can, else twice its rate. */
function rateExample(rate) {
  if (!(rate > 0) || (rate < 60 && 60 <= rate * MOST)) return "60";
  return fps(Math.min(rate * 2, LIMITS.target_fps));
}

function rateHint(rate) {
  return `Frames per second, ${rateRange(rate)}: e.g. ${rateExample(rate)}; 59.94 is read as 60000/1001, which may be typed too.`;
}

export function mountEnhance(ctx) {
  let source = null;
  const motion = el("select", { name: "interpolate" });
  const rate = el("input", { type: "text", name: "target_fps", inputmode: "decimal", autocomplete: "off", placeholder: "60" });
  const interpolator = el("select", { name: "interpolator" }, INTERPOLATORS.map((n) => el("option", { value: n }, METHOD[n])));
  const scale = el("input", { type: "text", name: "upscale", inputmode: "decimal", autocomplete: "off", placeholder: "Off" });
  const upscaler = el("select", { name: "upscaler" }, UPSCALERS.map((n) => el("option", { value: n }, METHOD[n])));
  const sizeNote = el("p", { class: "hint", id: "enh-size-note", "aria-live": "polite" });
  const about = el("p", { class: "hint", id: "enh-about" });
  const submit = el("button", { type: "submit", class: "primary", id: "enh-submit" }, "Enhance");
  const cancel = el("button", { type: "button", id: "enh-cancel", onclick: () => dialog.close() }, "Cancel");
  const form = el("form", { id: "enhance-form", novalidate: true, autocomplete: "off" },
    el("h2", { id: "enh-title" }, "Enhance"),
    about,
    labelled({ prefix: "enh", param: "interpolate", label: "Smoother motion", control: motion }),
    labelled({ prefix: "enh", param: "target_fps", label: "Target frame rate", control: rate, hint: rateHint(0) }),
    labelled({ prefix: "enh", param: "interpolator", label: "Interpolation method", control: interpolator }),
    // Named and written as the Create form and the gallery say it ("Sharper, larger", "×2: 512×512"):
    // here it read "Sharper, larger (upscale by)" and "About 512×512".
    labelled({ prefix: "enh", param: "upscale", label: "Sharper, larger", control: scale,
      hint: `The factor (×), above 1 and up to ${MAX_UPSCALE}: 2 makes it ×2. Leave empty for Off. Real-ESRGAN takes whole factors.`,
      extra: sizeNote }),
    labelled({ prefix: "enh", param: "upscaler", label: "Upscaling method", control: upscaler }),
    el("p", { class: "hint" }, "Methods that need weights work once they are pulled where the server runs."),
    formError(),
    el("div", { class: "row" }, submit, cancel));
  const dialog = el("dialog", { id: "enhance-dialog", "aria-labelledby": "enh-title" }, form);
  const rateHintNode = form.querySelector("#enh-target_fps-hint");
  document.body.append(dialog);
  const fieldOf = (control) => control.closest(".field");

  /** Shows only the controls the choices so far make sense for, and what size the clip will be. */
  function sync() {
    fieldOf(rate).hidden = motion.value !== RATE;
    interpolator.disabled = motion.value === "";
    const factor = Number(scale.value);
    const [w, h] = source.size.split("x").map(Number);
    upscaler.disabled = scale.value.trim() === "";
    sizeNote.textContent = scale.value.trim() && factor > 1 && factor <= MAX_UPSCALE
      ? `${scaledText(factor, w, h)} (from ${w}×${h}).` : "";
  }

  function open(video) {
    source = video;
    clearErrors(form);
    const rateNow = video.fps || 0;
    motion.replaceChildren(el("option", { value: "" }, `Off (${fps(rateNow)} fps)`),
      ...FACTORS.map((k) => el("option", { value: k }, `×${k} frames: ${fps(rateNow * k)} fps`)),
      el("option", { value: RATE }, "To a frame rate…"));
    rate.value = "";
    rateHintNode.textContent = rateHint(rateNow);
    rate.placeholder = rateExample(rateNow);
    interpolator.value = "auto";
    scale.value = "";
    upscaler.value = "auto";
    about.textContent = `${quoted(videoTitle(video))} (${shortId(video.id)}): ${video.size.replace("x", "×")}, ` +
      `${video.num_frames} frames at ${fps(rateNow)} fps. The enhanced clip is a new video; this one stays as it is.`;
    sync();
    submit.disabled = false;
    dialog.showModal();
    motion.focus();
  }

  /** The request body; null (with the field's error shown) when a value is not a number at all. */
  function body() {
    const out = {};
    if (motion.value === RATE && !rate.value.trim()) {
      // The server's answer to an empty rate quoted it: "'' is not a frame rate".
      showError(form, "target_fps", `Type the frame rate to reach, ${rateRange(source.fps || 0)} (e.g. ${rateExample(source.fps || 0)}).`);
      return null;
    }
    // Over the endpoint's cap the server names only the cap ("above 0 and at most 1000"), which the
    // hint's range for this clip contradicts: that range is said instead. Other rates go as typed.
    if (motion.value === RATE && Number(rate.value.trim()) > LIMITS.target_fps) {
      const rateNow = source.fps || 0;
      showError(form, "target_fps", `Target frame rate ${rate.value.trim()} is too high: give a rate ${rateRange(rateNow)} (e.g. ${rateExample(rateNow)}).`);
      return null;
    }
    if (motion.value === RATE) out.target_fps = rate.value.trim(); // text: the server reads 59.94 as 60000/1001
    else if (motion.value) out.interpolate = Number(motion.value);
    if (motion.value && interpolator.value !== "auto") out.interpolator = interpolator.value;
    const text = scale.value.trim();
    if (text) {
      if (!/^\d*\.?\d+$/.test(text)) {
        showError(form, "upscale", `${quoted(text)} is not a factor; give a number above 1, up to ${MAX_UPSCALE} (e.g. 2).`);
        return null;
      }
      out.upscale = Number(text);
      if (upscaler.value !== "auto") out.upscaler = upscaler.value;
    }
    if (!Object.keys(out).length) {
      // Said in the dialog's words: the server's answer names its fields (interpolate, target_fps, upscale).
      showError(form, null, "Nothing to do: choose Smoother motion, or a factor in Sharper, larger.");
      return null;
    }
    return out;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    clearErrors(form);
    const fields = body();
    if (!fields) return;
    submit.disabled = true;
    submit.textContent = "Sending…";
    try {
      const video = await post(`v1/videos/${source.id}/enhance`, fields);
      ctx.queue.add(video, { follow: true });
      announce(`Queued: enhancing ${quoted(videoTitle(source))}`);
      dialog.close();
    } catch (err) {
      if (videoDeleted(err)) {
        showError(form, null, `${deletedText(source)} There is nothing left to enhance.`);
        ctx.queue.deleted(source.id);
        ctx.gallery.forget(source.id);
        return;
      }
      // Missing RIFE weights are named "weights": the interpolation method is the field to change.
      if (err instanceof ApiError) err.message = factorWords(err.message);
      showApiError(form, err, (param) => (param === "weights" ? "interpolator" : param));
    } finally {
      submit.disabled = false;
      submit.textContent = "Enhance";
    }
  }

  form.addEventListener("submit", onSubmit);
  form.addEventListener("input", (ev) => { clearFieldError(ev.target); sync(); });
  form.addEventListener("change", (ev) => { clearFieldError(ev.target); sync(); });
  return { open };
}
