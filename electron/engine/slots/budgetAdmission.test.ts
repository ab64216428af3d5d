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
    assert.ok(empty.reservedBytes > 50e6, `the warm spare is held back (${empty.reservedBytes} bytes)`);
    await reg.load(lab("a"), real);
    const report = await reg.memory();
    const proc = report.processes.find((p) => p.roles.includes("a"))!;
    assert.ok(proc.measuredBytes > proc.baselineBytes && proc.baselineBytes > 50e6);
    assert.ok(report.inUseBytes >= proc.baselineBytes + report.baselineBytes - proc.baselineBytes, "baselines are in use");
    assert.ok(report.baselineBytes >= proc.baselineBytes + empty.reservedBytes * 0.5);
    // The estimate now tracks the measured processes instead of ignoring their runtime.
    const measured = report.processes.filter((p) => !p.modelPath.includes("inspector")).reduce((s, p) => s + p.measuredBytes, 0);
    assert.ok(report.inUseBytes > measured * 0.5, `in use ${report.inUseBytes} against measured ${measured}`);
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
