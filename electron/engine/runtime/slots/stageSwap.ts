/**
 * A scheduled swap prepared ahead of its turn. While other seats generate, the new model is loaded
 * (in the warm spare) and a context is opened and pre-filled with the seat's history so far; the
 * seat keeps its current model until the swap is committed (hotSwap.ts), which then evaluates only
 * the turns added since. The staged context counts against the budget like any other.
 */
import { randomUUID } from "node:crypto";
import type { BudgetAdmission } from "./budgetAdmission.js";
import type { PooledModel } from "./ModelPool.js";
import type { PerfModel } from "./perfModel.js";
import type { Slot } from "./Slot.js";
import type { ThreadBalancer } from "./threadBalancer.js";
import { fitHistory } from "./historyFit.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

export interface StageDeps {
  admission: BudgetAdmission;
  active: Map<string, PooledModel>;
  threads: ThreadBalancer;
  perf: PerfModel;
}

/** Stages `identity` for `slot`; false when it could not be done (the swap will then be cold). */
export async function stageSwap(deps: StageDeps, slot: Slot, identity: ModelIdentity, contextSize: number, exclude: ReadonlySet<string>): Promise<boolean> {
  const key = `${slot.key}~staged`;
  const l0 = performance.now();
  let model: PooledModel;
  let contextBytes: number;
  try {
    ({ model, contextBytes } = await deps.admission.admitFor(slot, key, identity, contextSize, exclude));
  } catch {
    return false;
  }
  const contextKey = `${key}#${randomUUID().slice(0, 8)}`;
  try {
    const opened = await model.proc.request({ op: "openContext", key: contextKey, contextSize });
    const loadMs = performance.now() - l0;
    slot.staged = { identity, model, contextKey, contextSize: opened.contextSize, contextEstimateBytes: contextBytes, turns: 0, loadMs, prefillMs: 0 };
    const target = { history: [...slot.history], contextSize: opened.contextSize, sampling: slot.sampling, fitAnchor: slot.fitAnchor };
    const fit = await fitHistory(target, model);
    const id = `stage-${contextKey}`;
    deps.active.set(id, model);
    await deps.threads.rebalance();
    try {
      const r = await model.proc.request({ op: "prefill", key: contextKey, turns: fit.turns });
      deps.perf.recordPrefill(identity, r.evaluatedTokens, r.ms);
      if (slot.staged?.contextKey === contextKey) {
        slot.staged.turns = target.history.length;
        slot.staged.prefillMs = r.ms;
      }
    } finally {
      deps.active.delete(id);
      void deps.threads.rebalance();
    }
    return slot.staged?.contextKey === contextKey;
  } catch {
    if (slot.staged?.contextKey === contextKey) slot.staged = null;
    await model.proc.request({ op: "closeContext", key: contextKey }).catch(() => undefined);
    await deps.admission.releaseFor(model, key);
    return false;
  }
}
