// Saves a finished video from the page under a name a person knows it by, not the server's video_<id>.mp4.
import { request } from "./api.js";
import { el, shortId } from "./util.js";

/** The most characters of the prompt a file name keeps: enough words to know the clip by. */
const STEM_MOST = 48;
/** How long the file's blob URL is kept after the browser was handed it (revoked at once, a save can fail). */
const KEEP_MS = 60_000;

/**
 * "red-fox-trotting-through-fresh-snow-182d6c53.mp4": the prompt's first words, as many as fit, and the
 * video's short id, which tells two clips of one prompt apart. With no prompt, what its card calls it:
 * "talking-avatar-182d6c53.mp4" for an avatar voiced from a file, "image-to-video-182d6c53.mp4" for a
 * model that reads only a start image (svd), "enhanced-video-182d6c53.mp4" and "enhanced-upload-182d6c53.mp4"
 * for an enhancement of a video of this server or of an uploaded clip, "video-182d6c53.mp4" for any other.
 * Letters and digits of any script are kept; everything else (slashes, quotes, dots) joins words with "-".
 */
export function videoFileName(video) {
  const task = video.parameters && video.parameters.task;
  // Only an enhancement has no generation settings (util.videoTitle): its name says what it is, as its card does.
  const enhanced = video.parameters ? "" : video.enhanced_from_video_id ? "enhanced video" : "enhanced upload";
  const named = video.prompt || enhanced || { avatar: "talking avatar", i2v: "image to video" }[task] || "";
  const words = named.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  let stem = "";
  for (const word of words) {
    const longer = stem ? `${stem}-${word}` : word.slice(0, STEM_MOST);
    if (longer.length > STEM_MOST) break;
    stem = longer;
  }
  return `${stem || "video"}-${shortId(video.id)}.mp4`;
}

/**
 * Fetches `video`'s file and saves it as videoFileName(video). The server names its file video_<id>.mp4
 * (Content-Disposition), and a browser takes that name over a link's own for a server URL, so the file
 * is handed over as a blob. Throws the server's error (its file removed, the video deleted): nothing of
 * an error answer is saved as an .mp4. `button`, if given, says "Downloading…" until the file is in.
 */
export async function saveVideo(video, button = null) {
  if (button && button.getAttribute("aria-disabled") === "true") return; // a second press while it comes
  const label = button && button.textContent;
  if (button) { button.textContent = "Downloading…"; button.setAttribute("aria-disabled", "true"); }
  try {
    const url = URL.createObjectURL(await (await request(`v1/videos/${video.id}/content`)).blob());
    const link = el("a", { href: url, download: videoFileName(video) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), KEEP_MS);
  } finally {
    if (button) { button.textContent = label; button.removeAttribute("aria-disabled"); }
  }
}
