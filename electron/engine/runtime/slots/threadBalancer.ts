/**
 * Splits the engine's threads between the model processes that are generating right now, so two
 * concurrent roles do not oversubscribe the cores (llama.cpp's barriers make that very slow).
 * Only changes cross the process boundary: most turns run alone and keep their thread count.
 */
import type { PooledModel } from "./ModelPool.js";
import { defaultThreads } from "../worker/threads.js";

export class ThreadBalancer {
  private readonly current = new WeakMap<PooledModel, number>();

  constructor(
    private readonly generating: ReadonlyMap<string, PooledModel>,
    private readonly total: () => number | null,
  ) {}

  async rebalance(): Promise<void> {
    const busy = new Set(this.generating.values());
    if (busy.size === 0) return;
    const cores = this.total() ?? defaultThreads([...busy][0]!.proc.cpuMathCores);
    const each = Math.max(1, Math.floor(cores / busy.size));
    const changed = [...busy].filter((m) => this.current.get(m) !== each);
    for (const m of changed) this.current.set(m, each);
    await Promise.all(changed.map((m) => m.proc.request({ op: "setThreads", threads: each }).catch(() => undefined)));
  }
}
