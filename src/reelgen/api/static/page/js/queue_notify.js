// The queue's opt-in browser notifications: the Notify me button, and a notification when a video
// ends while the page is hidden (split from queue.js, which had no room left under the line limit).
import { $, videoTitle } from "./util.js";

const NOTIFY = "reelgen-notify";

/** Wires the Notify me button, or has it say why this page can show none. */
export function setupNotify() {
  const button = $("notify");
  button.hidden = false;
  const note = $("notify-note");
  const cannot = notifyImpossible();
  if (cannot) {
    // Pressing it said "allow them in its site settings" of a plain-http page, where no setting allows them.
    button.addEventListener("click", () => { note.textContent = cannot; note.hidden = false; });
    return;
  }
  const sync = () => {
    const on = localStorage.getItem(NOTIFY) === "1" && Notification.permission === "granted";
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Notifications on" : "Notify me";
  };
  button.addEventListener("click", async () => {
    note.hidden = true;
    if (localStorage.getItem(NOTIFY) === "1" && Notification.permission === "granted") {
      localStorage.removeItem(NOTIFY);
    } else {
      const answer = await Notification.requestPermission();
      if (answer === "granted") localStorage.setItem(NOTIFY, "1");
      else {
        // Refused, or blocked before without a prompt: the button alone would not change at all.
        note.textContent = answer === "denied"
          ? "The browser blocks notifications for this page: allow them in its site settings, then press again."
          : "Notifications were not allowed: press again and choose Allow.";
        note.hidden = false;
      }
    }
    sync();
  });
  sync();
}

/** Why this page can show no notification at all, or null: the browser has none, or the page is no secure context. */
function notifyImpossible() {
  if (!window.isSecureContext) {
    return `Browsers show notifications only for pages on https:// or on this computer (localhost), not for ${location.origin}: ` +
      "open the page through HTTPS or an SSH tunnel to localhost to have them.";
  }
  return "Notification" in window ? null : "This browser shows no notifications for web pages; the queue here still says when each video is done.";
}

/** Tells of `video`, which has just ended, where notifications are on and the page is out of sight. */
export function notifyFinished(video) {
  if (localStorage.getItem(NOTIFY) !== "1" || !("Notification" in window) || Notification.permission !== "granted") return;
  if (!document.hidden) return;
  // "Video failed", "Video cancelled": the status is the word the card shows, in lower case.
  const title = video.status === "completed" ? "Video ready" : `Video ${video.status}`;
  const note = new Notification(title, { body: videoTitle(video), tag: video.id, icon: "favicon.svg" });
  note.addEventListener("click", () => { window.focus(); note.close(); });
}
