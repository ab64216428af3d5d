/**
 * Residency benchmarks: what prefetching and rotation cost a committee, each as a ratio against a
 * baseline measured in the same run on the same files (the 100M-class generated models).
 *
 * - visibleSwapGapRatio: a scheduled swap that was staged while another seat generated — the swapped
 *   seat's wait for its first token once its turn comes — ÷ the same swap done cold at that moment.
 * - rotationOverheadRatio: the wall time of a four-model roundtable under a budget that holds only two
 *   of the models ÷ the same committee (same seeds, same settings) with all four resident. Both
 *   include seating: four loads before the first turn for the resident run, two for the rotating
 *   one. The turns alone (first model message to last) are reported beside it.
 */
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { SessionRunner } from "../electron/engine/conversation/session/SessionRunner.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { generatedModel } from "../models/generatedModels.js";
import { PRESETS } from "../models/gguf/presets.js";
import type { ChatTurn } from "../shared/slots.js";
import type { Experiment } from "../shared/experiment.js";

/**
 * Sixteen turns are ~1,000 tokens in these models' template: well inside the 2,048-token context. A
 * history at the context's edge would measure something else — every turn of a full context slides
 * its drop-oldest window, so the kept prefix changes and the whole window is evaluated again.
 */
const HISTORY_TURNS = 16;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seat = (role: string) => ({ sessionId: null, role });

function history(turns: number): ChatTurn[] {
  const out: ChatTurn[] = [{ role: "system", content: "You are the critic of a story committee." }];
  for (let i = 0; i < turns; i++) {
    out.push(
      i % 2
        ? { role: "assistant", content: `In turn ${i} I said the story needs a clearer ending and a braver hero.` }
        : { role: "user", name: "writer", content: `Turn ${i}: the little fox walked to the river and met a kind old turtle.` },
    );
  }
  return out;
}

export interface ResidencyBenchResult {
  visibleSwapGapRatio: number;
  prefetchedWaitMs: number;
  coldWaitMs: number;
  rotationOverheadRatio: number;
  rotationMs: number;
  residentMs: number;
  rotationTokens: number;
  residentTokens: number;
  rotations: number;
  /** From the first model message to the last: the conversation without the seating before it. */
  rotationTurnsMs: number;
  residentTurnsMs: number;
}

/** The swapped seat's wait for its first token: from its turn being asked for to the token. */
async function firstTokenWait(reg: SlotRegistry, role: string, swapTo: string, tail: ChatTurn): Promise<number> {
  const askedAt = performance.now();
  const swap = await reg.hotSwap(seat(role), swapTo, {}, "scheduled");
  if (swap.outcome !== "ok") throw new Error(swap.error ?? "swap failed");
  let first = 0;
  await reg.generate(seat(role), {
    append: [tail],
    askedAt,
    sampling: { maxTokens: 4, seed: 1 },
    onToken: () => (first ||= performance.now()),
  });
  return first - askedAt;
}

async function swapGap(tmp: string, a: string, b: string, log: (l: string) => void): Promise<Pick<ResidencyBenchResult, "visibleSwapGapRatio" | "prefetchedWaitMs" | "coldWaitMs">> {
  const reg = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 2048, stateRoot: path.join(tmp, "state") });
  const tail: ChatTurn = { role: "user", name: "writer", content: "Turn 41: and then the turtle told the fox a secret about the moon." };
  const cold: number[] = [];
  const warm: number[] = [];
  try {
    await reg.load(seat("speaker"), a, { sampling: { maxTokens: 64, seed: 3 } });
    for (let i = 0; i < 3; i++) {
      log(`swap gap, repetition ${i + 1} of 3…`);
      // Cold: the swap happens when the seat's turn comes.
      await reg.load(seat(`cold${i}`), a);
      await reg.prefetch(seat(`cold${i}`), history(HISTORY_TURNS));
      await reg.ready();
      cold.push(await firstTokenWait(reg, `cold${i}`, b, tail));
      await reg.remove(seat(`cold${i}`));

      // Prefetched: staged while another seat generates, committed when the turn comes.
      await reg.load(seat(`warm${i}`), a);
      await reg.prefetch(seat(`warm${i}`), history(HISTORY_TURNS));
      await reg.ready();
      const speaking = reg.generate(seat("speaker"), { turns: history(6), sampling: { maxTokens: 64, seed: 3 + i } });
      if (!(await reg.stage(seat(`warm${i}`), b))) throw new Error("no room to stage the swap");
      await speaking;
      warm.push(await firstTokenWait(reg, `warm${i}`, b, tail));
      await reg.remove(seat(`warm${i}`));
    }
  } finally {
    await reg.dispose();
  }
  return { visibleSwapGapRatio: median(warm) / median(cold), prefetchedWaitMs: median(warm), coldWaitMs: median(cold) };
}

async function committee(tmp: string, models: string[], budget: "all" | "two", log: (l: string) => void): Promise<{ ms: number; turnsMs: number; tokens: number; rotations: number }> {
  const reg = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 1024, stateRoot: path.join(tmp, `state-${budget}`) });
  const store = openStore(path.join(tmp, `rotation-${budget}.db`));
  try {
    await reg.ready();
    if (budget === "two") {
      const one = (await reg.estimate(models[0]!, { contextSize: 1024 })).estimateBytes;
      reg.budget = { bytes: reg.usage().reservedBytes + Math.floor(one * 2.5), rule: "bench: two of four" };
    }
    const experiment: Experiment = {
      title: `rotation bench (${budget})`,
      task: "Tell a short story about a fox and a turtle.",
      seed: 21,
      roles: ["a", "b", "c", "d"].map((name, i) => ({ name, model: models[i]!, maxTokens: 64, contextSize: 1024, temperature: 0.7 })),
      protocol: { kind: "roundtable", rounds: 2, stopWhen: "rounds", vote: false },
      swaps: [],
      context: { policy: "drop-oldest" },
    };
    const runner = new SessionRunner({ experiment, store, registry: reg });
    log(`four-model roundtable, budget for ${budget === "all" ? "all four" : "two"}…`);
    const t0 = performance.now();
    const out = await runner.run();
    const ms = performance.now() - t0;
    if (out.status !== "completed") throw new Error(`committee ${budget}: ${out.status} ${out.error ?? ""}`);
    const tokens = out.messages.reduce((s, m) => s + (m.usage?.completionTokens ?? 0), 0);
    const rotations = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "rotation").length;
    const spoken = out.messages.filter((m) => m.usage !== null).map((m) => m.createdAt);
    return { ms, turnsMs: Math.max(...spoken) - Math.min(...spoken), tokens, rotations };
  } finally {
    await reg.dispose();
    store.close();
  }
}

export async function benchResidency(log: (line: string) => void = () => {}): Promise<ResidencyBenchResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-bench-residency-"));
  try {
    log("generating four 100M-class models (cached after the first run)…");
    const models = await Promise.all([0, 1, 2, 3].map((i) => generatedModel(i === 0 ? "small-100m" : { ...PRESETS["small-100m"], seed: 2 + i, name: `bench-100m-${i}` })));
    const gap = await swapGap(tmp, models[0]!, models[1]!, log);
    // The resident run first warms the page cache for both runs alike.
    const resident = await committee(tmp, models, "all", log);
    const rotation = await committee(tmp, models, "two", log);
    return {
      ...gap,
      rotationOverheadRatio: rotation.ms / resident.ms,
      rotationMs: rotation.ms,
      residentMs: resident.ms,
      rotationTokens: rotation.tokens,
      residentTokens: resident.tokens,
      rotations: rotation.rotations,
      rotationTurnsMs: rotation.turnsMs,
      residentTurnsMs: resident.turnsMs,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
