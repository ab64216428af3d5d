/**
 * The memory budget on real model processes: what it counts (process baselines and the warm spare
 * included), what it refuses and what it parks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { realTestModel } from "../../../models/test/testModels.js";
import { distinctModels, lab, registryFixture } from "../test/registries.js";

const fx = registryFixture("budget");
let real: string;
let others: string[];

before(async () => {
  real = await realTestModel();
  others = await distinctModels(3);
});
after(() => fx.dispose());

/** What one more seat on a new file costs, measured on `reg`. */
async function seatCost(reg: ReturnType<typeof fx.make>, file: string, contextSize = 512): Promise<number> {
  return (await reg.estimate(file, { contextSize })).estimateBytes;
}

describe("memory budget", () => {
  test("the budget counts each model process's baseline and the warm spare, not only the estimates", async () => {
    const reg = fx.make({ defaultContextSize: 512 });
    await reg.ready();
    const empty = reg.usage();
    assert.ok(empty.reservedBytes > 0, `the warm spare is held back (${empty.reservedBytes} bytes)`);
    assert.ok(empty.inUseBytes >= empty.reservedBytes, "the spare's baseline is in use before any model");
    await reg.load(lab("a"), real);
    const report = await reg.memory();
    // Accounting, not measurement: what the budget counts is built from the figures the report
    // lists for each process (how close those estimates come to RSS is the bench's memoryEstimateErrorPct).
    const modelProcs = report.processes.filter((p) => p.roles.length > 0);
    const spare = report.processes.find((p) => p.modelPath === "(warm spare)");
    assert.equal(modelProcs.length, 1);
    const counted = modelProcs.reduce((s, p) => s + p.baselineRssBytes, 0) + (spare?.baselineRssBytes ?? 0);
    assert.ok(report.baselineBytes >= counted, `baselines ${report.baselineBytes} cover the listed processes' ${counted}`);
    assert.ok(report.baselineBytes >= modelProcs[0]!.baselineRssBytes + empty.reservedBytes, "the model's process and a spare are both counted");
    assert.ok(report.inUseBytes > report.baselineBytes, "weights and context estimates come on top of the baselines");
    assert.ok(modelProcs[0]!.estimateBytes > modelProcs[0]!.baselineRssBytes, "a process's estimate is its baseline plus its model");
  });

  test("a load that does not fit is refused with the numbers, and the refused seat is not left behind", async () => {
    const reg = fx.make({ defaultContextSize: 512 });
    await reg.ready();
    await reg.load(lab("a"), real);
    reg.budget = { bytes: reg.usage().inUseBytes + (await seatCost(reg, others[0]!)) / 2, rule: "test" };
    await assert.rejects(reg.load(lab("b"), others[0]!), (e: Error) => /Not enough memory budget.*needs about .* budget/s.test(e.message));
    assert.equal(reg.get(lab("b")), null, "no error seat is left behind");
    assert.equal(reg.get(lab("a"))?.status, "ready");
  });

  test("with evict-lru, the least recently used idle seat of another session is parked; pinned and session-pinned seats stay", async () => {
    const reg = fx.make({ defaultContextSize: 512, eviction: "evict-lru" });
    await reg.ready();
    const pinned = lab("pinned");
    const running = { sessionId: "running-session", role: "speaker" };
    const old = { sessionId: "finished-session", role: "old" };
    await reg.load(pinned, real, { pinned: true });
    await reg.load(running, others[0]!);
    reg.setSessionPinned("running-session", true);
    await reg.load(old, others[1]!);
    reg.budget = { bytes: reg.usage().inUseBytes + (await seatCost(reg, others[2]!)) / 2, rule: "test" };
    await reg.load(lab("new"), others[2]!);
    assert.equal(reg.get(pinned)?.status, "ready");
    assert.equal(reg.get(running)?.status, "ready");
    assert.equal(reg.get(old)?.status, "parked", "parked, not forgotten: its model and history stay assigned");
    assert.equal(reg.get(lab("new"))?.status, "ready");
  });

  test("a model that alone exceeds the budget is refused before anything is evicted", async () => {
    const reg = fx.make({ defaultContextSize: 512, eviction: "evict-lru" });
    await reg.ready();
    await reg.load(lab("idle"), real);
    const alone = await seatCost(reg, others[0]!);
    reg.budget = { bytes: reg.usage().reservedBytes + alone - 1, rule: "test" };
    await assert.rejects(reg.load(lab("huge"), others[0]!), /alone it needs about .*Nothing was evicted/s);
    assert.equal(reg.get(lab("idle"))?.status, "ready", "the idle seat was not evicted for a load that could never fit");
  });
});
