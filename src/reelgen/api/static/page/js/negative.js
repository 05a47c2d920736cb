// Whether a model reads a negative prompt, one rule for the Create form and the gallery: the server's
// own (core/backends/base.py negative_unread; hunyuan/runner.py for the guidance-distilled models).

/** Why a model with `reads_prompt` false (GET /v1/models) ignores the text: SVD animates its image alone. */
export const NO_TEXT = "this model reads no text, it animates its start image alone";

/** Why a guidance-distilled model (HunyuanVideo, FramePack) reads no negative without real CFG. */
export const NEEDS_TRUE_CFG = "it counts only with options.true_cfg_scale above 1";

/**
 * Why a negative prompt goes unread, as a clause, or null when it is read. `readsPrompt` is the
 * model's `reads_prompt`; `guidance` the guidance_scale it runs at; `options` the options it runs
 * with (a model whose options have `true_cfg_scale` is guidance-distilled: its `guidance` is embedded
 * in it, and only real CFG, true_cfg_scale above 1, runs the pass a negative steers).
 */
export function negativeUnread({ readsPrompt = true, guidance = null, options = {} }) {
  if (readsPrompt === false) return NO_TEXT;
  const trueCfg = (options || {}).true_cfg_scale;
  if (trueCfg !== null && trueCfg !== undefined) return Number(trueCfg) > 1 ? null : NEEDS_TRUE_CFG;
  // diffusers runs no unconditional pass at guidance 1 or below.
  if (guidance !== null && guidance !== undefined && Number(guidance) <= 1) return `at guidance ${guidance} it counts only above 1`;
  return null;
}
