/**
 * This machine's measured speeds, per model file: how fast it loads (bytes per ms, which depends on
 * the disk and the page cache far more than on anything computable) and how fast it ingests a
 * prompt (tokens per second). Every swap and rotation is predicted from these as
 * unload + load + re-ingest, and its actual time is recorded beside the prediction.
 */
import type { ModelIdentity } from "../../../../shared/slots.js";

/** Until something is measured: a conservative 1.5 GB/s read, 20 ms to open a context, 30 ms to stop a process. */
const DEFAULT_BYTES_PER_MS = 1.5e6;
const DEFAULT_OPEN_MS = 20;
const DEFAULT_UNLOAD_MS = 30;
/** Prompt ingestion of a ~100M-parameter model on one CPU thread, scaled by size when unmeasured. */
const DEFAULT_PREFILL_TOKENS_PER_SEC_AT_100M = 800;

interface Rate {
  amount: number;
  ms: number;
  samples: number;
}

export interface SwapPrediction {
  /** unload + load + re-ingest of the tail not covered by a saved state. */
  ms: number;
  /** The same swap done cold: load + re-ingest of the whole history. */
  coldMs: number;
  loadMs: number;
  reingestMs: number;
  unloadMs: number;
  basis: string;
}

export interface SwapQuestion {
  from: ModelIdentity | null;
  to: ModelIdentity;
  /** Tokens of history the new context will hold. */
  historyTokens: number;
  /** Of those, tokens a saved KV state already covers. */
  savedTokens?: number;
  /** The new model is already loaded by another seat: only a context opens. */
  alreadyLoaded?: boolean;
}

export class PerfModel {
  private readonly loads = new Map<string, Rate>();
  private readonly prefills = new Map<string, Rate>();
  private unload: Rate = { amount: 0, ms: 0, samples: 0 };

  recordLoad(identity: ModelIdentity, ms: number): void {
    if (ms <= 0) return;
    add(this.loads, identity.fingerprint, identity.sizeBytes, ms);
  }

  recordPrefill(identity: ModelIdentity, evaluatedTokens: number, ms: number): void {
    // Tiny prefills are dominated by fixed costs and would understate the rate.
    if (evaluatedTokens < 16 || ms <= 0) return;
    add(this.prefills, identity.fingerprint, evaluatedTokens, ms);
  }

  recordUnload(ms: number): void {
    if (ms <= 0) return;
    this.unload = { amount: this.unload.amount + 1, ms: this.unload.ms + ms, samples: this.unload.samples + 1 };
  }

  /** Bytes per ms for this file: its own measurement, else the average over files, else the default. */
  loadBytesPerMs(identity: ModelIdentity): { rate: number; measured: "file" | "machine" | "default" } {
    const own = this.loads.get(identity.fingerprint);
    if (own) return { rate: own.amount / own.ms, measured: "file" };
    const all = total(this.loads);
    return all ? { rate: all.amount / all.ms, measured: "machine" } : { rate: DEFAULT_BYTES_PER_MS, measured: "default" };
  }

  /** Prompt tokens per ms for this file, likewise; unmeasured files scale the default by size. */
  prefillTokensPerMs(identity: ModelIdentity): { rate: number; measured: "file" | "machine" | "default" } {
    const own = this.prefills.get(identity.fingerprint);
    if (own) return { rate: own.amount / own.ms, measured: "file" };
    const params = Math.max(1e6, identity.parameterCount || identity.sizeBytes / 2);
    const scaled = (DEFAULT_PREFILL_TOKENS_PER_SEC_AT_100M * (1e8 / params)) / 1000;
    const all = total(this.prefills);
    return all ? { rate: all.amount / all.ms, measured: "machine" } : { rate: scaled, measured: "default" };
  }

  predict(q: SwapQuestion): SwapPrediction {
    const load = this.loadBytesPerMs(q.to);
    const prefill = this.prefillTokensPerMs(q.to);
    const unloadMs = q.from ? (this.unload.samples > 0 ? this.unload.ms / this.unload.samples : DEFAULT_UNLOAD_MS) : 0;
    const loadMs = DEFAULT_OPEN_MS + (q.alreadyLoaded ? 0 : q.to.sizeBytes / load.rate);
    const tail = Math.max(0, q.historyTokens - (q.savedTokens ?? 0));
    const reingestMs = tail / prefill.rate;
    const coldMs = unloadMs + DEFAULT_OPEN_MS + q.to.sizeBytes / load.rate + q.historyTokens / prefill.rate;
    const words = { file: "measured for this file", machine: "measured on this machine (other files)", default: "not measured yet: default" };
    return {
      ms: unloadMs + loadMs + reingestMs,
      coldMs,
      loadMs,
      reingestMs,
      unloadMs,
      basis: `load ${(load.rate / 1e3).toFixed(2)} GB/s (${words[load.measured]}), re-ingest ${Math.round(prefill.rate * 1000)} tok/s (${words[prefill.measured]}), ${tail} of ${q.historyTokens} history tokens to evaluate`,
    };
  }
}

function add(map: Map<string, Rate>, key: string, amount: number, ms: number): void {
  const r = map.get(key) ?? { amount: 0, ms: 0, samples: 0 };
  map.set(key, { amount: r.amount + amount, ms: r.ms + ms, samples: r.samples + 1 });
}

function total(map: Map<string, Rate>): Rate | null {
  if (map.size === 0) return null;
  let amount = 0;
  let ms = 0;
  let samples = 0;
  for (const r of map.values()) {
    amount += r.amount;
    ms += r.ms;
    samples += r.samples;
  }
  return ms > 0 ? { amount, ms, samples } : null;
}
