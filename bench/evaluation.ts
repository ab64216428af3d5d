/**
 * Evaluation benchmarks for `bench/results.json` (group `evaluation`):
 *  - `leaderboard100kMs`: aggregating 100,000 pairwise outcomes among 50 models, fitting Bradley–Terry
 *    and 200 bootstrap resamples (the Poisson bootstrap over the count matrix, see
 *    electron/engine/evaluation/stats/ratingIntervals.ts), in ms, median of 3;
 *  - `export10kRatio`: exporting a 10,000-message, 4-role session to OpenAI chat JSONL (with its
 *    provenance sidecar and validation report) divided by reading the same rows and writing them with
 *    `JSON.stringify`, each the median of 5 runs taken alternately so both see the same machine load
 *    (after one unmeasured warm-up round of each).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageDraft } from "../shared/conversation.js";
import type { PairWinner } from "../shared/arena.js";
import { mulberry32 } from "../shared/prng.js";
import { computeLeaderboard, type RankableOutcome } from "../electron/engine/evaluation/arena/leaderboard.js";
import { exportSession } from "../electron/engine/data/export/exportSession.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { draft as storeDraft } from "./store.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** 100,000 outcomes among 50 models of spread-out strength, 10% ties. */
function outcomes(count = 100_000, models = 50): RankableOutcome[] {
  const random = mulberry32(1);
  const strength = Array.from({ length: models }, () => random() * 3);
  const out: RankableOutcome[] = [];
  for (let n = 0; n < count; n++) {
    const a = Math.floor(random() * models);
    let b = Math.floor(random() * (models - 1));
    if (b >= a) b++;
    const p = 1 / (1 + Math.exp(strength[b]! - strength[a]!));
    const winner: PairWinner = random() < 0.1 ? "tie" : random() < p ? "a" : "b";
    out.push({ a: `fp:${a}`, aName: `model-${a}`, b: `fp:${b}`, bName: `model-${b}`, winner });
  }
  return out;
}

export async function benchLeaderboard100kMs(): Promise<{ ms: number; models: number; outcomes: number; resamples: number }> {
  const rows = outcomes();
  const times: number[] = [];
  let models = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const board = computeLeaderboard(rows, { resamples: 200, seed: r });
    times.push(performance.now() - t0);
    models = board.entries.length;
  }
  return { ms: median(times), models, outcomes: rows.length, resamples: 200 };
}

/** The store bench's message, with the provenance fields the exports carry (file name, runtime). */
function draft(sessionId: string, i: number): MessageDraft {
  const d = storeDraft(sessionId, i);
  return { ...d, provenance: d.provenance ? { ...d.provenance, fileName: "stories260K.gguf", runtime: "node-llama-cpp@3.21.1" } : null };
}

export async function benchExport10kRatio(messages = 10_000): Promise<{ ratio: number; ms: number; baselineMs: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-eval-"));
  try {
    const store = openStore(join(dir, "export.db"));
    const s = store.createSession({ title: "bench", task: "Decide.", protocolKind: "roundtable", experiment: {} });
    for (let i = 0; i < messages; i++) store.appendMessage(draft(s.id, i));
    const runs: number[] = [];
    const base: number[] = [];
    let bytes = 0;
    // One unmeasured round first, so neither side is timed while the JIT is still compiling it.
    for (let r = -1; r < 5; r++) {
      const out = join(dir, `out${r & 1}.jsonl`);
      const t0 = performance.now();
      const result = await exportSession(store, s.id, { format: "openai", out });
      const ms = performance.now() - t0;
      if (result.records !== messages || result.validation.valid !== messages) throw new Error(`exported ${result.records} of ${messages}`);
      bytes = result.bytes;

      const b0 = performance.now();
      const page = store.listMessages(s.id, { limit: messages });
      const text = page.messages.map((m) => JSON.stringify(m)).join("\n");
      writeFileSync(join(dir, `base${r & 1}.jsonl`), `${text}\n`);
      const baseMs = performance.now() - b0;
      if (r < 0) continue;
      runs.push(ms);
      base.push(baseMs);
    }
    store.close();
    const ms = median(runs);
    const baselineMs = median(base);
    return { ratio: ms / baselineMs, ms, baselineMs, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
