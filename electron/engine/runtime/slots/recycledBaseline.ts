/**
 * Whether a model process whose model was unloaded may be kept as the warm spare, and what the
 * budget then counts for it. Decided from two measurements the caller takes (the process's figure
 * in the engine's memory measure at start-up and after the unload), so the rule can be checked
 * without depending on what the OS returns.
 */

/**
 * How far above its start-up figure an unloaded process may stay and still be reused as the spare:
 * 25-45 MB of RSS measured on Linux x64 with the allocator settings of processLauncher.ts.
 */
export const RECYCLE_SLACK_BYTES = 64e6;

/**
 * The baseline to count for a reused process, or null when it kept too much memory and should end.
 * The count is never below the start-up figure: the measure may dip below it between samples (the OS
 * returns pages), and counting the dip would let the budget admit more than the process will use.
 */
export function recycledBaseline(startBytes: number, afterUnloadBytes: number, slackBytes = RECYCLE_SLACK_BYTES): number | null {
  if (!Number.isFinite(afterUnloadBytes) || afterUnloadBytes > startBytes + slackBytes) return null;
  return Math.max(startBytes, afterUnloadBytes);
}
