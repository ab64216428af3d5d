import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Experiment } from "../../../../shared/experiment.js";
import { hasRealTestModel, realTestModel } from "../../../../models/test/testModels.js";
import { engineResolver } from "../../runtime/library/engineResolver.js";
import { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { loadExperiment } from "./loadExperiment.js";
import { SessionRunner } from "./SessionRunner.js";

const EXAMPLE = fileURLToPath(new URL("../../../../examples/stories-swap.json", import.meta.url));

/** The example as written, or on a generated model of the same shape when ../shared is absent. */
async function example(): Promise<Experiment> {
  const { experiment } = await loadExperiment(EXAMPLE);
  if (await hasRealTestModel()) return experiment;
  const model = await realTestModel();
  return { ...experiment, roles: experiment.roles.map((r) => ({ ...r, model })) };
}

async function withSession(fn: (parts: { store: ReturnType<typeof tempStore>["store"]; registry: SlotRegistry }) => Promise<void>) {
  const t = tempStore();
  // One thread per model process: on a busy 2-core machine llama.cpp's spinning thread barriers
  // make two threads far slower than one.
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  try {
    await fn({ store: t.store, registry });
  } finally {
    await registry.dispose();
    t.cleanup();
  }
}

test("the stories-swap example runs end to end with its mid-run swap", async () => {
  await withSession(async ({ store, registry }) => {
    const experiment = await example();
    const runner = new SessionRunner({ experiment, store, registry });
    let tokens = 0;
    runner.onEvent((e) => {
      if (e.type === "token") tokens++;
    });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    assert.ok(tokens > 0, "tokens were streamed");

    // Everything the bus emitted is in the store, in order.
    const stored = store.listMessages(runner.sessionId, { limit: 10_000 }).messages;
    assert.deepEqual(stored.map((m) => m.id), out.messages.map((m) => m.id));
    assert.equal(store.getSession(runner.sessionId)!.status, "completed");

    // The swap: recorded as an event and inline, and later critic turns come from the new model.
    const swaps = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "scheduled");
    assert.equal(swaps.length, 1);
    assert.equal(swaps[0]!.event.outcome, "ok");
    assert.equal(swaps[0]!.round, 2);
    const note = out.messages.find((m) => m.from === "system" && m.content.startsWith("Swap at round 2: critic"));
    assert.ok(note, "inline swap message");
    const critic = out.messages.filter((m) => m.from === "critic" && m.provenance);
    assert.ok(critic.some((m) => m.round === 1 && m.provenance!.fingerprint !== swaps[0]!.event.to.fingerprint));
    assert.ok(critic.filter((m) => m.round! >= 2).every((m) => m.provenance!.fingerprint === swaps[0]!.event.to.fingerprint));
    assert.equal(store.listAssignments(runner.sessionId).length, 3);

    // Typed turns: allowed types, existing references, confidence in range, seeds recorded.
    for (const m of out.messages.filter((x) => x.provenance)) {
      assert.ok(m.confidence === null || (m.confidence >= 0 && m.confidence <= 1));
      for (const r of m.referencesTo) assert.ok(out.messages.some((x) => x.id === r));
      assert.equal(typeof m.provenance!.seed, "number");
    }

    // Votes: recorded, never on the voter's own message.
    const votes = store.listVotes(runner.sessionId);
    // A ballot the model could not fill is an abstention, recorded as such, not a vote.
    assert.ok(votes.length + store.abstentions.list(runner.sessionId).length >= 2);
    for (const v of votes) assert.notEqual(out.messages.find((m) => m.id === v.targetMessageId)!.from, v.voter);
    assert.ok(out.messages.some((m) => m.type === "consensus" || m.type === "answer"), "the chair synthesized");
  });
});

test("compare: blind votes exclude self; pause, resume and abort", async () => {
  await withSession(async ({ store, registry }) => {
    const model = await realTestModel();
    const base = {
      title: "t", task: "Once upon a time", seed: 7, swaps: [], context: { policy: "drop-oldest" as const },
      // Room to fill a ballot: a ballot cut off by the token limit is an abstention, not a vote.
      roles: ["x", "y", "z"].map((name) => ({ name, model, maxTokens: 96, contextSize: 512 })),
    };
    const cmp = new SessionRunner({ experiment: { ...base, protocol: { kind: "compare" } }, store, registry });
    const done = await cmp.run();
    assert.equal(done.status, "completed", done.error ?? "");
    const ballots = done.messages.filter((m) => m.from === "system" && m.to !== "all" && m.content.startsWith("Blind vote"));
    assert.equal(ballots.length, 3);
    for (const b of ballots) assert.doesNotMatch(b.content, /\((x|y|z)\)/, "no author names on a blind ballot");
    const votes = store.listVotes(cmp.sessionId);
    assert.equal(votes.length, 6, "3 voters × 2 candidates each");
    for (const v of votes) assert.notEqual(done.messages.find((m) => m.id === v.targetMessageId)!.from, v.voter);

    const runner = new SessionRunner({ experiment: { ...base, roles: base.roles.slice(0, 2), protocol: { kind: "debate", rounds: 5, vote: false } }, store, registry });
    let turns = 0;
    let paused = false;
    runner.onEvent((e) => {
      if (e.type !== "message" || !e.message.provenance) return;
      turns++;
      if (turns === 1) {
        runner.pause();
        paused = true;
      }
      if (turns === 3) runner.abort("test abort");
    });
    const running = runner.run();
    while (!paused) await new Promise((r) => setTimeout(r, 20));
    const before = store.getSession(runner.sessionId)!;
    assert.equal(before.status, "paused");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(store.getSession(runner.sessionId)!.messageCount, before.messageCount, "nothing is said while paused");
    const resumedAt = before.messageCount;
    runner.resume();
    const out = await running;
    assert.equal(out.status, "aborted");
    assert.equal(out.error, "test abort");
    assert.equal(store.getSession(runner.sessionId)!.status, "aborted");
    assert.ok(out.messages.length > resumedAt);
    assert.equal(out.messages.filter((m) => m.provenance).length, 3, "no turn after the abort");
    assert.match(out.messages.at(-1)!.content, /Session aborted: test abort/);
  });
});
