// Where a job's card goes in the queue list, and how many jobs wait on the server, from the cards the page holds.
import { json } from "./api.js";
import { facts, noteSystem } from "./server_facts.js";
import { ordinal } from "./util.js";

/** Workers the server last said run a job with no card here (a project's scene, a batch's item ...). */
let elsewhere = 0;

/**
 * While jobs wait and no card runs, asks GET /v1/system whether a worker is busy with a job of another
 * view: a project's render held the one worker while the head read "0 running, 3 waiting".
 */
export async function lookElsewhere(videos) {
  const ids = new Set(videos.map((v) => v.id));
  elsewhere = 0;
  if (!videos.some((v) => v.status === "queued") || videos.some((v) => v.status === "in_progress")) return;
  try {
    const system = await json("v1/system");
    noteSystem(system);
    elsewhere = (system.workers || []).filter((w) => w.alive && w.busy_job && !ids.has(w.busy_job)).length;
  } catch {
    // Not known this round: the plain count shows, and the next round asks again.
  }
}

/**
 * Puts `node`, the card of `video`, in `list`: newest first. Jobs found later by polling (past the
 * 20 newest loaded at start, or from another client) are often older than cards already shown: put
 * on top, the list read 100th, 99th, ... in line above the newest. Within one second (created_at is
 * whole seconds) the later in line, else the later found, is newer.
 */
export function placeCard(list, node, video) {
  const created = Number(video.created_at), position = video.queue_position;
  node.dataset.created = Number.isFinite(created) ? String(created) : "";
  node.dataset.line = Number.isInteger(position) ? String(position) : "";
  const older = (other) => {
    const theirs = Number(other.dataset.created);
    if (theirs !== created) return theirs < created;
    const line = Number.parseInt(other.dataset.line, 10);
    return !(Number.isInteger(position) && Number.isInteger(line) && line > position);
  };
  const after = Number.isFinite(created) ? [...list.children].find((other) => other !== node && older(other)) : list.firstElementChild;
  list.insertBefore(node, after || null);
}

/**
 * Jobs waiting on the server: at least the queued cards, and at least one more than the jobs ahead
 * of any of them (the page asks for 100 at a time, so 130 waiting read as "100 waiting" or so).
 */
export function waitingCount(videos) {
  let count = 0, behind = 0;
  for (const v of videos) {
    if (v.status !== "queued") continue;
    count += 1;
    if (Number.isInteger(v.queue_position)) behind = Math.max(behind, v.queue_position + 1);
  }
  return Math.max(count, behind);
}

/**
 * Jobs waiting with no card here, as one line, or "" when every one has a card: the page loads the 20
 * newest and the first 100 in line, so with more waiting the ones in between are in the count only.
 */
export function gapText(videos) {
  const waiting = waitingCount(videos);
  const queued = videos.filter((v) => v.status === "queued");
  const hidden = waiting - queued.length;
  if (hidden <= 0) return "";
  const shown = new Set(queued.map((v) => v.queue_position).filter(Number.isInteger));
  let first = 0, last = waiting - 1;
  while (first < last && shown.has(first)) first += 1;
  while (last > first && shown.has(last)) last -= 1;
  const where = first === last ? `${ordinal(first + 1)} in line` : `${ordinal(first + 1)} to ${ordinal(last + 1)} in line`;
  const jobs = hidden === 1 ? "1 more job waiting" : `${hidden} more jobs waiting`;
  return `${jobs} (${where}) ${hidden === 1 ? "has" : "have"} no card here: the queue shows the 20 newest jobs and the first 100 in line, and each gets its card as it moves into the first 100.`;
}

/** The queue's head: "1 running, 130 waiting", and under it the jobs waiting with no card, if any. */
export function showCounts(summary, gap, videos) {
  const queued = waitingCount(videos);
  // At a hand-off the next job's start can come before the last one's end: a one-worker server's
  // head read "2 running" for a moment. No more run than the server has workers.
  const started = videos.filter((v) => v.status === "in_progress").length;
  const running = facts.workers ? Math.min(started, facts.workers) : started;
  const busy = running || !queued ? 0 : elsewhere;
  const held = busy === 1 ? "the worker is" : `${busy} workers are`;
  summary.textContent = busy ? `${queued} waiting; ${held} busy with a job from Projects, Batches or Shoot-outs`
    : running || queued ? `${running} running, ${queued} waiting` : "";
  gap.textContent = gapText(videos);
  gap.hidden = !gap.textContent;
}
