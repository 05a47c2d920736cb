// The Create form's source video (restyle a video, continue a clip): its preview, and what the page
// can tell before sending. A PNG picked here left a dead player at 0:00 until Generate; a restyle of a
// clip shorter than the Duration asked for was refused by the server in words about "1 frame or fewer".
import { TASKS } from "./models.js";
import { el, fps } from "./util.js";

/** The containers POST /v1/videos takes as a source_video (api/video_probe.py), by name and by suffix. */
const KINDS = "MP4, MOV, WebM or MKV";
const SUFFIXES = [".mp4", ".m4v", ".mov", ".webm", ".mkv"];

/** Whether `file` may be a video: a type the browser says is one, else a video suffix. */
function videoFile(file) {
  if (file.type) return file.type.startsWith("video/");
  return SUFFIXES.some((s) => file.name.toLowerCase().endsWith(s));
}

/** "1.12 s", as the server's words about a clip's length say it. */
const secs = (value) => `${value.toFixed(2)} s`;

/**
 * Wires `f.video` to its preview and note; `task()` is the task chosen. Returns `problem()`: why the
 * chosen file cannot be sent for that task and Duration, or null (the server decides what the page cannot
 * tell, such as a clip this browser cannot play).
 */
export function mountSourceVideo(f, { task }) {
  const state = { notVideo: null, seconds: null }; // notVideo: the name of a file that is no video
  const noteEl = () => document.getElementById("f-video-note");

  function say(text, warn) {
    const out = noteEl();
    // The form's error under the field says it already (Generate was pressed): once is enough.
    const told = document.getElementById("err-source_video");
    if (text && told && !told.hidden && told.textContent === text) text = null;
    out.textContent = text || "";
    out.classList.toggle("warn", Boolean(warn));
    out.hidden = !text;
  }

  function changed() {
    const file = f.video.files[0];
    if (f.videoPreview.src) URL.revokeObjectURL(f.videoPreview.src);
    f.videoPreview.removeAttribute("src");
    Object.assign(state, { notVideo: file && !videoFile(file) ? file.name : null, seconds: null });
    f.videoPreview.hidden = !file || Boolean(state.notVideo);
    say(bad(), true);
    if (file && !state.notVideo) f.videoPreview.src = URL.createObjectURL(file);
  }

  /** Why the file is no source, in the words of the task chosen now (restyle, continue a clip). */
  function bad() {
    if (!state.notVideo) return null;
    return `${state.notVideo} is not a video: ${(TASKS[task()] || TASKS.v2v).label} needs a video file (${KINDS}).`;
  }

  f.videoPreview.addEventListener("loadedmetadata", () => {
    state.seconds = Number.isFinite(f.videoPreview.duration) ? f.videoPreview.duration : null;
    say(short(), true);
  });
  // A clip this browser cannot play (an MKV of a codec it lacks) may still be one the server reads:
  // the player goes, and the server has the last word when Generate is pressed.
  f.videoPreview.addEventListener("error", () => {
    const file = f.video.files[0];
    if (!file || !f.videoPreview.getAttribute("src")) return;
    f.videoPreview.hidden = true;
    say(`This browser cannot play ${file.name}, so it shows no preview; the server reads it when you press Generate.`);
  });

  /**
   * Why a restyle of this clip cannot be made at the chosen Duration: the output's last frame must fall
   * inside the clip (core's check_long_enough); a clip at least that long is left to the server.
   */
  function short() {
    const file = f.video.files[0];
    const rate = Number(f.rate.value), frames = Number(f.frames.value);
    if (task() !== "v2v" || !file || state.seconds === null || !(rate > 0) || !frames) return null;
    // Within a millisecond the server decides: the page never refuses a clip it would take.
    const fits = (n) => (n - 1) / rate < state.seconds + 1e-3;
    if (fits(frames)) return null;
    const counts = [...f.frames.options].map((o) => Number(o.value)).sort((a, b) => a - b);
    const longest = counts.filter(fits).pop();
    const label = (n) => `${(n / rate).toFixed(1)} s · ${n} frames`; // as the Duration list names it
    const what = `${file.name} lasts ${secs(state.seconds)}; a Duration of ${label(frames)} needs a clip longer than ${secs((frames - 1) / rate)}.`;
    if (longest) return `${what} Choose a Duration of ${label(longest)} or less, or a longer video.`;
    const faster = Math.max(...[...f.rate.options].map((o) => Number(o.value))) > rate;
    const least = counts[0];
    const floor = least === frames ? "" : ` The shortest, ${label(least)}, needs more than ${secs((least - 1) / rate)}.`;
    return `${what}${floor} Choose a longer video${faster ? ", or a higher Frame rate" : ""}.`;
  }

  const note = () => say(bad() || short(), true);
  f.video.addEventListener("change", changed);
  // The Duration and Frame rate change what the clip must hold: the note follows them.
  for (const control of [f.frames, f.rate]) control.addEventListener("change", note);
  return {
    problem: () => (f.video.files[0] ? bad() || short() : null),
    /** Redraws the note: for a new task (a short clip is fine to continue), or once the error says it. */
    note,
  };
}
