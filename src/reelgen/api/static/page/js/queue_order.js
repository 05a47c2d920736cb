// Where a job's card goes in the queue list, and how many jobs wait on the server, from the cards the page holds.

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
