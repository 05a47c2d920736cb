// The page's words for the API's: a running job's stage, a failed job's error code and the bounds a
// number field broke are said as a person reads them, never as the names the API and workers use.
import { named, seconds, shortId } from "./util.js";

/** A worker's stage names (core's progress.stage and ProgressEvent), as the cards say them. */
const STAGES = {
  // The worker's memory plan comes just before it loads the model, which it says nothing more of: a
  // first run stood at "Planning" for the whole load (23 s for reelgen-micro on a CPU, minutes for big ones).
  plan: "Loading the model",
  loras: "Loading LoRAs",
  free_noise: "Preparing a long clip",
  denoise: "Generating",
  decode: "Reading the source video",
  interpolate: "Smoothing motion",
  upscale: "Upscaling",
  lipsync: "Lip-syncing",
  ken_burns: "Moving the camera",
  export: "Writing the video",
  replay: "Reading the record",
  window: "Long clip, part",
  project: "Scenes",
  batch: "Items",
  shootout: "Trials",
};

/** A stage as the page names it; one this page does not know yet is named from its words, not its code. */
export function stageName(stage) {
  if (!stage) return "Working";
  const words = STAGES[stage] || stage.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * "Generating: step 3 of 20 · about 12 s left" from a progress event. A stage whose steps are all
 * done says the clip is being finished (decoded and written), not "about 0 s left" for a minute.
 */
export function progressText(data) {
  const name = stageName(data.stage);
  // A stage without steps (planning, loading) reports 0 of 0: it is named alone.
  if (!data.total) return name;
  const steps = `${name}: step ${data.step} of ${data.total}`;
  if (data.step >= data.total) return `${steps} · finishing…`;
  if (data.eta_s == null) return steps;
  // Under half a second rounds to "about 0 s left", which reads as done with a step still to go.
  return Math.round(data.eta_s) < 1 ? `${steps} · under a second left` : `${steps} · about ${seconds(data.eta_s)} left`;
}

/**
 * The server's factors ("upscales by x4, not x3", "(x2, x3, x4)") written as the page writes them, ×4:
 * the dialog listed "realesr-animevideov3 (×2, ×3, ×4)" above an error saying "(x2, x3, x4)". A name
 * with a factor in it (realesrgan-x4plus) stays as it is.
 */
export function factorWords(message) {
  return message.replace(/(^|[\s(,])x(\d+(?:\.\d+)?)(?!\w)/g, "$1×$2");
}

/** A finished card's line: how long its run took, where the server says. */
export function doneText(video) {
  const run = video.metrics && video.metrics.run_seconds;
  return run ? `Made in ${seconds(run)}` : "Done";
}

/**
 * Said of a video deleted from the server after this page showed it: the API's own answer,
 * "video_id: no video 'video_…'", names a parameter the person never typed.
 */
export function deletedText(video) {
  return `${named(video)} is no longer on the server: it was deleted (in another tab or by a script).`;
}

/** A parent job's `object` (GET /v1/videos' parent_object), as a child's origin names it. */
const PARENTS = { shootout: "trial of shoot-out", batch: "item of batch" };

/**
 * Where `video` came from, as its queue card and gallery item say it, or null for one made on its own.
 * A shoot-out's trials and a batch's items join the queue and gallery beside the person's own videos:
 * with nothing said, "a red fox · seed 0" stood there as if they had made it.
 */
export function originText(video) {
  if (video.remixed_from_video_id) return `remix of ${shortId(video.remixed_from_video_id)}`;
  if (video.enhanced_from_video_id) return `enhanced from ${shortId(video.enhanced_from_video_id)}`;
  const parent = PARENTS[video.parent_object];
  return parent && video.parent_id ? `${parent} ${shortId(video.parent_id)}` : null;
}

/** What a failed job's error code means, said beside its message when the message does not say it. */
const CODES = {
  out_of_memory: "out of memory",
  model_not_available: "model not downloaded",
  generation_failed: "the model made no usable video",
  write_failed: "could not write the file",
  worker_lost: "its worker stopped",
  cancelled: "cancelled",
  invalid_request: "its settings could not be used",
  invalid_value: "a value could not be used",
  unsupported_task: "the model cannot do this",
  children_failed: "parts of it failed",
  internal_error: "server error",
  output_unavailable: "its file is gone",
  not_viable: "cannot run on this server",
};

/**
 * A job's error codes whose words are about a create the server refused: a job that has one was
 * accepted, then failed on its settings, and its message already says which and why.
 */
const REFUSED = new Set(["invalid_request", "invalid_value"]);

/** How the create form names a row of a list field ("LoRA 1", "Keyframe 2"), by the field's API name. */
const ROWS = { loras: "LoRA", keyframes: "Keyframe" };

/**
 * A message's leading API path to a row ("loras[0].path: ...", "keyframes[1].frame: ...") as the
 * form names that row ("LoRA 1: ...", "Keyframe 2 frame: ..."); the file or LoRA chosen is the row
 * itself, so "path" and "name" add nothing. Any other message as it came.
 */
export function rowWords(message) {
  return message.replace(/^(\w+)\[(\d+)\](?:\.(\w+))?: /, (whole, field, index, part) => {
    const noun = ROWS[field];
    if (!noun) return whole;
    const row = `${noun} ${Number(index) + 1}`;
    return !part || ["path", "name", "image"].includes(part) ? `${row}: ` : `${row} ${part.replaceAll("_", " ")}: `;
  });
}

/**
 * A job's error as one line: its message, then what its code means where the message does not
 * already say it ("cancelled by request before it started", not "... (cancelled)").
 */
export function errorText(error) {
  if (!error) return "";
  const code = error.code || "";
  const said = CODES[code] || code.replaceAll("_", " ");
  const message = factorWords(rowWords(error.message || ""));
  if (message && REFUSED.has(code)) return message;
  if (!code || message.toLowerCase().includes(said) || message.toLowerCase().includes(code.replaceAll("_", " "))) {
    return message || said;
  }
  return message ? `${message} (${said})` : said.charAt(0).toUpperCase() + said.slice(1);
}

/**
 * Pydantic's bounds ("Input should be greater than or equal to 0") as a person reads them ("must be
 * 0 or more"), or the whole range where the server gave it ("0 is too small; it takes a whole number
 * from 1 to 1000" reads "must be a whole number from 1 to 1000"); its lengths too ("it has 250
 * characters, and at most 200 are taken; shorten it" reads "must be at most 200 characters long (it
 * has 250)"); any other message as it came.
 */
export function plainBounds(message) {
  return message
    .replace(/\bit has ([\d,]+) characters, and at most ([\d,]+) are taken; shorten it$/,
      "must be at most $2 characters long (it has $1)")
    .replace(/\bit has ([\d,]+) items, and at most ([\d,]+) are taken; shorten it$/,
      (_, got, n) => `must have at most ${n} ${n === "1" ? "entry" : "entries"}, not ${got}`)
    .replace(/\bString should have at most (\d+) characters?$/, "must be at most $1 characters long")
    .replace(/\bString should have at least (\d+) characters?$/,
      (_, n) => (n === "1" ? "must not be empty" : `must be at least ${n} characters long`))
    .replace(/\b(?:List|Tuple|Set|Dictionary) should have at (most|least) (\d+) items? after validation, not (\d+)$/,
      (_, side, n, got) => `must have at ${side} ${n} ${n === "1" ? "entry" : "entries"}, not ${got}`)
    .replace(/(?:\S+ is )?too (?:small|large); it takes (.+)$/, "must be $1")
    .replace(/\bInput should be greater than or equal to (\S+)$/, "must be $1 or more")
    .replace(/\bInput should be less than or equal to (\S+)$/, "must be $1 or less")
    .replace(/\bInput should be greater than (\S+)$/, "must be more than $1")
    .replace(/\bInput should be less than (\S+)$/, "must be less than $1");
}
