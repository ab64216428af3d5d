/** Bad model files and dying model processes: a specific error each, and the engine goes on. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { writeBrokenGguf } from "../../../../models/gguf/brokenGguf.js";
import { lab, registryFixture } from "../../test/registries.js";

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

  test("12 swap cycles leave no model process behind", async () => {
    // Whole-app RSS growth per swap is a measurement of the OS and belongs to the bench
    // (rssGrowthMbPerSwap); what the engine decides is that every process it is done with ends.
    const reg = fx.make();
    await reg.load(lab("cycler"), real, { sampling: { maxTokens: 4 } });
    reg.setHistory(lab("cycler"), [{ role: "user", content: "A short history to carry." }]);
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const e = await reg.hotSwap(lab("cycler"), i % 2 ? real : chat);
      assert.equal(e.outcome, "ok", e.error ?? "");
      for (const p of (await reg.memory()).processes) seen.add(p.pid);
    }
    const live = (await reg.memory()).processes.filter((p) => !p.modelPath.includes("inspector"));
    assert.equal(live.filter((p) => p.roles.length > 0).length, 1, "one process serves the seat");
    assert.ok(live.length <= 2, `at most the seat's process and a spare are left (${live.map((p) => p.modelPath).join(", ")})`);
    const listed = new Set((await reg.memory()).processes.map((p) => p.pid));
    const released = [...seen].filter((pid) => !listed.has(pid));
    assert.deepEqual(await stillRunningAfterExit(released), [], "every process the pool let go has ended");
  });
});

/** Whether a process exists (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids still running once ended processes had time to exit and be reaped (up to a minute). */
async function stillRunningAfterExit(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 600; i++) {
    const running = pids.filter(isRunning);
    if (running.length === 0) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pids.filter(isRunning);
}
