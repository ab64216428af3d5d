/**
 * The state stage on the real runtime (stories260K in a real model process, its JSON held to the
 * schema by the grammar): the model path, the cache keyed on the previous state and the new turns
 * (in memory and in a real SQLite file shared by two stages), the opt-out, range validation with
 * retries, and the deterministic fallback, each recorded.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { z } from "zod";
import { StateStage, extractJson, type StateStageOptions } from "./StateStage.js";
import { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../bus/SlotTurnGenerator.js";
import { libraryResolver } from "../../runtime/library/libraryResolver.js";
import { StateCacheTable } from "../../data/store/stateCacheTable.js";
import { storeFile, withStoreFile } from "../../data/store/test/storeFile.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import type { MetricInput } from "../../../../shared/conversation.js";
import type { ChatTurn } from "../../../../shared/slots.js";

const t = tempStore();
let registry: SlotRegistry;
const metrics: MetricInput[] = [];
const recorder = { recordMetric: (m: MetricInput) => metrics.push(m) };

before(async () => {
  registry = new SlotRegistry({ resolver: libraryResolver({ modelsDir: t.dir }), defaultContextSize: 512, stateRoot: path.join(t.dir, "s") });
  // The stage speaks from the seat of the session it runs for (the lab's when it names none).
  for (const sessionId of ["s1", "a", "b", null]) await registry.load({ sessionId, role: "tracker" }, await realTestModel());
});
after(async () => {
  await registry.dispose();
  t.cleanup();
});

const Mood = z.object({ mood: z.enum(["calm", "tense", "happy"]) });
type Mood = z.infer<typeof Mood>;
/** Every prompt the model was asked, to see what a state was computed from. */
const prompts: string[] = [];
const prompt = (turns: string, previous: Mood | null): ChatTurn[] => {
  const content = `Mood was ${previous?.mood ?? "unknown"}. Now: ${turns}`;
  prompts.push(content);
  return [{ role: "user", content }];
};

function stage(extra: Partial<StateStageOptions<Mood>> = {}): StateStage<Mood> {
  return new StateStage<Mood>({ schema: Mood, generator: new SlotTurnGenerator(registry), role: "tracker", prompt, fallback: () => ({ mood: "calm" }), maxTokens: 48, recorder, ...extra });
}

describe("state stage", () => {
  test("each state is computed from the previous state and the new turns only", async () => {
    const s = stage();
    const first = await s.run("fox: the storm came", { sessionId: "s1", seed: 1 });
    assert.equal(first.path, "model", first.errors.join(" | "));
    assert.ok(Mood.safeParse(first.state).success);
    assert.equal(first.newTurns, 1);
    assert.equal(prompts.at(-1), "Mood was unknown. Now: fox: the storm came");
    const second = await s.run("fox: the storm came\nowl: the sun is out", { sessionId: "s1", seed: 2 });
    assert.equal(second.newTurns, 1);
    assert.equal(prompts.at(-1), `Mood was ${first.state.mood}. Now: owl: the sun is out`);
    assert.deepEqual(second.cache, { hits: 0, misses: 2, savedMs: 0 });
    assert.deepEqual(metrics.filter((m) => m.sessionId === "s1").map((m) => m.name), [
      "state.model", "state.latencyMs", "state.cache.miss", "state.model", "state.latencyMs", "state.cache.miss",
    ]);
  });

  test("a repeated conversation hits the cache, across stages through the database, and records the time saved", async () => {
    const shared = t.store.stateCache;
    const identity = () => "stories260K|mood";
    const a = stage({ persistent: shared, identity });
    const a1 = await a.run("cat: the fire is warm", { sessionId: "a", seed: 3 });
    const a2 = await a.run("cat: the fire is warm\ndog: a knock at the door", { sessionId: "a", seed: 4 });
    assert.deepEqual([a1.path, a2.path], ["model", "model"]);

    // A second stage (a later session) over the same conversation: no model call at all.
    const before = prompts.length;
    const b = stage({ persistent: new StateCacheTable(storeFile(t.store)), identity });
    const b1 = await b.run("cat: the fire is warm", { sessionId: "b" });
    const b2 = await b.run("cat: the fire is warm\ndog: a knock at the door", { sessionId: "b" });
    assert.deepEqual([b1.path, b2.path], ["cache", "cache"]);
    assert.deepEqual([b1.state, b2.state], [a1.state, a2.state]);
    assert.equal(b1.inputHash, a1.inputHash);
    assert.equal(prompts.length, before, "the model was not asked");
    assert.ok(b1.savedMs > 0 && b2.savedMs > 0);
    assert.deepEqual(b2.cache, { hits: 2, misses: 0, savedMs: b1.savedMs + b2.savedMs });
    const saved = metrics.filter((m) => m.sessionId === "b" && m.name === "state.cache.savedMs");
    assert.deepEqual(saved.map((m) => m.value), [b1.savedMs, b2.savedMs]);

    // It continues past the repeat on its own: a new turn is a miss.
    const b3 = await b.run("cat: the fire is warm\ndog: a knock at the door\ncat: who is it", { sessionId: "b", seed: 5 });
    assert.equal(b3.path, "model");
    assert.equal(prompts.at(-1), `Mood was ${b2.state.mood}. Now: cat: who is it`);
    const row = withStoreFile(t.store, (db) => db.prepare<{ n: number; hits: number }>("SELECT count(*) AS n, sum(hits) AS hits FROM state_cache").get(), { readonly: true });
    assert.deepEqual(row, { n: 3, hits: 2 });

    // Another model (identity) never reuses these states.
    const other = await stage({ persistent: shared, identity: () => "another-model|mood" }).run("cat: the fire is warm", { seed: 6 });
    assert.equal(other.path, "model");
  });

  test("a conversation that does not extend the last starts from no state; cache: false never reuses", async () => {
    const s = stage();
    await s.run("x: hello", { seed: 7 });
    const restart = await s.run("y: something else", { seed: 8 });
    assert.equal(restart.newTurns, 1, "a conversation that does not extend the last starts over");
    assert.equal((await s.run("x: hello", {})).path, "cache", "in memory too");

    const off = stage({ cache: false, persistent: t.store.stateCache });
    const r1 = await off.run("cat: the fire is warm", { seed: 9 });
    const r2 = await stage({ cache: false }).run("cat: the fire is warm", { seed: 9 });
    assert.deepEqual([r1.path, r2.path, r1.cache, r2.cache], ["model", "model", null, null]);
  });

  test("out-of-range output is retried, then the deterministic fallback answers", async () => {
    // The grammar can shape JSON but not this range, so every attempt fails validation.
    const Score = z.object({ mood: z.enum(["calm", "tense"]), tension: z.number().min(0.25).max(0.2500001) });
    const s = new StateStage({
      schema: Score,
      generator: new SlotTurnGenerator(registry),
      role: "tracker",
      prompt: (turns: string) => [{ role: "user" as const, content: turns }],
      attempts: 2,
      maxTokens: 24,
      fallback: (turns: string) => ({ mood: turns.includes("!") ? ("tense" as const) : ("calm" as const), tension: 0.25 }),
      recorder,
    });
    const r = await s.run("Run! The storm is here!");
    assert.equal(r.path, "fallback");
    assert.equal(r.attempts, 2);
    assert.equal(r.errors.length, 2);
    assert.deepEqual(r.state, { mood: "tense", tension: 0.25 });
    assert.equal(metrics.at(-3)?.name, "state.fallback");
    assert.equal((await s.run("Run! The storm is here!", {})).path, "fallback", "a fallback is not cached");
  });

  test("extractJson finds the object inside prose", () => {
    assert.deepEqual(extractJson('Sure! {"a": "}{", "b": {"c": 1}} done'), { a: "}{", b: { c: 1 } });
    assert.throws(() => extractJson("no json"));
  });
});
