/**
 * Presets over a real engine: each expands into concrete settings for these models and this
 * machine, runs as a real session, and is stored with both its name and its expansion. `fast`
 * prefers a model already resident and drops members until no rotation is needed; `cheap` orders
 * members smallest model first, with short turns and no prefetch; `reliable` validates the largest
 * model's answer with another model.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Experiment, type ExperimentInput } from "../../../../shared/experiment.js";
import type { Preset } from "../../../../shared/presets.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import { distinctModels } from "../../test/registries.js";

const SETTINGS = ["max tokens", "members", "protocol", "backends", "context policy", "retries", "budget", "prefetch"];

test("each preset expands for these models and this machine, runs, and is stored with its expansion (real model)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-presets-"));
  const engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, keepWarmMs: 0, threads: 1 });
  try {
    const stories = await realTestModel();
    const [small] = await distinctModels(1);
    const experiment = (preset: Preset): ExperimentInput => ({
      title: `preset ${preset}`,
      task: "Tell a short story about a brave little robot.",
      seed: 9,
      roles: [
        { name: "teller", model: stories, maxTokens: 48, contextSize: 512 },
        { name: "helper", model: small!, maxTokens: 48, contextSize: 512 },
      ],
      protocol: { kind: "pipeline" },
      state: { role: "teller", fields: { done: { type: "boolean" } }, maxTokens: 24 },
      budget: { usd: 1 },
      preset,
    });

    const expected: Record<Preset, (e: Experiment) => void> = {
      balanced: (e) => {
        assert.deepEqual(e.protocol, { kind: "roundtable", rounds: 2, chair: "teller", stopWhen: "consensus", vote: true });
        assert.equal(e.context.policy, "drop-oldest");
        assert.equal(e.state?.attempts, 2);
        assert.equal(e.budget?.switchAt, 0.8);
        assert.equal(e.execution?.prefetch, true);
      },
      fast: (e) => {
        assert.deepEqual(e.roles.map((r) => r.name), ["helper", "teller"], "the resident model's member comes first");
        assert.deepEqual(e.protocol, { kind: "parallel", chair: "helper" });
        assert.ok(e.roles.every((r) => (r.maxTokens ?? 0) <= 128));
        assert.equal(e.state?.attempts, 1);
      },
      cheap: (e) => {
        assert.deepEqual(e.roles.map((r) => r.name), ["helper", "teller"], "the smallest model first");
        assert.deepEqual(e.protocol, { kind: "route" });
        assert.ok(e.roles.every((r) => (r.maxTokens ?? 0) <= 96));
        assert.equal(e.context.policy, "summarize");
        assert.equal(e.budget?.switchAt, 0.5);
        assert.equal(e.execution?.prefetch, false);
      },
      reliable: (e) => {
        assert.deepEqual(e.protocol, { kind: "validate", producer: "teller", validator: "helper", corrector: "teller", maxAttempts: 3 }, "the larger model answers, the other validates");
        assert.equal(e.context.policy, "summarize");
        assert.equal(e.state?.attempts, 3);
        assert.equal(e.budget?.switchAt, 0.95);
      },
    };

    // A lab seat keeps the small model resident, as a finished session's warm seat would.
    await engine.slots.load({ sessionId: null, role: "warm" }, small!, { contextSize: 256 });

    // fast first: nothing but the lab seat is resident yet (a finished session releases its seats in the background).
    for (const preset of ["fast", "balanced", "cheap", "reliable"] as const) {
      const shown = await engine.presets.expand(experiment(preset));
      assert.ok(shown.expansion, `${preset} expands`);
      assert.deepEqual(shown.expansion.settings.map((s) => s.setting).sort(), [...SETTINGS].sort(), `${preset} sets every documented setting`);
      assert.ok(shown.expansion.settings.every((s) => s.value.length > 0 && s.reason.length > 0));
      assert.ok(shown.expansion.machine.residentModels.includes(small!));
      expected[preset](shown.experiment);
      if (preset === "reliable") {
        assert.match(shown.expansion.settings.find((s) => s.setting === "backends")!.reason, /no remote backend is enabled/);
      }

      const session = await engine.sessions.create(experiment(preset));
      const outcome = await engine.sessions.wait(session.id);
      assert.equal(outcome.status, "completed", `${preset}: ${outcome.error ?? ""}`);
      const stored = Experiment.parse(outcome.session.experiment);
      assert.equal(stored.preset, preset);
      assert.equal(stored.expansion?.preset, preset, "the stored experiment keeps the expansion");
      assert.deepEqual(stored.expansion?.settings.map((s) => [s.setting, s.value]), shown.expansion.settings.map((s) => [s.setting, s.value]));
      expected[preset](stored);
      assert.ok(outcome.messages.some((m) => m.provenance !== null), `${preset}: a member spoke`);
    }

    // An expanded experiment runs as stored: expanding it again changes nothing.
    const stored = Experiment.parse((await engine.sessions.list()).find((s) => s.title === "preset fast")!.experiment);
    assert.deepEqual(await engine.presets.expand(stored), { experiment: stored, expansion: stored.expansion });

    // fast without room for both models at once: the member not resident is left out (no rotation).
    // First the finished sessions' seats go (released in the background; nothing is kept warm here).
    while (engine.slots.list().some((s) => s.sessionId !== null && s.status !== "empty" && s.status !== "parked")) await new Promise((r) => setTimeout(r, 100));
    const plan = await engine.sessions.preview({ ...experiment("balanced"), preset: undefined });
    const tellerNeed = plan.seats.find((s) => s.role === "teller")!.needBytes;
    await engine.settings.set({ memoryBudgetBytes: Math.round(plan.reservedBytes + tellerNeed * 1.5) });
    // (Without a state stage: its role always stays.)
    const tight = await engine.presets.expand({ ...experiment("fast"), state: undefined });
    assert.deepEqual(tight.experiment.roles.map((r) => r.name), ["helper"], "only the resident model's member fits beside what is loaded");
    assert.deepEqual(tight.experiment.protocol, { kind: "pipeline" });
    assert.match(tight.expansion!.settings.find((s) => s.setting === "members")!.reason, /left out so every seat fits at once \(no rotation\): teller/);

    await assert.rejects(engine.presets.expand({ ...experiment("balanced"), preset: "speedy" as Preset }), /preset: /);
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
