/**
 * Store and export benchmarks for `bench/results.json` (`appendP99Ms`, `export10kMs`,
 * `busBookkeeping600Ms`). Each figure
 * comes with a baseline measured in the same run on the same machine, so the runner can report a
 * ratio that does not depend on the disk or CPU the bench happens to run on.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageDraft } from "../shared/conversation.js";
import { exportSession } from "../electron/engine/data/export/exportSession.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { rawMessagesTable } from "../electron/engine/data/store/test/benchBaselines.js";
import { ConversationBus } from "../electron/engine/conversation/bus/ConversationBus.js";
import { roleView } from "../electron/engine/conversation/bus/perspective.js";
import { summaryFor } from "../electron/engine/conversation/bus/contextBudget.js";

export interface BenchFigure {
  /** The measured figure in ms. */
  ms: number;
  /** The same work done the plainest possible way, in ms. */
  baselineMs: number;
  /** What was measured, in words, for the report. */
  note: string;
}

const ROLES = ["analyzer", "critic", "chair", "skeptic"];

/** The i-th of a synthetic committee's messages, as the store and export benches append them. */
export function draft(sessionId: string, i: number): MessageDraft {
  return {
    sessionId,
    from: ROLES[i % ROLES.length] ?? "analyzer",
    to: "all",
    type: i % 5 === 0 ? "critique" : "analysis",
    content: `Message ${i}: ${"a plausible sentence of committee talk ".repeat(8)}`,
    referencesTo: i > 0 ? [`m${i - 1}`] : [],
    confidence: 0.7,
    provenance: {
      modelName: "stories260K",
      fingerprint: "fp1:0123456789abcdef",
      quantization: "F32",
      sampling: { temperature: 0.7, maxTokens: 128, seed: 42 },
      seed: 42,
    },
    usage: { promptTokens: 120, completionTokens: 40, ttftMs: 8.5, tokensPerSec: 410 },
    round: Math.floor(i / 8),
    id: `m${i}`,
  };
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * p99 of `appendMessage` over `count` appends to a fresh file database (validation, seq assignment,
 * commit). Baseline: p99 of a raw better-sqlite3 insert of the same row into a table of the same
 * shape, with the same pragmas, each its own commit.
 */
export async function benchAppendP99Ms(count = 5000): Promise<BenchFigure> {
  const ms = withTempDir((dir) => {
    const store = openStore(join(dir, "append.db"));
    const s = store.createSession({ title: "bench", task: "t", protocolKind: "roundtable", experiment: {} });
    for (let i = 0; i < 200; i++) store.appendMessage({ ...draft(s.id, i), id: `warm${i}` });
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const d = draft(s.id, i);
      const t0 = performance.now();
      store.appendMessage(d);
      times.push(performance.now() - t0);
    }
    store.close();
    return percentile(times, 0.99);
  });
  const baselineMs = withTempDir((dir) => {
    const raw = rawMessagesTable(join(dir, "raw.db"));
    const row = (i: number): (string | number | null)[] => {
      const d = draft("s", i);
      return [d.id ?? "", "s", i + 1, d.from, JSON.stringify(d.to), d.type, d.content, JSON.stringify(d.referencesTo),
        0.7, JSON.stringify(d.provenance), JSON.stringify(d.usage), Date.now(), d.round ?? null, "[]", null];
    };
    for (let i = 0; i < 200; i++) raw.insert(row(count + i));
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = row(i);
      const t0 = performance.now();
      raw.insert(r);
      times.push(performance.now() - t0);
    }
    raw.close();
    return percentile(times, 0.99);
  });
  return { ms, baselineMs, note: `p99 of ${count} appends (WAL, synchronous=NORMAL) vs raw insert of the same row` };
}

/**
 * Median of 3 exports of a 10,000-message, 4-role session to OpenAI chat JSONL (one example per role
 * turn, 32-message context). Baseline: reading the same rows and writing them with
 * `JSON.stringify` + one file write, i.e. a dump with no per-role view.
 */
export async function benchExport10kMs(messages = 10_000): Promise<BenchFigure & { bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-"));
  try {
    const store = openStore(join(dir, "export.db"));
    const s = store.createSession({ title: "bench", task: "Decide.", protocolKind: "roundtable", experiment: {} });
    for (let i = 0; i < messages; i++) store.appendMessage(draft(s.id, i));
    const runs: number[] = [];
    const base: number[] = [];
    let bytes = 0;
    for (let r = 0; r < 3; r++) {
      const out = join(dir, `out${r}.jsonl`);
      const t0 = performance.now();
      const result = await exportSession(store, s.id, { format: "openai", out });
      runs.push(performance.now() - t0);
      if (result.records !== messages) throw new Error(`exported ${result.records} of ${messages}`);

      const b0 = performance.now();
      const page = store.listMessages(s.id, { limit: messages });
      const text = page.messages.map((m) => JSON.stringify(m)).join("\n");
      writeFileSync(join(dir, `base${r}.jsonl`), `${text}\n`);
      base.push(performance.now() - b0);
      bytes = Buffer.byteLength(text);
    }
    store.close();
    return {
      ms: median(runs),
      baselineMs: median(base),
      bytes,
      note: `median of 3 OpenAI JSONL exports of ${messages} messages vs read + JSON.stringify + write of the same rows`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A 600-turn, 3-role conversation's bookkeeping on a file database: each turn builds the speaker's
 * view within a 400-token budget (one role summarizing, the others dropping the oldest) and sends a
 * message. Baseline: the same 600 messages sent with no views at all.
 */
export async function benchBusBookkeepingMs(turns = 600): Promise<BenchFigure> {
  const run = (withViews: boolean): number =>
    withTempDir((dir) => {
      const store = openStore(join(dir, "bus.db"));
      const session = store.createSession({ title: "long", task: "Keep talking.", protocolKind: "debate", experiment: {} });
      const bus = new ConversationBus(session.id, store);
      bus.send({ from: "user", to: "all", type: "question", content: "Keep talking." });
      const roles = ["a", "b", "c"];
      const t0 = performance.now();
      for (let i = 0; i < turns; i++) {
        const role = roles[i % 3] ?? "a";
        let refs: string[] = [];
        if (withViews) {
          if (role === "c") {
            const summary = summaryFor(bus.all(), "c", 400, 40);
            if (summary) bus.send(summary);
          }
          refs = [...roleView(bus.all(), role, { system: "sys", budgetTokens: 400 }).refs.values()].slice(-2);
        }
        bus.broadcast(role, i % 2 ? "critique" : "proposal", `turn ${i} by ${role}: ${"words ".repeat(5 + (i % 7))}`, { referencesTo: refs, round: Math.floor(i / 3) });
      }
      const ms = performance.now() - t0;
      store.close();
      return ms;
    });
  const ms = median([run(true), run(true), run(true)]);
  const baselineMs = median([run(false), run(false), run(false)]);
  return { ms, baselineMs, note: `median of 3 runs of ${turns} turns with per-turn views and summaries vs the same sends without views` };
}
