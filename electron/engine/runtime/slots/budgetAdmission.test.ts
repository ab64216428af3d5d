/**
 * The memory budget on real model processes: what it counts (process baselines, the warm spare and
 * the estimate inspector included), what it refuses and what it parks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { realTestModel } from "../../../../models/test/testModels.js";
import { distinctModels, lab, registryFixture } from "../../test/registries.js";
import { inUseFrom } from "./budgetAdmission.js";

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
  test("the budget counts each model process's baseline, the warm spare's and the estimate inspector's, not only the estimates", async () => {
    const reg = fx.make({ defaultContextSize: 512 });
    await reg.ready();
    const empty = reg.usage();
    const report0 = await reg.memory();
    const spare = report0.processes.find((p) => p.modelPath === "(warm spare)")!;
    assert.equal(empty.reservedBytes, 2 * spare.baselineBytes, "the warm spare and the estimate inspector are held back, one process each");
    await reg.load(lab("a"), real);
    const report = await reg.memory();
    assert.equal(report.measure, process.platform === "linux" ? "linux-anon-unevictable" : report.measure);
    const proc = report.processes.find((p) => p.roles.includes("a"))!;
    assert.ok(proc.baselineBytes > 0 && proc.measuredBytes > 0 && proc.fileBytes >= 0, JSON.stringify(proc));
    assert.ok(report.baselineBytes >= proc.baselineBytes + empty.reservedBytes, "the model's process and both reserved ones are in the baselines");
    assert.ok(report.inUseBytes > report.baselineBytes, "weights and context estimates come on top of the baselines");
    assert.ok(proc.estimateBytes > proc.baselineBytes, "a process's estimate is its baseline plus its model");
    // Every process the engine started is in the measured total, the inspector included while it runs.
    assert.ok(report.processes.some((p) => p.modelPath === "(estimate inspector)"), "the inspector that estimated the load is listed");
    assert.equal(report.measuredTotalBytes, report.processes.reduce((s, p) => s + p.measuredBytes, 0));
    assert.equal(report.fileTotalBytes, report.processes.reduce((s, p) => s + p.fileBytes, 0));
  });

  test("in use counts each file's weights and each context at the larger of estimate and measurement", () => {
    const files = [
      { estimatedWeightsBytes: 100, measuredWeightsBytes: 40 }, // mapped or unrepacked: the estimate stands
      { estimatedWeightsBytes: 100, measuredWeightsBytes: 130 }, // repacked on the CPU: the measurement
    ];
    const contexts = [
      { estimateBytes: 10, measuredBytes: null }, // staged, not measured yet
      { estimateBytes: 10, measuredBytes: 25 },
      { estimateBytes: 10, measuredBytes: 3 },
    ];
    assert.equal(inUseFrom(1000, files, contexts), 1000 + 100 + 130 + 10 + 25 + 10);
    assert.equal(inUseFrom(7, [], []), 7);
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
