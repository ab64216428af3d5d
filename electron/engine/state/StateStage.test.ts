/**
 * The state stage on the real runtime (stories260K in a real model process, its JSON held to the
 * schema by the grammar): model path, cache path, range validation with retries, and the
 * deterministic fallback, each recorded.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { StateStage, extractJson } from "./StateStage.js";
import { SlotRegistry } from "../slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../bus/SlotTurnGenerator.js";
import { libraryResolver } from "../library/libraryResolver.js";
import { realTestModel } from "../../../models/testModels.js";
import type { MetricInput } from "../../../shared/conversation.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-state-"));
let registry: SlotRegistry;
const metrics: MetricInput[] = [];
const recorder = { recordMetric: (m: MetricInput) => metrics.push(m) };

before(async () => {
  registry = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 512, stateRoot: path.join(tmp, "s") });
  // The stage speaks from the seat of the session it runs for (the lab's when it names none).
  for (const sessionId of ["s1", null]) await registry.load({ sessionId, role: "tracker" }, await realTestModel());
});
after(async () => {
  await registry.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const Mood = z.object({ mood: z.enum(["calm", "tense", "happy"]) });
const prompt = (input: string) => [{ role: "user" as const, content: `Mood of: ${input}` }];

describe("state stage", () => {
  test("model output that passes the schema, then the same input from the cache", async () => {
    const stage = new StateStage({ schema: Mood, generator: new SlotTurnGenerator(registry), role: "tracker", prompt, fallback: () => ({ mood: "calm" as const }), maxTokens: 48, recorder });
    const first = await stage.run("The cat sat by the fire.", { sessionId: "s1", seed: 1 });
    assert.equal(first.path, "model", first.errors.join(" | "));
    assert.ok(Mood.safeParse(first.state).success);
    const again = await stage.run("The cat sat by the fire.", { sessionId: "s1" });
    assert.equal(again.path, "cache");
    assert.deepEqual(again.state, first.state);
    assert.equal(again.attempts, 0);
    assert.deepEqual(metrics.slice(-2).map((m) => m.name), ["state.model", "state.cache"]);
  });

  test("out-of-range output is retried, then the deterministic fallback answers", async () => {
    // The grammar can shape JSON but not this range, so every attempt fails validation.
    const Score = z.object({ mood: z.enum(["calm", "tense"]), tension: z.number().min(0.25).max(0.2500001) });
    const stage = new StateStage({
      schema: Score,
      generator: new SlotTurnGenerator(registry),
      role: "tracker",
      prompt,
      attempts: 2,
      maxTokens: 24,
      fallback: (input) => ({ mood: input.includes("!") ? ("tense" as const) : ("calm" as const), tension: 0.25 }),
      recorder,
    });
    const r = await stage.run("Run! The storm is here!");
    assert.equal(r.path, "fallback");
    assert.equal(r.attempts, 2);
    assert.equal(r.errors.length, 2);
    assert.deepEqual(r.state, { mood: "tense", tension: 0.25 });
    assert.equal(metrics.at(-1)?.name, "state.fallback");
  });

  test("extractJson finds the object inside prose", () => {
    assert.deepEqual(extractJson('Sure! {"a": "}{", "b": {"c": 1}} done'), { a: "}{", b: { c: 1 } });
    assert.throws(() => extractJson("no json"));
  });
});
