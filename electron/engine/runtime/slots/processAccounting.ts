/**
 * What the budget counts for the processes the engine runs, from given measurements, so the rule can
 * be checked without a process. On a busy machine the moments overlap longer (a spare that is still
 * starting when a recycled process replaces it, an unload that has not returned yet, an inspector
 * that has read a header), so every process is counted for as long as it lives, at the larger of
 * what it was expected to hold and what it was last measured at.
 */

/** The processes alive now, each as the budget knows it. */
export interface ProcessCounts {
  /** A process's baseline before any model (measured once on this machine). */
  processBaseline: number;
  /** Each loaded model's process baseline. */
  models: readonly number[];
  /** Whether the pool keeps a warm spare (counted even while it is not started yet). */
  warmSpare: boolean;
  /** The ready spare's baseline (a recycled process keeps a little more), null while none is ready. */
  spareBaseline: number | null;
  /** The estimate inspector's last measurement while it lives, else null (it is held back at a baseline anyway). */
  inspectorBytes: number | null;
  /** Processes on their way out (an unload or stop in flight, a superseded spare), each at what it last held. */
  leaving: readonly number[];
}

/** Bytes of process memory the budget counts (baselines, inspector and leaving processes; not the models' weights). */
export function countedProcessBytes(c: ProcessCounts): number {
  let total = Math.max(c.processBaseline, c.inspectorBytes ?? 0);
  for (const m of c.models) total += m;
  if (c.warmSpare) total += Math.max(c.processBaseline, c.spareBaseline ?? 0);
  for (const l of c.leaving) total += Math.max(c.processBaseline, l);
  return total;
}

/**
 * The weights a load of a file is admitted at: its estimate, or what the same file measured when it
 * was last loaded here when that is larger (a CPU backend that repacks weights holds more than the
 * file says, and a rotation loads the same files again and again).
 */
export function admittedWeights(estimatedBytes: number, lastMeasuredBytes: number | null): number {
  return Math.max(estimatedBytes, lastMeasuredBytes ?? 0);
}

/** Whether `needed` more bytes fit beside `inUse` under `budget`. */
export function fitsBudget(inUse: number, needed: number, budget: number): boolean {
  return inUse + needed <= budget;
}

/** One live process as the budget counts it, beside what it measures now (null: not measured). */
export interface CountedProcess {
  countedBytes: number;
  measuredBytes: number | null;
}

/**
 * What the processes hold beyond what the budget counts for them, measured just before an
 * admission: a model process touches its KV cache and compute buffers as it generates, after its
 * context was measured at opening, so the counts alone can fall behind while a turn runs. Each
 * process is held to the larger of its count and its measurement; the excess is added to the count.
 */
export function measuredExcess(processes: readonly CountedProcess[]): number {
  let excess = 0;
  for (const p of processes) excess += Math.max(0, (p.measuredBytes ?? 0) - p.countedBytes);
  return excess;
}

/**
 * What a model process holds for its file beyond its baseline and its contexts' counts, from a
 * measurement while it runs: the KV cache and compute buffers it touched while generating show up
 * here, after the load's own measurement. The pool keeps the largest such figure per file, so the
 * next load of the same file (a rotation loads the same files again and again) is admitted at it.
 */
export function grownWeights(measuredBytes: number, baselineBytes: number, contextsBytes: number): number {
  return Math.max(0, measuredBytes - baselineBytes - contextsBytes);
}
