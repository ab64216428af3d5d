import os from "node:os";
import type { ModelPool } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { Budget } from "./memoryBudget.js";
import { measureProcess, platformMeasure, type MeasuredMemory } from "../worker/processMemory.js";
import type { MemoryReport } from "../../../../shared/slots.js";

/**
 * Estimates beside live measurements, every one in the platform's measure (processMemory.ts): each
 * process reports its figure (the whole process, so shared weights are counted once) next to the
 * one it had before loading anything, and its mapped-file pages apart. The warm spare and the
 * estimate inspector are listed too, because they cost memory the budget counts.
 */
export async function buildMemoryReport(pool: ModelPool, slots: ReadonlyMap<string, Slot>, budget: Budget, inUseBytes: number): Promise<MemoryReport> {
  const procs = await pool.processes();
  const measures = new Set<MeasuredMemory["measure"]>();
  const processes = await Promise.all(
    procs.map(async ({ model, proc, label }) => {
      const stats = await proc.request({ op: "stats" }).catch(() => null);
      if (stats) measures.add(stats.memory.measure);
      const seats = model ? [...model.seats].map((k) => slots.get(k)).filter((s): s is Slot => s !== undefined) : [];
      const contexts = seats.reduce((sum, s) => sum + s.contextEstimateBytes, 0);
      return {
        pid: proc.pid,
        modelPath: label,
        roles: seats.map((s) => s.role),
        estimateBytes: proc.baselineBytes + (model ? model.estimatedWeightsBytes + contexts : 0),
        measuredBytes: stats?.memory.measuredBytes ?? 0,
        fileBytes: stats?.memory.fileBytes ?? 0,
        baselineBytes: proc.baselineBytes,
      };
    }),
  );
  const main = await measureProcess().catch(() => null);
  if (main) measures.add(main.measure);
  return {
    totalRamBytes: os.totalmem(),
    budgetBytes: budget.bytes,
    // One measure for the whole report; a process that had to fall back names the fallback.
    measure: measures.size === 1 ? [...measures][0]! : measures.has("rss") ? "rss" : platformMeasure(),
    budgetRule: budget.rule,
    inUseBytes,
    baselineBytes: pool.baselineBytes(),
    estimatedTotalBytes: inUseBytes,
    measuredTotalBytes: processes.reduce((s, p) => s + p.measuredBytes, 0),
    fileTotalBytes: processes.reduce((s, p) => s + p.fileBytes, 0),
    mainMeasuredBytes: main?.measuredBytes ?? process.memoryUsage.rss(),
    processes,
  };
}
