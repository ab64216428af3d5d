/** Bad model files and dying model processes: a specific error each, and the engine goes on. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { generatedModel, realTestModel } from "../../../models/test/testModels.js";
import { writeBrokenGguf } from "../../../models/gguf/brokenGguf.js";
import { lab, registryFixture } from "../test/registries.js";

const fx = registryFixture("badfiles");
let real: string;
let chat: string;

before(async () => {
  real = await realTestModel();
  chat = await generatedModel("tiny-chat");
});
after(() => fx.dispose());

describe("bad files and crashes", () => {
  test("every bad file gets a specific error, no dead seat is left, and the engine keeps running", async () => {
    const reg = fx.make();
    const cases = {
      truncated: /truncated/i,
      garbage: /not a GGUF|magic/i,
      "unsupported-architecture": /architecture/i,
      "missing-key": /feed_forward_length|missing/i,
    } as const;
    for (const [kind, pattern] of Object.entries(cases)) {
      const file = path.join(fx.tmp, `bad-${kind}.gguf`);
      await writeBrokenGguf(file, kind as keyof typeof cases);
      await assert.rejects(reg.load(lab(`r-${kind}`), file), pattern, kind);
      assert.equal(reg.get(lab(`r-${kind}`)), null, `${kind}: the failed new seat is gone`);
    }
    await assert.rejects(reg.load(lab("missing"), path.join(fx.tmp, "nope.gguf")), /not found|no such|missing/i);
    assert.equal(reg.list().length, 0);
    const ok = await reg.load(lab("fine"), real);
    assert.equal(ok.status, "ready");
  });

  test("a model process killed mid-generation puts its seats in error; the rest goes on", async () => {
    const reg = fx.make();
    await reg.load(lab("victim"), real, { sampling: { maxTokens: 4000 } });
    await reg.load(lab("survivor"), chat, { sampling: { maxTokens: 8 } });
    const pid = reg.get(lab("victim"))!.pid!;
    const running = reg.generate(lab("victim"), { append: [{ role: "user", content: "Tell a very long story" }], onToken: () => process.kill(pid, "SIGKILL") });
    await assert.rejects(running, (e: Error & { code?: string }) => e.code === "seat-fault" && /exited unexpectedly/.test(e.message));
    assert.equal(reg.get(lab("victim"))?.status, "error");
    const r = await reg.generate(lab("survivor"), { append: [{ role: "user", content: "Hi" }] });
    assert.ok(r.completionTokens > 0);
    const reloaded = await reg.ensureResident(lab("victim"), { kind: "fault-reload" });
    assert.equal(reloaded?.outcome, "ok");
    assert.equal(reg.get(lab("victim"))?.status, "ready", "a crashed seat can be loaded again, history intact");
  });

  test("12 swap cycles keep the whole app's memory bounded", async () => {
    const reg = fx.make();
    await reg.load(lab("cycler"), real, { sampling: { maxTokens: 4 } });
    reg.setHistory(lab("cycler"), [{ role: "user", content: "A short history to carry." }]);
    const measure = async () => {
      const m = await reg.memory();
      return m.mainMeasuredBytes + m.processes.filter((p) => !p.modelPath.includes("inspector")).reduce((s, p) => s + p.measuredBytes, 0);
    };
    for (let i = 0; i < 4; i++) await reg.hotSwap(lab("cycler"), i % 2 ? real : chat);
    const start = await measure();
    for (let i = 0; i < 12; i++) {
      const e = await reg.hotSwap(lab("cycler"), i % 2 ? real : chat);
      assert.equal(e.outcome, "ok", e.error ?? "");
    }
    const growthMb = ((await measure()) - start) / 1e6;
    assert.ok(growthMb < 60, `whole-app RSS grew ${growthMb.toFixed(1)} MB over 12 swaps`);
  });
});
