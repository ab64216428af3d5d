import os from "node:os";
import type { ModelPool } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { Budget } from "./memoryBudget.js";
import type { MemoryReport } from "../../../shared/slots.js";

/**
 * Estimates beside live measurements: each model process reports its RSS (the whole process,
 * so shared weights are counted once) next to the RSS it had before loading anything.
 */
export async function buildMemoryReport(pool: ModelPool, slots: ReadonlyMap<string, Slot>, budget: Budget, estimatedTotalBytes: number): Promise<MemoryReport> {
  const procs = await pool.processes();
  const processes = await Promise.all(
    procs.map(async ({ model, proc }) => {
      const stats = await proc.request({ op: "stats" }).catch(() => null);
      const roles = model ? [...model.roles] : [];
      const contexts = roles.reduce((sum, r) => sum + (slots.get(r)?.contextEstimateBytes ?? 0), 0);
      return {
        pid: proc.pid,
        modelPath: model?.path ?? "(warm spare)",
        roles,
        estimateBytes: model ? model.estimatedWeightsBytes + contexts : 0,
        rssBytes: stats?.rssBytes ?? 0,
        baselineRssBytes: proc.baselineRssBytes,
      };
    }),
  );
  return {
    totalRamBytes: os.totalmem(),
    budgetBytes: budget.bytes,
    budgetRule: budget.rule,
    estimatedTotalBytes,
    measuredTotalBytes: processes.reduce((s, p) => s + p.rssBytes, 0),
    mainRssBytes: process.memoryUsage.rss(),
    processes,
  };
}
