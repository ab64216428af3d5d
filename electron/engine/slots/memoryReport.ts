import os from "node:os";
import type { ModelPool } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { Budget } from "./memoryBudget.js";
import type { MemoryReport } from "../../../shared/slots.js";

/**
 * Estimates beside live measurements: each process reports its RSS (the whole process, so shared
 * weights are counted once) next to the RSS it had before loading anything. The warm spare and
 * the estimate inspector are listed too, because they cost memory the budget counts.
 */
export async function buildMemoryReport(pool: ModelPool, slots: ReadonlyMap<string, Slot>, budget: Budget, inUseBytes: number): Promise<MemoryReport> {
  const procs = await pool.processes();
  const processes = await Promise.all(
    procs.map(async ({ model, proc, label }) => {
      const stats = await proc.request({ op: "stats" }).catch(() => null);
      const seats = model ? [...model.seats].map((k) => slots.get(k)).filter((s): s is Slot => s !== undefined) : [];
      const contexts = seats.reduce((sum, s) => sum + s.contextEstimateBytes, 0);
      return {
        pid: proc.pid,
        modelPath: label,
        roles: seats.map((s) => s.role),
        estimateBytes: proc.baselineRssBytes + (model ? model.estimatedWeightsBytes + contexts : 0),
        rssBytes: stats?.rssBytes ?? 0,
        baselineRssBytes: proc.baselineRssBytes,
      };
    }),
  );
  return {
    totalRamBytes: os.totalmem(),
    budgetBytes: budget.bytes,
    budgetRule: budget.rule,
    inUseBytes,
    baselineBytes: pool.baselineBytes(),
    estimatedTotalBytes: inUseBytes,
    measuredTotalBytes: processes.reduce((s, p) => s + p.rssBytes, 0),
    mainRssBytes: process.memoryUsage.rss(),
    processes,
  };
}
