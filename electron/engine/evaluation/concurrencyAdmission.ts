/**
 * How many tasks of an evaluation may run at once on this machine: the experiment's
 * `execution.concurrency`, lowered to what the memory budget holds. Concurrent tasks are separate
 * sessions whose seats share each model file's process and weights (ref-counted) but each hold a
 * context of their own, and a running session's seats are pinned against the other sessions, so
 * rotation cannot make room between them: every task in flight must fit beside the others. The
 * files are counted once (weights and a process), every role's context once per task in flight, and
 * one more context per task for the baseline or judge seat an evaluation borrows.
 */
import { modelRoles, type Experiment } from "../../../shared/experiment.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";

/** The concurrency in effect, and why it is lower than asked when it is. */
export interface AdmittedConcurrency {
  concurrency: number;
  /** Null when the asked concurrency fits. */
  limitedBy: string | null;
}

export async function admittedConcurrency(registry: SlotRegistry, experiment: Experiment, asked: number): Promise<AdmittedConcurrency> {
  if (asked <= 1) return { concurrency: 1, limitedBy: null };
  const files = new Map<string, number>();
  let perTask = 0;
  let largestContext = 0;
  // A human seat takes no memory.
  for (const role of modelRoles(experiment)) {
    // A role served remotely still has its seat, parked; only a fallback to local would load it.
    if (role.backend && role.backend !== "local") continue;
    const estimate = await registry.estimate(role.model, role.contextSize ? { contextSize: role.contextSize } : {}).catch(() => null);
    if (!estimate) continue;
    const need = await registry.seatNeed(estimate.identity, role.contextSize);
    files.set(estimate.identity.path, need.weights + need.process);
    perTask += need.context;
    largestContext = Math.max(largestContext, need.context);
  }
  perTask += largestContext;
  if (perTask === 0) return { concurrency: asked, limitedBy: null };
  const usage = registry.usage();
  const shared = [...files.values()].reduce((a, b) => a + b, 0);
  const room = usage.budgetBytes - usage.reservedBytes - shared;
  const fits = Math.max(1, Math.floor(room / perTask));
  if (fits >= asked) return { concurrency: asked, limitedBy: null };
  return {
    concurrency: fits,
    limitedBy: `the memory budget holds ${fits} task${fits === 1 ? "" : "s"} at once (about ${Math.round(perTask / 1e6)} MB of contexts each beside ${Math.round(shared / 1e6)} MB of weights and processes)`,
  };
}
