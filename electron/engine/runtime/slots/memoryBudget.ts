/**
 * The memory budget for loaded models and how its default is chosen.
 *
 * Default: 2/3 of total RAM on machines with up to 36 GiB and 3/4 above. On Apple silicon this
 * matches how much unified memory Metal lets the GPU wire by default (its recommended working set),
 * and it leaves the OS, the app and the browser room on a 16 GB laptop. On Linux/CPU the same
 * fractions keep the page cache and the rest of the system alive. Override with the
 * `CONCLAVE_MEMORY_BUDGET` environment variable (bytes, or a number with MB/GB/MiB/GiB) or the
 * settings panel.
 */
import os from "node:os";

export interface Budget {
  bytes: number;
  rule: string;
}

const GiB = 1024 ** 3;

/** Parses `8GiB`, `6 GB`, `512MB` or a plain byte count; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase();
  const mult: Record<string, number> = {
    b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: GiB, tb: 1e12, tib: 1024 ** 4,
  };
  return Math.round(n * (mult[unit] ?? 1));
}

/** The default budget for a machine with `totalBytes` of memory, with the rule in words. */
export function defaultBudget(totalBytes = os.totalmem(), env = process.env): Budget {
  const override = env.CONCLAVE_MEMORY_BUDGET ? parseSize(env.CONCLAVE_MEMORY_BUDGET) : null;
  if (override !== null) return { bytes: override, rule: `CONCLAVE_MEMORY_BUDGET=${env.CONCLAVE_MEMORY_BUDGET}` };
  const large = totalBytes > 36 * GiB;
  const fraction = large ? 3 / 4 : 2 / 3;
  return {
    bytes: Math.floor(totalBytes * fraction),
    // Plain words: the researcher reads this under the memory bar and in Settings.
    rule: `${large ? "3/4" : "2/3"} of this machine's ${formatBytes(totalBytes)} total memory, the default ${large ? "above" : "up to"} 36 GiB, leaving the rest to the system and other apps`,
  };
}

/** Human-readable size for messages: `1.4 GiB`, `312 MiB`. */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= GiB) return `${(bytes / GiB).toFixed(2)} GiB`;
  if (Math.abs(bytes) >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/** A load refused because it would not fit in the budget; the message names every number. */
export class BudgetExceededError extends Error {
  readonly code = "over-budget";
  constructor(
    readonly role: string,
    readonly modelName: string,
    readonly neededBytes: number,
    readonly inUseBytes: number,
    readonly budgetBytes: number,
    readonly evictable: string[],
  ) {
    super(
      `Not enough memory budget to load ${modelName} for '${role}': it needs about ${formatBytes(neededBytes)}, ` +
        `${formatBytes(inUseBytes)} of the ${formatBytes(budgetBytes)} budget is in use, so ${formatBytes(inUseBytes + neededBytes - budgetBytes)} more would be needed. ` +
        (evictable.length
          ? `Idle unpinned slots that could be evicted: ${evictable.join(", ")} (eviction policy is 'refuse').`
          : `No idle unpinned slot can be evicted to make room.`) +
        ` Unload a model, choose a smaller quantization or context, or raise the budget.`,
    );
    this.name = "BudgetExceededError";
  }
}
